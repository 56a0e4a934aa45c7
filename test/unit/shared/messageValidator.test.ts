import assert from 'node:assert/strict';
import {
  MAX_ATTACHMENTS,
  MAX_BUTTONS,
  MAX_CONTACTS,
  MAX_FIELD_LENGTH,
  MAX_POLL_OPTIONS,
  MAX_QUOTE_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_WAVEFORM_SAMPLES,
  clampText,
} from '../../../src/shared/messageLimits';
import { chatMessageProblem, isChatMessage, sanitizeChatMessage, sanitizeChatMessages } from '../../../src/shared/messageValidator';
import type { ChatMessage, MessageButton, MessagePayload } from '../../../src/shared/model';

// One validator for the store (strict: a bad message is rejected) and the pane (tolerant: a bad
// part is dropped, a bad record costs one message).

const BASE: ChatMessage = {
  key: 'mixin:acc:conv:m1',
  venue: 'mixin',
  accountId: 'acc',
  conversationId: 'conv',
  venueMessageId: 'm1',
  direction: 'in',
  kind: 'text',
  text: 'hello',
  time: Date.UTC(2025, 0, 15),
};

function withPayload(payload: MessagePayload, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { ...BASE, kind: payload.type, payload, ...extra };
}

const BUTTON: MessageButton = { label: 'Pay', action: 'https://pay.example/1', color: '#12AB9f' };

const VALID_PAYLOADS: MessagePayload[] = [
  { type: 'contact', contacts: [{ name: 'Bob', phone: '+1 555 0100', email: 'bob@example.com' }, { userId: 'u-2' }] },
  { type: 'location', latitude: 48.8566, longitude: 2.3522, name: 'Paris', address: 'Place de la Concorde' },
  { type: 'location', latitude: -90, longitude: 180 },
  { type: 'sticker', stickerId: 's-1', name: 'thumbs up', albumId: 'a-1', url: 'https://cdn.example/s.png' },
  { type: 'sticker', name: 'hello', albumId: 'a-1' },
  { type: 'card', title: 'Invoice', description: 'Order 42', coverUrl: 'https://cdn.example/c.png', iconUrl: 'https://cdn.example/i.png', appId: 'app-1', actions: [BUTTON] },
  { type: 'card', title: '', actions: [] },
  { type: 'buttons', buttons: [BUTTON, { label: 'Open app', action: 'mixin://apps/x' }] },
  { type: 'live', url: 'https://live.example/stream.m3u8', thumbUrl: 'https://live.example/t.jpg', width: 640, height: 360 },
  { type: 'recall', targetVenueMessageId: 'm0' },
  { type: 'system', event: 'paid', orderId: 'o-42', state: 'BUYER_PAYED' },
  { type: 'reaction', emoji: '👍🏽', targetVenueMessageId: 'm0' },
  { type: 'reaction', emoji: '' },
  { type: 'poll', question: 'Which bank?', options: ['Revolut', 'Wise'], allowMultipleAnswers: true },
  { type: 'poll', question: 'Paid?', options: ['yes'] },
];

describe('message validator (shared by the store and the pane)', () => {
  it('accepts a plain message, and each valid payload on its own kind', () => {
    assert.equal(chatMessageProblem(BASE), undefined);
    for (const payload of VALID_PAYLOADS) {
      assert.equal(chatMessageProblem(withPayload(payload)), undefined, payload.type);
      assert.deepEqual(sanitizeChatMessage(withPayload(payload)), withPayload(payload), `${payload.type} passes the pane unchanged`);
    }
  });

  it('accepts quotes, recalls and the new attachment fields', () => {
    const m: ChatMessage = {
      ...BASE,
      kind: 'audio',
      quote: { venueMessageId: 'm0', senderName: 'alice', text: 'the earlier message' },
      recalled: true,
      attachments: [{ kind: 'audio', ref: 'att-1', expiresAt: Date.UTC(2025, 0, 16), durationMs: 4200, waveform: [0, 12, 255, 7], mimeType: 'audio/ogg' }],
    };
    assert.equal(chatMessageProblem(m), undefined);
    assert.equal(chatMessageProblem({ ...BASE, quote: {} }), undefined, 'a quote may know nothing but that it is one');
    assert.equal(chatMessageProblem({ ...BASE, kind: 'recall', direction: 'system', text: undefined }), undefined, 'recall without a payload');
  });

  it('treats fields set to undefined as absent', () => {
    assert.equal(chatMessageProblem({ ...BASE, payload: undefined, quote: undefined, senderName: undefined }), undefined);
  });

  const MALFORMED: [string, unknown, RegExp][] = [
    ['payload of another kind', { ...BASE, kind: 'text', payload: VALID_PAYLOADS[0] }, /payload type contact does not match kind text/],
    ['unknown payload type', { ...BASE, kind: 'card', payload: { type: 'hologram', question: 'x' } }, /payload type is unknown/],
    ['payload not an object', { ...BASE, kind: 'card', payload: 'card' }, /payload is not an object/],
    ['contact list empty', withPayload({ type: 'contact', contacts: [] }), /payload contacts has fewer than 1 items/],
    ['contact with nothing on it', { ...BASE, kind: 'contact', payload: { type: 'contact', contacts: [{}] } }, /contacts \[0\] has no name, phone, email or user id/],
    ['contact phone a number', { ...BASE, kind: 'contact', payload: { type: 'contact', contacts: [{ phone: 5550100 }] } }, /phone is not a string/],
    ['latitude out of range', withPayload({ type: 'location', latitude: 91, longitude: 0 }), /latitude is outside -90\.\.90/],
    ['longitude missing', { ...BASE, kind: 'location', payload: { type: 'location', latitude: 1 } }, /longitude is missing/],
    ['longitude NaN', withPayload({ type: 'location', latitude: 1, longitude: Number.NaN }), /longitude is not a finite number/],
    ['sticker without id', { ...BASE, kind: 'sticker', payload: { type: 'sticker', stickerId: '' } }, /stickerId is empty/],
    ['sticker named without its album', { ...BASE, kind: 'sticker', payload: { type: 'sticker', name: 'hello' } }, /neither a stickerId nor a name in an album/],
    ['card without actions', { ...BASE, kind: 'card', payload: { type: 'card', title: 'x' } }, /actions is missing/],
    ['card button without label', withPayload({ type: 'card', title: 'x', actions: [{ label: '', action: 'https://a.example' }] }), /actions \[0\] label is empty/],
    ['button colour not #RRGGBB', withPayload({ type: 'buttons', buttons: [{ ...BUTTON, color: 'red;background:url(x)' }] }), /color is not #RRGGBB/],
    ['no buttons', withPayload({ type: 'buttons', buttons: [] }), /buttons has fewer than 1 items/],
    ['button without action', { ...BASE, kind: 'buttons', payload: { type: 'buttons', buttons: [{ label: 'x' }] } }, /action is missing/],
    ['live without url', { ...BASE, kind: 'live', payload: { type: 'live' } }, /url is missing/],
    ['live negative width', withPayload({ type: 'live', url: 'https://l.example', width: -1 }), /width is negative/],
    ['recall without target', { ...BASE, kind: 'recall', payload: { type: 'recall' } }, /targetVenueMessageId is missing/],
    ['system without event', { ...BASE, kind: 'system', payload: { type: 'system', event: '' } }, /event is empty/],
    ['unknown payload field', { ...BASE, kind: 'recall', payload: { type: 'recall', targetVenueMessageId: 'm0', html: '<b>' } }, /payload has an unknown field "html"/],
    ['quote not an object', { ...BASE, quote: 'm0' }, /quote is not an object/],
    ['quote text not a string', { ...BASE, quote: { text: 7 } }, /quote text is not a string/],
    ['recalled not a boolean', { ...BASE, recalled: 'yes' }, /recalled is not a boolean/],
    ['attachment ref empty', { ...BASE, attachments: [{ kind: 'file', ref: '' }] }, /attachments \[0\] ref is empty/],
    ['attachment expiry not a number', { ...BASE, attachments: [{ kind: 'file', expiresAt: '2025' }] }, /expiresAt is not a finite number/],
    ['waveform sample over 255', { ...BASE, attachments: [{ kind: 'audio', waveform: [1, 256] }] }, /waveform \[1\] is not 0\.\.255/],
    ['waveform sample fractional', { ...BASE, attachments: [{ kind: 'audio', waveform: [1.5] }] }, /waveform \[0\] is not 0\.\.255/],
    ['unknown top-level field', { ...BASE, html: '<script>' }, /unknown field "html"/],
    ['unknown kind', { ...BASE, kind: 'hologram' }, /kind is unknown/],
    ['unknown venue', { ...BASE, venue: 'kraken' }, /venue is unknown/],
    ['empty venue id', { ...BASE, venueMessageId: '' }, /venueMessageId is empty/],
    ['time not finite', { ...BASE, time: Number.POSITIVE_INFINITY }, /time is not a finite number/],
    ['gap without to', { ...BASE, kind: 'gap', gap: { from: 1 } }, /gap to is missing/],
  ];

  for (const [name, value, problem] of MALFORMED) {
    it(`rejects: ${name}`, () => {
      assert.match(chatMessageProblem(value) ?? 'accepted', problem);
      assert.equal(isChatMessage(value), false);
    });
  }

  it('enforces the caps: text, every other string, attachments, buttons, contacts, waveform', () => {
    assert.equal(chatMessageProblem({ ...BASE, text: 'x'.repeat(MAX_TEXT_LENGTH) }), undefined, 'exactly at the cap');
    assert.match(chatMessageProblem({ ...BASE, text: 'x'.repeat(MAX_TEXT_LENGTH + 1) }) ?? '', /text is longer than 1000000/);
    const long = 'x'.repeat(MAX_FIELD_LENGTH + 1);
    assert.match(chatMessageProblem({ ...BASE, senderName: long }) ?? '', /senderName is longer than/);
    assert.match(chatMessageProblem({ ...BASE, key: long }) ?? '', /key is longer than/);
    assert.match(chatMessageProblem({ ...BASE, attachments: [{ kind: 'image', url: long }] }) ?? '', /url is longer than/);
    assert.match(chatMessageProblem(withPayload({ type: 'card', title: long, actions: [] })) ?? '', /title is longer than/);
    assert.match(chatMessageProblem(withPayload({ type: 'buttons', buttons: [{ label: 'x', action: long }] })) ?? '', /action is longer than/);
    assert.match(chatMessageProblem({ ...BASE, quote: { text: 'q'.repeat(MAX_QUOTE_LENGTH + 1) } }) ?? '', /quote text is longer than/);
    const attachments = Array.from({ length: MAX_ATTACHMENTS + 1 }, () => ({ kind: 'file' as const }));
    assert.match(chatMessageProblem({ ...BASE, attachments }) ?? '', /attachments has more than 20 items/);
    assert.equal(chatMessageProblem({ ...BASE, attachments: attachments.slice(1) }), undefined);
    const buttons = Array.from({ length: MAX_BUTTONS + 1 }, () => BUTTON);
    assert.match(chatMessageProblem(withPayload({ type: 'buttons', buttons })) ?? '', /buttons has more than 18 items/);
    assert.match(chatMessageProblem(withPayload({ type: 'card', title: 't', actions: buttons })) ?? '', /actions has more than 18 items/);
    const contacts = Array.from({ length: MAX_CONTACTS + 1 }, () => ({ name: 'n' }));
    assert.match(chatMessageProblem(withPayload({ type: 'contact', contacts })) ?? '', /contacts has more than 50 items/);
    const waveform = Array.from({ length: MAX_WAVEFORM_SAMPLES + 1 }, () => 1);
    assert.match(chatMessageProblem({ ...BASE, attachments: [{ kind: 'audio', waveform }] }) ?? '', /waveform has more than 1024 items/);
  });

  describe('the pane form (sanitizeChatMessage)', () => {
    it('drops a record without what the timeline needs, and keeps the others of a list', () => {
      assert.equal(sanitizeChatMessage(null), undefined);
      assert.equal(sanitizeChatMessage({ ...BASE, key: '' }), undefined);
      assert.equal(sanitizeChatMessage({ ...BASE, time: 'yesterday' }), undefined);
      assert.equal(sanitizeChatMessage({ ...BASE, conversationId: 7 }), undefined);
      const list = sanitizeChatMessages([BASE, { key: 'x' }, 'junk', { ...BASE, key: 'k2' }]);
      assert.deepEqual(list.map((m) => m.key), [BASE.key, 'k2']);
      assert.deepEqual(sanitizeChatMessages('not a list'), []);
    });

    it('drops bad optional parts instead of the message', () => {
      const clean = sanitizeChatMessage({
        ...BASE,
        kind: 'buttons',
        direction: 'sideways',
        status: 'exploded',
        senderName: 42,
        recalled: 'yes',
        html: '<script>',
        quote: { venueMessageId: '', senderName: 'alice', text: 5 },
        payload: { type: 'buttons', buttons: [{ label: 'ok', action: 'https://a.example' }, { label: '' }, 'junk', { label: 'bad colour', action: 'https://b.example', color: 'red' }] },
        attachments: [{ kind: 'image', url: 'https://a.example/i.png', width: 'wide', waveform: [1, 999] }, { kind: 'hologram' }],
      });
      assert.ok(clean);
      assert.equal(clean.direction, 'in', 'an unknown direction reads as incoming');
      assert.equal(clean.status, undefined);
      assert.equal(clean.senderName, undefined);
      assert.equal(clean.recalled, undefined);
      assert.equal('html' in clean, false, 'unknown fields are left behind');
      assert.deepEqual(clean.quote, { senderName: 'alice' });
      assert.deepEqual(clean.payload, { type: 'buttons', buttons: [{ label: 'ok', action: 'https://a.example' }, { label: 'bad colour', action: 'https://b.example' }] });
      assert.deepEqual(clean.attachments, [{ kind: 'image', url: 'https://a.example/i.png' }]);
    });

    it('drops a payload that is unusable or of another kind, keeping the text as the fallback', () => {
      const wrongKind = sanitizeChatMessage({ ...BASE, kind: 'card', payload: VALID_PAYLOADS[1] });
      assert.equal(wrongKind?.payload, undefined);
      assert.equal(wrongKind?.text, 'hello');
      const noButtons = sanitizeChatMessage({ ...BASE, kind: 'buttons', payload: { type: 'buttons', buttons: [{ label: '' }] } });
      assert.equal(noButtons?.payload, undefined);
      const badLocation = sanitizeChatMessage({ ...BASE, kind: 'location', payload: { type: 'location', latitude: 'north', longitude: 2 } });
      assert.equal(badLocation?.payload, undefined);
    });

    it('passes unknown kinds through for the fallback renderer', () => {
      assert.equal(sanitizeChatMessage({ ...BASE, kind: 'hologram' })?.kind, 'hologram');
      assert.equal(sanitizeChatMessage({ ...BASE, kind: 7 })?.kind, 'text');
    });

    it('cuts what is over a cap instead of dropping it', () => {
      const clean = sanitizeChatMessage({
        ...BASE,
        text: 'y'.repeat(MAX_TEXT_LENGTH + 10),
        quote: { text: 'q'.repeat(MAX_QUOTE_LENGTH * 2) },
        attachments: Array.from({ length: MAX_ATTACHMENTS + 5 }, () => ({ kind: 'file' })),
        payload: undefined,
      });
      assert.equal(clean?.text?.length, MAX_TEXT_LENGTH);
      assert.equal(clean?.quote?.text?.length, MAX_QUOTE_LENGTH);
      assert.equal(clean?.attachments?.length, MAX_ATTACHMENTS);
      const buttons = sanitizeChatMessage(withPayload({ type: 'buttons', buttons: Array.from({ length: 40 }, () => BUTTON) }));
      assert.equal(buttons?.payload?.type === 'buttons' && buttons.payload.buttons.length, MAX_BUTTONS);
    });
  });

  describe('reactions and polls (WhatsApp)', () => {
    it('store: rejects a reaction emoji over 64 characters, a reaction without emoji, a poll without options or over the cap', () => {
      assert.equal(chatMessageProblem(withPayload({ type: 'reaction', emoji: 'x'.repeat(64) })), undefined, 'exactly at the cap');
      assert.match(chatMessageProblem(withPayload({ type: 'reaction', emoji: 'x'.repeat(65) })) ?? '', /emoji is longer than 64/);
      assert.match(chatMessageProblem({ ...BASE, kind: 'reaction', payload: { type: 'reaction' } }) ?? '', /emoji is missing/);
      assert.match(chatMessageProblem({ ...BASE, kind: 'reaction', payload: { type: 'reaction', emoji: 7 } }) ?? '', /emoji/);
      assert.match(chatMessageProblem(withPayload({ type: 'poll', question: 'q', options: [] })) ?? '', /options has fewer than 1 items/);
      assert.match(chatMessageProblem(withPayload({ type: 'poll', question: '', options: ['a'] })) ?? '', /question/);
      const many = Array.from({ length: MAX_POLL_OPTIONS + 1 }, (_, i) => `option ${i}`);
      assert.match(chatMessageProblem(withPayload({ type: 'poll', question: 'q', options: many })) ?? '', /options has more than 12 items/);
      assert.match(chatMessageProblem(withPayload({ type: 'poll', question: 'q', options: ['ok', ''] })) ?? '', /options \[1\]/);
      assert.match(chatMessageProblem(withPayload({ type: 'poll', question: 'q', options: ['ok', 'x'.repeat(MAX_FIELD_LENGTH + 1)] })) ?? '', /options \[1\] is longer than/);
      assert.match(chatMessageProblem({ ...BASE, kind: 'poll', payload: { type: 'poll', question: 'q', options: ['a'], allowMultipleAnswers: 'yes' } }) ?? '', /allowMultipleAnswers/);
    });

    it('pane: drops bad and oversized poll options, cuts the list at the cap, and drops a poll left without options', () => {
      const many = Array.from({ length: MAX_POLL_OPTIONS + 5 }, (_, i) => `option ${i}`);
      const clean = sanitizeChatMessage({ ...BASE, kind: 'poll', payload: { type: 'poll', question: 'Which bank?', options: ['Revolut', '', 42, 'x'.repeat(MAX_FIELD_LENGTH + 1), null, 'Wise'] } });
      assert.deepEqual(clean?.payload, { type: 'poll', question: 'Which bank?', options: ['Revolut', 'Wise'] });
      const capped = sanitizeChatMessage({ ...BASE, kind: 'poll', payload: { type: 'poll', question: 'q', options: many } });
      assert.deepEqual(capped?.payload?.type === 'poll' ? capped.payload.options : undefined, many.slice(0, MAX_POLL_OPTIONS));
      const empty = sanitizeChatMessage({ ...BASE, kind: 'poll', payload: { type: 'poll', question: 'q', options: ['', 5] } });
      assert.equal(empty?.payload, undefined, 'no usable option: the renderer falls back to the text');
      assert.equal(empty?.text, 'hello');
      const reaction = sanitizeChatMessage({ ...BASE, kind: 'reaction', payload: { type: 'reaction', emoji: 'x'.repeat(200), targetVenueMessageId: 'm0' } });
      assert.equal(reaction?.payload, undefined, 'a reaction is not cut to some other emoji: it is dropped');
    });
  });

  describe('clampText (for adapters, before the store)', () => {
    it('leaves text within the cap alone', () => {
      assert.deepEqual(clampText('short', 10), { text: 'short', clamped: false, originalLength: 5 });
      assert.equal(clampText('x'.repeat(MAX_TEXT_LENGTH)).clamped, false);
    });

    it('cuts longer text, flags it and keeps the length for the report', () => {
      const r = clampText('x'.repeat(MAX_TEXT_LENGTH + 5));
      assert.equal(r.text.length, MAX_TEXT_LENGTH);
      assert.equal(r.clamped, true);
      assert.equal(r.originalLength, MAX_TEXT_LENGTH + 5);
      assert.equal(chatMessageProblem({ ...BASE, text: r.text }), undefined, 'a clamped text passes the store');
    });

    it('never splits a surrogate pair', () => {
      // '😀' is two code units; a cut after 3 units would leave a lone high surrogate.
      const r = clampText('ab😀cd', 3);
      assert.equal(r.text, 'ab');
      assert.equal(r.clamped, true);
      assert.equal(clampText('ab😀cd', 4).text, 'ab😀');
    });
  });
});
