import * as assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import type { MixinEmulator } from '../../../sandbox/mixin/emulator';
import { USER_CATEGORIES } from '../../../sandbox/mixin/content';
import { blaze, keystoreOf, pushes, rest, startMixin, textMessage, token, until, type BlazeClient } from './mixinHelpers';

describe('sandbox Mixin faults', () => {
  let e: MixinEmulator;
  const clients: BlazeClient[] = [];
  const open = async (): Promise<BlazeClient> => {
    const c = await blaze(e);
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

  it('dropSockets cuts every Blaze socket without a close frame', async () => {
    const a = await open();
    const b = await open();
    assert.equal(e.applyFaults({ dropSockets: true }).socketsDropped, 2);
    assert.equal((await a.closed).code, 1006);
    assert.equal((await b.closed).code, 1006);
  });

  it('slowReplies holds the next n replies (the request is still carried out), then replies are prompt again', async () => {
    const c = await open();
    e.applyFaults({ slowReplies: { ms: 300, n: 1 } });
    const m = textMessage(e.conversationOf(0), 'slow');
    const id = c.send('CREATE_MESSAGE', m);
    await until(() => (e.messages().some((x) => x.message_id === m.message_id) ? true : undefined), 'stored');
    assert.ok(!c.frames.some((f) => f.id === id), 'no reply yet');
    await c.next((f) => f.id === id, 'late reply');
    assert.equal(e.faults().slowReplies.n, 0);
    assert.deepEqual((await c.request('LIST_PENDING_MESSAGES')).data, {});
  });

  it('error {code, n} answers the next n requests with that code and does nothing (403, 7000, 7001)', async () => {
    const c = await open();
    for (const [code, description] of [[403, 'Access denied.'], [7000, 'Blaze server error.'], [7001, 'The blaze operation timeout.']] as const) {
      e.applyFaults({ error: { code, n: 1 } });
      const m = textMessage(e.conversationOf(0), `under ${code}`);
      assert.deepEqual((await c.request('CREATE_MESSAGE', m)).error, { code, description });
      assert.ok(!e.messages().some((x) => x.message_id === m.message_id));
      assert.deepEqual((await c.request('CREATE_MESSAGE', m)).data, {}, 'the retry goes through');
    }
  });

  it('http401 / http403 / http429 also refuse the next Blaze handshakes', async () => {
    e.applyFaults({ http401: 1, http429: 1 });
    const status = (): Promise<number> => new Promise((resolve) => {
      const ws = new WebSocket(e.blazeUrl, ['Mixin-Blaze-1'], { headers: { Authorization: `Bearer ${token(keystoreOf(e), { method: 'GET', uri: '/' })}` } });
      ws.once('unexpected-response', (_q, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('open', () => {
        resolve(101);
        ws.terminate();
      });
      ws.once('error', () => undefined);
    });
    assert.deepEqual([await status(), await status(), await status()], [401, 429, 101]);
  });

  it('redeliver pushes the pending messages again now; pingsOff stops the server pings', async () => {
    const c = await open();
    await c.request('LIST_PENDING_MESSAGES');
    const count = e.pending().length;
    await until(() => (pushes(c).length >= count ? true : undefined), 'first delivery');
    e.applyFaults({ redeliver: true });
    await until(() => (pushes(c).length >= 2 * count ? true : undefined), 'redelivery');
    assert.deepEqual(pushes(c).slice(count).map((m) => m.message_id), pushes(c).slice(0, count).map((m) => m.message_id));
    e.applyFaults({ pingsOff: true });
    const before = c.pings.count;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(c.pings.count, before, 'no pings while pingsOff');
    e.applyFaults({ pingsOff: false });
    await until(() => (c.pings.count > before ? true : undefined), 'pings again');
  });

  it('rejects unknown fault names and resets faults with reset()', () => {
    assert.throws(() => e.applyFaults({ nope: 1 } as never), /Unrecognized key|unrecognized/i);
    e.applyFaults({ http429: 3, clockSkewMs: 1000, pingsOff: true });
    e.reset();
    const f = e.faults();
    assert.deepEqual([f.http429, f.clockSkewMs, f.pingsOff], [0, 0, false]);
  });
});

describe('sandbox Mixin counterparty', () => {
  it('sends every category over time with real attachments, answers the bot and reads its messages; off means quiet', async () => {
    const e = await startMixin({ counterparty: true, pendingAtStart: false });
    const c = await blaze(e);
    try {
      await c.request('LIST_PENDING_MESSAGES');
      const seen = await until(() => {
        const categories = new Set(pushes(c).map((m) => m.category));
        return USER_CATEGORIES.every((k) => categories.has(k)) ? pushes(c) : undefined;
      }, 'every category');
      const payload = (category: string): Record<string, unknown> => JSON.parse(Buffer.from(seen.find((m) => m.category === category)!.data_base64!, 'base64url').toString('utf8')) as Record<string, unknown>;
      for (const category of ['PLAIN_IMAGE', 'PLAIN_DATA', 'PLAIN_AUDIO', 'PLAIN_VIDEO']) {
        const p = payload(category);
        const view = (await rest(e, 'GET', `/attachments/${String(p.attachment_id)}`)).body.data as { view_url: string };
        const file = await fetch(view.view_url);
        assert.equal(file.status, 200, category);
        assert.equal(Buffer.from(await file.arrayBuffer()).length, p.size, `${category} size matches`);
      }
      assert.equal(typeof payload('PLAIN_IMAGE').thumbnail, 'string');
      assert.deepEqual([typeof payload('PLAIN_AUDIO').duration, typeof payload('PLAIN_AUDIO').waveform], ['number', 'string']);
      assert.equal(payload('PLAIN_DATA').mime_type, 'application/pdf');
      const recalled = payload('MESSAGE_RECALL').message_id;
      assert.ok(seen.some((m) => m.message_id === recalled && m.category !== 'MESSAGE_RECALL'), 'the recall names an earlier message of that user');
      const mine = textMessage(e.conversationOf(0), 'Hello there?');
      await c.request('CREATE_MESSAGE', mine);
      const reply = await c.next((f) => (f.data as { quote_message_id?: string } | undefined)?.quote_message_id === mine.message_id, 'reply');
      assert.equal((reply.data as { category: string }).category, 'PLAIN_TEXT');
      assert.ok(pushes(c, 'ACKNOWLEDGE_MESSAGE_RECEIPT').some((r) => r.message_id === mine.message_id && r.status === 'READ'));
      e.applyFaults({ counterparty: false });
      const count = c.frames.length;
      await c.request('CREATE_MESSAGE', textMessage(e.conversationOf(1), 'anyone?'));
      await new Promise((r) => setTimeout(r, 150));
      assert.ok(!pushes(c).slice(count).some((m) => m.user_id !== keystoreOf(e).app_id && m.source === '' && m.category === 'PLAIN_TEXT'), 'no reply while off');
    } finally {
      c.ws.terminate();
      await e.close();
    }
    assert.equal(e.pendingTimers(), 0);
  });
});

describe('sandbox Mixin control routes', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox({ counterparty: false });
  });
  after(() => sb.close());
  const control = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const r = await fetch(`${sb.info.control}/control/mixin${path}`, { method, headers: body === undefined ? undefined : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, json: (await r.json()) as unknown };
  };

  it('lists state, conversations, messages, pending, acks, attachments, requests; injects; applies faults; resets', async () => {
    const mixin = sb.venue('mixin');
    const state = (await control('GET', '/state')).json as { bot: { appId: string }; pending: number };
    assert.equal(state.bot.appId, keystoreOf(mixin).app_id);
    assert.ok(!JSON.stringify(state).includes(keystoreOf(mixin).session_private_key), 'no secret in the state');
    const conversations = (await control('GET', '/conversations')).json as { conversation_id: string }[];
    assert.deepEqual(conversations.map((c) => c.conversation_id), [0, 1, 2].map((i) => mixin.conversationOf(i)));
    const injected = (await control('POST', '/inject', { conversationId: mixin.conversationOf(1), category: 'PLAIN_LOCATION' })).json as { message_id: string; category: string };
    assert.equal(injected.category, 'PLAIN_LOCATION');
    const pending = (await control('GET', '/pending')).json as { message_id: string }[];
    assert.equal(pending.length, state.pending + 1);
    assert.ok(pending.some((m) => m.message_id === injected.message_id));
    const messages = (await control('GET', `/messages?conversationId=${mixin.conversationOf(1)}`)).json as { message_id: string }[];
    assert.ok(messages.some((m) => m.message_id === injected.message_id));
    await rest(mixin, 'POST', '/acknowledgements', [{ message_id: injected.message_id, status: 'READ' }]);
    assert.deepEqual(((await control('GET', '/acks')).json as { messageId: string }[]).map((a) => a.messageId), [injected.message_id]);
    assert.ok(((await control('GET', '/attachments')).json as unknown[]).length >= 1, 'the pending image is an attachment');
    assert.ok(((await control('GET', '/requests?kind=rest')).json as { path: string }[]).some((r) => r.path === '/acknowledgements'));
    assert.equal((await control('POST', '/inject', { userId: 'nobody' })).status, 400);
    assert.equal((await control('POST', '/faults', { http429: 2 })).status, 200);
    assert.equal(((await control('GET', '/faults')).json as { http429: number }).http429, 2);
    assert.equal((await control('POST', '/faults', { bogus: true })).status, 400);
    assert.deepEqual((await control('POST', '/reset')).json, { ok: true });
    assert.equal(((await control('GET', '/faults')).json as { http429: number }).http429, 0);
    assert.equal(((await control('GET', '/acks')).json as unknown[]).length, 0);
  });
});
