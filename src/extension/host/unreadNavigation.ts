// Which conversation the keyboard's "next unread" and "reply to the latest unread" go to. Pure: the
// command gives the conversations in the tree's order, so "next" means the row a person would reach
// going down the inbox.

export interface ConversationRef {
  readonly accountId: string;
  readonly conversationId: string;
}

export interface UnreadCandidate extends ConversationRef {
  readonly unread: number;
  /** UTC ms of the conversation's newest incoming message, when one is stored. */
  readonly newestIncoming?: number;
  /** UTC ms of the newest message or order event (used when no incoming message is known). */
  readonly lastActivity: number;
}

const same = (a: ConversationRef, b: ConversationRef): boolean => a.accountId === b.accountId && a.conversationId === b.conversationId;

/**
 * The first conversation with unread messages after `current` in inbox order, wrapping around to
 * the top; `current` itself only when it is the one unread conversation left.
 */
export function nextUnread(ordered: readonly UnreadCandidate[], current?: ConversationRef): ConversationRef | undefined {
  const at = current ? ordered.findIndex((c) => same(c, current)) : -1;
  for (let step = 1; step <= ordered.length; step++) {
    const candidate = ordered[(at + step + ordered.length) % ordered.length]!;
    if (candidate.unread > 0) return { accountId: candidate.accountId, conversationId: candidate.conversationId };
  }
  return undefined;
}

/**
 * The conversation whose newest unread incoming message is the most recent (the one a person
 * answering in order of arrival would take last, and the one that just pinged). Ties go to the
 * earlier row.
 */
export function latestUnread(ordered: readonly UnreadCandidate[]): ConversationRef | undefined {
  let best: UnreadCandidate | undefined;
  for (const c of ordered) {
    if (c.unread <= 0) continue;
    if (best === undefined || timeOf(c) > timeOf(best)) best = c;
  }
  return best && { accountId: best.accountId, conversationId: best.conversationId };
}

function timeOf(c: UnreadCandidate): number {
  return c.newestIncoming ?? c.lastActivity;
}
