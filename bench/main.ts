// `npm run bench`: side-by-side measurements in one run, each against a baseline so the ratio
// means something on any machine. Loopback only; bounded in count and time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { startSandbox } from '../sandbox/index';
import { silentLogger } from '../src/extension/core/logger';
import { MessageStore } from '../src/extension/core/store/messageStore';
import { MexcAdapter } from '../src/extension/venues/mexc/adapter';
import { signedQuery } from '../src/extension/venues/mexc/auth';
import { messageKey, type ChatMessage } from '../src/shared/model';

function stats(samples: number[]): { p50: number; p95: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

const fmt = (n: number) => n.toFixed(3);

/** Sandbox push -> adapter 'message' event, against a raw ws client reading the same socket kind. */
async function pushLatency(rounds: number): Promise<void> {
  const sandbox = await startSandbox({ counterparty: false, heartbeatTimeoutMs: 60_000 });
  const account = sandbox.venue('mexc').accounts()[0]!;
  const order = sandbox.venue('mexc').state().orders.find((o) => o.apiKey === account.credentials.apiKey && o.state === 'PAID')!;
  const adapter = new MexcAdapter({ accountId: 'bench', credentials: account.credentials, endpoints: account.endpoints });
  let resolveAdapter: (() => void) | undefined;
  adapter.events((e) => {
    if (e.type === 'messages') resolveAdapter?.();
  });
  await adapter.start();
  const watch = adapter.watch(String(order.conversationId));
  while (!sandbox.venue('mexc').sockets().some((s) => s.conversationId === order.conversationId)) await new Promise((r) => setTimeout(r, 10));

  // Baseline: a bare ws client on its own listen key, no decoding beyond JSON.parse.
  const key = await fetch(`${sandbox.venue('mexc').restUrl}/api/v3/userDataStream?${signed(account.credentials.secretKey)}`, { method: 'POST', headers: { 'X-MEXC-APIKEY': account.credentials.apiKey } }).then((r) => r.json() as Promise<{ listenKey: string }>);
  const raw = new WebSocket(`${sandbox.venue('mexc').wsUrl}?listenKey=${key.listenKey}&conversationId=${order.conversationId}`);
  await new Promise((r) => raw.once('open', r));
  let resolveRaw: (() => void) | undefined;
  raw.on('message', (d) => {
    JSON.parse(d.toString());
    resolveRaw?.();
  });

  const adapterSamples: number[] = [];
  const rawSamples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    let tAdapter = 0;
    let tRaw = 0;
    const a = new Promise<void>((r) => (resolveAdapter = () => ((tAdapter = performance.now()), r())));
    const b = new Promise<void>((r) => (resolveRaw = () => ((tRaw = performance.now()), r())));
    sandbox.venue('mexc').inject({ conversationId: order.conversationId, content: `bench ${i}` });
    await Promise.all([a, b]);
    adapterSamples.push(tAdapter - t0);
    rawSamples.push(tRaw - t0);
  }
  const A = stats(adapterSamples);
  const R = stats(rawSamples);
  console.log(`push -> event (${rounds} pushes)   adapter p50 ${fmt(A.p50)} ms p95 ${fmt(A.p95)} ms | raw ws p50 ${fmt(R.p50)} ms p95 ${fmt(R.p95)} ms | ratio p50 ${(A.p50 / R.p50).toFixed(2)}x`);
  raw.terminate();
  watch.dispose();
  await adapter.stop();
  adapter.dispose();
  await sandbox.close();
}

function signed(secret: string): string {
  return signedQuery({}, secret, Date.now(), 5000);
}

/** Store: durable batched upserts and a cold open, against plain JSON.stringify of the same data. */
async function storeThroughput(count: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-store-'));
  try {
    const messages: ChatMessage[] = Array.from({ length: count }, (_, i) => ({
      key: messageKey('mexc', 'acc', String(i % 50), String(i)),
      venue: 'mexc',
      accountId: 'acc',
      conversationId: String(i % 50),
      venueMessageId: String(i),
      direction: i % 2 ? 'in' : 'out',
      kind: 'text',
      text: `message number ${i} with some typical length of text for a P2P chat`,
      time: 1_700_000_000_000 + i * 1000,
    }));
    const t0 = performance.now();
    const baseline = messages.map((m) => JSON.stringify(m)).join('\n').length;
    const tBaseline = performance.now() - t0;
    const store = await MessageStore.open(join(dir, 'store'), silentLogger);
    const t1 = performance.now();
    for (let i = 0; i < messages.length; i += 500) await store.upsert(messages.slice(i, i + 500));
    const tUpsert = performance.now() - t1;
    await store.close();
    const t2 = performance.now();
    const reopened = await MessageStore.open(join(dir, 'store'), silentLogger);
    const tOpen = performance.now() - t2;
    const t3 = performance.now();
    let before: string | undefined;
    let pages = 0;
    do {
      const page = reopened.page('acc', '7', { before, limit: 50 });
      before = page.before;
      pages++;
    } while (before);
    const tPage = performance.now() - t3;
    await reopened.close();
    console.log(`store (${count} messages)          upsert ${fmt(tUpsert)} ms (${Math.round(count / (tUpsert / 1000))}/s, batches of 500, fsync each) | cold open ${fmt(tOpen)} ms | ${pages} pages ${fmt(tPage)} ms | baseline JSON.stringify ${fmt(tBaseline)} ms (${baseline} bytes) | open/stringify ${(tOpen / tBaseline).toFixed(2)}x`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`venue-chat bench · node ${process.version} · ${new Date().toISOString()}`);
  await pushLatency(200);
  await storeThroughput(100_000);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
