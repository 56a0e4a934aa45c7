// The Binance REST surface the client uses: the C2C chat routes (credential, history, read marks,
// image pre-signed URL), the C2C order routes (history, active list, detail) and the unsigned
// server time; plus the pre-signed upload target, uploaded images and /media.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, headerValue, pathOf, rawQueryOf, readBody, readBytesUpTo, sendFile } from '../util/http';
import type { MediaFile } from '../util/media';
import { dispatchRoute, type RouteTable } from '../util/restRoutes';
import { authenticate, type AuthPorts } from './auth';
import { messageItem, type OrderKeyField } from './chatProtocol';
import { BinanceErrors, type BinanceErrorReply } from './errors';
import { redactQuery, type RequestRecord } from './records';
import { STATUS_CODE, counterpartOf, type BinanceStore, type MerchantAccount, type Order } from './store';

export interface Credential {
  readonly chatWssUrl: string;
  readonly listenKey: string;
  readonly listenToken: string;
}

export type PresignResult =
  | { readonly ok: true; readonly preSignedUrl: string; readonly imageUrl: string }
  | { readonly ok: false; readonly retryAfterSeconds: number };

export interface RestBackend {
  /** Venue clock (ms), including any skew fault. */
  now(): number;
  store(): BinanceStore;
  readonly auth: AuthPorts;
  /** The chat routes want a `clientType` header or query parameter (setting). */
  requireClientType(): boolean;
  /** markOrderMessagesAsRead also takes an API-key-only call (setting). */
  unsignedMarkRead(): boolean;
  orderKeyField(): OrderKeyField;
  issueCredential(account: MerchantAccount): Credential;
  /** Flips the counterparty's messages of these orders to read; returns how many flipped. */
  markRead(account: MerchantAccount, orders: readonly Order[]): number;
  presign(account: MerchantAccount, imageName: string): PresignResult;
  /** PUT on a pre-signed path; answers the HTTP status and, on refusal, an S3-style error code. */
  storeUpload(id: string, token: string, contentType: string, body: Buffer): { status: number; error?: string };
  uploadedImage(id: string): MediaFile | undefined;
  readonly media: ReadonlyMap<string, MediaFile>;
  /** The armed `echoSecrets` fault's refusal of an authentic request, quoting it; undefined lets it through. */
  echoSecrets(account: MerchantAccount, request: { apiKey: string; rawQuery: string; rawBody: string }): BinanceErrorReply | undefined;
  recordRequest(record: Omit<RequestRecord, 'seq'>): void;
  log(line: string): void;
}

type Reply = { readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> };

const ok = (data: unknown, total?: number): Reply => ({
  status: 200,
  body: { code: '000000', message: 'success', data, ...(total !== undefined ? { total } : {}), success: true },
});
const error = (e: BinanceErrorReply): Reply => ({ status: e.httpStatus, body: e.body, ...(e.headers ? { headers: e.headers } : {}) });

const DAY = 24 * 60 * 60 * 1000;
const MAX_SPAN_MS = 30 * DAY;
/** "Only the last 6 months" of order history. */
const HISTORY_REACH_MS = 183 * DAY;
const MAX_ROWS = 100;
const DEFAULT_MESSAGE_ROWS = 10;
const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** Query parameters first, then JSON or form body fields; values as strings, arrays kept. */
class Params {
  constructor(
    private readonly query: URLSearchParams,
    private readonly body: Readonly<Record<string, unknown>>,
  ) {}

  /** A scalar parameter as text; undefined when absent or empty. */
  get(name: string): string | undefined {
    const fromQuery = this.query.get(name);
    if (fromQuery !== null) return fromQuery === '' ? undefined : fromQuery;
    const value = this.body[name];
    if (typeof value === 'string') return value === '' ? undefined : value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return undefined;
  }

  raw(name: string): unknown {
    return this.body[name];
  }
}

function parseBody(rawBody: string): Record<string, unknown> {
  const text = rawBody.trim();
  if (text === '') return {};
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      return {};
    }
    return {};
  }
  return Object.fromEntries(new URLSearchParams(text));
}

type Ctx = { account: MerchantAccount; params: Params; backend: RestBackend; now: number };
type Handler = (ctx: Ctx) => Reply;

/** An optional integer parameter in [min, max]; a reply when it is malformed. */
function intParam(params: Params, name: string, fallback: number, min: number, max: number): number | Reply {
  const value = params.get(name);
  if (value === undefined) return fallback;
  if (!/^\d{1,15}$/.test(value)) return error(BinanceErrors.invalidValue(name));
  const n = Number(value);
  return n < min || n > max ? error(BinanceErrors.invalidValue(name)) : n;
}

const isReply = (v: number | Reply): v is Reply => typeof v !== 'number';

function ownedOrder(ctx: Ctx, name: string, reply: (order: Order) => Reply): Reply {
  const orderNo = ctx.params.get(name);
  if (!orderNo) return error(BinanceErrors.mandatory(name));
  const order = ctx.backend.store().order(orderNo);
  if (!order || (order.buyer.userId !== ctx.account.userId && order.seller.userId !== ctx.account.userId)) return error(BinanceErrors.orderNotFound);
  return reply(order);
}

function unreadFor(store: BinanceStore, order: Order, userId: string): number {
  return store.messagesOf(order.orderNo).filter((m) => m.fromUserId !== userId && m.status === 'unread').length;
}

/** The fields listUserOrderHistory documents, from `userId`'s side. */
function historyRow(order: Order, userId: string): Record<string, unknown> {
  return {
    orderNumber: order.orderNo,
    advNo: order.advNo,
    tradeType: order.buyer.userId === userId ? 'BUY' : 'SELL',
    asset: order.asset,
    fiat: order.fiat,
    fiatSymbol: order.fiatSymbol,
    amount: order.amount,
    totalPrice: order.totalPrice,
    unitPrice: order.unitPrice,
    orderStatus: order.status,
    createTime: order.createTime,
    commission: order.commission,
    counterPartNickName: counterpartOf(order, userId).nickName,
    advertisementRole: order.makerUserId === userId ? 'MAKER' : 'TAKER',
  };
}

/** listOrders rows: the history fields with the numeric status, plus the deadline and unread count. */
function activeRow(store: BinanceStore, order: Order, userId: string): Record<string, unknown> {
  return {
    ...historyRow(order, userId),
    orderStatus: STATUS_CODE[order.status],
    buyerNickname: order.buyer.nickName,
    sellerNickname: order.seller.nickName,
    notifyPayEndTime: order.notifyPayEndTime,
    chatUnreadCount: unreadFor(store, order, userId),
  };
}

function detail(store: BinanceStore, order: Order, userId: string): Record<string, unknown> {
  const row = historyRow(order, userId);
  return {
    orderNumber: order.orderNo,
    advOrderNumber: order.advNo,
    tradeType: row.tradeType,
    orderStatus: STATUS_CODE[order.status],
    asset: order.asset,
    amount: order.amount,
    price: order.unitPrice,
    totalPrice: order.totalPrice,
    fiatUnit: order.fiat,
    fiatSymbol: order.fiatSymbol,
    buyerNickname: order.buyer.nickName,
    sellerNickname: order.seller.nickName,
    counterPartNickName: row.counterPartNickName,
    advertisementRole: row.advertisementRole,
    createTime: order.createTime,
    notifyPayEndTime: order.notifyPayEndTime,
    notifyPayedExpireMinute: Math.round((order.notifyPayEndTime - order.createTime) / 60_000),
    confirmPayEndTime: order.paidTime !== undefined ? order.paidTime + 15 * 60_000 : null,
    commission: order.commission,
    unreadCount: unreadFor(store, order, userId),
    payMethods: [{ id: 1, identifier: 'BANK', tradeMethodName: 'Bank Transfer', fields: [{ fieldName: 'Bank name', fieldValue: 'Sandbox Bank' }] }],
  };
}

function messagesPage(ctx: Ctx): Reply {
  return ownedOrder(ctx, 'orderNo', (order) => {
    const page = intParam(ctx.params, 'page', 1, 1, 1_000_000);
    if (isReply(page)) return page;
    const rows = intParam(ctx.params, 'rows', DEFAULT_MESSAGE_ROWS, 1, MAX_ROWS);
    if (isReply(rows)) return rows;
    const before = ctx.params.get('id');
    if (before !== undefined && !/^\d{1,18}$/.test(before)) return error(BinanceErrors.invalidValue('id'));
    const type = ctx.params.get('chatMessageType');
    const matching = ctx.backend
      .store()
      .messagesOf(order.orderNo)
      .filter((m) => (type === undefined || m.type === type) && (before === undefined || m.id < Number(before)))
      .sort((a, b) => b.id - a.id);
    const items = matching.slice((page - 1) * rows, page * rows).map((m) => messageItem(m, ctx.account.userId, ctx.backend.orderKeyField()));
    return ok(items, matching.length);
  });
}

function orderHistory(ctx: Ctx): Reply {
  const tradeType = ctx.params.get('tradeType');
  if (tradeType !== undefined && tradeType !== 'BUY' && tradeType !== 'SELL') return error(BinanceErrors.invalidValue('tradeType'));
  const times: Partial<Record<'startTimestamp' | 'endTimestamp', number>> = {};
  for (const name of ['startTimestamp', 'endTimestamp'] as const) {
    const value = ctx.params.get(name);
    if (value === undefined) continue;
    if (!/^\d{1,16}$/.test(value)) return error(BinanceErrors.invalidValue(name));
    times[name] = Number(value);
  }
  // Default: the last 30 days; one bound alone spans 30 days from it.
  const end = times.endTimestamp ?? (times.startTimestamp !== undefined ? times.startTimestamp + MAX_SPAN_MS : ctx.now);
  const start = times.startTimestamp ?? end - MAX_SPAN_MS;
  if (start > end) return error(BinanceErrors.invalidValue('startTimestamp'));
  if (end - start > MAX_SPAN_MS) return error(BinanceErrors.invalidValue('endTimestamp'));
  const page = intParam(ctx.params, 'page', 1, 1, 1_000_000);
  if (isReply(page)) return page;
  const rows = intParam(ctx.params, 'rows', MAX_ROWS, 1, MAX_ROWS);
  if (isReply(rows)) return rows;
  const reach = ctx.now - HISTORY_REACH_MS;
  const userId = ctx.account.userId;
  const matching = ctx.backend
    .store()
    .ordersOf(userId)
    .filter((o) => o.createTime >= start && o.createTime <= end && o.createTime >= reach)
    .filter((o) => tradeType === undefined || (o.buyer.userId === userId ? 'BUY' : 'SELL') === tradeType);
  return ok(matching.slice((page - 1) * rows, page * rows).map((o) => historyRow(o, userId)), matching.length);
}

const KNOWN_CODES = new Set<number>([...Object.values(STATUS_CODE), 5]);

function activeOrders(ctx: Ctx): Reply {
  const page = intParam(ctx.params, 'page', 1, 1, 1_000_000);
  if (isReply(page)) return page;
  const rows = intParam(ctx.params, 'rows', 20, 1, MAX_ROWS);
  if (isReply(rows)) return rows;
  const tradeType = ctx.params.get('tradeType');
  if (tradeType !== undefined && tradeType !== 'BUY' && tradeType !== 'SELL') return error(BinanceErrors.invalidValue('tradeType'));
  const list = ctx.params.raw('orderStatusList');
  let codes: Set<number> | undefined;
  if (list !== undefined && list !== null) {
    if (!Array.isArray(list) || !list.every((c): c is number => typeof c === 'number' && KNOWN_CODES.has(c))) {
      return error(BinanceErrors.invalidValue('orderStatusList'));
    }
    codes = new Set(list);
  }
  const userId = ctx.account.userId;
  const store = ctx.backend.store();
  const matching = store
    .ordersOf(userId)
    .filter((o) => codes === undefined || codes.has(STATUS_CODE[o.status]))
    .filter((o) => tradeType === undefined || (o.buyer.userId === userId ? 'BUY' : 'SELL') === tradeType);
  return ok(matching.slice((page - 1) * rows, page * rows).map((o) => activeRow(store, o, userId)), matching.length);
}

const IMAGE_NAME = /^[^/\\?#&]{1,128}\.(jpe?g|png|gif|webp)$/i;

const SIGNED_ROUTES: RouteTable<Handler> = {
  '/sapi/v1/c2c/chat/retrieveChatCredential': { GET: ({ account, backend }) => ok(backend.issueCredential(account)) },
  '/sapi/v1/c2c/chat/retrieveChatMessagesWithPagination': { GET: messagesPage },
  '/sapi/v1/c2c/chat/markOrderMessagesAsRead': {
    POST: (ctx) => ownedOrder(ctx, 'orderNo', (order) => {
      ctx.backend.markRead(ctx.account, [order]);
      return ok(null);
    }),
  },
  '/sapi/v1/c2c/chat/markUserMessagesAsRead': {
    POST: (ctx) => {
      ctx.backend.markRead(ctx.account, ctx.backend.store().ordersOf(ctx.account.userId));
      return ok(null);
    },
  },
  '/sapi/v1/c2c/chat/image/pre-signed-url': {
    POST: (ctx) => {
      const name = ctx.params.get('imageName');
      if (name === undefined) return error(BinanceErrors.mandatory('imageName'));
      if (!IMAGE_NAME.test(name)) return error(BinanceErrors.invalidValue('imageName'));
      const result = ctx.backend.presign(ctx.account, name);
      if (!result.ok) return error(BinanceErrors.imageRateLimit(result.retryAfterSeconds));
      return ok({ preSignedUrl: result.preSignedUrl, uploadUrl: result.preSignedUrl, imageUrl: result.imageUrl });
    },
  },
  '/sapi/v1/c2c/orderMatch/listUserOrderHistory': { GET: orderHistory },
  '/sapi/v1/c2c/orderMatch/listOrders': { POST: activeOrders },
  '/sapi/v1/c2c/orderMatch/getUserOrderDetail': {
    POST: (ctx) => ownedOrder(ctx, 'adOrderNo', (order) => ok(detail(ctx.backend.store(), order, ctx.account.userId))),
  },
};

const UNSIGNED_ROUTES: RouteTable<(backend: RestBackend) => Reply> = {
  '/api/v3/ping': { GET: () => ({ status: 200, body: {} }) },
  '/api/v3/time': { GET: (backend) => ({ status: 200, body: { serverTime: backend.now() } }) },
};

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

function responseCodeOf(reply: Reply): number | string {
  const body = reply.body;
  if (body !== null && typeof body === 'object' && 'code' in body && (typeof body.code === 'number' || typeof body.code === 'string')) return body.code;
  return reply.status;
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'Content-Type': 'application/json;charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...reply.headers });
  res.end(text);
}

/** S3 answers refusals as XML. */
function sendS3Error(res: ServerResponse, status: number, code: string): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export async function handleRestRequest(backend: RestBackend, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const path = pathOf(req.url);
  const rawQuery = rawQueryOf(req.url);
  const query = new URLSearchParams(rawQuery);
  const time = backend.now();
  const clientType = nonEmpty(headerValue(req.headers.clienttype)) ?? nonEmpty(query.get('clientType')) ?? null;
  const record = (r: Pick<RequestRecord, 'kind' | 'apiKey' | 'signatureValid' | 'timestampValid' | 'httpStatus' | 'responseCode'>, shownPath = path): void => {
    backend.recordRequest({ time, method, path: shownPath, rawQuery: redactQuery(rawQuery), clientType, ...r });
    backend.log(`binance ${method} ${shownPath} -> ${r.httpStatus}${r.responseCode !== r.httpStatus ? ` code=${r.responseCode}` : ''}`);
  };
  const plain = (kind: RequestRecord['kind'], status: number, shownPath = path): void =>
    record({ kind, apiKey: null, signatureValid: null, timestampValid: null, httpStatus: status, responseCode: status }, shownPath);

  const upload = /^\/c2c\/upload\/([A-Za-z0-9]+)$/.exec(path);
  if (upload) {
    const id = upload[1]!;
    const shown = `/c2c/upload/…${id.slice(-6)}`;
    if (method !== 'PUT') {
      plain('upload', 405, shown);
      return sendS3Error(res, 405, 'MethodNotAllowed');
    }
    const body = await readBytesUpTo(req, MAX_UPLOAD_BYTES);
    if (!body) {
      plain('upload', 413, shown);
      req.destroy();
      return sendS3Error(res, 413, 'EntityTooLarge');
    }
    const result = backend.storeUpload(id, query.get('X-Amz-Signature') ?? '', headerValue(req.headers['content-type']) ?? 'application/octet-stream', body);
    plain('upload', result.status, shown);
    if (result.error) return sendS3Error(res, result.status, result.error);
    res.writeHead(200, { ETag: `"${id.slice(0, 16)}"`, 'Content-Length': 0 });
    res.end();
    return;
  }

  const image = /^\/c2c\/images\/([A-Za-z0-9]+)\/[^/]+$/.exec(path);
  const mediaName = path.startsWith('/media/') ? decodeURIComponent(path.slice('/media/'.length)) : undefined;
  if (image || mediaName !== undefined) {
    const file = image ? backend.uploadedImage(image[1]!) : backend.media.get(mediaName ?? '');
    const status = method !== 'GET' && method !== 'HEAD' ? 405 : file ? 200 : 404;
    plain('media', status);
    if (!file || status !== 200) return send(res, error(status === 405 ? BinanceErrors.methodNotAllowed : BinanceErrors.notFound));
    return sendFile(res, method, file, 'public, max-age=3600');
  }

  let rawBody: string;
  try {
    rawBody = await readBody(req);
  } catch (e) {
    const status = e instanceof BodyTooLargeError ? 413 : 400;
    plain('rest', status);
    return send(res, { status, body: { code: -1000, msg: 'bad request body' } });
  }

  const { reply, audit } = dispatchRoute({ unsigned: UNSIGNED_ROUTES, signed: SIGNED_ROUTES }, path, method, {
    notFound: () => error(BinanceErrors.notFound),
    methodNotAllowed: () => error(BinanceErrors.methodNotAllowed),
    unsigned: (handler) => handler(backend),
    signed: (handler) => {
      const auth = authenticate(
        {
          apiKeyHeader: headerValue(req.headers['x-mbx-apikey']), rawQuery, rawBody, contentType: headerValue(req.headers['content-type']),
          serverTime: time, unsignedAllowed: path === '/sapi/v1/c2c/chat/markOrderMessagesAsRead' && backend.unsignedMarkRead(),
        },
        backend.auth,
      );
      if (!auth.ok) return { reply: error(auth.error), audit: { apiKey: auth.apiKey, signatureValid: auth.signatureValid, timestampValid: auth.timestampValid } };
      const audit = { apiKey: auth.apiKey, signatureValid: auth.signed ? true : null, timestampValid: auth.signed ? true : null };
      const echoed = backend.echoSecrets(auth.account, { apiKey: auth.apiKey, rawQuery, rawBody });
      if (echoed) return { reply: error(echoed), audit };
      const needsClientType = path.startsWith('/sapi/v1/c2c/chat/') && backend.requireClientType();
      if (needsClientType && (clientType === null || clientType.toLowerCase() !== 'web')) return { reply: error(BinanceErrors.mandatory('clientType')), audit };
      return { reply: handler({ account: auth.account, params: new Params(query, parseBody(rawBody)), backend, now: time }), audit };
    },
  });
  record({ kind: 'rest', ...audit, httpStatus: reply.status, responseCode: responseCodeOf(reply) });
  send(res, reply);
}

