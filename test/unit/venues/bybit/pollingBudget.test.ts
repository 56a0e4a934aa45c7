// Bybit's polling cadence and request budget, on a fake clock against the emulator: the adapter's
// minutes pass in a couple of real seconds, and every request it makes is counted at the venue.
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../../sandbox/index';
import type { BybitEmulator } from '../../../../sandbox/bybit/emulator';
import { BybitAdapter } from '../../../../src/extension/venues/bybit/adapter';
import type { BybitKey } from '../../../../src/extension/venues/bybit/signing';
import type { VenueEvent } from '../../../../src/extension/venues/venue';
import { FakeClock } from '../../helpers/fakeClock';

const MINUTE = 60_000;

describe('Bybit polling: cadence and request budget (fake clock)', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let bybit: BybitEmulator;
  let clock: FakeClock;
  let adapter: BybitAdapter;
  let events: VenueEvent[];

  /** Lets `ms` of fake time pass in steps, giving real I/O a moment after each. */
  async function pass(ms: number, step = 250): Promise<void> {
    for (let t = 0; t < ms; t += step) {
      clock.tick(step);
      await new Promise((r) => setTimeout(r, 8));
    }
  }

  function open(account: 0 | 1): { apiKey: string } {
    const info = bybit.accounts()[account]!;
    const c = info.credentials;
    const key: BybitKey = c.keyType === 'rsa' ? { kind: 'rsa', apiKey: c.apiKey, privateKeyPem: c.privateKey } : { kind: 'hmac', apiKey: c.apiKey, secret: c.secret };
    adapter = new BybitAdapter({ accountId: `acc${account}`, key, endpoints: info.endpoints, clock });
    adapter.events((e) => events.push(e));
    return { apiKey: c.apiKey };
  }

  const requestsSince = (seq: number, apiKey: string) => bybit.requests({ sinceSeq: seq }).filter((r) => r.apiKey === apiKey && r.kind === 'rest');
  const lastSeq = () => bybit.requests().at(-1)?.seq ?? 0;

  beforeEach(async () => {
    events = [];
    // One clock for both sides: the venue's signature window follows the adapter's fake time.
    clock = new FakeClock(Date.now());
    // The emulator's own limiter counts real time, which runs ~6-30x slower here: the limit is
    // checked below in venue (fake) time instead.
    sandbox = await startSandbox({ counterparty: false, clock: () => clock.now(), venues: { bybit: { listPerSecond: 1000, sendPerSecond: 1000 } } });
    bybit = sandbox.venue('bybit');
  });

  afterEach(async () => {
    await adapter?.stop();
    adapter?.dispose();
    await sandbox.close();
  });

  // Idle, each chat run reads one order's chat in turn; the session API adds the unread session list.
  for (const [account, generation, idleBudget] of [[0, 'order-scoped', 8], [1, 'session', 12]] as const) {
    it(`${generation} API: idle with nothing open costs at most ${idleBudget} requests a minute; an open chat is read every ~1 s`, async () => {
      const { apiKey } = open(account);
      await adapter.start();
      await pass(2 * MINUTE); // start-up: identity, order history, first reads, the generation switch
      const idleFrom = lastSeq();
      await pass(MINUTE);
      const idle = requestsSince(idleFrom, apiKey);
      assert.ok(idle.length <= idleBudget, `idle: ${idle.length} requests in a minute (${idle.map((r) => r.path.replace('/v5/p2p/', '')).join(', ')})`);
      assert.ok(idle.length >= 4, `idle still polls: ${idle.length}`);

      const order = bybit.orders(account).find((o) => o.status === 10)!;
      const view = adapter.watch(order.orderId);
      await pass(5000, 50);
      const openFrom = lastSeq();
      // Small steps: a request's real duration passes as fake time too (at most ~6x here).
      await pass(MINUTE, 50);
      const busy = requestsSince(openFrom, apiKey);
      // Reads of the open chat: by order id (order-scoped) or by its trader's session.
      const chatReads = busy.filter((r) => /message\/listpage/.test(r.path) && [order.orderId, order.sessionId].some((id) => JSON.stringify(r.body ?? '').includes(id)));
      assert.ok(chatReads.length >= 40 && chatReads.length <= 75, `open chat read ${chatReads.length} times in a minute`);
      // Never above the venue's per-user limit of 10 list calls a second (venue time is the fake clock).
      const perSecond = new Map<number, number>();
      for (const r of busy) perSecond.set(Math.floor(r.time / 1000), (perSecond.get(Math.floor(r.time / 1000)) ?? 0) + 1);
      assert.ok(Math.max(...perSecond.values()) <= 10, `at most ${Math.max(...perSecond.values())} requests in one second`);
      view.dispose();

      // A message written while the pane is open reaches the adapter within one fast interval.
      const text = `cadence probe ${generation}`;
      const probeView = adapter.watch(order.orderId);
      bybit.inject({ orderId: order.orderId, content: text });
      await pass(1500, 50);
      assert.ok(events.some((e) => e.type === 'messages' && e.source === 'live' && e.messages.some((m) => m.text === text)), 'delivered as news within 1.5 s of polling');
      probeView.dispose();
    });
  }
});
