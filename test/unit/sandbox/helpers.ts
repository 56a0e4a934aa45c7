// Test-side client for the sandbox: signs requests with node:crypto directly (not with the
// sandbox's verifier, not with src/), opens sockets with `ws`, and waits for frames. The socket
// plumbing here serves every venue (binanceHelpers.ts builds on it); the rest is MEXC's.
import { createHmac } from 'node:crypto';
import { WebSocket } from 'ws';
import { z } from 'zod';
import type { Sandbox } from '../../../sandbox/index';

export const sign = (secret: string, payload: string): string => createHmac('sha256', secret).update(payload).digest('hex');

export interface CallOptions {
  method?: string;
  /** Business parameters, already encoded (`a=1&b=2`). */
  query?: string;
  body?: string;
  /** Account index among the MEXC emulator's accounts (default 0). */
  account?: number;
  /** Override the header (null: send none). */
  apiKey?: string | null;
  secretKey?: string;
  timestamp?: number | null;
  recvWindow?: number;
  /** Replace the computed signature. */
  signature?: string;
}

export interface Reply {
  status: number;
  body: unknown;
  ms: number;
}

/** The credentials of a venue's seeded account. */
export function credentialsOf(sb: Sandbox, venue: 'mexc' | 'binance', index: number): { apiKey: string; secretKey: string } {
  const a = sb.venue(venue).accounts()[index];
  if (!a) throw new Error(`no ${venue} account ${index}`);
  return a.credentials;
}

/** The business parameters, then `recvWindow` and `timestamp` (default the venue's now; null: none). */
export function timedQuery(opts: { query?: string; recvWindow?: number; timestamp?: number | null }, now: number): string {
  const parts: string[] = [];
  if (opts.query) parts.push(opts.query);
  if (opts.recvWindow !== undefined) parts.push(`recvWindow=${opts.recvWindow}`);
  const timestamp = opts.timestamp === undefined ? now : opts.timestamp;
  if (timestamp !== null) parts.push(`timestamp=${timestamp}`);
  return parts.join('&');
}

export function account(sb: Sandbox, index = 0): { apiKey: string; secretKey: string } {
  return credentialsOf(sb, 'mexc', index);
}

export async function callMexc(sb: Sandbox, path: string, opts: CallOptions = {}): Promise<Reply> {
  const creds = account(sb, opts.account ?? 0);
  const query = timedQuery(opts, sb.venue('mexc').now());
  const body = opts.body ?? '';
  const signature = opts.signature ?? sign(opts.secretKey ?? creds.secretKey, query + body);
  const url = `${sb.venue('mexc').restUrl}${path}?${query}${query ? '&' : ''}signature=${signature}`;
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const apiKey = opts.apiKey === undefined ? creds.apiKey : opts.apiKey;
  if (apiKey !== null) headers['X-MEXC-APIKEY'] = apiKey;
  const started = Date.now();
  const res = await fetch(url, { method: opts.method ?? 'GET', headers, body: body === '' ? undefined : body });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown), ms: Date.now() - started };
}

export const envelopeSchema = z.object({ code: z.number(), msg: z.string(), data: z.unknown().optional() });

export async function createListenKey(sb: Sandbox, accountIndex = 0): Promise<string> {
  const reply = await callMexc(sb, '/api/v3/userDataStream', { method: 'POST', account: accountIndex });
  return z.object({ listenKey: z.string() }).parse(reply.body).listenKey;
}

/** Conversation ids of an account, from the sandbox state (active orders first). */
export function conversationsOf(sb: Sandbox, accountIndex = 0): number[] {
  const apiKey = account(sb, accountIndex).apiKey;
  return sb.venue('mexc').state().orders.filter((o) => o.apiKey === apiKey).map((o) => o.conversationId);
}

export class UpgradeRejected extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(`upgrade rejected with HTTP ${status}`);
  }
}

/** Collects every text frame of a socket, decoded by `decode`, so tests can await specific ones. */
export class FrameCollector<F> {
  readonly frames: F[] = [];
  private waiters: { match: (f: F) => boolean; resolve: (f: F) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket, decode: (text: string) => F) {
    ws.on('message', (data: Buffer) => {
      const frame = decode(data.toString('utf8'));
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) => ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame (including already received ones after `fromIndex`) matching `match`. */
  nextFrame(match: (f: F) => boolean, timeoutMs = 2000, fromIndex = 0): Promise<F> {
    const existing = this.frames.slice(fromIndex).find(match);
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`)), timeoutMs);
      this.waiters.push({ match, resolve: (f) => { clearTimeout(timer); resolve(f); } });
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Opens a socket and wraps it; a refused handshake rejects with UpgradeRejected (status and body). */
export function connect<C>(url: string, wrap: (ws: WebSocket) => C): Promise<C> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const client = wrap(ws);
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => reject(new UpgradeRejected(res.statusCode ?? 0, body)));
      ws.on('error', () => undefined);
    });
    ws.once('error', (e) => reject(e));
  });
}

/** A MEXC chat socket: every frame is JSON. */
export class Client extends FrameCollector<unknown> {
  constructor(ws: WebSocket) {
    super(ws, (text) => JSON.parse(text) as unknown);
  }

  sendMessage(params: Record<string, unknown>): void {
    this.send({ method: 'SEND_MESSAGE', params: JSON.stringify(params) });
  }

  next(match: (f: unknown) => boolean, timeoutMs = 2000, fromIndex = 0): Promise<unknown> {
    return this.nextFrame(match, timeoutMs, fromIndex);
  }
}

export function openSocket(sb: Sandbox, listenKey: string, conversationId: number | string): Promise<Client> {
  return connect(`${sb.venue('mexc').wsUrl}?listenKey=${listenKey}&conversationId=${conversationId}`, (ws) => new Client(ws));
}

export async function expectRejected(promise: Promise<unknown>): Promise<UpgradeRejected> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof UpgradeRejected) return e;
    throw e;
  }
  throw new Error('expected the upgrade to be rejected');
}

export const receiveSchema = z.object({
  success: z.literal(true),
  msg: z.literal('success'),
  method: z.literal('RECEIVE_MESSAGE'),
  data: z.string(),
});

export const pushDataSchema = z.object({
  id: z.number().int(),
  content: z.string(),
  conversationId: z.number().int(),
  type: z.number().int(),
  imageUrl: z.string(),
  imageThumbUrl: z.string(),
  videoUrl: z.string(),
  fileUrl: z.string(),
  createTime: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
  self: z.boolean(),
  fromUserId: z.string(),
  fromNickName: z.string(),
});
export type PushData = z.infer<typeof pushDataSchema>;

export const isMethod = (method: string) => (f: unknown): boolean => typeof f === 'object' && f !== null && 'method' in f && f.method === method;

/** Decoded `data` of a RECEIVE_MESSAGE frame, or undefined for any other frame. */
export function pushData(frame: unknown): PushData | undefined {
  const envelope = receiveSchema.safeParse(frame);
  if (!envelope.success) return undefined;
  return pushDataSchema.parse(JSON.parse(envelope.data.data));
}

export const isPush = (match: (d: PushData) => boolean = () => true) => (f: unknown): boolean => {
  const data = pushData(f);
  return data !== undefined && match(data);
};

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A settable clock for listenKey / lifetime tests. */
export function manualClock(start = Date.UTC(2025, 0, 26, 4, 0, 0)): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}
