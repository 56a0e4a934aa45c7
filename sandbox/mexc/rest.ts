// The MEXC REST surface the client uses: userDataStream (listenKey), the P2P order list and
// detail, the chat conversation lookup, plus /media for message attachments.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, headerValue, pathOf, rawQueryOf, readBody, readBytesUpTo, sendFile, sendJson } from '../util/http';
import { dispatchRoute, type RouteTable } from '../util/restRoutes';
import type { TimerRegistry } from '../util/timers';
import { authenticate, type AuthPorts, type RequestParams } from './auth';
import { MexcErrors, type MexcErrorReply } from './errors';
import type { ListenKeyRegistry } from './listenKeys';
import type { MediaFile } from '../util/media';
import type { RequestRecord } from './records';
import { ORDER_STATES, type MerchantAccount, type MexcStore, type Order, type OrderState } from './store';

export interface RestBackend {
  /** Venue clock (ms), including any skew fault. */
  now(): number;
  store(): MexcStore;
  readonly listenKeys: ListenKeyRegistry;
  readonly auth: AuthPorts;
  readonly media: ReadonlyMap<string, MediaFile>;
  /** Files PUT to the upload target at /uploads/<name>. */
  readonly uploads: Map<string, MediaFile>;
  readonly timers: TimerRegistry;
  slowReplyMs(): number;
  /** The armed `echoSecrets` fault's refusal of an authentic request, quoting it; undefined lets it through. */
  echoSecrets(request: { apiKey: string; method: string; path: string; rawQuery: string; rawBody: string }): MexcErrorReply | undefined;
  recordRequest(record: Omit<RequestRecord, 'seq'>): void;
  log(line: string): void;
}

type Reply = { readonly status: number; readonly body: unknown };

const ok = (data: unknown): Reply => ({ status: 200, body: { code: 0, msg: 'success', data } });
const error = (e: MexcErrorReply): Reply => ({ status: e.httpStatus, body: e.body });
const plain = (body: unknown): Reply => ({ status: 200, body });

/** The doc's `total` for listen keys (the P2P example shows 200); the enforced cap is separate. */
const LISTEN_KEY_TOTAL = 200;
const DEFAULT_ORDER_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

type SignedContext = { account: MerchantAccount; params: RequestParams; backend: RestBackend; now: number };
type SignedHandler = (ctx: SignedContext) => Reply;

/** The order named by query parameter `param`, if the caller owns it; else the venue's error. */
function withOwnedOrder(ctx: SignedContext, param: string, reply: (order: Order) => Reply): Reply {
  const orderNo = ctx.params.get(param);
  if (!orderNo) return error(MexcErrors.parameterError);
  const order = ctx.backend.store().order(orderNo);
  if (!order || order.accountUserId !== ctx.account.userId) return error(MexcErrors.orderNotFound);
  return reply(order);
}

const SIGNED_ROUTES: RouteTable<SignedHandler> = {
  '/api/v3/userDataStream': {
    POST: ({ account, backend, now }) => {
      const entry = backend.listenKeys.create(account.userId, now);
      return entry ? plain({ listenKey: entry.key }) : error(MexcErrors.listenKeyLimit);
    },
    GET: ({ account, backend, now }) => {
      const keys = backend.listenKeys.liveOf(account.userId, now).map((e) => e.key);
      return plain({ total: LISTEN_KEY_TOTAL, listenKey: keys, available: Math.max(0, LISTEN_KEY_TOTAL - keys.length) });
    },
    PUT: ({ account, params, backend, now }) => {
      const key = params.get('listenKey');
      if (!key) return error(MexcErrors.parameterError);
      return backend.listenKeys.extend(key, account.userId, now) ? plain({ listenKey: key }) : error(MexcErrors.listenKeyNotFound);
    },
    DELETE: ({ account, params, backend, now }) => {
      const key = params.get('listenKey');
      if (!key) return error(MexcErrors.parameterError);
      return backend.listenKeys.delete(key, account.userId, now) ? plain({ listenKey: key }) : error(MexcErrors.listenKeyNotFound);
    },
  },
  '/api/v3/fiat/market/order/paginationV2': { GET: (ctx) => orderPage(ctx.backend.store(), ctx.account, ctx.params, ctx.now) },
  '/api/v3/fiat/order/detail': {
    GET: (ctx) => withOwnedOrder(ctx, 'advOrderNo', (order) => ok(orderDetail(order))),
  },
  '/api/v3/fiat/retrieveChatConversation': {
    GET: (ctx) => withOwnedOrder(ctx, 'orderNo', (order) => ok({ conversationId: order.conversationId })),
  },
};

const UNSIGNED_ROUTES: RouteTable<(backend: RestBackend) => Reply> = {
  '/api/v3/ping': { GET: () => plain({}) },
  '/api/v3/time': { GET: (backend) => plain({ serverTime: backend.now() }) },
};

const isDigits = (value: string | undefined): value is string => value !== undefined && /^\d{1,16}$/.test(value);

/** Scroll pagination: newest first by (createTime, advOrderNo); the cursor is the last row seen. */
function orderPage(store: MexcStore, account: MerchantAccount, params: RequestParams, now: number): Reply {
  const numeric = ['startTime', 'endTime', 'lastCreateTime', 'limit'] as const;
  for (const name of numeric) {
    const value = params.get(name);
    if (value !== undefined && value !== '' && !isDigits(value)) return error(MexcErrors.parameterError);
  }
  const get = (name: string): string | undefined => {
    const value = params.get(name);
    return value === '' ? undefined : value;
  };
  const side = get('side');
  if (side !== undefined && side !== 'BUY' && side !== 'SELL') return error(MexcErrors.parameterError);
  const state = get('orderDealState');
  if (state !== undefined && !ORDER_STATES.includes(state as OrderState)) return error(MexcErrors.parameterError);
  const lastCreateTime = get('lastCreateTime');
  const lastId = get('lastId');
  // The doc requires both cursor halves on later pages; half a cursor is a client bug.
  if ((lastCreateTime === undefined) !== (lastId === undefined)) return error(MexcErrors.parameterError);
  const limitRaw = get('limit');
  const limit = limitRaw === undefined ? 10 : Math.min(100, Number(limitRaw));
  if (limit < 1) return error(MexcErrors.parameterError);
  const endTime = get('endTime');
  const startTime = Number(get('startTime') ?? now - DEFAULT_ORDER_WINDOW_MS);

  const coin = get('coinId');
  const orderNo = get('advOrderNo');
  const rows = store
    .ordersOf(account.userId)
    .filter((o) => o.createTime >= startTime && (endTime === undefined || o.createTime <= Number(endTime)))
    .filter((o) => (side === undefined || o.side === side) && (state === undefined || o.state === state))
    .filter((o) => (coin === undefined || o.coinName === coin) && (orderNo === undefined || o.advOrderNo === orderNo))
    .sort(newestFirst)
    .filter((o) => lastCreateTime === undefined || lastId === undefined || isAfterCursor(o, Number(lastCreateTime), lastId))
    .slice(0, limit)
    .map(orderRow);
  return ok(rows);
}

function compareOrderNo(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

function newestFirst(a: Order, b: Order): number {
  return b.createTime - a.createTime || compareOrderNo(b.advOrderNo, a.advOrderNo);
}

function isAfterCursor(o: Order, lastCreateTime: number, lastId: string): boolean {
  return o.createTime < lastCreateTime || (o.createTime === lastCreateTime && compareOrderNo(o.advOrderNo, lastId) < 0);
}

function mask(text: string): string {
  return text.length <= 4 ? '****' : `${text.slice(0, 2)}****${text.slice(-2)}`;
}

function paymentInfoOf(order: Order): unknown[] {
  return order.paymentInfo.map((p) => ({
    id: p.id,
    payMethod: p.payMethod,
    bankName: p.bankName,
    account: p.account,
    bankAddress: p.bankAddress,
    payee: p.payee,
    extend: '{}',
  }));
}

/** The fields the order list and the order detail share. */
function orderCore(order: Order) {
  return {
    advOrderNo: order.advOrderNo,
    tradableQuantity: order.tradableQuantity,
    price: order.price,
    amount: order.amount,
    coinName: order.coinName,
    state: order.state,
    payTimeLimit: order.payTimeLimit,
    side: order.side,
    fiatUnit: order.fiatUnit,
    createTime: order.createTime,
    paymentInfo: paymentInfoOf(order),
  };
}

function orderRow(order: Order): unknown {
  return {
    ...orderCore(order),
    userInfo: {
      account: mask(order.counterparty.memberId),
      nickName: order.counterparty.nickName,
      roleType: 0,
      enableMerchantApplication: false,
    },
  };
}

function orderDetail(order: Order): unknown {
  const paid = order.state === 'PAID' || order.state === 'DONE' || order.state === 'APPEAL';
  const core = orderCore(order);
  return {
    advNo: order.advNo,
    ...core,
    allowComplainTime: order.payTimeLimit + 10 * 60_000,
    updateTime: order.updateTime,
    confirmPaymentInfo: paid ? (core.paymentInfo[0] ?? null) : null,
    userInfo: {
      account: mask(order.counterparty.memberId),
      realName: order.counterparty.realName,
      mobile: '+** ****',
      merchant: false,
      countryCode: order.counterparty.countryCode,
      nickName: order.counterparty.nickName,
      kycLevel: 'ADVANCED',
      imId: order.counterparty.imId,
      memberId: order.counterparty.memberId,
      registryTime: order.createTime - 400 * 24 * 60 * 60 * 1000,
      hasMobile: true,
      hasEmail: true,
      badge: '',
      merchantType: '',
    },
    userFiatStatistics: { totalBuyCount: 12, totalSellCount: 9, doneLastMonthCount: 21, completeRate: 0.97 },
  };
}

function responseCodeOf(reply: Reply): number {
  const body = reply.body;
  if (body !== null && typeof body === 'object' && 'code' in body && typeof body.code === 'number') return body.code;
  return reply.status;
}

/** Largest file the upload target keeps (the extension's default upload limit). */
const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/**
 * Not a MEXC API: a plain HTTP PUT upload target of the kind a user configures for venues that take
 * media only as links (WebDAV, a bucket with a write policy). PUT stores the bytes, GET serves them.
 */
async function handleUpload(
  backend: RestBackend,
  method: string,
  name: string,
  req: IncomingMessage,
  res: ServerResponse,
  record: (r: Pick<RequestRecord, 'kind' | 'apiKey' | 'signatureValid' | 'timestampValid' | 'httpStatus' | 'responseCode'>) => void,
): Promise<void> {
  const done = (status: number) => record({ kind: 'media', apiKey: null, signatureValid: null, timestampValid: null, httpStatus: status, responseCode: status });
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(name)) {
    done(400);
    sendJson(res, 400, { code: 400, msg: 'bad file name' });
    return;
  }
  if (method === 'PUT') {
    const body = await readBytesUpTo(req, MAX_UPLOAD_BYTES);
    if (!body) {
      done(413);
      sendJson(res, 413, { code: 413, msg: 'file too large' });
      req.destroy();
      return;
    }
    backend.uploads.set(name, { contentType: headerValue(req.headers['content-type']) ?? 'application/octet-stream', body });
    done(201);
    res.writeHead(201, { 'Content-Length': 0 });
    res.end();
    return;
  }
  const file = backend.uploads.get(name);
  const status = method !== 'GET' && method !== 'HEAD' ? 405 : file ? 200 : 404;
  done(status);
  if (!file || status !== 200) {
    sendJson(res, status, { code: status, msg: status === 405 ? 'method not allowed' : 'not found' });
    return;
  }
  sendFile(res, method, file);
}

export async function handleRestRequest(backend: RestBackend, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const path = pathOf(req.url);
  const rawQuery = rawQueryOf(req.url);
  const time = backend.now();
  const record = (r: Pick<RequestRecord, 'kind' | 'apiKey' | 'signatureValid' | 'timestampValid' | 'httpStatus' | 'responseCode'>): void => {
    backend.recordRequest({ time, method, path, rawQuery, ...r });
    backend.log(`mexc ${method} ${path} -> ${r.httpStatus}${r.responseCode !== r.httpStatus ? ` code=${r.responseCode}` : ''}`);
  };

  if (path.startsWith('/uploads/')) {
    await handleUpload(backend, method, decodeURIComponent(path.slice('/uploads/'.length)), req, res, record);
    return;
  }

  if (path.startsWith('/media/')) {
    const file = backend.media.get(decodeURIComponent(path.slice('/media/'.length)));
    const status = method !== 'GET' && method !== 'HEAD' ? 405 : file ? 200 : 404;
    record({ kind: 'media', apiKey: null, signatureValid: null, timestampValid: null, httpStatus: status, responseCode: status });
    if (!file || status !== 200) {
      sendJson(res, status, status === 405 ? MexcErrors.methodNotAllowed.body : MexcErrors.notFound.body);
      return;
    }
    sendFile(res, method, file, 'public, max-age=3600');
    return;
  }

  let rawBody: string;
  try {
    rawBody = await readBody(req);
  } catch (e) {
    const status = e instanceof BodyTooLargeError ? 413 : 400;
    record({ kind: 'rest', apiKey: null, signatureValid: null, timestampValid: null, httpStatus: status, responseCode: status });
    sendJson(res, status, { code: status, msg: 'bad request body' });
    return;
  }

  const { reply, audit } = dispatchRoute({ unsigned: UNSIGNED_ROUTES, signed: SIGNED_ROUTES }, path, method, {
    notFound: () => error(MexcErrors.notFound),
    methodNotAllowed: () => error(MexcErrors.methodNotAllowed),
    unsigned: (handler) => handler(backend),
    signed: (handler) => {
      const auth = authenticate({ apiKeyHeader: headerValue(req.headers['x-mexc-apikey']), rawQuery, rawBody, serverTime: time }, backend.auth);
      if (!auth.ok) return { reply: error(auth.error), audit: { apiKey: auth.apiKey, signatureValid: auth.signatureValid, timestampValid: auth.timestampValid } };
      const echoed = backend.echoSecrets({ apiKey: auth.apiKey, method, path, rawQuery, rawBody });
      if (echoed) return { reply: error(echoed), audit: { apiKey: auth.apiKey, signatureValid: true, timestampValid: true } };
      return { reply: handler({ account: auth.account, params: auth.params, backend, now: time }), audit: { apiKey: auth.apiKey, signatureValid: true, timestampValid: true } };
    },
  });

  record({ kind: 'rest', ...audit, httpStatus: reply.status, responseCode: responseCodeOf(reply) });
  const delay = backend.slowReplyMs();
  // The effect has already happened; only the answer is late, like a slow gateway.
  if (delay > 0) backend.timers.setTimeout(() => sendJson(res, reply.status, reply.body), delay);
  else sendJson(res, reply.status, reply.body);
}
