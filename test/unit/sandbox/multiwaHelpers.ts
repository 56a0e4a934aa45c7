// Test-side client for the MultiWA emulator: plain fetch for REST, socket.io-client and ws for the
// two realtime transports, as a client would use them (never the sandbox's own code paths).
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { MultiwaEmulator, type MultiwaEmulatorOptions } from '../../../sandbox/multiwa/emulator';

/** Fast lifecycle, no send spacing, counterparty off unless asked. */
export const FAST: MultiwaEmulatorOptions = {
  messageDelayMs: 0, counterparty: false, counterpartyReplyDelayMs: 20, ackSentDelayMs: 5, deliveredDelayMs: 15, readDelayMs: 30,
  queueDelayMs: 10, qrFirstDelayMs: 5, qrIntervalMs: 60, recoverAfterMs: 30, pingIntervalMs: 200, pingTimeoutMs: 200, longHistory: 320,
};

export async function startMultiwa(options: MultiwaEmulatorOptions = {}): Promise<MultiwaEmulator> {
  const e = new MultiwaEmulator({ ...FAST, ...options });
  await e.start('127.0.0.1', 0);
  return e;
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

export type Creds = { apiKey: string } | { token: string } | Record<string, never>;

function headersOf(creds: Creds): Record<string, string> {
  if ('apiKey' in creds) return { 'x-api-key': creds.apiKey };
  if ('token' in creds) return { authorization: `Bearer ${creds.token}` };
  return {};
}

export async function call(e: MultiwaEmulator, method: string, path: string, creds: Creds, body?: unknown): Promise<Reply> {
  const r = await fetch(`${e.baseUrl}/api/v1${path}`, {
    method, headers: { ...headersOf(creds), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: r.headers };
}

export function apiKeyOf(e: MultiwaEmulator, index = 0): { apiKey: string } {
  return { apiKey: e.seededAccounts()[index]!.apiKey };
}

export const profileOf = (e: MultiwaEmulator, index = 0): string => e.seededAccounts()[index]!.profileId;

export async function login(e: MultiwaEmulator, index = 1): Promise<{ accessToken: string; refreshToken: string }> {
  const a = e.seededAccounts()[index]!;
  const r = await call(e, 'POST', '/auth/login', {}, { email: a.email, password: a.password });
  if (r.status !== 201) throw new Error(`login failed ${r.status}`);
  return r.body as { accessToken: string; refreshToken: string };
}

export function rec(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new Error(`not an object: ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

export function list(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new Error(`not an array: ${JSON.stringify(value)}`);
  return value.map(rec);
}

/** A Socket.IO client on /ws, connected (or rejected: resolves with the socket either way after the first outcome). */
export function sio(e: MultiwaEmulator, opts: { auth?: Record<string, string>; query?: Record<string, string>; extraHeaders?: Record<string, string> } = {}): Socket {
  return io(`${e.baseUrl}/ws`, { auth: opts.auth ?? {}, query: opts.query, extraHeaders: opts.extraHeaders, transports: ['websocket'], reconnection: false, forceNew: true });
}

/** Every event the socket receives, in order. */
export function recordEvents(socket: Socket): { name: string; payload: unknown }[] {
  const out: { name: string; payload: unknown }[] = [];
  socket.onAny((name: string, payload: unknown) => out.push({ name, payload }));
  return out;
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

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err: Error) => reject(err));
  });
}

export interface PlainClient {
  readonly ws: WebSocket;
  readonly frames: Record<string, unknown>[];
  readonly raw: string[];
  send(frame: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
}

export function plain(e: MultiwaEmulator, query: string): Promise<PlainClient> {
  const ws = new WebSocket(`${e.baseUrl.replace(/^http/, 'ws')}/ws?${query}`);
  const frames: Record<string, unknown>[] = [];
  const raw: string[] = [];
  ws.on('message', (d: Buffer) => {
    const text = d.toString('utf8');
    raw.push(text);
    try {
      frames.push(rec(JSON.parse(text)));
    } catch {
      // malformed frames stay in `raw` only
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, frames, raw, send: (f) => ws.send(JSON.stringify(f)), closed }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused ${res.statusCode ?? 0}`)));
    ws.once('error', reject);
  });
}

export async function firstConversation(e: MultiwaEmulator, creds: Creds = apiKeyOf(e)): Promise<Record<string, unknown>> {
  const r = await call(e, 'GET', `/conversations?profileId=${profileOf(e)}&limit=1`, creds);
  return list(rec(r.body).conversations)[0]!;
}
