import * as assert from 'node:assert/strict';
import type { MultiwaEmulator } from '../../../sandbox/multiwa/emulator';
import { apiKeyOf, call, connected, firstConversation, login, plain, profileOf, rec, recordEvents, sio, startMultiwa, until } from './multiwaHelpers';

const PNG_DATA_URL = /^data:image\/png;base64,iVBORw0KGgo/;

describe('sandbox MultiWA realtime (Socket.IO and the plain WebSocket API)', () => {
  let e: MultiwaEmulator;
  before(async () => {
    e = await startMultiwa({ counterparty: true });
  });
  afterEach(() => e.reset());
  after(async () => {
    await e.close();
  });

  it('Socket.IO: accepts auth.apiKey, the x-api-key header and ?token=; greets with a legacy ack; kicks bad credentials right after connect', async () => {
    const tokens = await login(e);
    for (const opts of [{ auth: apiKeyOf(e) }, { extraHeaders: { 'x-api-key': apiKeyOf(e).apiKey } }, { query: { token: tokens.accessToken } }]) {
      const s = sio(e, opts);
      const events = recordEvents(s);
      await connected(s);
      const ack = await s.emitWithAck('join', { profileId: opts.query ? profileOf(e, 1) : profileOf(e) });
      assert.equal(rec(ack).success, true);
      assert.equal(events[0]?.name, 'message');
      assert.equal(rec(events[0]?.payload).type, 'ack');
      s.close();
    }
    const bad = sio(e, { auth: { apiKey: 'mwa_wrong' } });
    const kicked = new Promise<string>((resolve) => bad.once('disconnect', (r: string) => resolve(r)));
    await connected(bad);
    assert.equal(await kicked, 'io server disconnect');
    bad.close();
  });

  it('Socket.IO: join and subscribe:profile ack {success, profileId} or Forbidden; the legacy message protocol answers ping and subscribe', async () => {
    const s = sio(e, { auth: apiKeyOf(e) });
    const events = recordEvents(s);
    await connected(s);
    assert.deepEqual(await s.emitWithAck('subscribe:profile', { profileId: profileOf(e) }), { success: true, profileId: profileOf(e) });
    assert.deepEqual(await s.emitWithAck('join', { profileId: profileOf(e, 1) }), { success: false, error: 'Forbidden' });
    s.emit('message', { type: 'ping', requestId: 'p1' });
    s.emit('message', { type: 'subscribe', payload: { profileId: profileOf(e), events: ['*'] }, requestId: 's1' });
    const pong = await until(() => events.find((x) => rec(x.payload).requestId === 'p1'), 'pong');
    assert.equal(rec(pong.payload).type, 'pong');
    const sub = await until(() => events.find((x) => rec(x.payload).requestId === 's1'), 'legacy ack');
    assert.deepEqual(rec(sub.payload).payload, { action: 'subscribed', profileId: profileOf(e), events: ['*'] });
    s.close();
  });

  it('a send goes sent → delivered → read by message:ack carrying the WhatsApp id; the customer answers as message events on both transports', async () => {
    const s = sio(e, { auth: apiKeyOf(e) });
    const events = recordEvents(s);
    await connected(s);
    await s.emitWithAck('join', { profileId: profileOf(e) });
    const p = await plain(e, `apiKey=${apiKeyOf(e).apiKey}`);
    p.send({ type: 'subscribe', payload: { profileId: profileOf(e), events: ['message.received', 'message.ack'] }, requestId: 'r1' });
    await until(() => p.frames.find((f) => f.requestId === 'r1'), 'plain subscribe ack');
    const conversation = await firstConversation(e);
    const sent = rec((await call(e, 'POST', '/messages/text', apiKeyOf(e), { profileId: profileOf(e), to: String(conversation.jid), text: 'Hello?' })).body);
    const statuses = await until(() => {
      const acks = events.filter((x) => x.name === 'message:ack').map((x) => rec(x.payload));
      return acks.length >= 3 ? acks : undefined;
    }, 'three acks');
    assert.deepEqual(statuses.map((a) => a.status), ['sent', 'delivered', 'read']);
    assert.ok(statuses.every((a) => a.messageId === sent.waMessageId && a.profileId === profileOf(e)), 'the ack names the WhatsApp id, not the row id');
    const received = await until(() => events.find((x) => x.name === 'message' && rec(x.payload).type === 'message:received'), 'message:received');
    const payload = rec(received.payload);
    assert.equal(rec(payload.message).direction, 'incoming');
    assert.equal(rec(payload.message).conversationId, conversation.id);
    assert.equal(rec(payload.conversation).id, conversation.id);
    assert.ok(!events.some((x) => x.name === 'message' && rec(rec(x.payload).message ?? {}).direction === 'outgoing'), 'our own sends are not echoed');
    const plainAck = await until(() => p.frames.find((f) => f.type === 'event' && rec(f.payload).event === 'message.ack' && rec(rec(f.payload).data).status === 'read'), 'plain read ack');
    assert.deepEqual(rec(rec(plainAck.payload).data), { messageId: sent.waMessageId, status: 'read', ack: 3 });
    const plainMsg = await until(() => p.frames.find((f) => f.type === 'event' && rec(f.payload).event === 'message.received'), 'plain message');
    const data = rec(rec(plainMsg.payload).data);
    assert.deepEqual(Object.keys(data).sort(), ['body', 'from', 'hasMedia', 'id', 'timestamp', 'type']);
    const row = e.messages(String(conversation.id)).find((m) => m.messageId === data.id)!;
    assert.equal(data.type, row.type === 'text' ? 'chat' : row.type, 'text is `chat` as in whatsapp-web.js');
    assert.equal(data.from, '6281311110001@c.us');
    s.close();
    p.ws.close();
  });

  it('the customer goes through every kind: quoted reply, image, voice note, PDF, location, contact, poll and a reaction', async () => {
    const conversation = await firstConversation(e);
    const incoming = (): string[] => e.messages(String(conversation.id)).filter((m) => m.direction === 'incoming').map((m) => String(m.type));
    const start = incoming().length;
    for (let i = 0; i < 9; i++) {
      const before = incoming().length;
      await call(e, 'POST', '/messages/text', apiKeyOf(e), { profileId: profileOf(e), to: String(conversation.jid), text: `turn ${i}` });
      await until(() => (incoming().length > before ? true : undefined), `reply ${i}`);
    }
    await until(() => (incoming().length >= start + 10 ? true : undefined), 'every reply');
    const seen = new Set(incoming().slice(start));
    for (const kind of ['text', 'image', 'ptt', 'document', 'location', 'vcard', 'poll_creation', 'reaction']) assert.ok(seen.has(kind), kind);
    const image = e.messages(String(conversation.id)).filter((m) => m.type === 'image').pop()!;
    assert.match(String(rec(image.content).url), PNG_DATA_URL);
    assert.equal(rec(image.content).hasMedia, true);
  });

  it('plain WebSocket: 401 on bad credentials, greeting, ping → pong with requestId, and closes a client that stops pinging', async () => {
    await assert.rejects(plain(e, 'apiKey=mwa_wrong'), /upgrade refused 401/);
    await assert.rejects(plain(e, ''), /upgrade refused 401/);
    // Pings 100 ms apart against a 1 s idle timeout: a busy machine's stall is no missed ping.
    const short = await startMultiwa({ plainWsIdleTimeoutMs: 1000 });
    try {
      const p = await plain(short, `apiKey=${apiKeyOf(short).apiKey}`);
      const greeting = await until(() => p.frames[0], 'greeting');
      assert.equal(greeting.type, 'ack');
      assert.equal(rec(greeting.payload).message, 'Connected to MultiWA WebSocket API');
      assert.equal(typeof rec(greeting.payload).clientId, 'string');
      for (let i = 0; i < 3; i++) {
        p.send({ type: 'ping', requestId: `ping-${i}` });
        await new Promise((r) => setTimeout(r, 100));
      }
      const pong = await until(() => p.frames.find((f) => f.requestId === 'ping-2'), 'the pong of the last ping');
      assert.equal(pong.type, 'pong');
      const closed = await p.closed;
      assert.equal(closed.reason, 'heartbeat timeout');
    } finally {
      await short.close();
    }
  });

  it('QR pairing: connect, qr:update / qr.updated with PNG data URLs every interval, POST pair → connected with phone and chats', async () => {
    const tokens = await login(e);
    const pid = profileOf(e, 1);
    const s = sio(e, { auth: { token: tokens.accessToken } });
    const events = recordEvents(s);
    await connected(s);
    await s.emitWithAck('join', { profileId: pid });
    const p = await plain(e, `token=${tokens.accessToken}`);
    p.send({ type: 'subscribe', payload: { profileId: pid, events: ['qr.updated', 'session.status'] }, requestId: 'q' });
    await until(() => p.frames.find((f) => f.requestId === 'q'), 'subscribed');
    assert.equal(events.filter((x) => x.name === 'qr:update').length, 0, 'no QR before connect');
    await call(e, 'POST', `/profiles/${pid}/connect`, { token: tokens.accessToken });
    const qrs = await until(() => {
      const q = events.filter((x) => x.name === 'qr:update').map((x) => rec(x.payload));
      return q.length >= 2 ? q : undefined;
    }, 'two QR codes');
    assert.ok(qrs.every((q) => q.profileId === pid && PNG_DATA_URL.test(String(q.qrCode))));
    assert.notEqual(qrs[0]!.qrCode, qrs[1]!.qrCode, 'each QR is fresh');
    const plainQr = await until(() => p.frames.find((f) => rec(f.payload ?? {}).event === 'qr.updated'), 'plain qr');
    assert.match(String(rec(rec(plainQr.payload).data).qr), PNG_DATA_URL);
    const pairRefused = await call(e, 'POST', '/messages/text', { token: tokens.accessToken }, { profileId: pid, to: '6281311110001', text: 'x' });
    assert.equal(rec(pairRefused.body).success, false, 'a pairing engine is not ready to send');
    e.pair({ profileId: pid });
    const status = await until(() => events.find((x) => x.name === 'connection:status'), 'connected');
    assert.deepEqual(status.payload, { profileId: pid, status: 'connected', phoneNumber: '6281234500002', phone: '6281234500002' });
    const plainStatus = await until(() => p.frames.find((f) => rec(f.payload ?? {}).event === 'session.status'), 'plain status');
    assert.deepEqual(rec(rec(plainStatus.payload).data), { status: 'connected', phone: '6281234500002' });
    const list = rec((await call(e, 'GET', `/conversations?profileId=${pid}`, { token: tokens.accessToken })).body);
    assert.ok(Number(list.total) >= 2);
    const count = events.filter((x) => x.name === 'qr:update').length;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(events.filter((x) => x.name === 'qr:update').length, count, 'no QR after pairing');
    s.close();
    p.ws.close();
  });

  it('autoPairAfterMs pairs by itself', async () => {
    const auto = await startMultiwa({ autoPairAfterMs: 40 });
    try {
      const tokens = await login(auto);
      await call(auto, 'POST', `/profiles/${profileOf(auto, 1)}/connect`, { token: tokens.accessToken });
      await until(() => (rec((auto.profiles().find((x) => rec(x).id === profileOf(auto, 1)))).status === 'connected' ? true : undefined), 'auto pairing');
    } finally {
      await auto.close();
    }
  });
});
