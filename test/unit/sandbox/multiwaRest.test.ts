import * as assert from 'node:assert/strict';
import type { MultiwaEmulator } from '../../../sandbox/multiwa/emulator';
import { buildMediaLibrary } from '../../../sandbox/util/media';
import { apiKeyOf, call, firstConversation, list, login, profileOf, rec, startMultiwa, until } from './multiwaHelpers';

const PNG = buildMediaLibrary().get('receipt.png')!.body;

describe('sandbox MultiWA REST', () => {
  let e: MultiwaEmulator;
  let now = Date.now();
  before(async () => {
    e = await startMultiwa({ clock: () => now, accessTokenTtlMs: 60_000 });
  });
  afterEach(() => {
    now = Date.now();
    e.reset();
  });
  after(async () => {
    await e.close();
  });

  it('authenticates by x-api-key and answers Nest 401s by the guard chain (missing, unknown, expired JWT)', async () => {
    assert.equal((await call(e, 'GET', '/profiles', apiKeyOf(e))).status, 200);
    assert.deepEqual((await call(e, 'GET', '/profiles', {})).body, { statusCode: 401, message: 'API key required', error: 'Unauthorized' });
    assert.deepEqual((await call(e, 'GET', '/profiles', { apiKey: 'mwa_nope' })).body, { statusCode: 401, message: 'Invalid API key', error: 'Unauthorized' });
    const tokens = await login(e);
    assert.equal((await call(e, 'GET', '/profiles', { token: tokens.accessToken })).status, 200);
    now += 61_000;
    const expired = await call(e, 'GET', '/profiles', { token: tokens.accessToken });
    assert.equal(expired.status, 401);
    assert.equal(rec(expired.body).message, 'API key required', 'an expired JWT falls through to the API key strategy');
  });

  it('login and refresh answer 201 {accessToken, refreshToken, expiresIn: 604800, user}; a refresh token is no access token', async () => {
    const a = e.seededAccounts()[1]!;
    assert.deepEqual((await call(e, 'POST', '/auth/login', {}, { email: a.email, password: 'wrong' })).body, { statusCode: 401, message: 'Invalid credentials', error: 'Unauthorized' });
    const r = await call(e, 'POST', '/auth/login', {}, { email: a.email, password: a.password });
    assert.equal(r.status, 201);
    const body = rec(r.body);
    assert.deepEqual(Object.keys(body).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'user']);
    assert.equal(body.expiresIn, 604800);
    assert.deepEqual(Object.keys(rec(body.user)).sort(), ['email', 'id', 'name', 'organizationId', 'role']);
    const asBearer = await call(e, 'GET', '/profiles', { token: String(body.refreshToken) });
    assert.equal(rec(asBearer.body).message, 'Session expired or revoked');
    now += 120_000;
    const refreshed = await call(e, 'POST', '/auth/refresh', {}, { refreshToken: body.refreshToken });
    assert.equal(refreshed.status, 201);
    assert.equal((await call(e, 'GET', '/profiles', { token: String(rec(refreshed.body).accessToken) })).status, 200);
    assert.equal((await call(e, 'POST', '/auth/refresh', {}, { refreshToken: 'garbage' })).status, 401);
  });

  it('profiles, status, connect and the placeholder QR route; another organisation is 403', async () => {
    const [profile] = list((await call(e, 'GET', '/profiles', apiKeyOf(e))).body);
    assert.equal(profile!.id, profileOf(e));
    assert.equal(profile!.phone, '6281234500001');
    assert.equal(profile!.status, 'connected');
    const status = rec((await call(e, 'GET', `/profiles/${profileOf(e)}/status`, apiKeyOf(e))).body);
    assert.deepEqual(Object.keys(status).sort(), ['engineConnected', 'id', 'lastConnectedAt', 'name', 'phone', 'status']);
    assert.equal(status.engineConnected, true);
    assert.deepEqual((await call(e, 'GET', `/profiles/${profileOf(e, 1)}/status`, apiKeyOf(e))).body, { statusCode: 403, message: 'Resource not found in your organization', error: 'Forbidden' });
    const other = await login(e);
    const pending = rec((await call(e, 'GET', `/profiles/${profileOf(e, 1)}/status`, { token: other.accessToken })).body);
    assert.equal(pending.status, 'disconnected');
    assert.deepEqual((await call(e, 'POST', `/profiles/${profileOf(e, 1)}/connect`, { token: other.accessToken })).body, { status: 'connecting', message: 'Scan QR code to connect' });
    assert.equal(rec((await call(e, 'GET', `/profiles/${profileOf(e, 1)}/status`, { token: other.accessToken })).body).status, 'connecting');
    const [account] = list((await call(e, 'GET', '/accounts', { token: other.accessToken })).body);
    const qr = await call(e, 'GET', `/accounts/${String(account!.id)}/profiles/${profileOf(e, 1)}/qr`, { token: other.accessToken });
    assert.deepEqual(qr.body, { qr: null, status: 'pending', message: 'QR code generation in progress' });
    assert.deepEqual((await call(e, 'POST', `/profiles/${profileOf(e)}/connect`, apiKeyOf(e))).body, { status: 'already_connected', phone: '6281234500001' });
  });

  it('lists conversations newest first with unread counts, last message, total and offset paging', async () => {
    const r = rec((await call(e, 'GET', `/conversations?profileId=${profileOf(e)}`, apiKeyOf(e))).body);
    const conversations = list(r.conversations);
    assert.equal(r.total, 4);
    const times = conversations.map((c) => Date.parse(String(c.lastMessageAt)));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    assert.equal(conversations[0]!.unreadCount, 2);
    assert.equal(conversations[0]!.messageCount, 320);
    assert.equal(conversations[0]!.contactName, 'Amira Hassan');
    assert.equal(rec(conversations[0]!.lastMessage).conversationId, conversations[0]!.id);
    const page = rec((await call(e, 'GET', `/conversations?profileId=${profileOf(e)}&limit=2&offset=2`, apiKeyOf(e))).body);
    assert.deepEqual(list(page.conversations).map((c) => c.id), conversations.slice(2).map((c) => c.id));
    assert.deepEqual((await call(e, 'GET', '/conversations', apiKeyOf(e))).body, { statusCode: 403, message: 'Missing profileId', error: 'Forbidden' });
    assert.deepEqual((await call(e, 'GET', '/conversations/unread-count', apiKeyOf(e))).body, { count: 3 });
  });

  it('pages the 320-message history with `before` (strictly older, ascending, hasMore = full page) on both routes', async () => {
    const conversation = await firstConversation(e);
    for (const route of [`/conversations/${String(conversation.id)}/messages`, `/messages/conversation/${String(conversation.id)}`]) {
      const seen: string[] = [];
      let before: string | undefined;
      let hasMore = true;
      while (hasMore) {
        const page = rec((await call(e, 'GET', `${route}?limit=50${before ? `&before=${before}` : ''}`, apiKeyOf(e))).body);
        const rows = list(page.messages);
        const times = rows.map((m) => Date.parse(String(m.timestamp)));
        assert.deepEqual(times, [...times].sort((a, b) => a - b), 'ascending');
        seen.unshift(...rows.map((m) => String(m.id)));
        hasMore = page.hasMore === true;
        assert.equal(hasMore, rows.length === 50);
        before = String(rows[0]?.id);
      }
      assert.equal(seen.length, 320);
      assert.equal(new Set(seen).size, 320);
    }
    const detail = rec((await call(e, 'GET', `/conversations/${String(conversation.id)}?messageLimit=3`, apiKeyOf(e))).body);
    assert.equal(list(detail.messages).length, 3);
  });

  it('PUT read zeroes unread and marks every row read in the database, ours included', async () => {
    const conversation = await firstConversation(e);
    const sent = rec((await call(e, 'POST', '/messages/text', apiKeyOf(e), { profileId: profileOf(e), to: String(conversation.jid), text: 'hi' })).body);
    // Let the acks land first: a later ack would write its own status over the read mark.
    await until(() => (e.messages(String(conversation.id)).find((m) => m.id === sent.messageId)?.status === 'delivered' ? true : undefined), 'delivered');
    assert.deepEqual((await call(e, 'PUT', `/conversations/${String(conversation.id)}/read`, apiKeyOf(e))).body, { success: true });
    const rows = e.messages(String(conversation.id));
    assert.ok(rows.every((m) => m.status === 'read'));
    assert.equal(rows.find((m) => m.id === sent.messageId)?.status, 'read');
    assert.equal(rec((await firstConversation(e))).unreadCount, 0);
  });

  it('validates sends the Nest way: 403 before 400, message lines per constraint, poll and target checks', async () => {
    const p = profileOf(e);
    assert.deepEqual((await call(e, 'POST', '/messages/text', apiKeyOf(e), { to: '6281311110001', text: 'x' })).body, { statusCode: 403, message: 'Missing profileId', error: 'Forbidden' });
    assert.equal((await call(e, 'POST', '/messages/text', apiKeyOf(e), { profileId: profileOf(e, 1), to: '6281311110001', text: 'x' })).status, 403);
    const bad = rec((await call(e, 'POST', '/messages/text', apiKeyOf(e), { profileId: p, to: 'Bob Smith' })).body);
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.message, [
      'to must be a WhatsApp phone number (7-15 digits, separators allowed) or a JID ending in @s.whatsapp.net, @c.us, @g.us, @lid, @broadcast, or @newsletter',
      'text should not be empty', 'text must be a string',
    ]);
    const loc = rec((await call(e, 'POST', '/messages/location', apiKeyOf(e), { profileId: p, to: '6281311110001', latitude: 'north', longitude: 1 })).body);
    assert.deepEqual(loc.message, ['latitude must be a number conforming to the specified constraints']);
    assert.deepEqual((await call(e, 'POST', '/messages/poll', apiKeyOf(e), { profileId: p, to: '6281311110001', question: 'q', options: ['one'] })).body, { statusCode: 400, message: 'Poll must have at least 2 options', error: 'Bad Request' });
    const contact = rec((await call(e, 'POST', '/messages/contact', apiKeyOf(e), { profileId: p, to: '6281311110001', contacts: [{ name: 'A' }] })).body);
    assert.deepEqual(contact.message, ['contacts.0.phone should not be empty', 'contacts.0.phone must be a string']);
    assert.deepEqual(rec((await call(e, 'POST', '/messages/document', apiKeyOf(e), { profileId: p, to: '6281311110001', url: 'http://x/y.pdf' })).body).message, ['filename should not be empty', 'filename must be a string']);
    assert.deepEqual((await call(e, 'POST', '/messages/reply', apiKeyOf(e), { profileId: p, quotedMessageId: 'nope', text: 'x' })).body, { statusCode: 404, message: 'Quoted message not found', error: 'Not Found' });
  });

  it('sends each kind into the row shapes the service writes, pending_ ids replaced by WhatsApp ids', async () => {
    const conversation = await firstConversation(e);
    const p = profileOf(e);
    const to = String(conversation.jid);
    const quoted = e.messages(String(conversation.id)).find((m) => m.direction === 'incoming')!;
    const sends: [string, Record<string, unknown>, Record<string, unknown>][] = [
      ['text', { text: 'hello' }, { text: 'hello' }],
      ['image', { url: 'http://127.0.0.1/a.png', caption: 'c' }, { url: 'http://127.0.0.1/a.png', caption: 'c', mimetype: 'image/jpeg' }],
      ['audio', { url: 'http://127.0.0.1/a.ogg', mimetype: 'audio/ogg', ptt: true }, { url: 'http://127.0.0.1/a.ogg', mimetype: 'audio/ogg', ptt: true }],
      ['document', { url: 'http://127.0.0.1/a.pdf', filename: 'a.pdf' }, { url: 'http://127.0.0.1/a.pdf', filename: 'a.pdf', mimetype: 'application/octet-stream' }],
      ['location', { latitude: 1.5, longitude: 2.5, name: 'Here' }, { latitude: 1.5, longitude: 2.5, name: 'Here' }],
      ['poll', { question: 'Q?', options: ['a', 'b'] }, { question: 'Q?', options: ['a', 'b'], allowMultipleAnswers: false }],
    ];
    for (const [kind, body, content] of sends) {
      const r = await call(e, 'POST', `/messages/${kind}`, apiKeyOf(e), { profileId: p, to, ...body });
      assert.equal(r.status, 201, kind);
      const reply = rec(r.body);
      assert.equal(reply.status, 'sent');
      assert.match(String(reply.waMessageId), /^true_6281311110001@c\.us_3EB0/);
      const row = e.messages(String(conversation.id)).find((m) => m.id === reply.messageId)!;
      assert.deepEqual(row.content, content, kind);
      assert.equal(row.messageId, reply.waMessageId);
      assert.equal(row.type, kind);
    }
    const contact = rec((await call(e, 'POST', '/messages/contact', apiKeyOf(e), { profileId: p, to, contacts: [{ name: 'Zed', phone: '+62 811' }] })).body);
    const contactRow = e.messages(String(conversation.id)).find((m) => m.id === contact.messageId)!;
    assert.equal(rec(list(rec(contactRow.content).contacts)[0]).displayName, 'Zed');
    const reply = rec((await call(e, 'POST', '/messages/reply', apiKeyOf(e), { profileId: p, quotedMessageId: quoted.id, text: 'yes' })).body);
    assert.equal(e.messages(String(conversation.id)).find((m) => m.id === reply.messageId)!.quotedMessageId, quoted.id);
    const reaction = rec((await call(e, 'POST', '/messages/reaction', apiKeyOf(e), { profileId: p, messageId: quoted.id, emoji: '👍' })).body);
    const reactionRow = e.messages(String(conversation.id)).find((m) => m.id === reaction.messageId)!;
    assert.equal(reaction.status, 'sent');
    assert.equal(reaction.waMessageId, undefined, 'a reaction gets no WhatsApp id');
    assert.match(String(reactionRow.messageId), /^pending_/);
    assert.deepEqual(reactionRow.content, { messageId: quoted.messageId, emoji: '👍' });
    const fresh = rec((await call(e, 'POST', '/messages/text', apiKeyOf(e), { profileId: p, to: '0812-3456-7890', text: 'new' })).body);
    const created = list(rec((await call(e, 'GET', `/conversations?profileId=${p}`, apiKeyOf(e))).body).conversations).find((c) => c.id === fresh.conversationId)!;
    assert.equal(created.jid, '6281234567890@s.whatsapp.net');
    assert.equal(created.name, '0812-3456-7890');
  });

  it('a profile without an engine answers pending + warning and the row stays pending', async () => {
    const tokens = await login(e);
    const r = rec((await call(e, 'POST', '/messages/text', { token: tokens.accessToken }, { profileId: profileOf(e, 1), to: '6281311110001', text: 'x' })).body);
    assert.equal(r.status, 'pending');
    assert.equal(r.warning, 'Profile not connected, message queued');
    assert.equal(r.success, true);
  });

  it('throttles per IP and route (429 ThrottlerException) and enforces the daily send cap with a failed row', async () => {
    const limited = await startMultiwa({ requestsPerMinute: 3, dailyMessageLimit: 1 });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await call(limited, 'GET', '/profiles', apiKeyOf(limited))).status, 200);
      const r = await call(limited, 'GET', '/profiles', apiKeyOf(limited));
      assert.deepEqual(r.body, { statusCode: 429, message: 'ThrottlerException: Too Many Requests' });
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
      assert.equal((await call(limited, 'GET', `/profiles/${profileOf(limited)}/status`, apiKeyOf(limited))).status, 200, 'another route has its own window');
      const p = profileOf(limited);
      assert.equal((await call(limited, 'POST', '/messages/text', apiKeyOf(limited), { profileId: p, to: '6281311110001', text: 'one' })).status, 201);
      const over = await call(limited, 'POST', '/messages/text', apiKeyOf(limited), { profileId: p, to: '6281311110001', text: 'two' });
      assert.equal(over.status, 429);
      const body = rec(over.body);
      assert.equal(body.error, 'DAILY_LIMIT_REACHED');
      assert.equal(body.lane, 'service');
      assert.equal(body.limit, 1);
      assert.equal(body.count, 1);
      assert.ok(!Number.isNaN(Date.parse(String(body.resetAt))));
      assert.ok(limited.messages().some((m) => m.status === 'failed' && rec(m.content).text === 'two'));
    } finally {
      await limited.close();
    }
  });

  it('uploads a file (first file part, MIME whitelist, size caps) and serves it without credentials', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'payload.html');
    const r = await fetch(`${e.baseUrl}/api/v1/uploads/media`, { method: 'POST', headers: apiKeyOf(e).apiKey ? { 'x-api-key': apiKeyOf(e).apiKey } : {}, body: form });
    assert.equal(r.status, 201);
    const data = rec(rec(await r.json()).data);
    assert.match(String(data.key), /^media\/[0-9a-f-]{36}\.png$/);
    assert.equal(data.type, 'IMAGE');
    assert.equal(data.mimeType, 'image/png');
    assert.equal(data.size, PNG.length);
    assert.equal(data.filename, 'payload.html');
    const served = await fetch(String(data.url));
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), PNG);
    const bad = new FormData();
    bad.append('file', new Blob(['<b>x</b>'], { type: 'text/html' }), 'x.html');
    const refused = await fetch(`${e.baseUrl}/api/v1/uploads/media`, { method: 'POST', headers: { 'x-api-key': apiKeyOf(e).apiKey }, body: bad });
    assert.deepEqual(await refused.json(), { statusCode: 400, message: 'Unsupported file type: text/html. Allowed: images, videos, audio, documents', error: 'Bad Request' });
    const big = new FormData();
    big.append('file', new Blob([new Uint8Array(16 * 1024 * 1024 + 1)], { type: 'image/jpeg' }), 'big.jpg');
    const tooBig = await fetch(`${e.baseUrl}/api/v1/uploads/media`, { method: 'POST', headers: { 'x-api-key': apiKeyOf(e).apiKey }, body: big });
    assert.equal(rec(await tooBig.json()).message, 'File too large. Max size for image: 16MB');
    assert.equal((await fetch(`${e.baseUrl}/api/v1/uploads/media`, { method: 'POST', headers: { 'x-api-key': apiKeyOf(e).apiKey, 'content-type': 'application/json' }, body: '{}' })).status, 406);
    assert.equal((await fetch(`${e.baseUrl}/api/v1/uploads/file/media/00000000-0000-4000-8000-000000000000.png`)).status, 404);
    await until(() => (e.requests({ kind: 'upload' }).length >= 4 ? true : undefined), 'upload records');
  });
});
