// Day headings and sender labels depend on neighbours: one cheap pass over the rows after each
// change (string work only where a label actually changes).
import type { ChatMessage } from '../../shared/model';
import { dayLabel } from './format';
import type { MessageRow } from './messageRow';

/** Messages from the same sender within this window share one name label. */
const GROUP_WINDOW_MS = 5 * 60_000;

export function refreshGrouping(rows: Iterable<MessageRow>, now: number): void {
  let previous: ChatMessage | undefined;
  let previousDay = -1;
  for (const row of rows) {
    const message = row.current;
    const day = row.dayKey;
    const newDay = day !== previousDay;
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
    previous = message;
    previousDay = day;
  }
}
