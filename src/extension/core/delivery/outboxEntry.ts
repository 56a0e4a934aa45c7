// One line of the outbox log: the whole state of one outgoing message as of that line.
import type { Attachment, MessageKind, MessagePayload, QuotedMessage, VenueId } from '../../../shared/model';
import type { UploadSource } from '../../venues/venue';

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed' | 'done' | 'cancelled';

export interface OutboxUpload {
  /** The outbox's own durable copy of the file. */
  readonly source: UploadSource;
  /** When the last upload attempt started (an upload cut short by a crash is simply done again). */
  readonly startedAt?: number;
  /** The venue's reference, once uploaded; written before the message is sent. */
  readonly attachment?: Attachment;
}

/** What a caller hands the outbox: the message as composed. */
export interface ComposeInput {
  readonly clientMessageId: string;
  readonly venue: VenueId;
  readonly accountId: string;
  readonly conversationId: string;
  readonly kind: MessageKind;
  readonly text: string;
  readonly attachment?: Attachment;
  readonly payload?: MessagePayload;
  /** The message this one replies to, built by the hub from the stored message (kept across restarts). */
  readonly quote?: QuotedMessage;
  /** A file to upload through the venue's API before sending (the outbox keeps its own copy). */
  readonly file?: UploadSource;
}

export interface OutboxEntry extends Omit<ComposeInput, 'file'> {
  readonly upload?: OutboxUpload;
  readonly composedAt: number;
  readonly attempts: number;
  readonly state: OutboxState;
  /** A send is in flight or its outcome is unknown (set before the network call). */
  readonly inFlight?: boolean;
  readonly failure?: string;
  readonly nextAttemptAt?: number;
  /** When the venue accepted it (state `sent`): evidence is awaited from then on. */
  readonly sentAt?: number;
  readonly venueMessageId?: string;
  /** Landed checks that could not ask the venue (it was down, rate-limited): the back-off before the next. */
  readonly landedChecks?: number;
  readonly updatedAt: number;
}

const STATES: ReadonlySet<string> = new Set<OutboxState>(['queued', 'sending', 'sent', 'failed', 'done', 'cancelled']);

export function parseOutboxEntry(value: unknown): OutboxEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const ok =
    typeof v.clientMessageId === 'string' &&
    typeof v.venue === 'string' &&
    typeof v.accountId === 'string' &&
    typeof v.conversationId === 'string' &&
    typeof v.kind === 'string' &&
    typeof v.text === 'string' &&
    typeof v.composedAt === 'number' &&
    typeof v.attempts === 'number' &&
    typeof v.state === 'string' &&
    STATES.has(v.state) &&
    (v.upload === undefined || isUpload(v.upload));
  return ok ? (value as OutboxEntry) : undefined;
}

function isUpload(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const source = (value as { source?: unknown }).source;
  if (typeof source !== 'object' || source === null) return false;
  const s = source as Record<string, unknown>;
  return typeof s.path === 'string' && typeof s.name === 'string' && typeof s.mimeType === 'string' && typeof s.size === 'number' && typeof s.kind === 'string';
}
