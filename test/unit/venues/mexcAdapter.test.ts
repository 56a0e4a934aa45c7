import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { MexcAdapter } from '../../../src/extension/venues/mexc/adapter';
import { VenueError, type VenueEvent } from '../../../src/extension/venues/venue';
import { DEFAULT_MAX_FRAME_BYTES } from '../../../src/extension/core/connection/transport';
import { MAX_TEXT_LENGTH } from '../../../src/shared/messageLimits';
import { until } from '../helpers/until';


describe('MEXC adapter against the sandbox', function () {
  this.timeout(20000);
  let sandbox: Sandbox;
  let adapter: MexcAdapter | undefined;
  let events: VenueEvent[];

  function make(overrides: { apiKey?: string; secretKey?: string; heartbeatMs?: number; orderPollMs?: number; orderPollFastMs?: number; timezoneOffsetMinutes?: () => number | undefined } = {}): MexcAdapter {
    const account = sandbox.venue('mexc').accounts()[0]!;
    adapter = new MexcAdapter({
      accountId: 'acc-1',
      credentials: { apiKey: overrides.apiKey ?? account.credentials.apiKey, secretKey: overrides.secretKey ?? account.credentials.secretKey },
      endpoints: account.endpoints,
      heartbeatMs: overrides.heartbeatMs ?? 100,
      orderPollMs: overrides.orderPollMs,
      orderPollFastMs: overrides.orderPollFastMs,
      timezoneOffsetMinutes: overrides.timezoneOffsetMinutes,
      sendReplyTimeoutMs: 2000,
    });
    adapter.events((e) => events.push(e));
    return adapter;
  }

  const messages = () => events.flatMap((e) => (e.type === 'messages' ? e.messages : []));
  const restCalls = (path: string) => sandbox.venue('mexc').requests({ kind: 'rest' }).filter((r) => r.path === path);
  const orderListCalls = () => restCalls('/api/v3/fiat/market/order/paginationV2').map((r) => new URLSearchParams(r.rawQuery));
  const activeConversation = () => sandbox.venue('mexc').state().orders.find((o) => o.apiKey === sandbox.venue('mexc').accounts()[0]!.credentials.apiKey && (o.state === 'NOT_PAID' || o.state === 'PAID'))!;

  beforeEach(async () => {
    events = [];
    sandbox = await startSandbox({ heartbeatTimeoutMs: 600, counterpartyReplyDelayMs: 20, sweepIntervalMs: 50 });
  });
  afterEach(async () => {
    await adapter?.stop();
    adapter?.dispose();
    adapter = undefined;
    await sandbox.close();
  });

  it('verifies good keys with a correctly signed call', async () => {
    await make().verify();
    const calls = sandbox.venue('mexc').requests({ kind: 'rest' });
    assert.ok(calls.length >= 1);
    assert.ok(calls.every((c) => c.signatureValid === true && c.timestampValid === true), JSON.stringify(calls));
  });

  it('reports a wrong secret as an auth error with the venue\'s message', async () => {
    await assert.rejects(make({ secretKey: 'not-the-secret' }).verify(), (err: unknown) => err instanceof VenueError && err.kind === 'auth' && /Signature for this request is not valid/.test(err.message));
  });

  it('reports an unknown API key as an auth error', async () => {
    await assert.rejects(make({ apiKey: 'mx0unknownkey' }).verify(), (err: unknown) => err instanceof VenueError && err.kind === 'auth' && /Api key info invalid/i.test(err.message));
  });

  it('maps orders onto conversations and opens one socket per active order', async () => {
    const a = make();
    await a.start();
    const conversations = events.flatMap((e) => (e.type === 'conversation' ? [e.conversation] : []));
    const own = sandbox.venue('mexc').state().orders.filter((o) => o.apiKey === sandbox.venue('mexc').accounts()[0]!.credentials.apiKey);
    assert.equal(conversations.length, own.length);
    for (const o of own) {
      const c = conversations.find((x) => x.conversationId === String(o.conversationId));
      assert.ok(c, `conversation for order ${o.advOrderNo}`);
      assert.equal(c.title, o.counterpartyNickName);
      assert.equal(c.active, o.state === 'NOT_PAID' || o.state === 'PAID');
      assert.ok(c.subtitle?.includes(o.advOrderNo));
      // The order context as the emulator serves it over REST: amounts exact, side the account's.
      assert.equal(c.order?.orderNo, o.advOrderNo);
      assert.equal(c.order?.fiat, o.fiatUnit);
      assert.equal(c.order?.fiatAmount, JSON.stringify(o.amount));
      assert.equal(c.order?.asset, o.coinName);
      assert.equal(c.order?.side, o.side === 'BUY' ? 'buy' : 'sell');
      assert.equal(c.order?.venueState, o.state);
      assert.ok((c.order?.payBy ?? 0) > o.createTime, 'payment deadline from payTimeLimit');
    }
    const activeCount = own.filter((o) => o.state === 'NOT_PAID' || o.state === 'PAID').length;
    await until(() => sandbox.venue('mexc').sockets().length === activeCount, 5000, 'sockets');
    await until(() => a.connectionState.kind === 'online', 5000, 'online');
  });

  it('follows every page of the order list through the scroll cursor, and asks each order\'s conversation once', async () => {
    const apiKey = sandbox.venue('mexc').accounts()[0]!.credentials.apiKey;
    // 4 seeded + 36 = 40 orders: two full pages of 20 and an empty third; created in the same
    // millisecond or so, so the cursor's tie-break on the order number matters.
    for (let i = 0; i < 36; i++) sandbox.venue('mexc').createOrder({ state: i % 2 ? 'DONE' : 'CANCEL' });
    const own = sandbox.venue('mexc').state().orders.filter((o) => o.apiKey === apiKey);
    assert.equal(own.length, 40);
    const a = make();
    await a.start();
    const announced = new Set(events.flatMap((e) => (e.type === 'conversation' ? [e.conversation.conversationId] : [])));
    assert.deepEqual([...announced].sort(), own.map((o) => String(o.conversationId)).sort(), 'a conversation for every order, beyond the first 20');
    const lists = orderListCalls();
    assert.equal(lists.length, 3);
    assert.deepEqual(lists.map((q) => q.get('limit')), ['20', '20', '20']);
    assert.equal(lists[0]!.get('lastId'), null);
    assert.equal(lists[0]!.get('lastCreateTime'), null);
    const newestFirst = [...own].sort((x, y) => y.createTime - x.createTime || (y.advOrderNo < x.advOrderNo ? -1 : y.advOrderNo > x.advOrderNo ? 1 : 0));
    for (const [page, lastRow] of [[1, newestFirst[19]!], [2, newestFirst[39]!]] as const) {
      assert.equal(lists[page]!.get('lastId'), lastRow.advOrderNo, `page ${page + 1} starts after the last row of page ${page}`);
      assert.equal(lists[page]!.get('lastCreateTime'), String(lastRow.createTime));
    }
    const lookups = restCalls('/api/v3/fiat/retrieveChatConversation').length;
    assert.equal(lookups, 40);
    await a.reconnect();
    assert.equal(orderListCalls().length, 6, 'the next poll reads every page again');
    assert.equal(restCalls('/api/v3/fiat/retrieveChatConversation').length, lookups, 'conversation ids are cached');
  });

  it('polls the order list fast while a pane watches a chat, and at the normal pace once it closes', async () => {
    const a = make({ orderPollMs: 60_000, orderPollFastMs: 50 });
    await a.start();
    assert.equal(orderListCalls().length, 1);
    const watch = a.watch(String(activeConversation().conversationId));
    await until(() => orderListCalls().length >= 4, 5000, 'fast polls');
    watch.dispose();
    const after = orderListCalls().length;
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(orderListCalls().length <= after + 1, `at most the poll in flight finishes (${orderListCalls().length - after} more)`);
  });

  it('sends text, gets it confirmed by the echo, and receives the counterparty reply', async () => {
    const a = make();
    await a.start();
    const order = activeConversation();
    const conversationId = String(order.conversationId);
    const receipt = await a.send({ clientMessageId: 'cid0000001', conversationId, kind: 'text', text: 'Hi, payment details please', attempt: 0, composedAt: Date.now() });
    assert.ok(receipt.status === 'sent' || receipt.status === 'confirmed');
    const frame = sandbox.venue('mexc').frames(order.conversationId).find((f) => f.method === 'SEND_MESSAGE');
    assert.ok(frame, 'the sandbox received SEND_MESSAGE');
    assert.deepEqual(frame.params, { content: 'Hi, payment details please', conversationId: order.conversationId, type: 1, imageUrl: '', imageThumbUrl: '', videoUrl: '', fileUrl: '' });
    assert.deepEqual(frame.reply, { success: true, msg: 'success' });
    await until(() => events.some((e) => e.type === 'messageStatus' && e.ref.clientMessageId === 'cid0000001' && e.status === 'confirmed'), 5000, 'echo');
    const echo = messages().find((m) => m.clientMessageId === 'cid0000001');
    assert.equal(echo?.direction, 'out');
    assert.equal(echo?.venueMessageId, String(sandbox.venue('mexc').messages(order.conversationId).find((m) => m.content === 'Hi, payment details please')!.id));
    await until(() => messages().some((m) => m.direction === 'in' && m.conversationId === conversationId), 5000, 'counterparty reply');
    const reply = messages().find((m) => m.direction === 'in')!;
    assert.equal(reply.senderName, order.counterpartyNickName);
    assert.ok(reply.text && reply.text.length > 0);
  });

  it('announces the wire only once the chat socket is open, before the frame leaves; a socket that never opens is a plain "not sent"', async () => {
    const a = make();
    await a.start();
    const order = activeConversation();
    const sendFrames = () => sandbox.venue('mexc').frames(order.conversationId).filter((f) => f.method === 'SEND_MESSAGE').length;
    // The chat's socket cut and every new one refused: the send waits for it, then gives up.
    sandbox.venue('mexc').applyFaults({ dropAll: true, rejectUpgrades: 1_000_000 });
    let announced = 0;
    const hooks = { beforeWire: async () => { announced++; assert.equal(sendFrames(), 0, 'announced before the frame leaves'); } };
    await assert.rejects(
      a.send({ clientMessageId: 'cid0000010', conversationId: String(order.conversationId), kind: 'text', text: 'wait for me', attempt: 0, composedAt: Date.now() }, hooks),
      (e: unknown) => e instanceof VenueError && e.kind === 'unavailable',
    );
    assert.equal(announced, 0, 'nothing could leave: never announced');
    // The socket can open again (reconnecting now, not after the back-off the refusals built up): announced once, then sent.
    sandbox.venue('mexc').applyFaults({ rejectUpgrades: 0 });
    await a.reconnect();
    const receipt = await a.send({ clientMessageId: 'cid0000011', conversationId: String(order.conversationId), kind: 'text', text: 'wait for me', attempt: 1, composedAt: Date.now() }, hooks);
    assert.ok(receipt.status === 'sent' || receipt.status === 'confirmed');
    assert.equal(announced, 1);
    assert.equal(sendFrames(), 1);
  });

  it('without an echo (unconfirmed whether MEXC echoes own sends) a send stays "sent", never failed or resent', async () => {
    sandbox.venue('mexc').applyFaults({ echoSelf: false });
    const a = make();
    await a.start();
    const order = activeConversation();
    const receipt = await a.send({ clientMessageId: 'cid0000009', conversationId: String(order.conversationId), kind: 'text', text: 'no echo please', attempt: 0, composedAt: Date.now() });
    assert.equal(receipt.status, 'sent');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(events.some((e) => e.type === 'messageStatus' && e.ref.clientMessageId === 'cid0000009'), false);
    assert.equal(sandbox.venue('mexc').frames(order.conversationId).filter((f) => f.method === 'SEND_MESSAGE').length, 1);
  });

  it('sends media by URL with the right type and field', async () => {
    const a = make();
    await a.start();
    const order = activeConversation();
    await a.send({ clientMessageId: 'cid0000002', conversationId: String(order.conversationId), kind: 'image', text: 'receipt', attachment: { kind: 'image', url: `${sandbox.venue('mexc').mediaUrl}/receipt.png` }, attempt: 0, composedAt: Date.now() });
    const frame = sandbox.venue('mexc').frames(order.conversationId).find((f) => f.method === 'SEND_MESSAGE');
    const params = frame?.params as { type: number; imageUrl: string };
    assert.equal(params.type, 2);
    assert.equal(params.imageUrl, `${sandbox.venue('mexc').mediaUrl}/receipt.png`);
    await assert.rejects(a.send({ clientMessageId: 'cid0000003', conversationId: String(order.conversationId), kind: 'file', text: '', attachment: { kind: 'file', url: 'javascript:alert(1)' }, attempt: 0, composedAt: Date.now() }), (e: unknown) => e instanceof VenueError && e.kind === 'rejected');
  });

  it('a message with a garbage or implausible time is kept, shown at its arrival time, and reported as bad input', async () => {
    const a = make();
    await a.start();
    const order = activeConversation();
    const watch = a.watch(String(order.conversationId));
    await until(() => sandbox.venue('mexc').sockets().some((s) => s.conversationId === order.conversationId && s.state === 'live'), 5000, 'socket');
    const frame = (id: number, createTime: string) => JSON.stringify({ success: true, method: 'RECEIVE_MESSAGE', msg: 'success', data: JSON.stringify({ id, content: `time ${createTime}`, conversationId: order.conversationId, type: 1, createTime, self: false, fromUserId: 'cp', fromNickName: 'Counterparty' }) });
    const before = Date.now();
    sandbox.venue('mexc').pushRaw(order.conversationId, frame(990001, 'not a time'));
    sandbox.venue('mexc').pushRaw(order.conversationId, frame(990002, '2099-01-01 00:00:00'));
    await until(() => messages().filter((m) => m.venueMessageId === '990001' || m.venueMessageId === '990002').length === 2, 5000, 'both messages');
    for (const id of ['990001', '990002']) {
      const m = messages().find((x) => x.venueMessageId === id)!;
      assert.ok(m.time >= before && m.time <= Date.now(), `message ${id} is shown at its arrival time`);
    }
    const reports = events.filter((e) => e.type === 'badInput' && /createTime/.test(e.detail));
    assert.equal(reports.length, 2, JSON.stringify(reports));
    watch.dispose();
  });

  it('reads message times in the offset set now: a changed setting applies to the next push without reconnecting', async () => {
    let offset: number | undefined = 480;
    const a = make({ timezoneOffsetMinutes: () => offset });
    await a.start();
    const order = activeConversation();
    const watch = a.watch(String(order.conversationId));
    await until(() => sandbox.venue('mexc').sockets().some((s) => s.conversationId === order.conversationId && s.state === 'live'), 5000, 'socket');
    const chatSockets = () => sandbox.venue('mexc').sockets().filter((s) => s.conversationId === order.conversationId).map((s) => s.id);
    const socketsBefore = chatSockets();
    // One wall-clock instant an hour ago, written as MEXC writes it: zone-less, in UTC+8.
    const instant = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
    const createTime = new Date(instant + 480 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
    const frame = (id: number) => JSON.stringify({ success: true, method: 'RECEIVE_MESSAGE', msg: 'success', data: JSON.stringify({ id, content: 'tz', conversationId: order.conversationId, type: 1, createTime, self: false, fromUserId: 'cp', fromNickName: 'Counterparty' }) });
    const timeOf = async (id: number) => {
      sandbox.venue('mexc').pushRaw(order.conversationId, frame(id));
      await until(() => messages().some((m) => m.venueMessageId === String(id)), 5000, `message ${id}`);
      return messages().find((m) => m.venueMessageId === String(id))!.time;
    };
    assert.equal(await timeOf(990101), instant, 'read in UTC+8');
    offset = 540; // the user says MEXC writes UTC+9
    assert.equal(await timeOf(990102), instant - 60 * 60_000, 'the same text read in UTC+9 is an hour earlier');
    offset = undefined; // setting removed or unusable: MEXC's documented UTC+8
    assert.equal(await timeOf(990103), instant);
    assert.deepEqual(chatSockets(), socketsBefore, 'the chat\'s socket stayed: no reconnect was needed');
    watch.dispose();
  });

  it('keeps the socket alive with PING and survives the 60 s (here 600 ms) heartbeat timeout', async () => {
    const a = make({ heartbeatMs: 100 });
    await a.start();
    const order = activeConversation();
    await until(() => sandbox.venue('mexc').sockets().length > 0, 5000, 'socket');
    const before = sandbox.venue('mexc').sockets().map((s) => s.id).sort();
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(sandbox.venue('mexc').sockets().map((s) => s.id).sort(), before, 'same sockets, none timed out');
    assert.ok(sandbox.venue('mexc').frames(order.conversationId).filter((f) => f.method === 'PING').length >= 5);
    assert.equal(events.some((e) => e.type === 'gap'), false);
  });

  it('reconnects after a drop and marks the outage as a gap', async () => {
    const a = make();
    await a.start();
    await until(() => a.connectionState.kind === 'online' && sandbox.venue('mexc').sockets().length > 0, 5000, 'online');
    const count = sandbox.venue('mexc').sockets().length;
    sandbox.venue('mexc').applyFaults({ dropAll: true });
    await until(() => events.filter((e) => e.type === 'gap').length === count, 8000, 'gap per conversation');
    await until(() => sandbox.venue('mexc').sockets().length === count && a.connectionState.kind === 'online', 8000, 'back online');
    const gap = events.find((e) => e.type === 'gap');
    assert.ok(gap && gap.type === 'gap' && gap.to >= gap.from);
  });

  it('detects a half-open socket and reconnects', async () => {
    const a = make({ heartbeatMs: 100 });
    await a.start();
    await until(() => sandbox.venue('mexc').sockets().length > 0, 5000, 'socket');
    const first = sandbox.venue('mexc').sockets().map((s) => s.id);
    sandbox.venue('mexc').applyFaults({ halfOpen: true });
    await until(() => sandbox.venue('mexc').sockets().some((s) => !first.includes(s.id)), 8000, 'a new socket');
    await until(() => a.connectionState.kind === 'online', 8000, 'online');
  });

  it('creates a new listen key when the old one expired and reconnects with it', async () => {
    const a = make();
    await a.start();
    await until(() => sandbox.venue('mexc').sockets().length > 0, 5000, 'socket');
    const keysBefore = sandbox.venue('mexc').requests({ kind: 'rest' }).filter((r) => r.method === 'POST' && r.path === '/api/v3/userDataStream').length;
    sandbox.venue('mexc').applyFaults({ expireListenKeys: true });
    await until(() => sandbox.venue('mexc').requests({ kind: 'rest' }).filter((r) => r.method === 'POST' && r.path === '/api/v3/userDataStream').length > keysBefore, 8000, 'new listen key');
    await until(() => sandbox.venue('mexc').sockets().length > 0 && a.connectionState.kind === 'online', 8000, 'reconnected');
  });

  it('de-duplicates nothing itself but keys every message by (conversationId, id)', async () => {
    const a = make();
    await a.start();
    const order = activeConversation();
    await until(() => sandbox.venue('mexc').sockets().length > 0, 5000, 'socket');
    sandbox.venue('mexc').inject({ conversationId: order.conversationId, content: 'one' });
    await until(() => messages().some((m) => m.text === 'one'), 5000, 'message');
    const m = messages().find((x) => x.text === 'one')!;
    assert.equal(m.key, `mexc:acc-1:${order.conversationId}:${m.venueMessageId}`);
  });
});

describe('MEXC adapter with a hostile chat server', function () {
  this.timeout(10000);
  it('logs and counts malformed frames, never crashes, and still delivers the good ones', async () => {
    await withChatServer(
      (send, conversationId) =>
        send([
          'not json at all',
          '{"method":"RECEIVE_MESSAGE","data":"{truncated',
          JSON.stringify({ method: 'RECEIVE_MESSAGE', data: JSON.stringify({ id: 'x', conversationId, type: 1, createTime: 'now', self: false }) }),
          JSON.stringify({ method: 'MYSTERY' }),
          JSON.stringify({ success: true, method: 'RECEIVE_MESSAGE', msg: 'success', data: JSON.stringify({ id: 5, content: '<img src=x onerror=alert(1)>', conversationId, type: 1, createTime: '2025-01-26 12:00:00', self: false, fromUserId: 'u', fromNickName: 'Evil' }) }),
        ]),
      async (events) => {
        await until(() => events.some((e) => e.type === 'messages'), 5000, 'the good message');
        const bad = events.filter((e) => e.type === 'badInput');
        assert.equal(bad.length, 4, JSON.stringify(bad));
        const good = events.find((e) => e.type === 'messages');
        assert.ok(good?.type === 'messages' && good.messages[0]?.text === '<img src=x onerror=alert(1)>', 'hostile text is kept as text');
      },
    );
  });

  /** A chat server for one conversation that runs `serve` once the adapter's first PING shows it is listening. */
  async function withChatServer(serve: (send: (frames: readonly string[]) => void, conversationId: number) => void, check: (events: VenueEvent[]) => Promise<void>): Promise<void> {
    const sandbox = await startSandbox();
    const http = createServer();
    const wss = new WebSocketServer({ noServer: true });
    const conversationId = sandbox.venue('mexc').state().orders.find((o) => o.apiKey === sandbox.venue('mexc').accounts()[0]!.credentials.apiKey && o.state === 'PAID')!.conversationId;
    http.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (!req.url?.includes(`conversationId=${conversationId}`)) return;
        ws.once('message', () => {
          // Corked: the frames leave in one write, so the adapter reads them in one go.
          serve((frames) => {
            socket.cork();
            for (const f of frames) ws.send(f);
            socket.uncork();
          }, conversationId);
        });
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    const events: VenueEvent[] = [];
    const account = sandbox.venue('mexc').accounts()[0]!;
    const adapter = new MexcAdapter({ accountId: 'acc', credentials: account.credentials, endpoints: { rest: sandbox.venue('mexc').restUrl, ws: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws` }, heartbeatMs: 50 });
    adapter.events((e) => events.push(e));
    try {
      await adapter.start();
      await check(events);
    } finally {
      await adapter.stop();
      adapter.dispose();
      for (const c of wss.clients) c.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
      await sandbox.close();
    }
  }

  const push = (conversationId: number, id: number, content: string) =>
    JSON.stringify({ success: true, method: 'RECEIVE_MESSAGE', msg: 'success', data: JSON.stringify({ id, content, conversationId, type: 1, createTime: '2025-01-26 12:00:00', self: false, fromUserId: 'u', fromNickName: 'Kate' }) });

  it('hands a burst of pushes on as one batch, in arrival order', async () => {
    await withChatServer(
      (send, conversationId) => send(Array.from({ length: 50 }, (_, i) => push(conversationId, 1000 + i, `m${i}`))),
      async (events) => {
        await until(() => events.some((e) => e.type === 'messages'), 5000, 'the burst');
        const batches = events.filter((e) => e.type === 'messages');
        assert.equal(batches.length, 1, 'one event for the burst');
        assert.deepEqual(batches[0]?.type === 'messages' && batches[0].messages.map((m) => m.text), Array.from({ length: 50 }, (_, i) => `m${i}`));
      },
    );
  });

  it('reports a frame over the socket size cap as bad input and stays up', async () => {
    let served = 0;
    await withChatServer(
      (send, conversationId) => send([served++ === 0 ? push(conversationId, 9, 'z'.repeat(DEFAULT_MAX_FRAME_BYTES)) : push(conversationId, 10, 'after the reconnect')]),
      async (events) => {
        await until(() => events.some((e) => e.type === 'messages'), 10_000, 'a message after the reconnect');
        const bad = events.filter((e) => e.type === 'badInput');
        assert.deepEqual(bad.map((e) => (e.type === 'badInput' ? e.detail : '')), [`frame too large (over ${DEFAULT_MAX_FRAME_BYTES} bytes)`]);
        assert.deepEqual(events.flatMap((e) => (e.type === 'messages' ? e.messages.map((m) => m.text) : [])), ['after the reconnect']);
      },
    );
  });

  it('cuts text over the cap and reports what it cut as bad input', async () => {
    const long = 'x'.repeat(MAX_TEXT_LENGTH + 25);
    await withChatServer(
      (send, conversationId) => send([push(conversationId, 7, long), push(conversationId, 8, 'short')]),
      async (events) => {
        await until(() => events.filter((e) => e.type === 'messages').flatMap((e) => (e.type === 'messages' ? e.messages : [])).length === 2, 5000, 'both messages');
        const delivered = events.flatMap((e) => (e.type === 'messages' ? e.messages : []));
        assert.equal(delivered[0]?.text?.length, MAX_TEXT_LENGTH);
        assert.equal(delivered[1]?.text, 'short');
        const bad = events.filter((e) => e.type === 'badInput');
        assert.equal(bad.length, 1, JSON.stringify(bad));
        assert.match(bad[0]?.type === 'badInput' ? bad[0].detail : '', new RegExp(`message 7: text clamped from ${MAX_TEXT_LENGTH + 25} chars`));
      },
    );
  });
});

describe('MEXC adapter at merchant scale (30 active orders on one account)', function () {
  this.timeout(30000);
  let sandbox: Sandbox;
  let adapter: MexcAdapter | undefined;
  let events: VenueEvent[];

  beforeEach(async () => {
    events = [];
    sandbox = await startSandbox({ heartbeatTimeoutMs: 2000, counterparty: false, sweepIntervalMs: 50 });
  });
  afterEach(async () => {
    await adapter?.stop();
    adapter?.dispose();
    adapter = undefined;
    await sandbox.close();
  });

  const mexc = () => sandbox.venue('mexc');
  const account = () => mexc().accounts()[0]!;
  const activeOrders = () => mexc().state().orders.filter((o) => o.apiKey === account().credentials.apiKey && (o.state === 'NOT_PAID' || o.state === 'PAID'));
  const upgrades = () => mexc().requests({ kind: 'upgrade' });
  const keyCreations = () => mexc().requests({ kind: 'rest' }).filter((r) => r.method === 'POST' && r.path === '/api/v3/userDataStream').length;
  const liveSockets = () => mexc().sockets().filter((s) => s.state === 'live');

  function start(): MexcAdapter {
    adapter = new MexcAdapter({ accountId: 'desk', credentials: account().credentials, endpoints: account().endpoints, heartbeatMs: 300, orderPollMs: 300, orderPageSize: 20 });
    adapter.events((e) => events.push(e));
    return adapter;
  }

  async function thirtyActiveOrders(): Promise<void> {
    while (activeOrders().length < 30) mexc().createOrder({});
  }

  it('opens a socket for every one of 30 active orders, 5 per listen key, with no upgrade refused', async () => {
    await thirtyActiveOrders();
    const a = start();
    await a.start();
    await until(() => liveSockets().length === 30, 10000, '30 live sockets');
    const perKey = new Map<string, number>();
    for (const s of liveSockets()) perKey.set(s.listenKeyTail, (perKey.get(s.listenKeyTail) ?? 0) + 1);
    assert.equal(perKey.size, 6, 'six listen keys');
    assert.ok([...perKey.values()].every((n) => n <= 5));
    assert.deepEqual(upgrades().filter((u) => u.httpStatus !== 101), [], 'no refused upgrade');
    assert.equal(keyCreations(), 6);
    await until(() => a.connectionState.kind === 'online', 5000, 'online');

    // A counterparty message in each of the 30 orders arrives.
    for (const o of activeOrders()) mexc().inject({ conversationId: o.conversationId, content: `paid ${o.conversationId}` });
    await until(() => events.flatMap((e) => (e.type === 'messages' ? e.messages : [])).filter((m) => m.text?.startsWith('paid ')).length === 30, 10000, '30 messages');
    const got = new Set(events.flatMap((e) => (e.type === 'messages' ? e.messages : [])).map((m) => m.conversationId));
    for (const o of activeOrders()) assert.ok(got.has(String(o.conversationId)), `order ${o.conversationId}`);
  });

  it('an order created while running gets its socket within one poll; an ended one loses it unless a pane shows it', async () => {
    await thirtyActiveOrders();
    const a = start();
    await a.start();
    await until(() => liveSockets().length === 30, 10000, '30 live sockets');
    const fresh = mexc().createOrder({ openingMessage: 'hello from order 31' });
    await until(() => events.some((e) => e.type === 'messages' && e.messages.some((m) => m.conversationId === String(fresh.conversationId))) || liveSockets().some((s) => s.conversationId === fresh.conversationId), 3000, 'socket for the new order');
    await until(() => liveSockets().length === 31, 3000, '31 sockets');

    const [ended, watched] = activeOrders();
    const pane = a.watch(String(watched!.conversationId));
    mexc().setOrderState({ orderNo: ended!.advOrderNo, state: 'DONE' });
    mexc().setOrderState({ orderNo: watched!.advOrderNo, state: 'CANCEL' });
    await until(() => !liveSockets().some((s) => s.conversationId === ended!.conversationId), 3000, 'ended order socket closed');
    assert.ok(liveSockets().some((s) => s.conversationId === watched!.conversationId), 'the pane keeps its socket');
    pane.dispose();
    await until(() => !liveSockets().some((s) => s.conversationId === watched!.conversationId), 3000, 'closed with the pane');
    assert.deepEqual(upgrades().filter((u) => u.httpStatus !== 101), []);
  });

  it('a pane on a closed order gets a socket without pushing any key over its cap', async () => {
    await thirtyActiveOrders();
    const a = start();
    await a.start();
    await until(() => liveSockets().length === 30, 10000, '30 live sockets');
    const closed = mexc().state().orders.filter((o) => o.apiKey === account().credentials.apiKey && (o.state === 'DONE' || o.state === 'CANCEL'));
    const panes = closed.map((o) => a.watch(String(o.conversationId)));
    await until(() => liveSockets().length === 30 + closed.length, 5000, 'sockets for the panes');
    assert.deepEqual(upgrades().filter((u) => u.httpStatus !== 101), []);
    for (const p of panes) p.dispose();
  });

  it('a chat the client cannot watch (every listen key full) says so on its own, and recovers when a slot frees', async () => {
    await thirtyActiveOrders();
    // MEXC's caps made small: 2 keys of 5 sockets for 30 active orders.
    adapter = new MexcAdapter({ accountId: 'desk', credentials: account().credentials, endpoints: account().endpoints, heartbeatMs: 300, orderPollMs: 300, maxListenKeys: 2 });
    adapter.events((e) => events.push(e));
    const a = adapter;
    await a.start();
    await until(() => liveSockets().length === 10, 10000, '10 live sockets');
    const problems = () => {
      const now = new Map<string, string>();
      for (const e of events) {
        if (e.type !== 'watch') continue;
        if (e.problem === undefined) now.delete(e.conversationId);
        else now.set(e.conversationId, e.problem);
      }
      return now;
    };
    await until(() => problems().size === 20, 10000, 'a watch problem for each of the other 20');
    assert.match([...problems().values()][0]!, /listen keys/);
    assert.deepEqual(upgrades().filter((u) => u.httpStatus !== 101), [], 'still no refused upgrade');
    await until(() => a.connectionState.kind === 'online', 5000, 'the account stays online');
    const watched = liveSockets().map((s) => s.conversationId);
    const ended = activeOrders().find((o) => watched.includes(o.conversationId))!;
    mexc().setOrderState({ orderNo: ended.advOrderNo, state: 'DONE' });
    await until(() => problems().size === 19 && liveSockets().length === 10 && !liveSockets().some((s) => s.conversationId === ended.conversationId), 3000, 'one waiting chat takes the freed slot at once');
  });

  it('expired keys are never used again: every socket moves to a new key', async () => {
    await thirtyActiveOrders();
    const a = start();
    await a.start();
    await until(() => liveSockets().length === 30, 10000, '30 live sockets');
    const oldKeys = new Set(mexc().listenKeys().map((k) => k.key.slice(-6)));
    const attemptsBefore = upgrades().length;
    mexc().applyFaults({ expireListenKeys: true });
    await until(() => liveSockets().length === 30, 10000, 'all back');
    const retried = upgrades().slice(attemptsBefore);
    assert.deepEqual(retried.filter((u) => u.httpStatus === 401), [], 'no upgrade with an expired key');
    for (const s of liveSockets()) assert.ok(!oldKeys.has(s.listenKeyTail.slice(-6)), 'on a new key');
  });

  it('Reconnect deletes the old keys at MEXC; stop deletes all of them', async () => {
    await thirtyActiveOrders();
    const a = start();
    await a.start();
    await until(() => liveSockets().length === 30, 10000, '30 live sockets');
    await a.reconnect();
    await until(() => liveSockets().length === 30, 10000, 'all back');
    assert.equal(mexc().listenKeys().length, 6, 'the six old keys were deleted, six new ones in use');
    await a.stop();
    assert.equal(mexc().listenKeys().length, 0);
  });
});
