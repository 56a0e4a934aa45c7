// Binance C2C signed REST (docs/venue-protocols.md, Binance): the chat credential, order lists,
// chat history, mark read and the image pre-signed URL. SAPI signing: `X-MBX-APIKEY` header,
// `timestamp`/`recvWindow` and the hex HMAC-SHA256 `signature` last, over the query string only
// (JSON bodies go unsigned); the `clientType` header on every call. A -1021 (timestamp outside the
// window) re-reads the server time once and retries with the measured offset.
import * as z from 'zod';
import type { Clock } from '../../core/clock';
import { systemClock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import { HttpClient, type HttpMethod, type HttpResponse } from '../../core/connection/httpClient';
import type { JsonBody } from '../../core/connection/httpBody';
import { parseJsonKeepingDecimals } from '../../core/decimalJson';
import { orderNumberSchema } from '../venueIds';
import { VenueError } from '../venue';
import { encodeQuery, signQueryString, type QueryValue } from '../hmacQuerySigning';
import { MAX_VENUE_WORDS, preview, venueWords } from '../framePreview';
import { chatMessageSchema } from './stream';
import * as l10n from '@vscode/l10n';

export interface BinanceCredentials {
  readonly apiKey: string;
  readonly secretKey: string;
}

export interface BinanceRestOptions {
  readonly baseUrl: string;
  readonly credentials: BinanceCredentials;
  readonly recvWindow?: number;
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

const idText = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));
const decimalText = z.union([z.string(), z.number()]).transform((v) => String(v));
const millis = z.union([z.number(), z.string().regex(/^\d+$/)]).transform((v) => Number(v));

const credentialSchema = z.object({ chatWssUrl: z.string().min(1), listenKey: z.string().min(1), listenToken: z.string().min(1) });
export type ChatCredential = z.output<typeof credentialSchema>;

const orderSchema = z
  .object({
    orderNumber: orderNumberSchema,
    advNo: idText.nullish(),
    tradeType: z.string().nullish(),
    asset: z.string().nullish(),
    fiat: z.string().nullish(),
    fiatSymbol: z.string().nullish(),
    amount: decimalText.nullish(),
    totalPrice: decimalText.nullish(),
    unitPrice: decimalText.nullish(),
    /** String (history: "TRADING") or number (listOrders: 1 = TRADING, docs/venue-protocols.md). */
    orderStatus: z.union([z.string(), z.number()]).nullish(),
    createTime: millis,
    counterPartNickName: z.string().nullish(),
    /** listOrders rows (third-party types) name both sides instead of the counterparty. */
    buyerNickname: z.string().nullish(),
    sellerNickname: z.string().nullish(),
    advertisementRole: z.string().nullish(),
    /** Payment deadline, ms, where the venue gives one. */
    notifyPayEndTime: millis.nullish(),
  })
  .passthrough();
export type BinanceOrder = z.output<typeof orderSchema>;

export type BinanceChatMessage = z.output<typeof chatMessageSchema>;

const preSignedSchema = z
  .object({ preSignedUrl: z.string().nullish(), uploadUrl: z.string().nullish(), imageUrl: z.string().min(1) })
  .passthrough()
  .transform((v, ctx) => {
    // The sources name the upload target either way (docs/venue-protocols.md): read both.
    const target = v.preSignedUrl ?? v.uploadUrl;
    if (!target) {
      ctx.addIssue({ code: 'custom', message: 'neither preSignedUrl nor uploadUrl' });
      return z.NEVER;
    }
    return { uploadUrl: target, imageUrl: v.imageUrl };
  });

/** C2C business replies: string code "000000" for success (docs/venue-protocols.md). */
const businessEnvelope = <T extends z.ZodType>(data: T) =>
  z.object({ code: z.union([z.string(), z.number()]), message: z.string().nullish(), data: data.nullish(), total: z.number().nullish(), success: z.boolean().nullish() });

export interface ChatPage {
  readonly messages: BinanceChatMessage[];
  readonly total?: number;
}

/** List items that do not parse are skipped, each told here. */
type BadItem = ((detail: string) => void) | undefined;

const CHAT_CREDENTIAL = '/sapi/v1/c2c/chat/retrieveChatCredential';
const ACTIVE_ORDERS = '/sapi/v1/c2c/orderMatch/listOrders';
const ORDER_HISTORY = '/sapi/v1/c2c/orderMatch/listUserOrderHistory';
const CHAT_PAGE = '/sapi/v1/c2c/chat/retrieveChatMessagesWithPagination';
const MARK_READ = '/sapi/v1/c2c/chat/markOrderMessagesAsRead';
const PRE_SIGNED_URL = '/sapi/v1/c2c/chat/image/pre-signed-url';

/**
 * Each call's reading of its reply, apart from the HTTP around it: what a reply means, or the
 * VenueError it is. Pure, so the fuzz suite feeds them generated replies (test/unit/fuzz).
 */
export const binanceReplies = {
  chatCredential: (res: HttpResponse): ChatCredential => {
    const credential = unwrap(readReply(res, 'GET', CHAT_CREDENTIAL, businessEnvelope(credentialSchema)));
    if (!credential) throw new VenueError('unavailable', l10n.t('Binance returned no chat credential'));
    return credential;
  },
  // Order pages are read whole: a bad row fails the page (the sync tries again later), since a page
  // short of a skipped row would read as the last one and end the paging.
  activeOrders: (res: HttpResponse): BinanceOrder[] => unwrap(readReply(res, 'POST', ACTIVE_ORDERS, businessEnvelope(z.array(orderSchema)))) ?? [],
  orderHistory: (res: HttpResponse): BinanceOrder[] => unwrap(readReply(res, 'GET', ORDER_HISTORY, businessEnvelope(z.array(orderSchema)))) ?? [],
  /** History items of a bad shape are skipped, each told to `onBadItem`. */
  chatPage: (res: HttpResponse, orderNo: string, onBadItem: BadItem): ChatPage => {
    const reply = readReply(res, 'GET', CHAT_PAGE, businessEnvelope(z.array(z.unknown())));
    const items: BinanceChatMessage[] = [];
    for (const raw of unwrap(reply) ?? []) {
      const parsed = chatMessageSchema.safeParse(raw);
      if (parsed.success) items.push(parsed.data);
      else onBadItem?.(`history of order ${orderNo}: ${preview(z.prettifyError(parsed.error), MAX_VENUE_WORDS)}`);
    }
    return { messages: items, total: reply.total ?? undefined };
  },
  markOrderRead: (res: HttpResponse): void => void unwrap(readReply(res, 'POST', MARK_READ, businessEnvelope(z.unknown()))),
  preSignedUrl: (res: HttpResponse): { uploadUrl: string; imageUrl: string } => {
    const data = unwrap(readReply(res, 'POST', PRE_SIGNED_URL, businessEnvelope(preSignedSchema)));
    if (!data) throw new VenueError('unknown-outcome', l10n.t('Binance returned no upload URL'));
    return data;
  },
  imageUpload: (res: HttpResponse): void => {
    if (res.status >= 400) throw new VenueError(res.status === 403 ? 'rejected' : 'unavailable', l10n.t('the image upload failed with HTTP {0}', res.status), res.status);
  },
};

/** The venue's own words for the core's failure messages (429, 5xx). */
export function binanceErrorDetail(res: HttpResponse): string | undefined {
  return envelopeOf(res).message || undefined;
}

export class BinanceRestClient {
  private readonly http: HttpClient;
  private readonly clock: Clock;
  /** Server time minus local time, learnt after a -1021. */
  private offsetMs = 0;
  /** Learns of history items it had to skip (bad shape): reported as bad input by the adapter. */
  onBadItem: ((detail: string) => void) | undefined;

  constructor(options: BinanceRestOptions) {
    const recvWindow = options.recvWindow ?? 5000;
    const { apiKey, secretKey } = options.credentials;
    this.clock = options.clock ?? systemClock;
    this.http = new HttpClient({
      baseUrl: options.baseUrl,
      venue: 'Binance',
      headers: { 'X-MBX-APIKEY': apiKey, clientType: 'web' },
      // JSON bodies are not part of what Binance signs; the query string is, exactly as sent.
      sign: ({ query, timestamp }) => ({ query: signQueryString(query, secretKey, timestamp + this.offsetMs, recvWindow) }),
      // SAPI weights are per IP and UID. The image URL's 36 per minute is ImageUrlQuota's (the adapter's).
      rateLimit: { capacity: 10, refillPerSecond: 10 },
      errorDetail: binanceErrorDetail,
      timeoutMs: options.timeoutMs ?? 10_000,
      clock: options.clock,
      logger: options.logger,
    });
  }

  /** A fresh chat credential: the listen token in it is good for one connection only. */
  async chatCredential(): Promise<ChatCredential> {
    return binanceReplies.chatCredential(await this.send('GET', CHAT_CREDENTIAL, {}, undefined, true));
  }

  /** Orders in progress, one page (numeric statuses 1 TRADING, 2 BUYER_PAYED, 3 APPEALING). */
  async activeOrders(page: number, rows: number): Promise<BinanceOrder[]> {
    return binanceReplies.activeOrders(await this.send('POST', ACTIVE_ORDERS, {}, { page, rows, orderStatusList: [1, 2, 3] }, true));
  }

  /** Order history in one window of at most 30 days, one page. */
  async orderHistory(params: { startTimestamp: number; endTimestamp: number; page: number; rows: number }): Promise<BinanceOrder[]> {
    return binanceReplies.orderHistory(await this.send('GET', ORDER_HISTORY, { ...params }, undefined, true));
  }

  /** One page of an order's chat, newest first; `olderThanId` asks for messages before that id. */
  async chatMessages(params: { orderNo: string; page: number; rows: number; olderThanId?: string }): Promise<ChatPage> {
    const res = await this.send('GET', CHAT_PAGE, { page: params.page, rows: params.rows, orderNo: params.orderNo, id: params.olderThanId }, undefined, true);
    return binanceReplies.chatPage(res, params.orderNo, this.onBadItem);
  }

  async markOrderRead(orderNo: string, userId?: string): Promise<void> {
    binanceReplies.markOrderRead(await this.send('POST', MARK_READ, {}, userId ? { orderNo, userId } : { orderNo }, true));
  }

  async preSignedUrl(imageName: string): Promise<{ uploadUrl: string; imageUrl: string }> {
    return binanceReplies.preSignedUrl(await this.send('POST', PRE_SIGNED_URL, {}, { imageName }, false));
  }

  /** PUTs the bytes to the pre-signed URL (an absolute URL, not signed again). */
  async putImage(uploadUrl: string, bytes: Uint8Array, contentType: string, progress: (sent: number, total: number) => void, signal: AbortSignal): Promise<void> {
    const res = await this.http.request({ method: 'PUT', path: uploadUrl, body: bytes, headers: { 'Content-Type': contentType }, signed: false, expectJson: false, idempotent: true, onUploadProgress: progress, signal, timeoutMs: 60_000 });
    binanceReplies.imageUpload(res);
  }

  dispose(): void {
    this.http.dispose();
  }

  /** One signed call; a -1021 (the clock) re-reads the server time once and retries. */
  private async send(method: HttpMethod, path: string, query: Record<string, QueryValue>, body: JsonBody | undefined, idempotent: boolean, retried = false): Promise<HttpResponse> {
    const res = await this.http.request({ method, path, query: encodeQuery(query), ...(body === undefined ? {} : { body }), idempotent });
    if (res.status >= 400 && envelopeOf(res).code === -1021 && !retried) {
      await this.syncTime();
      return this.send(method, path, query, body, idempotent, true);
    }
    return res;
  }

  /** Measures the offset to Binance's clock (`GET /api/v3/time`, unsigned), half a round trip early. */
  private async syncTime(): Promise<void> {
    const sent = this.clock.now();
    const res = await this.http.request({ method: 'GET', path: '/api/v3/time', signed: false });
    const parsed = z.object({ serverTime: z.number() }).safeParse(res.json);
    if (!parsed.success) throw new VenueError('unavailable', l10n.t('Binance did not tell its server time'));
    const received = this.clock.now();
    this.offsetMs = parsed.data.serverTime - Math.round((sent + received) / 2);
  }
}

function unwrap<T>(res: { code: string | number; message?: string | null; data?: T | null }): T | null | undefined {
  if (String(res.code) !== '000000') throw venueErrorFromCode(res.code, res.message ?? '', 200);
  return res.data;
}

/** A reply the core client let through, read by Binance's envelope and `schema` (decimals kept as text). */
function readReply<T extends z.ZodType>(res: HttpResponse, method: HttpMethod, path: string, schema: T): z.output<T> {
  if (res.status >= 400) {
    const { code, message } = envelopeOf(res);
    if (code !== undefined) throw venueErrorFromCode(code, message, res.status);
    if (res.status === 401 || res.status === 403) throw new VenueError('auth', l10n.t('Binance refused the API key (HTTP {0}): is the C2C permission enabled for it?', res.status), res.status);
    throw new VenueError('rejected', l10n.t('Binance {0} {1} failed with HTTP {2}', method, path, res.status), res.status);
  }
  let json: unknown;
  try {
    json = parseJsonKeepingDecimals(res.bodyText);
  } catch {
    json = res.json;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new VenueError('unknown-outcome', l10n.t('Binance sent an unexpected reply to {0} {1}: {2}', method, path, preview(z.prettifyError(parsed.error), MAX_VENUE_WORDS)));
  return parsed.data;
}

/** `code` and `msg`/`message` wherever a reply carries them (error replies may not be JSON at all). */
function envelopeOf(res: HttpResponse): { code?: string | number; message: string } {
  const json = res.json;
  if (typeof json !== 'object' || json === null) return { message: '' };
  const r = json as { code?: unknown; msg?: unknown; message?: unknown };
  const code = typeof r.code === 'number' || typeof r.code === 'string' ? r.code : undefined;
  const text = r.msg ?? r.message;
  return { ...(code === undefined ? {} : { code }), message: text === undefined || text === null ? '' : venueWords(String(text)) };
}

/** Binance's codes onto what the client does about them, keeping the venue's own message. */
export function venueErrorFromCode(code: string | number, message: string, status: number): VenueError {
  const text = venueWords(message) || l10n.t({ message: 'code {0}', args: [venueWords(String(code))], comment: ['Stands in for the venue\'s own words when it gave none; {0} is its error code.'] });
  switch (code) {
    case -1022:
      return new VenueError('auth', l10n.t('Binance rejected the signature ({0}). Check the secret key.', text), code);
    case -2014:
      return new VenueError('auth', l10n.t('Binance did not recognise the API key format ({0}).', text), code);
    case -2015:
      return new VenueError('auth', l10n.t('Binance refused the API key ({0}). Check the key, its IP allow-list and that the C2C (P2P) permission is enabled.', text), code);
    case -1021:
      return new VenueError('unavailable', l10n.t('Binance says the request time is outside the allowed window ({0}); the computer\'s clock may be off.', text), code);
    case -1003:
    case -1015:
      return new VenueError('rate-limit', l10n.t('Binance rate limit: {0}', text), code);
    default:
      if (status === 429 || status === 418) return new VenueError('rate-limit', l10n.t('Binance rate limit: {0}', text), code);
      if (status >= 500) return new VenueError('unavailable', l10n.t('Binance is unavailable: {0}', text), code);
      return new VenueError('rejected', l10n.t('Binance: {0}', text), code);
  }
}
