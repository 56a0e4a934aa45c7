// One live message in the pane, with few and with many rows loaded: the time the pane's frame spends
// applying it (the timeline's flush runs in the frame's first callback; a callback registered after
// it forces the layout the update left pending and reads how long the frame has run). The real page
// and bundle in headless Chromium, as in the webview tests. Side by side: the same update with 1,000
// rows loaded is the baseline, so the ratio says whether the cost grows with the length of the chat
// (goal: < 2 ms, independent of length). Both panes are open and measured in turns, so the machine's
// load falls on both.
import type { ChatPage } from '../test/webview/harness';
import { T0, message } from '../test/webview/fixtures';
import { percentile } from './stats';

export interface PaneUpdateResult {
  readonly rows: number;
  readonly p50: number;
  readonly p95: number;
  /** The same measurement of a frame in which no message arrives: what the method itself reads. */
  readonly emptyFrameP50: number;
}

/** ms per live message (`updates` of them, one per frame, numbered from `first`) in a pane already showing messages, at the bottom. */
export async function liveUpdateSamples(chat: ChatPage, updates: number, first = 0): Promise<number[]> {
  await chat.page.locator('.timeline__scroller').evaluate((s) => (s.scrollTop = s.scrollHeight));
  await chat.frames(3);
  const samples: number[] = [];
  for (let i = first; i < first + updates; i++) {
    const envelope = { method: 'message/upsert', params: { messages: [message({ id: `live${i}`, time: T0 + i * 1000, senderName: 'alice_p2p', text: `live ${i}` })] } };
    const ms = await chat.page.evaluate(
      (data) =>
        new Promise<number>((resolve) => {
          window.dispatchEvent(new MessageEvent('message', { data }));
          requestAnimationFrame((frameStart) => {
            // The frame's layout, which the update may have left for the browser to do, counts too.
            void document.body.offsetHeight;
            resolve(performance.now() - frameStart);
          });
        }),
      envelope,
    );
    samples.push(ms);
  }
  return samples;
}

/** The same frame-time reading with no message dispatched: the measurement's floor on this machine. */
export async function emptyFrameSamples(chat: ChatPage, frames: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < frames; i++) {
    samples.push(
      await chat.page.evaluate(
        () =>
          new Promise<number>((resolve) =>
            requestAnimationFrame((frameStart) => {
              void document.body.offsetHeight;
              resolve(performance.now() - frameStart);
            }),
          ),
      ),
    );
  }
  return samples;
}

/**
 * p50/p95 per live message in each pane, measured in alternating rounds (`rounds` of `perRound`
 * updates each) so that a busy machine weighs on both sizes alike.
 */
export async function liveUpdates(panes: readonly { readonly chat: ChatPage; readonly rows: number }[], rounds = 4, perRound = 15): Promise<PaneUpdateResult[]> {
  const samples = panes.map(() => [] as number[]);
  const empty = panes.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < panes.length; i++) {
      samples[i]!.push(...(await liveUpdateSamples(panes[i]!.chat, perRound, round * perRound)));
      empty[i]!.push(...(await emptyFrameSamples(panes[i]!.chat, perRound)));
    }
  }
  return panes.map((pane, i) => ({ rows: pane.rows, p50: percentile(samples[i]!, 0.5), p95: percentile(samples[i]!, 0.95), emptyFrameP50: percentile(empty[i]!, 0.5) }));
}
