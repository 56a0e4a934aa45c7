import * as assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { conversationsOf, createListenKey, expectRejected, isMethod, isPush, openSocket, pushData, type Client } from './helpers';

describe('sandbox MEXC chat socket', () => {
  let sb: Sandbox;
  let key: string;
  let conversationId: number;
  const clients: Client[] = [];
  const open = async (listenKey = key, conversation: number | string = conversationId): Promise<Client> => {
    const client = await openSocket(sb, listenKey, conversation);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    sb = await startSandbox({ counterparty: false, venues: { mexc: { maxConnectionsPerListenKey: 2 } } });
    key = await createListenKey(sb);
    conversationId = conversationsOf(sb)[0]!;
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sb.close();
  });

  describe('upgrade', () => {
    it('refuses an unknown listenKey with HTTP 401', async () => {
      assert.equal((await expectRejected(open('f'.repeat(64)))).status, 401);
    });

    it('refuses a conversation of another account with HTTP 403', async () => {
      const foreign = conversationsOf(sb, 1)[0]!;
      assert.equal((await expectRejected(open(key, foreign))).status, 403);
      assert.equal((await expectRejected(open(key, 999999))).status, 403);
      assert.equal((await expectRejected(open(key, 'abc'))).status, 400);
    });

    it('refuses a connection over the per-listenKey cap with HTTP 429 and frees the slot on close', async () => {
      const first = await open();
      await open(key, conversationsOf(sb)[1]!);
      const rejected = await expectRejected(open());
      assert.equal(rejected.status, 429);
      first.close();
      await first.closed;
      await new Promise((r) => setTimeout(r, 20));
      await open();
      // A second key has its own budget.
      await open(await createListenKey(sb));
      const upgrades = sb.venue('mexc').requests({ kind: 'upgrade' }).map((r) => r.httpStatus);
      assert.deepEqual(upgrades, [101, 101, 429, 101, 101]);
    });
  });

  describe('frames', () => {
    it('answers PING with PONG', async () => {
      const c = await open();
      c.send({ method: 'PING' });
      assert.deepEqual(await c.next(isMethod('PING')), { success: true, method: 'PING', msg: 'success', data: 'PONG' });
    });

    it('answers unknown methods, non-JSON and method-less frames with errors', async () => {
      const c = await open();
      c.send({ method: 'SUBSCRIBE', params: '{}' });
      assert.deepEqual(await c.next(isMethod('SUBSCRIBE')), { success: false, method: 'SUBSCRIBE', msg: 'unknown method' });
      c.send('not json');
      assert.deepEqual(await c.next((f) => JSON.stringify(f).includes('invalid json')), { success: false, msg: 'invalid json' });
      c.send({ params: '{}' });
      assert.deepEqual(await c.next((f) => JSON.stringify(f).includes('method required')), { success: false, msg: 'method required' });
    });

    it('stores a valid SEND_MESSAGE, replies success, then pushes it double-encoded to every socket of the conversation', async () => {
      const sender = await open();
      const other = await open();
      sender.sendMessage({ content: 'hello there', conversationId, type: 1, imageUrl: '', imageThumbUrl: '', videoUrl: '', fileUrl: '' });
      assert.deepEqual(await sender.next(isMethod('SEND_MESSAGE')), { success: true, method: 'SEND_MESSAGE', msg: 'success' });
      const echo = pushData(await sender.next(isPush()))!;
      const copy = pushData(await other.next(isPush()))!;
      assert.deepEqual(echo, copy);
      assert.equal(echo.content, 'hello there');
      assert.equal(echo.conversationId, conversationId);
      assert.equal(echo.self, true);
      assert.equal(echo.fromNickName, 'SandboxMerchant');
      // The reply comes before the push on the sender's socket.
      const order = sender.frames.map((f) => (isMethod('SEND_MESSAGE')(f) ? 'reply' : isPush()(f) ? 'push' : 'other'));
      assert.deepEqual(order, ['reply', 'push']);
      // `data` is a string holding JSON, not an object.
      const raw = sender.frames[1] as { data: unknown };
      assert.equal(typeof raw.data, 'string');

      sender.sendMessage({ content: 'second', conversationId, type: 1 });
      const second = pushData(await sender.next(isPush((d) => d.content === 'second')))!;
      assert.ok(second.id > echo.id, 'ids grow');
      const stored = sb.venue('mexc').messages(conversationId).at(-1)!;
      assert.equal(stored.id, second.id);
    });

    it('renders createTime in UTC+8 by default', async () => {
      await sb.close();
      const fixed = Date.UTC(2025, 0, 26, 4, 0, 0);
      sb = await startSandbox({ counterparty: false, clock: () => fixed });
      key = await createListenKey(sb);
      conversationId = conversationsOf(sb)[0]!;
      const c = await open();
      sb.venue('mexc').inject({ conversationId, content: 'time check' });
      const data = pushData(await c.next(isPush()))!;
      assert.equal(data.createTime, '2025-01-26 12:00:00');
      assert.equal(data.self, false);
    });

    it('marks counterparty messages self:false and carries the sender identity', async () => {
      const c = await open();
      const injected = sb.venue('mexc').inject({ conversationId, content: 'from them' });
      const data = pushData(await c.next(isPush()))!;
      assert.equal(data.self, false);
      assert.equal(data.id, injected.id);
      const order = sb.venue('mexc').state().orders.find((o) => o.conversationId === conversationId)!;
      assert.equal(data.fromNickName, order.counterpartyNickName);
      assert.equal(data.fromUserId, order.counterpartyUserId);
    });

    it('validates SEND_MESSAGE params strictly', async () => {
      const c = await open();
      const cases: [unknown, string][] = [
        [{ method: 'SEND_MESSAGE', params: { content: 'x', conversationId, type: 1 } }, 'params must be a JSON string'],
        [{ method: 'SEND_MESSAGE', params: '{not json' }, 'params is not valid json'],
        [{ method: 'SEND_MESSAGE' }, 'params must be a JSON string'],
        [{ method: 'SEND_MESSAGE', params: JSON.stringify({ content: 'x', conversationId: String(conversationId), type: 1 }) }, 'conversationId must be an integer'],
        [{ method: 'SEND_MESSAGE', params: JSON.stringify({ content: 'x', conversationId: conversationId + 1, type: 1 }) }, 'conversationId does not match this connection'],
        [{ method: 'SEND_MESSAGE', params: JSON.stringify({ content: 'x', conversationId, type: 5 }) }, 'type must be 1, 2, 3 or 4'],
        [{ method: 'SEND_MESSAGE', params: JSON.stringify({ content: 'x', conversationId, type: '1' }) }, 'type must be 1, 2, 3 or 4'],
        [{ method: 'SEND_MESSAGE', params: JSON.stringify({ content: '', conversationId, type: 1 }) }, 'content is required for type 1'],
        [{ method: 'SEND_MESSAGE', params: JSON.stringify({ content: 'pic', conversationId, type: 2, imageUrl: '' }) }, 'imageUrl is required for type 2'],
        [{ method: 'SEND_MESSAGE', params: JSON.stringify({ content: '', conversationId, type: 3 }) }, 'videoUrl is required for type 3'],
        [{ method: 'SEND_MESSAGE', params: JSON.stringify({ content: '', conversationId, type: 4 }) }, 'fileUrl is required for type 4'],
        [{ method: 'SEND_MESSAGE', params: JSON.stringify({ content: 'x'.repeat(2001), conversationId, type: 1 }) }, 'content exceeds 2000 characters'],
      ];
      for (const [frame, msg] of cases) {
        const from = c.frames.length;
        c.send(frame);
        assert.deepEqual(await c.next(isMethod('SEND_MESSAGE'), 2000, from), { success: false, method: 'SEND_MESSAGE', msg }, JSON.stringify(frame));
      }
      assert.equal(c.frames.filter(isPush()).length, 0, 'nothing stored or pushed');
      const before = sb.venue('mexc').messages(conversationId).length;
      c.sendMessage({ content: 'x'.repeat(2000), conversationId, type: 1 });
      c.sendMessage({ content: '', conversationId, type: 2, imageUrl: 'https://example.invalid/a.png', imageThumbUrl: 'https://example.invalid/a_t.png' });
      c.sendMessage({ content: 'clip', conversationId, type: 3, videoUrl: 'https://example.invalid/a.mp4' });
      c.sendMessage({ content: 'doc', conversationId, type: 4, fileUrl: 'https://example.invalid/a.pdf' });
      await c.next(isPush((d) => d.type === 4));
      const stored = sb.venue('mexc').messages(conversationId).slice(before);
      assert.deepEqual(stored.map((m) => m.type), [1, 2, 3, 4]);
      assert.equal(stored[1]?.imageThumbUrl, 'https://example.invalid/a_t.png');
    });

    it('records client frames with params decoded', async () => {
      const c = await open();
      c.sendMessage({ content: 'recorded', conversationId, type: 1 });
      c.send({ method: 'PING' });
      await c.next(isMethod('PING'));
      const frames = sb.venue('mexc').frames(conversationId);
      assert.deepEqual(frames.map((f) => f.method), ['SEND_MESSAGE', 'PING']);
      assert.deepEqual(frames[0]?.params, { content: 'recorded', conversationId, type: 1 });
      assert.deepEqual(frames[0]?.reply, { success: true, msg: 'success' });
      assert.equal(typeof frames[0]?.raw, 'string');
    });

    it('with echoSelf off, does not echo to the sending socket but still reaches the others', async () => {
      sb.venue('mexc').applyFaults({ echoSelf: false });
      const sender = await open();
      const other = await open();
      sender.sendMessage({ content: 'no echo', conversationId, type: 1 });
      await sender.next(isMethod('SEND_MESSAGE'));
      const copy = pushData(await other.next(isPush()))!;
      assert.equal(copy.self, true);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(sender.frames.filter(isPush()).length, 0);
    });
  });
});
