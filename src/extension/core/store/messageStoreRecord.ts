// The lines of a per-account message log. Replaying them in order rebuilds the store:
// a message line replaces the message with its key; a merge line retires a duplicate.
import type { ChatMessage } from '../../../shared/model';
import { isChatMessage } from '../../../shared/messageValidator';

/** The full, merged message as of this line. `s` is its insertion sequence (paging tie-break). */
export interface StoredMessageRecord {
  readonly s: number;
  readonly m: ChatMessage;
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

export type StoreRecord = StoredMessageRecord | StoredMergeRecord;

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
    if (!isChatMessage(o.m)) return undefined;
    return { s: o.s, m: o.m };
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
