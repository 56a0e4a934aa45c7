import assert from 'node:assert/strict';
import type { ConnectionState } from '../../../../src/shared/model';
import { Poller, type PollerOptions, type PollOutcome } from '../../../../src/extension/core/connection/poller';
import { VenueError } from '../../../../src/extension/venues/venue';
import { FakeClock, settle } from '../../helpers/fakeClock';

type Behaviour = (run: number, signal: AbortSignal) => Promise<PollOutcome | void>;

function harness(options: Partial<PollerOptions> = {}) {
  const clock = new FakeClock();
  const t0 = clock.now();
  const runs: number[] = [];
  let behaviour: Behaviour = async () => undefined;
  const poller = new Poller({
    name: 'test poll',
    clock,
    intervals: { fastMs: 1000, normalMs: 5000, idleMs: 15_000 },
    run: (signal) => {
      runs.push(clock.now() - t0);
      return behaviour(runs.length, signal);
    },
    ...options,
  });
  const states: ConnectionState[] = [];
  poller.onState((s) => states.push(s));
  const gaps = () => runs.slice(1).map((t, i) => t - runs[i]!);
  return {
    clock,
    t0,
    runs,
    poller,
    states,
    gaps,
    behave(b: Behaviour) {
      behaviour = b;
    },
  };
}

describe('Poller', () => {
  it('runs once on start, then at the normal interval while a normal lease is held', async () => {
    const h = harness();
    h.poller.hold('normal');
    await h.poller.start();
    await h.clock.advance(20_000);
    assert.deepEqual(h.runs, [0, 5000, 10_000, 15_000, 20_000]);
    assert.deepEqual(h.states.map((s) => s.kind), ['connecting', 'online']);
    h.poller.dispose();
  });

  it('is paused while nothing holds it, and a new lease wakes it', async () => {
    const h = harness();
    await h.poller.start();
    await h.clock.advance(60_000);
    assert.deepEqual(h.runs, [0], 'only the first sync');
    assert.equal(h.poller.demand, 'paused');
    assert.equal(h.clock.pendingTimers, 0, 'no timer while paused');
    const lease = h.poller.hold('fast');
    await settle();
    assert.deepEqual(h.runs, [0, 60_000], 'overdue: runs at once');
    await h.clock.advance(3000);
    assert.deepEqual(h.runs, [0, 60_000, 61_000, 62_000, 63_000]);
    lease.dispose();
    await h.clock.advance(60_000);
    assert.equal(h.runs.length, 5);
    assert.equal(h.clock.pendingTimers, 0);
    h.poller.dispose();
  });

  it('is fast while a fast lease is held and backs off towards idle after it goes', async () => {
    const h = harness();
    h.poller.hold('idle');
    const fast = h.poller.hold('fast');
    assert.equal(h.poller.demand, 'fast');
    await h.poller.start();
    await h.clock.advance(3000);
    fast.dispose();
    assert.equal(h.poller.demand, 'idle');
    await h.clock.advance(60_000);
    assert.deepEqual(h.gaps().slice(0, 9), [1000, 1000, 1000, 1000, 2000, 4000, 8000, 15_000, 15_000]);
    h.poller.dispose();
  });

  it('comes back to the normal interval at idle when a run reports activity', async () => {
    const h = harness();
    h.behave(async (n) => ({ activity: n === 3 }));
    h.poller.hold('idle');
    await h.poller.start();
    await h.clock.advance(50_000);
    assert.deepEqual(h.gaps().slice(0, 4), [10_000, 15_000, 5000, 10_000]);
    h.poller.dispose();
  });

  it('jitters every wait within the bound, and not the same way every time', async () => {
    const h = harness();
    h.clock.randomValues = [0, 0.999999, 0.25, 0.75, 0.5];
    h.poller.hold('normal');
    await h.poller.start();
    await h.clock.advance(30_000);
    assert.deepEqual(h.gaps().slice(0, 4), [4000, 6000, 4500, 5500]);
    for (const gap of h.gaps()) assert.ok(gap >= 4000 && gap <= 6000, `gap ${gap}`);
    h.poller.dispose();
  });

  it('never overlaps runs: pollNow during a run asks for exactly one more, after it', async () => {
    const h = harness();
    let active = 0;
    let maxActive = 0;
    let release: (() => void) | undefined;
    h.behave(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      if (h.runs.length === 1) await new Promise<void>((r) => (release = r));
      active--;
    });
    h.poller.hold('fast');
    let started = false;
    void h.poller.start().then(() => (started = true));
    await settle();
    let nowDone = 0;
    for (let i = 0; i < 3; i++) void h.poller.pollNow().then(() => nowDone++);
    await h.clock.advance(10_000);
    assert.equal(h.runs.length, 1, 'the slow run blocks every other');
    assert.equal(started, false);
    release!();
    await settle();
    assert.equal(started, true);
    assert.equal(h.runs.length, 2, 'one run for all three pollNow calls');
    assert.equal(h.runs[1], 10_000, 'right after the slow run');
    assert.equal(nowDone, 3);
    assert.equal(maxActive, 1);
    h.poller.dispose();
  });

  it("waits at least the venue's Retry-After, whatever the demand and even on pollNow", async () => {
    const h = harness();
    h.behave(async (n) => {
      if (n === 2) throw new VenueError('rate-limit', 'too many requests', 429, 30_000);
    });
    h.poller.hold('fast');
    await h.poller.start();
    await h.clock.advance(1000);
    assert.deepEqual(h.runs, [0, 1000]);
    void h.poller.pollNow();
    await h.clock.advance(29_000);
    assert.deepEqual(h.runs, [0, 1000], 'no run inside the Retry-After window');
    await h.clock.advance(1000);
    assert.deepEqual(h.runs, [0, 1000, 31_000]);
    assert.equal(h.poller.state.kind, 'online', 'one failure after a good sync is a blip');
    h.poller.dispose();
  });

  it('backs off exponentially on repeated failures, turns stale after three, and online after a good run', async () => {
    const h = harness({ maxBackoffMs: 60_000, staleAfterFailures: 3 });
    let failing = false;
    h.behave(async () => {
      if (failing) throw new VenueError('unavailable', 'cannot reach the venue');
    });
    h.poller.hold('normal');
    await h.poller.start();
    failing = true;
    await h.clock.advance(5000 + 5000 + 10_000);
    assert.equal(h.poller.consecutiveFailures, 3);
    assert.deepEqual(h.runs, [0, 5000, 10_000, 20_000]);
    const stale = h.poller.state;
    assert.deepEqual(stale, { kind: 'stale', lastSync: h.t0, reason: 'cannot reach the venue' });
    assert.deepEqual(h.states.map((s) => s.kind), ['connecting', 'online', 'stale'], 'two failures did not make it stale');
    await h.clock.advance(20_000 + 40_000 + 60_000 + 60_000);
    assert.deepEqual(h.gaps(), [5000, 5000, 10_000, 20_000, 40_000, 60_000, 60_000], 'capped at maxBackoffMs');
    failing = false;
    await h.clock.advance(60_000);
    assert.equal(h.poller.state.kind, 'online');
    assert.equal(h.poller.consecutiveFailures, 0);
    await h.clock.advance(5000);
    assert.equal(h.gaps().at(-1), 5000, 'back to the normal interval');
    h.poller.dispose();
  });

  it('shows back-off with the next try while it has never synced', async () => {
    const h = harness();
    h.behave(async () => {
      throw new VenueError('unavailable', 'connection refused');
    });
    h.poller.hold('normal');
    await h.poller.start();
    assert.deepEqual(h.poller.state, { kind: 'backoff', until: h.t0 + 5000, reason: 'connection refused' });
    await h.clock.advance(5000 + 10_000 + 20_000);
    assert.equal(h.poller.state.kind, 'backoff', 'no stale without a last sync');
    h.poller.dispose();
  });

  it('stops on an auth error until pollNow, whatever the leases', async () => {
    const h = harness();
    let refuse = true;
    h.behave(async () => {
      if (refuse) throw new VenueError('auth', 'API key refused');
    });
    h.poller.hold('fast');
    await h.poller.start();
    assert.deepEqual(h.poller.state, { kind: 'auth-error', reason: 'API key refused' });
    await h.clock.advance(120_000);
    h.poller.hold('fast');
    await h.clock.advance(120_000);
    assert.deepEqual(h.runs, [0]);
    assert.equal(h.clock.pendingTimers, 0);
    refuse = false;
    await h.poller.pollNow();
    assert.equal(h.runs.length, 2);
    assert.deepEqual(h.states.map((s) => s.kind), ['connecting', 'auth-error', 'connecting', 'online']);
    await h.clock.advance(1000);
    assert.equal(h.runs.length, 3, 'the leases apply again');
    h.poller.dispose();
  });

  it('stop aborts the run in flight, counts no failure for it and leaves no timer', async () => {
    const h = harness();
    let seen: AbortSignal | undefined;
    h.behave((_n, signal) => {
      seen = signal;
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    h.poller.hold('fast');
    void h.poller.start();
    await settle();
    await h.poller.stop();
    assert.equal(seen?.aborted, true);
    assert.equal(h.poller.state.kind, 'offline');
    assert.equal(h.poller.consecutiveFailures, 0);
    assert.equal(h.clock.pendingTimers, 0);
    h.poller.hold('fast');
    await h.clock.advance(10_000);
    assert.equal(h.runs.length, 1, 'a stopped poller does not run');
  });

  it('dispose clears the armed timer', async () => {
    const h = harness();
    h.poller.hold('normal');
    await h.poller.start();
    assert.equal(h.clock.pendingTimers, 1);
    h.poller.dispose();
    await settle();
    assert.equal(h.clock.pendingTimers, 0);
    await h.clock.advance(60_000);
    assert.equal(h.runs.length, 1);
  });
});
