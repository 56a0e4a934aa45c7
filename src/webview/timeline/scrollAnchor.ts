// Keeping the reader's place: before the list changes we note the row the reader is looking at and
// its offset from the top of the viewport; afterwards the list is scrolled so that row sits at the
// same offset again (RowWindow.anchor / restore). Works for prepended history, reordered rows,
// rows that grew and rows guessed before they were measured, without browser scroll anchoring.
import type { TimelineEntry } from './messageStore';

/** Within this many pixels of the end the list counts as "at the newest message". */
export const BOTTOM_THRESHOLD_PX = 32;

export interface ScrollAnchor {
  readonly entry: TimelineEntry;
  /** Top edge of the row relative to the scroller's top edge. */
  readonly offset: number;
}

export function distanceFromBottom(scroller: HTMLElement): number {
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
}

export function isAtBottom(scroller: HTMLElement): boolean {
  return distanceFromBottom(scroller) <= BOTTOM_THRESHOLD_PX;
}

export function scrollToBottom(scroller: HTMLElement): void {
  scroller.scrollTop = scroller.scrollHeight;
}
