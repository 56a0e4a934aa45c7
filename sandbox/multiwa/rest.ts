// The REST API under /api/v1 as the gateway's Nest/Fastify stack answers it: the fault switches,
// then the global throttler (per IP and route: 120 a minute; login 5, refresh 10), then the
// `['jwt', 'api-key']` guard and the tenant guard, then the route. Errors are Nest's defaults
// (`{statusCode, message, error}`), Fastify's for bodies it cannot read.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, headerValue, pathOf, rawQueryOf, readBody, readBytesUpTo, sendJson } from '../util/http';
import { multipartBoundary, parseMultipart } from '../util/multipart';
import { SlidingWindowLimiter } from '../util/rateLimiter';
import type { MediaFile } from '../util/media';
import type { AuthService, Principal } from './auth';
import type { MultiwaSettings } from './emulator';
import { noteEchoed } from '../util/secretEcho';
import type { FaultState } from './faults';
import type { RequestRecord } from './records';
import { redactQuery } from './records';
import type { SendOutcome } from './sendService';
import { conversationJson, messageJson, profileJson, type ConversationRow, type JsonObject, type MultiwaStore, type ProfileRow, type User } from './store';
import { FILE_ROUTE_PREFIX, MAX_MULTIPART_BYTES, checkUpload, fileTypeOf, type UploadStore } from './uploads';

export interface RestBackend {
  readonly settings: MultiwaSettings;
  readonly faults: FaultState;
  readonly store: MultiwaStore;
  readonly auth: AuthService;
  readonly uploads: UploadStore;
  readonly throttle: Throttle;
  now(): number;
  log(line: string): void;
  record(r: Omit<RequestRecord, 'seq' | 'time'>): void;
  delay(ms: number): Promise<void>;
  ownsProfile(user: User, profileId: string): boolean;
  engineOf(profileId: string): 'ready' | 'pairing' | 'none';
  send(user: User, kind: string, body: Readonly<Record<string, unknown>>): Promise<SendOutcome>;
  connect(profile: ProfileRow): JsonObject;
  disconnect(profile: ProfileRow): JsonObject;
  markRead(conversation: ConversationRow): void;
  linkedMedia(path: string): MediaFile | undefined;
  newUuid(): string;
  recordReceipt(profileId: string, chatId: string, messageIds: readonly string[] | null): void;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Destroy the connection instead of answering (the lose-replies fault, after the send committed). */
  readonly lose?: boolean;
}

const PREFIX = '/api/v1';
const nest = (statusCode: number, message: string | string[], error: string): Reply => ({ status: statusCode, body: { statusCode, message, error } });
const ok = (body: unknown, status = 200): Reply => ({ status, body });
const forbidden = (message = 'Resource not found in your organization'): Reply => nest(403, message, 'Forbidden');

/** The throttler: one sliding minute per IP and route, with the route's limit. */
export class Throttle {
  private readonly byLimit = new Map<number, SlidingWindowLimiter>();

  hit(key: string, limit: number): { readonly ok: true } | { readonly ok: false; readonly retryAfterS: number } {
    let limiter = this.byLimit.get(limit);
    if (!limiter) {
      limiter = new SlidingWindowLimiter(() => limit, 60_000);
      this.byLimit.set(limit, limiter);
    }
    return limiter.tryHit(key) ? { ok: true } : { ok: false, retryAfterS: Math.max(1, Math.ceil(limiter.retryAfterMs(key) / 1000)) };
  }

  clear(): void {
    this.byLimit.clear();
  }
}

function limitOf(settings: MultiwaSettings, route: string): number {
  return route === 'POST /auth/login' ? settings.loginPerMinute : route === 'POST /auth/refresh' ? settings.refreshPerMinute : settings.requestsPerMinute;
}

const throttled = (retryAfterS: number): Reply => ({ status: 429, body: { statusCode: 429, message: 'ThrottlerException: Too Many Requests' }, headers: { 'Retry-After': String(retryAfterS) } });

function intParam(query: URLSearchParams, name: string): number {
  const raw = query.get(name);
  // enableImplicitConversion: `+value`; NaN and 0 fall back to the service defaults (`|| 50`).
  return raw === null ? NaN : Number(raw);
}

export async function handleRest(b: RestBackend, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const path = pathOf(req.url);
  const rawQuery = rawQueryOf(req.url);
  const query = new URLSearchParams(rawQuery);
  let principal: Principal | undefined;
  const finish = (reply: Reply, kind: RequestRecord['kind']): void => {
    const apiKey = headerValue(req.headers['x-api-key']);
    const bearer = headerValue(req.headers.authorization);
    const credential = principal?.via === 'jwt' ? bearer : apiKey ?? bearer;
    b.record({ kind, method, path, rawQuery: redactQuery(rawQuery), auth: principal?.via ?? null, credentialTail: credential ? credential.slice(-6) : null, httpStatus: reply.lose ? 0 : reply.status });
    if (reply.lose) {
      b.log(`multiwa ${method} ${path} -> reply lost (fault)`);
      req.socket.destroy();
      return;
    }
    for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
    sendJson(res, reply.status, reply.body);
  };

  // Uploaded and linked files: no credentials (whatsapp-web.js fetches them anonymously).
  if (path.startsWith(FILE_ROUTE_PREFIX) && (method === 'GET' || method === 'HEAD')) {
    const linked = b.linkedMedia(path);
    const file = linked ? { contentType: linked.contentType, body: linked.body, name: path.split('/').pop()! } : b.uploads.serve(path);
    b.record({ kind: 'media', method, path, rawQuery: '', auth: null, credentialTail: null, httpStatus: file ? 200 : 404 });
    if (!file) return sendJson(res, 404, { statusCode: 404, message: 'File not found', error: 'Not Found' });
    res.writeHead(200, {
      'Content-Type': file.contentType, 'Content-Length': file.body.length, 'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "sandbox; default-src 'none'", 'Cross-Origin-Resource-Policy': 'same-origin',
      'Content-Disposition': `attachment; filename="${file.name}"`, 'Cache-Control': 'private, max-age=3600',
    });
    res.end(method === 'HEAD' ? undefined : file.body);
    return;
  }
  if (!path.startsWith(`${PREFIX}/`)) return finish(nest(404, `Cannot ${method} ${path}`, 'Not Found'), 'rest');
  const sub = path.slice(PREFIX.length);
  const kind: RequestRecord['kind'] = sub.startsWith('/auth/') ? 'auth' : sub === '/uploads/media' ? 'upload' : 'rest';

  const f = b.faults;
  if (f.http429 > 0) {
    f.http429 -= 1;
    return finish(throttled(60), kind);
  }
  if (f.http5xx > 0) {
    f.http5xx -= 1;
    return finish(nest(500, 'Internal server error', 'Internal Server Error'), kind);
  }
  const slow = f.slowReplies.n > 0 ? f.slowReplies.ms : 0;
  if (slow > 0) f.slowReplies.n -= 1;

  const route = routeOf(method, sub);
  if (!route) return finish(nest(404, `Cannot ${method} ${path}`, 'Not Found'), kind);
  const admitted = b.throttle.hit(`${req.socket.remoteAddress ?? '?'} ${route.name}`, limitOf(b.settings, route.name));
  if (!admitted.ok) return finish(throttled(admitted.retryAfterS), kind);

  let reply: Reply;
  if (route.name === 'POST /auth/login' || route.name === 'POST /auth/refresh') {
    const body = await jsonBody(req);
    if ('error' in body) reply = body.error;
    else if (route.name === 'POST /auth/login') {
      const tokens = b.auth.login(body.value.email, body.value.password);
      reply = tokens ? ok(tokens, 201) : nest(401, 'Invalid credentials', 'Unauthorized');
    } else {
      const tokens = b.auth.refresh(body.value.refreshToken);
      reply = tokens ? ok(tokens, 201) : nest(401, 'Invalid refresh token', 'Unauthorized');
    }
  } else {
    const verdict = b.auth.authenticate(req.headers);
    if (!verdict.ok) reply = verdict.message === 'Unauthorized' ? { status: 401, body: { message: 'Unauthorized', statusCode: 401 } } : nest(401, verdict.message, 'Unauthorized');
    else if (f.echoSecrets > 0) {
      f.echoSecrets -= 1;
      reply = echoedCredentials(req, f);
    } else {
      principal = verdict.principal;
      reply = await route.run(b, principal.user, route.params, query, req);
    }
  }
  if (slow > 0) await b.delay(slow);
  if (reply.status === 201 && route.name.startsWith('POST /messages/') && f.loseReplies > 0) {
    f.loseReplies -= 1;
    reply = { ...reply, lose: true };
  }
  finish(reply, kind);
}

/** Fault `echoSecrets`: the guard's 401, its message quoting the request's API key and Bearer token. */
function echoedCredentials(req: IncomingMessage, f: FaultState): Reply {
  const apiKey = headerText(req.headers['x-api-key']);
  const bearer = /^Bearer\s+(\S+)$/i.exec(headerText(req.headers.authorization))?.[1] ?? '';
  noteEchoed(f.echoedSecrets, apiKey, bearer);
  return nest(401, `Invalid credentials: api key ${apiKey || '(none)'}, token ${bearer || '(none)'}`, 'Unauthorized');
}

function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

async function jsonBody(req: IncomingMessage): Promise<{ value: Readonly<Record<string, unknown>> } | { error: Reply }> {
  let text: string;
  try {
    text = await readBody(req);
  } catch (e) {
    if (e instanceof BodyTooLargeError) return { error: { status: 413, body: { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', error: 'Payload Too Large', message: 'Request body is too large' } } };
    throw e;
  }
  if (text.trim() === '') return { value: {} };
  try {
    const parsed: unknown = JSON.parse(text);
    return { value: typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {} };
  } catch {
    return { error: { status: 400, body: { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY', error: 'Bad Request', message: "Body is not valid JSON but content-type is set to 'application/json'" } } };
  }
}

type Handler = (b: RestBackend, user: User, params: readonly string[], query: URLSearchParams, req: IncomingMessage) => Reply | Promise<Reply>;

interface RouteDef {
  readonly method: string;
  readonly pattern: RegExp;
  readonly name: string;
  readonly run: Handler;
}

const SEG = '([^/]+)';

const ROUTES: readonly RouteDef[] = [
  { method: 'POST', pattern: /^\/auth\/login$/, name: 'POST /auth/login', run: () => nest(500, 'unreachable', 'Internal Server Error') },
  { method: 'POST', pattern: /^\/auth\/refresh$/, name: 'POST /auth/refresh', run: () => nest(500, 'unreachable', 'Internal Server Error') },
  { method: 'GET', pattern: /^\/auth\/me$/, name: 'GET /auth/me', run: (_b, user) => ok({ id: user.id, organizationId: user.organizationId, email: user.email, name: user.name, role: user.role, isActive: true }) },
  { method: 'GET', pattern: /^\/profiles$/, name: 'GET /profiles', run: listProfiles },
  { method: 'GET', pattern: new RegExp(`^/profiles/${SEG}/status$`), name: 'GET /profiles/:id/status', run: withProfile((b, p) => ok({ id: p.id, name: p.displayName, status: p.status, phone: p.phoneNumber, lastConnectedAt: p.lastConnectedAt === null ? null : new Date(p.lastConnectedAt).toISOString(), engineConnected: b.engineOf(p.id) === 'ready' })) },
  { method: 'POST', pattern: new RegExp(`^/profiles/${SEG}/connect$`), name: 'POST /profiles/:id/connect', run: withProfile((b, p) => ok(b.connect(p), 201)) },
  { method: 'POST', pattern: new RegExp(`^/profiles/${SEG}/disconnect$`), name: 'POST /profiles/:id/disconnect', run: withProfile((b, p) => ok(b.disconnect(p), 201)) },
  { method: 'GET', pattern: new RegExp(`^/profiles/${SEG}$`), name: 'GET /profiles/:id', run: withProfile((b, p) => ok({ ...profileJson(p), workspace: workspaceOf(b, p) })) },
  { method: 'GET', pattern: /^\/accounts$/, name: 'GET /accounts', run: listAccounts },
  { method: 'GET', pattern: new RegExp(`^/accounts/${SEG}/profiles/${SEG}/qr$`), name: 'GET /accounts/:accountId/profiles/:profileId/qr', run: accountQr },
  { method: 'GET', pattern: /^\/conversations$/, name: 'GET /conversations', run: listConversations },
  { method: 'GET', pattern: /^\/conversations\/unread-count$/, name: 'GET /conversations/unread-count', run: (b, user) => ok({ count: b.store.profilesOf(user.organizationId).flatMap((p) => b.store.conversationsOf(p.id)).reduce((n, c) => n + c.unreadCount, 0) }) },
  { method: 'GET', pattern: new RegExp(`^/conversations/${SEG}/messages$`), name: 'GET /conversations/:id/messages', run: withConversation(history) },
  { method: 'PUT', pattern: new RegExp(`^/conversations/${SEG}/read$`), name: 'PUT /conversations/:id/read', run: withConversation((b, c) => { b.markRead(c); return ok({ success: true }); }) },
  { method: 'GET', pattern: new RegExp(`^/conversations/${SEG}$`), name: 'GET /conversations/:id', run: withConversation(conversationWithMessages) },
  { method: 'GET', pattern: new RegExp(`^/messages/conversation/${SEG}$`), name: 'GET /messages/conversation/:id', run: withConversation(history) },
  { method: 'POST', pattern: new RegExp(`^/messages/${SEG}$`), name: 'POST /messages/:kind', run: sendRoute },
  { method: 'POST', pattern: /^\/uploads\/media$/, name: 'POST /uploads/media', run: upload },
];

function routeOf(method: string, sub: string): (RouteDef & { params: string[] }) | undefined {
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(sub);
    if (m) return { ...r, name: r.name === 'POST /messages/:kind' ? `POST /messages/${m[1]}` : r.name, params: m.slice(1).map((s) => decodeURIComponent(s)) };
  }
  return undefined;
}

function withProfile(run: (b: RestBackend, p: ProfileRow) => Reply): Handler {
  return (b, user, params) => {
    const profile = b.store.profile(params[0] ?? '');
    return profile && b.ownsProfile(user, profile.id) ? run(b, profile) : forbidden();
  };
}

function withConversation(run: (b: RestBackend, c: ConversationRow, query: URLSearchParams) => Reply): Handler {
  return (b, user, params, query) => {
    const conversation = b.store.conversation(params[0] ?? '');
    return conversation && b.ownsProfile(user, conversation.profileId) ? run(b, conversation, query) : forbidden();
  };
}

function workspaceOf(b: RestBackend, p: ProfileRow): JsonObject | null {
  const org = b.store.organizationOfProfile(p);
  return org ? { id: org.workspaceId, organizationId: org.id, name: 'Default', slug: 'default', description: null, settings: {}, createdAt: new Date(org.createdAt).toISOString(), updatedAt: new Date(org.createdAt).toISOString() } : null;
}

function listProfiles(b: RestBackend, user: User): Reply {
  const profiles = [...b.store.profilesOf(user.organizationId)].sort((x, y) => y.createdAt - x.createdAt);
  return ok(profiles.map((p) => ({
    ...profileJson(p), workspace: workspaceOf(b, p), name: p.displayName, phone: p.phoneNumber, sessionData: null,
    messageCount: b.store.conversationsOf(p.id).reduce((n, c) => n + b.store.messagesOf(c.id).length, 0),
  })));
}

function listAccounts(b: RestBackend, user: User): Reply {
  const org = b.store.organization(user.organizationId);
  if (!org) return ok([]);
  const stamp = new Date(org.createdAt).toISOString();
  return ok([{ id: org.accountId, workspaceId: org.workspaceId, name: 'Default Account', description: 'Automatically created for WhatsApp profiles', settings: {}, status: 'ACTIVE', createdAt: stamp, updatedAt: stamp, workspace: { id: org.workspaceId, organizationId: org.id, name: 'Default', slug: 'default' } }]);
}

/** The gateway's REST QR route is a placeholder: the code only ever comes over the realtime channel. */
function accountQr(b: RestBackend, user: User, params: readonly string[]): Reply {
  const org = b.store.organization(user.organizationId);
  const profile = b.store.profile(params[1] ?? '');
  if (!org || org.accountId !== params[0] || !profile || !b.ownsProfile(user, profile.id)) return forbidden();
  return ok({ qr: null, status: 'pending', message: 'QR code generation in progress' });
}

function listConversations(b: RestBackend, user: User, _params: readonly string[], query: URLSearchParams): Reply {
  const profileId = query.get('profileId');
  if (!profileId) return forbidden('Missing profileId');
  if (!b.ownsProfile(user, profileId)) return forbidden();
  const type = query.get('type');
  const limit = intParam(query, 'limit') || 50;
  const offset = intParam(query, 'offset') || 0;
  const all = b.store.conversationsOf(profileId).filter((c) => !type || c.type === type)
    // Prisma orders NULL lastMessageAt last in a descending sort on Postgres.
    .sort((x, y) => (y.lastMessageAt ?? -Infinity) - (x.lastMessageAt ?? -Infinity));
  const page = all.slice(Math.max(0, offset), Math.max(0, offset) + Math.max(1, limit));
  return ok({
    conversations: page.map((c) => {
      const phone = c.jid.split('@')[0] ?? '';
      const isUser = c.jid.includes('@s.whatsapp.net');
      const last = b.store.lastMessage(c.id);
      return {
        ...conversationJson(c), messageCount: b.store.messagesOf(c.id).length, lastMessage: last ? messageJson(last) : null,
        contactName: c.type === 'group' ? (c.name ?? 'Group Chat') : (b.store.contactOf(c.profileId, phone)?.name ?? null),
        contactPhone: isUser ? phone : null,
      };
    }),
    total: all.length,
  });
}

function history(b: RestBackend, c: ConversationRow, query: URLSearchParams): Reply {
  const limit = intParam(query, 'limit') || 50;
  const before = query.get('before');
  let rows = b.store.messagesOf(c.id);
  if (before) {
    // An unknown `before` id is ignored: the newest page comes back.
    const cursor = b.store.message(before);
    if (cursor) rows = rows.filter((m) => m.timestamp < cursor.timestamp);
  }
  // A negative limit is taken as its size (a sandbox simplification of Prisma's backwards `take`).
  const page = rows.slice(Math.max(0, rows.length - Math.abs(limit)));
  return ok({ messages: page.map(messageJson), hasMore: page.length === limit });
}

function conversationWithMessages(b: RestBackend, c: ConversationRow, query: URLSearchParams): Reply {
  const raw = query.get('messageLimit');
  const limit = raw === null ? 50 : Number(raw);
  if (!Number.isInteger(limit)) return nest(500, 'Internal server error', 'Internal Server Error');
  const rows = b.store.messagesOf(c.id);
  return ok({ ...conversationJson(c), messages: rows.slice(Math.max(0, rows.length - Math.abs(limit))).map(messageJson), contact: null });
}

async function sendRoute(b: RestBackend, user: User, params: readonly string[], _query: URLSearchParams, req: IncomingMessage): Promise<Reply> {
  const body = await jsonBody(req);
  if ('error' in body) return body.error;
  const outcome = await b.send(user, params[0] ?? '', body.value);
  if (outcome.status === 201 && params[0] === 'mark-read') {
    const v = body.value;
    const ids = Array.isArray(v.messageIds) ? v.messageIds.filter((x): x is string => typeof x === 'string') : null;
    b.recordReceipt(String(v.profileId), String(v.chatId), ids);
  }
  return { status: outcome.status, body: outcome.body };
}

async function upload(b: RestBackend, _user: User, _params: readonly string[], _query: URLSearchParams, req: IncomingMessage): Promise<Reply> {
  const boundary = multipartBoundary(headerValue(req.headers['content-type']));
  if (!boundary) return { status: 406, body: { statusCode: 406, code: 'FST_INVALID_MULTIPART_CONTENT_TYPE', error: 'Not Acceptable', message: 'the request is not multipart' } };
  // A little room for the multipart envelope around a 20 MB file.
  const raw = await readBytesUpTo(req, MAX_MULTIPART_BYTES + 64 * 1024);
  const parts = raw ? parseMultipart(raw, boundary) : undefined;
  const file = parts?.find((p) => p.fileName !== undefined);
  if (raw === undefined || (file && file.data.length > MAX_MULTIPART_BYTES)) {
    return { status: 413, body: { statusCode: 413, code: 'FST_REQ_FILE_TOO_LARGE', error: 'Payload Too Large', message: 'request file too large' } };
  }
  if (!file || file.fileName === undefined) return nest(400, 'No file uploaded', 'Bad Request');
  const mime = (file.contentType ?? 'application/octet-stream').trim();
  const verdict = checkUpload(mime, file.data.length);
  if (!verdict.ok) return nest(400, verdict.message, 'Bad Request');
  const stored = b.uploads.put(b.newUuid(), mime, Buffer.from(file.data), file.fileName);
  const base = `http://${headerValue(req.headers.host) ?? '127.0.0.1'}`;
  return ok({ success: true, data: { url: `${base}${FILE_ROUTE_PREFIX}${stored.key}`, key: stored.key, size: file.data.length, filename: file.fileName, mimeType: mime, type: fileTypeOf(mime) } }, 201);
}
