import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { callBybit, eventually, innerSchema, legacyPage, okResult, orderOf, retCode, sessionPage } from './bybitHelpers';

const INFO = '/v5/p2p/user/personal/info';
const SEND = '/v5/p2p/chat/message/send';

describe('sandbox Bybit faults', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox({ counterparty: false, venues: { bybit: { sendPerSecond: 1000, listPerSecond: 1000 } } });
  });
  afterEach(() => sb.reset());
  after(async () => {
    await sb.close();
  });

  it('wrongEnvironment: signed calls answer HTTP 401; geoBlock: every call, even the server time, HTTP 403', async () => {
    sb.venue('bybit').applyFaults({ wrongEnvironment: true });
    assert.equal((await callBybit(sb, INFO, { body: {} })).status, 401);
    assert.equal((await fetch(`${sb.venue('bybit').restUrl}/v5/market/time`)).status, 200);
    sb.venue('bybit').applyFaults({ wrongEnvironment: false, geoBlock: true });
    const blocked = await callBybit(sb, INFO, { body: {} });
    assert.equal(blocked.status, 403);
    assert.match(blocked.headers.get('content-type') ?? '', /text\/html/);
    assert.equal((await fetch(`${sb.venue('bybit').restUrl}/v5/market/time`)).status, 403);
    sb.venue('bybit').applyFaults({ geoBlock: false });
    assert.equal(retCode(await callBybit(sb, INFO, { body: {} })), 0);
  });

  it('clockSkewMs: a client on its own clock gets 10002; the server time shows the skew', async () => {
    sb.venue('bybit').applyFaults({ clockSkewMs: 60_000 });
    assert.equal(retCode(await callBybit(sb, INFO, { body: {}, timestamp: Date.now() })), 10002);
    const time = z.object({ time: z.number() }).passthrough().parse(await (await fetch(`${sb.venue('bybit').restUrl}/v5/market/time`)).json());
    assert.ok(time.time - Date.now() > 55_000);
    assert.equal(retCode(await callBybit(sb, INFO, { body: {}, timestamp: time.time })), 0);
  });

  it('badSignature n: the next n signed calls are 10004', async () => {
    sb.venue('bybit').applyFaults({ badSignature: 1 });
    assert.equal(retCode(await callBybit(sb, INFO, { body: {} })), 10004);
    assert.equal(retCode(await callBybit(sb, INFO, { body: {} })), 0);
  });

  it('rateLimit n: 10006 with X-Bapi-Limit-Reset-Timestamp in ms; http429 n and http5xx n: HTTP errors, nothing runs', async () => {
    sb.venue('bybit').applyFaults({ rateLimit: 1, http429: 1, http5xx: 1 });
    const order = orderOf(sb, 0, 10);
    const before = sb.venue('bybit').messages(order.orderId).length;
    const body = { message: 'x', contentType: 'str', sessionId: order.sessionId };
    assert.equal((await callBybit(sb, SEND, { body })).status, 502);
    assert.equal((await callBybit(sb, SEND, { body })).status, 429);
    const limited = await callBybit(sb, SEND, { body });
    assert.equal(retCode(limited), 10006);
    assert.ok(Number(limited.headers.get('x-bapi-limit-reset-timestamp')) >= sb.venue('bybit').now() - 1000);
    assert.equal(limited.headers.get('x-bapi-limit-status'), '0');
    assert.equal(sb.venue('bybit').messages(order.orderId).length, before);
    assert.equal(retCode(await callBybit(sb, SEND, { body })), 0);
    assert.equal(sb.venue('bybit').messages(order.orderId).length, before + 1);
  });

  it('slowReplies: the call runs at once, its answer comes after a faster later call', async () => {
    sb.venue('bybit').applyFaults({ slowReplies: { ms: 400, n: 1 } });
    const order = orderOf(sb, 0, 10);
    const finished: string[] = [];
    const slow = callBybit(sb, SEND, { body: { message: 'slow one', contentType: 'str', sessionId: order.sessionId } }).then((r) => finished.push(`slow ${retCode(r)}`));
    await eventually(() => (sb.venue('bybit').messages(order.orderId).some((m) => m.content === 'slow one') ? true : undefined));
    await callBybit(sb, INFO, { body: {} }).then((r) => finished.push(`fast ${retCode(r)}`));
    await slow;
    assert.deepEqual(finished, ['fast 0', 'slow 0']);
  });

  it('loseReplies: the send is stored once, the connection dies with no reply; reading back finds it', async () => {
    sb.venue('bybit').applyFaults({ loseReplies: 1 });
    const order = orderOf(sb, 0, 10);
    await assert.rejects(callBybit(sb, SEND, { body: { message: 'did it arrive?', contentType: 'str', sessionId: order.sessionId } }));
    const [newest] = await sessionPage(sb, order.sessionId, 1);
    assert.equal(innerSchema.parse(JSON.parse(newest!.message)).content, 'did it arrive?');
    assert.equal(sb.venue('bybit').messages(order.orderId).filter((m) => m.content === 'did it arrive?').length, 1);
    assert.equal(sb.venue('bybit').requests().find((r) => r.path === SEND)!.httpStatus, 0, 'recorded as no reply');
    // The legacy send is safe to repeat after a lost reply: same msgUuid, one message.
    sb.venue('bybit').applyFaults({ loseReplies: 1 });
    const legacy = { message: 'legacy', contentType: 'str', orderId: order.orderId, msgUuid: 'lost-1' };
    await assert.rejects(callBybit(sb, '/v5/p2p/order/message/send', { body: legacy }));
    assert.equal(okResult(await callBybit(sb, '/v5/p2p/order/message/send', { body: legacy })), null);
    assert.equal((await legacyPage(sb, order.orderId, 50)).filter((m) => m.msgUuid === 'lost-1').length, 1);
  });

  it('validates fault input (zod) and reports the state', () => {
    assert.throws(() => sb.venue('bybit').applyFaults({ http5xx: -1 }));
    assert.throws(() => sb.venue('bybit').applyFaults({ bogus: 1 } as never));
    const state = sb.venue('bybit').applyFaults({ slowReplies: { ms: 5, n: 2 }, legacyChatClosed: [0, 1] });
    assert.deepEqual([state.slowReplies, state.legacyChatClosed], [{ ms: 5, n: 2 }, [0, 1]]);
    sb.reset();
    assert.deepEqual(sb.venue('bybit').faults().legacyChatClosed, [1]);
  });
});

describe('sandbox Bybit rate limits', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox({ counterparty: false, venues: { bybit: { sendPerSecond: 2, listPerSecond: 3 } } });
  });
  after(async () => {
    await sb.close();
  });

  it('counts per user and endpoint: over the limit is 10006 with the reset time; other endpoints and users are unaffected', async () => {
    const replies = await Promise.all([0, 1, 2, 3].map(() => callBybit(sb, INFO, { body: {} })));
    const codes = replies.map(retCode);
    assert.ok(codes.filter((c) => c === 10006).length >= 1, codes.join(','));
    const limited = replies.find((r) => retCode(r) === 10006)!;
    assert.equal(limited.headers.get('x-bapi-limit'), '3');
    assert.ok(Number(limited.headers.get('x-bapi-limit-reset-timestamp')) > sb.venue('bybit').now() - 1000);
    assert.equal(retCode(await callBybit(sb, INFO, { account: 1, body: {} })), 0, 'another user');
    assert.equal(retCode(await callBybit(sb, '/v5/p2p/order/pending/simplifyList', { body: { page: 1, size: 5 } })), 0, 'another endpoint');
    const order = orderOf(sb, 0, 10);
    const sends = await Promise.all([0, 1, 2].map((n) => callBybit(sb, SEND, { body: { message: `s${n}`, contentType: 'str', sessionId: order.sessionId } })));
    assert.ok(sends.map(retCode).includes(10006), 'sends: 2 a second here');
  });
});
