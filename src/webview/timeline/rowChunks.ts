// Rows live in chunks of a few dozen, and the browser skips layout and paint of chunks far off
// screen (`content-visibility: auto` on .chunk). Per-chunk rather than per-row keeps the browser's
// per-frame visibility bookkeeping small with thousands of messages, and lets the scroll anchor
// be found without touching rows in skipped chunks.
import { el } from '../dom';

export const CHUNK_SIZE = 40;
const SPLIT_AT = CHUNK_SIZE * 2;
/** Guess for a chunk the browser has not laid out yet; `auto` replaces it with the real size once rendered. */
const ESTIMATED_ROW_PX = 60;

function newChunk(): HTMLElement {
  return el('div', { className: 'chunk' });
}

function estimate(chunk: HTMLElement): void {
  // CSSOM, not a style attribute: allowed under the CSP.
  chunk.style.containIntrinsicSize = `auto ${Math.max(1, chunk.childElementCount) * ESTIMATED_ROW_PX}px`;
}

export class RowChunks {
  constructor(readonly list: HTMLElement) {}

  /** Replaces everything with `rows`, in order. */
  reset(rows: readonly HTMLElement[]): void {
    const fragment = document.createDocumentFragment();
    for (let i = 0; i < rows.length; i += CHUNK_SIZE) {
      const chunk = newChunk();
      chunk.append(...rows.slice(i, i + CHUNK_SIZE));
      estimate(chunk);
      fragment.append(chunk);
    }
    this.list.replaceChildren(fragment);
  }

  /** Puts `row` right before `next` (a row already placed), or at the end when `next` is null. Moves it if already placed. */
  place(row: HTMLElement, next: HTMLElement | null): void {
    if (row.parentElement) this.remove(row);
    const target = next?.parentElement?.parentElement === this.list ? next.parentElement : null;
    if (target && next) {
      target.insertBefore(row, next);
      this.splitIfLarge(target);
      return;
    }
    let last = this.list.lastElementChild as HTMLElement | null;
    if (!last || last.childElementCount >= CHUNK_SIZE) {
      last = newChunk();
      this.list.append(last);
    }
    last.append(row);
  }

  remove(row: HTMLElement): void {
    const chunk = row.parentElement;
    row.remove();
    if (chunk && chunk.parentElement === this.list && chunk.childElementCount === 0) chunk.remove();
  }

  /** The chunks, in order (live). */
  get chunks(): HTMLCollection {
    return this.list.children;
  }

  private splitIfLarge(chunk: HTMLElement): void {
    if (chunk.childElementCount < SPLIT_AT) return;
    const tail = newChunk();
    const rows = [...chunk.children].slice(CHUNK_SIZE);
    tail.append(...rows);
    chunk.after(tail);
    estimate(chunk);
    estimate(tail);
  }
}
