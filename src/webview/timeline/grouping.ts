// Day headings and sender labels depend on neighbours: a row's labels follow from its own message
// and the message before it. A snapshot groups every row once; a live message, an update or a
// history page regroups only the rows it touched and the row after each (O(changed · log n)), so
// one message costs the same in a chat of ten rows or of a hundred thousand. When the calendar day
// has turned since the last full pass ("Today" became "Yesterday"), the next pass is a full one.
import type { ChatMessage } from '../../shared/model';
import { dayLabel, localDayKey } from './format';
import type { MessageRow } from './messageRow';

/** Messages from the same sender within this window share one name label. */
const GROUP_WINDOW_MS = 5 * 60_000;

/** Sets `row`'s day heading and sender label from the row before it (none for the first row). */
function groupRow(row: MessageRow, previousRow: MessageRow | undefined, now: number): void {
  const message = row.current;
  const previous: ChatMessage | undefined = previousRow?.current;
  const newDay = previousRow === undefined || previousRow.dayKey !== row.dayKey;
  row.setDayLabel(newDay ? dayLabel(message.time, now) : null);
  const continued =
    !newDay &&
    previous !== undefined &&
    previous.direction === message.direction &&
    previous.senderName === message.senderName &&
    previous.kind !== 'gap' &&
    previous.kind !== 'system' &&
    message.time - previous.time < GROUP_WINDOW_MS;
  row.setSenderShown(!continued);
}

/** Rows in display order, by index. */
export interface RowSequence {
  count(): number;
  rowAt(index: number): MessageRow | undefined;
}

/** Keeps the grouping of a changing list current with as little work as each change needs. */
export class Grouping {
  /** The local day of the last full pass; -1 before the first. */
  private groupedDay = -1;

  /** Groups every row (a snapshot, or the day turned). */
  all(rows: RowSequence, now: number): void {
    let previous: MessageRow | undefined;
    for (let i = 0, n = rows.count(); i < n; i++) {
      const row = rows.rowAt(i)!;
      groupRow(row, previous, now);
      previous = row;
    }
    this.groupedDay = localDayKey(now);
  }

  /** Regroups the rows at `changed` (inserted, updated or moved to there, or whose previous row changed) and the row after each. */
  around(rows: RowSequence, changed: Iterable<number>, now: number): void {
    if (localDayKey(now) !== this.groupedDay) {
      this.all(rows, now);
      return;
    }
    const dirty = new Set<number>();
    for (const i of changed) {
      dirty.add(i);
      dirty.add(i + 1);
    }
    for (const i of dirty) {
      const row = rows.rowAt(i);
      if (row) groupRow(row, i > 0 ? rows.rowAt(i - 1) : undefined, now);
    }
  }
}
