// Shape checks for messages arriving from the host. The host is trusted, but one malformed record
// (a new adapter, a stale store entry) must cost one message, not the whole pane.
import type { Attachment, ChatMessage } from '../../shared/model';

const DIRECTIONS: readonly string[] = ['in', 'out', 'system'];
const STATUSES: readonly string[] = ['queued', 'sending', 'sent', 'confirmed', 'delivered', 'read', 'failed'];
const ATTACHMENT_KINDS: readonly string[] = ['image', 'video', 'audio', 'file'];
/** Cap on attachments rendered per message, so a hostile record cannot create thousands of media elements. */
const MAX_ATTACHMENTS = 20;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function sanitizeAttachment(raw: unknown): Attachment | undefined {
  if (!isRecord(raw) || typeof raw.kind !== 'string' || !ATTACHMENT_KINDS.includes(raw.kind)) return undefined;
  return {
    kind: raw.kind as Attachment['kind'],
    url: optionalString(raw.url),
    thumbUrl: optionalString(raw.thumbUrl),
    name: optionalString(raw.name),
    mimeType: optionalString(raw.mimeType),
    size: optionalNumber(raw.size),
    width: optionalNumber(raw.width),
    height: optionalNumber(raw.height),
    durationMs: optionalNumber(raw.durationMs),
  };
}

/**
 * Returns a well-typed copy of `raw`, or undefined when it lacks what the timeline needs
 * (a key and a time). Unknown kinds pass through: the fallback renderer shows them.
 */
export function sanitizeMessage(raw: unknown): ChatMessage | undefined {
  if (!isRecord(raw)) return undefined;
  const { key, time } = raw;
  if (typeof key !== 'string' || key.length === 0 || typeof time !== 'number' || !Number.isFinite(time)) return undefined;
  // Needed to tell which conversation the message belongs to.
  const { venue, accountId, conversationId } = raw;
  if (typeof venue !== 'string' || typeof accountId !== 'string' || typeof conversationId !== 'string') return undefined;
  const direction = typeof raw.direction === 'string' && DIRECTIONS.includes(raw.direction) ? (raw.direction as ChatMessage['direction']) : 'in';
  const kind = (typeof raw.kind === 'string' ? raw.kind : 'text') as ChatMessage['kind'];
  const attachments = Array.isArray(raw.attachments)
    ? raw.attachments.slice(0, MAX_ATTACHMENTS).map(sanitizeAttachment).filter((a): a is Attachment => a !== undefined)
    : undefined;
  const gapRaw = raw.gap;
  const gap =
    isRecord(gapRaw) && typeof gapRaw.from === 'number' && typeof gapRaw.to === 'number' ? { from: gapRaw.from, to: gapRaw.to } : undefined;
  const status = typeof raw.status === 'string' && STATUSES.includes(raw.status) ? (raw.status as ChatMessage['status']) : undefined;
  return {
    key,
    venue: venue as ChatMessage['venue'],
    accountId,
    conversationId,
    venueMessageId: optionalString(raw.venueMessageId),
    clientMessageId: optionalString(raw.clientMessageId),
    direction,
    kind,
    text: optionalString(raw.text),
    attachments,
    senderName: optionalString(raw.senderName),
    time,
    rawTime: optionalString(raw.rawTime),
    status,
    failure: optionalString(raw.failure),
    gap,
  };
}

export function sanitizeMessages(raw: unknown): ChatMessage[] {
  if (!Array.isArray(raw)) return [];
  const out: ChatMessage[] = [];
  for (const item of raw) {
    const message = sanitizeMessage(item);
    if (message) out.push(message);
  }
  return out;
}
