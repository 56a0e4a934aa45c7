// How a new observation of a message combines with what the store already has
// (docs/architecture.md, Delivery): newer defined fields win, but an outgoing status never moves
// backwards.
import type { Attachment, ChatMessage, OutgoingStatus } from '../../../shared/model';
import { canonicalId } from './canonicalId';

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
 * - `sending` may go back to `queued`: only the outbox writes either, and it does so when an
 *   attempt was refused before it left (a rate limit, no connection), so it waits again, saying why.
 */
export function nextOutgoingStatus(current: OutgoingStatus | undefined, incoming: OutgoingStatus | undefined): OutgoingStatus | undefined {
  if (incoming === undefined || current === undefined) return incoming ?? current;
  if (current === 'failed') return incoming;
  if (current === 'sending' && incoming === 'queued') return incoming;
  if (incoming === 'failed') return FORWARD_RANK[current] <= FORWARD_RANK.sent ? 'failed' : current;
  return FORWARD_RANK[incoming] > FORWARD_RANK[current] ? incoming : current;
}

type MutableMessage = { -readonly [K in keyof ChatMessage]: ChatMessage[K] };

/**
 * Merges `incoming` into `existing`. Identity is kept: the existing key (a venue echo keyed by the
 * venue id merges into our pending-keyed record) and, once set, `venueMessageId` and
 * `clientMessageId` (ids that changed would leave the de-duplication indexes pointing at nothing;
 * see `conflictingIds`). `failure` survives only while the status is `failed`; on `queued` it is
 * why the message waits, and only the write that queued it can say so.
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
  // A reason only describes a failed (or waiting) message; after a retry or late success it would mislead.
  const waitingReason = status === 'queued' && incoming.status === 'queued' ? incoming.failure : undefined;
  if (status === 'queued' && waitingReason !== undefined) merged.failure = waitingReason;
  else if (status !== 'failed') delete merged.failure;
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

/** Names the identity ids `incoming` carries that differ (in canonical form) from those `existing` already has. */
export function conflictingIds(existing: ChatMessage, incoming: ChatMessage): string[] {
  const out: string[] = [];
  if (differentIds(existing.venueMessageId, incoming.venueMessageId)) out.push('venueMessageId');
  if (differentIds(existing.clientMessageId, incoming.clientMessageId)) out.push('clientMessageId');
  return out;
}

function differentIds(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && canonicalId(a) !== canonicalId(b);
}

/**
 * Why `incoming`, which carries the identity (key or id) of the stored `existing`, cannot be the
 * same message; `undefined` when it is a re-observation or a legitimate update. Fields `incoming`
 * leaves out never count (they keep the stored value).
 * - A different direction is a conflict: an incoming message never turns into an outgoing one.
 * - Two outgoing records of which one carries our client id are our send and the venue's echo of
 *   it: the venue's rendering of the content wins.
 * - A recall (`recalled`) or an edit (`edited`) from the venue may change the content.
 * - Otherwise a different kind, text or payload is a conflict, and so are attachments that differ
 *   in number, kind or venue reference (links alone may change: venues re-sign expiring URLs).
 * Status, time, sender name and the like are updates, never conflicts.
 */
export function contentConflict(existing: ChatMessage, incoming: ChatMessage): string | undefined {
  if (existing.direction !== incoming.direction) return 'direction';
  if (existing.direction === 'out' && (existing.clientMessageId !== undefined || incoming.clientMessageId !== undefined)) return undefined;
  if (incoming.recalled === true || incoming.edited === true) return undefined;
  if (existing.kind !== incoming.kind) return 'kind';
  if (existing.text !== undefined && incoming.text !== undefined && existing.text !== incoming.text) return 'text';
  if (existing.payload !== undefined && incoming.payload !== undefined && !sameValue(existing.payload, incoming.payload)) return 'payload';
  if (existing.attachments !== undefined && incoming.attachments !== undefined && !sameAttachments(existing.attachments, incoming.attachments)) return 'attachments';
  return undefined;
}

function sameAttachments(a: readonly Attachment[], b: readonly Attachment[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i];
    return y !== undefined && x.kind === y.kind && (x.ref === undefined || y.ref === undefined || x.ref === y.ref);
  });
}
