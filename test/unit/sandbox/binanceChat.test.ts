import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import {
  callBinance, chatUrl, credential, delay, expectRejected, isMessage, itemSchema, okData, openChat, openChatUrl, orderOf, textFrame, type ChatClient,
} from './binanceHelpers';

const PRESIGN = '/sapi/v1/c2c/chat/image/pre-signed-url';

describe('sandbox Binance chat socket', () => {
  let sb: Sandbox;
  const clients: ChatClient[] = [];
  const track = (c: ChatClient): ChatClient => {
    clients.push(c);
    return c;
  };
  beforeEach(async () => {
    sb = await startSandbox({ counterparty: false });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sb.close();
  });

  it('a token opens one socket: reused, unknown, foreign or expired tokens are refused with 401', async () => {
    const cred = await credential(sb);
    track(await openChatUrl(chatUrl(cred)));
    assert.equal((await expectRejected(openChatUrl(chatUrl(cred)))).status, 401, 'used');
    assert.equal((await expectRejected(openChatUrl(chatUrl(cred, `TOKEN${'0'.repeat(32)}`)))).status, 401, 'unknown');
    const other = await credential(sb, 1);
    assert.equal((await expectRejected(openChatUrl(chatUrl(cred, other.listenToken)))).status, 401, 'another user\'s token');
    assert.equal((await expectRejected(openChatUrl(`${cred.chatWssUrl}/c2c_${'0'.repeat(32)}_v2?token=${other.listenToken}`))).status, 401, 'unknown listenKey');
    track(await openChatUrl(chatUrl(other)));
    const upgrades = sb.venue('binance').requests({ kind: 'upgrade' });
    assert.ok(upgrades.every((r) => !r.rawQuery.includes(cred.listenToken) && !r.path.includes(cred.listenKey)), 'tokens and listen keys are not recorded');
  });

  it('an unused token expires', async () => {
    await sb.close();
    let now = Date.UTC(2025, 5, 1);
    sb = await startSandbox({ clock: () => now });
    const cred = await credential(sb);
    now += 60_001;
    assert.equal((await expectRejected(openChatUrl(chatUrl(cred)))).status, 401);
  });

  it('one live socket per user: a second connection sends Bye to the first and closes it', async () => {
    const first = track(await openChat(sb));
    const second = track(await openChat(sb));
    assert.equal(await first.nextRaw((r) => r === 'Bye'), 'Bye');
    assert.equal((await first.closed).code, 1000);
    assert.deepEqual(first.raw, ['Bye']);
    const orderNo = orderOf(sb, 0, 'TRADING');
    sb.venue('binance').inject({ orderNo, content: 'to the new socket' });
    await second.next(isMessage((f) => f.content === 'to the new socket'));
    assert.deepEqual(sb.venue('binance').sockets().map((s) => s.state), ['live']);
    track(await openChat(sb, 1)); // another user's socket leaves this one alone
    await delay(50);
    assert.equal(second.ws.readyState, second.ws.OPEN);
  });

  it('answers the app-level ping with pong and WebSocket pings with pongs', async () => {
    const c = track(await openChat(sb));
    c.send({ type: 'ping' });
    assert.deepEqual(await c.next((f) => f.type === 'pong'), { type: 'pong' });
    const pong = new Promise<void>((resolve) => c.ws.once('pong', () => resolve()));
    c.ws.ping();
    await pong;
  });

  it('closes a socket silent for the heartbeat timeout; WebSocket pings keep it open', async () => {
    await sb.close();
    sb = await startSandbox({ counterparty: false, heartbeatTimeoutMs: 150 });
    const silent = track(await openChat(sb));
    const pinging = track(await openChat(sb, 1));
    const timer = setInterval(() => pinging.ws.ping(), 40);
    try {
      assert.deepEqual(await silent.closed, { code: 1000, reason: 'heartbeat timeout' });
      assert.equal(pinging.ws.readyState, pinging.ws.OPEN);
    } finally {
      clearInterval(timer);
    }
  });

  it('a text send is stored with a new id, echoed in full to the sender and pushed to the other account', async () => {
    const orderNo = orderOf(sb, 0, 'TRADING', true); // between our two accounts
    const seller = track(await openChat(sb, 0));
    const buyer = track(await openChat(sb, 1));
    seller.send(textFrame(orderNo, 'Hello from the seller', 'uuid-1'));
    const echo = itemSchema.parse(await seller.next(isMessage((f) => f.uuid === 'uuid-1')));
    assert.equal(echo.self, true);
    assert.equal(echo.orderNo, orderNo);
    assert.equal(echo.content, 'Hello from the seller');
    assert.equal(echo.type, 'text');
    const push = itemSchema.parse(await buyer.next(isMessage((f) => f.uuid === 'uuid-1')));
    assert.deepEqual({ ...push, self: true }, echo, 'the same message, self:false for the other side');
    assert.equal(push.self, false);
    const seeded = sb.venue('binance').messages(orderNo);
    assert.ok(echo.id > Math.max(...seeded.filter((m) => m.id !== echo.id).map((m) => m.id)), 'a new, larger id');
    const history = z.array(itemSchema).parse(okData(await callBinance(sb, '/sapi/v1/c2c/chat/retrieveChatMessagesWithPagination', { query: `orderNo=${orderNo}&rows=1` })).data);
    assert.equal(history[0]!.id, echo.id);
    assert.deepEqual(sb.venue('binance').frames(orderNo).map((f) => f.outcome), ['accepted']);
  });

  it('topicId is accepted for orderNo', async () => {
    const c = track(await openChat(sb));
    const orderNo = orderOf(sb, 0, 'TRADING');
    c.send({ type: 'text', uuid: 'u-topic', topicId: orderNo, content: 'via topicId' });
    assert.equal((await c.next(isMessage((f) => f.uuid === 'u-topic'))).orderNo, orderNo);
  });

  it('answers ILLEGAL_PARAM with the uuid for invalid sends, stores nothing', async () => {
    const c = track(await openChat(sb));
    const mine = orderOf(sb, 0, 'TRADING');
    const foreign = orderOf(sb, 1, 'TRADING');
    const bad: Record<string, unknown>[] = [
      textFrame(foreign, 'not my order', 'b1'),
      textFrame('999', 'no such order', 'b2'),
      { ...textFrame(mine, '', 'b3') },
      { type: 'text', orderNo: mine, content: 'no uuid' },
      { type: 'image', uuid: 'b5', orderNo: mine },
      { type: 'image', uuid: 'b6', orderNo: mine, imageUrl: 'https://example.com/not-issued.png' },
      { type: 'video', uuid: 'b7', orderNo: mine, content: 'x' },
      { type: 'text', uuid: 'b8', orderNo: mine, topicId: foreign, content: 'two orders' },
    ];
    const before = sb.venue('binance').messages().length;
    for (const frame of bad) c.send(frame);
    c.send('not json');
    await c.next((f) => f.type === 'error' && f.uuid === 'b8');
    await c.next((f) => f.type === 'error' && f.uuid === null);
    const errors = c.json.filter((f): f is { type: string; content: string; uuid: unknown } => typeof f === 'object' && f !== null && 'type' in f && f.type === 'error');
    assert.equal(errors.length, bad.length + 1);
    assert.ok(errors.every((e) => e.content === 'ILLEGAL_PARAM'));
    assert.deepEqual(errors.map((e) => e.uuid), ['b1', 'b2', 'b3', null, 'b5', 'b6', 'b7', 'b8', null]);
    assert.equal(sb.venue('binance').messages().length, before);
    assert.ok(sb.venue('binance').frames().every((f) => f.outcome === 'error' && f.reason));
  });

  it('an account without merchant permission gets ILLEGAL_PARAM on every send', async () => {
    sb.venue('binance').applyFaults({ withoutMerchantPermission: [0] });
    const c = track(await openChat(sb));
    c.send(textFrame(orderOf(sb, 0, 'TRADING'), 'hello', 'm1'));
    assert.deepEqual(await c.next((f) => f.type === 'error'), { type: 'error', content: 'ILLEGAL_PARAM', uuid: 'm1' });
    assert.match(sb.venue('binance').frames()[0]!.reason ?? '', /merchant/);
  });

  it('an image send with an uploaded imageUrl is echoed with its image fields', async () => {
    const c = track(await openChat(sb));
    const urls = z.object({ preSignedUrl: z.string(), imageUrl: z.string() }).parse(okData(await callBinance(sb, PRESIGN, { method: 'POST', body: '{"imageName":"r.png"}' })).data);
    const frame = { type: 'image', uuid: 'img-1', orderNo: orderOf(sb, 0, 'TRADING'), createTime: Date.now(), imageUrl: urls.imageUrl, thumbnailUrl: urls.imageUrl, imageType: 'png', width: 10, height: 20, self: true, clientType: 'web', sendStatus: 0 };
    c.send(frame);
    assert.equal((await c.next((f) => f.type === 'error')).uuid, 'img-1', 'nothing uploaded yet: refused');
    assert.equal((await fetch(urls.preSignedUrl, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) })).status, 200);
    c.send({ ...frame, uuid: 'img-2' });
    const echo = await c.next(isMessage((f) => f.uuid === 'img-2'));
    assert.equal(echo.imageUrl, urls.imageUrl);
    assert.equal(echo.width, 10);
    assert.equal(echo.type, 'image');
  });

  it('an order state change pushes a system frame with JSON content and updates the order', async () => {
    const orderNo = orderOf(sb, 0, 'TRADING', true);
    const a = track(await openChat(sb, 0));
    const b = track(await openChat(sb, 1));
    sb.venue('binance').setOrderState({ orderNo, status: 'CANCELLED' });
    for (const c of [a, b]) {
      const frame = await c.next((f) => f.type === 'system');
      const content = z.object({ type: z.string(), orderNo: z.string(), orderStatus: z.string(), updateTime: z.number() }).parse(JSON.parse(z.string().parse(frame.content)));
      assert.deepEqual([content.type, content.orderNo, content.orderStatus], ['order_status', orderNo, 'CANCELLED']);
      assert.equal(frame.self, false);
    }
    assert.equal(sb.venue('binance').orders().find((o) => o.orderNo === orderNo)!.status, 'CANCELLED');
  });
});

describe('sandbox Binance counterparty', () => {
  let sb: Sandbox;
  let c: ChatClient | undefined;
  afterEach(async () => {
    c?.close();
    await sb.close();
  });

  it('asked to pay, it pays (TRADING → BUYER_PAYED with a system frame) and sends a receipt PNG the emulator serves', async () => {
    sb = await startSandbox({ counterpartyReplyDelayMs: 10 });
    c = await openChat(sb);
    const orderNo = orderOf(sb, 0, 'TRADING');
    c.send(textFrame(orderNo, 'Please pay to the bank details in the order', 'ask-1'));
    await c.next(isMessage((f) => f.content === 'OK, paying now.' && f.self === false));
    const system = await c.next((f) => f.type === 'system');
    assert.equal(JSON.parse(z.string().parse(system.content)).orderStatus, 'BUYER_PAYED');
    const image = await c.next(isMessage((f) => f.type === 'image'));
    const res = await fetch(z.string().parse(image.imageUrl));
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.deepEqual([...Buffer.from(await res.arrayBuffer()).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.equal(sb.venue('binance').orders().find((o) => o.orderNo === orderNo)!.status, 'BUYER_PAYED');
    // Replying means it read ours.
    assert.equal(sb.venue('binance').messages(orderNo).find((m) => m.uuid === 'ask-1')!.status, 'read');
  });

  it('chats back, and stays quiet when switched off', async () => {
    sb = await startSandbox({ counterpartyReplyDelayMs: 10 });
    c = await openChat(sb);
    const orderNo = orderOf(sb, 0, 'COMPLETED');
    c.send(textFrame(orderNo, 'hello there', 'g-1'));
    await c.next(isMessage((f) => f.self === false && typeof f.content === 'string' && /Hi|Hello|Hey/.test(f.content)));
    sb.venue('binance').applyFaults({ counterparty: false });
    const count = c.raw.length;
    c.send(textFrame(orderNo, 'anyone?', 'g-2'));
    await c.next(isMessage((f) => f.uuid === 'g-2'));
    await delay(80);
    assert.equal(c.raw.length, count + 1, 'only the echo');
  });
});
