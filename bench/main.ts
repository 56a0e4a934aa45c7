// `npm run bench`: side-by-side measurements in one run, each against a baseline so the ratio
// means something on any machine. Loopback only; bounded in count and time.
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { Outbox } from '../src/extension/core/delivery/outbox';
import { InboxHub } from '../src/extension/core/inbox/inboxHub';
import { startSandbox } from '../sandbox/index';
import { silentLogger } from '../src/extension/core/logger';
import { MessageStore } from '../src/extension/core/store/messageStore';
import { MexcAdapter } from '../src/extension/venues/mexc/adapter';
import { signedQuery } from '../src/extension/venues/hmacQuerySigning';
import { messageKey, type ChatMessage } from '../src/shared/model';
import { activationBench } from './activation';
import { idleBench } from './idle';
import { storeOpen } from './storeOpen';
import { vscodePushRate } from './vscodePushRate';
import { PaneBrowser, benchHistory } from './paneChat';
import { type PaneMemory, paneMemory } from './paneMemory';
import { type ScrollFrames, combined, scrollFrames } from './paneFrames';
import { HISTORY_PACE_PX, scrollThroughHistory, transportBaseline } from './paneHistory';
import { type PaneUpdateResult, liveUpdates } from './paneUpdate';
import type { ChatPage } from '../test/webview/harness';
import { stats } from './stats';
import { type BenchRow, bytes, ms, printTable, verdict, writeResults } from './report';


const fmt = (n: number) => n.toFixed(3);

/** Sandbox push -> adapter 'message' event, against a raw ws client reading the same socket kind. */
async function pushLatency(rounds: number): Promise<BenchRow[]> {
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
  return [{ id: 'push.event', what: `push -> adapter event (MEXC, ${rounds} pushes), p50`, goal: '', measured: ms(A.p50), baseline: `raw ws ${ms(R.p50)}`, ratio: A.p50 / R.p50, verdict: 'info', values: { p50: A.p50, p95: A.p95, rawP50: R.p50, rawP95: R.p95 } }];
}

function signed(secret: string): string {
  return signedQuery({}, secret, Date.now(), 5000);
}

/** Store: durable batched upserts and a cold open, against plain JSON.stringify of the same data. */
async function storeThroughput(count: number): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-store-'));
  const rows: BenchRow[] = [];
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
    rows.push({ id: 'store.upsert', what: `store: durable upserts of ${count.toLocaleString('en-US')} messages (batches of 500)`, goal: '', measured: `${Math.round(count / (tUpsert / 1000)).toLocaleString('en-US')} msg/s`, verdict: 'info', values: { ms: tUpsert } });
    console.log(`store (${count} messages)          upsert ${fmt(tUpsert)} ms (${Math.round(count / (tUpsert / 1000))}/s, batches of 500, fsync each) | cold open ${fmt(tOpen)} ms | ${pages} pages ${fmt(tPage)} ms | baseline JSON.stringify ${fmt(tBaseline)} ms (${baseline} bytes) | open/stringify ${(tOpen / tBaseline).toFixed(2)}x`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

/**
 * Inbound pipeline: MEXC frames pushed as fast as a loopback socket takes them, through the real
 * adapter (decode, validate), the hub (de-dupe, group-committed durable store) to the UI event,
 * against a raw `ws` client doing JSON.parse on the same frames. Ratio = raw time / pipeline time.
 */
async function inboundThroughput(count: number, runs: number): Promise<BenchRow[]> {
  const sandbox = await startSandbox({ counterparty: false, heartbeatTimeoutMs: 600_000 });
  const mexc = sandbox.venue('mexc');
  const account = mexc.accounts()[0]!;
  const order = mexc.state().orders.find((o) => o.apiKey === account.credentials.apiKey && o.state === 'PAID')!;
  const conversationId = order.conversationId;
  let nextId = 1;
  const frames = (n: number) =>
    Array.from({ length: n }, () => {
      const id = nextId++;
      const data = JSON.stringify({ id, content: `payment ${id}: please send 349.68 EUR to IBAN DE89 3704 0044 0532 0130 00, reference ORDER-${id}`, conversationId, type: 1, imageUrl: '', imageThumbUrl: '', videoUrl: '', fileUrl: '', createTime: '2026-11-30 12:00:00', self: false, fromUserId: 'cp', fromNickName: 'Counterparty' });
      return JSON.stringify({ success: true, msg: 'success', method: 'RECEIVE_MESSAGE', data });
    });
  // A loopback chat server that answers PING and blasts a prepared burst on request.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const pipelineTargets = new Set<WebSocket>();
  const rawTargets = new Set<WebSocket>();
  wss.on('connection', (ws, req) => {
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
    const targets = params.get('listenKey') === 'raw' ? rawTargets : pipelineTargets;
    if (params.get('conversationId') === String(conversationId)) targets.add(ws);
    ws.on('message', (raw) => {
      if (String(raw).includes('"PING"')) ws.send(JSON.stringify({ success: true, method: 'PING', data: 'PONG' }));
    });
    ws.on('close', () => targets.delete(ws));
  });
  const wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`;
  const blast = (targets: Set<WebSocket>, burst: string[]) => {
    for (const ws of targets) for (const f of burst) ws.send(f);
  };

  const dir = await mkdtemp(join(tmpdir(), 'bench-inbound-'));
  const store = await MessageStore.open(join(dir, 'store'), silentLogger);
  const late: { hub?: InboxHub } = {};
  const { outbox } = await Outbox.open(join(dir, 'outbox.jsonl'), { store, adapterFor: (id) => late.hub?.adapter(id), isReady: () => false });
  const hub = new InboxHub({ store, outbox, conversationsFile: join(dir, 'conversations.json') });
  late.hub = hub;
  const adapter = new MexcAdapter({ accountId: 'bench', credentials: account.credentials, endpoints: { rest: account.endpoints.rest, ws: wsUrl }, heartbeatMs: 5000 });
  await hub.addAccount({ id: 'bench', venue: 'mexc', label: 'bench' }, adapter);
  const view = hub.openConversation('bench', String(conversationId));
  let delivered = 0;
  hub.onMessages((e) => {
    delivered += e.messages.length;
  });
  while (pipelineTargets.size === 0) await new Promise((r) => setTimeout(r, 10));

  const pipelineTimes: number[] = [];
  const rawTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    // Pipeline.
    const burst = frames(count);
    delivered = 0;
    const t0 = performance.now();
    blast(pipelineTargets, burst);
    while (delivered < count) await new Promise((r) => setImmediate(r));
    pipelineTimes.push(performance.now() - t0);
    // Raw ws + JSON.parse on the same kind of frames, same server.
    const raw = new WebSocket(`${wsUrl}?listenKey=raw&conversationId=${conversationId}`);
    await new Promise((r) => raw.once('open', r));
    while (rawTargets.size === 0) await new Promise((r) => setTimeout(r, 5));
    const rawBurst = frames(count);
    let parsed = 0;
    const done = new Promise<void>((resolve) =>
      raw.on('message', (data: Buffer) => {
        JSON.parse(data.toString('utf8'));
        if (++parsed === count) resolve();
      }),
    );
    const t1 = performance.now();
    blast(rawTargets, rawBurst);
    await done;
    rawTimes.push(performance.now() - t1);
    raw.close();
    while (rawTargets.size > 0) await new Promise((r) => setTimeout(r, 5));
    await hub.settled();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const p = median(pipelineTimes);
  const r = median(rawTimes);
  console.log(`inbound pipeline (${count} frames, median of ${runs})  pipeline ${fmt(p)} ms (${Math.round(count / (p / 1000))}/s) | raw ws+JSON.parse ${fmt(r)} ms (${Math.round(count / (r / 1000))}/s) | ratio ${(r / p).toFixed(2)}x (target >= 0.6x)`);
  view.dispose();
  await hub.close();
  outbox.dispose();
  await store.close();
  for (const ws of wss.clients) ws.terminate();
  wss.close();
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
  return [{ id: 'inbound.pipeline', what: `inbound pipeline vs raw ws + JSON.parse (${count.toLocaleString('en-US')} frames, median of ${runs})`, goal: '>= 0.6x', measured: ms(p), baseline: `raw ${ms(r)}`, ratio: r / p, verdict: verdict(r / p >= 0.6), values: { ms: p, rawMs: r } }];
}

/** The pane with 100,000 messages, side by side with 1,000 (baseline): memory, live messages, scrolling, and paging back through history. */
async function paneUpdate(): Promise<BenchRow[]> {
  const SMALL = 1_000;
  const LARGE = 100_000;
  const panes = await PaneBrowser.start();
  try {
    // Memory first, each pane measured while it is the largest one open; then both stay open and
    // the live messages and scrolls are measured in turns.
    const opened: { rows: number; chat: ChatPage; memory: PaneMemory }[] = [];
    const measured: { rows: number; memory: PaneMemory; live: PaneUpdateResult; frames: ScrollFrames }[] = [];
    try {
      for (const rows of [SMALL, LARGE]) {
        const t0 = performance.now();
        const chat = await panes.openWith(benchHistory(rows));
        console.log(`pane ${rows} messages loaded in ${fmt(performance.now() - t0)} ms`);
        opened.push({ rows, chat, memory: await paneMemory(panes.browser, chat) });
      }
      const live = await liveUpdates(opened);
      const runs = opened.map(() => [] as Awaited<ReturnType<typeof scrollFrames>>[]);
      for (let round = 0; round < 2; round++) for (let i = 0; i < opened.length; i++) runs[i]!.push(await scrollFrames(opened[i]!.chat, 600));
      opened.forEach(({ rows, memory }, i) => {
        const frames = combined(runs[i]!);
        measured.push({ rows, memory, live: live[i]!, frames });
        console.log(
          `pane ${rows} messages: ${memory.rows} rows mounted · ${memory.documentNodes} nodes in the document (${memory.liveNodes} live) · JS heap ${bytes(memory.jsHeapBytes)} · renderer ${Number.isFinite(memory.rendererBytes) ? bytes(memory.rendererBytes) : 'n/a'} · live p50 ${fmt(live[i]!.p50)} ms p95 ${fmt(live[i]!.p95)} ms (a frame without a message: ${fmt(live[i]!.emptyFrameP50)} ms) · scroll ${frames.runs} runs, ${frames.frames} frames, ${frames.over50} > 50 ms (p95 ${fmt(frames.p95)} ms, max ${fmt(frames.max)} ms, top ${frames.reachedTop ? 'reached' : 'not reached'})`,
        );
      });
    } finally {
      for (const { chat } of opened) await chat.close();
    }
    const [small, large] = measured;
    if (!small || !large) return [];
    const n = (x: number) => x.toLocaleString('en-US');
    const mb = (x: number) => (Number.isFinite(x) ? bytes(x) : 'n/a');
    const rows: BenchRow[] = [
      { id: 'pane.rows.100k', what: `pane: message rows in the document, ${n(LARGE)} loaded`, goal: '≤ 2,000 rows', measured: `${n(large.memory.rows)} rows`, baseline: `${n(SMALL)} loaded: ${n(small.memory.rows)} rows`, ratio: large.memory.rows / small.memory.rows, verdict: verdict(large.memory.rows <= 2_000), values: { rows: large.memory.rows, baselineRows: small.memory.rows } },
      { id: 'pane.nodes.100k', what: `pane: DOM nodes in the document (live), ${n(LARGE)} loaded`, goal: '', measured: `${n(large.memory.documentNodes)} (${n(large.memory.liveNodes)})`, baseline: `${n(SMALL)} loaded: ${n(small.memory.documentNodes)} (${n(small.memory.liveNodes)})`, ratio: large.memory.documentNodes / small.memory.documentNodes, verdict: 'info', values: { documentNodes: large.memory.documentNodes, liveNodes: large.memory.liveNodes, baselineDocumentNodes: small.memory.documentNodes, baselineLiveNodes: small.memory.liveNodes } },
      { id: 'pane.heap.100k', what: `pane: JS heap after GC, ${n(LARGE)} loaded`, goal: '', measured: bytes(large.memory.jsHeapBytes), baseline: `${n(SMALL)} loaded: ${bytes(small.memory.jsHeapBytes)}`, ratio: large.memory.jsHeapBytes / small.memory.jsHeapBytes, verdict: 'info', values: { bytes: large.memory.jsHeapBytes, baselineBytes: small.memory.jsHeapBytes } },
      { id: 'pane.renderer.100k', what: `pane: renderer process memory (PSS), ${n(LARGE)} loaded`, goal: '< 150 MB', measured: mb(large.memory.rendererBytes), baseline: `${n(SMALL)} loaded: ${mb(small.memory.rendererBytes)}`, ratio: large.memory.rendererBytes / small.memory.rendererBytes, verdict: Number.isFinite(large.memory.rendererBytes) ? verdict(large.memory.rendererBytes < 150 * (1 << 20)) : 'info', values: { bytes: large.memory.rendererBytes, baselineBytes: small.memory.rendererBytes } },
      { id: 'pane.scrollFrames.100k', what: `pane: frames > 50 ms scrolling newest → oldest (2 runs), ${n(LARGE)} loaded`, goal: 'none', measured: `${large.frames.over50} of ${n(large.frames.frames)} (max ${ms(large.frames.max)})`, baseline: `${n(SMALL)} loaded: ${small.frames.over50} of ${n(small.frames.frames)} (max ${ms(small.frames.max)})`, verdict: verdict(large.frames.over50 === 0 && large.frames.reachedTop), values: { over50: large.frames.over50, frames: large.frames.frames, p95: large.frames.p95, max: large.frames.max, baselineOver50: small.frames.over50 } },
      { id: 'pane.live', what: `pane: one live message with ${n(LARGE)} rows loaded, p50`, goal: '< 2 ms', measured: `${ms(large.live.p50)} (empty frame ${ms(large.live.emptyFrameP50)})`, baseline: `${n(SMALL)} rows ${ms(small.live.p50)}`, ratio: large.live.p50 / small.live.p50, verdict: verdict(large.live.p50 < 2), values: { p50: large.live.p50, p95: large.live.p95, baselineP50: small.live.p50, emptyFrameP50: large.live.emptyFrameP50 } },
      { id: 'pane.live.p95', what: `pane: one live message with ${n(LARGE)} rows loaded, p95`, goal: '< 2 ms', measured: ms(large.live.p95), baseline: `${n(SMALL)} rows ${ms(small.live.p95)}`, ratio: large.live.p95 / small.live.p95, verdict: verdict(large.live.p95 < 2), values: { p95: large.live.p95, baselineP95: small.live.p95 } },
    ];

    const scroll = await scrollThroughHistory(panes, LARGE, HISTORY_PACE_PX, 120_000);
    const transportMs = await transportBaseline(panes.browser, LARGE, Math.max(...scroll.limits, 1), Math.max(1, scroll.roundTrips));
    console.log(
      `pane history: ${n(LARGE)} messages served in pages (asked: ${scroll.limits.join(', ')}) · top ${scroll.reachedTop ? 'reached' : 'NOT reached'} in ${fmt(scroll.ms)} ms · ${scroll.roundTrips} round trips, ${scroll.askedAhead} of ${scroll.askedWhileScrolling} asked while scrolling were more than a screen ahead (nearest ${Math.round(scroll.nearestAskPx)} px, screen ${scroll.screenPx} px) · ${scroll.stallFrames} of ${scroll.frames} frames at the top edge waiting · ${scroll.mountedAtEnd} rows mounted at the end · transport alone ${fmt(transportMs)} ms`,
    );
    rows.push({
      id: 'pane.history.100k',
      what: `pane: scroll newest → oldest of ${n(LARGE)} served in pages (${HISTORY_PACE_PX} px/frame)`,
      goal: 'top reached, pages ahead',
      measured: `${scroll.reachedTop ? 'top' : 'NOT top'} · ${(scroll.ms / 1000).toFixed(1)} s · ${n(scroll.roundTrips)} round trips of ${scroll.limits.join('/')}, ${scroll.askedAhead}/${scroll.askedWhileScrolling} ahead · ${scroll.stallFrames} of ${n(scroll.frames)} frames waiting`,
      baseline: `transport alone ${(transportMs / 1000).toFixed(1)} s`,
      ratio: scroll.ms / transportMs,
      verdict: verdict(scroll.reachedTop && scroll.askedWhileScrolling > 0 && scroll.askedAhead === scroll.askedWhileScrolling),
      values: { reachedTop: scroll.reachedTop ? 1 : 0, ms: scroll.ms, roundTrips: scroll.roundTrips, askedAhead: scroll.askedAhead, askedWhileScrolling: scroll.askedWhileScrolling, nearestAskPx: scroll.nearestAskPx, stallFrames: scroll.stallFrames, frames: scroll.frames, transportMs },
    });
    return rows;
  } finally {
    await panes.close();
  }
}

async function main(): Promise<void> {
  console.log(`venue-chat bench · node ${process.version} · ${new Date().toISOString()}`);
  // `npm run bench -- inbound store` runs a subset; `--runs=7` takes the inbound median over 7 runs.
  const args = process.argv.slice(2);
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 3);
  const only = new Set(args.filter((a) => !a.startsWith('--')));
  const want = (name: string) => only.size === 0 || only.has(name);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive integer');
  // `--source=<checkout>`: the activate and idle benches build and measure that checkout's extension (before/after).
  const source = args.find((a) => a.startsWith('--source='))?.slice('--source='.length);
  const rows: BenchRow[] = [];
  // A bench that fails becomes a `failed` row: the others still run and the table is still written.
  const run = async (name: string, bench: () => BenchRow[] | Promise<BenchRow[]>): Promise<void> => {
    if (!want(name)) return;
    try {
      rows.push(...(await bench()));
    } catch (err) {
      console.error(`bench ${name} failed:`, err);
      rows.push({ id: `${name}.failed`, what: `${name} bench`, goal: '', measured: String(err instanceof Error ? err.message : err), verdict: 'failed' });
    }
  };
  await run('push', () => pushLatency(200));
  await run('inbound', () => inboundThroughput(20_000, runs));
  await run('store', async () => [...(await storeThroughput(100_000)), ...(await storeOpen())]);
  await run('pane', () => paneUpdate());
  // Seven fresh processes per case: process start-up and a busy machine make single runs noisy.
  await run('activate', () => activationBench(7, source));
  // A 30 s quiet window per venue (all venues at once), 25 s after the account came online, scaled to per minute.
  await run('idle', () => idleBench(30_000, 25_000, source));
  // A real VS Code (code-server) with the whole extension: the slowest row, last.
  await run('vscode', () => vscodePushRate(join(__dirname, '..')));
  printTable(rows);
  // Next to this bundle's sources: dist/bench.js -> bench/results.json.
  const file = join(__dirname, '..', 'bench', 'results.json');
  writeResults(file, rows, { node: process.version, date: new Date().toISOString(), cpus: String(os.cpus().length) });
  console.log(`\nwritten: ${file}`);
  if (rows.some((r) => r.verdict === 'failed')) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
