// MultiWA REST (docs/venue-protocols.md, MultiWA): profiles, conversations, history, sends, the
// upload and read receipts, under `<gateway>/api/v1`. Auth is an `x-api-key` header, or a JWT from
// `POST /auth/login` renewed through `POST /auth/refresh` before it expires (`auth.ts`). Replies are
// the raw objects the server's controllers return (no `{success, data}` wrapper, whatever the docs
// say); errors are the framework's defaults (400 with a message list, 401, 403, 404, 429).
import * as z from 'zod';
import { systemClock, type Clock } from '../../core/clock';
import { HttpClient, HttpRequestError, type HttpResponse } from '../../core/connection/httpClient';
import type { HttpBody, QueryValue } from '../../core/connection/httpBody';
import { MultipartForm } from '../../core/connection/multipart';
import type { Logger } from '../../core/logger';
import { parseListItems } from '../listItems';
import { VenueError } from '../venue';
import type { MultiwaAuth } from './auth';

export interface MultiwaRestOptions {
  /** The gateway as the user gave it (`http://host:3000`, with or without `/api/v1`). */
  readonly baseUrl: string;
  readonly auth: MultiwaAuth;
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

const id = z.union([z.string().min(1), z.number()]).transform((v) => String(v));
const isoTime = z.union([z.string(), z.number()]).nullish();

const profileSchema = z
  .object({
    id,
    displayName: z.string().nullish(),
    name: z.string().nullish(),
    status: z.string().nullish(),
    phoneNumber: z.string().nullish(),
    phone: z.string().nullish(),
  })
  .passthrough();
export type MultiwaProfile = z.output<typeof profileSchema>;

const profileStatusSchema = z
  .object({ id: id.nullish(), status: z.string().nullish(), phone: z.string().nullish(), engineConnected: z.boolean().nullish() })
  .passthrough();
export type MultiwaProfileStatus = z.output<typeof profileStatusSchema>;

/** A message row (the server's `Message` model). `content` is per-type JSON, read in messageMapping.ts. */
export const messageRowSchema = z
  .object({
    id,
    profileId: id.nullish(),
    conversationId: id,
    messageId: z.string().nullish(),
    direction: z.string().nullish(),
    senderJid: z.string().nullish(),
    type: z.string().nullish(),
    content: z.unknown().optional(),
    status: z.string().nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
    timestamp: isoTime,
    createdAt: isoTime,
    quotedMessageId: z.string().nullish(),
  })
  .passthrough();
export type MultiwaMessageRow = z.output<typeof messageRowSchema>;

export const conversationRowSchema = z
  .object({
    id,
    profileId: id.nullish(),
    jid: z.string().min(1),
    name: z.string().nullish(),
    type: z.string().nullish(),
    unreadCount: z.number().int().nonnegative().nullish(),
    lastMessageAt: isoTime,
    contactName: z.string().nullish(),
    contactPhone: z.string().nullish(),
    lastMessage: z.unknown().optional(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  })
  .passthrough();
export type MultiwaConversationRow = z.output<typeof conversationRowSchema>;

const sendResultSchema = z
  .object({
    success: z.boolean().nullish(),
    messageId: z.string().nullish(),
    conversationId: z.string().nullish(),
    status: z.string().nullish(),
    waMessageId: z.string().nullish(),
    warning: z.string().nullish(),
    error: z.string().nullish(),
  })
  .passthrough();
export type MultiwaSendResult = z.output<typeof sendResultSchema>;

const uploadSchema = z
  .object({
    success: z.boolean().nullish(),
    data: z.object({ url: z.string().min(1), key: z.string().nullish(), size: z.number().nullish(), filename: z.string().nullish(), mimeType: z.string().nullish(), type: z.string().nullish() }).passthrough(),
  })
  .passthrough();

/** The kinds `POST /messages/<kind>` takes, with their bodies. */
export type MultiwaSend =
  | { readonly kind: 'text'; readonly to: string; readonly text: string; readonly quotedMessageId?: string }
  | { readonly kind: 'reply'; readonly quotedMessageId: string; readonly text: string }
  | { readonly kind: 'image' | 'video'; readonly to: string; readonly url: string; readonly caption?: string; readonly mimetype?: string }
  | { readonly kind: 'audio'; readonly to: string; readonly url: string; readonly mimetype?: string; readonly ptt?: boolean }
  | { readonly kind: 'document'; readonly to: string; readonly url: string; readonly filename: string; readonly caption?: string; readonly mimetype?: string }
  | { readonly kind: 'location'; readonly to: string; readonly latitude: number; readonly longitude: number; readonly name?: string; readonly address?: string }
  | { readonly kind: 'contact'; readonly to: string; readonly contacts: readonly { readonly name: string; readonly phone: string; readonly email?: string }[] };

/** The gateway's REST root: the URL as given, with `/api/v1` added unless it is there already. */
export function apiRootOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = /\/api\/v1$/.test(path) ? path : `${path}/api/v1`;
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** 120 requests a minute, the gateway's default throttle for one route. */
const ROUTE_LIMIT = { capacity: 20, refillPerSecond: 2 } as const;
const SEND_KINDS = ['text', 'reply', 'image', 'video', 'audio', 'document', 'location', 'contact', 'mark-read'] as const;
/** The routes this client calls, as the gateway's throttler tells them apart. */
const ROUTES = [
  'GET /profiles',
  'GET /profiles/:id/status',
  'POST /profiles/:id/connect',
  'GET /conversations',
  'GET /conversations/:id',
  'GET /conversations/:id/messages',
  'PUT /conversations/:id/read',
  'POST /uploads/media',
  ...SEND_KINDS.map((kind) => `POST /messages/${kind}`),
];

/** The throttler's route of a request: ids in the path are one route. */
export function routeOf(method: string, path: string): string {
  return `${method} ${path.split('?')[0]!.replace(/^\/(conversations|profiles)\/[^/]+/, '/$1/:id')}`;
}

export class MultiwaRestClient {
  private readonly http: HttpClient;
  private readonly clock: Clock;
  /** Rows a list reply carried that did not parse; the caller reports them. */
  onBadItem: ((detail: string) => void) | undefined;

  constructor(private readonly options: MultiwaRestOptions) {
    this.clock = options.clock ?? systemClock;
    this.http = new HttpClient({
      baseUrl: apiRootOf(options.baseUrl),
      venue: 'MultiWA',
      timeoutMs: options.timeoutMs ?? 15_000,
      // The gateway throttles at 120 requests a minute per IP and route (its throttler keys by
      // handler): each route has its own bucket, so a 429 on one (its Retry-After can be a whole
      // minute) does not hold up sends or history reads on the others.
      rateLimit: ROUTE_LIMIT,
      endpointLimits: Object.fromEntries(ROUTES.map((route) => [route, ROUTE_LIMIT])),
      errorDetail: (res) => errorText(res),
      clock: this.clock,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    options.auth.attach((req) => this.raw(req.method, req.path, req.body, false, true));
  }

  async profiles(): Promise<MultiwaProfile[]> {
    const rows = await this.get('/profiles', z.array(z.unknown()));
    return this.items(rows, profileSchema, 'profile list');
  }

  profileStatus(profileId: string): Promise<MultiwaProfileStatus> {
    return this.get(`/profiles/${encodeURIComponent(profileId)}/status`, profileStatusSchema);
  }

  /** Starts the profile's WhatsApp engine; a profile that is not paired answers with a QR code on the realtime channel. */
  async connectProfile(profileId: string): Promise<string | undefined> {
    const res = await this.call('POST', `/profiles/${encodeURIComponent(profileId)}/connect`, {}, z.object({ status: z.string().nullish() }).passthrough(), true);
    return res.status ?? undefined;
  }

  async conversations(profileId: string, offset: number, limit: number): Promise<{ conversations: MultiwaConversationRow[]; total: number | undefined }> {
    const res = await this.get('/conversations', z.object({ conversations: z.array(z.unknown()).nullish(), total: z.number().nullish() }).passthrough(), { profileId, limit, offset });
    return { conversations: this.items(res.conversations ?? [], conversationRowSchema, 'conversation list'), total: res.total ?? undefined };
  }

  async conversation(conversationId: string): Promise<MultiwaConversationRow> {
    const res = await this.get(`/conversations/${encodeURIComponent(conversationId)}`, z.unknown(), { messageLimit: 1 });
    const parsed = conversationRowSchema.safeParse(res);
    if (!parsed.success) throw new VenueError('unavailable', `MultiWA sent an unreadable conversation ${conversationId}`);
    return parsed.data;
  }

  /** One page of a conversation, oldest first; `before` is a message row id (strictly older rows). */
  async messages(conversationId: string, limit: number, before?: string): Promise<{ messages: MultiwaMessageRow[]; hasMore: boolean }> {
    const res = await this.get(
      `/conversations/${encodeURIComponent(conversationId)}/messages`,
      z.object({ messages: z.array(z.unknown()).nullish(), hasMore: z.boolean().nullish() }).passthrough(),
      before ? { limit, before } : { limit },
    );
    const rows = res.messages ?? [];
    return { messages: this.items(rows, messageRowSchema, `conversation ${conversationId}`), hasMore: res.hasMore ?? rows.length >= limit };
  }

  async send(profileId: string, message: MultiwaSend): Promise<MultiwaSendResult> {
    const { kind, ...fields } = message;
    return this.call('POST', `/messages/${kind}`, { profileId, ...fields }, sendResultSchema, false);
  }

  async upload(file: { name: string; mimeType: string; data: Uint8Array }, onProgress: (sent: number, total: number) => void, signal: AbortSignal): Promise<{ url: string; key?: string }> {
    const form = new MultipartForm([{ name: 'file', filename: file.name, contentType: file.mimeType, data: file.data }]);
    const res = await this.raw('POST', '/uploads/media', form, false, false, { onUploadProgress: onProgress, signal, timeoutMs: 120_000 });
    const parsed = uploadSchema.safeParse(res.json);
    if (!parsed.success) throw new VenueError('unknown-outcome', 'MultiWA sent an unreadable reply to the upload');
    return { url: parsed.data.data.url, ...(parsed.data.data.key ? { key: parsed.data.data.key } : {}) };
  }

  /** WhatsApp read receipts (`POST /messages/mark-read`), then the gateway's own unread count. */
  async markRead(profileId: string, conversationId: string, chatJid: string, messageIds?: readonly string[]): Promise<void> {
    await this.call('POST', '/messages/mark-read', { profileId, chatId: chatJid, ...(messageIds?.length ? { messageIds } : {}) }, z.unknown(), true);
    await this.call('PUT', `/conversations/${encodeURIComponent(conversationId)}/read`, {}, z.unknown(), true);
  }

  dispose(): void {
    this.http.dispose();
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private get<T extends z.ZodType>(path: string, schema: T, query?: Readonly<Record<string, QueryValue>>): Promise<z.output<T>> {
    return this.call('GET', path, undefined, schema, true, query);
  }

  private async call<T extends z.ZodType>(method: 'GET' | 'POST' | 'PUT', path: string, body: HttpBody | undefined, schema: T, idempotent: boolean, query?: Readonly<Record<string, QueryValue>>): Promise<z.output<T>> {
    const res = await this.raw(method, path, body, idempotent, false, query ? { query } : {});
    const parsed = schema.safeParse(res.json);
    if (!parsed.success) {
      throw new VenueError(idempotent ? 'unavailable' : 'unknown-outcome', `MultiWA sent an unexpected reply to ${method} ${path}: ${z.prettifyError(parsed.error).slice(0, 300)}`);
    }
    return parsed.data;
  }

  /** One request with the account's credentials; a 401 on a JWT renews it once and retries. */
  private async raw(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body: HttpBody | undefined,
    idempotent: boolean,
    anonymous: boolean,
    extra: { query?: Readonly<Record<string, QueryValue>>; onUploadProgress?: (sent: number, total: number) => void; signal?: AbortSignal; timeoutMs?: number } = {},
    retried = false,
  ): Promise<HttpResponse> {
    const headers = anonymous ? {} : await this.options.auth.headers();
    let res: HttpResponse;
    try {
      res = await this.http.request({ method, path, body, idempotent, headers, signed: false, endpoint: routeOf(method, path), ...extra });
    } catch (err) {
      // The core classifies 429 itself; the gateway's daily send limit needs its body read.
      if (err instanceof HttpRequestError && err.response?.status === 429) throw multiwaError(err.response, method, path, this.clock.now());
      throw err;
    }
    if (res.status === 401 && !anonymous && !retried && this.options.auth.canRenew) {
      await this.options.auth.renew();
      return this.raw(method, path, body, idempotent, anonymous, extra, true);
    }
    // The login and refresh calls read their own failures (auth.ts).
    if (res.status >= 400 && !anonymous) throw multiwaError(res, method, path, this.clock.now());
    return res;
  }

  private items<T extends z.ZodType>(rows: readonly unknown[], schema: T, where: string): z.output<T>[] {
    return parseListItems(rows, schema, where, this.onBadItem);
  }
}

/** The server's words: Nest puts them in `message` (a string or a list of validation messages), or `error`. */
export function errorText(res: HttpResponse): string | undefined {
  const body = res.json;
  if (typeof body !== 'object' || body === null) return res.bodyText.slice(0, 200) || undefined;
  const record = body as Record<string, unknown>;
  const message = record['message'];
  if (Array.isArray(message)) return message.filter((m): m is string => typeof m === 'string').join('; ') || undefined;
  if (typeof message === 'string' && message) return message;
  const error = record['error'];
  return typeof error === 'string' && error ? error : undefined;
}

const DAILY_LIMIT = /^(COLD_)?DAILY_LIMIT_REACHED$|^COLD_CIRCUIT_OPEN$/;

export function multiwaError(res: HttpResponse, method: string, path: string, now: number): VenueError {
  const said = errorText(res);
  const words = said ? `: ${said}` : '';
  const body = typeof res.json === 'object' && res.json !== null ? (res.json as Record<string, unknown>) : {};
  switch (res.status) {
    case 400:
      return new VenueError('rejected', `MultiWA refused ${method} ${path}${words}`, 400);
    case 401:
      return new VenueError('auth', /expired/i.test(said ?? '') ? `MultiWA says the API key has expired${words}. Create a new key in the dashboard and update the account's keys.` : `MultiWA refused the credentials (HTTP 401)${words}`, 401);
    case 403:
      return new VenueError('auth', `MultiWA refused access (HTTP 403)${words}: the key's organization does not own this WhatsApp profile, or the key lacks the scope.`, 403);
    case 404:
      return new VenueError('rejected', `MultiWA has no ${method} ${path} here (HTTP 404)${words}. Is the URL the gateway's API port (not the dashboard)?`, 404);
    case 429: {
      const error = typeof body['error'] === 'string' ? body['error'] : '';
      if (DAILY_LIMIT.test(error)) {
        const resetAt = Date.parse(String(body['resetAt'] ?? body['retryAt'] ?? ''));
        const wait = Number.isFinite(resetAt) && resetAt > now ? resetAt - now : 60 * 60_000;
        const limit = typeof body['limit'] === 'number' ? ` (${String(body['count'] ?? body['limit'])} of ${body['limit']} today)` : '';
        return new VenueError('rate-limit', error === 'COLD_CIRCUIT_OPEN' ? 'the gateway paused sends to new contacts (cold-send circuit open)' : `the WhatsApp profile reached its daily message limit${limit}; it resets ${Number.isFinite(resetAt) ? new Date(resetAt).toISOString() : 'later'}`, 429, wait);
      }
      const retryAfter = Number(res.headers['retry-after']);
      return new VenueError('rate-limit', `MultiWA rate limit${words}`, 429, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 30_000);
    }
  }
  if (res.status >= 500) return new VenueError(method === 'GET' ? 'unavailable' : 'unknown-outcome', `MultiWA failed with HTTP ${res.status}${words}`, res.status);
  return new VenueError('rejected', `MultiWA answered HTTP ${res.status}${words}`, res.status);
}
