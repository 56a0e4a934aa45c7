// MEXC signed REST (docs/venue-protocols.md, MEXC): listen keys, orders, chat conversation ids.
import * as z from 'zod';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import { HttpClient, type HttpMethod, type HttpResponse } from '../../core/connection/httpClient';
import { parseJsonKeepingDecimals } from '../../core/decimalJson';
import { VenueError } from '../venue';
import { encodeQuery, signQueryString, type QueryValue } from '../hmacQuerySigning';

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
    advOrderNo: z.union([z.string(), z.number()]).transform((v) => String(v)),
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

const orderListData = z.union([
  z.array(orderRowSchema),
  z.object({ list: z.array(orderRowSchema) }).transform((v) => v.list),
  z.object({ data: z.array(orderRowSchema) }).transform((v) => v.data),
]);

const conversationSchema = z.object({ conversationId: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform((v) => Number(v)) });

/** Order states in which the chat is still part of a live trade. */
export const ACTIVE_ORDER_STATES = new Set(['NOT_PAID', 'PAID', 'APPEAL', 'APPEALING', 'IN_APPEAL', 'PENDING', 'TRADING', 'BUYER_PAYED', 'WAIT_RELEASE']);

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
      errorDetail: (res) => envelopeOf(res).msg || undefined,
      timeoutMs: options.timeoutMs ?? 10_000,
      clock: options.clock,
      logger: options.logger,
    });
  }

  async createListenKey(): Promise<string> {
    const res = await this.request('POST', '/api/v3/userDataStream', {}, listenKeySchema);
    return res.listenKey;
  }

  async listListenKeys(): Promise<string[]> {
    const res = await this.request('GET', '/api/v3/userDataStream', {}, listenKeysSchema);
    const keys = res.listenKey;
    return keys === undefined ? [] : Array.isArray(keys) ? keys : [keys];
  }

  async keepAliveListenKey(listenKey: string): Promise<void> {
    await this.request('PUT', '/api/v3/userDataStream', { listenKey }, z.unknown(), true);
  }

  async deleteListenKey(listenKey: string): Promise<void> {
    await this.request('DELETE', '/api/v3/userDataStream', { listenKey }, z.unknown(), true);
  }

  /** One page of orders, newest first; pass the last row back as the scroll cursor. */
  async listOrders(params: { limit: number; lastCreateTime?: number; lastId?: string; startTime?: number }): Promise<MexcOrder[]> {
    const res = await this.request('GET', '/api/v3/fiat/market/order/paginationV2', { ...params }, envelope(orderListData), undefined, true);
    return this.unwrap(res) ?? [];
  }

  async orderDetail(orderNo: string): Promise<MexcOrder | undefined> {
    const res = await this.request('GET', '/api/v3/fiat/order/detail', { advOrderNo: orderNo }, envelope(orderRowSchema), undefined, true);
    return this.unwrap(res) ?? undefined;
  }

  async conversationId(orderNo: string): Promise<number> {
    const res = await this.request('GET', '/api/v3/fiat/retrieveChatConversation', { orderNo }, envelope(conversationSchema));
    const data = this.unwrap(res);
    if (!data) throw new VenueError('rejected', `MEXC returned no chat conversation for order ${orderNo}`);
    return data.conversationId;
  }

  /** Closes the client's pooled connections. */
  dispose(): void {
    this.http.dispose();
  }

  private unwrap<T>(res: { code: number; msg?: string | null; data?: T | null }): T | null | undefined {
    if (res.code !== 0) throw venueErrorFromCode(res.code, res.msg ?? '', 200);
    return res.data;
  }

  /**
   * One signed call. Transport failures, 5xx and 429 are classified by the core client; this maps
   * the rest by MEXC's envelope. `idempotent` marks calls that are safe to repeat (the listen-key
   * keep-alive and delete), so a 5xx on them is plain unavailability, not an unknown outcome.
   * `decimals` reads the reply keeping decimal numbers as their exact text (order amounts).
   */
  private async request<T extends z.ZodType>(method: HttpMethod, path: string, params: Record<string, QueryValue>, schema: T, idempotent?: boolean, decimals?: boolean): Promise<z.output<T>> {
    const res = await this.http.request({ method, path, query: encodeQuery(params), idempotent });
    if (res.status >= 400) {
      const { code, msg } = envelopeOf(res);
      if (typeof code === 'number') throw venueErrorFromCode(code, msg, res.status);
      if (res.status === 401 || res.status === 403) throw new VenueError('auth', `MEXC refused the API key (HTTP ${res.status})`, res.status);
      throw new VenueError('rejected', `MEXC ${method} ${path} failed with HTTP ${res.status}`, res.status);
    }
    const parsed = schema.safeParse(decimals ? readDecimalJson(res) : res.json);
    if (!parsed.success) {
      throw new VenueError('unknown-outcome', `MEXC sent an unexpected reply to ${method} ${path}: ${z.prettifyError(parsed.error)}`);
    }
    return parsed.data;
  }
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
  return { code: record.code, msg: record.msg === undefined || record.msg === null ? '' : String(record.msg) };
}

/** Maps MEXC codes onto what the client does about them, keeping the venue's own message. */
export function venueErrorFromCode(code: number, msg: string, status: number): VenueError {
  const text = msg || `code ${code}`;
  switch (code) {
    case 700002:
      return new VenueError('auth', `MEXC rejected the signature (${text}). Check the secret key.`, code);
    case 700003:
      return new VenueError('auth', `MEXC rejected the timestamp (${text}). Check this computer's clock.`, code);
    case 10072:
    case 400:
    case 401:
      return new VenueError('auth', `MEXC rejected the API key (${text}).`, code);
    case 429:
      return new VenueError('rate-limit', `MEXC rate limit: ${text}`, code, 1000);
    default:
      if (status === 401 || status === 403) return new VenueError('auth', `MEXC refused the request (${text}).`, code);
      return new VenueError('rejected', `MEXC: ${text}`, code);
  }
}
