// How a new observation of a message combines with what the store already has (design.md §5):
// newer defined fields win, but an outgoing status never moves backwards.
import type { ChatMessage, OutgoingStatus } from '../../../shared/model';

const FORWARD_RANK: Record<Exclude<OutgoingStatus, 'failed'>, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  confirmed: 3,
  delivered: 4,
  read: 5,
};

/**
 * The status after `incoming` is observed on a message that has `current`.
 * - Forward along queued < sending < sent < confirmed < delivered < read only; late events lose.
 * - `failed` can replace queued/sending/sent; once the venue has confirmed it, a failure is stale.
 * - From `failed` anything goes: queued/sending is a retry, sent and later is evidence it landed.
 */
export function nextOutgoingStatus(current: OutgoingStatus | undefined, incoming: OutgoingStatus | undefined): OutgoingStatus | undefined {
  if (incoming === undefined || current === undefined) return incoming ?? current;
  if (current === 'failed') return incoming;
  if (incoming === 'failed') return FORWARD_RANK[current] <= FORWARD_RANK.sent ? 'failed' : current;
  return FORWARD_RANK[incoming] > FORWARD_RANK[current] ? incoming : current;
}

type MutableMessage = { -readonly [K in keyof ChatMessage]: ChatMessage[K] };

/** A copy without `undefined`-valued fields, so stored records and equality checks stay canonical. */
export function withoutUndefined(message: ChatMessage): ChatMessage {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(message)) {
    if (value !== undefined) out[field] = value;
  }
  return out as unknown as ChatMessage;
}

/**
 * Merges `incoming` into `existing`. Identity is kept: the existing key (a venue echo keyed by the
 * venue id merges into our pending-keyed record) and, once set, `venueMessageId` and
 * `clientMessageId` (ids that changed would leave the de-duplication indexes pointing at nothing;
 * see `conflictingIds`). `failure` survives only while the status is `failed`.
 */
export interface MergeOptions {
  /** The incoming status is the venue's final word (a failure reported after acceptance): it replaces the stored one. */
  readonly overrideStatus?: boolean;
}

export function mergeMessage(existing: ChatMessage, incoming: ChatMessage, options: MergeOptions = {}): ChatMessage {
  const merged: MutableMessage = { ...existing };
  const target = merged as Record<string, unknown>;
  for (const [field, value] of Object.entries(incoming)) {
    if (value !== undefined) target[field] = value;
  }
  merged.key = existing.key;
  if (existing.venueMessageId !== undefined) merged.venueMessageId = existing.venueMessageId;
  if (existing.clientMessageId !== undefined) merged.clientMessageId = existing.clientMessageId;
  const status = options.overrideStatus && incoming.status !== undefined ? incoming.status : nextOutgoingStatus(existing.status, incoming.status);
  if (status === undefined) delete merged.status;
  else merged.status = status;
  // A reason only describes a failed message; after a retry or late success it would mislead.
  if (status !== 'failed') delete merged.failure;
  return merged;
}

/** Structural equality of JSON-like values; `undefined` fields count as absent. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameValue(item, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const aKeys = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bKeys = Object.keys(bo).filter((k) => bo[k] !== undefined);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((k) => sameValue(ao[k], bo[k]));
}

/** Names the identity ids `incoming` carries that differ from those `existing` already has. */
export function conflictingIds(existing: ChatMessage, incoming: ChatMessage): string[] {
  const out: string[] = [];
  if (existing.venueMessageId !== undefined && incoming.venueMessageId !== undefined && existing.venueMessageId !== incoming.venueMessageId) {
    out.push('venueMessageId');
  }
  if (existing.clientMessageId !== undefined && incoming.clientMessageId !== undefined && existing.clientMessageId !== incoming.clientMessageId) {
    out.push('clientMessageId');
  }
  return out;
}
