// MEXC chat WebSocket codec (docs/venue-protocols.md, MEXC: chat socket). Frames are JSON text;
// `params` (out) and `data` (in) are JSON strings holding JSON. Everything inbound is untrusted and
// validated.
import * as z from 'zod';

export const PING_FRAME = JSON.stringify({ method: 'PING' });

export const MEXC_TYPE = { text: 1, image: 2, video: 3, file: 4 } as const;
export type MexcMessageType = (typeof MEXC_TYPE)[keyof typeof MEXC_TYPE];

export interface MexcSendParams {
  readonly conversationId: number;
  readonly type: MexcMessageType;
  readonly content: string;
  readonly imageUrl?: string;
  readonly imageThumbUrl?: string;
  readonly videoUrl?: string;
  readonly fileUrl?: string;
}

export function encodeSend(p: MexcSendParams): string {
  const inner = {
    content: p.content,
    conversationId: p.conversationId,
    type: p.type,
    imageUrl: p.imageUrl ?? '',
    imageThumbUrl: p.imageThumbUrl ?? '',
    videoUrl: p.videoUrl ?? '',
    fileUrl: p.fileUrl ?? '',
  };
  return JSON.stringify({ method: 'SEND_MESSAGE', params: JSON.stringify(inner) });
}

const optionalText = z.string().nullish().transform((v) => v ?? '');

const chatMessageSchema = z.object({
  id: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform((v) => String(v)),
  content: optionalText,
  conversationId: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform((v) => String(v)),
  type: z.number().int().min(1).max(4),
  imageUrl: optionalText,
  imageThumbUrl: optionalText,
  videoUrl: optionalText,
  fileUrl: optionalText,
  createTime: z.string(),
  self: z.boolean(),
  fromUserId: optionalText,
  fromNickName: optionalText,
});

export type MexcChatMessage = z.output<typeof chatMessageSchema>;

const envelopeSchema = z.object({
  method: z.string().optional(),
  success: z.boolean().optional(),
  msg: z.string().optional(),
  data: z.unknown().optional(),
});

export type MexcInbound =
  | { readonly kind: 'message'; readonly message: MexcChatMessage }
  | { readonly kind: 'pong' }
  | { readonly kind: 'reply'; readonly method: string; readonly success: boolean; readonly msg: string }
  | { readonly kind: 'invalid'; readonly detail: string };

export function decodeFrame(text: string): MexcInbound {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'invalid', detail: `not JSON: ${preview(text)}` };
  }
  const env = envelopeSchema.safeParse(raw);
  if (!env.success) return { kind: 'invalid', detail: `not an envelope: ${preview(text)}` };
  const { method, success, msg, data } = env.data;
  if (method === 'PING') return { kind: 'pong' };
  if (method === 'RECEIVE_MESSAGE') {
    let inner: unknown = data;
    if (typeof data === 'string') {
      try {
        inner = JSON.parse(data);
      } catch {
        return { kind: 'invalid', detail: `RECEIVE_MESSAGE data is not JSON: ${preview(data)}` };
      }
    }
    const message = chatMessageSchema.safeParse(inner);
    if (!message.success) return { kind: 'invalid', detail: `RECEIVE_MESSAGE has bad fields: ${z.prettifyError(message.error)}` };
    return { kind: 'message', message: message.data };
  }
  if (typeof method === 'string' && typeof success === 'boolean') {
    return { kind: 'reply', method, success, msg: msg ?? '' };
  }
  if (success === false) return { kind: 'reply', method: method ?? '', success: false, msg: msg ?? '' };
  return { kind: 'invalid', detail: `unknown frame: ${preview(text)}` };
}

/**
 * MEXC's createTime is a zone-less "YYYY-MM-DD HH:mm:ss" (docs/venue-protocols.md). It is read in
 * the account's configured offset (UTC+8 by default, the venue's usual zone) and the raw text is
 * kept.
 */
export function parseMexcTime(text: string, offsetMinutes: number): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number((ms ?? '0').padEnd(3, '0')));
  return Number.isFinite(utc) ? utc - offsetMinutes * 60_000 : undefined;
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
