// A batch of messages put in the order they were said, before it is stored. The store keeps
// messages of equal time in the order it wrote them, and venues hand batches over both ways round:
// history pages newest first (Bybit, Binance, MultiWA), pushes oldest first, and a burst is often
// stamped with one millisecond (or one second). Sorting by time alone would keep a newest-first
// page's equal times reversed, so such a page is turned first; where the venue numbers its
// messages (numeric ids that grow), the number decides between equal times.
import type { ChatMessage } from '../../../shared/model';

const NUMERIC_ID = /^\d{1,40}$/;

export function saidOrder<M extends Pick<ChatMessage, 'time' | 'venueMessageId'>>(messages: readonly M[]): readonly M[] {
  if (messages.length < 2 || strictlyRising(messages)) return messages; // the usual push: nothing to copy
  const newestFirst = messages[0]!.time > messages[messages.length - 1]!.time;
  const turned = newestFirst ? [...messages].reverse() : [...messages];
  // Array.prototype.sort is stable: what neither the time nor the number tells apart keeps the batch's order.
  return turned.sort((a, b) => a.time - b.time || compareVenueNumbers(a.venueMessageId, b.venueMessageId));
}

function strictlyRising(messages: readonly Pick<ChatMessage, 'time'>[]): boolean {
  for (let i = 1; i < messages.length; i++) if (messages[i - 1]!.time >= messages[i]!.time) return false;
  return true;
}

/** Numeric venue ids as numbers of any length (they exceed 2^53); 0 when either is not one. */
function compareVenueNumbers(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined || !NUMERIC_ID.test(a) || !NUMERIC_ID.test(b)) return 0;
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}
