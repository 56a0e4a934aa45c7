import assert from 'node:assert/strict';
import type { HttpResponse } from '../../../../src/extension/core/connection/httpClient';
import { apiRootOf, errorText, multiwaError } from '../../../../src/extension/venues/multiwa/api';
import { jwtExpiry, LoginAuth, type AnonymousRequest } from '../../../../src/extension/venues/multiwa/auth';
import { sendRequest } from '../../../../src/extension/venues/multiwa/adapter';
import { decodePlainFrame, decodeSocketIoEvent, sameChat } from '../../../../src/extension/venues/multiwa/realtimeEvents';
import type { OutboundMessage } from '../../../../src/extension/venues/venue';

const ROW = { id: 'r1', conversationId: 'c1', direction: 'incoming', type: 'text', content: { text: 'hi' }, timestamp: '2026-12-01T09:00:00Z' };

function res(status: number, json: unknown, headers: Record<string, string> = {}): HttpResponse {
  const bodyText = JSON.stringify(json);
  return { status, headers, bodyBytes: Buffer.from(bodyText), bodyText, json };
}

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.sig`;
}

describe('MultiWA protocol pieces', () => {
  describe('realtime events', () => {
    it('reads the Socket.IO events of the current server', () => {
      const message = decodeSocketIoEvent('message', [{ type: 'message:received', message: ROW, conversation: { id: 'c1', jid: '628@s.whatsapp.net', name: 'Rina', unreadCount: 2 } }]);
      assert.ok(message.ok && message.event.kind === 'message');
      assert.equal(message.event.kind === 'message' && message.event.conversation?.unreadCount, 2);
      assert.deepEqual(decodeSocketIoEvent('message:ack', [{ profileId: 'p1', messageId: 'true_628@c.us_3EB0', status: 'read' }]), { ok: true, event: { kind: 'ack', profileId: 'p1', messageId: 'true_628@c.us_3EB0', status: 'read' } });
      assert.deepEqual(decodeSocketIoEvent('connection:status', [{ profileId: 'p1', status: 'reconnecting (1/3)' }]), { ok: true, event: { kind: 'status', profileId: 'p1', status: 'reconnecting (1/3)' } });
      assert.deepEqual(decodeSocketIoEvent('qr:update', [{ profileId: 'p1', qrCode: 'data:image/png;base64,iVBOR' }]), { ok: true, event: { kind: 'qr', profileId: 'p1', qr: 'data:image/png;base64,iVBOR' } });
      const update = decodeSocketIoEvent('message:update', [ROW]);
      assert.ok(update.ok && update.event.kind === 'messageUpdate');
      assert.deepEqual(decodeSocketIoEvent('typing', [{}]), { ok: true, event: { kind: 'ignored' } });
    });

    it('reads the plain WebSocket API of the docs: ack, pong, events; engine-shaped messages mean "re-read that chat"', () => {
      assert.equal((decodePlainFrame({ type: 'ack', payload: { message: 'Connected to MultiWA WebSocket API', clientId: 'abc123' } }) as { event: { kind: string } }).event.kind, 'ack-frame');
      assert.deepEqual(decodePlainFrame({ type: 'pong', payload: { timestamp: 'x' }, requestId: 'ping_001' }), { ok: true, event: { kind: 'pong', requestId: 'ping_001' } });
      const documented = { type: 'event', payload: { event: 'message.received', profileId: 'profile-123', data: { id: 'true_628xxx_3EB0ABC', from: '628123456789@c.us', body: 'Hello!', type: 'chat', timestamp: '2026-02-05T10:00:00.000Z', hasMedia: false }, timestamp: '2026-02-05T10:00:00.000Z' } };
      assert.deepEqual(decodePlainFrame(documented), { ok: true, event: { kind: 'chatActivity', profileId: 'profile-123', jid: '628123456789@c.us' } });
      const status = decodePlainFrame({ type: 'event', payload: { event: 'session.status', profileId: 'profile-123', data: { status: 'connected', phone: '628123456789' } } });
      assert.deepEqual(status, { ok: true, event: { kind: 'status', profileId: 'profile-123', status: 'connected', phone: '628123456789' } });
      const rowEvent = decodePlainFrame({ type: 'event', payload: { event: 'message.received', profileId: 'p1', data: ROW } });
      assert.ok(rowEvent.ok && rowEvent.event.kind === 'message', 'a row, where a server sends one, is used as it is');
      assert.ok(sameChat('628123456789@c.us', '628123456789@s.whatsapp.net'));
    });

    it('malformed frames are problems, not exceptions', () => {
      for (const bad of [null, 42, 'text', { type: 'event' }, { type: 'event', payload: { event: 'message.received', data: { nope: 1 } } }, { type: 'event', payload: { event: 'message.ack', data: {} } }]) {
        const decoded = decodePlainFrame(bad);
        assert.equal(decoded.ok, false, JSON.stringify(bad));
      }
      for (const [event, args] of [['message', [null]], ['message:ack', [{ status: 'read' }]], ['qr:update', [{}]], ['connection:status', [[]]]] as const) {
        assert.equal(decodeSocketIoEvent(event, args).ok, false, event);
      }
    });
  });

  describe('REST', () => {
    it('puts the API under /api/v1 of the URL given, once', () => {
      assert.equal(apiRootOf('http://192.168.1.20:3000'), 'http://192.168.1.20:3000/api/v1');
      assert.equal(apiRootOf('http://192.168.1.20:3000/'), 'http://192.168.1.20:3000/api/v1');
      assert.equal(apiRootOf('https://gw.example/wa/api/v1/'), 'https://gw.example/wa/api/v1');
      assert.equal(apiRootOf('https://gw.example/wa'), 'https://gw.example/wa/api/v1');
    });

    it('reads Nest\'s error bodies and says what to do', () => {
      assert.equal(errorText(res(400, { statusCode: 400, message: ['to must be a phone number', 'text should not be empty'], error: 'Bad Request' })), 'to must be a phone number; text should not be empty');
      const expired = multiwaError(res(401, { statusCode: 401, message: 'API key expired' }), 'GET', '/profiles', 0);
      assert.equal(expired.kind, 'auth');
      assert.match(expired.message, /expired.*new key/);
      assert.equal(multiwaError(res(403, { message: 'Forbidden' }), 'GET', '/profiles/x/status', 0).kind, 'auth');
      assert.match(multiwaError(res(404, { message: 'Cannot GET /api/v1/profiles' }), 'GET', '/profiles', 0).message, /API port/);
      assert.equal(multiwaError(res(400, { message: ['bad'] }), 'POST', '/messages/text', 0).kind, 'rejected');
      assert.equal(multiwaError(res(502, {}), 'POST', '/messages/text', 0).kind, 'unknown-outcome');
    });

    it('a daily send limit waits until the gateway\'s reset time', () => {
      const now = Date.parse('2026-12-01T10:00:00Z');
      const err = multiwaError(res(429, { error: 'DAILY_LIMIT_REACHED', lane: 'service', limit: 1000, count: 1000, resetAt: '2026-12-02T00:00:00.000Z' }), 'POST', '/messages/text', now);
      assert.equal(err.kind, 'rate-limit');
      assert.equal(err.retryAfterMs, 14 * 60 * 60_000);
      assert.match(err.message, /daily message limit.*1000 of 1000/);
      const throttled = multiwaError(res(429, { statusCode: 429, message: 'ThrottlerException: Too Many Requests' }, { 'retry-after': '12' }), 'GET', '/conversations', now);
      assert.equal(throttled.retryAfterMs, 12_000);
    });

    it('builds each send kind as the gateway\'s DTOs name the fields', () => {
      const base: OutboundMessage = { clientMessageId: 'c1c1c1c1', conversationId: 'c1', kind: 'text', text: 'hello', attempt: 0, composedAt: 0 };
      const to = '628123@s.whatsapp.net';
      assert.deepEqual(sendRequest(base, to), { kind: 'text', to, text: 'hello' });
      assert.deepEqual(sendRequest({ ...base, quote: { venueMessageId: 'row-7', text: 'x' } }, to), { kind: 'reply', quotedMessageId: 'row-7', text: 'hello' });
      assert.deepEqual(sendRequest({ ...base, kind: 'file', text: '', attachment: { kind: 'file', url: 'http://gw/u/a.pdf', name: 'a.pdf', mimeType: 'application/pdf' } }, to), { kind: 'document', to, url: 'http://gw/u/a.pdf', filename: 'a.pdf', mimetype: 'application/pdf' });
      assert.deepEqual(sendRequest({ ...base, kind: 'audio', text: '', attachment: { kind: 'audio', url: 'http://gw/u/v.ogg', voiceNote: true } }, to), { kind: 'audio', to, url: 'http://gw/u/v.ogg', ptt: true });
      assert.deepEqual(sendRequest({ ...base, kind: 'location', text: '', payload: { type: 'location', latitude: -6.2, longitude: 106.8, name: 'Monas' } }, to), { kind: 'location', to, latitude: -6.2, longitude: 106.8, name: 'Monas' });
      assert.deepEqual(sendRequest({ ...base, kind: 'contact', text: '', payload: { type: 'contact', contacts: [{ name: 'Budi', phone: '+62812' }] } }, to), { kind: 'contact', to, contacts: [{ name: 'Budi', phone: '+62812' }] });
      assert.throws(() => sendRequest({ ...base, kind: 'contact', text: '', payload: { type: 'contact', contacts: [{ email: 'a@b.c' }] } }, to), /name and a phone/);
      assert.throws(() => sendRequest({ ...base, kind: 'image', text: '' }, to), /no uploaded file/);
    });
  });

  describe('login auth', () => {
    it('logs in, renews through /auth/refresh a minute before the token\'s own exp, and logs in again when the refresh is refused', async () => {
      let now = 1_800_000_000_000;
      const clock = { now: () => now, random: () => 0.5, setTimeout, clearTimeout } as never;
      const secrets: string[] = [];
      const calls: string[] = [];
      let serial = 0;
      const tokens = () => ({ accessToken: jwt({ sub: 'u', exp: Math.floor(now / 1000) + 900, n: ++serial }), refreshToken: `refresh-${serial}`, expiresIn: 604800 });
      let refuseRefresh = false;
      const request: AnonymousRequest = async ({ path, body }) => {
        calls.push(path);
        if (path === '/auth/login') return (body as { password: string }).password === 'pw' ? res(200, tokens()) : res(401, { message: 'Invalid credentials' });
        return refuseRefresh ? res(401, { message: 'Refresh token reuse detected' }) : res(200, tokens());
      };
      const auth = new LoginAuth('me@example.com', 'pw', clock, { addSecret: (v) => secrets.push(v) });
      auth.attach(request);
      const first = await auth.headers();
      assert.match(first.Authorization ?? '', /^Bearer /);
      assert.deepEqual(calls, ['/auth/login']);
      assert.equal(await auth.headers().then((h) => h.Authorization), first.Authorization, 'reused while fresh');
      now += 850_000; // 50 s before exp: inside the renewal margin
      const second = await auth.headers();
      assert.notEqual(second.Authorization, first.Authorization);
      assert.deepEqual(calls, ['/auth/login', '/auth/refresh']);
      refuseRefresh = true;
      await auth.renew();
      assert.deepEqual(calls, ['/auth/login', '/auth/refresh', '/auth/refresh', '/auth/login']);
      assert.ok(secrets.includes('refresh-1') && secrets.some((s) => s.startsWith('eyJ')), 'every token registered with the redactor');
      assert.deepEqual(await auth.socketAuth().then((a) => Object.keys(a)), ['token']);
    });

    it('a wrong password and a two-factor login are refused with what to do', async () => {
      const clock = { now: () => 0, random: () => 0.5, setTimeout, clearTimeout } as never;
      const wrong = new LoginAuth('me@example.com', 'nope', clock, { addSecret: () => undefined });
      wrong.attach(async () => res(401, { message: 'Invalid credentials' }));
      await assert.rejects(wrong.headers(), /refused the e-mail or password/);
      const twoFactor = new LoginAuth('me@example.com', 'pw', clock, { addSecret: () => undefined });
      twoFactor.attach(async () => res(200, { requires2FA: true, userId: 'u1' }));
      await assert.rejects(twoFactor.headers(), /two-factor.*API key/);
      assert.equal(jwtExpiry('not.a.jwt'), undefined);
      assert.equal(jwtExpiry(jwt({ exp: 1700000000 })), 1_700_000_000_000);
    });
  });
});
