// The Binance chat socket's JSON frames (docs/venue-protocols.md, Binance: chat socket). Client
// frames are flat JSON: `text` and `image` sends, and the app-level `ping`. The validation is
// strict on purpose: a send without a uuid, with an order that is not the user's, an empty text or
// an image URL the venue never issued must fail here, not in production.
import * as z from 'zod';
import type { MessageFields, StoredMessage } from './store';

export const MAX_TEXT_LENGTH = 2000;

const baseSend = z.object({
  uuid: z.string().min(1).max(64),
  orderNo: z.string().regex(/^\d{1,32}$/).optional(),
  /** Some clients and frames name the order `topicId`. */
  topicId: z.string().regex(/^\d{1,32}$/).optional(),
  createTime: z.number().int().nonnegative().optional(),
  self: z.boolean().optional(),
  clientType: z.string().optional(),
  sendStatus: z.number().int().optional(),
});

const textSend = baseSend.extend({ type: z.literal('text'), content: z.string().min(1).max(MAX_TEXT_LENGTH) });
const imageSend = baseSend.extend({
  type: z.literal('image'),
  imageUrl: z.string().regex(/^https?:\/\//),
  thumbnailUrl: z.string().regex(/^https?:\/\//).optional(),
  imageType: z.string().max(16).optional(),
  width: z.number().int().nonnegative().optional(),
  height: z.number().int().nonnegative().optional(),
  content: z.string().max(MAX_TEXT_LENGTH).optional(),
});

export interface SendRequest {
  readonly uuid: string;
  readonly orderNo: string;
  readonly fields: MessageFields;
}

export type ClientFrame =
  | { readonly kind: 'ping' }
  | { readonly kind: 'send'; readonly request: SendRequest }
  | { readonly kind: 'invalid'; readonly reason: string; readonly uuid: string | null; readonly type: string | null; readonly orderNo: string | null };

function pick(parsed: unknown, key: string): string | null {
  if (parsed === null || typeof parsed !== 'object' || !(key in parsed)) return null;
  const value: unknown = (parsed as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : null;
}

export function parseClientFrame(raw: string): ClientFrame {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { kind: 'invalid', reason: 'not JSON', uuid: null, type: null, orderNo: null };
  }
  const type = pick(parsed, 'type');
  const uuid = pick(parsed, 'uuid');
  const orderNo = pick(parsed, 'orderNo') ?? pick(parsed, 'topicId');
  const invalid = (reason: string): ClientFrame => ({ kind: 'invalid', reason, uuid, type, orderNo });
  if (type === 'ping') return { kind: 'ping' };
  const schema = type === 'text' ? textSend : type === 'image' ? imageSend : undefined;
  if (!schema) return invalid(`type ${JSON.stringify(type)} cannot be sent`);
  const result = schema.safeParse(parsed);
  if (!result.success) return invalid(result.error.issues.map((i) => `${i.path.join('.') || 'frame'}: ${i.message}`).join('; '));
  const v = result.data;
  if (v.orderNo !== undefined && v.topicId !== undefined && v.orderNo !== v.topicId) return invalid('orderNo and topicId differ');
  const order = v.orderNo ?? v.topicId;
  if (order === undefined) return invalid('orderNo required');
  const fields: MessageFields =
    v.type === 'text'
      ? { type: 'text', content: v.content }
      : {
          type: 'image', content: v.content ?? '', imageUrl: v.imageUrl, thumbnailUrl: v.thumbnailUrl ?? v.imageUrl,
          ...(v.imageType !== undefined ? { imageType: v.imageType } : {}),
          ...(v.width !== undefined ? { width: v.width } : {}),
          ...(v.height !== undefined ? { height: v.height } : {}),
        };
  return { kind: 'send', request: { uuid: v.uuid, orderNo: order, fields } };
}

/** Which key carries the order number in pushes and history items (both: the two variants seen). */
export type OrderKeyField = 'orderNo' | 'topicId' | 'both';

/** A message as pushed and as listed by history, from `viewerUserId`'s point of view. */
export function messageItem(m: StoredMessage, viewerUserId: string, orderKey: OrderKeyField = 'orderNo'): Record<string, unknown> {
  return {
    id: m.id,
    uuid: m.uuid,
    ...(orderKey !== 'topicId' ? { orderNo: m.orderNo } : {}),
    ...(orderKey !== 'orderNo' ? { topicId: m.orderNo } : {}),
    type: m.type,
    content: m.content,
    createTime: m.createTime,
    fromNickName: m.fromNickName,
    self: m.fromUserId !== '' && m.fromUserId === viewerUserId,
    status: m.status,
    clientType: 'web',
    ...(m.imageUrl !== undefined ? { imageUrl: m.imageUrl } : {}),
    ...(m.thumbnailUrl !== undefined ? { thumbnailUrl: m.thumbnailUrl } : {}),
    ...(m.imageType !== undefined ? { imageType: m.imageType } : {}),
    ...(m.width !== undefined ? { width: m.width } : {}),
    ...(m.height !== undefined ? { height: m.height } : {}),
  };
}

export const errorFrame = (uuid: string | null): string => JSON.stringify({ type: 'error', content: 'ILLEGAL_PARAM', uuid });
export const PONG = JSON.stringify({ type: 'pong' });
/** What a displaced socket receives before it is closed. */
export const BYE = 'Bye';
