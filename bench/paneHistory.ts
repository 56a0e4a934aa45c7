// Scrolling from the newest message to the oldest of a long history the pane does not have yet:
// the pane opens with the newest 50 (as the host's snapshot) and a cursor, and a fake host on the
// test side (the whole history stays in Node) answers `history/page` at once. The page scrolls up
// at a fixed pace per animation frame; a frame spent at the top edge before the oldest message is
// there is a stall (the next page was not fetched early enough).
//
// Baseline, same run: the same number of round trips carrying the same pages between Node and a
// blank page (a binding call out, `window.postMessage` back), i.e. the transport alone.
import type { Browser } from 'playwright-core';
import type { ChatMessage } from '../src/shared/model';
import type { HistoryPage } from '../src/shared/protocol';
import { snapshot } from '../test/webview/fixtures';
import type { PaneBrowser } from './paneChat';
import { benchHistory } from './paneChat';

/** The snapshot holds the newest messages, as the host's does. */
const SNAPSHOT_SIZE = 50;
/** How far the reader scrolls up per frame: a hard fling (about three screens a frame), so that 100k messages take about a minute. */
export const HISTORY_PACE_PX = 2000;

export interface HistoryScroll {
  readonly reachedTop: boolean;
  readonly ms: number;
  readonly roundTrips: number;
  /** Page sizes the pane asked for (distinct values). */
  readonly limits: readonly number[];
  /** Frames the reader spent at the top edge waiting for a page. */
  readonly stallFrames: number;
  /** Pages asked for while the page scrolled (the first may come with the snapshot, before). */
  readonly askedWhileScrolling: number;
  /** Of those, asked while the reader was more than a screen from the oldest loaded row. */
  readonly askedAhead: number;
  /** The nearest the reader was to the oldest loaded row when a page was asked for (px), and the screen's height. */
  readonly nearestAskPx: number;
  readonly screenPx: number;
  readonly frames: number;
  readonly mountedAtEnd: number;
}

/** Serves `history` as the host would: pages of `limit` before an index cursor. */
function pageOf(history: readonly ChatMessage[], before: string, limit: number): HistoryPage {
  const end = Math.max(0, Math.min(history.length, Number(before)));
  const start = Math.max(0, end - limit);
  return { messages: history.slice(start, end), ...(start > 0 ? { before: String(start) } : {}) };
}

export async function scrollThroughHistory(panes: PaneBrowser, count: number, pacePx: number, timeoutMs: number): Promise<HistoryScroll> {
  const history = benchHistory(count);
  const chat = await panes.open();
  try {
    const limits = new Set<number>();
    let roundTrips = 0;
    await chat.serve('history/page', (params) => {
      roundTrips++;
      limits.add(params.limit);
      return pageOf(history, params.before ?? String(history.length), params.limit);
    });
    await chat.serve('conversation/markRead', () => ({ unread: 0 }));
    const first = history.length - SNAPSHOT_SIZE;
    await chat.notify('conversation/snapshot', snapshot({ messages: history.slice(first), before: String(first) }));
    await chat.page.waitForSelector('.shell:not([hidden]) .msg');
    await chat.frames(3);
    const oldestKey = history[0]!.key;
    const result = await chat.page.evaluate(
      ({ oldestKey, pacePx, timeoutMs }) =>
        new Promise<{ reachedTop: boolean; ms: number; stallFrames: number; frames: number; mounted: number; askDistances: number[]; screen: number }>((resolve) => {
          const scroller = document.querySelector('.timeline__scroller') as HTMLElement;
          const list = document.querySelector('.timeline__list') as HTMLElement;
          const posted = (window as unknown as { __fake: { posted: { method?: string }[] } }).__fake.posted;
          const started = performance.now();
          const askDistances: number[] = [];
          let checked = posted.length;
          let stallFrames = 0;
          let frames = 0;
          const finish = (reachedTop: boolean, now: number): void =>
            resolve({ reachedTop, ms: now - started, stallFrames, frames, mounted: document.querySelectorAll('.msg').length, askDistances, screen: scroller.clientHeight });
          const tick = (now: number): void => {
            frames++;
            // Pages asked for since the last frame: how far the reader was from the oldest loaded row.
            for (; checked < posted.length; checked++) {
              if (posted[checked]!.method === 'history/page') askDistances.push(scroller.getBoundingClientRect().top - list.getBoundingClientRect().top);
            }
            const oldestShown = document.querySelector(`.msg[data-key="${CSS.escape(oldestKey)}"]`) !== null;
            if (scroller.scrollTop <= 0 && oldestShown) {
              finish(true, now);
              return;
            }
            if (now - started > timeoutMs) {
              finish(false, now);
              return;
            }
            if (scroller.scrollTop <= 0) stallFrames++;
            scroller.scrollTop = Math.max(0, scroller.scrollTop - pacePx);
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }),
      { oldestKey, pacePx, timeoutMs },
    );
    return {
      reachedTop: result.reachedTop,
      ms: result.ms,
      roundTrips,
      limits: [...limits].sort((a, b) => a - b),
      stallFrames: result.stallFrames,
      askedWhileScrolling: result.askDistances.length,
      askedAhead: result.askDistances.filter((d) => d > result.screen).length,
      nearestAskPx: Math.min(...result.askDistances),
      screenPx: result.screen,
      frames: result.frames,
      mountedAtEnd: result.mounted,
    };
  } finally {
    await chat.close();
  }
}

/** `roundTrips` pages of `pageSize` from the same history between Node and a blank page, one after another; ms. */
export async function transportBaseline(browser: Browser, count: number, pageSize: number, roundTrips: number): Promise<number> {
  const history = benchHistory(count);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    let cursor = history.length;
    await page.exposeFunction('__benchAsk', async () => {
      const reply = pageOf(history, String(cursor), pageSize);
      cursor = Number(reply.before ?? history.length);
      await page.evaluate((data) => window.postMessage({ id: 1, ok: true, result: data }, '*'), reply);
    });
    return await page.evaluate(
      (rounds) =>
        new Promise<number>((resolve) => {
          const started = performance.now();
          let left = rounds;
          window.addEventListener('message', () => {
            if (--left <= 0) resolve(performance.now() - started);
            else void (window as unknown as { __benchAsk: () => Promise<void> }).__benchAsk();
          });
          void (window as unknown as { __benchAsk: () => Promise<void> }).__benchAsk();
        }),
      roundTrips,
    );
  } finally {
    await context.close();
  }
}
