// The read mark sent to venues, derived from stored messages.
import type { Conversation } from '../../../shared/model';
import type { MessageStore } from '../store/messageStore';

/** Venue ids sent with one read mark (venues that mark by id take the newest ones). */
const MAX_READ_IDS = 100;

export interface ReadMarkPlan {
  /** The time the user has read up to. */
  readonly time: number;
  /** Venue ids of incoming messages newly read (newest last, at most MAX_READ_IDS). */
  readonly venueMessageIds: string[];
  /** Time of the newest incoming message stored, if any. */
  readonly newestIncoming?: number;
}

export function readMarkFor(store: MessageStore, c: Conversation, upTo: number | undefined): ReadMarkPlan {
  const latest = store.latest(c.accountId, c.conversationId);
  const time = upTo ?? Math.max(latest?.time ?? 0, c.lastActivity);
  const since = c.readUpTo ?? -Infinity;
  const ids: string[] = [];
  let newestIncoming: number | undefined;
  let before: string | undefined;
  // Walk back from the newest page until we pass the previous read mark.
  for (let pages = 0; pages < 20; pages++) {
    const page = store.page(c.accountId, c.conversationId, { before, limit: 100 });
    for (let i = page.messages.length - 1; i >= 0; i--) {
      const m = page.messages[i]!;
      if (m.direction !== 'in') continue;
      if (newestIncoming === undefined) newestIncoming = m.time;
      if (m.time <= since) return { time, venueMessageIds: ids.reverse(), newestIncoming };
      if (m.time <= time && m.venueMessageId && ids.length < MAX_READ_IDS) ids.push(m.venueMessageId);
    }
    if (!page.before || page.messages.length === 0) break;
    before = page.before;
  }
  return { time, venueMessageIds: ids.reverse(), newestIncoming };
}
