// The Bybit REST surface: the gateway (region block, environment, 429/5xx, key, signature,
// timestamp, per-user per-endpoint rate limits), the signed P2P routes, the unsigned server time and
// the object store's show URLs. Every request is recorded for tests.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathOf, rawQueryOf, readBytesUpTo } from '../util/http';
import type { MediaFile } from '../util/media';
import { multipartBoundary, parseMultipart, type MultipartPart } from '../util/multipart';
import { noteEchoed } from '../util/secretEcho';
import { authenticate } from './auth';
import { BybitErrors, envelope, gatewayReplies, type BybitError, type BybitReply } from './errors';
import { take, type FaultState } from './faults';
import { LEGACY_CHAT_ROUTES } from './legacyChat';
import { GET_ROUTES, ORDER_ROUTES } from './orderRoutes';
import { redactQuery, type RequestRecord } from './records';
import { Params, type Outcome, type Route, type RouteBackend } from './routeKit';
import { SESSION_CHAT_ROUTES } from './sessionChat';
import type { BybitAccount } from './store';
import { UPLOAD_ROUTE } from './uploadRoute';
import { SHOW_OBJ_PREFIX } from './uploads';

export const UPLOAD_PATH = '/v5/p2p/oss/upload_file';

const POST_ROUTES: Readonly<Record<string, Route>> = { ...ORDER_ROUTES, ...LEGACY_CHAT_ROUTES, ...SESSION_CHAT_ROUTES, [UPLOAD_PATH]: UPLOAD_ROUTE };

export interface Admission {
  readonly ok: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** ms epoch when the window frees a slot. */
  readonly resetAt: number;
}

export interface RestBackend extends RouteBackend {
  /** Venue clock (ms), including any skew fault. */
  now(): number;
  faults(): FaultState;
  accountByApiKey(apiKey: string): BybitAccount | undefined;
  /** Per user and endpoint: 5 a second for sends and uploads, 10 for the rest. */
  admit(account: BybitAccount, path: string, kind: Route['kind']): Admission;
  serveObject(name: string, token: string | null): MediaFile | undefined;
  delay(ms: number): Promise<void>;
  recordRequest(record: Omit<RequestRecord, 'seq'>): void;
  log(line: string): void;
}

type Audit = Pick<RequestRecord, 'apiKey' | 'signatureValid' | 'timestampValid'>;

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

function write(res: ServerResponse, method: string, reply: BybitReply): void {
  if (res.headersSent || res.destroyed) return;
  const payload = reply.text !== undefined ? Buffer.from(reply.text) : Buffer.from(JSON.stringify(reply.body));
  res.writeHead(reply.httpStatus, {
    'Content-Type': reply.contentType ?? 'application/json; charset=utf-8', 'Content-Length': payload.length, ...reply.headers,
  });
  res.end(method === 'HEAD' ? undefined : payload);
}

function serveFile(res: ServerResponse, method: string, file: MediaFile): void {
  res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.body.length, 'Cache-Control': 'private, max-age=300' });
  res.end(method === 'HEAD' ? undefined : file.body);
}

const codeOf = (reply: BybitReply): number => {
  const b = reply.body as { ret_code?: unknown; retCode?: unknown } | null;
  const code = b?.ret_code ?? b?.retCode;
  return typeof code === 'number' ? code : reply.httpStatus;
};

export async function handleRestRequest(backend: RestBackend, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const path = pathOf(req.url);
  const rawQuery = rawQueryOf(req.url);
  const now = backend.now();
  const faults = backend.faults();
  const kind: RequestRecord['kind'] = path === UPLOAD_PATH ? 'upload' : path.startsWith(SHOW_OBJ_PREFIX) ? 'media' : 'rest';
  let audit: Audit = { apiKey: null, signatureValid: null, timestampValid: null };
  let body: unknown = null;
  const finish = (reply: BybitReply): void => {
    backend.recordRequest({ time: now, kind, method, path, rawQuery: redactQuery(rawQuery), ...audit, httpStatus: reply.httpStatus, retCode: codeOf(reply), body });
    const code = codeOf(reply);
    backend.log(`bybit ${method} ${path} -> ${reply.httpStatus}${code !== reply.httpStatus ? ` ret_code=${code}` : ''}`);
    write(res, method, reply);
  };
  const envelopeReply = (outcome: Outcome, v5Spelling: boolean, headers?: Record<string, string>): BybitReply => {
    const [code, msg, result] = outcome.ok ? [0, outcome.retMsg ?? (v5Spelling ? 'OK' : 'SUCCESS'), outcome.result] : [outcome.error.code, outcome.error.msg, {}];
    const json = v5Spelling ? { retCode: code, retMsg: msg, result, retExtInfo: {}, time: now } : { ...envelope(now, code, msg, result), ...(outcome.ok ? outcome.extra : {}) };
    return { httpStatus: 200, body: json, ...(headers ? { headers } : {}) };
  };
  const fail = (error: BybitError, v5Spelling: boolean, headers?: Record<string, string>): BybitReply => envelopeReply({ ok: false, error }, v5Spelling, headers);

  const bytes = await readBytesUpTo(req, backend.maxUploadBytes + 1024 * 1024);
  if (!bytes) {
    finish({ httpStatus: 413, body: null, text: '413 Request Entity Too Large', contentType: 'text/plain' });
    req.destroy();
    return;
  }
  if (faults.geoBlock) return finish(gatewayReplies.geoBlocked);

  if (kind === 'media') {
    const file = method === 'GET' || method === 'HEAD' ? backend.serveObject(decodeURIComponent(path.slice(SHOW_OBJ_PREFIX.length)), new URLSearchParams(rawQuery).get('token')) : undefined;
    if (!file) return finish(gatewayReplies.notFound);
    backend.recordRequest({ time: now, kind, method, path, rawQuery: redactQuery(rawQuery), ...audit, httpStatus: 200, retCode: 200, body });
    return serveFile(res, method, file);
  }
  if (path === '/v5/market/time' && method === 'GET') {
    const nano = `${BigInt(now) * 1_000_000n}`;
    return finish({ httpStatus: 200, body: { retCode: 0, retMsg: 'OK', result: { timeSecond: String(Math.floor(now / 1000)), timeNano: nano }, retExtInfo: {}, time: now } });
  }
  const v5Spelling = method === 'GET';
  const route = method === 'POST' ? POST_ROUTES[path] : method === 'GET' ? GET_ROUTES[path] : undefined;
  if (!route) return finish(gatewayReplies.notFound);
  if (faults.wrongEnvironment) return finish(gatewayReplies.wrongEnvironment);
  if (take(faults, 'http5xx')) return finish(gatewayReplies.badGateway);
  if (take(faults, 'http429')) return finish(gatewayReplies.tooManyRequests);

  const apiKey = header(req, 'x-bapi-api-key');
  audit = { apiKey: apiKey ?? null, signatureValid: null, timestampValid: null };
  const auth = authenticate(
    {
      headers: { apiKey, timestamp: header(req, 'x-bapi-timestamp'), recvWindow: header(req, 'x-bapi-recv-window'), sign: header(req, 'x-bapi-sign') },
      payload: method === 'GET' ? Buffer.from(rawQuery, 'utf8') : bytes,
      serverTime: now,
    },
    (key) => backend.accountByApiKey(key),
  );
  if (!auth.ok) {
    audit = { ...audit, signatureValid: auth.signatureValid, timestampValid: auth.timestampValid };
    return finish(fail(auth.error, v5Spelling));
  }
  audit = { ...audit, signatureValid: true, timestampValid: true };
  if (take(faults, 'badSignature')) {
    audit = { ...audit, signatureValid: false, timestampValid: null };
    return finish(fail(BybitErrors.sign, v5Spelling));
  }
  if (take(faults, 'echoSecrets')) {
    const timestamp = header(req, 'x-bapi-timestamp') ?? '';
    const sign = header(req, 'x-bapi-sign') ?? '';
    const origin = `${timestamp}${apiKey ?? ''}${header(req, 'x-bapi-recv-window') ?? ''}${method === 'GET' ? rawQuery : bytes.toString('utf8')}`;
    noteEchoed(faults.echoedSecrets, apiKey, sign, origin);
    audit = { ...audit, signatureValid: false, timestampValid: null };
    return finish(fail({ code: BybitErrors.sign.code, msg: `error sign! origin_string[${origin}] sign[${sign}]` }, v5Spelling));
  }
  const account = auth.account;
  const admission = backend.admit(account, path, route.kind);
  const limitHeaders = { 'X-Bapi-Limit': String(admission.limit), 'X-Bapi-Limit-Status': String(admission.remaining), 'X-Bapi-Limit-Reset-Timestamp': String(admission.resetAt) };
  if (!admission.ok || take(faults, 'rateLimit')) return finish(fail(BybitErrors.rateLimit, v5Spelling, { ...limitHeaders, 'X-Bapi-Limit-Status': '0' }));

  let params: Params | undefined;
  let parts: MultipartPart[] | undefined;
  if (kind === 'upload') {
    const boundary = multipartBoundary(header(req, 'content-type'));
    parts = boundary ? parseMultipart(bytes, boundary) : undefined;
    if (!parts) return finish(fail(BybitErrors.params('the body must be multipart/form-data'), false, limitHeaders));
    params = new Params({});
  } else {
    params = method === 'GET' ? new Params(Object.fromEntries(new URLSearchParams(rawQuery))) : Params.parse(bytes.toString('utf8'));
    if (!params) return finish(fail(BybitErrors.params('the body must be a JSON object'), false, limitHeaders));
    body = method === 'GET' ? null : (JSON.parse(bytes.toString('utf8') || '{}') as unknown);
  }
  const outcome = route.handle({ account, params, backend, now, ...(parts ? { parts } : {}) });
  if (outcome.ok && route.commits && take(faults, 'loseReplies')) {
    backend.recordRequest({ time: now, kind, method, path, rawQuery: redactQuery(rawQuery), ...audit, httpStatus: 0, retCode: 0, body });
    backend.log(`bybit fault: ${path} committed, reply lost`);
    req.socket.destroy();
    return;
  }
  const reply = envelopeReply(outcome, v5Spelling, limitHeaders);
  if (faults.slowReplies.n > 0) {
    faults.slowReplies.n -= 1;
    await backend.delay(faults.slowReplies.ms);
  }
  finish(reply);
}
