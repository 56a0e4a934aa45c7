// MEXC signed REST (venues.md B1.1-B1.3): listen keys, orders, chat conversation ids.
import axios, { type AxiosInstance } from 'axios';
import * as z from 'zod';
import { systemClock, type Clock } from '../../core/clock';
import { silentLogger, type Logger } from '../../core/logger';
import { TokenBucket } from '../../core/connection/tokenBucket';
import { VenueError } from '../venue';
import { signedQuery, type QueryValue } from './auth';

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
  private readonly http: AxiosInstance;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly bucket: TokenBucket;
  private readonly recvWindow: number;

  constructor(private readonly options: MexcRestOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.recvWindow = options.recvWindow ?? 5000;
    // MEXC allows 20 requests/s per account; stay well under it.
    this.bucket = new TokenBucket(10, 10, this.clock);
    this.http = axios.create({
      timeout: options.timeoutMs ?? 10_000,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (body: unknown) => body,
      maxRedirects: 0,
      proxy: false,
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
    await this.request('PUT', '/api/v3/userDataStream', { listenKey }, z.unknown());
  }

  async deleteListenKey(listenKey: string): Promise<void> {
    await this.request('DELETE', '/api/v3/userDataStream', { listenKey }, z.unknown());
  }

  /** One page of orders, newest first; pass the last row back as the scroll cursor. */
  async listOrders(params: { limit: number; lastCreateTime?: number; lastId?: string; startTime?: number }): Promise<MexcOrder[]> {
    const res = await this.request('GET', '/api/v3/fiat/market/order/paginationV2', { ...params }, envelope(orderListData));
    return this.unwrap(res) ?? [];
  }

  async orderDetail(orderNo: string): Promise<MexcOrder | undefined> {
    const res = await this.request('GET', '/api/v3/fiat/order/detail', { advOrderNo: orderNo }, envelope(orderRowSchema));
    return this.unwrap(res) ?? undefined;
  }

  async conversationId(orderNo: string): Promise<number> {
    const res = await this.request('GET', '/api/v3/fiat/retrieveChatConversation', { orderNo }, envelope(conversationSchema));
    const data = this.unwrap(res);
    if (!data) throw new VenueError('rejected', `MEXC returned no chat conversation for order ${orderNo}`);
    return data.conversationId;
  }

  private unwrap<T>(res: { code: number; msg?: string | null; data?: T | null }): T | null | undefined {
    if (res.code !== 0) throw venueErrorFromCode(res.code, res.msg ?? '', 200);
    return res.data;
  }

  private async request<T extends z.ZodType>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params: Record<string, QueryValue>, schema: T): Promise<z.output<T>> {
    await this.bucket.take();
    const query = signedQuery(params, this.options.credentials.secretKey, this.clock.now(), this.recvWindow);
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}${path}?${query}`;
    let status: number;
    let body: string;
    let retryAfter: string | undefined;
    try {
      const res = await this.http.request<string>({
        method,
        url,
        headers: { 'X-MEXC-APIKEY': this.options.credentials.apiKey, 'Content-Type': 'application/json' },
      });
      status = res.status;
      body = typeof res.data === 'string' ? res.data : '';
      const ra: unknown = res.headers['retry-after'];
      retryAfter = typeof ra === 'string' ? ra : undefined;
    } catch (err) {
      if (axios.isAxiosError(err) && (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT')) {
        throw new VenueError('unknown-outcome', `MEXC did not answer ${method} ${path} in time`);
      }
      const message = err instanceof Error ? err.message : String(err);
      throw new VenueError('unavailable', `cannot reach MEXC (${method} ${path}): ${message}`);
    }
    this.logger.debug(`MEXC ${method} ${path} -> HTTP ${status}`);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const venueCode = typeof json === 'object' && json !== null && 'code' in json ? (json as { code: unknown }).code : undefined;
    const venueMsg = typeof json === 'object' && json !== null && 'msg' in json ? String((json as { msg: unknown }).msg) : '';
    if (status === 429) {
      const retryMs = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 1000;
      this.bucket.penalise(retryMs);
      throw new VenueError('rate-limit', `MEXC rate limit: ${venueMsg || 'too many requests'}`, 429, retryMs);
    }
    if (status >= 400) {
      if (typeof venueCode === 'number') throw venueErrorFromCode(venueCode, venueMsg, status);
      if (status === 401 || status === 403) throw new VenueError('auth', `MEXC refused the API key (HTTP ${status})`, status);
      throw new VenueError(status >= 500 ? 'unavailable' : 'rejected', `MEXC ${method} ${path} failed with HTTP ${status}`, status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new VenueError('unknown-outcome', `MEXC sent an unexpected reply to ${method} ${path}: ${z.prettifyError(parsed.error)}`);
    }
    return parsed.data;
  }
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
