// Frames while scrolling a loaded chat from the newest message to the oldest: the page scrolls the
// list up by a fixed share of its height once per animation frame and records the time between
// frames (rAF timestamps). A frame longer than 50 ms is a visible stall. Runs of two panes are taken
// in turns (combined), so the machine's load falls on both.
import type { ChatPage } from '../test/webview/harness';
import { percentile } from './stats';

export interface ScrollFrames {
  readonly runs: number;
  readonly frames: number;
  readonly over50: number;
  readonly p95: number;
  readonly max: number;
  readonly reachedTop: boolean;
}

/** Scrolls end to end in about `steps` frames (at most `steps` × 2, and at most `timeoutMs`). */
export async function scrollFrames(chat: ChatPage, steps: number, timeoutMs = 60_000): Promise<ScrollFrames & { readonly deltas: readonly number[] }> {
  await chat.page.locator('.timeline__scroller').evaluate((s) => (s.scrollTop = s.scrollHeight));
  await chat.frames(3);
  const result = await chat.page.evaluate(
    ({ steps, timeoutMs }) =>
      new Promise<{ deltas: number[]; reachedTop: boolean }>((resolve) => {
        const scroller = document.querySelector('.timeline__scroller') as HTMLElement;
        // The list's height may change as rows are measured: the step is fixed from the start.
        const step = Math.max(1, Math.ceil(scroller.scrollHeight / steps));
        const deltas: number[] = [];
        const started = performance.now();
        let last = -1;
        let frames = 0;
        const tick = (now: number): void => {
          if (last >= 0) deltas.push(now - last);
          last = now;
          if (scroller.scrollTop <= 0 || frames >= steps * 2 || now - started > timeoutMs) {
            resolve({ deltas, reachedTop: scroller.scrollTop <= 0 });
            return;
          }
          scroller.scrollTop = Math.max(0, scroller.scrollTop - step);
          frames++;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    { steps, timeoutMs },
  );
  const { deltas } = result;
  return { runs: 1, frames: deltas.length, over50: deltas.filter((d) => d > 50).length, p95: percentile(deltas, 0.95), max: Math.max(0, ...deltas), reachedTop: result.reachedTop, deltas };
}

/** Several runs of the same pane taken together. */
export function combined(runs: readonly (ScrollFrames & { readonly deltas: readonly number[] })[]): ScrollFrames {
  const deltas = runs.flatMap((r) => r.deltas);
  return {
    runs: runs.length,
    frames: deltas.length,
    over50: deltas.filter((d) => d > 50).length,
    p95: percentile(deltas, 0.95),
    max: Math.max(0, ...deltas),
    reachedTop: runs.every((r) => r.reachedTop),
  };
}
