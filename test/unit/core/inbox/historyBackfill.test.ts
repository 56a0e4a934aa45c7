// A backfill the venue fails (5xx three times in a row) is tried again later, on the account's
// adapter of that moment, instead of waiting for a reconnect that may never come. Found by the
// long chaos soak: Binance's history answered 503 right after a reconnect, the faults then
// stopped, the connection stayed up, and what was said while down was never read.
import assert from 'node:assert/strict';
import type { ChatMessage } from '../../../../src/shared/model';
import { HistoryBackfill } from '../../../../src/extension/core/inbox/historyBackfill';
import { silentLogger } from '../../../../src/extension/core/logger';
import type { MessageStore } from '../../../../src/extension/core/store/messageStore';
import { VenueError } from '../../../../src/extension/venues/venue';
import { FakeAdapter, FakeVenueBackend } from '../../helpers/fakeVenue';
import { FakeClock } from '../../helpers/fakeClock';

/** The parts of the store a backfill reads: here, a conversation it knows nothing of. */
const emptyStore = {
  load: async () => undefined,
  latestFromVenue: () => undefined,
  findByVenueMessageId: () => undefined,
  get: () => undefined,
} as unknown as MessageStore;

describe('history backfill: a venue failure is tried again', () => {
  it('three 503s, then the venue answers: the page is stored on a later try, 10 s and then 30 s apart', async () => {
    const clock = new FakeClock();
    const backend = new FakeVenueBackend();
    const adapter = new FakeAdapter(backend, { accountId: 'a' });
    await adapter.start();
    backend.add('c1', 'said while down');
    let failing = 6; // the first run's three attempts, and the first retry's three
    const real = adapter.history.bind(adapter);
    adapter.history = async (conversationId, request) => {
      if (failing-- > 0) throw new VenueError('unavailable', 'HTTP 503');
      return real(conversationId, request);
    };
    const stored: ChatMessage[] = [];
    const backfill = new HistoryBackfill({ store: emptyStore, ingest: async (_a, messages) => void stored.push(...messages), onHole: async () => undefined, adapterFor: () => adapter, clock, logger: silentLogger });
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
    const clock = new FakeClock();
    const backend = new FakeVenueBackend();
    const adapter = new FakeAdapter(backend, { accountId: 'a' });
    await adapter.start();
    backend.add('c1', 'x');
    let calls = 0;
    adapter.history = async () => {
      calls++;
      throw new VenueError('auth', 'HTTP 401');
    };
    let current: FakeAdapter | undefined = adapter;
    const backfill = new HistoryBackfill({ store: emptyStore, ingest: async () => undefined, onHole: async () => undefined, adapterFor: () => current, clock, logger: silentLogger });
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
