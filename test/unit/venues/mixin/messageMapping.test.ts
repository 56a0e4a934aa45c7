import assert from 'node:assert/strict';
import type { ChatMessage } from '../../../../src/shared/model';
import { MAX_FIELD_LENGTH } from '../../../../src/shared/messageLimits';
import { chatMessageProblem } from '../../../../src/shared/messageValidator';
import { messageViewOf, toChatMessage, toMixinPayload, type MappingContext, type MixinMessageView } from '../../../../src/extension/venues/mixin/messageMapping';
import type { OutboundMessage } from '../../../../src/extension/venues/venue';

const APP = '7e0b0ab3-6a0f-4c8d-9c3e-1c3c6f9e2a11';
const USER = '773e5e77-4107-45c2-b648-8fc722ed77f5';
const CONV = 'a2b1c0d9-8e7f-3a6b-9c5d-4e3f2a1b0c9d';
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]);

function ctx(problems: string[] = []): MappingContext {
  return { accountId: 'acc', appId: APP, now: NOW, problems };
}

function view(category: string, payload: string | object, extra: Partial<MixinMessageView> = {}): MixinMessageView {
  const bytes = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
  return { conversation_id: CONV, user_id: USER, message_id: 'c9f1e2d3-0000-4000-8000-000000000001', category, data: bytes.toString('base64'), status: 'SENT', created_at: '2026-12-01T11:59:00.123456Z', ...extra };
}

function outbound(kind: OutboundMessage['kind'], fields: Partial<OutboundMessage>): OutboundMessage {
  return { clientMessageId: 'b2d7f0a4-8c1e-4e51-9a0f-3b2c1d0e9f8a', conversationId: CONV, kind, text: '', attempt: 0, composedAt: NOW, ...fields };
}

/** What we send, as the counterparty's client (or the echo) would read it back. */
function roundTrip(message: OutboundMessage): ChatMessage {
  const { category, dataBase64 } = toMixinPayload(message);
  return toChatMessage({ conversation_id: CONV, user_id: APP, message_id: message.clientMessageId, category, data_base64: dataBase64, status: 'READ', created_at: '2026-12-01T11:59:00Z' }, ctx());
}

describe('Mixin categories <-> model', () => {
  // Found by fuzzing Mixin CREATE_MESSAGE frames: a card action whose label was longer than a stored
  // field (seed -652643773, path "107"), a PLAIN_LIVE width below zero (seed 1905275883, path "0"), and
  // a quote_message_id that was a number (seed 1308450566, path "10") each lost the whole message.
  it('payload fields the store could not keep (a huge label, a negative size, a non-string quote) are left out, the message kept', () => {
    const problems: string[] = [];
    const card = toChatMessage(view('APP_CARD', { title: 'Pay', actions: [{ label: 'x'.repeat(9_000), action: 'https://a.example/' }, { label: 'Open', action: 'https://b.example/' }] }), ctx(problems));
    assert.deepEqual(card.payload?.type === 'card' ? card.payload.actions.map((a) => a.label) : [], ['Open']);
    const live = toChatMessage(view('PLAIN_LIVE', { url: 'https://live.example/s.m3u8', width: -640, height: 360 }), ctx(problems));
    assert.deepEqual(live.payload, { type: 'live', url: 'https://live.example/s.m3u8', height: 360 });
    const image = toChatMessage(view('PLAIN_IMAGE', { attachment_id: USER, size: -1, width: 10 }), ctx(problems));
    assert.deepEqual(image.attachments?.map((a) => [a.size, a.width]), [[undefined, 10]]);
    const pushed = messageViewOf({ ...view('PLAIN_TEXT', 'hi'), quote_message_id: 42, created_at: null });
    assert.ok(pushed);
    assert.equal(toChatMessage(pushed, ctx(problems)).quote, undefined);
  });

  it('text and post: UTF-8 text, markdown kept as markdown; keyed by message_id; time to the microsecond string', () => {
    const text = toChatMessage(view('PLAIN_TEXT', 'Halo, sudah transfer 🙏'), ctx());
    assert.equal(text.key, `mixin:acc:${CONV}:c9f1e2d3-0000-4000-8000-000000000001`);
    assert.equal(text.kind, 'text');
    assert.equal(text.text, 'Halo, sudah transfer 🙏');
    assert.equal(text.direction, 'in');
    assert.equal(text.time, Date.UTC(2026, 11, 1, 11, 59, 0, 123));
    assert.equal(toChatMessage(view('PLAIN_POST', '# Invoice\n**42 USDT**'), ctx()).kind, 'markdown');
  });

  it('reads data_base64 (URL-safe, unpadded) as well as data (standard)', () => {
    const urlSafe = Buffer.from('ÿþ?>>', 'utf8').toString('base64url');
    const m = toChatMessage({ ...view('PLAIN_TEXT', ''), data: undefined, data_base64: urlSafe }, ctx());
    assert.equal(m.text, 'ÿþ?>>');
  });

  it('media: image with its inline thumbnail, video and audio with duration, audio waveform, file with name and size', () => {
    const image = toChatMessage(view('PLAIN_IMAGE', { attachment_id: 'att-1', mime_type: 'image/jpeg', width: 640, height: 480, size: 51234, thumbnail: JPEG.toString('base64') }), ctx());
    assert.equal(image.kind, 'image');
    assert.deepEqual(image.attachments?.[0], { kind: 'image', ref: 'att-1', mimeType: 'image/jpeg', size: 51234, width: 640, height: 480, thumbUrl: `data:image/jpeg;base64,${JPEG.toString('base64')}` });
    const audio = toChatMessage(view('PLAIN_AUDIO', { attachment_id: 'att-2', mime_type: 'audio/ogg', size: 9000, duration: 4200, waveform: Buffer.from([0, 128, 255]).toString('base64') }), ctx());
    // Mixin's PLAIN_AUDIO is a recorded voice message (its apps send audio files as PLAIN_DATA).
    assert.deepEqual(audio.attachments?.[0], { kind: 'audio', ref: 'att-2', mimeType: 'audio/ogg', size: 9000, durationMs: 4200, waveform: [0, 128, 255], voiceNote: true });
    const spelledByJs = toChatMessage(view('PLAIN_AUDIO', { attachment_id: 'att-2', wave_form: Buffer.from([7]).toString('base64') }), ctx());
    assert.deepEqual(spelledByJs.attachments?.[0]?.waveform, [7]);
    const video = toChatMessage(view('PLAIN_VIDEO', { attachment_id: 'att-3', mime_type: 'video/mp4', duration: 12000, width: 1280, height: 720 }), ctx());
    assert.equal(video.attachments?.[0]?.durationMs, 12000);
    const file = toChatMessage(view('PLAIN_DATA', { attachment_id: 'att-4', mime_type: 'application/pdf', size: 2048, name: 'invoice.pdf' }), ctx());
    assert.deepEqual([file.kind, file.attachments?.[0]?.name, file.attachments?.[0]?.size], ['file', 'invoice.pdf', 2048]);
  });

  it('an inline thumbnail too large for a stored field is left out, and the message still passes the store check', () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(12_000, 7)]);
    const problems: string[] = [];
    const image = toChatMessage(view('PLAIN_IMAGE', { attachment_id: 'att-1', mime_type: 'image/jpeg', width: 640, height: 480, thumbnail: big.toString('base64') }), ctx(problems));
    assert.equal(image.attachments?.[0]?.thumbUrl, undefined);
    assert.equal(chatMessageProblem(image), undefined);
    assert.deepEqual(problems, []);
    // The largest one that fits is kept.
    const fits = Buffer.concat([JPEG, Buffer.alloc(Math.floor(((MAX_FIELD_LENGTH - 'data:image/jpeg;base64,'.length) / 4) * 3) - JPEG.length, 7)]);
    const kept = toChatMessage(view('PLAIN_VIDEO', { attachment_id: 'att-3', thumbnail: fits.toString('base64') }), ctx());
    const length = kept.attachments?.[0]?.thumbUrl?.length ?? 0;
    assert.ok(length <= MAX_FIELD_LENGTH && length > MAX_FIELD_LENGTH - 4, `${length} characters kept`);
    assert.equal(chatMessageProblem(kept), undefined);
  });

  it('sticker, contact, location, live, card, button group and recall', () => {
    assert.deepEqual(toChatMessage(view('PLAIN_STICKER', { sticker_id: 's1', name: 'hi', album_id: 'a1' }), ctx()).payload, { type: 'sticker', stickerId: 's1', name: 'hi', albumId: 'a1' });
    // The seed's other form: a sticker named within its album.
    assert.deepEqual(toChatMessage(view('PLAIN_STICKER', { name: 'hello', album_id: 'a1' }), ctx()).payload, { type: 'sticker', name: 'hello', albumId: 'a1' });
    assert.equal(toChatMessage(view('PLAIN_STICKER', { name: 'hello' }), ctx()).text, '[PLAIN_STICKER]');
    assert.deepEqual(toChatMessage(view('PLAIN_CONTACT', { user_id: USER }), ctx()).payload, { type: 'contact', contacts: [{ userId: USER }] });
    assert.deepEqual(toChatMessage(view('PLAIN_LOCATION', { latitude: 1.2834, longitude: 103.8607, name: 'Marina Bay', address: 'Singapore' }), ctx()).payload, { type: 'location', latitude: 1.2834, longitude: 103.8607, name: 'Marina Bay', address: 'Singapore' });
    assert.deepEqual(toChatMessage(view('PLAIN_LIVE', { url: 'https://live.example/s.m3u8', thumb_url: 'https://live.example/t.jpg', width: 720, height: 1280 }), ctx()).payload, { type: 'live', url: 'https://live.example/s.m3u8', thumbUrl: 'https://live.example/t.jpg', width: 720, height: 1280 });
    const card = toChatMessage(view('APP_CARD', { app_id: APP, title: 'Pay 42 USDT', description: 'Order 77', cover_url: 'https://c.example/cover.png', icon_url: 'javascript:alert(1)', actions: [{ label: 'Pay', color: '#00AA55', action: 'https://pay.example/77' }] }), ctx());
    assert.deepEqual(card.payload, { type: 'card', title: 'Pay 42 USDT', description: 'Order 77', coverUrl: 'https://c.example/cover.png', appId: APP, actions: [{ label: 'Pay', action: 'https://pay.example/77', color: '#00AA55' }] }, 'a javascript: icon is dropped');
    const buttons = toChatMessage(view('APP_BUTTON_GROUP', [{ label: 'Yes', color: '#FF0000', action: 'https://y.example' }, { label: 'No', color: 'red', action: 'https://n.example' }, { label: '' }]), ctx());
    assert.deepEqual(buttons.payload, { type: 'buttons', buttons: [{ label: 'Yes', action: 'https://y.example', color: '#FF0000' }, { label: 'No', action: 'https://n.example' }] });
    const recall = toChatMessage(view('MESSAGE_RECALL', { message_id: 'm-old' }), ctx());
    assert.deepEqual([recall.kind, recall.payload], ['recall', { type: 'recall', targetVenueMessageId: 'm-old' }]);
  });

  it('system, encrypted and unknown categories are readable; malformed payloads are reported, never blank', () => {
    const problems: string[] = [];
    assert.equal(toChatMessage(view('SYSTEM_CONVERSATION', { action: 'ADD', participant_id: USER }), ctx(problems)).kind, 'system');
    assert.match(toChatMessage(view('ENCRYPTED_TEXT', 'xxx'), ctx(problems)).text ?? '', /encrypted/);
    assert.equal(toChatMessage(view('PLAIN_TRANSCRIPT', { a: 1 }), ctx(problems)).text, '[PLAIN_TRANSCRIPT]');
    assert.equal(toChatMessage(view('PLAIN_IMAGE', 'not json'), ctx(problems)).text, '[PLAIN_IMAGE]');
    assert.equal(toChatMessage(view('PLAIN_LOCATION', { latitude: 999, longitude: 0 }), ctx(problems)).text, '[PLAIN_LOCATION]');
    assert.equal(toChatMessage({ ...view('PLAIN_TEXT', ''), data: '!!not base64!!' }, ctx(problems)).text, '[PLAIN_TEXT]');
    assert.equal(problems.length, 3);
  });

  it('the bot\'s own messages are outgoing with their receipt status, keyed by their message id', () => {
    const ours = toChatMessage(view('PLAIN_TEXT', 'sent by the bot', { user_id: APP, status: 'DELIVERED', quote_message_id: 'q1' }), ctx());
    assert.deepEqual([ours.direction, ours.status, ours.venueMessageId, ours.quote?.venueMessageId], ['out', 'delivered', 'c9f1e2d3-0000-4000-8000-000000000001', 'q1']);
  });

  it('every sendable category round-trips: what we send reads back as the same content', () => {
    assert.equal(roundTrip(outbound('text', { text: 'Bank: BCA 123' })).text, 'Bank: BCA 123');
    assert.equal(roundTrip(outbound('markdown', { text: '**42**' })).kind, 'markdown');
    const image = roundTrip(outbound('image', { attachment: { kind: 'image', ref: 'att-9', mimeType: 'image/png', size: 100, width: 10, height: 20 } }));
    assert.deepEqual(image.attachments?.[0], { kind: 'image', ref: 'att-9', mimeType: 'image/png', size: 100, width: 10, height: 20 });
    const file = roundTrip(outbound('file', { attachment: { kind: 'file', ref: 'att-8', mimeType: 'application/pdf', size: 5, name: 'a.pdf' } }));
    assert.deepEqual([file.kind, file.attachments?.[0]?.name], ['file', 'a.pdf']);
    assert.deepEqual(roundTrip(outbound('sticker', { payload: { type: 'sticker', stickerId: 's1' } })).payload, { type: 'sticker', stickerId: 's1' });
    assert.deepEqual(roundTrip(outbound('sticker', { payload: { type: 'sticker', name: 'hello', albumId: 'a1' } })).payload, { type: 'sticker', name: 'hello', albumId: 'a1' });
    assert.deepEqual(roundTrip(outbound('contact', { payload: { type: 'contact', contacts: [{ userId: USER }] } })).payload, { type: 'contact', contacts: [{ userId: USER }] });
    assert.deepEqual(roundTrip(outbound('location', { payload: { type: 'location', latitude: -6.2, longitude: 106.8, name: 'Monas' } })).payload, { type: 'location', latitude: -6.2, longitude: 106.8, name: 'Monas' });
    assert.equal(roundTrip(outbound('text', { text: 'x' })).status, 'read');
    assert.throws(() => toMixinPayload(outbound('image', {})), /width and height/);
    assert.throws(() => toMixinPayload(outbound('file', {})), /no uploaded attachment/);
    // An image whose size could not be read was uploaded as a file: it goes as PLAIN_DATA.
    assert.equal(toMixinPayload(outbound('image', { attachment: { kind: 'file', ref: 'att-7', name: 'x.png', mimeType: 'image/png', size: 16 } })).category, 'PLAIN_DATA');
    assert.throws(() => toMixinPayload(outbound('contact', { payload: { type: 'contact', contacts: [{ name: 'Budi', phone: '+62' }] } })), /Mixin user id/);
    assert.throws(() => toMixinPayload(outbound('poll', {})), /cannot send poll/);
  });
});

describe('Mixin media links', () => {
  it('reads when a pre-signed view link expires (S3 style, or an expires in s or ms)', async () => {
    const { linkExpiry } = await import('../../../../src/extension/venues/mixin/adapter');
    assert.equal(linkExpiry('https://mixin-assets.s3.amazonaws.com/a?X-Amz-Date=20261201T100000Z&X-Amz-Expires=3600&X-Amz-Signature=x'), Date.UTC(2026, 11, 1, 11, 0, 0));
    assert.equal(linkExpiry('http://127.0.0.1:9/view/a?sig=x&expires=1796114561088'), 1796114561088);
    assert.equal(linkExpiry('https://cdn.example/a?Expires=1796114561'), 1796114561000);
    assert.equal(linkExpiry('https://cdn.example/a'), undefined);
  });
});
