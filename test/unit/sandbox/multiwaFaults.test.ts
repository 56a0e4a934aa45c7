import * as assert from 'node:assert/strict';
import { startSandboxWith, type Sandbox } from '../../../sandbox/host';
import type { MultiwaEmulator } from '../../../sandbox/multiwa/emulator';
import { multiwaEmulator } from '../../../sandbox/multiwa/plugin';
import { formatBits, qrMatrix } from '../../../sandbox/util/qrCode';
import { FAST, apiKeyOf, call, connected, firstConversation, list, login, plain, profileOf, rec, recordEvents, sio, until } from './multiwaHelpers';

const REGISTRY = [multiwaEmulator] as const;

describe('sandbox MultiWA faults and control routes', () => {
  let sb: Sandbox<typeof REGISTRY>;
  let e: MultiwaEmulator;
  let control: string;
  const ctl = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const r = await fetch(`${control}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, body: await r.json() };
  };
  before(async () => {
    sb = await startSandboxWith(REGISTRY, { venues: { multiwa: FAST } });
    e = sb.venue('multiwa');
    control = sb.info.venues.multiwa!.control;
  });
  afterEach(() => sb.reset());
  after(async () => {
    await sb.close();
  });

  it('the ready info lists the API-key account and the login account with baseUrl (no /api/v1) and profileId', () => {
    const accounts = sb.info.accounts.filter((a) => a.venue === 'multiwa');
    assert.equal(accounts.length, 2);
    assert.deepEqual(Object.keys(accounts[0]!.credentials).sort(), ['apiKey', 'authMethod']);
    assert.equal(accounts[0]!.credentials.authMethod, 'apiKey');
    assert.deepEqual(Object.keys(accounts[1]!.credentials).sort(), ['authMethod', 'email', 'password']);
    assert.equal(accounts[0]!.endpoints.baseUrl, e.baseUrl);
    assert.doesNotMatch(accounts[0]!.endpoints.baseUrl!, /api\/v1/);
    assert.deepEqual(accounts[1]!.settings, { profileId: profileOf(e, 1), transport: 'auto' });
  });

  it('loseEvents n: the next n events vanish on both transports; malformedEvents n: garbled payloads', async () => {
    const s = sio(e, { auth: apiKeyOf(e) });
    const events = recordEvents(s);
    await connected(s);
    await s.emitWithAck('join', { profileId: profileOf(e) });
    const p = await plain(e, `apiKey=${apiKeyOf(e).apiKey}`);
    p.send({ type: 'subscribe', payload: { profileId: profileOf(e), events: ['*'] }, requestId: 'r' });
    await until(() => p.frames.find((f) => f.requestId === 'r'), 'subscribed');
    const conversation = await firstConversation(e);
    await ctl('POST', '/faults', { loseEvents: 1 });
    await ctl('POST', '/inject', { conversationId: conversation.id, text: 'lost one' });
    await ctl('POST', '/inject', { conversationId: conversation.id, text: 'kept one' });
    const got = await until(() => events.find((x) => x.name === 'message' && rec(x.payload).type === 'message:received'), 'kept');
    assert.equal(rec(rec(rec(got.payload).message).content).text, 'kept one');
    assert.equal(events.filter((x) => x.name === 'message' && rec(x.payload).type === 'message:received').length, 1);
    await until(() => p.frames.find((f) => rec(f.payload ?? {}).event === 'message.received'), 'plain kept');
    assert.equal(p.frames.filter((f) => rec(f.payload ?? {}).event === 'message.received').length, 1);
    assert.equal(e.messages(String(conversation.id)).filter((m) => rec(m.content).text === 'lost one').length, 1, 'the lost event is still in history');
    await ctl('POST', '/faults', { malformedEvents: 1 });
    await ctl('POST', '/inject', { conversationId: conversation.id, text: 'garbled' });
    const bad = await until(() => events.find((x) => x.name === 'message' && typeof x.payload === 'string'), 'garbled SIO');
    assert.throws(() => JSON.parse(String(bad.payload)) as unknown);
    await until(() => p.raw.find((t) => { try { JSON.parse(t); return undefined; } catch { return t; } }), 'garbled plain');
    s.close();
    p.ws.close();
  });

  it('profileDisconnect: reconnecting (1/3), sends answer pending + warning, then connected again', async () => {
    const s = sio(e, { auth: apiKeyOf(e) });
    const events = recordEvents(s);
    await connected(s);
    await s.emitWithAck('join', { profileId: profileOf(e) });
    await ctl('POST', '/faults', { profileDisconnect: { recoverAfterMs: 200 } });
    const first = await until(() => events.find((x) => x.name === 'connection:status'), 'reconnecting');
    assert.equal(rec(first.payload).status, 'reconnecting (1/3)');
    assert.equal(rec((await call(e, 'GET', `/profiles/${profileOf(e)}/status`, apiKeyOf(e))).body).engineConnected, false);
    const sent = rec((await call(e, 'POST', '/messages/text', apiKeyOf(e), { profileId: profileOf(e), to: '6281311110001', text: 'while down' })).body);
    assert.deepEqual([sent.status, sent.warning], ['pending', 'Profile not connected, message queued']);
    const back = await until(() => events.filter((x) => x.name === 'connection:status')[1], 'connected');
    assert.deepEqual(back.payload, { profileId: profileOf(e), status: 'connected', phoneNumber: '6281234500001', phone: '6281234500001' });
    s.close();
  });

  it('requirePairing logs the profile out: disconnected, and QR codes follow a connect', async () => {
    const s = sio(e, { auth: apiKeyOf(e) });
    const events = recordEvents(s);
    await connected(s);
    await s.emitWithAck('join', { profileId: profileOf(e) });
    await ctl('POST', '/faults', { requirePairing: true });
    const down = await until(() => events.find((x) => x.name === 'connection:status'), 'disconnected');
    assert.equal(rec(down.payload).status, 'disconnected');
    await call(e, 'POST', `/profiles/${profileOf(e)}/connect`, apiKeyOf(e));
    await until(() => events.find((x) => x.name === 'qr:update'), 'qr');
    assert.deepEqual(rec((await ctl('POST', '/pair', { profileId: profileOf(e) })).body).status, 'connected');
    s.close();
  });

  it('expireApiKey → 401 "API key expired" (REST and handshakes); http429 / http5xx consume once', async () => {
    await ctl('POST', '/faults', { expireApiKey: true });
    assert.deepEqual((await call(e, 'GET', '/profiles', apiKeyOf(e))).body, { statusCode: 401, message: 'API key expired', error: 'Unauthorized' });
    await assert.rejects(plain(e, `apiKey=${apiKeyOf(e).apiKey}`), /401/);
    sb.reset();
    await ctl('POST', '/faults', { http429: 1, http5xx: 1 });
    assert.equal((await call(e, 'GET', '/profiles', apiKeyOf(e))).status, 429);
    assert.equal((await call(e, 'GET', '/profiles', apiKeyOf(e))).status, 500);
    assert.equal((await call(e, 'GET', '/profiles', apiKeyOf(e))).status, 200);
  });

  it('loseReplies: the send is stored, the connection dies without a reply; slowReplies delays the answer', async () => {
    await ctl('POST', '/faults', { loseReplies: 1 });
    const before = e.messages().length;
    await assert.rejects(call(e, 'POST', '/messages/text', apiKeyOf(e), { profileId: profileOf(e), to: '6281311110001', text: 'did it go?' }));
    assert.equal(e.messages().length, before + 1);
    assert.ok(e.messages().some((m) => rec(m.content).text === 'did it go?' && m.status !== 'pending'));
    assert.ok(e.requests({ kind: 'rest' }).some((r) => r.httpStatus === 0));
    await ctl('POST', '/faults', { slowReplies: { ms: 50, n: 1 } });
    assert.equal((await call(e, 'GET', '/profiles', apiKeyOf(e))).status, 200);
    assert.equal(e.faults().slowReplies.n, 0);
  });

  it('socketIoDisabled answers 404 on /socket.io/ and plainWsDisabled refuses /ws; send modes queued and engineFailure', async () => {
    await ctl('POST', '/faults', { socketIoDisabled: true, plainWsDisabled: true });
    assert.equal((await fetch(`${e.baseUrl}/socket.io/?EIO=4&transport=polling`)).status, 404);
    const s = sio(e, { auth: apiKeyOf(e) });
    await assert.rejects(connected(s));
    s.close();
    await assert.rejects(plain(e, `apiKey=${apiKeyOf(e).apiKey}`), /404/);
    await ctl('POST', '/faults', { socketIoDisabled: false, plainWsDisabled: false, sendMode: 'queued' });
    const queued = rec((await call(e, 'POST', '/messages/text', apiKeyOf(e), { profileId: profileOf(e), to: '6281311110001', text: 'q' })).body);
    assert.equal(queued.status, 'queued');
    assert.equal(queued.waMessageId, undefined);
    await until(() => (e.messages().find((m) => m.id === queued.messageId && String(m.messageId).startsWith('true_')) ? true : undefined), 'queued send goes out');
    await ctl('POST', '/faults', { sendMode: 'engineFailure' });
    const failed = rec((await call(e, 'POST', '/messages/text', apiKeyOf(e), { profileId: profileOf(e), to: '6281311110001', text: 'f' })).body);
    assert.deepEqual([failed.success, failed.status, typeof failed.error], [false, 'failed', 'string']);
  });

  it('control routes: state, requests by kind, conversations by account, messages, profiles, inject validation, reset', async () => {
    const tokens = await login(e);
    await call(e, 'GET', `/profiles/${profileOf(e, 1)}/status`, { token: tokens.accessToken });
    const auth = list((await ctl('GET', '/requests?kind=auth')).body);
    assert.ok(auth.every((r) => r.kind === 'auth') && auth.length === 1);
    assert.ok(list((await ctl('GET', '/requests')).body).every((r) => !JSON.stringify(r).includes(tokens.accessToken)));
    const conversations = list((await ctl('GET', '/conversations?account=0')).body);
    assert.equal(conversations.length, 4);
    assert.equal(list((await ctl('GET', `/messages?conversationId=${String(conversations[0]!.id)}`)).body).length, 320);
    assert.equal(list((await ctl('GET', '/profiles')).body).length, 2);
    assert.equal((await ctl('POST', '/inject', { conversationId: 'nope' })).status, 400);
    assert.equal((await ctl('POST', '/pair', { profileId: profileOf(e) })).status, 400, 'a connected profile shows no QR');
    const state = rec((await ctl('GET', '/state')).body);
    assert.ok(!JSON.stringify(state).includes(apiKeyOf(e).apiKey), 'no secret in state');
  });

  it('the QR encoder writes the standard format bits and finder patterns', () => {
    assert.equal(formatBits(), 0b111011111000100);
    const m = qrMatrix('2@abc');
    assert.equal(m.length, 33);
    for (const [x, y] of [[0, 0], [26, 0], [0, 26]] as const) {
      assert.ok(m[y]![x]! && m[y + 6]![x + 6]! && m[y + 3]![x + 3]! && !m[y + 1]![x + 1]!, `finder at ${x},${y}`);
    }
  });
});
