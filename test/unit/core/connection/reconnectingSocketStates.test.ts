import assert from 'node:assert/strict';
import type { ConnectionState } from '../../../../src/shared/model';
import { ReconnectingSocket, type ReconnectingSocketOptions, type Transport } from '../../../../src/extension/core/connection/reconnectingSocket';
import { FakeClock } from '../../helpers/fakeClock';
import { until } from '../../helpers/until';
import { startWsServer, type LoopbackWsServer } from './wsServer';

const reasonOf = (state: ConnectionState): string => ('reason' in state ? state.reason : '');
const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));

describe('reconnecting socket states: refused URLs, displaced, stop', () => {
  let server: LoopbackWsServer;
  let socket: ReconnectingSocket | undefined;
  let states: ConnectionState[];

  beforeEach(async () => {
    server = await startWsServer();
    states = [];
  });
  afterEach(async () => {
    await socket?.stop();
    socket?.dispose();
    socket = undefined;
    await server.close();
  });

  function make(overrides: Partial<ReconnectingSocketOptions>): ReconnectingSocket {
    socket = new ReconnectingSocket({
      name: 'test',
      resolveTarget: async () => ({ url: server.url }),
      heartbeat: { intervalMs: 1000, staleAfterMs: 10_000 },
      backoff: { baseMs: 20, maxMs: 50, minMs: 5 },
      ...overrides,
    });
    socket.onState((s) => states.push(s));
    return socket;
  }

  for (const bad of ['ws://', 'ftp://127.0.0.1/chat/LISTENKEY?token=SECRET', 'not a url?token=SECRET']) {
    it(`a URL ws refuses (${JSON.stringify(bad)}) ends in back-off with the reason, and a corrected URL connects`, async () => {
      let url = bad;
      const s = make({ resolveTarget: async () => ({ url }) });
      s.start();
      await until(() => s.state.kind === 'backoff', 5000, 'back-off');
      assert.match(reasonOf(s.state), /could not open the connection/);
      assert.doesNotMatch(reasonOf(s.state), /SECRET|LISTENKEY/, 'the reason never quotes tokens from the URL');
      assert.equal(server.upgrades, 0);
      url = server.url; // the target is resolved afresh for every try
      await until(() => s.state.kind === 'online', 5000, 'online');
    });
  }

  it('a transport that throws, or never reports anything, still ends each attempt in a state', async () => {
    const clock = new FakeClock();
    let calls = 0;
    let terminated = 0;
    const transport: Transport = {
      connect() {
        calls++;
        if (calls === 1) throw new Error('boom');
        // A link that neither opens nor closes: only the handshake guard can end it.
        return { isOpen: false, send() {}, terminate: () => void terminated++ };
      },
    };
    const s = make({ transport, clock, handshakeTimeoutMs: 1000, backoff: { baseMs: 100, maxMs: 100, minMs: 100 } });
    s.start();
    await until(() => s.state.kind === 'backoff', 5000, 'back-off after a throw');
    assert.match(reasonOf(s.state), /boom/);
    clock.advance(100);
    await until(() => calls === 2 && s.state.kind === 'connecting', 5000, 'second attempt');
    clock.advance(1999);
    await settle(50);
    assert.equal(s.state.kind, 'connecting');
    clock.advance(1);
    await until(() => s.state.kind === 'backoff', 5000, 'back-off after the handshake guard');
    assert.equal(terminated, 1, 'the silent link is terminated');
    assert.match(reasonOf(s.state), /did not open in time/);
  });

  it('a close classifier that throws still yields a retry', async () => {
    const s = make({ classifyClose: () => { throw new Error('classifier bug'); } });
    s.start();
    await until(() => s.state.kind === 'online', 5000, 'online');
    server.sockets[0]!.close(4000, 'whatever');
    await until(() => server.upgrades === 2 && s.state.kind === 'online', 5000, 'reconnected');
  });

  it('displaced: no reconnect until the long back-off has passed', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1), 0.5); // waits half + 0.5 × half = 75% of displacedRetryMs
    let bye = true;
    server.onConnection = (ws) => bye && ws.close(4001, 'Bye');
    const s = make({
      clock,
      displacedRetryMs: 600_000,
      classifyClose: (_code, reason) => (reason === 'Bye' ? { action: 'displaced', reason: 'another client took the session' } : undefined),
    });
    s.start();
    await until(() => s.state.kind === 'displaced', 5000, 'displaced');
    assert.deepEqual(s.state, { kind: 'displaced', reason: 'another client took the session' });
    bye = false;
    clock.advance(30_000); // far beyond the ordinary back-off ceiling
    await settle();
    clock.advance(400_000);
    await settle();
    assert.equal(server.upgrades, 1, 'no fight over the session');
    assert.equal(s.state.kind, 'displaced');
    clock.advance(20_000); // 450 s in total: the jittered wait is over
    await until(() => s.state.kind === 'online', 5000, 'online after the long back-off');
    assert.equal(server.upgrades, 2);
  });

  it('displaced: reconnectNow() reconnects at once', async () => {
    const clock = new FakeClock();
    let bye = true;
    const outages: { from: number; to: number }[] = [];
    server.onConnection = (ws) => bye && ws.close(4001, 'Bye');
    const s = make({ clock, classifyClose: (_c, reason) => (reason === 'Bye' ? { action: 'displaced', reason } : undefined) });
    s.onOpen((e) => e.outage && outages.push(e.outage));
    s.start();
    await until(() => s.state.kind === 'displaced', 5000, 'displaced');
    await settle();
    assert.equal(server.upgrades, 1);
    bye = false;
    clock.advance(5000);
    s.reconnectNow();
    await until(() => s.state.kind === 'online', 5000, 'online');
    assert.equal(server.upgrades, 2);
    assert.equal(outages.length, 1, 'the displaced time is an outage');
    assert.equal(outages[0]!.to - outages[0]!.from, 5000);
  });

  it('stop() disposes every timer and closes the connection', async () => {
    const clock = new FakeClock();
    const s = make({ clock });
    s.start();
    await until(() => s.state.kind === 'online', 5000, 'online');
    assert.ok(clock.pending >= 2, 'heartbeat and stability timers run while online');
    await s.stop();
    assert.equal(clock.pending, 0, 'no timer left behind');
    assert.equal(s.isOpen, false);
    await until(() => server.closed === 1, 5000, 'the server to see the socket closed');
    assert.equal(s.state.kind, 'offline');
  });

  it('stop() during back-off and during a hanging resolveTarget() leaves nothing behind', async () => {
    const clock = new FakeClock();
    let hang = false;
    const s = make({
      clock,
      resolveTarget: (signal) => (hang ? new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))) : Promise.resolve({ url: 'ws://' })),
    });
    s.start();
    await until(() => s.state.kind === 'backoff', 5000, 'back-off');
    await s.stop();
    assert.equal(clock.pending, 0, 'the back-off timer is gone');
    hang = true;
    s.start();
    await until(() => states.at(-1)?.kind === 'connecting', 5000, 'connecting');
    await s.stop(); // must not wait for the credential step forever
    assert.equal(clock.pending, 0);
    assert.equal(s.state.kind, 'offline');
  });

  it('auth-error parks without timers or retries until reconnectNow()', async () => {
    const clock = new FakeClock();
    server.rejectWith = 401;
    const s = make({ clock });
    s.start();
    await until(() => s.state.kind === 'auth-error', 5000, 'auth-error');
    assert.equal(clock.pending, 0, 'no retry timer while the key is rejected');
    clock.advance(3_600_000);
    await settle();
    assert.equal(server.upgrades, 1);
    server.rejectWith = undefined;
    s.reconnectNow();
    await until(() => s.state.kind === 'online', 5000, 'online');
  });
});
