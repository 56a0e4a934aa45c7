// A `recall` message names the message its sender withdrew (model.ts). The withdrawn message is
// marked `recalled` wherever it is known, later in the same batch or already in the store, so the
// pane, previews and replies stop showing what it said (it may have been a wrong payment detail).
// Only a message of the recall's own sender side is withdrawn: a counterparty cannot withdraw ours.
// A target that arrives after its recall stays as it is (the venues deliver in order).
import type { ChatMessage } from '../../../shared/model';
import { canonicalId } from '../store/canonicalId';

/** Finds a stored message by its venue id (MessageStore.findByVenueMessageId). */
export type StoredLookup = (accountId: string, conversationId: string, venueMessageId: string) => ChatMessage | undefined;

interface Withdrawal {
  readonly accountId: string;
  readonly conversationId: string;
  readonly target: string;
  readonly direction: ChatMessage['direction'];
}

const slot = (accountId: string, conversationId: string, venueMessageId: string): string => `${accountId}\n${conversationId}\n${canonicalId(venueMessageId)}`;

function withdrawable(message: ChatMessage, withdrawal: Withdrawal): boolean {
  return message.kind !== 'recall' && message.recalled !== true && message.direction === withdrawal.direction;
}

/**
 * `messages` with every message a recall in it names marked `recalled`; a target found only in the
 * store is appended as the stored record marked `recalled` (the merge lets a recall change content).
 */
export function withRecallsMarked(messages: readonly ChatMessage[], stored: StoredLookup): readonly ChatMessage[] {
  const withdrawals = new Map<string, Withdrawal>();
  for (const m of messages) {
    if (m.kind !== 'recall' || m.payload?.type !== 'recall' || m.direction === 'system') continue;
    const w: Withdrawal = { accountId: m.accountId, conversationId: m.conversationId, target: m.payload.targetVenueMessageId, direction: m.direction };
    withdrawals.set(slot(w.accountId, w.conversationId, w.target), w);
  }
  if (withdrawals.size === 0) return messages; // the usual batch: nothing to copy
  const found = new Set<string>();
  const out = messages.map((m) => {
    if (m.venueMessageId === undefined) return m;
    const key = slot(m.accountId, m.conversationId, m.venueMessageId);
    const w = withdrawals.get(key);
    if (!w || !withdrawable(m, w)) return m;
    found.add(key);
    return { ...m, recalled: true };
  });
  for (const [key, w] of withdrawals) {
    if (found.has(key)) continue;
    const target = stored(w.accountId, w.conversationId, w.target);
    if (target && withdrawable(target, w)) out.push({ ...target, recalled: true });
  }
  return out;
}
