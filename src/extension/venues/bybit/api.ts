// Bybit P2P signed REST (docs/venue-protocols.md, Bybit): own identity, orders, both chat API
// generations and the upload. Every call is signed on its own (signing.ts); there is no token and
// no socket. Replies come in one envelope, `ret_code`/`ret_msg` (P2P) or `retCode`/`retMsg`; only
// code 0 is success. A 10002 (timestamp outside recvWindow) re-reads the server time once and
// retries with the measured offset. Numbers arrive as strings; decimals are kept as text.
import * as z from 'zod';
import type { Clock } from '../../core/clock';
import { systemClock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import { HttpClient, type HttpResponse } from '../../core/connection/httpClient';
import type { HttpBody } from '../../core/connection/httpBody';
import { MultipartForm } from '../../core/connection/multipart';
import { parseJsonKeepingDecimals } from '../../core/decimalJson';
import { parseListItems } from '../listItems';
import { MAX_VENUE_WORDS, preview, venueWords } from '../framePreview';
import { orderNumberSchema, venueIdSchema } from '../venueIds';
import { VenueError } from '../venue';
import { bybitSigner, type BybitKey } from './signing';
import * as l10n from '@vscode/l10n';

/** Bybit's answer when the order-scoped chat API is switched off for the account. */
export const LEGACY_CHAT_CLOSED = 912200387;

export interface BybitRestOptions {
  readonly baseUrl: string;
  readonly key: BybitKey;
  readonly recvWindow?: number;
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

const text = z.union([z.string(), z.number()]).transform((v) => String(v));
const millis = z.union([z.number(), z.string().regex(/^\d+$/)]).transform((v) => Number(v));
const int = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform((v) => Number(v));

const identitySchema = z.object({ userId: venueIdSchema, nickName: z.string().nullish() }).passthrough();
export type BybitIdentity = z.output<typeof identitySchema>;

const orderSchema = z
  .object({
    id: orderNumberSchema,
    side: int.nullish(),
    tokenId: z.string().nullish(),
    amount: text.nullish(),
    currencyId: z.string().nullish(),
    price: text.nullish(),
    notifyTokenQuantity: text.nullish(),
    quantity: text.nullish(),
    targetNickName: z.string().nullish(),
    targetUserId: text.nullish(),
    targetUserMaskId: z.string().nullish(),
    status: int,
    createDate: millis,
    /** Seconds left to pay (in-progress orders). */
    transferLastSeconds: int.nullish(),
    userId: text.nullish(),
  })
  .passthrough();
export type BybitOrder = z.output<typeof orderSchema>;

// A page is read whole: a bad row fails the page (the sync tries again later), since a page short
// of a skipped row would read as the last one and end the paging.
const orderListSchema = z.object({ count: int.nullish(), items: z.array(orderSchema).nullish() }).passthrough();

/** An order-scoped (legacy) chat message. */
const orderMessageSchema = z
  .object({
    id: venueIdSchema,
    message: z.string().nullish(),
    userId: text.nullish(),
    msgType: int.nullish(),
    msgCode: int.nullish(),
    createDate: millis,
    contentType: z.string().nullish(),
    orderId: text.nullish(),
    msgUuid: z.string().nullish(),
    nickName: z.string().nullish(),
    fileName: z.string().nullish(),
    isRead: int.nullish(),
    roleType: z.string().nullish(),
  })
  .passthrough();
export type BybitOrderMessage = z.output<typeof orderMessageSchema>;

const sessionSchema = z
  .object({ sessionId: z.string().min(1), sessionName: z.string().nullish(), type: z.string().nullish(), id: text.nullish(), unreadCount: int.nullish() })
  .passthrough();
export type BybitSession = z.output<typeof sessionSchema>;

/** A session-API chat message: `message` is a JSON string `{content, msgType, fileName}`. */
const sessionMessageSchema = z
  .object({ id: venueIdSchema, sendUserNickName: z.string().nullish(), contentType: z.string().nullish(), message: z.string().nullish(), createDate: millis })
  .passthrough();
export type BybitSessionMessage = z.output<typeof sessionMessageSchema>;

const uploadSchema = z.object({ url: z.string().min(1), type: z.string().nullish() }).passthrough();

const envelopeSchema = z
  .object({
    ret_code: int.nullish(),
    retCode: int.nullish(),
    ret_msg: z.string().nullish(),
    retMsg: z.string().nullish(),
    result: z.unknown().optional(),
  })
  .passthrough();

export interface BybitSendInput {
  readonly message: string;
  /** `str`, `pic`, `pdf` or `video` (sent lowercase). */
  readonly contentType: string;
  readonly fileName?: string;
}

const PERSONAL_INFO = '/v5/p2p/user/personal/info';
const PENDING_ORDERS = '/v5/p2p/order/pending/simplifyList';
const ORDERS = '/v5/p2p/order/simplifyList';
const ORDER_INFO = '/v5/p2p/order/info';
const ORDER_MESSAGES = '/v5/p2p/order/message/listpage';
const ORDER_MESSAGE_SEND = '/v5/p2p/order/message/send';
const SESSION_ID = '/v5/p2p/chat/session/getSessionId';
const SESSIONS = '/v5/p2p/chat/session/list_v1';
const SESSION_MESSAGES = '/v5/p2p/chat/message/listpage';
const SESSION_MESSAGE_SEND = '/v5/p2p/chat/message/send';
const UPLOAD = '/v5/p2p/oss/upload_file';

const sessionMessagesSchema = z.union([z.array(z.unknown()), z.object({ messages: z.array(z.unknown()).nullish(), list: z.array(z.unknown()).nullish() }).passthrough()]).nullish();

/** List items that do not parse are skipped, each told here. */
type BadItem = ((detail: string) => void) | undefined;

/**
 * Each call's reading of its reply, apart from the HTTP around it: what a reply means, or the
 * VenueError it is. `now` dates a rate limit's reset. Pure, so the fuzz suite feeds them generated
 * replies (test/unit/fuzz). The session routes take the path they were sent to (`_v1` or not).
 */
export const bybitReplies = {
  personalInfo: (res: HttpResponse, now: number): BybitIdentity => readReply(res, PERSONAL_INFO, identitySchema, true, now),
  pendingOrders: (res: HttpResponse, now: number): { count: number; items: BybitOrder[] } => listOf(readReply(res, PENDING_ORDERS, orderListSchema, true, now)),
  orders: (res: HttpResponse, now: number): { count: number; items: BybitOrder[] } => listOf(readReply(res, ORDERS, orderListSchema, true, now)),
  orderInfo: (res: HttpResponse, now: number): BybitOrder => readReply(res, ORDER_INFO, orderSchema, true, now),
  orderMessages: (res: HttpResponse, now: number, onBadItem: BadItem): BybitOrderMessage[] =>
    parseListItems(readReply(res, ORDER_MESSAGES, z.array(z.unknown()).nullish(), true, now) ?? [], orderMessageSchema, 'order chat', onBadItem),
  sendOrderMessage: (res: HttpResponse, now: number): void => void readReply(res, ORDER_MESSAGE_SEND, z.unknown(), false, now),
  sessionId: (res: HttpResponse, now: number): string => {
    const result = readReply(res, SESSION_ID, z.union([z.object({ sessionId: z.string().min(1) }).passthrough(), z.string().min(1)]), true, now);
    return typeof result === 'string' ? result : result.sessionId;
  },
  sessions: (res: HttpResponse, now: number): BybitSession[] =>
    readReply(res, SESSIONS, z.object({ chatSession: z.array(sessionSchema).nullish() }).passthrough().nullish(), true, now)?.chatSession ?? [],
  sessionMessages: (res: HttpResponse, path: string, now: number, onBadItem: BadItem): BybitSessionMessage[] => {
    const result = readReply(res, path, sessionMessagesSchema, true, now);
    if (!result) return [];
    return parseListItems(Array.isArray(result) ? result : (result.messages ?? result.list ?? []), sessionMessageSchema, 'session chat', onBadItem);
  },
  sendSessionMessage: (res: HttpResponse, path: string, now: number): void => void readReply(res, path, z.unknown(), false, now),
  upload: (res: HttpResponse, now: number): { url: string; type?: string } => {
    const result = readReply(res, UPLOAD, uploadSchema, false, now);
    return { url: result.url, ...(result.type ? { type: result.type } : {}) };
  },
};

/** The venue's own words for the core's failure messages (429, 5xx). */
export function bybitErrorDetail(res: HttpResponse): string | undefined {
  return envelopeOf(res).message || undefined;
}

interface CallOptions {
  readonly endpoint?: string;
  readonly onProgress?: (sent: number, total: number) => void;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export class BybitRestClient {
  private readonly http: HttpClient;
  private readonly clock: Clock;
  /** Server time minus local time, learnt after a 10002. */
  private offsetMs = 0;
  /** Which spelling of the session message routes this venue answers (`/listpage` or `/listpage_v1`). */
  private sessionRouteSuffix: '' | '_v1' | undefined;
  /** A list item that is not what Bybit documents: skipped, the rest of the page kept. */
  onBadItem: ((detail: string) => void) | undefined;

  constructor(options: BybitRestOptions) {
    this.clock = options.clock ?? systemClock;
    this.http = new HttpClient({
      baseUrl: options.baseUrl,
      venue: 'Bybit',
      sign: bybitSigner(options.key, options.recvWindow ?? 5000, () => this.offsetMs),
      // Per user: 10 list calls and 5 sends a second (docs/venue-protocols.md); stay below.
      rateLimit: { capacity: 8, refillPerSecond: 8 },
      endpointLimits: { send: { capacity: 4, refillPerSecond: 4 }, upload: { capacity: 2, refillPerSecond: 1 } },
      errorDetail: bybitErrorDetail,
      timeoutMs: options.timeoutMs ?? 10_000,
      clock: options.clock,
      logger: options.logger,
    });
  }

  /** Own user id and nickname: the session API marks no message as ours, the nickname does. */
  async personalInfo(): Promise<BybitIdentity> {
    return bybitReplies.personalInfo(await this.call(PERSONAL_INFO, {}, true), this.clock.now());
  }

  async pendingOrders(page: number, size: number): Promise<{ count: number; items: BybitOrder[] }> {
    return bybitReplies.pendingOrders(await this.call(PENDING_ORDERS, { page, size }, true), this.clock.now());
  }

  async orders(params: { page: number; size: number; beginTime?: number; endTime?: number }): Promise<{ count: number; items: BybitOrder[] }> {
    const body: Record<string, string | number> = { page: params.page, size: params.size };
    if (params.beginTime !== undefined) body.beginTime = String(params.beginTime);
    if (params.endTime !== undefined) body.endTime = String(params.endTime);
    return bybitReplies.orders(await this.call(ORDERS, body, true), this.clock.now());
  }

  async orderInfo(orderId: string): Promise<BybitOrder> {
    return bybitReplies.orderInfo(await this.call(ORDER_INFO, { orderId }, true), this.clock.now());
  }

  // ---- order-scoped chat (legacy; may answer 912200387) -----------------------------------

  async orderMessages(orderId: string, currentPage: number, size: number): Promise<BybitOrderMessage[]> {
    const res = await this.call(ORDER_MESSAGES, { orderId, currentPage: String(currentPage), size: String(size) }, true);
    return bybitReplies.orderMessages(res, this.clock.now(), this.onBadItem);
  }

  /** Idempotent by `msgUuid`: a resend after an unknown outcome is the same message at Bybit. */
  async sendOrderMessage(orderId: string, msgUuid: string, input: BybitSendInput): Promise<void> {
    const body: Record<string, string> = { message: input.message, contentType: input.contentType, orderId, msgUuid };
    if (input.fileName) body.fileName = input.fileName;
    bybitReplies.sendOrderMessage(await this.call(ORDER_MESSAGE_SEND, body, false, { endpoint: 'send' }), this.clock.now());
  }

  // ---- session chat --------------------------------------------------------------------------

  async sessionIdFor(userMaskId: string): Promise<string> {
    return bybitReplies.sessionId(await this.call(SESSION_ID, { userMaskId }, true), this.clock.now());
  }

  async sessions(params: { lastId: string; size: number; readStatus: 0 | 1 | 2 }): Promise<BybitSession[]> {
    return bybitReplies.sessions(await this.call(SESSIONS, { lastId: params.lastId, size: params.size, readStatus: params.readStatus }, true), this.clock.now());
  }

  /** Newest first; `lastId` "0" is the newest page, else the smallest id of the previous page. */
  async sessionMessages(sessionId: string, lastId: string, limit: number): Promise<BybitSessionMessage[]> {
    return this.sessionRoute(SESSION_MESSAGES, { sessionId, limit: Math.min(limit, 30), lastId }, true, {}, (res, path) => bybitReplies.sessionMessages(res, path, this.clock.now(), this.onBadItem));
  }

  /** No idempotency key: an unknown outcome must be settled by reading the history back. */
  async sendSessionMessage(sessionId: string, orderId: string, input: BybitSendInput): Promise<void> {
    // `orderId` is required by the `_v1` route and harmless to the other (docs/venue-protocols.md).
    const body = { message: input.message, contentType: input.contentType, sessionId, orderId };
    await this.sessionRoute(SESSION_MESSAGE_SEND, body, false, { endpoint: 'send' }, (res, path) => bybitReplies.sendSessionMessage(res, path, this.clock.now()));
  }

  /** Uploads one file (multipart field `upload_file`, signed over the whole body); the URL may be relative. */
  async uploadFile(name: string, contentType: string, data: Uint8Array, onProgress?: (sent: number, total: number) => void, signal?: AbortSignal): Promise<{ url: string; type?: string }> {
    const form = new MultipartForm([{ name: 'upload_file', filename: name, contentType, data }]);
    return bybitReplies.upload(await this.call(UPLOAD, form, false, { endpoint: 'upload', onProgress, signal, timeoutMs: 60_000 }), this.clock.now());
  }

  dispose(): void {
    this.http.dispose();
  }

  // ---- plumbing ------------------------------------------------------------------------------

  /** The session message routes under the documented name, or `_v1` where only that answers (404). */
  private async sessionRoute<T>(path: string, body: Record<string, string | number>, idempotent: boolean, options: CallOptions, read: (res: HttpResponse, path: string) => T): Promise<T> {
    const suffixes: ('' | '_v1')[] = this.sessionRouteSuffix !== undefined ? [this.sessionRouteSuffix] : ['', '_v1'];
    let lastError: unknown;
    for (const suffix of suffixes) {
      try {
        const result = read(await this.call(`${path}${suffix}`, body, idempotent, options), `${path}${suffix}`);
        this.sessionRouteSuffix = suffix;
        return result;
      } catch (err) {
        if (!(err instanceof VenueError && err.venueCode === 404)) throw err;
        lastError = err;
      }
    }
    throw lastError;
  }

  /** One signed POST; a 10002 (the clock) re-reads the server time once and retries. */
  private async call(path: string, body: HttpBody, idempotent: boolean, options: CallOptions = {}, retried = false): Promise<HttpResponse> {
    const res = await this.http.request({
      method: 'POST',
      path,
      body,
      idempotent,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.onProgress ? { onUploadProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    if (envelopeOf(res).code === 10002 && !retried) {
      await this.syncTime();
      return this.call(path, body, idempotent, options, true);
    }
    return res;
  }

  /** Measures the offset to Bybit's clock (`GET /v5/market/time`, unsigned), half a round trip early. */
  private async syncTime(): Promise<void> {
    const sent = this.clock.now();
    const res = await this.http.request({ method: 'GET', path: '/v5/market/time', signed: false });
    const parsed = z
      .object({ time: millis.nullish(), result: z.object({ timeNano: text.nullish(), timeSecond: text.nullish() }).passthrough().nullish() })
      .passthrough()
      .safeParse(res.json);
    const serverMs = parsed.success ? (parsed.data.time ?? secondsOf(parsed.data.result?.timeSecond)) : undefined;
    if (serverMs === undefined) throw new VenueError('unavailable', l10n.t('Bybit did not tell its server time'));
    const received = this.clock.now();
    this.offsetMs = serverMs - Math.round((sent + received) / 2);
  }
}

/** A reply the core client let through, read by Bybit's envelope and `schema` (decimals kept as text). */
function readReply<T extends z.ZodType>(res: HttpResponse, path: string, schema: T, idempotent: boolean, now: number): z.output<T> {
  const { code, message } = envelopeOf(res);
  if (res.status >= 400 || (code !== undefined && code !== 0)) throw bybitError(code, message, res.status, path, limitResetIn(res, now));
  let json: unknown;
  try {
    json = parseJsonKeepingDecimals(res.bodyText);
  } catch {
    json = res.json;
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success || (envelope.data.ret_code ?? envelope.data.retCode) === undefined) {
    throw new VenueError(idempotent ? 'unavailable' : 'unknown-outcome', l10n.t('Bybit sent an unexpected reply to {0}', path));
  }
  const parsed = schema.safeParse(envelope.data.result);
  if (!parsed.success) throw new VenueError(idempotent ? 'unavailable' : 'unknown-outcome', l10n.t('Bybit sent an unexpected result for {0}: {1}', path, preview(z.prettifyError(parsed.error), MAX_VENUE_WORDS)));
  return parsed.data;
}

/** Until `X-Bapi-Limit-Reset-Timestamp` (ms), which Bybit sends with its rate-limit headers; capped at 60 s. */
function limitResetIn(res: HttpResponse, now: number): number | undefined {
  const reset = Number(res.headers['x-bapi-limit-reset-timestamp']);
  return Number.isFinite(reset) && reset > now ? Math.min(reset - now, 60_000) : undefined;
}

function secondsOf(value: string | null | undefined): number | undefined {
  return value && /^\d+$/.test(value) ? Number(value) * 1000 : undefined;
}

function listOf(result: z.output<typeof orderListSchema>): { count: number; items: BybitOrder[] } {
  const items = result.items ?? [];
  return { count: result.count ?? items.length, items };
}

/** `ret_code`/`retCode` and the message, wherever a reply carries them (error replies may not be JSON). */
function envelopeOf(res: HttpResponse): { code?: number; message: string } {
  const json = res.json;
  if (typeof json !== 'object' || json === null) return { message: '' };
  const r = json as Record<string, unknown>;
  const raw = r.ret_code ?? r.retCode;
  const code = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : undefined;
  const msg = r.ret_msg ?? r.retMsg;
  return { ...(code === undefined ? {} : { code }), message: typeof msg === 'string' ? venueWords(msg) : '' };
}

/** Bybit's codes and statuses onto what the client does about them, keeping the venue's own words. */
export function bybitError(code: number | undefined, message: string, status: number, path: string, retryAfterMs = 1000): VenueError {
  const said = message ? ` (${message})` : '';
  switch (code) {
    case 10002:
      return new VenueError('unavailable', l10n.t({ message: 'Bybit says the request time is outside the allowed window{0}; the computer\'s clock may be off.', args: [said], comment: ['{0} is empty, or Bybit\'s own words in parentheses.'] }), code);
    case 10003:
      return new VenueError('auth', l10n.t({ message: 'Bybit does not know this API key{0}. Is it a testnet key used on mainnet, or the reverse? Check the endpoint preset.', args: [said], comment: ['{0} is empty, or Bybit\'s own words in parentheses.'] }), code);
    case 10004:
      return new VenueError('auth', l10n.t({ message: 'Bybit rejected the signature{0}. Check the secret or the RSA private key.', args: [said], comment: ['{0} is empty, or Bybit\'s own words in parentheses.'] }), code);
    case 10005:
      return new VenueError('auth', l10n.t({ message: 'Bybit refused this action for the key{0}: enable the P2P permission for it.', args: [said], comment: ['{0} is empty, or Bybit\'s own words in parentheses.'] }), code);
    case 10010:
      return new VenueError('auth', l10n.t({ message: 'Bybit refused the request from this IP address{0}: add it to the key\'s IP allow-list.', args: [said], comment: ['{0} is empty, or Bybit\'s own words in parentheses.'] }), code);
    case 10006:
    case 10018:
      return new VenueError('rate-limit', l10n.t({ message: 'Bybit rate limit{0}', args: [said], comment: ['{0} is empty, or Bybit\'s own words in parentheses.'] }), code, retryAfterMs);
    case 10016:
      return new VenueError('unavailable', l10n.t({ message: 'Bybit had a server error{0}', args: [said], comment: ['{0} is empty, or Bybit\'s own words in parentheses.'] }), code);
    case LEGACY_CHAT_CLOSED:
      return new VenueError('rejected', l10n.t({ message: 'Bybit closed the order chat API for this account{0}', args: [said], comment: ['{0} is empty, or Bybit\'s own words in parentheses.'] }), code);
  }
  if (status === 401) return new VenueError('auth', l10n.t('Bybit refused the API key (HTTP 401): a testnet key on a mainnet endpoint, or the reverse?'), status);
  if (status === 403) return new VenueError('auth', l10n.t('Bybit refuses requests from this network (HTTP 403): IP addresses in the US and mainland China are blocked, or the region needs its own endpoint.'), status);
  if (status === 404) return new VenueError('rejected', l10n.t('Bybit has no {0} here (HTTP 404)', path), status);
  if (status >= 500) return new VenueError('unavailable', l10n.t({ message: 'Bybit is unavailable (HTTP {0}){1}', args: [status, said], comment: ['{1} is empty, or Bybit\'s own words in parentheses.'] }), code ?? status);
  return new VenueError('rejected', message ? l10n.t({ message: 'Bybit: {0}', args: [message], comment: ['{0} is Bybit\'s own words.'] }) : l10n.t('Bybit: code {0}', code ?? status), code ?? status);
}
