import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { WebSocket } from 'ws';
import type { MixinEmulator } from '../../../sandbox/mixin/emulator';
import { b64url, blaze, encode, keystoreOf, pushes, startMixin, textMessage, token, until, type BlazeClient } from './mixinHelpers';

const MESSAGE_VIEW_KEYS = [
  'category', 'conversation_id', 'created_at', 'data', 'data_base64', 'message_id', 'quote_message_id', 'representative_id', 'session_id', 'source', 'status', 'type',
  'updated_at', 'user_id',
];
const RFC3339_MICRO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function refused(e: MixinEmulator, headers: Record<string, string>, protocols: string[] = ['Mixin-Blaze-1']): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(e.blazeUrl, protocols, { headers });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => reject(new Error('handshake accepted')));
    ws.once('error', () => undefined);
  });
}

describe('sandbox Mixin Blaze', () => {
  let e: MixinEmulator;
  const clients: BlazeClient[] = [];
  const open = async (...args: Parameters<typeof blaze> extends [unknown, ...infer R] ? R : never): Promise<BlazeClient> => {
    const c = await blaze(e, ...args);
    clients.push(c);
    return c;
  };
  before(async () => {
    e = await startMixin();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.ws.terminate();
    e.reset();
  });
  after(() => e.close());

  it('requires the Mixin-Blaze-1 subprotocol and a token signed over GET /; refuses with HTTP 401', async () => {
    const ks = keystoreOf(e);
    assert.equal(await refused(e, { Authorization: `Bearer ${token(ks, { method: 'GET', uri: '/' })}` }, []), 400);
    assert.equal(await refused(e, {}), 401);
    assert.equal(await refused(e, { Authorization: `Bearer ${token(ks, { method: 'POST', uri: '/' })}` }), 401);
    assert.equal(await refused(e, { Authorization: `Bearer ${token(ks, { method: 'GET', uri: '/', expOffsetS: -5 })}` }), 401);
    const c = await open();
    assert.equal(c.ws.protocol, 'Mixin-Blaze-1');
  });

  it('can refuse a bad token with an ERROR frame (code 401) and a close instead', async () => {
    const other = await startMixin({ blazeAuthFailure: 'errorFrame' });
    try {
      const c = await blaze(other, { jwt: token(keystoreOf(other), { method: 'GET', uri: '/', iatOffsetS: -3600 }) });
      const closed = await c.closed;
      assert.equal(closed.code, 1008);
      assert.deepEqual(c.frames.map((f) => [f.action, (f.error as { code: number }).code]), [['ERROR', 401]]);
    } finally {
      await other.close();
    }
  });

  it('speaks gzip JSON in binary frames both ways, replies reuse the request id; a text frame is refused', async () => {
    const c = await open();
    const raw: Buffer[] = [];
    c.ws.on('message', (d: Buffer) => raw.push(d));
    const reply = await c.request('LIST_PENDING_MESSAGES');
    assert.equal(reply.action, 'LIST_PENDING_MESSAGES');
    assert.deepEqual(reply.data, {});
    assert.equal(raw[0]![0], 0x1f, 'gzip magic');
    assert.equal(raw[0]![1], 0x8b);
    assert.ok(JSON.parse(gunzipSync(raw[0]!).toString('utf8')));
    c.ws.send(JSON.stringify({ id: randomUUID(), action: 'LIST_PENDING_MESSAGES' }));
    const closed = await c.closed;
    assert.equal(closed.code, 1003);
    assert.ok(c.frames.some((f) => f.action === 'ERROR' && (f.error as { code: number }).code === 400));
  });

  it('pushes nothing before LIST_PENDING_MESSAGES, then every pending message (source LIST_PENDING_MESSAGES), then new ones', async () => {
    const c = await open();
    e.inject({ userId: e.users[1]!.userId, text: 'before listing' });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(c.frames.length, 0, 'no push before LIST_PENDING_MESSAGES');
    const expected = e.pending().map((m) => m.message_id);
    assert.ok(expected.length >= 4);
    await c.request('LIST_PENDING_MESSAGES');
    await until(() => (pushes(c).length >= expected.length ? true : undefined), 'pending pushes');
    const pending = pushes(c);
    assert.deepEqual(pending.map((m) => m.message_id), expected);
    for (const m of pending) {
      assert.deepEqual(Object.keys(m).sort(), MESSAGE_VIEW_KEYS);
      assert.equal(m.source, 'LIST_PENDING_MESSAGES');
      assert.equal(m.type, 'message');
      assert.equal(m.data, Buffer.from(m.data_base64!, 'base64url').toString('base64'));
      assert.doesNotMatch(m.data_base64!, /[=+/]/);
      assert.match(m.created_at!, RFC3339_MICRO);
      assert.match(m.updated_at!, RFC3339_MICRO);
    }
    const fresh = e.inject({ userId: e.users[0]!.userId, text: 'new one' });
    const live = (await c.next((f) => (f.data as { message_id?: string } | undefined)?.message_id === fresh.message_id, 'live push')).data as Record<string, string>;
    assert.equal(live.source, '');
    assert.equal(Buffer.from(live.data!, 'base64').toString('utf8'), 'new one');
  });

  it('redelivers unacked messages after every reconnect until acknowledged (single and batch acks)', async () => {
    const first = await open();
    await first.request('LIST_PENDING_MESSAGES');
    const all = e.pending().map((m) => m.message_id);
    await until(() => (pushes(first).length >= all.length ? true : undefined), 'first delivery');
    assert.deepEqual((await first.request('ACKNOWLEDGE_MESSAGE_RECEIPT', { message_id: all[0], status: 'READ' })).data, {});
    first.ws.terminate();
    const second = await open();
    await second.request('LIST_PENDING_MESSAGES');
    await until(() => (pushes(second).length >= all.length - 1 ? true : undefined), 'second delivery');
    assert.deepEqual(pushes(second).map((m) => m.message_id), all.slice(1));
    await second.request('ACKNOWLEDGE_MESSAGE_RECEIPTS', { messages: all.slice(1).map((message_id) => ({ message_id, status: 'READ' })) });
    second.ws.terminate();
    const third = await open();
    await third.request('LIST_PENDING_MESSAGES');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(pushes(third).length, 0, 'nothing left after the acks');
    assert.deepEqual(e.acks().map((a) => a.via), ['blaze', ...all.slice(1).map(() => 'blaze-batch')]);
    const badAck = await third.request('ACKNOWLEDGE_MESSAGE_RECEIPT', { message_id: 'nope', status: 'READ' });
    assert.equal((badAck.error as { code: number }).code, 10002);
  });

  it('forgets unacked messages after 7 days of venue clock', async () => {
    let now = Date.now();
    const other = await startMixin({ clock: () => now });
    try {
      assert.ok(other.pending().length > 0);
      now += 7 * 86_400_000 + 60_000;
      assert.equal(other.pending().length, 0);
    } finally {
      await other.close();
    }
  });

  it('CREATE_MESSAGE validates, stores once per message_id, and the user\'s receipts follow (DELIVERED then READ)', async () => {
    const c = await open();
    await c.request('LIST_PENDING_MESSAGES');
    const conversation = e.conversationOf(0);
    const m = textMessage(conversation, 'Hello from the bot');
    assert.deepEqual((await c.request('CREATE_MESSAGE', m)).data, {});
    assert.deepEqual((await c.request('CREATE_MESSAGE', m)).data, {}, 'a repeat is accepted');
    assert.equal(e.messages(conversation).filter((x) => x.message_id === m.message_id).length, 1);
    const receipts = await until(() => {
      const r = pushes(c, 'ACKNOWLEDGE_MESSAGE_RECEIPT').filter((x) => x.message_id === m.message_id);
      return r.length >= 2 ? r : undefined;
    }, 'receipts');
    assert.deepEqual(receipts.map((r) => [r.status, r.source]), [['DELIVERED', 'ACKNOWLEDGE_MESSAGE_RECEIPT'], ['READ', 'ACKNOWLEDGE_MESSAGE_RECEIPT']]);
    assert.deepEqual(Object.keys(receipts[0]!).sort(), MESSAGE_VIEW_KEYS);
    const bad = await c.request('CREATE_MESSAGE', { ...m, message_id: randomUUID(), category: 'NOPE' });
    assert.deepEqual(bad.error, { code: 10002, description: 'The request data has invalid field.', extra: { field: 'category', reason: 'not a category a bot may send' } });
    const badData = await c.request('CREATE_MESSAGE', { ...m, message_id: randomUUID(), data_base64: '%%%' });
    assert.equal((badData.error as { code: number }).code, 10002);
    const stdData = await c.request('CREATE_MESSAGE', { conversation_id: conversation, message_id: randomUUID(), category: 'PLAIN_TEXT', data: Buffer.from('older client').toString('base64') });
    assert.deepEqual(stdData.data, {});
  });

  it('receipts for a bot message sent while no socket listens wait for the next LIST_PENDING_MESSAGES', async () => {
    const c = await open();
    const m = textMessage(e.conversationOf(2), 'sent before listening');
    await c.request('CREATE_MESSAGE', m);
    await until(() => ((e.state() as { queuedReceipts: number }).queuedReceipts >= 2 ? true : undefined), 'queued receipts');
    await c.request('LIST_PENDING_MESSAGES');
    const receipts = await until(() => {
      const r = pushes(c, 'ACKNOWLEDGE_MESSAGE_RECEIPT');
      return r.length >= 2 ? r : undefined;
    }, 'receipts after listing');
    assert.deepEqual(receipts.map((r) => r.status), ['DELIVERED', 'READ']);
  });

  it('CREATE_PLAIN_MESSAGES: ≤100 and ≤128 KB, all-or-nothing validation, dedupe', async () => {
    const c = await open();
    const conversation = e.conversationOf(1);
    const batch = Array.from({ length: 100 }, (_, i) => ({ ...textMessage(conversation, `m${i}`), recipient_id: e.users[1]!.userId }));
    assert.deepEqual((await c.request('CREATE_PLAIN_MESSAGES', { messages: batch })).data, {});
    assert.deepEqual((await c.request('CREATE_PLAIN_MESSAGES', { messages: batch.slice(0, 10) })).data, {});
    assert.equal(e.messages(conversation).filter((m) => m.user_id === keystoreOf(e).app_id).length, 100);
    const over = await c.request('CREATE_PLAIN_MESSAGES', { messages: [...batch, textMessage(conversation, 'x')] });
    assert.equal((over.error as { code: number }).code, 10002);
    const big = await c.request('CREATE_PLAIN_MESSAGES', { messages: Array.from({ length: 3 }, () => textMessage(conversation, 'y'.repeat(50_000))) });
    assert.equal((big.error as { code: number }).code, 10002);
    const mixed = [textMessage(conversation, 'good'), { ...textMessage(conversation, 'bad'), conversation_id: 'x' }];
    const r = await c.request('CREATE_PLAIN_MESSAGES', { messages: mixed });
    assert.deepEqual((r.error as { extra: unknown }).extra, { field: 'messages[1].conversation_id', reason: 'must be a UUID' });
    assert.ok(!e.messages(conversation).some((m) => m.data_base64 === b64url('good')), 'nothing of a failed batch is stored');
  });

  it('pings the client on an interval and answers client pings', async () => {
    const c = await open();
    await until(() => (c.pings.count >= 2 ? true : undefined), 'server pings');
    const pong = new Promise<Buffer>((resolve) => c.ws.once('pong', resolve));
    c.ws.ping(Buffer.from('hi'));
    assert.equal((await pong).toString(), 'hi');
  });

  it('answers an undecodable binary frame and an unknown action with errors, keeping the socket', async () => {
    const c = await open();
    c.ws.send(Buffer.from('not gzip'));
    await c.next((f) => f.action === 'ERROR', 'error frame');
    const unknown = await c.request('COUNT_SIGNAL_KEYS');
    assert.equal((unknown.error as { code: number }).code, 400);
    c.ws.send(encode({ id: 'x' }));
    await c.next((f) => f.id === 'x' && f.action === 'ERROR', 'error for a frame without action');
  });
});
