// Property-based fuzzing of every venue's REST reply parsers (fast-check). A venue's reply is
// untrusted: each call's reader (mexcReplies, binanceReplies, bybitReplies, mixinReplies,
// multiwaReplies) is fed generated replies through what the HTTP client does with one first
// (core/connection/httpReply.ts: JSON, Retry-After, the core's own failures). Every reply must be
// answered (no hang) with a value or the module's typed error (a VenueError with a message short
// enough to show and log); a value must be what the adapter can use: messages the hub keeps, order
// contexts the store keeps as mapped, ids and keys that are ids and keys.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_RETRY_AFTER_CAP_MS } from '../../../src/extension/core/connection/retryAfter';
import type { HttpResponse } from '../../../src/extension/core/connection/httpFailure';
import { replyFailure, replyOf } from '../../../src/extension/core/connection/httpReply';
import { binanceErrorDetail, binanceReplies } from '../../../src/extension/venues/binance/api';
import { toChatMessage as binanceMessage } from '../../../src/extension/venues/binance/messageMapping';
import { binanceOrderSource } from '../../../src/extension/venues/binance/orderSync';
import { bybitErrorDetail, bybitReplies } from '../../../src/extension/venues/bybit/api';
import { fromOrderMessage, fromSessionMessage, toChatMessage as bybitMessage } from '../../../src/extension/venues/bybit/messageMapping';
import { bybitOrderContext } from '../../../src/extension/venues/bybit/orderMapping';
import { mexcErrorDetail, mexcReplies } from '../../../src/extension/venues/mexc/api';
import { mexcOrderContext } from '../../../src/extension/venues/mexc/orderMapping';
import { mixinReplies } from '../../../src/extension/venues/mixin/api';
import { errorText, multiwaReplies } from '../../../src/extension/venues/multiwa/api';
import { toChatMessage as multiwaMessage } from '../../../src/extension/venues/multiwa/messageMapping';
import { assertDetail, assertOrderStorable, assertStorable, assertVenueError, count, NOW, params, stringy, SUITE_TIMEOUT_MS, timed } from './fuzzKit';
import { amount, bodies, code, headers, idLike, listOf, millis, shaped, statuses, words } from './restGenerators';

/** Thirty parsers: the unit tier runs each short (VENUE_CHAT_FUZZ_RUNS sets every property's count). */
const UNIT_RUNS = 300;

interface Parser<T> {
  /** The name in the outcome table. */
  readonly subject: string;
  readonly venue: string;
  readonly method: string;
  readonly path: string;
  readonly idempotent: boolean;
  /** A 2xx must be JSON (the HTTP client's default). */
  readonly expectJson?: boolean;
  readonly body: fc.Arbitrary<string>;
  /** The venue client's `errorDetail` hook, for the core's failure messages. */
  readonly errorDetail?: (res: HttpResponse) => string | undefined;
  /** What the venue client makes of a failure the core raised (MultiWA reads its 429s again). */
  readonly coreFailure?: (err: unknown) => unknown;
  readonly read: (res: HttpResponse, badItems: string[]) => T;
  /** What a parsed value must be for the adapter to use it. */
  readonly check: (value: T) => void;
}

function fuzz<T>(p: Parser<T>): void {
  it(`${p.subject}: a value the adapter can use, or a short VenueError`, () => {
    fc.assert(
      fc.property(statuses, headers, p.body, (status, head, body) => {
        timed(p.subject, () => {
          const res = replyOf(status, head, Buffer.from(body, 'utf8'));
          const ctx = { venue: p.venue, method: p.method, path: p.path, idempotent: p.idempotent };
          const policy = { now: NOW, retryAfterCapMs: DEFAULT_RETRY_AFTER_CAP_MS, defaultRetryAfterMs: 1000, detail: p.errorDetail?.(res) };
          const failure = replyFailure(ctx, res, policy, p.expectJson ?? true);
          if (failure) {
            assert.ok(failure.retryAfterMs === undefined || failure.retryAfterMs <= DEFAULT_RETRY_AFTER_CAP_MS, `${p.subject}: the core's wait is capped`);
            const err = assertVenueError(p.coreFailure ? p.coreFailure(failure) : failure, p.subject);
            count(p.subject, `core ${err.kind}`);
            return;
          }
          const badItems: string[] = [];
          let value: T;
          try {
            value = p.read(res, badItems);
          } catch (err) {
            count(p.subject, `refused ${assertVenueError(err, p.subject).kind}`);
            return;
          }
          for (const detail of badItems) assertDetail(detail, `${p.subject} (a skipped item)`);
          count(p.subject, badItems.length > 0 ? 'accepted, items skipped' : 'accepted');
          p.check(value);
        });
      }),
      params(UNIT_RUNS),
    );
  });
}

const nonEmptyText = (value: unknown, what: string) => assert.ok(typeof value === 'string' && value.length > 0, `${what} is a non-empty string`);

// ---- MEXC ---------------------------------------------------------------------------------------

const mexcUser = shaped({ nickName: words, imId: idLike, memberId: idLike });
const mexcOrder = shaped({
  advOrderNo: idLike,
  state: code('NOT_PAID', 'PAID', 'APPEAL', 'DONE', 'CANCEL', 'TIMEOUT', 'TRADING'),
  side: code('BUY', 'SELL', 'buy'),
  coinName: code('USDT', 'BTC'),
  amount,
  tradableQuantity: amount,
  price: amount,
  fiatUnit: code('EUR', 'USD'),
  createTime: millis,
  updateTime: millis,
  payTimeLimit: millis,
  userInfo: stringy(mexcUser),
  merchantInfo: stringy(mexcUser),
});
const mexcCode = stringy(fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(700002, 700003, 10072, 400, 401, 429, 26, -1) }));
const mexcEnvelope = (data: fc.Arbitrary<unknown>) => shaped({ code: mexcCode, msg: words, data: stringy(data) });
const mexcOrderList = fc.oneof(listOf(mexcOrder), fc.record({ list: listOf(mexcOrder) }), fc.record({ data: listOf(mexcOrder) }));
const mexcListenKey = stringy(fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string()));

const mexcParsers = [
  { subject: 'MEXC REST create listen key', method: 'POST', path: '/api/v3/userDataStream', idempotent: false, body: bodies(fc.oneof(shaped({ listenKey: mexcListenKey }), mexcEnvelope(fc.constant(null)))), read: (res: HttpResponse) => mexcReplies.createListenKey(res), check: (key: string) => nonEmptyText(key, 'a listen key') },
  { subject: 'MEXC REST listen keys', method: 'GET', path: '/api/v3/userDataStream', idempotent: true, body: bodies(shaped({ listenKey: stringy(fc.oneof(mexcListenKey, fc.array(mexcListenKey, { maxLength: 5 }))) })), read: (res: HttpResponse) => mexcReplies.listListenKeys(res), check: (keys: string[]) => keys.forEach((k) => nonEmptyText(k, 'a listen key')) },
  { subject: 'MEXC REST listen key keep-alive', method: 'PUT', path: '/api/v3/userDataStream', idempotent: true, body: bodies(fc.oneof(shaped({ listenKey: mexcListenKey }), mexcEnvelope(fc.constant(null)))), read: (res: HttpResponse) => mexcReplies.listenKeyCall(res, 'PUT'), check: () => undefined },
  { subject: 'MEXC REST order page', method: 'GET', path: '/api/v3/fiat/market/order/paginationV2', idempotent: true, body: bodies(mexcEnvelope(mexcOrderList)), read: (res: HttpResponse) => mexcReplies.listOrders(res), check: (orders: ReturnType<typeof mexcReplies.listOrders>) => orders.forEach((o) => assertOrderStorable(mexcOrderContext(o), 'MEXC order page')) },
  { subject: 'MEXC REST order detail', method: 'GET', path: '/api/v3/fiat/order/detail', idempotent: true, body: bodies(mexcEnvelope(mexcOrder)), read: (res: HttpResponse) => mexcReplies.orderDetail(res), check: (o: ReturnType<typeof mexcReplies.orderDetail>) => o && assertOrderStorable(mexcOrderContext(o), 'MEXC order detail') },
  {
    subject: 'MEXC REST chat conversation id',
    method: 'GET',
    path: '/api/v3/fiat/retrieveChatConversation',
    idempotent: true,
    body: bodies(mexcEnvelope(shaped({ conversationId: idLike }))),
    read: (res: HttpResponse) => mexcReplies.conversationId(res, '1234'),
    check: (id: number) => assert.ok(Number.isSafeInteger(id) && id > 0, `a conversation id is a positive safe integer, not ${id}`),
  },
];

// ---- Binance ------------------------------------------------------------------------------------

const binanceCode = stringy(fc.oneof({ weight: 4, arbitrary: fc.constant('000000') }, { weight: 1, arbitrary: fc.constantFrom(-1021, -1022, -2014, -2015, -1003, -1015, '100001', 0) }));
const binanceEnvelope = (data: fc.Arbitrary<unknown>) => shaped({ code: binanceCode, message: words, msg: words, data: stringy(data), total: stringy(fc.nat()), success: stringy(fc.boolean()) });
const binanceOrder = shaped({
  orderNumber: idLike,
  advNo: idLike,
  tradeType: code('BUY', 'SELL'),
  asset: code('USDT', 'BTC'),
  fiat: code('EUR', 'USD'),
  fiatSymbol: code('€', '$'),
  amount,
  totalPrice: amount,
  unitPrice: amount,
  orderStatus: stringy(fc.oneof(fc.constantFrom('TRADING', 'BUYER_PAYED', 'APPEALING', 'COMPLETED', 'CANCELLED'), fc.integer({ min: 0, max: 9 }))),
  createTime: millis,
  counterPartNickName: words,
  buyerNickname: words,
  sellerNickname: words,
  advertisementRole: code('MAKER', 'TAKER'),
  notifyPayEndTime: millis,
});
const binanceChatItem = shaped({
  id: idLike,
  uuid: stringy(fc.uuid()),
  orderNo: idLike,
  type: code('text', 'image', 'card', 'system', 'recall'),
  content: words,
  createTime: millis,
  fromNickName: words,
  self: stringy(fc.boolean()),
  status: code('read', 'unread'),
  imageUrl: stringy(fc.oneof(fc.webUrl(), words)),
  thumbnailUrl: stringy(fc.webUrl()),
  imageType: code('png', 'jpeg'),
  width: stringy(fc.integer()),
  height: stringy(fc.integer()),
});
const binanceOrders = binanceOrderSource('acc', { activeOrders: () => Promise.resolve([]), orderHistory: () => Promise.resolve([]) });
const checkBinanceOrders = (where: string) => (orders: ReturnType<typeof binanceReplies.activeOrders>) => orders.forEach((o) => assertOrderStorable(binanceOrders.toConversation(o, undefined).order!, where));

const binanceParsers = [
  {
    subject: 'Binance REST chat credential',
    method: 'GET',
    path: '/sapi/v1/c2c/chat/retrieveChatCredential',
    idempotent: true,
    body: bodies(binanceEnvelope(shaped({ chatWssUrl: stringy(fc.constantFrom('wss://im.binance.com/chat')), listenKey: stringy(fc.stringMatching(/^[0-9a-f]{1,64}$/)), listenToken: stringy(fc.string({ minLength: 1 })) }))),
    read: (res: HttpResponse) => binanceReplies.chatCredential(res),
    check: (c: ReturnType<typeof binanceReplies.chatCredential>) => [c.chatWssUrl, c.listenKey, c.listenToken].forEach((v) => nonEmptyText(v, 'a credential field')),
  },
  { subject: 'Binance REST active orders', method: 'POST', path: '/sapi/v1/c2c/orderMatch/listOrders', idempotent: true, body: bodies(binanceEnvelope(listOf(binanceOrder))), read: (res: HttpResponse) => binanceReplies.activeOrders(res), check: checkBinanceOrders('Binance active orders') },
  { subject: 'Binance REST order history', method: 'GET', path: '/sapi/v1/c2c/orderMatch/listUserOrderHistory', idempotent: true, body: bodies(binanceEnvelope(listOf(binanceOrder))), read: (res: HttpResponse) => binanceReplies.orderHistory(res), check: checkBinanceOrders('Binance order history') },
  {
    subject: 'Binance REST chat history page',
    method: 'GET',
    path: '/sapi/v1/c2c/chat/retrieveChatMessagesWithPagination',
    idempotent: true,
    body: bodies(binanceEnvelope(listOf(binanceChatItem))),
    read: (res: HttpResponse, bad: string[]) => binanceReplies.chatPage(res, '22862113290000000001', (d) => bad.push(d)),
    check: (page: ReturnType<typeof binanceReplies.chatPage>) => page.messages.forEach((m) => assertStorable(binanceMessage(m, { accountId: 'acc', orderNo: '22862113290000000001', now: NOW, problems: [] }), 'Binance chat history')),
  },
  { subject: 'Binance REST mark read', method: 'POST', path: '/sapi/v1/c2c/chat/markOrderMessagesAsRead', idempotent: true, body: bodies(binanceEnvelope(fc.jsonValue())), read: (res: HttpResponse) => binanceReplies.markOrderRead(res), check: () => undefined },
  {
    subject: 'Binance REST image upload URL',
    method: 'POST',
    path: '/sapi/v1/c2c/chat/image/pre-signed-url',
    idempotent: false,
    body: bodies(binanceEnvelope(shaped({ preSignedUrl: stringy(fc.webUrl()), uploadUrl: stringy(fc.webUrl()), imageUrl: stringy(fc.webUrl()) }))),
    read: (res: HttpResponse) => binanceReplies.preSignedUrl(res),
    check: (u: ReturnType<typeof binanceReplies.preSignedUrl>) => [u.uploadUrl, u.imageUrl].forEach((v) => nonEmptyText(v, 'an upload URL')),
  },
];

// ---- Bybit --------------------------------------------------------------------------------------

const bybitCode = stringy(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, '0') }, { weight: 1, arbitrary: fc.constantFrom(10002, 10003, 10004, 10005, 10006, 10010, 10016, 10018, 912200387, '10006', -1) }));
const bybitEnvelope = (result: fc.Arbitrary<unknown>) =>
  fc.oneof(shaped({ ret_code: bybitCode, ret_msg: words, result: stringy(result), time_now: millis }), shaped({ retCode: bybitCode, retMsg: words, result: stringy(result), time: millis }));
const bybitOrder = shaped({
  id: idLike,
  side: stringy(fc.constantFrom(0, 1, '0', '1')),
  tokenId: code('USDT', 'BTC'),
  amount,
  currencyId: code('EUR', 'USD'),
  price: amount,
  notifyTokenQuantity: amount,
  quantity: amount,
  targetNickName: words,
  targetUserId: idLike,
  targetUserMaskId: words,
  status: stringy(fc.constantFrom(5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, '10', '50')),
  createDate: millis,
  transferLastSeconds: stringy(fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.integer({ min: 0, max: 1000 }).map(String))),
  userId: idLike,
});
const bybitOrderList = shaped({ count: stringy(fc.nat()), items: stringy(listOf(bybitOrder)) });
const bybitOrderMessage = shaped({
  id: idLike,
  message: stringy(fc.oneof(words, fc.webUrl(), fc.constantFrom('/fiat/p2p/oss/show/abc.png?e=1796000000', 'https://a.example/x.pdf?e=99999999999999'))),
  userId: idLike,
  msgType: stringy(fc.constantFrom(0, 1, 2, 5, 6, '1')),
  msgCode: stringy(fc.nat()),
  createDate: millis,
  contentType: code('str', 'pic', 'pdf', 'video', 'PIC'),
  orderId: idLike,
  msgUuid: stringy(fc.uuid()),
  nickName: words,
  fileName: words,
  isRead: stringy(fc.constantFrom(0, 1)),
  roleType: code('user', 'sys', 'SYS'),
});
const bybitSessionInner = shaped({ content: words, msgType: stringy(fc.constantFrom(301, 302)), fileName: words }).map((v) => JSON.stringify(v));
const bybitSessionMessage = shaped({ id: idLike, sendUserNickName: words, contentType: code('str', 'pic', 'pdf', 'video'), message: stringy(fc.oneof(bybitSessionInner, words)), createDate: millis });
const me = { userId: '100', nickName: 'me' };
const bybitMapping = { accountId: 'acc', conversationId: '1900000000000000001', me, baseUrl: 'https://api.bybit.com', now: NOW };
const checkBybitOrders = (where: string) => (list: { items: ReturnType<typeof bybitReplies.orderInfo>[] }) => list.items.forEach((o) => assertOrderStorable(bybitOrderContext(o, NOW), where));

const bybitParsers = [
  { subject: 'Bybit REST personal info', path: '/v5/p2p/user/personal/info', idempotent: true, body: bodies(bybitEnvelope(shaped({ userId: idLike, nickName: words }))), read: (res: HttpResponse) => bybitReplies.personalInfo(res, NOW), check: (i: ReturnType<typeof bybitReplies.personalInfo>) => nonEmptyText(i.userId, 'a user id') },
  { subject: 'Bybit REST pending orders', path: '/v5/p2p/order/pending/simplifyList', idempotent: true, body: bodies(bybitEnvelope(bybitOrderList)), read: (res: HttpResponse) => bybitReplies.pendingOrders(res, NOW), check: checkBybitOrders('Bybit pending orders') },
  { subject: 'Bybit REST order info', path: '/v5/p2p/order/info', idempotent: true, body: bodies(bybitEnvelope(bybitOrder)), read: (res: HttpResponse) => bybitReplies.orderInfo(res, NOW), check: (o: ReturnType<typeof bybitReplies.orderInfo>) => assertOrderStorable(bybitOrderContext(o, NOW), 'Bybit order info') },
  {
    subject: 'Bybit REST order chat page',
    path: '/v5/p2p/order/message/listpage',
    idempotent: true,
    body: bodies(bybitEnvelope(listOf(bybitOrderMessage))),
    read: (res: HttpResponse, bad: string[]) => bybitReplies.orderMessages(res, NOW, (d) => bad.push(d)),
    // As the chat reader maps a page (chatReaders.ts).
    check: (rows: ReturnType<typeof bybitReplies.orderMessages>) => {
      const problems: string[] = [];
      for (const row of rows) assertStorable(bybitMessage(fromOrderMessage(row), { ...bybitMapping, problems }), 'Bybit order chat');
      problems.forEach((p) => assertDetail(p, 'Bybit order chat problem'));
    },
  },
  {
    subject: 'Bybit REST session chat page',
    path: '/v5/p2p/chat/message/listpage',
    idempotent: true,
    body: bodies(bybitEnvelope(fc.oneof(listOf(bybitSessionMessage), shaped({ messages: stringy(listOf(bybitSessionMessage)) }), shaped({ list: stringy(listOf(bybitSessionMessage)) })))),
    read: (res: HttpResponse, bad: string[]) => bybitReplies.sessionMessages(res, '/v5/p2p/chat/message/listpage', NOW, (d) => bad.push(d)),
    check: (rows: ReturnType<typeof bybitReplies.sessionMessages>) => {
      const problems: string[] = [];
      for (const row of rows) assertStorable(bybitMessage(fromSessionMessage(row, problems), { ...bybitMapping, problems }), 'Bybit session chat');
      problems.forEach((p) => assertDetail(p, 'Bybit session chat problem'));
    },
  },
  { subject: 'Bybit REST session id', path: '/v5/p2p/chat/session/getSessionId', idempotent: true, body: bodies(bybitEnvelope(fc.oneof(shaped({ sessionId: words }), words))), read: (res: HttpResponse) => bybitReplies.sessionId(res, NOW), check: (id: string) => nonEmptyText(id, 'a session id') },
  {
    subject: 'Bybit REST sessions',
    path: '/v5/p2p/chat/session/list_v1',
    idempotent: true,
    body: bodies(bybitEnvelope(shaped({ chatSession: stringy(listOf(shaped({ sessionId: words, sessionName: words, type: words, id: idLike, unreadCount: stringy(fc.nat()) }))) }))),
    read: (res: HttpResponse) => bybitReplies.sessions(res, NOW),
    check: (sessions: ReturnType<typeof bybitReplies.sessions>) => sessions.forEach((s) => nonEmptyText(s.sessionId, 'a session id')),
  },
  { subject: 'Bybit REST send (order chat)', path: '/v5/p2p/order/message/send', idempotent: false, body: bodies(bybitEnvelope(fc.jsonValue())), read: (res: HttpResponse) => bybitReplies.sendOrderMessage(res, NOW), check: () => undefined },
  { subject: 'Bybit REST upload', path: '/v5/p2p/oss/upload_file', idempotent: false, body: bodies(bybitEnvelope(shaped({ url: stringy(fc.oneof(fc.webUrl(), fc.constant('/fiat/p2p/oss/show/a.png'))), type: code('pic', 'pdf') }))), read: (res: HttpResponse) => bybitReplies.upload(res, NOW), check: (u: { url: string }) => nonEmptyText(u.url, 'an upload URL') },
];

// ---- Mixin --------------------------------------------------------------------------------------

const mixinError = shaped({ code: stringy(fc.constantFrom(401, 403, 404, 429, 10002, 7000, 500, 20116, '401')), description: words, desciption: words, status: stringy(fc.constant(202)) });
const mixinEnvelope = (data: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: shaped({ data: stringy(data) }) }, { weight: 1, arbitrary: shaped({ error: stringy(mixinError) }) });
const mixinUser = shaped({ user_id: stringy(fc.uuid()), full_name: words, identity_number: stringy(fc.stringMatching(/^\d{1,10}$/)), type: code('user') });
const mixinAttachment = shaped({ attachment_id: stringy(fc.uuid()), upload_url: stringy(fc.webUrl()), view_url: stringy(fc.webUrl()) });
const skew = '';

const mixinParsers = [
  { subject: 'Mixin REST user', method: 'GET', path: '/me', idempotent: true, body: bodies(mixinEnvelope(mixinUser)), read: (res: HttpResponse) => mixinReplies.user(res, '/me', skew), check: (u: ReturnType<typeof mixinReplies.user>) => nonEmptyText(u.user_id, 'a user id') },
  {
    subject: 'Mixin REST sticker',
    method: 'GET',
    path: '/stickers/x',
    idempotent: true,
    body: bodies(mixinEnvelope(shaped({ sticker_id: stringy(fc.uuid()), name: words, asset_url: stringy(fc.webUrl()), album_id: stringy(fc.uuid()) }))),
    read: (res: HttpResponse) => mixinReplies.sticker(res, '/stickers/x', skew),
    check: (s: ReturnType<typeof mixinReplies.sticker>) => nonEmptyText(s.sticker_id, 'a sticker id'),
  },
  { subject: 'Mixin REST attachment', method: 'POST', path: '/attachments', idempotent: false, body: bodies(mixinEnvelope(mixinAttachment)), read: (res: HttpResponse) => mixinReplies.attachment(res, 'POST', '/attachments', false, skew), check: (a: ReturnType<typeof mixinReplies.attachment>) => nonEmptyText(a.attachment_id, 'an attachment id') },
  { subject: 'Mixin REST send messages', method: 'POST', path: '/messages', idempotent: false, body: bodies(mixinEnvelope(fc.jsonValue())), read: (res: HttpResponse) => mixinReplies.done(res, 'POST', '/messages', false, skew), check: () => undefined },
];

// ---- MultiWA ------------------------------------------------------------------------------------

const multiwaFailure = shaped({
  statusCode: stringy(fc.constantFrom(400, 401, 403, 404, 429, 500)),
  message: stringy(fc.oneof(words, fc.array(words, { maxLength: 5 }), fc.array(fc.constant('x'.repeat(900)), { minLength: 2, maxLength: 200 }))),
  error: stringy(fc.constantFrom('Bad Request', 'DAILY_LIMIT_REACHED', 'COLD_DAILY_LIMIT_REACHED', 'COLD_CIRCUIT_OPEN', 'Unauthorized')),
  resetAt: stringy(fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('+275760-09-13T00:00:00.000Z', '2026-11-30T13:00:00.000Z'))),
  limit: stringy(fc.nat()),
  count: stringy(fc.nat()),
});
const multiwaBody = (data: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: data }, { weight: 1, arbitrary: multiwaFailure }, { weight: 1, arbitrary: shaped({ success: stringy(fc.boolean()), data: stringy(data) }) });
const multiwaContent = stringy(fc.oneof(shaped({ text: words, caption: words, url: stringy(fc.oneof(fc.webUrl(), fc.constant('data:image/png;base64,iVBORw0KGgo='))), mimetype: code('image/png', 'application/pdf'), filename: words, latitude: stringy(fc.double()), longitude: stringy(fc.double()), vcard: words, question: words, options: stringy(fc.array(words, { maxLength: 3 })) }), words));
const multiwaRow = shaped({
  id: stringy(fc.oneof(fc.uuid(), fc.integer())),
  profileId: stringy(fc.uuid()),
  conversationId: stringy(fc.oneof(fc.uuid(), fc.integer())),
  messageId: stringy(fc.oneof(fc.constant('pending_1'), fc.string())),
  direction: code('incoming', 'outgoing', 'OUTGOING'),
  senderJid: stringy(fc.constantFrom('628123456789@c.us', '123@g.us', '')),
  type: code('text', 'image', 'video', 'audio', 'document', 'location', 'contact', 'poll', 'reaction', 'sticker', 'revoked'),
  content: multiwaContent,
  status: code('pending', 'sent', 'delivered', 'read', 'failed'),
  metadata: stringy(shaped({ senderName: words })),
  timestamp: stringy(fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.integer())),
  createdAt: stringy(fc.constant('2026-11-30T12:00:00.000Z')),
  quotedMessageId: stringy(fc.uuid()),
});
const multiwaConversation = shaped({ id: stringy(fc.uuid()), profileId: stringy(fc.uuid()), jid: stringy(fc.constantFrom('628123456789@c.us', '')), name: words, type: code('individual', 'group'), unreadCount: stringy(fc.integer({ min: -1 })), lastMessageAt: stringy(fc.constant('2026-11-30T12:00:00.000Z')), contactName: words, contactPhone: words });
const multiwaMapping = { accountId: 'acc', gatewayOrigin: 'http://127.0.0.1:3000', now: NOW, mediaUrl: (raw: string) => (raw.startsWith('data:') ? undefined : raw) };
const multiwaParser = { venue: 'MultiWA', errorDetail: (res: HttpResponse) => errorText(res), coreFailure: (err: unknown) => multiwaReplies.coreFailure(err, 'GET', '/x', NOW) };

const multiwaParsers = [
  { subject: 'MultiWA REST profiles', method: 'GET', path: '/profiles', idempotent: true, body: bodies(multiwaBody(listOf(shaped({ id: idLike, displayName: words, name: words, status: code('connected', 'disconnected'), phoneNumber: words })))), read: (res: HttpResponse, bad: string[]) => multiwaReplies.profiles(res, NOW, (d) => bad.push(d)), check: (ps: { id: string }[]) => ps.forEach((p) => nonEmptyText(p.id, 'a profile id')) },
  { subject: 'MultiWA REST profile status', method: 'GET', path: '/profiles/p/status', idempotent: true, body: bodies(multiwaBody(shaped({ id: idLike, status: code('connected'), phone: words, engineConnected: stringy(fc.boolean()) }))), read: (res: HttpResponse) => multiwaReplies.profileStatus(res, '/profiles/p/status', NOW), check: () => undefined },
  {
    subject: 'MultiWA REST conversations',
    method: 'GET',
    path: '/conversations',
    idempotent: true,
    body: bodies(multiwaBody(shaped({ conversations: stringy(listOf(multiwaConversation)), total: stringy(fc.nat()) }))),
    read: (res: HttpResponse, bad: string[]) => multiwaReplies.conversations(res, NOW, (d) => bad.push(d)),
    check: (page: ReturnType<typeof multiwaReplies.conversations>) => page.conversations.forEach((c) => nonEmptyText(c.jid, 'a chat jid')),
  },
  { subject: 'MultiWA REST conversation', method: 'GET', path: '/conversations/c', idempotent: true, body: bodies(multiwaBody(multiwaConversation)), read: (res: HttpResponse) => multiwaReplies.conversation(res, '/conversations/c', 'c', NOW), check: (c: { jid: string }) => nonEmptyText(c.jid, 'a chat jid') },
  {
    subject: 'MultiWA REST message page',
    method: 'GET',
    path: '/conversations/c/messages',
    idempotent: true,
    body: bodies(multiwaBody(shaped({ messages: stringy(listOf(multiwaRow)), hasMore: stringy(fc.boolean()) }))),
    read: (res: HttpResponse, bad: string[]) => multiwaReplies.messages(res, '/conversations/c/messages', 'c', 50, NOW, (d) => bad.push(d)),
    check: (page: ReturnType<typeof multiwaReplies.messages>) => {
      const problems: string[] = [];
      for (const row of page.messages) assertStorable(multiwaMessage(row, { ...multiwaMapping, problems }), 'MultiWA message page');
      problems.forEach((p) => assertDetail(p, 'MultiWA message problem'));
    },
  },
  {
    subject: 'MultiWA REST send',
    method: 'POST',
    path: '/messages/text',
    idempotent: false,
    body: bodies(multiwaBody(shaped({ success: stringy(fc.boolean()), messageId: words, conversationId: words, status: code('pending', 'sent'), waMessageId: words, warning: words, error: words }))),
    read: (res: HttpResponse) => multiwaReplies.send(res, '/messages/text', NOW),
    check: () => undefined,
  },
  {
    subject: 'MultiWA REST upload',
    method: 'POST',
    path: '/uploads/media',
    idempotent: false,
    body: bodies(multiwaBody(shaped({ success: stringy(fc.boolean()), data: stringy(shaped({ url: stringy(fc.webUrl()), key: words, size: stringy(fc.nat()), mimeType: code('image/png') })) }))),
    read: (res: HttpResponse) => multiwaReplies.upload(res, NOW),
    check: (u: { url: string }) => nonEmptyText(u.url, 'an upload URL'),
  },
];

// ---- properties ---------------------------------------------------------------------------------

describe('fuzzing: every venue\'s REST reply parsers against generated replies', function () {
  this.timeout(SUITE_TIMEOUT_MS);
  for (const p of mexcParsers) fuzz({ venue: 'MEXC', errorDetail: mexcErrorDetail, ...p } as Parser<unknown>);
  for (const p of binanceParsers) fuzz({ venue: 'Binance', errorDetail: binanceErrorDetail, ...p } as Parser<unknown>);
  for (const p of bybitParsers) fuzz({ venue: 'Bybit', method: 'POST', errorDetail: bybitErrorDetail, ...p } as Parser<unknown>);
  for (const p of mixinParsers) fuzz({ venue: 'Mixin', ...p } as Parser<unknown>);
  for (const p of multiwaParsers) fuzz({ ...multiwaParser, ...p } as Parser<unknown>);
});
