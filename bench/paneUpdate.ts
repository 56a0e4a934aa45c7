// One live message in the pane, with few and with many rows loaded: the time the pane's frame spends
// applying it (the timeline's flush runs in the frame's first callback; a callback registered after
// it reads how long the frame has run). The real page and bundle in headless Chromium, as in the
// webview tests. Side by side: the same update with 1,000 rows loaded is the baseline, so the ratio
// says whether the cost grows with the length of the chat (goal: < 2 ms, independent of length).
import { AssetServer, ChatPage, launchBrowser } from '../test/webview/harness';
import { T0, message, snapshot } from '../test/webview/fixtures';
import type { ChatMessage } from '../src/shared/model';
import { percentile } from './stats';

export interface PaneUpdateResult {
  readonly rows: number;
  readonly p50: number;
  readonly p95: number;
}


function history(count: number): ChatMessage[] {
  return Array.from({ length: count }, (_, i) =>
    message({ id: `h${i}`, time: T0 - (count - i) * 60_000, senderName: i % 7 === 0 ? 'bob' : 'alice_p2p', direction: i % 5 === 0 ? 'out' : 'in', text: `message ${i} of a long chat` }),
  );
}

async function measure(page: ChatPage, rows: number, updates: number): Promise<PaneUpdateResult> {
  await page.acceptReady();
  await page.notify('conversation/snapshot', snapshot({ messages: history(rows) }));
  await page.page.waitForFunction((n) => document.querySelectorAll('.msg').length >= n, rows, { timeout: 300_000, polling: 500 });
  const samples: number[] = [];
  for (let i = 0; i < updates; i++) {
    const envelope = { method: 'message/upsert', params: { messages: [message({ id: `live${i}`, time: T0 + i * 1000, senderName: 'alice_p2p', text: `live ${i}` })] } };
    const ms = await page.page.evaluate(
      (data) =>
        new Promise<number>((resolve) => {
          window.dispatchEvent(new MessageEvent('message', { data }));
          requestAnimationFrame((frameStart) => resolve(performance.now() - frameStart));
        }),
      envelope,
    );
    samples.push(ms);
  }
  return { rows, p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
}

/** p50/p95 ms per live message at each size (30 updates each). */
export async function paneLiveUpdate(sizes: readonly number[], updates = 30): Promise<PaneUpdateResult[]> {
  const browser = await launchBrowser();
  const server = await AssetServer.start();
  const results: PaneUpdateResult[] = [];
  try {
    for (const rows of sizes) {
      const page = await ChatPage.open(browser, server, { viewport: { width: 900, height: 700 } });
      try {
        results.push(await measure(page, rows, updates));
      } finally {
        await page.close();
      }
    }
  } finally {
    await server.stop();
    await browser.close();
  }
  return results;
}
