import * as assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import type { MixinEmulator } from '../../../sandbox/mixin/emulator';
import { uniqueConversationId } from '../../../sandbox/mixin/ids';
import { buildMediaLibrary } from '../../../sandbox/util/media';
import { b64url, errorOf, keystoreOf, rest, startMixin, textMessage } from './mixinHelpers';

const UNAUTHORIZED = { status: 202, code: 401, description: 'Unauthorized, maybe invalid token.' };
const PNG = buildMediaLibrary().get('receipt.png')!.body;

describe('sandbox Mixin REST', () => {
  let e: MixinEmulator;
  let now = Date.now();
  before(async () => {
    e = await startMixin({ clock: () => now });
  });
  afterEach(() => {
    now = Date.now();
    e.reset();
  });
  after(() => e.close());

  it('hands out a keystore the documented way and derives it from the seed', async () => {
    const ks = keystoreOf(e);
    assert.deepEqual(Object.keys(ks).sort(), ['app_id', 'server_public_key', 'session_id', 'session_private_key']);
    assert.match(ks.session_private_key, /^[0-9a-f]{64}$/);
    assert.match(ks.server_public_key, /^[0-9a-f]{64}$/);
    assert.deepEqual(e.accounts()[0]!.endpoints, { rest: e.restUrl, blaze: e.blazeUrl });
    assert.match(e.blazeUrl, /^ws:\/\/127\.0\.0\.1:\d+\/$/);
    const again = await startMixin();
    try {
      assert.deepEqual(keystoreOf(again), ks, 'same seed, same bot');
    } finally {
      await again.close();
    }
    const other = await startMixin({ seed: 2 });
    try {
      assert.notEqual(keystoreOf(other).session_private_key, ks.session_private_key);
    } finally {
      await other.close();
    }
  });

  it('accepts a good token, echoes X-Request-Id and answers GET /me', async () => {
    const requestId = randomUUID();
    const r = await rest(e, 'GET', '/me', undefined, { requestId });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-request-id'), requestId);
    const me = r.body.data as Record<string, unknown>;
    assert.equal(me.user_id, keystoreOf(e).app_id);
    assert.equal(me.type, 'user');
  });

  it('refuses bad tokens with HTTP 202 and the 401 envelope: none, wrong key, changed query, changed body, expired, skewed, wrong sid, scp', async () => {
    const ks = keystoreOf(e);
    const conversation = e.conversationOf(0);
    const cases: [string, Promise<Awaited<ReturnType<typeof rest>>>][] = [
      ['no token', rest(e, 'GET', '/me', undefined, { auth: null })],
      ['not bearer', rest(e, 'GET', '/me', undefined, { auth: 'Basic abc' })],
      ['wrong key', rest(e, 'GET', '/me', undefined, { seedHex: createHash('sha256').update('other').digest('hex') })],
      ['changed query', rest(e, 'GET', '/conversations/' + conversation + '?a=1', undefined, { sendUri: '/conversations/' + conversation + '?a=2' })],
      ['query left out of sig', rest(e, 'GET', '/conversations/' + conversation, undefined, { sendUri: '/conversations/' + conversation + '?a=1' })],
      ['changed body', rest(e, 'POST', '/messages', [textMessage(conversation, 'hi')], { sendBody: JSON.stringify([textMessage(conversation, 'ho')]) })],
      ['expired', rest(e, 'GET', '/me', undefined, { expOffsetS: -1 })],
      ['iat 6 min ahead', rest(e, 'GET', '/me', undefined, { iatOffsetS: 360 })],
      ['iat 6 min behind', rest(e, 'GET', '/me', undefined, { iatOffsetS: -360 })],
      ['unknown session', rest(e, 'GET', '/me', undefined, { sid: randomUUID() })],
      ['scope', rest(e, 'GET', '/me', undefined, { scp: 'PROFILE:READ' })],
    ];
    for (const [name, call] of cases) {
      const r = await call;
      assert.equal(r.status, 202, name);
      assert.deepEqual(r.body, { error: UNAUTHORIZED }, name);
    }
    assert.equal(e.messages(conversation).filter((m) => m.user_id === ks.app_id).length, 0, 'nothing was sent');
    const reasons = e.requests({ kind: 'rest' }).map((r) => r.auth);
    for (const reason of ['no bearer token', 'bad signature', 'sig does not match the request', 'expired', 'iat outside the clock window', 'unknown uid/sid', 'scp is not FULL']) {
      assert.ok(reasons.includes(reason), `${reason} recorded in ${reasons.join(', ')}`);
    }
    assert.equal((await rest(e, 'GET', '/me', undefined, { iatOffsetS: 240 })).status, 200, 'within 5 minutes is fine');
  });

  it('the clock skew fault makes honest tokens look skewed', async () => {
    e.applyFaults({ clockSkewMs: 10 * 60_000 });
    assert.deepEqual(errorOf(await rest(e, 'GET', '/me')), UNAUTHORIZED);
    e.applyFaults({ clockSkewMs: 0 });
    assert.equal((await rest(e, 'GET', '/me')).status, 200);
  });

  it('POST /messages: ≤100 per call and ≤128 KB (10002 otherwise), per-item validation, dedupe on message_id', async () => {
    const c = e.conversationOf(0);
    const ok = textMessage(c, 'hello');
    assert.deepEqual((await rest(e, 'POST', '/messages', [ok])).body, { data: {} });
    assert.deepEqual((await rest(e, 'POST', '/messages', [ok])).body, { data: {} }, 'a repeated message_id is accepted');
    assert.equal(e.messages(c).filter((m) => m.message_id === ok.message_id).length, 1);
    assert.equal((e.state() as { duplicates: number }).duplicates, 1);
    const tooMany = Array.from({ length: 101 }, (_, i) => textMessage(c, `m${i}`));
    assert.equal(errorOf(await rest(e, 'POST', '/messages', tooMany)).code, 10002);
    const big = Array.from({ length: 3 }, () => textMessage(c, 'x'.repeat(50_000)));
    assert.equal(errorOf(await rest(e, 'POST', '/messages', big)).code, 10002);
    const bad = await rest(e, 'POST', '/messages', [textMessage(c, 'fine'), { ...textMessage(c, 'x'), category: 'SYSTEM_CONVERSATION' }]);
    assert.deepEqual(errorOf(bad), { status: 202, code: 10002, description: 'The request data has invalid field.', extra: { field: 'messages[1].category', reason: 'not a category a bot may send' } });
    assert.equal(e.messages(c).filter((m) => m.category === 'PLAIN_TEXT' && m.data_base64 === b64url('fine')).length, 0, 'a batch with a bad item stores nothing');
    assert.equal(errorOf(await rest(e, 'POST', '/messages', [{ ...ok, message_id: 'nope' }])).code, 10002);
    assert.equal(errorOf(await rest(e, 'POST', '/messages', [{ ...textMessage(c, 'x'), data_base64: 'a+b/' }])).code, 10002, 'data_base64 is base64url');
    assert.equal((await rest(e, 'POST', '/messages', [{ conversation_id: c, message_id: randomUUID(), category: 'PLAIN_TEXT', data: Buffer.from('std').toString('base64') }])).status, 200, 'data in std base64 is accepted');
    assert.equal(errorOf(await rest(e, 'POST', '/messages', [textMessage(randomUUID(), 'x')])).code, 404);
    assert.equal(errorOf(await rest(e, 'POST', '/messages', { not: 'an array' })).code, 10002);
  });

  it('validates category payloads: attachments must be uploaded, buttons and cards checked, recalls only of own messages', async () => {
    const c = e.conversationOf(1);
    const send = (category: string, payload: unknown): ReturnType<typeof rest> =>
      rest(e, 'POST', '/messages', [{ conversation_id: c, message_id: randomUUID(), category, data_base64: b64url(JSON.stringify(payload)) }]);
    assert.equal(errorOf(await send('PLAIN_IMAGE', { attachment_id: randomUUID(), mime_type: 'image/png', width: 1, height: 1, size: 10 })).code, 10002);
    assert.equal((await send('PLAIN_LOCATION', { latitude: 1.5, longitude: 2.5, name: 'Here' })).status, 200);
    assert.equal(errorOf(await send('PLAIN_LOCATION', { latitude: 91, longitude: 0 })).code, 10002);
    assert.equal((await send('PLAIN_CONTACT', { user_id: e.users[2]!.userId })).status, 200);
    assert.equal((await send('PLAIN_STICKER', { sticker_id: randomUUID() })).status, 200);
    assert.equal(errorOf(await send('APP_BUTTON_GROUP', [{ label: 'x'.repeat(37), color: '#FFFFFF', action: 'https://a' }])).code, 10002);
    assert.equal(errorOf(await send('APP_BUTTON_GROUP', [{ label: 'ok', color: 'red', action: 'https://a' }])).code, 10002);
    const userMessage = e.pending().find((m) => m.conversation_id === c)!;
    assert.equal(errorOf(await send('MESSAGE_RECALL', { message_id: userMessage.message_id })).code, 10002);
    const own = textMessage(c, 'oops');
    await rest(e, 'POST', '/messages', [own]);
    assert.equal((await send('MESSAGE_RECALL', { message_id: own.message_id })).status, 200);
  });

  it('POST /acknowledgements marks pending messages acked (≤100 a call)', async () => {
    const pending = e.pending();
    assert.ok(pending.length >= 3, 'messages wait at start');
    const r = await rest(e, 'POST', '/acknowledgements', [{ message_id: pending[0]!.message_id, status: 'READ' }]);
    assert.deepEqual(r.body, { data: [{ message_id: pending[0]!.message_id, status: 'READ' }] });
    assert.equal(e.pending().length, pending.length - 1);
    assert.deepEqual(e.acks().map((a) => [a.messageId, a.via]), [[pending[0]!.message_id, 'rest']]);
    const tooMany = Array.from({ length: 101 }, () => ({ message_id: randomUUID(), status: 'READ' }));
    assert.equal(errorOf(await rest(e, 'POST', '/acknowledgements', tooMany)).code, 10002);
    assert.equal(errorOf(await rest(e, 'POST', '/acknowledgements', [{ message_id: 'x', status: 'READ' }])).code, 10002);
  });

  it('attachments: POST, PUT with the signed URL (403 without), GET gives a fresh view_url, view serves the bytes, expiry → 404', async () => {
    const created = await rest(e, 'POST', '/attachments', {});
    const a = created.body.data as Record<string, string>;
    assert.equal(a.type, 'attachment');
    assert.match(a.upload_url!, new RegExp(`^${e.restUrl}/upload/${a.attachment_id}\\?sig=`));
    const put = (url: string): Promise<Response> => fetch(url, { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream', 'x-amz-acl': 'public-read' }, body: new Uint8Array(PNG) });
    const unsigned = await put(`${e.restUrl}/upload/${a.attachment_id}`);
    assert.equal(unsigned.status, 403);
    assert.match(await unsigned.text(), /<Code>AccessDenied<\/Code>/);
    assert.equal((await put(a.upload_url!.replace(/sig=[0-9a-f]/, 'sig=z'))).status, 403);
    assert.equal((await put(a.upload_url!)).status, 200);
    const got = await rest(e, 'GET', `/attachments/${a.attachment_id}`);
    const viewUrl = (got.body.data as Record<string, string>).view_url!;
    const view = await fetch(viewUrl);
    assert.equal(view.status, 200);
    assert.deepEqual(Buffer.from(await view.arrayBuffer()), PNG);
    now += 2 * 3_600_000;
    assert.equal((await fetch(viewUrl)).status, 403, 'an old view_url has expired');
    assert.equal((await put(a.upload_url!)).status, 403, 'so has the upload URL');
    const fresh = (await rest(e, 'GET', `/attachments/${a.attachment_id}`, undefined, { nowMs: now })).body.data as Record<string, string>;
    assert.equal((await fetch(fresh.view_url!)).status, 200);
    now += 31 * 86_400_000;
    assert.equal(errorOf(await rest(e, 'GET', `/attachments/${a.attachment_id}`, undefined, { nowMs: now })).code, 404);
    assert.equal(errorOf(await rest(e, 'GET', `/attachments/${randomUUID()}`, undefined, { nowMs: now })).code, 404);
  });

  it('conversations: a contact conversation needs the deterministic id; GET answers it; unknown → 404', async () => {
    const ks = keystoreOf(e);
    const user = e.users[0]!.userId;
    const id = uniqueConversationId(ks.app_id, user);
    assert.equal(id, e.conversationOf(0));
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const r = await rest(e, 'POST', '/conversations', { category: 'CONTACT', conversation_id: id, participants: [{ user_id: user }] });
    assert.equal((r.body.data as Record<string, unknown>).conversation_id, id);
    assert.equal(errorOf(await rest(e, 'POST', '/conversations', { category: 'CONTACT', conversation_id: randomUUID(), participants: [{ user_id: user }] })).code, 10002);
    assert.equal(errorOf(await rest(e, 'POST', '/conversations', { category: 'CONTACT', conversation_id: randomUUID(), participants: [{ user_id: randomUUID() }] })).code, 404);
    const got = (await rest(e, 'GET', `/conversations/${id}`)).body.data as { participants: { user_id: string }[] };
    assert.deepEqual(got.participants.map((p) => p.user_id).sort(), [ks.app_id, user].sort());
    assert.equal(errorOf(await rest(e, 'GET', `/conversations/${randomUUID()}`)).code, 404);
    assert.equal(errorOf(await rest(e, 'GET', '/nowhere')).code, 404);
  });

  it('checks the md5 conversation id against a fixed vector', () => {
    // md5("a" + "b") = 187ef4436122d1cc2f40dc2b92f0eba0; byte 6 → 0x3., byte 8 → 0x8./0xa./...
    assert.equal(uniqueConversationId('b', 'a'), '187ef443-6122-31cc-af40-dc2b92f0eba0');
  });

  it('the http401 / http403 / http429 faults answer the next n requests', async () => {
    e.applyFaults({ http401: 1, http403: 1, http429: 2 });
    assert.equal(errorOf(await rest(e, 'GET', '/me')).code, 401);
    assert.equal(errorOf(await rest(e, 'GET', '/me')).code, 403);
    assert.equal(errorOf(await rest(e, 'GET', '/me')).code, 429);
    assert.equal(errorOf(await rest(e, 'GET', '/me')).code, 429);
    assert.equal((await rest(e, 'GET', '/me')).status, 200);
  });
});
