// How far each Bybit chat has been read (docs/venue-protocols.md, Bybit: no push, history newest
// first by page). A poll reads the newest page, and pages back until it reaches the last message it
// delivered (the mark), so a chat that got more than a page of messages between two polls (a busy
// trader, a poll held back by 10006 or a 5xx) has no hole. The mark of what the hub has durably
// stored is kept in the account's state: after a restart the first read pages back to it, so what
// was said while VS Code was closed arrives too. Ids are compared only within one chat API
// generation (the two may number messages differently); across a switch the time decides.
import type { ChatMessage } from '../../../shared/model';
import type { AccountStateStore } from '../descriptor';
import { compareIds } from '../messageIds';
import type { ChatGenerationId } from './chatGeneration';

export interface ChatMark {
  readonly id: string;
  /** The message's createDate (ms). */
  readonly time: number;
  readonly generation: ChatGenerationId;
}

const STATE_KEY = 'bybit.chatMarks';
/** Marks kept in the account state (the newest ones): the state is size-capped. */
const MAX_SAVED = 100;

/** Whether `m` (read through `generation`) is newer than the mark. */
export function isAfterMark(m: { readonly id: string; readonly time: number }, mark: ChatMark, generation: ChatGenerationId): boolean {
  // Across a switch, a message in the mark's own millisecond counts as newer: delivered twice it is
  // one stored message (same key), skipped it would be lost.
  return generation === mark.generation ? compareIds(m.id, mark.id) > 0 : m.time >= mark.time;
}

/** Whether a page (newest first, any order) reaches back to the mark: nothing older is missing. */
export function reachesMark(items: readonly { readonly id: string; readonly createDate: number }[], mark: ChatMark, generation: ChatGenerationId): boolean {
  return items.some((f) => f.createDate < mark.time || (generation === mark.generation && compareIds(f.id, mark.id) <= 0));
}

/** The newest of `items` as a mark, or `current` when none is newer. */
export function newestMark(items: readonly ChatMessage[], generation: ChatGenerationId, current: ChatMark | undefined): ChatMark | undefined {
  let mark = current;
  for (const m of items) {
    if (!m.venueMessageId) continue;
    const candidate = { id: m.venueMessageId, time: m.time };
    if (mark === undefined || isAfterMark(candidate, mark, generation)) mark = { ...candidate, generation };
  }
  return mark;
}

interface Delivery {
  readonly keys: ReadonlySet<string>;
  readonly mark: ChatMark;
}

/**
 * The marks of what the hub has stored, per conversation. A poll's delivery (everything from the
 * previous mark to its newest message, so without a hole) moves the saved mark once the hub says
 * it is stored; a delivery lost with the process leaves the mark where it was.
 */
export class SavedChatMarks {
  private readonly saved = new Map<string, ChatMark>();
  private readonly pending = new Map<string, Delivery[]>();

  constructor(private readonly state: AccountStateStore | undefined) {
    const raw = state?.get(STATE_KEY);
    if (typeof raw !== 'object' || raw === null) return;
    for (const [conversationId, value] of Object.entries(raw as Record<string, unknown>)) {
      const mark = markOf(value);
      if (mark) this.saved.set(conversationId, mark);
    }
  }

  get(conversationId: string): ChatMark | undefined {
    return this.saved.get(conversationId);
  }

  /** A poll handed these messages over, reaching back to the conversation's mark. */
  delivered(conversationId: string, messages: readonly ChatMessage[], mark: ChatMark): void {
    const list = this.pending.get(conversationId) ?? [];
    list.push({ keys: new Set(messages.map((m) => m.key)), mark });
    this.pending.set(conversationId, list);
  }

  /** The hub stored these: deliveries up to the newest one stored move the saved mark. */
  stored(messages: readonly ChatMessage[]): void {
    const byConversation = new Map<string, Set<string>>();
    for (const m of messages) {
      const keys = byConversation.get(m.conversationId) ?? new Set<string>();
      keys.add(m.key);
      byConversation.set(m.conversationId, keys);
    }
    let changed = false;
    for (const [conversationId, keys] of byConversation) {
      const list = this.pending.get(conversationId);
      if (!list) continue;
      // The hub stores deliveries in the order they were handed over: one stored means the earlier
      // ones were stored too (or refused as bad input, which no re-read would change).
      let last = -1;
      list.forEach((d, i) => {
        for (const k of keys) if (d.keys.has(k)) last = i;
      });
      if (last < 0) continue;
      const done = list.splice(0, last + 1);
      if (list.length === 0) this.pending.delete(conversationId);
      const mark = done[done.length - 1]!.mark;
      const before = this.saved.get(conversationId);
      if (before === undefined || isAfterMark(mark, before, mark.generation)) {
        this.saved.set(conversationId, mark);
        changed = true;
      }
    }
    if (changed) void this.save();
  }

  private async save(): Promise<void> {
    if (!this.state) return;
    const newest = [...this.saved].sort((a, b) => b[1].time - a[1].time).slice(0, MAX_SAVED);
    await this.state.set(STATE_KEY, Object.fromEntries(newest)).catch(() => undefined);
  }
}

function markOf(value: unknown): ChatMark | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, time, generation } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof time !== 'number' || !Number.isFinite(time)) return undefined;
  if (generation !== 'order' && generation !== 'session') return undefined;
  return { id, time, generation };
}
