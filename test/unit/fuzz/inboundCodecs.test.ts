// Property-based fuzzing of every venue's inbound codec (fast-check): what the venues' sockets push
// is untrusted, so each decoder is fed generated malformed input, both garbage and frames shaped
// like the real ones with fields of the wrong type, missing, huge, or cut short. Every input must be
// answered (no exception, no hang) with a known outcome; a rejection carries a detail short enough to
// log; and a frame a decoder accepts as a chat message must map to a message the hub keeps.
//
// `npm run fuzz` runs 100,000 inputs per property (VENUE_CHAT_FUZZ_RUNS) and prints the outcome
// counts; `npm test` runs a short version. A failure prints fast-check's seed and path: replay with
// VENUE_CHAT_FUZZ_SEED=<seed> VENUE_CHAT_FUZZ_PATH=<path>.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { checkInbound } from '../../../src/extension/core/inbox/inboundFit';
import { decodeFrame as decodeBinanceFrame } from '../../../src/extension/venues/binance/stream';
import { toChatMessage as binanceMessage } from '../../../src/extension/venues/binance/messageMapping';
import { decodeFrame as decodeMexcFrame } from '../../../src/extension/venues/mexc/stream';
import { messageTime, toChatMessage as mexcMessage } from '../../../src/extension/venues/mexc/messageMapping';
import { decodeBlazeFrame, encodeBlazeFrame } from '../../../src/extension/venues/mixin/blazeFrames';
import { decodePlainFrame, decodeSocketIoEvent } from '../../../src/extension/venues/multiwa/realtimeEvents';

const RUNS = Number(process.env['VENUE_CHAT_FUZZ_RUNS'] ?? 2_000);
const SEED = process.env['VENUE_CHAT_FUZZ_SEED'];
const PATH = process.env['VENUE_CHAT_FUZZ_PATH'];
const NOW = Date.UTC(2026, 10, 30, 12);
/** A rejection's detail goes to the log and the bad-input count: it must stay a line, not the frame. */
const MAX_DETAIL_CHARS = 1_000;

function params(): fc.Parameters<unknown> {
  // No shrinking: inputs run to 70,000 characters, and shrinking those takes far longer than the
  // run; the seed and path in the report replay the failing input exactly.
  return { numRuns: RUNS, endOnFailure: true, ...(SEED !== undefined ? { seed: Number(SEED) } : {}), ...(PATH !== undefined ? { path: PATH } : {}) };
}

/** Outcome counts per codec, printed by `npm run fuzz`. */
const outcomes = new Map<string, Map<string, number>>();
function count(codec: string, outcome: string): void {
  const byOutcome = outcomes.get(codec) ?? new Map<string, number>();
  outcomes.set(codec, byOutcome);
  byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
}

// ---- shared generators ------------------------------------------------------------------------

/** Text a hostile or broken peer could put anywhere: short and long, control and bidi characters, lone surrogates. */
const nastyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\u202e', '\ud800', '<script>alert(1)</script>', '1e400', 'NaN', '-0', '9'.repeat(400)),
  fc.string({ minLength: 5_000, maxLength: 70_000, unit: fc.constantFrom('a', ' ', '\n', 'é') }),
);
/** Any JSON-ish value in a field: the right type sometimes, the wrong one often. */
const anyField = fc.oneof(nastyText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
/**
 * A field usually right and sometimes wrong: frames of a dozen fields then come out well-formed
 * often enough (about a third) for the accepting paths to be fuzzed too, not only the rejections.
 */
const stringy = (valid: fc.Arbitrary<string | number | boolean>) => fc.oneof({ weight: 15, arbitrary: valid }, { weight: 1, arbitrary: anyField });

/** A frame cut short, as a torn read or a hostile proxy leaves it. */
function truncated(frames: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(frames, fc.nat()).map(([text, n]) => text.slice(0, text.length === 0 ? 0 : n % text.length));
}

function assertDetail(detail: unknown, where: string): void {
  assert.equal(typeof detail, 'string', `${where}: a rejection says why`);
  assert.ok((detail as string).length > 0 && (detail as string).length <= MAX_DETAIL_CHARS, `${where}: a rejection's detail is one loggable line (${(detail as string).length} chars)`);
}

/** What the hub does with a mapped message before the store: checks it, fitting over-long display fields. */
function assertStorable(message: unknown, where: string): void {
  const checked = checkInbound(message as never, []);
  assert.notEqual(typeof checked, 'string', `${where}: an accepted frame maps to a message the hub refuses: ${String(checked)}`);
}

// ---- MEXC -------------------------------------------------------------------------------------

const mexcData = fc.record(
  {
    id: stringy(fc.integer({ min: 1 })),
    content: stringy(fc.string()),
    conversationId: stringy(fc.integer({ min: 1 })),
    type: stringy(fc.integer({ min: 0, max: 6 })),
    imageUrl: stringy(fc.webUrl()),
    imageThumbUrl: stringy(fc.constant('')),
    videoUrl: stringy(fc.webUrl()),
    fileUrl: stringy(fc.constant('')),
    createTime: stringy(fc.constantFrom('2026-11-30 12:00:00', '2026-02-30 25:61:00', '0000-00-00 00:00:00')),
    self: stringy(fc.boolean()),
    fromUserId: stringy(fc.string()),
    fromNickName: stringy(fc.string()),
  },
  { requiredKeys: [] },
);
const mexcFrame = fc
  .record(
    {
      success: stringy(fc.boolean()),
      msg: stringy(fc.string()),
      method: fc.oneof(fc.constantFrom('RECEIVE_MESSAGE', 'SEND_MESSAGE', 'PING', ''), anyField),
      data: fc.oneof(mexcData.map((d) => JSON.stringify(d)), mexcData, anyField),
    },
    { requiredKeys: [] },
  )
  .map((f) => JSON.stringify(f));
const mexcInput = fc.oneof(mexcFrame, truncated(mexcFrame), nastyText, fc.jsonValue().map((v) => JSON.stringify(v)));

// ---- Binance ----------------------------------------------------------------------------------

const binanceFrame = fc
  .record(
    {
      type: fc.oneof(fc.constantFrom('text', 'image', 'card', 'system', 'pong', 'ping', 'error', 'recall'), anyField),
      id: stringy(fc.integer({ min: 1 })),
      uuid: stringy(fc.uuid()),
      orderNo: stringy(fc.constantFrom('22862113290000000001', '1')),
      topicId: stringy(fc.constantFrom('22862113290000000001')),
      content: stringy(fc.string()),
      createTime: stringy(fc.integer({ min: 0, max: 4_102_444_800_000 })),
      fromNickName: stringy(fc.string()),
      self: stringy(fc.boolean()),
      status: stringy(fc.constantFrom('read', 'unread')),
      imageUrl: stringy(fc.webUrl()),
      thumbnailUrl: stringy(fc.webUrl()),
      imageType: stringy(fc.constantFrom('png', 'jpeg')),
      width: stringy(fc.integer()),
      height: stringy(fc.integer()),
    },
    { requiredKeys: [] },
  )
  .map((f) => JSON.stringify(f));
const binanceInput = fc.oneof(binanceFrame, truncated(binanceFrame), nastyText, fc.constantFrom('Bye', ' Bye\n'), fc.jsonValue().map((v) => JSON.stringify(v)));

// ---- Mixin (Blaze: gzip'd JSON) ---------------------------------------------------------------

const blazeFrame = fc.record(
  {
    id: stringy(fc.uuid()),
    action: fc.oneof(fc.constantFrom('CREATE_MESSAGE', 'LIST_PENDING_MESSAGES', 'ACKNOWLEDGE_MESSAGE_RECEIPT', 'ERROR'), anyField),
    data: fc.oneof(
      fc.record(
        {
          message_id: stringy(fc.uuid()),
          conversation_id: stringy(fc.uuid()),
          user_id: stringy(fc.uuid()),
          category: stringy(fc.constantFrom('PLAIN_TEXT', 'PLAIN_IMAGE', 'PLAIN_POST', 'MESSAGE_RECALL')),
          data: stringy(fc.base64String()),
          data_base64: stringy(fc.base64String()),
          created_at: stringy(fc.constant('2026-11-30T12:00:00.000Z')),
          status: stringy(fc.constant('SENT')),
        },
        { requiredKeys: [] },
      ),
      anyField,
    ),
    error: fc.oneof(fc.record({ code: stringy(fc.integer()), description: stringy(fc.string()) }, { requiredKeys: [] }), anyField),
  },
  { requiredKeys: [] },
);
const blazeInput: fc.Arbitrary<Uint8Array> = fc.oneof(
  blazeFrame.map((f) => encodeBlazeFrame(f as never)),
  blazeFrame.map((f) => gzipSync(Buffer.from(JSON.stringify(f).slice(0, 60), 'utf8'))),
  fc.jsonValue().map((v) => gzipSync(Buffer.from(JSON.stringify(v) ?? 'null', 'utf8'))),
  nastyText.map((t) => gzipSync(Buffer.from(t, 'utf8'))),
  fc.uint8Array({ maxLength: 300 }),
  fc.tuple(blazeFrame, fc.nat()).map(([f, n]) => {
    const bytes = encodeBlazeFrame(f as never);
    return bytes.subarray(0, n % Math.max(1, bytes.length));
  }),
);

// ---- MultiWA (Socket.IO events and the plain WebSocket API) -----------------------------------

const multiwaRow = fc.record(
  {
    id: stringy(fc.uuid()),
    conversationId: stringy(fc.uuid()),
    messageId: stringy(fc.string()),
    direction: stringy(fc.constantFrom('incoming', 'outgoing', 'INCOMING')),
    type: stringy(fc.constantFrom('text', 'image', 'location', 'poll', 'reaction', 'revoked')),
    content: fc.oneof(fc.record({ text: stringy(fc.string()), url: stringy(fc.webUrl()) }, { requiredKeys: [] }), anyField),
    status: stringy(fc.constantFrom('pending', 'sent', 'delivered', 'read', 'failed')),
    timestamp: stringy(fc.constant('2026-11-30T12:00:00.000Z')),
    createdAt: stringy(fc.constant('2026-11-30T12:00:00.000Z')),
  },
  { requiredKeys: [] },
);
const multiwaPayload = fc.oneof(
  fc.record({ profileId: stringy(fc.uuid()), message: fc.oneof(multiwaRow, anyField), conversation: anyField, status: stringy(fc.constantFrom('connected', 'disconnected', 'qr')), qrCode: stringy(fc.constant('data:image/png;base64,AAAA')), messageId: stringy(fc.string()), jid: stringy(fc.constant('628123456789@c.us')) }, { requiredKeys: [] }),
  anyField,
);
const socketIoEvent = fc.tuple(
  fc.oneof(fc.constantFrom('message', 'message:new', 'message:received', 'message:ack', 'profile:status', 'qr', 'connection.update', 'error'), fc.string({ maxLength: 30 })),
  fc.array(multiwaPayload, { maxLength: 3 }),
);
const plainFrame = fc.oneof(
  fc.record({ type: fc.oneof(fc.constantFrom('event', 'ack', 'pong', 'error', 'message'), anyField), payload: fc.oneof(fc.record({ event: stringy(fc.constantFrom('message.received', 'message.ack', 'connection.update')), profileId: stringy(fc.uuid()), data: multiwaPayload }, { requiredKeys: [] }), anyField), requestId: stringy(fc.string()) }, { requiredKeys: [] }),
  fc.jsonValue(),
);

// ---- properties --------------------------------------------------------------------------------

describe('fuzzing: every venue\'s inbound codec against generated malformed input', function () {
  // 100,000 inputs per property take a while on a small machine; the default run is short.
  this.timeout(Math.max(60_000, RUNS * 5));

  after(() => {
    if (!process.env['VENUE_CHAT_FUZZ_RUNS']) return;
    for (const [codec, byOutcome] of outcomes) {
      const total = [...byOutcome.values()].reduce((a, b) => a + b, 0);
      console.log(`  ${codec}: ${total.toLocaleString('en-US')} inputs, ${[...byOutcome].map(([o, n]) => `${o} ${n.toLocaleString('en-US')}`).join(', ')}`);
    }
  });

  it('MEXC chat frames: always answered; an accepted message maps to one the store accepts', () => {
    fc.assert(
      fc.property(mexcInput, (text) => {
        const frame = decodeMexcFrame(text);
        count('MEXC chat socket', frame.kind);
        assert.ok(['message', 'pong', 'reply', 'invalid'].includes(frame.kind));
        if (frame.kind === 'invalid') assertDetail(frame.detail, 'MEXC');
        if (frame.kind === 'message') {
          const problems: string[] = [];
          const { time } = messageTime(frame.message, 480, NOW);
          assertStorable(mexcMessage(frame.message, { accountId: 'acc', time }, problems), 'MEXC');
        }
      }),
      params(),
    );
  });

  it('Binance chat frames: always answered; an accepted message maps to one the store accepts', () => {
    fc.assert(
      fc.property(binanceInput, (text) => {
        const frame = decodeBinanceFrame(text);
        count('Binance chat socket', frame.kind);
        assert.ok(['message', 'error', 'bye', 'pong', 'ping', 'invalid'].includes(frame.kind));
        if (frame.kind === 'invalid') assertDetail(frame.detail, 'Binance');
        if (frame.kind === 'error') assert.equal(typeof frame.reason, 'string');
        if (frame.kind === 'message') assertStorable(binanceMessage(frame.message, { accountId: 'acc', orderNo: frame.message.orderNo, now: NOW, problems: [] }), 'Binance');
      }),
      params(),
    );
  });

  it('Mixin Blaze frames (gzip): always answered, never expanded past the cap', () => {
    fc.assert(
      fc.property(blazeInput, (bytes) => {
        const decoded = decodeBlazeFrame(bytes);
        count('Mixin Blaze', decoded.ok ? 'frame' : 'rejected');
        if (!decoded.ok) assertDetail(decoded.problem, 'Mixin');
        else assert.ok(typeof decoded.frame === 'object' && decoded.frame !== null);
      }),
      params(),
    );
  });

  it('MultiWA Socket.IO events: always answered', () => {
    fc.assert(
      fc.property(socketIoEvent, ([event, args]) => {
        const decoded = decodeSocketIoEvent(event, args);
        count('MultiWA Socket.IO', decoded.ok ? decoded.event.kind : 'rejected');
        if (!decoded.ok) assertDetail(decoded.problem, 'MultiWA Socket.IO');
      }),
      params(),
    );
  });

  it('MultiWA plain WebSocket frames: always answered', () => {
    fc.assert(
      fc.property(plainFrame, (frame) => {
        const decoded = decodePlainFrame(frame);
        count('MultiWA plain WebSocket', decoded.ok ? decoded.event.kind : 'rejected');
        if (!decoded.ok) assertDetail(decoded.problem, 'MultiWA plain');
      }),
      params(),
    );
  });
});
