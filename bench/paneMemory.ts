// What a pane holding a long chat costs: message rows in the document, DOM nodes, the JS heap and
// the renderer process's memory. Read after a forced garbage collection, at the newest message.
//
// - rows: `.msg` elements in the document; nodes: every node reachable from the document (a tree
//   walk, text nodes included) and Blink's count of live Node objects (CDP Performance `Nodes`,
//   detached ones included).
// - JS heap: CDP `Performance.getMetrics` `JSHeapUsedSize` after `HeapProfiler.collectGarbage`.
// - renderer: the proportional set size (PSS, Linux `/proc/<pid>/smaps_rollup`) of the renderer
//   processes Chromium reports (`SystemInfo.getProcessInfo`); the measured pane is the largest one
//   open, and the largest renderer is taken as its own. Elsewhere this value is not available (NaN).
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import type { ChatPage } from '../test/webview/harness';

export interface PaneMemory {
  readonly rows: number;
  readonly documentNodes: number;
  readonly liveNodes: number;
  readonly jsHeapBytes: number;
  /** NaN when the renderer's memory cannot be read on this system. */
  readonly rendererBytes: number;
}

async function pssBytes(pid: number): Promise<number> {
  try {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = /^Pss:\s+(\d+) kB/m.exec(rollup)?.[1];
    return kb === undefined ? NaN : Number(kb) * 1024;
  } catch {
    return NaN;
  }
}

async function largestRendererBytes(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    const sizes = await Promise.all(info.processInfo.filter((p) => p.type === 'renderer').map((p) => pssBytes(p.id)));
    const known = sizes.filter((n) => Number.isFinite(n));
    return known.length > 0 ? Math.max(...known) : NaN;
  } finally {
    await cdp.detach();
  }
}

export async function paneMemory(browser: Browser, chat: ChatPage): Promise<PaneMemory> {
  const cdp = await chat.context.newCDPSession(chat.page);
  try {
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await chat.frames(2);
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
    const counts = await chat.page.evaluate(() => {
      const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
      let nodes = 1;
      while (walker.nextNode()) nodes++;
      return { rows: document.querySelectorAll('.msg').length, nodes };
    });
    return { rows: counts.rows, documentNodes: counts.nodes, liveNodes: metric('Nodes'), jsHeapBytes: metric('JSHeapUsedSize'), rendererBytes: await largestRendererBytes(browser) };
  } finally {
    await cdp.detach();
  }
}
