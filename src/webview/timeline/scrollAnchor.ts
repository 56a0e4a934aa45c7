// Keeping the reader's place: before the list changes we note the topmost visible row and its
// offset, afterwards we scroll so that row sits at the same offset again. Works for prepended
// history, reordered rows and rows that grew, without depending on browser scroll anchoring.

/** Within this many pixels of the end the list counts as "at the newest message". */
export const BOTTOM_THRESHOLD_PX = 32;

export interface ScrollAnchor {
  readonly element: HTMLElement;
  /** Top edge of the element relative to the scroller's top edge. */
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

/**
 * The first row whose top edge is inside the viewport: the row the reader is looking at. A row that
 * starts inside the viewport is a stable anchor: a partly hidden row above it may still change
 * height (first render, late image) without moving it. Searches chunks first, so rows in chunks
 * the browser skipped are never forced through layout.
 */
export function findAnchorRow(scroller: HTMLElement, chunks: HTMLCollection): HTMLElement | undefined {
  const top = scroller.getBoundingClientRect().top - 0.5;
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const chunk = chunks[mid];
    if (chunk && chunk.getBoundingClientRect().bottom <= top) lo = mid + 1;
    else hi = mid;
  }
  // Chunk `lo` is the first one reaching into the viewport; the anchor is in it or starts the next.
  for (let c = lo; c < chunks.length; c++) {
    const rows = chunks[c]?.children;
    if (!rows) continue;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as HTMLElement;
      if (row.getBoundingClientRect().top >= top) return row;
    }
    if (c > lo) break;
  }
  // One tall row covers the whole viewport (or the list ends above it): anchor on the last row seen.
  const last = chunks[Math.min(lo, chunks.length - 1)];
  return (last?.lastElementChild as HTMLElement | null) ?? undefined;
}

export function captureAnchor(scroller: HTMLElement, chunks: HTMLCollection): ScrollAnchor | undefined {
  const element = findAnchorRow(scroller, chunks);
  if (!element) return undefined;
  return { element, offset: element.getBoundingClientRect().top - scroller.getBoundingClientRect().top };
}

/** Puts `anchor.element` back at its recorded offset. No-op when the element left the list. */
export function restoreAnchor(scroller: HTMLElement, anchor: ScrollAnchor): void {
  if (!anchor.element.isConnected) return;
  const offset = anchor.element.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
  const delta = offset - anchor.offset;
  if (delta !== 0) scroller.scrollTop += delta;
}
