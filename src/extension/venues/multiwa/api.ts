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
import { parseRetryAfter } from '../../core/connection/retryAfter';
import type { Logger } from '../../core/logger';
import { MAX_VENUE_WORDS, preview, venueWords } from '../framePreview';
import { parseListItems } from '../listItems';
import { VenueError } from '../venue';
import { venueIdSchema } from '../venueIds';
import type { MultiwaAuth } from './auth';
import * as l10n from '@vscode/l10n';

export interface MultiwaRestOptions {
  /** The gateway as the user gave it (`http://host:3000`, with or without `/api/v1`). */
  readonly baseUrl: string;
  readonly auth: MultiwaAuth;
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

const id = venueIdSchema;
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
    return multiwaReplies.profiles(await this.raw('GET', '/profiles', undefined, true, false), this.clock.now(), this.onBadItem);
  }

  async profileStatus(profileId: string): Promise<MultiwaProfileStatus> {
    const path = `/profiles/${encodeURIComponent(profileId)}/status`;
    return multiwaReplies.profileStatus(await this.raw('GET', path, undefined, true, false), path, this.clock.now());
  }

  /** Starts the profile's WhatsApp engine; a profile that is not paired answers with a QR code on the realtime channel. */
  async connectProfile(profileId: string): Promise<string | undefined> {
    const path = `/profiles/${encodeURIComponent(profileId)}/connect`;
    return multiwaReplies.connectProfile(await this.raw('POST', path, {}, true, false), path, this.clock.now());
  }

  async conversations(profileId: string, offset: number, limit: number): Promise<{ conversations: MultiwaConversationRow[]; total: number | undefined }> {
    const res = await this.raw('GET', '/conversations', undefined, true, false, { query: { profileId, limit, offset } });
    return multiwaReplies.conversations(res, this.clock.now(), this.onBadItem);
  }

  async conversation(conversationId: string): Promise<MultiwaConversationRow> {
    const path = `/conversations/${encodeURIComponent(conversationId)}`;
    return multiwaReplies.conversation(await this.raw('GET', path, undefined, true, false, { query: { messageLimit: 1 } }), path, conversationId, this.clock.now());
  }

  /** One page of a conversation, oldest first; `before` is a message row id (strictly older rows). */
  async messages(conversationId: string, limit: number, before?: string): Promise<{ messages: MultiwaMessageRow[]; hasMore: boolean }> {
    const path = `/conversations/${encodeURIComponent(conversationId)}/messages`;
    const res = await this.raw('GET', path, undefined, true, false, { query: before ? { limit, before } : { limit } });
    return multiwaReplies.messages(res, path, conversationId, limit, this.clock.now(), this.onBadItem);
  }

  async send(profileId: string, message: MultiwaSend): Promise<MultiwaSendResult> {
    const { kind, ...fields } = message;
    return multiwaReplies.send(await this.raw('POST', `/messages/${kind}`, { profileId, ...fields }, false, false), `/messages/${kind}`, this.clock.now());
  }

  async upload(file: { name: string; mimeType: string; data: Uint8Array }, onProgress: (sent: number, total: number) => void, signal: AbortSignal): Promise<{ url: string; key?: string }> {
    const form = new MultipartForm([{ name: 'file', filename: file.name, contentType: file.mimeType, data: file.data }]);
    return multiwaReplies.upload(await this.raw('POST', UPLOAD, form, false, false, { onUploadProgress: onProgress, signal, timeoutMs: 120_000 }), this.clock.now());
  }

  /** WhatsApp read receipts (`POST /messages/mark-read`), then the gateway's own unread count. */
  async markRead(profileId: string, conversationId: string, chatJid: string, messageIds?: readonly string[]): Promise<void> {
    const res = await this.raw('POST', MARK_READ, { profileId, chatId: chatJid, ...(messageIds?.length ? { messageIds } : {}) }, true, false);
    multiwaReplies.done(res, 'POST', MARK_READ, true, this.clock.now());
    const path = `/conversations/${encodeURIComponent(conversationId)}/read`;
    multiwaReplies.done(await this.raw('PUT', path, {}, true, false), 'PUT', path, true, this.clock.now());
  }

  dispose(): void {
    this.http.dispose();
  }

  // ---- plumbing ------------------------------------------------------------------------------

  /**
   * One request with the account's credentials; a 401 on a JWT renews it once and retries. The
   * reply is read by `multiwaReplies` (the login and refresh calls read their own, auth.ts).
   */
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
      throw multiwaReplies.coreFailure(err, method, path, this.clock.now());
    }
    if (res.status === 401 && !anonymous && !retried && this.options.auth.canRenew) {
      await this.options.auth.renew();
      return this.raw(method, path, body, idempotent, anonymous, extra, true);
    }
    return res;
  }
}

const UPLOAD = '/uploads/media';
const MARK_READ = '/messages/mark-read';

type Method = 'GET' | 'POST' | 'PUT';
/** List rows that do not parse are skipped, each told here. */
type BadItem = ((detail: string) => void) | undefined;

/**
 * Each call's reading of its reply, apart from the HTTP around it: what a reply means, or the
 * VenueError it is (`now` dates a daily limit's reset). Pure, so the fuzz suite feeds them
 * generated replies (test/unit/fuzz).
 */
export const multiwaReplies = {
  profiles: (res: HttpResponse, now: number, onBadItem: BadItem): MultiwaProfile[] =>
    parseListItems(readReply(res, 'GET', '/profiles', z.array(z.unknown()), true, now), profileSchema, 'profile list', onBadItem),
  profileStatus: (res: HttpResponse, path: string, now: number): MultiwaProfileStatus => readReply(res, 'GET', path, profileStatusSchema, true, now),
  connectProfile: (res: HttpResponse, path: string, now: number): string | undefined => readReply(res, 'POST', path, z.object({ status: z.string().nullish() }).passthrough(), true, now).status ?? undefined,
  conversations: (res: HttpResponse, now: number, onBadItem: BadItem): { conversations: MultiwaConversationRow[]; total: number | undefined } => {
    const page = readReply(res, 'GET', '/conversations', z.object({ conversations: z.array(z.unknown()).nullish(), total: z.number().nullish() }).passthrough(), true, now);
    return { conversations: parseListItems(page.conversations ?? [], conversationRowSchema, 'conversation list', onBadItem), total: page.total ?? undefined };
  },
  conversation: (res: HttpResponse, path: string, conversationId: string, now: number): MultiwaConversationRow => {
    const parsed = conversationRowSchema.safeParse(readReply(res, 'GET', path, z.unknown(), true, now));
    if (!parsed.success) throw new VenueError('unavailable', l10n.t('MultiWA sent an unreadable conversation {0}', preview(conversationId, 80)));
    return parsed.data;
  },
  messages: (res: HttpResponse, path: string, conversationId: string, limit: number, now: number, onBadItem: BadItem): { messages: MultiwaMessageRow[]; hasMore: boolean } => {
    const page = readReply(res, 'GET', path, z.object({ messages: z.array(z.unknown()).nullish(), hasMore: z.boolean().nullish() }).passthrough(), true, now);
    const rows = page.messages ?? [];
    return { messages: parseListItems(rows, messageRowSchema, `conversation ${preview(conversationId, 80)}`, onBadItem), hasMore: page.hasMore ?? rows.length >= limit };
  },
  send: (res: HttpResponse, path: string, now: number): MultiwaSendResult => readReply(res, 'POST', path, sendResultSchema, false, now),
  upload: (res: HttpResponse, now: number): { url: string; key?: string } => {
    if (res.status >= 400) throw multiwaError(res, 'POST', UPLOAD, now);
    const parsed = uploadSchema.safeParse(res.json);
    if (!parsed.success) throw new VenueError('unknown-outcome', l10n.t('MultiWA sent an unreadable reply to the upload'));
    return { url: parsed.data.data.url, ...(parsed.data.data.key ? { key: parsed.data.data.key } : {}) };
  },
  /** A call whose success carries nothing the client reads. */
  done: (res: HttpResponse, method: Method, path: string, idempotent: boolean, now: number): void => void readReply(res, method, path, z.unknown(), idempotent, now),
  /** What a failure the core client raised becomes: its 429 is read again, for the gateway's daily send limit. */
  coreFailure: (err: unknown, method: Method, path: string, now: number): unknown => (err instanceof HttpRequestError && err.response?.status === 429 ? multiwaError(err.response, method, path, now) : err),
};

/** A reply the core client let through: an error status by the gateway's words, else read by `schema`. */
function readReply<T extends z.ZodType>(res: HttpResponse, method: Method, path: string, schema: T, idempotent: boolean, now: number): z.output<T> {
  if (res.status >= 400) throw multiwaError(res, method, path, now);
  const parsed = schema.safeParse(res.json);
  if (!parsed.success) {
    throw new VenueError(idempotent ? 'unavailable' : 'unknown-outcome', l10n.t('MultiWA sent an unexpected reply to {0} {1}: {2}', method, path, preview(z.prettifyError(parsed.error), MAX_VENUE_WORDS)));
  }
  return parsed.data;
}

/** The server's words: Nest puts them in `message` (a string or a list of validation messages), or `error`. */
export function errorText(res: HttpResponse): string | undefined {
  const body = res.json;
  if (typeof body !== 'object' || body === null) return venueWords(res.bodyText) || undefined;
  const record = body as Record<string, unknown>;
  const message = record['message'];
  if (Array.isArray(message)) return venueWords(message.filter((m): m is string => typeof m === 'string').join('; ')) || undefined;
  if (typeof message === 'string' && message) return venueWords(message) || undefined;
  const error = record['error'];
  return typeof error === 'string' && error ? venueWords(error) || undefined : undefined;
}

const DAILY_LIMIT = /^(COLD_)?DAILY_LIMIT_REACHED$|^COLD_CIRCUIT_OPEN$/;
const DAY_MS = 24 * 3600_000;

export function multiwaError(res: HttpResponse, method: string, path: string, now: number): VenueError {
  const said = errorText(res);
  const words = said ? `: ${said}` : '';
  const body = typeof res.json === 'object' && res.json !== null ? (res.json as Record<string, unknown>) : {};
  switch (res.status) {
    case 400:
      return new VenueError('rejected', l10n.t({ message: 'MultiWA refused {0} {1}{2}', args: [method, path, words], comment: ['{2} is empty, or a colon and the gateway\'s own words.'] }), 400);
    case 401:
      return new VenueError('auth', /expired/i.test(said ?? '') ? l10n.t({ message: 'MultiWA says the API key has expired{0}. Create a new key in the dashboard and update the account\'s keys.', args: [words], comment: ['{0} is empty, or a colon and the gateway\'s own words.'] }) : l10n.t({ message: 'MultiWA refused the credentials (HTTP 401){0}', args: [words], comment: ['{0} is empty, or a colon and the gateway\'s own words.'] }), 401);
    case 403:
      return new VenueError('auth', l10n.t({ message: 'MultiWA refused access (HTTP 403){0}: the key\'s organization does not own this WhatsApp profile, or the key lacks the scope.', args: [words], comment: ['{0} is empty, or a colon and the gateway\'s own words.'] }), 403);
    case 404:
      return new VenueError('rejected', l10n.t({ message: 'MultiWA has no {0} {1} here (HTTP 404){2}. Is the URL the gateway\'s API port (not the dashboard)?', args: [method, path, words], comment: ['{2} is empty, or a colon and the gateway\'s own words.'] }), 404);
    case 429: {
      const error = typeof body['error'] === 'string' ? body['error'] : '';
      if (DAILY_LIMIT.test(error)) {
        const resetAt = Date.parse(String(body['resetAt'] ?? body['retryAt'] ?? ''));
        // A daily limit resets within a day: a later reset (a far-off or garbled date) waits a day at most.
        const wait = Number.isFinite(resetAt) && resetAt > now ? Math.min(resetAt - now, DAY_MS) : 60 * 60_000;
        const used = typeof body['count'] === 'number' ? body['count'] : body['limit'];
                return new VenueError('rate-limit', error === 'COLD_CIRCUIT_OPEN' ? l10n.t('the gateway paused sends to new contacts (cold-send circuit open)') : dailyLimitText(typeof body['limit'] === 'number' ? { used: String(used), limit: body['limit'] } : undefined, Number.isFinite(resetAt) ? new Date(resetAt).toISOString() : undefined), 429, wait);
      }
      // Read as the core reads it (seconds or an HTTP-date), capped the same way.
      const retryAfter = parseRetryAfter(res.headers['retry-after'], now);
      return new VenueError('rate-limit', l10n.t({ message: 'MultiWA rate limit{0}', args: [words], comment: ['{0} is empty, or a colon and the gateway\'s own words.'] }), 429, retryAfter !== undefined && retryAfter > 0 ? retryAfter : 30_000);
    }
  }
  if (res.status >= 500) return new VenueError(method === 'GET' ? 'unavailable' : 'unknown-outcome', l10n.t({ message: 'MultiWA failed with HTTP {0}{1}', args: [res.status, words], comment: ['{1} is empty, or a colon and the gateway\'s own words.'] }), res.status);
  return new VenueError('rejected', l10n.t({ message: 'MultiWA answered HTTP {0}{1}', args: [res.status, words], comment: ['{1} is empty, or a colon and the gateway\'s own words.'] }), res.status);
}

/** The daily-limit text, one whole sentence for each combination of what the gateway said. */
function dailyLimitText(count: { readonly used: string; readonly limit: number } | undefined, resetAt: string | undefined): string {
  if (count && resetAt) return l10n.t({ message: 'the WhatsApp profile reached its daily message limit ({0} of {1} today); it resets {2}', args: [count.used, count.limit, resetAt], comment: ['{2} is a date and time (ISO 8601).'] });
  if (count) return l10n.t('the WhatsApp profile reached its daily message limit ({0} of {1} today); it resets later', count.used, count.limit);
  if (resetAt) return l10n.t({ message: 'the WhatsApp profile reached its daily message limit; it resets {0}', args: [resetAt], comment: ['{0} is a date and time (ISO 8601).'] });
  return l10n.t('the WhatsApp profile reached its daily message limit; it resets later');
}
