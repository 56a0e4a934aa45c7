// The virtualised list: only the rows around the viewport are in the document, between two spacers
// that stand in for the rows above and below them. Every loaded message keeps its place in the
// MessageStore; here a HeightIndex holds each row's height (measured once the row has been in the
// document, guessed before), so the spacers' sizes and the rows of any scroll position are found in
// O(log n) without touching the rows. A ResizeObserver notices mounted rows that change size later
// (an image or a video poster that loads late, a rebuilt bubble).
//
// A short chat (up to MOUNT_ALL_UP_TO rows) is mounted whole: nothing to gain by windowing it, and
// the browser's find (Ctrl+F) then sees all of it. In a longer one, find sees the mounted rows only.
import * as l10n from '@vscode/l10n';
import type { Disposable } from '../lifecycle';
import { el } from '../dom';
import { HeightEstimates } from './heightEstimates';
import { HeightIndex } from './heightIndex';
import type { MessageStore, TimelineEntry } from './messageStore';
import type { ScrollAnchor } from './scrollAnchor';

/** A chat this short is mounted whole. */
export const MOUNT_ALL_UP_TO = 150;
/** Rows kept above and below the viewport: a screen, at least this much. */
const MIN_OVERSCAN_PX = 600;
/** After a jump, rows kept above and below the viewport until the reader scrolls again (px). */
const JUMP_OVERSCAN_PX = 150;
/** Never more rows than this in the document, however small they are. */
export const MAX_MOUNTED = 600;

export interface RowWindowDeps {
  /** Mounted rows changed size after they were placed: the reader's place needs putting back. */
  onRowsResized(): void;
  /** The row holding the focus is about to leave the document. */
  onFocusedRowLeaving(): void;
  /** `aria-setsize` of the rows: how many are loaded, or -1 while older history may exist. */
  setSize(): number;
}

export class RowWindow implements Disposable {
  /** The rows and the two spacers; a feed of articles to assistive technology. */
  readonly list: HTMLElement;
  private readonly above: HTMLElement;
  private readonly below: HTMLElement;
  private readonly heights = new HeightIndex();
  private readonly estimates = new HeightEstimates();
  /** The mounted rows, in order: the store's rows [start, start + rows.length). */
  private rows: TimelineEntry[] = [];
  private start = 0;
  private readonly entryOf = new Map<Element, TimelineEntry>();
  /** Mounted rows whose height is not known yet (new, or their content changed). */
  private readonly unmeasured = new Set<TimelineEntry>();
  private readonly resizes: ResizeObserver;
  private spacerSizes: [number, number] = [-1, -1];
  /** What the mounted rows' aria-posinset/aria-setsize were last written for; stale once rows come, go or move. */
  private positionsWritten = { start: -1, size: 0, stale: true };

  constructor(
    private readonly scroller: HTMLElement,
    private readonly store: MessageStore,
    private readonly deps: RowWindowDeps,
  ) {
    this.above = el('div', { className: 'timeline__spacer', attrs: { 'aria-hidden': 'true' } });
    this.below = el('div', { className: 'timeline__spacer', attrs: { 'aria-hidden': 'true' } });
    this.list = el('div', { className: 'timeline__list', attrs: { role: 'feed', 'aria-label': l10n.t({ message: 'Messages', comment: ['The list of messages (a feed)'] }), 'aria-busy': 'false' } }, [this.above, this.below]);
    // Observations arrive after layout and before paint, so the reader's place is put back unseen.
    this.resizes = new ResizeObserver((entries) => this.onResize(entries));
  }

  /** The store's index one past the last mounted row. */
  get end(): number {
    return this.start + this.rows.length;
  }

  /** The mounted rows, in order. */
  get mounted(): readonly TimelineEntry[] {
    return this.rows;
  }

  /** The entry whose element `element` is (or is inside), if that row is mounted. */
  entryFor(element: Element | null): TimelineEntry | undefined {
    const row = element?.closest('.msg');
    return row ? this.entryOf.get(row) : undefined;
  }

  /** Starts over from the store (a snapshot): nothing mounted, every height guessed. */
  reset(): void {
    this.unmountAll();
    this.start = 0;
    const entries = this.store.all();
    const guesses = new Float64Array(entries.length);
    for (let i = 0; i < entries.length; i++) guesses[i] = this.estimates.estimate(entries[i]!.row.current);
    this.heights.reset(guesses);
    this.updateSpacers();
  }

  /** The store has new rows at [index, index + count). A row inside the window is mounted at once; others wait in the spacers. */
  inserted(index: number, count: number): void {
    const guesses = new Float64Array(count);
    for (let i = 0; i < count; i++) guesses[i] = this.estimates.estimate(this.store.at(index + i)!.row.current);
    this.heights.insert(index, guesses);
    if (index <= this.start || this.rows.length === 0) {
      this.start += count;
      return;
    }
    if (index >= this.end) return;
    const next = this.rows[index - this.start]!.row.element!;
    const added: TimelineEntry[] = [];
    for (let i = 0; i < count; i++) {
      const entry = this.store.at(index + i)!;
      next.before(this.mount(entry));
      added.push(entry);
    }
    this.rows.splice(index - this.start, 0, ...added);
  }

  /** The store moved the row at `from` to `to` (its time changed). Its element moves with it while both places are in the window. */
  moved(from: number, to: number): void {
    if (from === to) return;
    this.heights.move(from, to);
    const entry = this.store.at(to)!;
    const wasMounted = from >= this.start && from < this.end;
    this.positionsWritten.stale = true;
    if (wasMounted) this.rows.splice(from - this.start, 1);
    else if (from < this.start) this.start--;
    // A mounted row may stay at either edge of the window; another joins it only strictly inside.
    const inside = this.rows.length > 0 && (wasMounted ? to >= this.start && to <= this.end : to > this.start && to < this.end);
    if (!inside) {
      if (wasMounted) this.unmount(entry);
      if (to <= this.start) this.start++;
      return;
    }
    const element = wasMounted ? entry.row.element! : this.mount(entry);
    (this.rows[to - this.start]?.row.element ?? this.below).before(element);
    this.rows.splice(to - this.start, 0, entry);
  }

  /** A mounted row's content changed: it is measured again at the next sync. */
  changed(entry: TimelineEntry): void {
    if (entry.row.element) this.unmeasured.add(entry);
  }

  /**
   * Mounts the rows the viewport needs (at the bottom of the list for `bottom`, else where the
   * scroller is now) with about a screen of rows either side, unmounts the rest, measures what is
   * new and sizes the spacers. Returns whether anything in the document moved.
   */
  sync(at: 'bottom' | 'scroll'): boolean {
    const count = this.store.length;
    let from = 0;
    let to = count;
    if (count > MOUNT_ALL_UP_TO) {
      const viewport = this.scroller.clientHeight;
      const top = at === 'bottom' ? this.heights.total - viewport : this.scroller.scrollTop - this.listOffset();
      const bottom = top + viewport;
      const overscan = Math.max(MIN_OVERSCAN_PX, viewport);
      // Each end of the window stays where it is while it covers at least half the overscan and
      // reaches no further than twice it: small scrolls and appended rows then mount only what is
      // new, without unmounting at the other end every time.
      const needFrom = this.heights.indexAt(top - overscan / 2);
      const needTo = this.heights.indexAt(bottom + overscan / 2) + 1;
      const jumped = this.rows.length === 0 || needTo <= this.start || needFrom >= this.end;
      if (jumped) {
        // Nothing mounted is needed any more (a fling, the scrollbar dragged): the viewport and a
        // little more; the next scroll from there brings the rest of the overscan.
        from = this.heights.indexAt(top - (this.rows.length === 0 ? overscan : JUMP_OVERSCAN_PX));
        to = this.heights.indexAt(bottom + (this.rows.length === 0 ? overscan : JUMP_OVERSCAN_PX)) + 1;
      } else {
        const keepFrom = this.start <= needFrom && this.start >= this.heights.indexAt(top - overscan * 2);
        const keepTo = this.end >= needTo && this.end <= this.heights.indexAt(bottom + overscan * 2) + 1;
        from = keepFrom ? this.start : this.heights.indexAt(top - overscan);
        to = keepTo ? this.end : this.heights.indexAt(bottom + overscan) + 1;
      }
      if (to - from > MAX_MOUNTED) {
        // Tiny rows in a tall viewport: keep the ones around the viewport's middle.
        const middle = this.heights.indexAt((top + bottom) / 2);
        from = Math.max(0, middle - MAX_MOUNTED / 2);
        to = Math.min(count, from + MAX_MOUNTED);
      }
    }
    const moved = this.mountRange(from, to);
    const measured = this.measure();
    this.updateSpacers();
    this.updatePositions();
    return moved || measured;
  }

  /**
   * The row the reader is looking at: the first mounted row whose top edge is inside the viewport
   * (a row starting inside it is a stable anchor: a partly hidden row above it may still change
   * height without moving it). With none (one tall row covers the viewport, or the viewport is
   * over a spacer after a jump), the row covering the viewport's top, from the recorded heights.
   */
  anchor(): ScrollAnchor | undefined {
    if (this.store.length === 0) return undefined;
    const viewTop = this.scroller.getBoundingClientRect().top;
    const viewBottom = viewTop + this.scroller.clientHeight;
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rows[mid]!.row.element!.getBoundingClientRect().top < viewTop - 0.5) lo = mid + 1;
      else hi = mid;
    }
    const candidate = this.rows[lo];
    if (candidate) {
      const top = candidate.row.element!.getBoundingClientRect().top;
      if (top < viewBottom) return { entry: candidate, offset: top - viewTop };
    }
    const index = this.heights.indexAt(viewTop - this.list.getBoundingClientRect().top);
    const entry = this.store.at(index);
    return entry ? { entry, offset: this.rowTop(index) } : undefined;
  }

  /** Scrolls so that the anchor's row is back at its offset. No-op when the row is gone. */
  restore(anchor: ScrollAnchor): void {
    const index = this.store.indexOf(anchor.entry);
    if (index < 0) return;
    const delta = this.rowTop(index) - anchor.offset;
    if (Math.abs(delta) > 0.01) this.scroller.scrollTop += delta;
  }

  /** Top of row `index` relative to the scroller's top edge: where it is when mounted, where it would be otherwise. */
  rowTop(index: number): number {
    const element = this.store.at(index)?.row.element;
    const scrollerTop = this.scroller.getBoundingClientRect().top;
    if (element) return element.getBoundingClientRect().top - scrollerTop;
    return this.list.getBoundingClientRect().top - scrollerTop + this.heights.offsetOf(index);
  }

  /** The recorded (or guessed) height of row `index`. */
  rowHeight(index: number): number {
    return this.heights.heightAt(index);
  }

  /** How far the viewport's top is below the top of the oldest loaded row (px). */
  distanceFromOldest(): number {
    return this.scroller.scrollTop - this.listOffset();
  }

  /** The row covering `offset` px below the viewport's top (recorded heights). */
  indexAtViewportOffset(offset: number): number {
    return this.heights.indexAt(this.distanceFromOldest() + offset);
  }

  setBusy(busy: boolean): void {
    this.list.setAttribute('aria-busy', String(busy));
  }

  dispose(): void {
    this.resizes.disconnect();
    this.unmountAll();
  }

  // ---- mounting -------------------------------------------------------------------------------

  /** The list's top in the scroller's content (the first row starts there). */
  private listOffset(): number {
    return this.list.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top + this.scroller.scrollTop;
  }

  /** Makes [from, to) the mounted rows, touching only the rows that come or go. */
  private mountRange(from: number, to: number): boolean {
    const start = this.start;
    const end = this.end;
    if (from === start && to === end && this.rows.length === to - from) return false;
    if (this.rows.length === 0 || to <= start || from >= end) {
      this.unmountAll();
      this.start = from;
      this.rows = this.mountMany(from, to, this.below);
      return true;
    }
    // Rows leaving at either end.
    if (to < end) for (const entry of this.rows.splice(to - start)) this.unmount(entry);
    if (from > start) for (const entry of this.rows.splice(0, from - start)) this.unmount(entry);
    // Rows arriving at either end.
    const kept = this.rows;
    const head = from < start ? this.mountMany(from, start, kept[0]?.row.element ?? this.below) : [];
    const tail = to > end ? this.mountMany(end, to, this.below) : [];
    this.rows = head.length > 0 || tail.length > 0 ? [...head, ...kept, ...tail] : kept;
    this.start = from;
    return true;
  }

  /** Mounts the store's rows [from, to) right before `next`, in one DOM write. */
  private mountMany(from: number, to: number, next: Element): TimelineEntry[] {
    const entries: TimelineEntry[] = [];
    const fragment = document.createDocumentFragment();
    for (let i = from; i < to; i++) {
      const entry = this.store.at(i)!;
      fragment.append(this.mount(entry));
      entries.push(entry);
    }
    next.before(fragment);
    return entries;
  }

  private mount(entry: TimelineEntry): HTMLElement {
    this.positionsWritten.stale = true;
    const element = entry.row.mount();
    this.entryOf.set(element, entry);
    this.unmeasured.add(entry);
    this.resizes.observe(element);
    return element;
  }

  private unmount(entry: TimelineEntry): void {
    const element = entry.row.element;
    if (!element) return;
    this.positionsWritten.stale = true;
    if (element.contains(document.activeElement)) this.deps.onFocusedRowLeaving();
    this.resizes.unobserve(element);
    this.entryOf.delete(element);
    this.unmeasured.delete(entry);
    element.remove();
    entry.row.unmount();
  }

  private unmountAll(): void {
    for (const entry of this.rows) this.unmount(entry);
    this.rows = [];
  }

  /** Records the height of every mounted row not measured yet (one layout for all of them). */
  private measure(): boolean {
    if (this.unmeasured.size === 0) return false;
    const found: [number, TimelineEntry, number][] = [];
    for (let i = 0; i < this.rows.length; i++) {
      const entry = this.rows[i]!;
      if (this.unmeasured.has(entry)) found.push([this.start + i, entry, entry.row.element!.getBoundingClientRect().height]);
    }
    this.unmeasured.clear();
    let changed = false;
    for (const [index, entry, height] of found) {
      this.estimates.learn(entry.row.current, height);
      if (Math.abs(this.heights.heightAt(index) - height) > 0.01) {
        this.heights.setHeight(index, height);
        changed = true;
      }
    }
    return changed;
  }

  private onResize(entries: readonly ResizeObserverEntry[]): void {
    let changed = false;
    for (const observed of entries) {
      const entry = this.entryOf.get(observed.target);
      if (!entry) continue;
      const at = this.rows.indexOf(entry);
      const height = observed.borderBoxSize[0]?.blockSize ?? observed.target.getBoundingClientRect().height;
      if (at < 0 || Math.abs(this.heights.heightAt(this.start + at) - height) <= 0.01) continue;
      this.heights.setHeight(this.start + at, height);
      this.unmeasured.delete(entry);
      changed = true;
    }
    if (changed) this.deps.onRowsResized();
  }

  private updateSpacers(): void {
    const above = this.heights.offsetOf(this.start);
    const below = Math.max(0, this.heights.total - this.heights.offsetOf(this.end));
    // CSSOM, not a style attribute: allowed under the CSP.
    if (above !== this.spacerSizes[0]) this.above.style.height = `${above}px`;
    if (below !== this.spacerSizes[1]) this.below.style.height = `${below}px`;
    this.spacerSizes = [above, below];
  }

  /** Each mounted row's place among the loaded ones, for assistive technology. */
  private updatePositions(): void {
    const setSize = this.deps.setSize();
    const written = this.positionsWritten;
    // The same rows from the same place in a list of the same size: nothing to write.
    if (!written.stale && written.start === this.start && written.size === setSize) return;
    this.positionsWritten = { start: this.start, size: setSize, stale: false };
    const size = String(setSize);
    for (let i = 0; i < this.rows.length; i++) {
      const element = this.rows[i]!.row.element!;
      const position = String(this.start + i + 1);
      if (element.getAttribute('aria-posinset') !== position) element.setAttribute('aria-posinset', position);
      if (element.getAttribute('aria-setsize') !== size) element.setAttribute('aria-setsize', size);
    }
  }
}
