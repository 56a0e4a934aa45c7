// Test-side client for the Bybit emulator: signs with node:crypto directly (not with the sandbox's
// verifier, not with src/), HMAC or RSA by the account's key type, over the exact bytes it sends.
import { createHmac, randomBytes, sign as rsaSign } from 'node:crypto';
import { z } from 'zod';
import type { Sandbox } from '../../../sandbox/index';
import type { BybitCredentials } from '../../../sandbox/bybit/emulator';

export function bybitCredentials(sb: Sandbox, index = 0): BybitCredentials {
  const a = sb.venue('bybit').accounts()[index];
  if (!a) throw new Error(`no Bybit account ${index}`);
  return a.credentials;
}

export function signPayload(creds: BybitCredentials, bytes: Buffer): string {
  return creds.keyType === 'hmac' ? createHmac('sha256', creds.secret).update(bytes).digest('hex') : rsaSign('sha256', bytes, creds.privateKey).toString('base64');
}

export interface BybitCall {
  method?: 'GET' | 'POST';
  /** A JSON body (object → JSON.stringify, string → sent as is). */
  body?: unknown;
  /** GET: the raw query string. */
  query?: string;
  /** Multipart upload: one file field. */
  file?: { field?: string; name: string; contentType?: string; data: Buffer };
  account?: number;
  apiKey?: string | null;
  timestamp?: number;
  recvWindow?: number | null;
  /** Replace the computed signature (null: send none). */
  signature?: string | null;
  /** Sign these bytes instead of the ones sent. */
  signBytes?: Buffer;
  /** Sign with another account's key (wrong secret / key pair). */
  signAs?: number;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

function multipart(file: NonNullable<BybitCall['file']>): { bytes: Buffer; contentType: string } {
  const boundary = `----sandboxtest${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'upload_file'}"; filename="${file.name}"\r\nContent-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`;
  return { bytes: Buffer.concat([Buffer.from(head), file.data, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function callBybit(sb: Sandbox, path: string, opts: BybitCall = {}): Promise<Reply> {
  const bybit = sb.venue('bybit');
  const creds = bybitCredentials(sb, opts.account ?? 0);
  const method = opts.method ?? (opts.query !== undefined ? 'GET' : 'POST');
  let payload: Buffer;
  let contentType = 'application/json';
  if (opts.file) {
    const m = multipart(opts.file);
    payload = m.bytes;
    contentType = m.contentType;
  } else if (method === 'GET') {
    payload = Buffer.from(opts.query ?? '');
  } else {
    payload = Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body ?? {}));
  }
  const timestamp = opts.timestamp ?? bybit.now();
  const recvWindow = opts.recvWindow === undefined ? 5000 : opts.recvWindow;
  const apiKey = opts.apiKey === undefined ? creds.apiKey : opts.apiKey;
  const signer = opts.signAs !== undefined ? bybitCredentials(sb, opts.signAs) : creds;
  const prefix = Buffer.from(`${timestamp}${apiKey ?? ''}${recvWindow ?? ''}`);
  const signature = opts.signature === undefined ? signPayload(signer, opts.signBytes ?? Buffer.concat([prefix, payload])) : opts.signature;
  const headers: Record<string, string> = { 'X-BAPI-TIMESTAMP': String(timestamp), 'X-BAPI-SIGN-TYPE': '2' };
  if (method === 'POST') headers['Content-Type'] = contentType;
  if (apiKey !== null) headers['X-BAPI-API-KEY'] = apiKey;
  if (recvWindow !== null) headers['X-BAPI-RECV-WINDOW'] = String(recvWindow);
  if (signature !== null) headers['X-BAPI-SIGN'] = signature;
  const url = `${bybit.restUrl}${path}${method === 'GET' && opts.query ? `?${opts.query}` : ''}`;
  const res = await fetch(url, { method, headers, body: method === 'POST' ? new Uint8Array(payload) : undefined });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export const envelopeSchema = z
  .object({ ret_code: z.number(), ret_msg: z.string(), result: z.unknown(), ext_code: z.literal(''), ext_info: z.object({}), time_now: z.string().regex(/^\d{10}\.\d{6}$/) })
  .strict();

/** The `result` of a successful P2P reply; throws with the reply otherwise. */
export function okResult(reply: Reply): unknown {
  const parsed = envelopeSchema.safeParse(reply.body);
  if (reply.status !== 200 || !parsed.success || parsed.data.ret_code !== 0) throw new Error(`not a success: HTTP ${reply.status} ${reply.text}`);
  return parsed.data.result;
}

/** The ret_code of an HTTP 200 envelope reply. */
export function retCode(reply: Reply): number {
  if (reply.status !== 200) throw new Error(`HTTP ${reply.status}: ${reply.text}`);
  return envelopeSchema.parse(reply.body).ret_code;
}

export const sessionMessageSchema = z
  .object({ id: z.string().regex(/^\d+$/), sendUserNickName: z.string(), contentType: z.enum(['str', 'pic', 'pdf', 'video']), message: z.string(), createDate: z.string().regex(/^\d{13}$/) })
  .strict();
export type SessionMessage = z.infer<typeof sessionMessageSchema>;
export const innerSchema = z.object({ content: z.string(), msgType: z.number().int(), fileName: z.string() }).strict();

export const legacyMessageSchema = z
  .object({
    id: z.string().regex(/^\d+$/), accountId: z.string(), message: z.string(), msgType: z.number().int(), msgCode: z.number().int(), createDate: z.string().regex(/^\d{13}$/),
    isRead: z.union([z.literal(0), z.literal(1)]), contentType: z.string(), roleType: z.string(), userId: z.string(), orderId: z.string(), msgUuid: z.string(),
    nickName: z.string(), read: z.number(), fileName: z.string(), onlyForCustomer: z.number(),
  })
  .strict();
export type LegacyMessage = z.infer<typeof legacyMessageSchema>;

export async function sessionPage(sb: Sandbox, sessionId: string, limit: number, lastId = '0', account = 0, path = '/v5/p2p/chat/message/listpage'): Promise<SessionMessage[]> {
  const result = z.object({ messages: z.array(sessionMessageSchema) }).parse(okResult(await callBybit(sb, path, { account, body: { sessionId, limit, lastId } })));
  return result.messages;
}

export async function legacyPage(sb: Sandbox, orderId: string, size: number, currentPage = 1, account = 0): Promise<LegacyMessage[]> {
  return z.array(legacyMessageSchema).parse(okResult(await callBybit(sb, '/v5/p2p/order/message/listpage', { account, body: { orderId, currentPage: String(currentPage), size: String(size) } })));
}

/** An order of an account by status (the first, newest first). */
export function orderOf(sb: Sandbox, account: number, status: number, pick = 0): { orderId: string; sessionId: string; targetUserMaskId: string; targetNickName: string } {
  const order = sb.venue('bybit').orders(account).filter((o) => o.status === status)[pick];
  if (!order) throw new Error(`no order with status ${status} for account ${account}`);
  return order;
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value (the emulator's timers are real); fails after `ms`. */
export async function eventually<T>(check: () => T | undefined, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await delay(10);
  }
}
