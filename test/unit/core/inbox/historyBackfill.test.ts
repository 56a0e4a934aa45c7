// A backfill the venue fails (5xx three times in a row) is tried again later, on the account's
// adapter of that moment, instead of waiting for a reconnect that may never come. Found by the
// long chaos soak: Binance's history answered 503 right after a reconnect, the faults then
// stopped, the connection stayed up, and what was said while down was never read.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatMessage } from '../../../../src/shared/model';
import { HistoryBackfill } from '../../../../src/extension/core/inbox/historyBackfill';
import { silentLogger } from '../../../../src/extension/core/logger';
import { MessageStore } from '../../../../src/extension/core/store/messageStore';
import { VenueError, type VenueAdapter } from '../../../../src/extension/venues/venue';
import { FakeAdapter, FakeVenueBackend } from '../../helpers/fakeVenue';
import { FakeClock } from '../../helpers/fakeClock';
import { until } from '../../helpers/until';

/** The parts of the store a backfill reads: here, a conversation it knows nothing of. */
const emptyStore = {
  load: async () => undefined,
  latestFromVenue: () => undefined,
  openHistoryHoles: () => [],
  findByVenueMessageId: () => undefined,
  get: () => undefined,
} as unknown as MessageStore;

/** A fake clock and a connected fake venue whose chat `c1` holds one message. */
async function venueWithOneMessage(text: string): Promise<{ clock: FakeClock; adapter: FakeAdapter }> {
  const clock = new FakeClock();
  const backend = new FakeVenueBackend();
  const adapter = new FakeAdapter(backend, { accountId: 'a' });
  await adapter.start();
  backend.add('c1', text);
  return { clock, adapter };
}

describe('history backfill: a venue failure is tried again', () => {
  it('three 503s, then the venue answers: the page is stored on a later try, 10 s and then 30 s apart', async () => {
    const { clock, adapter } = await venueWithOneMessage('said while down');
    let failing = 6; // the first run's three attempts, and the first retry's three
    const real = adapter.history.bind(adapter);
    adapter.history = async (conversationId, request) => {
      if (failing-- > 0) throw new VenueError('unavailable', 'HTTP 503');
      return real(conversationId, request);
    };
    const stored: ChatMessage[] = [];
    const backfill = new HistoryBackfill({ store: emptyStore, ingest: async (_a, messages) => void stored.push(...messages), onHole: async () => undefined, onHolesFilled: async () => undefined, adapterFor: () => adapter, clock, logger: silentLogger });
    const first = backfill.request(adapter, 'c1');
    await clock.advance(3_000); // its own attempts, 1 s and 2 s apart
    await first;
    assert.equal(stored.length, 0, 'not yet');
    await clock.advance(10_000); // the first retry: three more failures
    await clock.advance(3_000);
    await backfill.settled();
    assert.equal(stored.length, 0, 'still failing');
    await clock.advance(30_000); // the second retry, three times as far
    await backfill.settled();
    assert.deepEqual(stored.map((m) => m.text), ['said while down']);
    backfill.dispose();
  });

  it('refused keys are not tried again on a timer (the reconnect after a key update backfills), and a removed account stops the retries', async () => {
    const { clock, adapter } = await venueWithOneMessage('x');
    let calls = 0;
    adapter.history = async () => {
      calls++;
      throw new VenueError('auth', 'HTTP 401');
    };
    let current: FakeAdapter | undefined = adapter;
    const backfill = new HistoryBackfill({ store: emptyStore, ingest: async () => undefined, onHole: async () => undefined, onHolesFilled: async () => undefined, adapterFor: () => current, clock, logger: silentLogger });
    await backfill.request(adapter, 'c1');
    await clock.advance(10 * 60_000);
    assert.equal(calls, 1, 'asked once');

    adapter.history = async () => {
      calls++;
      throw new VenueError('unavailable', 'HTTP 503');
    };
    calls = 0;
    const run = backfill.request(adapter, 'c1');
    await clock.advance(3_000);
    await run;
    assert.equal(calls, 3);
    current = undefined; // the account was removed
    await clock.advance(10 * 60_000);
    assert.equal(calls, 3, 'no retry for a removed account');
    assert.equal(clock.pendingTimers, 0, 'no timer left');
    backfill.dispose();
  });
});

describe('history backfill after a broken live feed', () => {
  const MINUTE = 60_000;

  /** A chat of 200 messages over the hour after `t0`, all stored; pages of 50, newest first. */
  function storedChat(t0: number) {
    const messages: ChatMessage[] = Array.from({ length: 200 }, (_, i) => ({ key: `k${i}`, venue: 'bybit', accountId: 'a', conversationId: 'c1', venueMessageId: String(i), direction: 'in', kind: 'text', text: `m${i}`, time: t0 + MINUTE + i * 15_000 }));
    const byId = new Map(messages.map((m) => [m.venueMessageId!, m]));
    const store = {
      load: async () => undefined,
      latestFromVenue: () => messages[messages.length - 1],
      openHistoryHoles: () => [],
      findByVenueMessageId: (_a: string, _c: string, id: string) => byId.get(id),
      get: (key: string) => messages.find((m) => m.key === key),
    } as unknown as MessageStore;
    const calls: (string | undefined)[] = [];
    const adapter = {
      accountId: 'a',
      capabilities: { serverHistory: true, historyPageLimit: 50 },
      history: async (_c: string, request: { before?: string; limit: number }) => {
        calls.push(request.before);
        const end = request.before === undefined ? messages.length : Number(request.before);
        const items = messages.slice(Math.max(0, end - request.limit), end).reverse();
        return end - request.limit > 0 ? { items, next: String(end - request.limit) } : { items };
      },
    } as unknown as VenueAdapter;
    return { store, adapter, calls };
  }

  it('reads back past the break once; a later break reads back only to it, not to the first one', async () => {
    const t0 = Date.now();
    const clock = new FakeClock(t0);
    const { store, adapter, calls } = storedChat(t0);
    const backfill = new HistoryBackfill({ store, ingest: async () => undefined, onHole: async () => assert.fail('no hole: everything is stored'), onHolesFilled: async () => undefined, clock, logger: silentLogger });
    backfill.feedBroke('a', ['c1']);
    await backfill.request(adapter, 'c1');
    assert.equal(calls.length, 4, 'the first break: every page after it (all 200 messages are newer)');
    // An hour later the feed breaks again; the first break was read past already.
    await clock.advance(62 * MINUTE);
    calls.length = 0;
    backfill.feedBroke('a', ['c1']);
    await backfill.request(adapter, 'c1');
    assert.equal(calls.length, 1, 'the second break: the newest page reaches what was stored before it');
    backfill.dispose();
  });
});

describe('history backfill: a hole longer than one go of pages', () => {
  const SECOND = 1000;
  let dir: string;
  let store: MessageStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'venue-chat-backfill-'));
    store = await MessageStore.open(join(dir, 'store'), silentLogger);
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A venue chat of `n` messages a second apart, pages of 50 newest first; the store holds the first `stored`. */
  async function chat(n: number, stored: number, t0: number) {
    const messages: ChatMessage[] = Array.from({ length: n }, (_, i) => ({ key: `bybit:a:c1:${i}`, venue: 'bybit', accountId: 'a', conversationId: 'c1', venueMessageId: String(i), direction: 'in', kind: 'text', text: `m${i}`, time: t0 + i * SECOND }));
    await store.upsert(messages.slice(0, stored));
    const adapter = {
      accountId: 'a',
      capabilities: { serverHistory: true, historyPageLimit: 50 },
      history: async (_c: string, request: { before?: string; limit: number }) => {
        const end = request.before === undefined ? messages.length : Number(request.before);
        const items = messages.slice(Math.max(0, end - request.limit), end).reverse();
        return end - request.limit > 0 ? { items, next: String(end - request.limit) } : { items };
      },
    } as unknown as VenueAdapter;
    return { adapter, messages };
  }

  function backfillFor(clock: FakeClock, holes: { from: number; to: number; filled: boolean }[]) {
    const hole = (m: ChatMessage): ChatMessage => m;
    return new HistoryBackfill({
      store,
      ingest: async (_a, messages) => void (await store.upsert(messages)),
      onHole: async (a, c, from, to) => {
        holes.push({ from, to, filled: false });
        await store.upsert([hole({ key: `bybit:a:c1:gap:${from}`, venue: 'bybit', accountId: a, conversationId: c, direction: 'system', kind: 'gap', time: from, gap: { from, to, filled: false } })]);
      },
      onHolesFilled: async (_a, _c, open) => {
        for (const h of open) holes.push({ from: h.gap!.from, to: h.gap!.to, filled: true });
        await store.upsert(open.map((h) => ({ ...h, gap: { ...h.gap!, filled: true } })));
      },
      clock,
      logger: silentLogger,
    });
  }

  /** Runs the fake clock on (a second at a time) until `run` settles. */
  async function driven(clock: FakeClock, run: Promise<void>): Promise<void> {
    let done = false;
    void run.then(() => (done = true));
    for (let i = 0; i < 200 && !done; i++) {
      await clock.advance(1_000);
      await new Promise((r) => setTimeout(r, 2));
    }
    await run;
  }

  const texts = () => new Set(store.page('a', 'c1', { limit: 100_000 }).messages.filter((m) => m.kind === 'text').map((m) => m.text));

  it('2,000 messages beyond the 100 stored (40 pages, two goes of 20): all read back, the hole marked meanwhile and then marked filled', async () => {
    // The long soak (seed 310278294): a backfill stopped after 20 pages and marked a gap that nothing
    // ever read; Binance lost 100, and the pane said "this venue has no history".
    const t0 = Date.now() - 3_000 * SECOND;
    const clock = new FakeClock(t0 + 3_000 * SECOND);
    const { adapter } = await chat(2_100, 100, t0);
    const holes: { from: number; to: number; filled: boolean }[] = [];
    const backfill = backfillFor(clock, holes);
    await driven(clock, backfill.request(adapter, 'c1')); // through the pause between the two goes
    assert.equal(texts().size, 2_100, 'every message stored');
    assert.deepEqual(holes.map((h) => h.filled), [false, true], 'marked while read, then filled');
    assert.deepEqual(store.openHistoryHoles('a', 'c1'), []);
    backfill.dispose();
  });

  it('a restart in the middle of the hole: the next backfill reads below the marked hole, not just to the newest stored', async () => {
    const t0 = Date.now() - 3_000 * SECOND;
    const clock = new FakeClock(t0 + 3_000 * SECOND);
    const { adapter } = await chat(2_100, 100, t0);
    const holes: { from: number; to: number; filled: boolean }[] = [];
    const first = backfillFor(clock, holes);
    const run = first.request(adapter, 'c1');
    await until(() => holes.length === 1); // the first go is stored, the hole marked; the process dies in the pause
    first.dispose();
    await run;
    assert.ok(texts().size < 2_100, 'a hole is left');
    const second = backfillFor(clock, holes);
    await driven(clock, second.request(adapter, 'c1'));
    assert.equal(texts().size, 2_100, 'every message stored after the restart');
    assert.equal(holes[holes.length - 1]!.filled, true);
    second.dispose();
  });

  it('after a restart, live messages stored before the backfill: it reads back to what was stored before them, not just to them', async () => {
    // The long soak (Binance, seed 1506380356): after a kill the new socket's first push was stored
    // before the backfill ran; the backfill overlapped with it on its first page and stopped.
    const t0 = Date.now() - 3_000 * SECOND;
    const clock = new FakeClock(t0 + 3_000 * SECOND);
    const { adapter, messages } = await chat(221, 100, t0); // 120 said while the extension was not running, then one push
    const backfill = backfillFor(clock, []);
    const owed = await backfill.beforeLive(adapter, ['c1']);
    assert.deepEqual(owed, ['c1'], 'the caller is to backfill it');
    await store.upsert([messages[220]!]);
    assert.deepEqual(await backfill.beforeLive(adapter, ['c1']), [], 'the floor is kept once');
    await driven(clock, backfill.request(adapter, 'c1'));
    assert.equal(texts().size, 221, 'every message stored');
    backfill.dispose();
  });

  it('a live message into a chat the store knew nothing of: no backfill is owed, and one reads its newest page only, as for any new chat', async () => {
    const t0 = Date.now() - 3_000 * SECOND;
    const clock = new FakeClock(t0 + 3_000 * SECOND);
    const { adapter, messages } = await chat(500, 0, t0);
    let pages = 0;
    const history = adapter.history.bind(adapter);
    adapter.history = (c, r) => (pages++, history(c, r));
    const backfill = backfillFor(clock, []);
    assert.deepEqual(await backfill.beforeLive(adapter, ['c1']), [], 'no hole to read: a pane opening it reads its page');
    await store.upsert([messages[499]!]);
    await driven(clock, backfill.request(adapter, 'c1'));
    assert.equal(pages, 1);
    assert.equal(texts().size, 50);
    backfill.dispose();
  });

  it('a backfill that measured the chat before the live messages came needs no floor, and the caller is not asked for another', async () => {
    const t0 = Date.now() - 3_000 * SECOND;
    const clock = new FakeClock(t0 + 3_000 * SECOND);
    const { adapter } = await chat(120, 100, t0);
    const backfill = backfillFor(clock, []);
    await driven(clock, backfill.request(adapter, 'c1'));
    assert.deepEqual(await backfill.beforeLive(adapter, ['c1']), []);
    backfill.feedBroke('a', ['c1']);
    assert.deepEqual(await backfill.beforeLive(adapter, ['c1']), ['c1'], 'after a break the next live messages set a floor again');
    backfill.dispose();
  });
});
