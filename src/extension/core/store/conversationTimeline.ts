// One conversation's messages kept sorted by (time, insertion sequence), so the newest page is a
// slice off the end and any page is a binary search away. New messages usually arrive last, which
// makes inserts a push.
import type { ChatMessage } from '../../../shared/model';
import { partitionPoint } from '../../../shared/partitionPoint';

export interface TimelineEntry {
  /** Insertion sequence, unique within the account; breaks ties between equal timestamps. */
  readonly seq: number;
  readonly msg: ChatMessage;
}

export interface TimelinePosition {
  readonly time: number;
  readonly seq: number;
}

export interface TimelinePage<E> {
  /** Oldest first. */
  readonly entries: E[];
  /** Position of the oldest returned entry, present only if older entries exist. */
  readonly next?: TimelinePosition;
}

function compare(aTime: number, aSeq: number, bTime: number, bSeq: number): number {
  return aTime - bTime || aSeq - bSeq;
}

export class ConversationTimeline<E extends TimelineEntry> {
  private items: E[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Bulk loading: add without ordering, then call `sort()` once. */
  pushUnsorted(entry: E): void {
    this.items.push(entry);
  }

  sort(): void {
    this.items.sort((a, b) => compare(a.msg.time, a.seq, b.msg.time, b.seq));
  }

  insert(entry: E): void {
    const last = this.items[this.items.length - 1];
    if (last === undefined || compare(last.msg.time, last.seq, entry.msg.time, entry.seq) < 0) {
      this.items.push(entry);
    } else {
      this.items.splice(this.lowerBound(entry.msg.time, entry.seq), 0, entry);
    }
  }

  /** Removes `entry`; call before changing its time, since the search uses the current one. */
  remove(entry: E): void {
    let index = this.lowerBound(entry.msg.time, entry.seq);
    if (this.items[index] !== entry) index = this.items.indexOf(entry);
    if (index >= 0) this.items.splice(index, 1);
  }

  latest(): E | undefined {
    return this.items[this.items.length - 1];
  }

  /** Up to `limit` entries strictly before `before` (or the newest ones), oldest first. */
  page(before: TimelinePosition | undefined, limit: number): TimelinePage<E> {
    const end = before === undefined ? this.items.length : this.lowerBound(before.time, before.seq);
    const start = Math.max(0, end - limit);
    const entries = this.items.slice(start, end);
    const oldest = entries[0];
    if (start === 0 || oldest === undefined) return { entries };
    return { entries, next: { time: oldest.msg.time, seq: oldest.seq } };
  }

  /** Counts entries newer than `time` that satisfy `predicate`. */
  countAfter(time: number, predicate: (entry: E) => boolean): number {
    let count = 0;
    for (let i = this.upperBoundTime(time); i < this.items.length; i++) {
      const entry = this.items[i];
      if (entry !== undefined && predicate(entry)) count++;
    }
    return count;
  }

  entries(): readonly E[] {
    return this.items;
  }

  /** First index whose (time, seq) is >= the given position. */
  private lowerBound(time: number, seq: number): number {
    return partitionPoint(this.items, (item) => compare(item.msg.time, item.seq, time, seq) < 0);
  }

  /** First index whose time is > `time`. */
  private upperBoundTime(time: number): number {
    return partitionPoint(this.items, (item) => item.msg.time <= time);
  }
}

/** Cursors are opaque to callers; today they carry the position of the oldest message shown. */
export function encodePageCursor(position: TimelinePosition): string {
  return Buffer.from(JSON.stringify([position.time, position.seq]), 'utf8').toString('base64url');
}

export function decodePageCursor(cursor: string): TimelinePosition | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [time, seq] = value as unknown[];
    if (typeof time !== 'number' || !Number.isFinite(time) || typeof seq !== 'number' || !Number.isFinite(seq)) return undefined;
    return { time, seq };
  } catch {
    return undefined;
  }
}
