// Binance C2C chat socket codec (docs/venue-protocols.md, Binance: chat socket). One socket per
// user carries every order's chat as flat JSON text frames; the plain text `Bye` means another
// client took the session. Everything inbound is untrusted and checked here.
import * as z from 'zod';
import { preview } from '../framePreview';
import * as l10n from '@vscode/l10n';

/**
 * A chat message, pushed on the socket or read from history (one family, docs/venue-protocols.md).
 * `orderNo` may come as `topicId`.
 */
/** Ids are kept exactly, so one too long to store is refused with its frame rather than cut. */
const MAX_ID_LENGTH = 1024;
const idField = z.union([z.string().min(1).max(MAX_ID_LENGTH), z.number().int()]).transform((v) => String(v));

export const chatMessageSchema = z
  .object({
    id: idField,
    uuid: z.string().max(MAX_ID_LENGTH).nullish(),
    orderNo: idField.nullish(),
    topicId: idField.nullish(),
    type: z.string().min(1),
    content: z.string().nullish(),
    createTime: z.union([z.number(), z.string().regex(/^\d+$/)]).transform((v) => Number(v)),
    fromNickName: z.string().nullish(),
    self: z.boolean().nullish(),
    status: z.string().nullish(),
    imageUrl: z.string().nullish(),
    thumbnailUrl: z.string().nullish(),
    imageType: z.string().nullish(),
    width: z.number().nullish(),
    height: z.number().nullish(),
  })
  .passthrough();
export type PushedMessage = z.output<typeof chatMessageSchema> & { readonly orderNo: string };

export type BinanceInbound =
  | { readonly kind: 'message'; readonly message: PushedMessage }
  | { readonly kind: 'error'; readonly uuid?: string; readonly reason: string }
  | { readonly kind: 'bye' }
  | { readonly kind: 'pong' }
  | { readonly kind: 'ping' }
  | { readonly kind: 'invalid'; readonly detail: string };

/** An error's reason and a rejection's account of a frame are shown and logged: a line, not a page. */
const MAX_REASON_CHARS = 500;

export function decodeFrame(text: string): BinanceInbound {
  if (text.trim() === 'Bye') return { kind: 'bye' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'invalid', detail: `not JSON: ${preview(text)}` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { kind: 'invalid', detail: `not an object: ${preview(text)}` };
  const type = (raw as { type?: unknown }).type;
  if (type === 'pong') return { kind: 'pong' };
  if (type === 'ping') return { kind: 'ping' };
  if (type === 'error') {
    const { uuid, content } = raw as { uuid?: unknown; content?: unknown };
    return { kind: 'error', ...(typeof uuid === 'string' && uuid ? { uuid } : {}), reason: typeof content === 'string' && content ? preview(content, MAX_REASON_CHARS) : l10n.t('no reason given') };
  }
  const parsed = chatMessageSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'invalid', detail: `bad message frame: ${preview(z.prettifyError(parsed.error), MAX_REASON_CHARS)}` };
  const orderNo = parsed.data.orderNo ?? parsed.data.topicId;
  if (!orderNo) return { kind: 'invalid', detail: `message ${preview(parsed.data.id)} names no order` };
  return { kind: 'message', message: { ...parsed.data, orderNo } };
}

export const APP_PING_FRAME = JSON.stringify({ type: 'ping' });

export function encodeText(p: { uuid: string; orderNo: string; content: string; createTime: number }): string {
  return JSON.stringify({ type: 'text', uuid: p.uuid, orderNo: p.orderNo, content: p.content, self: true, clientType: 'web', createTime: p.createTime, sendStatus: 0 });
}

export function encodeImage(p: { uuid: string; orderNo: string; imageUrl: string; thumbnailUrl?: string; imageType: string; width?: number; height?: number; createTime: number }): string {
  return JSON.stringify({
    type: 'image',
    uuid: p.uuid,
    orderNo: p.orderNo,
    createTime: p.createTime,
    imageUrl: p.imageUrl,
    thumbnailUrl: p.thumbnailUrl ?? p.imageUrl,
    imageType: p.imageType,
    ...(p.width === undefined ? {} : { width: p.width }),
    ...(p.height === undefined ? {} : { height: p.height }),
    self: true,
    clientType: 'web',
    sendStatus: 0,
  });
}

