import * as assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { callMexc, conversationsOf, createListenKey, delay, expectRejected, isMethod, isPush, openSocket, type Client } from './helpers';

describe('sandbox MEXC fault switches', () => {
  let sb: Sandbox;
  let key: string;
  let conversationId: number;
  const clients: Client[] = [];
  const open = async (): Promise<Client> => {
    const c = await openSocket(sb, key, conversationId);
    clients.push(c);
    return c;
  };
  beforeEach(async () => {
    sb = await startSandbox({ counterpartyReplyDelayMs: 0 });
    key = await createListenKey(sb);
    conversationId = conversationsOf(sb)[0]!;
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sb.close();
  });

  it('dropAll cuts every socket without a close frame', async () => {
    const a = await open();
    const b = await open();
    sb.venue('mexc').applyFaults({ dropAll: true });
    assert.equal((await a.closed).code, 1006);
    assert.equal((await b.closed).code, 1006);
    assert.equal(sb.venue('mexc').sockets().length, 0);
    await open(); // and reconnecting works
  });

  it('halfOpen silences the open sockets but keeps their TCP open; new sockets work; lifting it destroys the silent ones', async () => {
    const silent = await open();
    const state = sb.venue('mexc').applyFaults({ halfOpen: true });
    assert.equal(state.halfOpenSockets, 1);
    silent.send({ method: 'PING' });
    silent.ws.ping();
    let ponged = false;
    silent.ws.on('pong', () => (ponged = true));
    sb.venue('mexc').inject({ conversationId, content: 'lost in the void' });
    await delay(150);
    assert.equal(silent.frames.length, 0, 'no PONG, no push');
    assert.equal(ponged, false, 'not even a WebSocket pong');
    assert.equal(silent.ws.readyState, silent.ws.OPEN);
    assert.equal(sb.venue('mexc').frames().length, 0, 'the server never saw the PING');

    const fresh = await open();
    fresh.send({ method: 'PING' });
    await fresh.next(isMethod('PING'));
    sb.venue('mexc').inject({ conversationId, content: 'reaches the new socket' });
    await fresh.next(isPush((d) => d.content === 'reaches the new socket'));

    sb.venue('mexc').applyFaults({ halfOpen: false });
    assert.equal((await silent.closed).code, 1006);
    assert.equal(fresh.ws.readyState, fresh.ws.OPEN);
  });

  it('halfOpen sockets are forgotten by the server after the heartbeat timeout (their slot is freed)', async () => {
    await sb.close();
    sb = await startSandbox({ counterparty: false, heartbeatTimeoutMs: 100, venues: { mexc: { maxConnectionsPerListenKey: 1 } } });
    key = await createListenKey(sb);
    conversationId = conversationsOf(sb)[0]!;
    const silent = await open();
    sb.venue('mexc').applyFaults({ halfOpen: true });
    assert.equal((await expectRejected(open())).status, 429, 'the server still counts it');
    await delay(200);
    assert.equal(silent.ws.readyState, silent.ws.OPEN, 'the client never hears about it');
    const fresh = await open();
    fresh.send({ method: 'PING' });
    await fresh.next(isMethod('PING'));
  });

  it('rejectUpgrades refuses the next N handshakes with HTTP 503', async () => {
    sb.venue('mexc').applyFaults({ rejectUpgrades: 2 });
    assert.equal((await expectRejected(open())).status, 503);
    assert.equal((await expectRejected(open())).status, 503);
    await open();
    assert.equal(sb.venue('mexc').faults().rejectUpgrades, 0);
  });

  it('slowReplyMs delays REST answers but the call still takes effect at once', async () => {
    sb.venue('mexc').applyFaults({ slowReplyMs: 200 });
    const pending = callMexc(sb, '/api/v3/userDataStream', { method: 'POST' });
    await delay(50);
    assert.equal(sb.venue('mexc').listenKeys().length, 2, 'key created before the answer');
    const reply = await pending;
    assert.equal(reply.status, 200);
    assert.ok(reply.ms >= 190, `answered after ${reply.ms} ms`);
    sb.venue('mexc').applyFaults({ slowReplyMs: 0 });
    assert.ok((await callMexc(sb, '/api/v3/userDataStream')).ms < 150);
  });

  it('rateLimitNext answers the next N signed calls with 429', async () => {
    sb.venue('mexc').applyFaults({ rateLimitNext: 2 });
    assert.equal((await callMexc(sb, '/api/v3/userDataStream')).status, 429);
    assert.equal((await callMexc(sb, '/api/v3/userDataStream')).status, 429);
    assert.equal((await callMexc(sb, '/api/v3/userDataStream')).status, 200);
  });

  it('expireListenKeys expires every key and closes its sockets', async () => {
    const c = await open();
    sb.venue('mexc').applyFaults({ expireListenKeys: true });
    assert.equal((await c.closed).reason, 'listenKey expired');
    const put = await callMexc(sb, '/api/v3/userDataStream', { method: 'PUT', query: `listenKey=${key}` });
    assert.deepEqual(put.body, { code: 730001, msg: 'listenKey does not exist' });
    assert.equal((await expectRejected(open())).status, 401);
  });

  it('heartbeatTimeoutMs can be shortened at run time', async () => {
    sb.venue('mexc').applyFaults({ heartbeatTimeoutMs: 100 });
    const c = await open();
    assert.equal((await c.closed).reason, 'heartbeat timeout');
  });

  it('echoSelf and counterparty switch at run time', async () => {
    const c = await open();
    sb.venue('mexc').applyFaults({ echoSelf: false, counterparty: false });
    c.sendMessage({ content: 'hello', conversationId, type: 1 });
    await c.next(isMethod('SEND_MESSAGE'));
    await delay(80);
    assert.equal(c.frames.filter(isPush()).length, 0);
    sb.venue('mexc').applyFaults({ echoSelf: true, counterparty: true });
    c.sendMessage({ content: 'hello again', conversationId, type: 1 });
    await c.next(isPush((d) => d.self));
    await c.next(isPush((d) => !d.self));
  });

  it('clockSkewMs moves server time so unsynchronised clients fail the recvWindow', async () => {
    const clientTime = Date.now();
    sb.venue('mexc').applyFaults({ clockSkewMs: 10_000 });
    const stale = await callMexc(sb, '/api/v3/userDataStream', { timestamp: clientTime });
    assert.deepEqual(stale.body, { code: 700003, msg: 'Timestamp for this request is outside of the recvWindow.' });
    const synced = await callMexc(sb, '/api/v3/userDataStream'); // helper signs with the server's time
    assert.equal(synced.status, 200);
  });

  it('rejects unknown fault names', () => {
    assert.throws(() => sb.venue('mexc').applyFaults({ nonsense: true } as never), /nonsense|Unrecognized/);
  });
});
