// The loaded messages in display order (time, then arrival order), indexed by key and by client
// message id. A pending message is re-keyed when the venue assigns its id (`c:<clientId>` →
// venue id): the client id index finds the existing row, so it is updated rather than duplicated.
import type { ChatMessage } from '../../shared/model';
import type { MessageRow } from './messageRow';
import { partitionPoint } from '../../shared/partitionPoint';

export interface TimelineEntry {
  readonly row: MessageRow;
  /** Tie-break among equal times: live arrivals count up, history pages count down. */
  seq: number;
}

function timeOf(entry: TimelineEntry): number {
  return entry.row.current.time;
}

function compare(a: TimelineEntry, b: TimelineEntry): number {
  return timeOf(a) - timeOf(b) || a.seq - b.seq;
}

export class MessageStore {
  private readonly entries: TimelineEntry[] = [];
  private readonly byKey = new Map<string, TimelineEntry>();
  private readonly byClientId = new Map<string, TimelineEntry>();
  private highSeq = 0;
  private lowSeq = 0;

  get length(): number {
    return this.entries.length;
  }

  at(index: number): TimelineEntry | undefined {
    return this.entries[index];
  }

  all(): readonly TimelineEntry[] {
    return this.entries;
  }

  oldest(): TimelineEntry | undefined {
    return this.entries[0];
  }

  newest(): TimelineEntry | undefined {
    return this.entries[this.entries.length - 1];
  }

  /** The entry `message` is a version of: same key, or same client id (before/after re-keying). */
  find(message: ChatMessage): TimelineEntry | undefined {
    const byKey = this.byKey.get(message.key);
    if (byKey) return byKey;
    return message.clientMessageId !== undefined ? this.byClientId.get(message.clientMessageId) : undefined;
  }

  getByKey(key: string): TimelineEntry | undefined {
    return this.byKey.get(key);
  }

  getByClientId(clientMessageId: string): TimelineEntry | undefined {
    return this.byClientId.get(clientMessageId);
  }

  nextLiveSeq(): number {
    return ++this.highSeq;
  }

  /** Sequence numbers for a page of `count` older messages, oldest first, all below every existing one. */
  reserveHistorySeqs(count: number): number {
    this.lowSeq -= count;
    return this.lowSeq;
  }

  /** Where `entry` is now (O(log n): the order is a total one, by time then seq); -1 when it is not loaded. */
  indexOf(entry: TimelineEntry): number {
    const at = partitionPoint(this.entries, (probe) => compare(probe, entry) < 0);
    if (this.entries[at] === entry) return at;
    // An entry whose time changed is found only where it used to be: look it up directly.
    return this.entries.indexOf(entry);
  }

  /** Inserts a new entry in order; returns its index. */
  insert(entry: TimelineEntry): number {
    const index = this.upperBound(entry);
    this.entries.splice(index, 0, entry);
    this.index(entry);
    return index;
  }

  /**
   * Puts a page of entries in front in one step when all of them are older than everything loaded
   * (the usual page of history); returns false, and changes nothing, otherwise.
   */
  prepend(page: TimelineEntry[]): boolean {
    if (page.length === 0) return true;
    page.sort(compare);
    const first = this.entries[0];
    if (first && compare(page[page.length - 1]!, first) >= 0) return false;
    this.entries.unshift(...page);
    for (const entry of page) this.index(entry);
    return true;
  }

  /** Re-indexes an entry whose message changed (key, client id or time). Returns its new index when it moved. */
  updated(entry: TimelineEntry, previous: ChatMessage): number | undefined {
    const current = entry.row.current;
    if (previous.key !== current.key && this.byKey.get(previous.key) === entry) this.byKey.delete(previous.key);
    if (previous.clientMessageId !== undefined && previous.clientMessageId !== current.clientMessageId && this.byClientId.get(previous.clientMessageId) === entry) {
      this.byClientId.delete(previous.clientMessageId);
    }
    this.index(entry);
    if (previous.time === current.time) return undefined;
    const at = this.entries.indexOf(entry);
    if (at < 0) return undefined;
    const before = this.entries[at - 1];
    const after = this.entries[at + 1];
    if ((!before || compare(before, entry) <= 0) && (!after || compare(entry, after) <= 0)) return undefined;
    this.entries.splice(at, 1);
    const index = this.upperBound(entry);
    this.entries.splice(index, 0, entry);
    return index;
  }

  clear(): void {
    this.entries.length = 0;
    this.byKey.clear();
    this.byClientId.clear();
    this.highSeq = 0;
    this.lowSeq = 0;
  }

  private index(entry: TimelineEntry): void {
    const message = entry.row.current;
    this.byKey.set(message.key, entry);
    if (message.clientMessageId !== undefined) this.byClientId.set(message.clientMessageId, entry);
  }

  private upperBound(entry: TimelineEntry): number {
    return partitionPoint(this.entries, (probe) => compare(probe, entry) <= 0);
  }
}
