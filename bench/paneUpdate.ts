// One live message in the pane, with few and with many rows loaded: the time the pane's frame spends
// applying it (the timeline's flush runs in the frame's first callback; a callback registered after
// it reads how long the frame has run). The real page and bundle in headless Chromium, as in the
// webview tests. Side by side: the same update with 1,000 rows loaded is the baseline, so the ratio
// says whether the cost grows with the length of the chat (goal: < 2 ms, independent of length).
import type { ChatPage } from '../test/webview/harness';
import { T0, message } from '../test/webview/fixtures';
import { percentile } from './stats';

export interface PaneUpdateResult {
  readonly rows: number;
  readonly p50: number;
  readonly p95: number;
}

/** p50/p95 ms per live message (`updates` of them, one per frame) in a pane already showing `rows` messages, at the bottom. */
export async function liveUpdates(chat: ChatPage, rows: number, updates = 30): Promise<PaneUpdateResult> {
  await chat.page.locator('.timeline__scroller').evaluate((s) => (s.scrollTop = s.scrollHeight));
  await chat.frames(3);
  const samples: number[] = [];
  for (let i = 0; i < updates; i++) {
    const envelope = { method: 'message/upsert', params: { messages: [message({ id: `live${i}`, time: T0 + i * 1000, senderName: 'alice_p2p', text: `live ${i}` })] } };
    const ms = await chat.page.evaluate(
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
