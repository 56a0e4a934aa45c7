import * as assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { conversationsOf, createListenKey, delay, isMethod, manualClock, openSocket } from './helpers';

describe('sandbox MEXC heartbeat and socket lifetime', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it('closes a socket that sends nothing for heartbeatTimeoutMs', async () => {
    sb = await startSandbox({ heartbeatTimeoutMs: 300, counterparty: false });
    const c = await openSocket(sb, await createListenKey(sb), conversationsOf(sb)[0]!);
    const opened = Date.now();
    const closed = await c.closed;
    const elapsed = Date.now() - opened;
    assert.deepEqual(closed, { code: 1000, reason: 'heartbeat timeout' });
    assert.ok(elapsed >= 250 && elapsed < 1500, `closed after ${elapsed} ms`);
    assert.equal(sb.venue('mexc').sockets().length, 0);
  });

  it('keeps a socket alive while the client sends PING every 100 ms', async () => {
    sb = await startSandbox({ heartbeatTimeoutMs: 300, counterparty: false });
    const c = await openSocket(sb, await createListenKey(sb), conversationsOf(sb)[0]!);
    for (let i = 0; i < 8; i++) {
      c.send({ method: 'PING' });
      await delay(100);
    }
    assert.equal(c.ws.readyState, c.ws.OPEN);
    assert.equal(c.frames.filter(isMethod('PING')).length, 8);
    c.close();
  });

  it('counts any data frame, but not WebSocket-level pings, as a heartbeat', async () => {
    // A second between beats against a 1.5 s timeout: a busy machine's stall of up to 1 s is no miss.
    sb = await startSandbox({ heartbeatTimeoutMs: 1500, counterparty: false });
    const key = await createListenKey(sb);
    const framed = await openSocket(sb, key, conversationsOf(sb)[0]!);
    const pinged = await openSocket(sb, key, conversationsOf(sb)[1]!);
    for (let i = 0; i < 8; i++) {
      framed.send('garbage that is not json');
      pinged.ws.ping();
      await delay(250);
    }
    assert.equal(framed.ws.readyState, framed.ws.OPEN);
    assert.equal((await pinged.closed).reason, 'heartbeat timeout');
    framed.close();
  });

  it('closes sockets at maxSocketLifetimeMs even when they are busy', async () => {
    sb = await startSandbox({ counterparty: false, venues: { mexc: { maxSocketLifetimeMs: 250 } } });
    const c = await openSocket(sb, await createListenKey(sb), conversationsOf(sb)[0]!);
    const timer = setInterval(() => c.send({ method: 'PING' }), 50);
    try {
      assert.deepEqual(await c.closed, { code: 1000, reason: 'connection lifetime exceeded' });
    } finally {
      clearInterval(timer);
    }
  });

  it('applies the lifetime rule to the venue clock as well (24 h by default)', async () => {
    const clock = manualClock();
    sb = await startSandbox({ clock: clock.now, counterparty: false, venues: { mexc: { listenKeyTtlMs: 48 * 60 * 60_000 } } });
    const c = await openSocket(sb, await createListenKey(sb), conversationsOf(sb)[0]!);
    clock.advance(23 * 60 * 60_000);
    sb.venue('mexc').sweep();
    assert.equal(c.ws.readyState, c.ws.OPEN);
    clock.advance(60 * 60_000);
    sb.venue('mexc').sweep();
    assert.equal((await c.closed).reason, 'connection lifetime exceeded');
  });
});
