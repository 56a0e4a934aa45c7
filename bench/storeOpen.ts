// The message store at desk scale: how long opening it takes with 100k and 1M messages stored (goal:
// < 50 ms, independent of history), and how long the newest page of a stored 100k-message
// conversation takes to read (goal: < 150 ms). Side by side in one run: opening an empty store,
// and loading the same conversation whole (what the first layout did for every account at start).
// The logs are written in the store's own format (header, watermarked records) straight to disk,
// as years of use would leave them; writing them through `upsert` would only make the bench slow.
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../src/extension/core/logger';
import { MessageStore } from '../src/extension/core/store/messageStore';
import { NO_WATERMARK, conversationHeader } from '../src/extension/core/store/messageStoreRecord';
import { accountDirName, conversationLogName } from '../src/extension/core/store/storeFileNames';
import { messageKey, type ChatMessage } from '../src/shared/model';
import { type BenchRow, bytes, ms, verdict } from './report';

/** The account and the longest chat `writeHistory` writes. */
export const HISTORY_ACCOUNT = 'desk';
export const LONGEST_CHAT = 'long-chat';
const ACCOUNT = HISTORY_ACCOUNT;
const T0 = 1_700_000_000_000;

function message(conversationId: string, i: number): ChatMessage {
  return {
    key: messageKey('mexc', ACCOUNT, conversationId, String(i)),
    venue: 'mexc',
    accountId: ACCOUNT,
    conversationId,
    venueMessageId: String(i),
    direction: i % 3 === 0 ? 'out' : 'in',
    kind: 'text',
    text: `message ${i}: the usual length of a line in a P2P order chat, a payment detail or two`,
    time: T0 + i * 1000,
    ...(i % 3 === 0 ? { status: 'read' as const } : {}),
  };
}

/** Writes one conversation log of `count` messages in the store's format. */
async function writeConversation(storeDir: string, conversationId: string, count: number): Promise<number> {
  const dir = join(storeDir, 'messages', accountDirName(ACCOUNT));
  await mkdir(dir, { recursive: true });
  const handle = await open(join(dir, conversationLogName(conversationId)), 'w');
  let written = 0;
  try {
    let lines = [JSON.stringify(conversationHeader(ACCOUNT, conversationId))];
    let watermark = NO_WATERMARK;
    for (let i = 0; i < count; i++) {
      const m = message(conversationId, i);
      lines.push(JSON.stringify({ s: i, m, w: watermark }));
      watermark = Math.max(watermark, m.time);
      if (lines.length >= 5000 || i === count - 1) {
        const buf = Buffer.from(lines.join('\n') + '\n', 'utf8');
        await handle.write(buf);
        written += buf.length;
        lines = [];
      }
    }
  } finally {
    await handle.close();
  }
  return written;
}

/** Writes `total` messages: one conversation of `longest`, the rest in chats of 500 (a desk's orders). */
export async function writeHistory(storeDir: string, total: number, longest: number): Promise<number> {
  let size = await writeConversation(storeDir, LONGEST_CHAT, longest);
  for (let c = 0, left = total - longest; left > 0; c++, left -= 500) size += await writeConversation(storeDir, `order-${c}`, Math.min(500, left));
  return size;
}

async function timeOpen(storeDir: string): Promise<{ ms: number; heap: number }> {
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const store = await MessageStore.open(storeDir, silentLogger);
  const elapsed = performance.now() - t0;
  const heap = process.memoryUsage().heapUsed - heapBefore;
  await store.close();
  return { ms: elapsed, heap };
}

/** Median of `runs` timings of `fn`. */
async function median(runs: number, fn: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await fn());
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export async function storeOpen(): Promise<BenchRow[]> {
  const root = await mkdtemp(join(tmpdir(), 'bench-store-open-'));
  const rows: BenchRow[] = [];
  try {
    const empty = join(root, 'empty');
    const emptyOpen = await median(5, async () => (await timeOpen(empty)).ms);
    for (const total of [100_000, 1_000_000]) {
      const storeDir = join(root, `store-${total}`);
      const size = await writeHistory(storeDir, total, 100_000);
      const opened = await median(5, async () => (await timeOpen(storeDir)).ms);
      const { heap } = await timeOpen(storeDir);
      const label = total === 100_000 ? '100k' : '1M';
      rows.push({
        id: `store.open.${label}`,
        what: `store open with ${label} messages stored (${bytes(size)} of logs), median of 5`,
        goal: '< 50 ms, independent of history',
        measured: ms(opened),
        baseline: `empty store ${ms(emptyOpen)}`,
        ratio: opened / emptyOpen,
        verdict: verdict(opened < 50),
        values: { ms: opened, emptyMs: emptyOpen, heapDeltaBytes: heap, logBytes: size },
      });
      if (total !== 100_000) continue;

      // The newest page of the 100k-message conversation, from a store just opened (nothing in memory).
      const newest = await median(5, async () => {
        const store = await MessageStore.open(storeDir, silentLogger, {});
        const t0 = performance.now();
        const page = await store.readPage(ACCOUNT, 'long-chat', { limit: 50 });
        const elapsed = performance.now() - t0;
        if (page.messages.length !== 50 || page.before === undefined) throw new Error('the newest page is wrong');
        await store.close();
        return elapsed;
      });
      const whole = await median(3, async () => {
        const store = await MessageStore.open(storeDir, silentLogger, {});
        const t0 = performance.now();
        await store.load(ACCOUNT, 'long-chat');
        store.page(ACCOUNT, 'long-chat', { limit: 50 });
        const elapsed = performance.now() - t0;
        await store.close();
        return elapsed;
      });
      rows.push({
        id: 'store.newestPage.100k',
        what: 'open a stored 100k-message conversation: newest page read (store just opened)',
        goal: '< 150 ms',
        measured: ms(newest),
        baseline: `whole conversation loaded ${ms(whole)}`,
        ratio: newest / whole,
        verdict: verdict(newest < 150),
        values: { ms: newest, wholeLoadMs: whole },
      });
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return rows;
}
