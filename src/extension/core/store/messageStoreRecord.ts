// The lines of a conversation's message log. Replaying them in order rebuilds the conversation:
// a message line replaces the message with its key; a merge line retires a duplicate. The first
// line names the account and conversation the file belongs to (file names are hashes).
import type { ChatMessage } from '../../../shared/model';
import { isChatMessage } from '../../../shared/messageValidator';

/** The first line of every conversation log (`h` is the layout version). */
export interface ConversationHeaderRecord {
  readonly h: 2;
  readonly a: string;
  readonly c: string;
}

/**
 * The full, merged message as of this line. `s` is its insertion sequence (paging tie-break). `w`
 * (watermark) is the newest `m.time` of every message line before this one in the file
 * (NO_WATERMARK when there is none): reading the file backwards, once `limit` messages newer than
 * a line's watermark are found, nothing before that line can be among the newest `limit`, so the
 * newest page is read from the end of the file without reading the rest. Lines without `w` (written
 * by hand, or damaged and repaired) only make that reader read further.
 */
export interface StoredMessageRecord {
  readonly s: number;
  readonly m: ChatMessage;
  readonly w?: number;
}

/**
 * Message `alias` turned out to be a duplicate of `to` and was merged into it; lookups by the
 * alias key (and by its venue/client ids `v`/`c`) lead to `to` from now on.
 */
export interface StoredMergeRecord {
  readonly alias: string;
  readonly to: string;
  readonly v?: string;
  readonly c?: string;
}

export type StoreRecord = ConversationHeaderRecord | StoredMessageRecord | StoredMergeRecord;

/** The watermark of a line with no message line before it. */
export const NO_WATERMARK = Number.MIN_SAFE_INTEGER;

export function conversationHeader(accountId: string, conversationId: string): ConversationHeaderRecord {
  return { h: 2, a: accountId, c: conversationId };
}

export function isHeaderRecord(record: StoreRecord): record is ConversationHeaderRecord {
  return 'h' in record;
}

export function isMessageRecord(record: StoreRecord): record is StoredMessageRecord {
  return 'm' in record;
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && value.length > 0);
}

export function parseStoreRecord(value: unknown): StoreRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Record<string, unknown>;
  if ('m' in o) {
    if (typeof o.s !== 'number' || !Number.isSafeInteger(o.s) || o.s < 0) return undefined;
    if (o.w !== undefined && (typeof o.w !== 'number' || !Number.isFinite(o.w))) return undefined;
    if (!isChatMessage(o.m)) return undefined;
    return o.w === undefined ? { s: o.s, m: o.m } : { s: o.s, m: o.m, w: o.w };
  }
  if ('h' in o) {
    if (o.h !== 2 || typeof o.a !== 'string' || typeof o.c !== 'string') return undefined;
    return conversationHeader(o.a, o.c);
  }
  if (typeof o.alias === 'string' && o.alias.length > 0 && typeof o.to === 'string' && o.to.length > 0) {
    if (!isOptionalString(o.v) || !isOptionalString(o.c)) return undefined;
    const record: { alias: string; to: string; v?: string; c?: string } = { alias: o.alias, to: o.to };
    if (typeof o.v === 'string') record.v = o.v;
    if (typeof o.c === 'string') record.c = o.c;
    return record;
  }
  return undefined;
}

/**
 * `records` as they go into a log after a line whose watermark context is `after` (the newest
 * message time written before them): each message line gets its watermark, other lines pass.
 */
export function withWatermarks(records: readonly StoreRecord[], after: number): StoreRecord[] {
  let watermark = after;
  return records.map((r) => {
    if (!isMessageRecord(r)) return r;
    const stamped: StoredMessageRecord = { s: r.s, m: r.m, w: watermark };
    watermark = Math.max(watermark, r.m.time);
    return stamped;
  });
}
