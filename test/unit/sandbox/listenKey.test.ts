import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { callMexc, conversationsOf, createListenKey, expectRejected, manualClock, openSocket } from './helpers';

const listSchema = z.object({ total: z.number(), listenKey: z.array(z.string()), available: z.number() });
const HOUR = 60 * 60_000;

describe('sandbox MEXC listenKey lifecycle', () => {
  let sb: Sandbox;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(async () => {
    clock = manualClock();
    sb = await startSandbox({ clock: clock.now, counterparty: false, venues: { mexc: { maxListenKeysPerApiKey: 3 } } });
  });
  afterEach(() => sb.close());

  it('creates 64-hex keys and lists the valid keys of the calling api key only', async () => {
    const a = await createListenKey(sb, 0);
    const b = await createListenKey(sb, 0);
    const other = await createListenKey(sb, 1);
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.notEqual(a, b);
    const list = listSchema.parse((await callMexc(sb, '/api/v3/userDataStream')).body);
    assert.deepEqual([...list.listenKey].sort(), [a, b].sort());
    assert.equal(list.total, 200);
    assert.equal(list.available, 198);
    assert.ok(!list.listenKey.includes(other));
  });

  it('caps live keys per api key', async () => {
    for (let i = 0; i < 3; i++) await createListenKey(sb);
    const reply = await callMexc(sb, '/api/v3/userDataStream', { method: 'POST' });
    assert.deepEqual([reply.status, reply.body], [400, { code: 730003, msg: 'listenKey limit reached' }]);
  });

  it('expires a key after 60 min unless kept alive with PUT, and closes its sockets', async () => {
    const kept = await createListenKey(sb);
    const dropped = await createListenKey(sb);
    const conversation = conversationsOf(sb)[0]!;
    const keptSocket = await openSocket(sb, kept, conversation);
    const droppedSocket = await openSocket(sb, dropped, conversation);

    clock.advance(45 * 60_000);
    const put = await callMexc(sb, '/api/v3/userDataStream', { method: 'PUT', query: `listenKey=${kept}` });
    assert.deepEqual([put.status, put.body], [200, { listenKey: kept }]);

    clock.advance(20 * 60_000); // 65 min after creation, 20 min after the PUT
    sb.venue('mexc').sweep();
    const closed = await droppedSocket.closed;
    assert.equal(closed.reason, 'listenKey expired');
    assert.equal(keptSocket.ws.readyState, keptSocket.ws.OPEN);

    const list = listSchema.parse((await callMexc(sb, '/api/v3/userDataStream')).body);
    assert.deepEqual(list.listenKey, [kept]);
    const late = await callMexc(sb, '/api/v3/userDataStream', { method: 'PUT', query: `listenKey=${dropped}` });
    assert.deepEqual([late.status, late.body], [400, { code: 730001, msg: 'listenKey does not exist' }]);
    assert.equal((await expectRejected(openSocket(sb, dropped, conversation))).status, 401);

    clock.advance(HOUR);
    sb.venue('mexc').sweep();
    assert.equal((await keptSocket.closed).reason, 'listenKey expired');
  });

  it('expires keys by the periodic sweep too', async () => {
    await sb.close();
    clock = manualClock();
    sb = await startSandbox({ clock: clock.now, counterparty: false, sweepIntervalMs: 20 });
    const key = await createListenKey(sb);
    const socket = await openSocket(sb, key, conversationsOf(sb)[0]!);
    clock.advance(HOUR);
    assert.equal((await socket.closed).reason, 'listenKey expired');
  });

  it('DELETE invalidates the key and closes its sockets; only the owner can touch a key', async () => {
    const key = await createListenKey(sb);
    const socket = await openSocket(sb, key, conversationsOf(sb)[0]!);
    const foreign = await callMexc(sb, '/api/v3/userDataStream', { method: 'DELETE', query: `listenKey=${key}`, account: 1 });
    assert.deepEqual(foreign.body, { code: 730001, msg: 'listenKey does not exist' });
    const foreignPut = await callMexc(sb, '/api/v3/userDataStream', { method: 'PUT', query: `listenKey=${key}`, account: 1 });
    assert.deepEqual(foreignPut.body, { code: 730001, msg: 'listenKey does not exist' });
    const del = await callMexc(sb, '/api/v3/userDataStream', { method: 'DELETE', query: `listenKey=${key}` });
    assert.deepEqual([del.status, del.body], [200, { listenKey: key }]);
    const closed = await socket.closed;
    assert.deepEqual(closed, { code: 1000, reason: 'listenKey deleted' });
    const again = await callMexc(sb, '/api/v3/userDataStream', { method: 'DELETE', query: `listenKey=${key}` });
    assert.deepEqual(again.body, { code: 730001, msg: 'listenKey does not exist' });
    const missing = await callMexc(sb, '/api/v3/userDataStream', { method: 'PUT' });
    assert.deepEqual(missing.body, { code: 33333, msg: 'Parameter error' });
  });
});
