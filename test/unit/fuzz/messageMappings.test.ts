// Property-based fuzzing of the message mappings fed by pushed frames (fast-check): a Mixin Blaze
// CREATE_MESSAGE, whose payload is base64 of a per-category JSON object, and a MultiWA realtime
// message event, from the decoded frame to the message the hub stores. (The REST-fed mappings,
// Bybit's chat of both generations, MultiWA's history and every venue's orders, are fuzzed with
// their replies in restParsers.test.ts; MEXC's and Binance's pushes in inboundCodecs.test.ts.)
// Every frame must map without an exception or a hang to a message the hub keeps, its problems
// reported as lines the hub logs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { badInputLine, MAX_BAD_INPUT_DETAIL } from '../../../src/extension/core/inbox/badInputLine';
import { decodeBlazeFrame, encodeBlazeFrame } from '../../../src/extension/venues/mixin/blazeFrames';
import { messageViewOf, toChatMessage as mixinMessage } from '../../../src/extension/venues/mixin/messageMapping';
import { decodeSocketIoEvent } from '../../../src/extension/venues/multiwa/realtimeEvents';
import { toChatMessage as multiwaMessage } from '../../../src/extension/venues/multiwa/messageMapping';
import { anyField, assertDetail, assertStorable, count, nastyText, NOW, params, stringy, SUITE_TIMEOUT_MS, timed } from './fuzzKit';
import { code, words } from './restGenerators';

const APP_ID = '6ff6b1a3-9d2f-4f1e-9bc6-8f9f5e1c2d3a';

function assertProblems(problems: readonly string[], where: string): void {
  for (const p of problems) assertDetail(badInputLine(p, MAX_BAD_INPUT_DETAIL), where);
}

// ---- Mixin: CREATE_MESSAGE with every category's payload ----------------------------------------

const url = stringy(fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'ftp://x', '')));
const num = stringy(fc.oneof(fc.integer(), fc.double(), fc.integer().map(String)));
const b64 = stringy(fc.oneof(fc.base64String({ maxLength: 40 }), fc.constantFrom('/9j/4AAQSkZJRg==', 'iVBORw0KGgo=', '!!!')));
const buttons = stringy(fc.array(stringy(fc.record({ label: words, action: url, color: stringy(fc.constantFrom('#ff0000', 'red', '#12345')) }, { requiredKeys: [] })), { maxLength: 25 }));
/** Each category's payload object, fields usually right. */
const payloadByCategory: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  PLAIN_TEXT: words,
  PLAIN_POST: words,
  PLAIN_IMAGE: fc.record({ attachment_id: stringy(fc.uuid()), mime_type: code('image/png', 'image/jpeg'), width: num, height: num, size: num, thumbnail: b64, name: words }, { requiredKeys: [] }),
  PLAIN_VIDEO: fc.record({ attachment_id: stringy(fc.uuid()), mime_type: code('video/mp4'), width: num, height: num, size: num, duration: num, thumbnail: b64 }, { requiredKeys: [] }),
  PLAIN_AUDIO: fc.record({ attachment_id: stringy(fc.uuid()), mime_type: code('audio/ogg'), size: num, duration: num, waveform: b64, wave_form: b64 }, { requiredKeys: [] }),
  PLAIN_DATA: fc.record({ attachment_id: stringy(fc.uuid()), mime_type: code('application/pdf'), size: num, name: words }, { requiredKeys: [] }),
  PLAIN_STICKER: fc.record({ sticker_id: stringy(fc.uuid()), name: words, album_id: stringy(fc.uuid()) }, { requiredKeys: [] }),
  PLAIN_CONTACT: fc.record({ user_id: stringy(fc.uuid()), full_name: words }, { requiredKeys: [] }),
  PLAIN_LOCATION: fc.record({ latitude: num, longitude: num, name: words, address: words }, { requiredKeys: [] }),
  PLAIN_LIVE: fc.record({ url, thumb_url: url, width: num, height: num }, { requiredKeys: [] }),
  APP_CARD: fc.record({ title: words, description: words, cover_url: url, icon_url: url, app_id: stringy(fc.uuid()), action: url, actions: buttons }, { requiredKeys: [] }),
  APP_BUTTON_GROUP: buttons,
  MESSAGE_RECALL: fc.record({ message_id: stringy(fc.uuid()) }, { requiredKeys: [] }),
  SYSTEM_CONVERSATION: fc.record({ action: code('ADD', 'REMOVE', 'JOIN') }, { requiredKeys: [] }),
  ENCRYPTED_TEXT: words,
  SOMETHING_NEW: anyField,
};
const categories = Object.keys(payloadByCategory);

/** Base64 as Mixin writes it (standard in `data`, URL-safe unpadded in `data_base64`), or not base64 at all. */
function encodePayload(value: unknown, urlSafe: boolean): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  const standard = Buffer.from(text, 'utf8').toString('base64');
  return urlSafe ? standard.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : standard;
}

const mixinPayload = fc.constantFrom(...categories).chain((category) =>
  fc.tuple(fc.constant(category), payloadByCategory[category]!, fc.boolean()).map(([c, payload, urlSafe]) => ({ category: c, encoded: encodePayload(payload, urlSafe), urlSafe })),
);
const mixinData = fc
  .record({
    payload: mixinPayload,
    message_id: stringy(fc.uuid()),
    conversation_id: stringy(fc.uuid()),
    user_id: stringy(fc.oneof(fc.uuid(), fc.constant(APP_ID))),
    category: stringy(fc.constant('')),
    status: stringy(fc.constantFrom('SENT', 'DELIVERED', 'READ')),
    source: stringy(fc.constantFrom('LIST_PENDING_MESSAGES', 'CREATE_MESSAGE')),
    quote_message_id: stringy(fc.oneof(fc.uuid(), fc.constant(''))),
    created_at: stringy(fc.oneof(fc.constant('2026-11-30T12:00:00.000000000Z'), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), nastyText)),
    garble: fc.nat({ max: 20 }),
  })
  .map(({ payload, category, garble, ...rest }) => {
    // Mostly the payload's own category; now and then another, or none; now and then the payload cut or garbled.
    const data = garble === 0 ? payload.encoded.slice(0, payload.encoded.length >> 1) : garble === 1 ? `${payload.encoded}%%` : payload.encoded;
    return { ...rest, category: category === '' ? payload.category : category, ...(payload.urlSafe ? { data_base64: data } : { data }) };
  });
const blazeMessage = fc.record({ id: fc.uuid(), action: fc.constant('CREATE_MESSAGE'), data: mixinData });

// ---- MultiWA: realtime message events -------------------------------------------------------------

const multiwaRow = fc.record(
  {
    id: stringy(fc.uuid()),
    conversationId: stringy(fc.uuid()),
    messageId: stringy(fc.oneof(fc.constant('pending_1'), fc.string())),
    direction: code('incoming', 'outgoing'),
    senderJid: stringy(fc.constantFrom('628123456789@c.us', '123@g.us')),
    type: code('text', 'image', 'video', 'audio', 'document', 'location', 'contact', 'poll', 'reaction', 'sticker', 'revoked'),
    content: stringy(fc.record({ text: words, caption: words, url: stringy(fc.oneof(fc.webUrl(), fc.constant('data:image/png;base64,iVBORw0KGgo='))), mimetype: code('image/png'), filename: words, latitude: num, longitude: num, vcard: words, question: words, options: stringy(fc.array(words, { maxLength: 15 })) }, { requiredKeys: [] })),
    status: code('pending', 'sent', 'delivered', 'read', 'failed'),
    metadata: stringy(fc.record({ senderName: words }, { requiredKeys: [] })),
    timestamp: stringy(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
    quotedMessageId: stringy(fc.uuid()),
  },
  { requiredKeys: ['id', 'conversationId'] },
);
const multiwaEvent = fc.tuple(fc.constantFrom('message', 'message:update'), fc.record({ profileId: stringy(fc.uuid()), message: multiwaRow }, { requiredKeys: ['message'] }));
const multiwaMapping = { accountId: 'acc', gatewayOrigin: 'http://127.0.0.1:3000', now: NOW, mediaUrl: (raw: string) => (raw.startsWith('data:') ? undefined : raw) };

// ---- properties -----------------------------------------------------------------------------------

describe('fuzzing: message mappings from pushed frames', function () {
  this.timeout(SUITE_TIMEOUT_MS);

  it('Mixin CREATE_MESSAGE, every category: a message the hub keeps, problems as log lines', () => {
    fc.assert(
      fc.property(blazeMessage, (frame) => {
        timed('Mixin message mapping', () => {
          const decoded = decodeBlazeFrame(encodeBlazeFrame(frame as never));
          assert.ok(decoded.ok, 'a frame encoded here decodes');
          const data = decoded.frame.data;
          const view = typeof data === 'object' && data !== null ? messageViewOf(data) : undefined;
          if (!view) {
            count('Mixin message mapping', 'refused (ids or category)');
            return;
          }
          const problems: string[] = [];
          const message = mixinMessage(view, { accountId: 'acc', appId: APP_ID, now: NOW, problems });
          count('Mixin message mapping', `${message.kind}${problems.length > 0 ? ', problems reported' : ''}`);
          assertStorable(message, 'Mixin message');
          assertProblems(problems, 'Mixin message problem');
        });
      }),
      params(),
    );
  });

  it('MultiWA realtime message events: a message the hub keeps, problems as log lines', () => {
    fc.assert(
      fc.property(multiwaEvent, ([event, payload]) => {
        timed('MultiWA message mapping', () => {
          const decoded = decodeSocketIoEvent(event, [payload]);
          if (!decoded.ok || (decoded.event.kind !== 'message' && decoded.event.kind !== 'messageUpdate')) {
            count('MultiWA message mapping', decoded.ok ? `event ${decoded.event.kind}` : 'rejected');
            if (!decoded.ok) assertDetail(decoded.problem, 'MultiWA event');
            return;
          }
          const problems: string[] = [];
          const message = multiwaMessage(decoded.event.row, { ...multiwaMapping, problems }, decoded.event.kind === 'messageUpdate');
          count('MultiWA message mapping', `${message.kind}${problems.length > 0 ? ', problems reported' : ''}`);
          assertStorable(message, 'MultiWA message');
          assertProblems(problems, 'MultiWA message problem');
        });
      }),
      params(),
    );
  });
});
