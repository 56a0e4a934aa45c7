// Test-side client for the Mixin emulator: a keystore reader and JWT signer written from the
// documented protocol with Node's crypto, fetch for REST and ws for Blaze (gzip JSON in binary
// frames), as a bot would use them (never the sandbox's own code paths).
import { createHash, createPrivateKey, randomUUID, sign } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { WebSocket } from 'ws';
import { MixinEmulator, type MixinEmulatorOptions } from '../../../sandbox/mixin/emulator';

export const FAST: MixinEmulatorOptions = {
  counterparty: false, counterpartyReplyDelayMs: 20, deliveredDelayMs: 10, readDelayMs: 25, showcaseIntervalMs: 15, pingIntervalMs: 50,
};

export async function startMixin(options: MixinEmulatorOptions = {}): Promise<MixinEmulator> {
  const e = new MixinEmulator({ ...FAST, ...options });
  await e.start('127.0.0.1', 0);
  return e;
}

export interface Keystore {
  readonly app_id: string;
  readonly session_id: string;
  readonly session_private_key: string;
  readonly server_public_key: string;
}

export function keystoreOf(e: MixinEmulator): Keystore {
  return JSON.parse(e.accounts()[0]!.credentials.keystore) as Keystore;
}

export interface TokenOptions {
  readonly method: string;
  readonly uri: string;
  readonly body?: Buffer | string;
  readonly nowMs?: number;
  readonly iatOffsetS?: number;
  readonly expOffsetS?: number;
  /** Another 32-byte seed (hex) to sign with. */
  readonly seedHex?: string;
  readonly sid?: string;
  readonly scp?: string;
}

const jsonPart = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export function token(ks: Keystore, o: TokenOptions): string {
  const body = typeof o.body === 'string' ? Buffer.from(o.body, 'utf8') : (o.body ?? Buffer.alloc(0));
  const now = Math.floor((o.nowMs ?? Date.now()) / 1000);
  const sig = createHash('sha256').update(Buffer.concat([Buffer.from(o.method + o.uri, 'utf8'), body])).digest('hex');
  const payload = { uid: ks.app_id, sid: o.sid ?? ks.session_id, iat: now + (o.iatOffsetS ?? 0), exp: now + (o.expOffsetS ?? 3600), jti: randomUUID(), sig, scp: o.scp ?? 'FULL' };
  const signingInput = `${jsonPart({ alg: 'EdDSA', typ: 'JWT' })}.${jsonPart(payload)}`;
  const seed = Buffer.from(o.seedHex ?? ks.session_private_key, 'hex');
  const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  return `${signingInput}.${sign(null, Buffer.from(signingInput, 'ascii'), key).toString('base64url')}`;
}

export interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

/** A signed REST call; `tamper` changes what is sent after signing. */
export async function rest(
  e: MixinEmulator, method: string, uri: string, body?: unknown,
  opts: Partial<TokenOptions> & { readonly sendUri?: string; readonly sendBody?: string; readonly auth?: string | null; readonly requestId?: string } = {},
): Promise<Reply> {
  const text = body === undefined ? '' : JSON.stringify(body);
  const jwt = token(keystoreOf(e), { method, uri, body: text, ...opts });
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Request-Id': opts.requestId ?? randomUUID() };
  if (opts.auth !== null) headers.Authorization = opts.auth ?? `Bearer ${jwt}`;
  const r = await fetch(`${e.restUrl}${opts.sendUri ?? uri}`, { method, headers, body: method === 'GET' ? undefined : (opts.sendBody ?? text) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown>, headers: r.headers };
}

export function errorOf(reply: Reply): { status: number; code: number; description: string; extra?: Record<string, unknown> } {
  return reply.body.error as { status: number; code: number; description: string; extra?: Record<string, unknown> };
}

export type Frame = Record<string, unknown> & { id: string; action: string };

export interface BlazeClient {
  readonly ws: WebSocket;
  readonly frames: Frame[];
  readonly pings: { count: number };
  /** Sends a request; answers its id. */
  send(action: string, params?: unknown): string;
  request(action: string, params?: unknown): Promise<Frame>;
  next(predicate: (f: Frame) => boolean, what: string, from?: number): Promise<Frame>;
  closed: Promise<{ code: number; reason: string }>;
}

export function encode(value: unknown): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(value), 'utf8'));
}

export function blaze(e: MixinEmulator, opts: { jwt?: string | null; protocol?: string | null } = {}): Promise<BlazeClient> {
  const jwt = opts.jwt === undefined ? token(keystoreOf(e), { method: 'GET', uri: '/' }) : opts.jwt;
  const protocols = opts.protocol === null ? [] : [opts.protocol ?? 'Mixin-Blaze-1'];
  const ws = new WebSocket(e.blazeUrl, protocols, { headers: jwt === null ? {} : { Authorization: `Bearer ${jwt}` } });
  const frames: Frame[] = [];
  const pings = { count: 0 };
  ws.on('ping', () => (pings.count += 1));
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) throw new Error('Blaze sent a text frame');
    frames.push(JSON.parse(gunzipSync(data).toString('utf8')) as Frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
  const next = async (predicate: (f: Frame) => boolean, what: string, from = 0): Promise<Frame> => until(() => frames.slice(from).find(predicate), what);
  const send = (action: string, params?: unknown): string => {
    const id = randomUUID();
    ws.send(encode({ id, action, ...(params === undefined ? {} : { params }) }));
    return id;
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({
      ws, frames, pings, send, next, closed,
      request: (action, params) => {
        const id = send(action, params);
        return next((f) => f.id === id, `reply to ${action}`);
      },
    }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused ${res.statusCode ?? 0}`)));
    ws.once('error', reject);
  });
}

export async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const pushes = (c: BlazeClient, action = 'CREATE_MESSAGE'): Record<string, string>[] =>
  c.frames.filter((f) => f.action === action && f.data !== undefined && typeof (f.data as Record<string, unknown>).message_id === 'string').map((f) => f.data as Record<string, string>);

export const b64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

export function textMessage(conversationId: string, text: string, messageId = randomUUID()): Record<string, string> {
  return { conversation_id: conversationId, message_id: messageId, category: 'PLAIN_TEXT', data_base64: b64url(text) };
}
