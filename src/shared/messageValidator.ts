// Runtime check of a ChatMessage, used on every upsert and on every line read back from the store,
// so that a message accepted today is never silently dropped at the next start.
import type { AttachmentKind, ChatMessage, MessageDirection, MessageKind, OutgoingStatus, VenueId } from './model';
import { VENUE_IDS } from './model';

// `satisfies Record<Union, true>` makes the compiler flag a kind added to model.ts but not here.
const DIRECTIONS = { in: true, out: true, system: true } satisfies Record<MessageDirection, true>;
const KINDS = {
  text: true, markdown: true, image: true, video: true, audio: true, file: true, sticker: true, contact: true,
  location: true, card: true, buttons: true, live: true, system: true, recall: true, gap: true,
} satisfies Record<MessageKind, true>;
const STATUSES = {
  queued: true, sending: true, sent: true, confirmed: true, delivered: true, read: true, failed: true,
} satisfies Record<OutgoingStatus, true>;
const ATTACHMENT_KINDS = { image: true, video: true, audio: true, file: true } satisfies Record<AttachmentKind, true>;
const VENUES: ReadonlySet<string> = new Set<VenueId>(VENUE_IDS);

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function optional(o: Fields, field: string, check: (v: unknown) => boolean): boolean {
  return o[field] === undefined || check(o[field]);
}

const isString = (v: unknown): boolean => typeof v === 'string';
const isFiniteNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const oneOf = (table: Record<string, true>) => (v: unknown): boolean => typeof v === 'string' && Object.hasOwn(table, v);

function attachmentProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'attachment is not an object';
  if (!oneOf(ATTACHMENT_KINDS)(value.kind)) return 'attachment kind is unknown';
  for (const field of ['url', 'thumbUrl', 'name', 'mimeType']) {
    if (!optional(value, field, isString)) return `attachment ${field} is not a string`;
  }
  for (const field of ['size', 'width', 'height', 'durationMs']) {
    if (!optional(value, field, isFiniteNumber)) return `attachment ${field} is not a number`;
  }
  return undefined;
}

/** Describes the first thing wrong with `value` as a ChatMessage, or `undefined` if it is one. */
export function chatMessageProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not an object';
  for (const field of ['key', 'accountId', 'conversationId']) {
    if (!isNonEmptyString(value[field])) return `${field} is not a non-empty string`;
  }
  if (typeof value.venue !== 'string' || !VENUES.has(value.venue)) return 'venue is unknown';
  // Empty ids would make unrelated messages look like duplicates of each other.
  for (const field of ['venueMessageId', 'clientMessageId']) {
    if (!optional(value, field, isNonEmptyString)) return `${field} is not a non-empty string`;
  }
  if (!oneOf(DIRECTIONS)(value.direction)) return 'direction is unknown';
  if (!oneOf(KINDS)(value.kind)) return 'kind is unknown';
  if (!isFiniteNumber(value.time)) return 'time is not a finite number';
  for (const field of ['text', 'senderName', 'rawTime', 'failure']) {
    if (!optional(value, field, isString)) return `${field} is not a string`;
  }
  if (!optional(value, 'status', oneOf(STATUSES))) return 'status is unknown';
  if (!optional(value, 'edited', (v) => typeof v === 'boolean')) return 'edited is not a boolean';
  if (!optional(value, 'conflictOf', isNonEmptyString)) return 'conflictOf is not a non-empty string';
  if (value.attachments !== undefined) {
    if (!Array.isArray(value.attachments)) return 'attachments is not an array';
    for (const attachment of value.attachments) {
      const problem = attachmentProblem(attachment);
      if (problem) return problem;
    }
  }
  if (value.gap !== undefined) {
    if (!isRecord(value.gap) || !isFiniteNumber(value.gap.from) || !isFiniteNumber(value.gap.to)) {
      return 'gap is not { from, to }';
    }
  }
  return undefined;
}

export function isChatMessage(value: unknown): value is ChatMessage {
  return chatMessageProblem(value) === undefined;
}
