// Moving through the messages with the keyboard, in the way of an ARIA feed: each message row can
// take focus. From the list itself, ArrowUp starts at the lowest message in view and ArrowDown at
// the highest; from a message, ArrowUp/ArrowDown go to the previous/next one, PageUp/PageDown a
// screen further, Home/End to the oldest/newest loaded message. A message that is not in the
// document is mounted and scrolled to first (the timeline's focusRow), so every loaded message is
// reached. A message's own controls (a link, Reply, Retry, Save…) come next with Tab; R on a message
// starts a reply to it where the venue has replies, and Escape on one of its controls goes back to
// the message. Other keys pressed on a control inside a row are left to it.
import { type Disposable, listen } from '../lifecycle';

export type RowDirection = 'up' | 'down';

export interface RowKeyboardDeps {
  rowCount(): number;
  /** The index of the row whose own element is `element`; -1 when it is not a row. */
  indexOfRow(element: Element): number;
  /** The first and the last row in view (-1 when none). */
  firstInView(): number;
  lastInView(): number;
  /** The row about a screen above (`up`) or below (`down`) row `index`. */
  screenFrom(index: number, direction: RowDirection): number;
  /** Mounts row `index` if needed, scrolls it into view and focuses it. */
  focusRow(index: number): void;
  /** The index of the row `element` is inside of (a control in a message); -1 when none. */
  rowContaining(element: Element): number;
  /** Starts a reply to row `index`; false when that message cannot be answered. */
  reply(index: number): boolean;
}

export function listenForRowKeys(scroller: HTMLElement, deps: RowKeyboardDeps): Disposable {
  return listen(scroller, 'keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const fromList = target === scroller;
    const from = fromList ? -1 : deps.indexOfRow(target);
    if (!fromList && from < 0) {
      // Escape steps back out of a message's control to the message, so the arrows walk on from there.
      const row = event.key === 'Escape' ? deps.rowContaining(target) : -1;
      if (row >= 0) {
        event.preventDefault();
        deps.focusRow(row);
      }
      return;
    }
    const count = deps.rowCount();
    if (count === 0) return;
    let to: number;
    switch (event.key) {
      case 'ArrowUp':
        to = fromList ? deps.lastInView() : from - 1;
        break;
      case 'ArrowDown':
        to = fromList ? deps.firstInView() : from + 1;
        break;
      case 'PageUp':
      case 'PageDown':
        // From the list itself the browser scrolls a screen, as it always has.
        if (fromList) return;
        to = deps.screenFrom(from, event.key === 'PageUp' ? 'up' : 'down');
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = count - 1;
        break;
      case 'r':
      case 'R':
        if (!fromList && deps.reply(from)) event.preventDefault();
        return;
      default:
        return;
    }
    event.preventDefault();
    deps.focusRow(Math.max(0, Math.min(count - 1, to)));
  });
}
