// The venue adapter contract (design.md §4). One interface, five implementations.
// Adapters are plain TypeScript: no 'vscode', all I/O through injected clocks and loggers.

import type { Attachment, ChatMessage, ConnectionState, Conversation, MessageKind, VenueId } from '../../shared/model';
import type { Event } from '../core/event';

export interface Capabilities {
  /** How inbound messages arrive. */
  readonly receive: 'push' | 'poll';
  /** The venue can page back through server-side history (else the store is the only history). */
  readonly serverHistory: boolean;
  /** Kinds the adapter can send. */
  readonly sendKinds: readonly MessageKind[];
  /** Media is sent as a URL in the message (MEXC) rather than through a venue upload. */
  readonly mediaByUrl: boolean;
  /** The venue has its own upload API. */
  readonly upload: boolean;
  /** A resend with the same client id is de-duplicated by the venue. */
  readonly idempotentSend: boolean;
  readonly readReceipts: boolean;
  readonly maxTextLength: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly next?: string;
}

/** What the outbox hands an adapter to send. */
export interface OutboundMessage {
  readonly clientMessageId: string;
  readonly conversationId: string;
  readonly kind: MessageKind;
  readonly text: string;
  readonly attachment?: Attachment;
  /** Sends already tried for this message (0 on the first try). */
  readonly attempt: number;
  /** UTC ms the user composed it (used for read-back matching). */
  readonly composedAt: number;
}

export interface SendReceipt {
  /** `sent`: the venue accepted the frame; `confirmed`: venue evidence (echo, ack, read-back) ties it to our message. */
  readonly status: 'sent' | 'confirmed';
  readonly venueMessageId?: string;
  readonly time?: number;
}

/**
 * Before a resend after an unknown outcome, the outbox asks the adapter whether the message
 * already landed. `unknown` means the venue cannot tell (no history API); the outbox then
 * relies on the adapter's own evidence window.
 */
export type LandedCheck = { readonly landed: true; readonly venueMessageId?: string } | { readonly landed: false } | { readonly landed: 'unknown' };

export type VenueEvent =
  | { readonly type: 'message'; readonly message: ChatMessage }
  | { readonly type: 'messageStatus'; readonly conversationId: string; readonly clientMessageId: string; readonly status: 'confirmed' | 'delivered' | 'read'; readonly venueMessageId?: string; readonly time?: number }
  | { readonly type: 'conversation'; readonly conversation: Conversation }
  | { readonly type: 'connectionState'; readonly state: ConnectionState }
  /** The connection was down from `from` to `to` and the venue cannot backfill it. */
  | { readonly type: 'gap'; readonly conversationId: string; readonly from: number; readonly to: number }
  /** A frame or response the adapter could not use (logged and counted, never fatal). */
  | { readonly type: 'badInput'; readonly where: string; readonly detail: string };

export interface VenueAdapter {
  readonly venue: VenueId;
  readonly accountId: string;
  readonly capabilities: Capabilities;
  readonly events: Event<VenueEvent>;
  /** Verifies credentials with a signed call; throws a VenueError with the venue's message when they fail. */
  verify(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Forces a fresh connection now (user action), clearing any back-off or auth-error state. */
  reconnect(): Promise<void>;
  listConversations(cursor?: string): Promise<Page<Conversation>>;
  history(conversationId: string, before?: string, limit?: number): Promise<Page<ChatMessage>>;
  /** Keep a live connection to this conversation while it is open in a pane (MEXC: one socket per chat). */
  watch(conversationId: string): { dispose(): void };
  send(message: OutboundMessage): Promise<SendReceipt>;
  checkLanded(message: OutboundMessage): Promise<LandedCheck>;
  markRead(conversationId: string, upTo?: number): Promise<void>;
  dispose(): void;
}

export type VenueErrorKind =
  /** Credentials rejected: stop retrying, show the user. */
  | 'auth'
  /** 429 or similar: retry after `retryAfterMs`. */
  | 'rate-limit'
  /** Definitely not sent (no connection, refused before the request left): safe to retry. */
  | 'unavailable'
  /** The venue refused this request on its merits: do not retry. */
  | 'rejected'
  /** The request may or may not have reached the venue (timeout, dropped mid-flight, 5xx, garbled reply). */
  | 'unknown-outcome';

/** An error from a venue, with a kind the outbox and the connection machinery act on. */
export class VenueError extends Error {
  constructor(
    readonly kind: VenueErrorKind,
    message: string,
    readonly venueCode?: string | number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'VenueError';
  }

  /** True when the request may have reached the venue (a resend needs a landed check first). */
  get outcomeUnknown(): boolean {
    return this.kind === 'unknown-outcome';
  }
}

export function isVenueError(err: unknown): err is VenueError {
  return err instanceof VenueError;
}
