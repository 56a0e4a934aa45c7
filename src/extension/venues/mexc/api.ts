// MEXC signed REST (docs/venue-protocols.md, MEXC): listen keys, orders, chat conversation ids.
import * as z from 'zod';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import { HttpClient, type HttpMethod, type HttpResponse } from '../../core/connection/httpClient';
import { parseJsonKeepingDecimals } from '../../core/decimalJson';
import { MAX_VENUE_WORDS, preview, venueWords } from '../framePreview';
import { orderNumberSchema } from '../venueIds';
import { VenueError } from '../venue';
import { encodeQuery, signQueryString, type QueryValue } from '../hmacQuerySigning';
import * as l10n from '@vscode/l10n';

export interface MexcCredentials {
  readonly apiKey: string;
  readonly secretKey: string;
}

export interface MexcRestOptions {
  readonly baseUrl: string;
  readonly credentials: MexcCredentials;
  readonly recvWindow?: number;
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

const listenKeySchema = z.object({ listenKey: z.string().min(1) });
const listenKeysSchema = z.object({ listenKey: z.union([z.array(z.string()), z.string()]).optional() }).passthrough();

const numberish = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform((v) => Number(v));
const userInfoSchema = z.object({ nickName: z.string().nullish(), imId: z.union([z.string(), z.number()]).nullish(), memberId: z.union([z.string(), z.number()]).nullish() }).passthrough();

const orderRowSchema = z
  .object({
    advOrderNo: orderNumberSchema,
    state: z.string().nullish(),
    side: z.string().nullish(),
    coinName: z.string().nullish(),
    amount: z.union([z.string(), z.number()]).nullish(),
    tradableQuantity: z.union([z.string(), z.number()]).nullish(),
    price: z.union([z.string(), z.number()]).nullish(),
    fiatUnit: z.string().nullish(),
    createTime: numberish,
    updateTime: numberish.nullish(),
    /** Payment deadline, ms (docs/venue-protocols.md). */
    payTimeLimit: numberish.nullish(),
    userInfo: userInfoSchema.nullish(),
    merchantInfo: userInfoSchema.nullish(),
  })
  .passthrough();

export type MexcOrder = z.output<typeof orderRowSchema>;

const envelope = <T extends z.ZodType>(data: T) => z.object({ code: z.number(), msg: z.string().nullish(), data: data.nullish() });

// A page is read whole: a bad row fails the page (the sync tries again later), since a page short
// of a skipped row would read as the last one and end the paging.
const orderListData = z.union([
  z.array(orderRowSchema),
  z.object({ list: z.array(orderRowSchema) }).transform((v) => v.list),
  z.object({ data: z.array(orderRowSchema) }).transform((v) => v.data),
]);

// Sent back in every chat frame as a JSON number, so it must be a positive integer a double holds exactly.
const conversationSchema = z.object({ conversationId: z.union([z.number(), z.string().regex(/^\d+$/).transform((v) => Number(v))]).pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)) });

/** Order states in which the chat is still part of a live trade. */
export const ACTIVE_ORDER_STATES = new Set(['NOT_PAID', 'PAID', 'APPEAL', 'APPEALING', 'IN_APPEAL', 'PENDING', 'TRADING', 'BUYER_PAYED', 'WAIT_RELEASE']);

const LISTEN_KEYS = '/api/v3/userDataStream';
const ORDER_PAGE = '/api/v3/fiat/market/order/paginationV2';
const ORDER_DETAIL = '/api/v3/fiat/order/detail';
const CHAT_CONVERSATION = '/api/v3/fiat/retrieveChatConversation';

/**
 * Each call's reading of its reply, apart from the HTTP around it: what a reply means, or the
 * VenueError it is. Pure, so the fuzz suite feeds them generated replies (test/unit/fuzz).
 */
export const mexcReplies = {
  createListenKey: (res: HttpResponse): string => readReply(res, 'POST', LISTEN_KEYS, listenKeySchema).listenKey,
  listListenKeys: (res: HttpResponse): string[] => {
    const keys = readReply(res, 'GET', LISTEN_KEYS, listenKeysSchema).listenKey;
    // An empty entry is no key: reusing it would open a socket that can never authenticate.
    return (keys === undefined ? [] : Array.isArray(keys) ? keys : [keys]).filter((key) => key !== '');
  },
  listenKeyCall: (res: HttpResponse, method: 'PUT' | 'DELETE'): void => void readReply(res, method, LISTEN_KEYS, z.unknown()),
  listOrders: (res: HttpResponse): MexcOrder[] => unwrap(readReply(res, 'GET', ORDER_PAGE, envelope(orderListData), true)) ?? [],
  orderDetail: (res: HttpResponse): MexcOrder | undefined => unwrap(readReply(res, 'GET', ORDER_DETAIL, envelope(orderRowSchema), true)) ?? undefined,
  conversationId: (res: HttpResponse, orderNo: string): number => {
    const data = unwrap(readReply(res, 'GET', CHAT_CONVERSATION, envelope(conversationSchema)));
    if (!data) throw new VenueError('rejected', l10n.t('MEXC returned no chat conversation for order {0}', orderNo));
    return data.conversationId;
  },
};

/** The venue's own words for the core's failure messages (429, 5xx). */
export function mexcErrorDetail(res: HttpResponse): string | undefined {
  return envelopeOf(res).msg || undefined;
}

export class MexcRestClient {
  private readonly http: HttpClient;

  constructor(options: MexcRestOptions) {
    const recvWindow = options.recvWindow ?? 5000;
    const { apiKey, secretKey } = options.credentials;
    this.http = new HttpClient({
      baseUrl: options.baseUrl,
      venue: 'MEXC',
      headers: { 'X-MEXC-APIKEY': apiKey, 'Content-Type': 'application/json' },
      // MEXC signs the query string exactly as sent followed by the raw body (auth.ts).
      sign: ({ query, body, timestamp }) => ({ query: signQueryString(query, secretKey, timestamp, recvWindow, body.toString('utf8')) }),
      // MEXC allows 20 requests/s per account; stay well under it.
      rateLimit: { capacity: 10, refillPerSecond: 10 },
      errorDetail: mexcErrorDetail,
      timeoutMs: options.timeoutMs ?? 10_000,
      clock: options.clock,
      logger: options.logger,
    });
  }

  async createListenKey(): Promise<string> {
    return mexcReplies.createListenKey(await this.send('POST', LISTEN_KEYS, {}));
  }

  async listListenKeys(): Promise<string[]> {
    return mexcReplies.listListenKeys(await this.send('GET', LISTEN_KEYS, {}));
  }

  async keepAliveListenKey(listenKey: string): Promise<void> {
    mexcReplies.listenKeyCall(await this.send('PUT', LISTEN_KEYS, { listenKey }, true), 'PUT');
  }

  async deleteListenKey(listenKey: string): Promise<void> {
    mexcReplies.listenKeyCall(await this.send('DELETE', LISTEN_KEYS, { listenKey }, true), 'DELETE');
  }

  /** One page of orders, newest first; pass the last row back as the scroll cursor. */
  async listOrders(params: { limit: number; lastCreateTime?: number; lastId?: string; startTime?: number }): Promise<MexcOrder[]> {
    return mexcReplies.listOrders(await this.send('GET', ORDER_PAGE, { ...params }));
  }

  async orderDetail(orderNo: string): Promise<MexcOrder | undefined> {
    return mexcReplies.orderDetail(await this.send('GET', ORDER_DETAIL, { advOrderNo: orderNo }));
  }

  async conversationId(orderNo: string): Promise<number> {
    return mexcReplies.conversationId(await this.send('GET', CHAT_CONVERSATION, { orderNo }), orderNo);
  }

  /** Closes the client's pooled connections. */
  dispose(): void {
    this.http.dispose();
  }

  /**
   * One signed call. Transport failures, 5xx and 429 are classified by the core client; the reply
   * readers map the rest by MEXC's envelope. `idempotent` marks calls that are safe to repeat (the
   * listen-key keep-alive and delete), so a 5xx on them is plain unavailability, not an unknown outcome.
   */
  private send(method: HttpMethod, path: string, params: Record<string, QueryValue>, idempotent?: boolean): Promise<HttpResponse> {
    return this.http.request({ method, path, query: encodeQuery(params), idempotent });
  }
}

function unwrap<T>(res: { code: number; msg?: string | null; data?: T | null }): T | null | undefined {
  if (res.code !== 0) throw venueErrorFromCode(res.code, res.msg ?? '', 200);
  return res.data;
}

/**
 * A reply the core client let through, read by MEXC's envelope and `schema`. `decimals` reads it
 * keeping decimal numbers as their exact text (order amounts).
 */
function readReply<T extends z.ZodType>(res: HttpResponse, method: HttpMethod, path: string, schema: T, decimals?: boolean): z.output<T> {
  if (res.status >= 400) {
    const { code, msg } = envelopeOf(res);
    if (typeof code === 'number') throw venueErrorFromCode(code, msg, res.status);
    if (res.status === 401 || res.status === 403) throw new VenueError('auth', l10n.t('MEXC refused the API key (HTTP {0})', res.status), res.status);
    throw new VenueError('rejected', l10n.t('MEXC {0} {1} failed with HTTP {2}', method, path, res.status), res.status);
  }
  const parsed = schema.safeParse(decimals ? readDecimalJson(res) : res.json);
  if (!parsed.success) {
    throw new VenueError('unknown-outcome', l10n.t('MEXC sent an unexpected reply to {0} {1}: {2}', method, path, preview(z.prettifyError(parsed.error), MAX_VENUE_WORDS)));
  }
  return parsed.data;
}

/** The reply with its decimal numbers as exact strings; a body that is not JSON stays unparsed (the schema says so). */
function readDecimalJson(res: HttpResponse): unknown {
  try {
    return parseJsonKeepingDecimals(res.bodyText);
  } catch {
    return res.json;
  }
}

/** MEXC's `code` and `msg`, wherever a reply carries them (error replies may not be JSON at all). */
function envelopeOf(res: HttpResponse): { code?: unknown; msg: string } {
  const json = res.json;
  if (typeof json !== 'object' || json === null) return { msg: '' };
  const record = json as { code?: unknown; msg?: unknown };
  return { code: record.code, msg: record.msg === undefined || record.msg === null ? '' : venueWords(String(record.msg)) };
}

/** Maps MEXC codes onto what the client does about them, keeping the venue's own message. */
export function venueErrorFromCode(code: number, msg: string, status: number): VenueError {
  const text = venueWords(msg) || l10n.t({ message: 'code {0}', args: [code], comment: ['Stands in for the venue\'s own words when it gave none; {0} is its error code.'] });
  switch (code) {
    case 700002:
      return new VenueError('auth', l10n.t('MEXC rejected the signature ({0}). Check the secret key.', text), code);
    case 700003:
      return new VenueError('auth', l10n.t('MEXC rejected the timestamp ({0}). Check this computer\'s clock.', text), code);
    case 10072:
    case 400:
    case 401:
      return new VenueError('auth', l10n.t('MEXC rejected the API key ({0}).', text), code);
    case 429:
      return new VenueError('rate-limit', l10n.t('MEXC rate limit: {0}', text), code, 1000);
    default:
      if (status === 401 || status === 403) return new VenueError('auth', l10n.t('MEXC refused the request ({0}).', text), code);
      return new VenueError('rejected', l10n.t('MEXC: {0}', text), code);
  }
}
