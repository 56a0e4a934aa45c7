// The UI state the pane keeps through VS Code's getState/setState. retainContextWhenHidden is off,
// so this is all that survives hiding the panel and reloading the window: which conversation is
// open, where the reader was, and the unsent draft. Everything else comes back from the host.
import type { Conversation, VenueId } from '../shared/model';
import type { WebviewApi } from './vscodeApi';

export interface ConversationRef {
  readonly venue: VenueId;
  readonly accountId: string;
  readonly conversationId: string;
}

/** Where the reader was: at the newest message, or reading older ones with a message at a given offset. */
export type ScrollPosition =
  | { readonly atBottom: true }
  | {
      readonly atBottom: false;
      /** Key of the topmost visible message. */
      readonly anchorKey: string;
      /** Its time, to decide whether older history must be paged in to find it again. */
      readonly anchorTime: number;
      /** Its top edge relative to the top of the list viewport, in CSS pixels. */
      readonly offsetPx: number;
    };

export interface UiStateV1 {
  readonly version: 1;
  readonly conversation: ConversationRef | null;
  /** Unsent text for `conversation`. */
  readonly draft: string;
  /**
   * Client message id already tried for this exact draft whose outcome is unknown (e.g. the host
   * did not answer). Re-sending reuses it so the outbox can recognise a duplicate.
   */
  readonly draftClientMessageId: string | null;
  readonly scroll: ScrollPosition;
}

export const EMPTY_UI_STATE: UiStateV1 = {
  version: 1,
  conversation: null,
  draft: '',
  draftClientMessageId: null,
  scroll: { atBottom: true },
};

const VENUES: readonly string[] = ['mexc', 'bybit', 'binance', 'multiwa', 'mixin'];
const MAX_DRAFT = 20_000;
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseConversationRef(raw: unknown): ConversationRef | null {
  if (!isRecord(raw)) return null;
  const { venue, accountId, conversationId } = raw;
  if (typeof venue !== 'string' || !VENUES.includes(venue)) return null;
  if (typeof accountId !== 'string' || typeof conversationId !== 'string') return null;
  return { venue: venue as VenueId, accountId, conversationId };
}

function parseScroll(raw: unknown): ScrollPosition {
  if (!isRecord(raw) || raw.atBottom !== false) return { atBottom: true };
  const { anchorKey, anchorTime, offsetPx } = raw;
  if (typeof anchorKey !== 'string' || typeof anchorTime !== 'number' || typeof offsetPx !== 'number') return { atBottom: true };
  if (!Number.isFinite(anchorTime) || !Number.isFinite(offsetPx)) return { atBottom: true };
  return { atBottom: false, anchorKey, anchorTime, offsetPx };
}

/** Accepts whatever getState() returns (older versions, garbage) and yields a valid state. */
export function parseUiState(raw: unknown): UiStateV1 {
  if (!isRecord(raw) || raw.version !== 1) return EMPTY_UI_STATE;
  const draft = typeof raw.draft === 'string' ? raw.draft.slice(0, MAX_DRAFT) : '';
  const id = raw.draftClientMessageId;
  return {
    version: 1,
    conversation: parseConversationRef(raw.conversation),
    draft,
    draftClientMessageId: typeof id === 'string' && CLIENT_ID.test(id) ? id : null,
    scroll: parseScroll(raw.scroll),
  };
}

export function conversationRefOf(conversation: Conversation): ConversationRef {
  return { venue: conversation.venue, accountId: conversation.accountId, conversationId: conversation.conversationId };
}

export function sameConversation(a: ConversationRef | null, b: ConversationRef | null): boolean {
  return a !== null && b !== null && a.venue === b.venue && a.accountId === b.accountId && a.conversationId === b.conversationId;
}

/** Holds the current UI state and writes every change through to VS Code. */
export class UiStateStore {
  private state: UiStateV1;

  constructor(private readonly api: WebviewApi) {
    this.state = parseUiState(api.getState());
  }

  get current(): UiStateV1 {
    return this.state;
  }

  update(patch: Partial<Omit<UiStateV1, 'version'>>): void {
    this.state = { ...this.state, ...patch, version: 1 };
    this.api.setState(this.state);
  }
}
