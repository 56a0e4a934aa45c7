// Test-side client for the Binance emulator: signs with node:crypto directly (not with the
// sandbox's verifier, not with src/), opens the chat socket with `ws`, and collects its frames
// (text frames kept raw too, since the venue's `Bye` is not JSON). The socket plumbing, signing
// and waiting come from helpers.ts, shared with the MEXC tests.
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { Sandbox } from '../../../sandbox/index';
import { FrameCollector, connect, credentialsOf, sign, timedQuery } from './helpers';

export { delay, expectRejected, UpgradeRejected } from './helpers';

export interface BinanceCall {
  method?: string;
  /** Business parameters, already encoded (`a=1&b=2`); timestamp and signature are appended. */
  query?: string;
  /** A JSON body (sent unsigned) or, with `form`, a form body (signed). */
  body?: string;
  form?: boolean;
  account?: number;
  /** Override the header (null: send none). */
  apiKey?: string | null;
  secretKey?: string;
  timestamp?: number | null;
  recvWindow?: number;
  /** Replace the computed signature (null: send none). */
  signature?: string | null;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

export function binanceAccount(sb: Sandbox, index = 0): { apiKey: string; secretKey: string } {
  return credentialsOf(sb, 'binance', index);
}

export async function callBinance(sb: Sandbox, path: string, opts: BinanceCall = {}): Promise<Reply> {
  const creds = binanceAccount(sb, opts.account ?? 0);
  const query = timedQuery(opts, sb.venue('binance').now());
  const body = opts.body ?? '';
  const signed = opts.form ? query + body : query;
  const signature = opts.signature === undefined ? sign(opts.secretKey ?? creds.secretKey, signed) : opts.signature;
  // `signature` goes last: after the form body when there is one, else after the query.
  const sigPart = (before: string): string => (signature === null ? '' : `${before ? '&' : ''}signature=${signature}`);
  const url = `${sb.venue('binance').restUrl}${path}?${query}${opts.form ? '' : sigPart(query)}`;
  const sentBody = opts.form ? body + sigPart(body) : body;
  const headers: Record<string, string> = { 'Content-Type': opts.form ? 'application/x-www-form-urlencoded' : 'application/json', clientType: 'web', ...opts.headers };
  const apiKey = opts.apiKey === undefined ? creds.apiKey : opts.apiKey;
  if (apiKey !== null) headers['X-MBX-APIKEY'] = apiKey;
  const res = await fetch(url, { method: opts.method ?? 'GET', headers, body: sentBody === '' ? undefined : sentBody });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

export const okSchema = z.object({ code: z.literal('000000'), message: z.literal('success'), data: z.unknown(), total: z.number().optional(), success: z.literal(true) });

/** The `data` (and `total`) of a successful C2C reply; throws with the reply otherwise. */
export function okData(reply: Reply): { data: unknown; total: number | undefined } {
  const parsed = okSchema.safeParse(reply.body);
  if (reply.status !== 200 || !parsed.success) throw new Error(`not a success: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  return { data: parsed.data.data, total: parsed.data.total };
}

export const credentialSchema = z.object({ chatWssUrl: z.string(), listenKey: z.string().regex(/^c2c_[0-9a-f]{32}_v2$/), listenToken: z.string().regex(/^TOKEN[0-9a-f]{32}$/) });
export type Credential = z.infer<typeof credentialSchema>;

export async function credential(sb: Sandbox, account = 0): Promise<Credential> {
  return credentialSchema.parse(okData(await callBinance(sb, '/sapi/v1/c2c/chat/retrieveChatCredential', { account })).data);
}

export const itemSchema = z.object({
  id: z.number().int(),
  uuid: z.string(),
  orderNo: z.string(),
  type: z.string(),
  content: z.string(),
  createTime: z.number().int(),
  fromNickName: z.string(),
  self: z.boolean(),
  status: z.enum(['read', 'unread']),
  imageUrl: z.string().optional(),
  thumbnailUrl: z.string().optional(),
});
export type Item = z.infer<typeof itemSchema>;

/** Collects every text frame of a chat socket (raw, and parsed when it is JSON). */
export class ChatClient extends FrameCollector<string> {
  constructor(ws: WebSocket) {
    super(ws, (text) => text);
  }

  get raw(): readonly string[] {
    return this.frames;
  }

  get json(): unknown[] {
    return this.raw.flatMap((r) => {
      try {
        return [JSON.parse(r) as unknown];
      } catch {
        return [];
      }
    });
  }

  /** The first frame (already received or coming) whose parsed JSON matches. */
  async next(match: (frame: Record<string, unknown>) => boolean, timeoutMs = 2000): Promise<Record<string, unknown>> {
    const raw = await this.nextRaw((text) => {
      const parsed = parseObject(text);
      return parsed !== undefined && match(parsed);
    }, timeoutMs);
    return parseObject(raw)!;
  }

  nextRaw(match: (raw: string) => boolean, timeoutMs = 2000): Promise<string> {
    return this.nextFrame(match, timeoutMs);
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function openChatUrl(url: string): Promise<ChatClient> {
  return connect(url, (ws) => new ChatClient(ws));
}

export const chatUrl = (c: Credential, token = c.listenToken): string => `${c.chatWssUrl}/${c.listenKey}?token=${token}&clientType=web`;

/** A fresh credential, then the socket (the documented way to connect). */
export async function openChat(sb: Sandbox, account = 0): Promise<ChatClient> {
  return openChatUrl(chatUrl(await credential(sb, account)));
}

/** Order numbers of an account by state, from the hooks. */
export function orderOf(sb: Sandbox, account: number, status: string, shared = false): string {
  const apiKey = binanceAccount(sb, account).apiKey;
  const order = sb.venue('binance').orders(account).find((o) => o.status === status && o.apiKeys.includes(apiKey) && (o.apiKeys.length === 2) === shared);
  if (!order) throw new Error(`no ${status} order for account ${account}`);
  return order.orderNo;
}

export function textFrame(orderNo: string, content: string, uuid: string): Record<string, unknown> {
  return { type: 'text', uuid, orderNo, content, self: true, clientType: 'web', createTime: Date.now(), sendStatus: 0 };
}

export const isMessage = (pred: (f: Record<string, unknown>) => boolean = () => true) => (f: Record<string, unknown>): boolean =>
  typeof f.id === 'number' && pred(f);
