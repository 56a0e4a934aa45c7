// The MEXC chat socket's JSON frames (docs/venue-protocols.md, MEXC: chat socket). Client → server
// frames carry `params` as a JSON *string*; server → client pushes carry `data` as a JSON string.
// The validation is strict on purpose: a client that sends `params` as an object, a string
// conversationId or a type-2 message without imageUrl must fail here, not in production.
import * as z from 'zod';
import { formatCreateTime } from './time';
import type { MessageType, StoredMessage } from './store';

export const MAX_CONTENT_LENGTH = 2000;

const frameSchema = z.object({ method: z.string(), params: z.unknown().optional() });

const optionalUrl = (name: string) => z.string({ error: `${name} must be a string` }).optional();

export const sendMessageParamsSchema = z.object({
  content: z
    .string({ error: 'content must be a string' })
    .max(MAX_CONTENT_LENGTH, { error: `content exceeds ${MAX_CONTENT_LENGTH} characters` })
    .optional(),
  conversationId: z.number({ error: 'conversationId must be an integer' }).int({ error: 'conversationId must be an integer' }),
  type: z
    .number({ error: 'type must be 1, 2, 3 or 4' })
    .int({ error: 'type must be 1, 2, 3 or 4' })
    .min(1, { error: 'type must be 1, 2, 3 or 4' })
    .max(4, { error: 'type must be 1, 2, 3 or 4' }),
  imageUrl: optionalUrl('imageUrl'),
  imageThumbUrl: optionalUrl('imageThumbUrl'),
  videoUrl: optionalUrl('videoUrl'),
  fileUrl: optionalUrl('fileUrl'),
});

export interface SendMessageParams {
  readonly content: string;
  readonly conversationId: number;
  readonly type: MessageType;
  readonly imageUrl: string;
  readonly imageThumbUrl: string;
  readonly videoUrl: string;
  readonly fileUrl: string;
}

export type ClientFrame =
  | { readonly kind: 'invalid-json' }
  | { readonly kind: 'no-method'; readonly parsed: unknown }
  | { readonly kind: 'ping' }
  | { readonly kind: 'send'; readonly params: SendMessageParams; readonly decoded: unknown }
  | { readonly kind: 'send-invalid'; readonly reason: string; readonly decoded: unknown }
  | { readonly kind: 'unknown'; readonly method: string; readonly decoded: unknown };

const REQUIRED_URL: Record<MessageType, keyof SendMessageParams | null> = { 1: null, 2: 'imageUrl', 3: 'videoUrl', 4: 'fileUrl' };

function decodeParams(params: unknown): unknown {
  if (typeof params !== 'string') return params ?? null;
  try {
    return JSON.parse(params) as unknown;
  } catch {
    return params;
  }
}

function validateSend(params: unknown, socketConversationId: number): { ok: true; params: SendMessageParams } | { ok: false; reason: string } {
  if (typeof params !== 'string') return { ok: false, reason: 'params must be a JSON string' };
  let inner: unknown;
  try {
    inner = JSON.parse(params);
  } catch {
    return { ok: false, reason: 'params is not valid json' };
  }
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return { ok: false, reason: 'params is not valid json' };
  const parsed = sendMessageParamsSchema.safeParse(inner);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues[0]?.message ?? 'invalid params' };
  const p = parsed.data;
  if (p.conversationId !== socketConversationId) return { ok: false, reason: 'conversationId does not match this connection' };
  const type = p.type as MessageType;
  const message: SendMessageParams = {
    content: p.content ?? '',
    conversationId: p.conversationId,
    type,
    imageUrl: p.imageUrl ?? '',
    imageThumbUrl: p.imageThumbUrl ?? '',
    videoUrl: p.videoUrl ?? '',
    fileUrl: p.fileUrl ?? '',
  };
  if (type === 1 && message.content.trim() === '') return { ok: false, reason: 'content is required for type 1' };
  const required = REQUIRED_URL[type];
  if (required && String(message[required]).trim() === '') return { ok: false, reason: `${required} is required for type ${type}` };
  return { ok: true, params: message };
}

export function parseClientFrame(raw: string, socketConversationId: number): ClientFrame {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { kind: 'invalid-json' };
  }
  const frame = frameSchema.safeParse(parsed);
  if (!frame.success) return { kind: 'no-method', parsed };
  const { method, params } = frame.data;
  const decoded = decodeParams(params);
  switch (method) {
    case 'PING':
      return { kind: 'ping' };
    case 'SEND_MESSAGE': {
      const result = validateSend(params, socketConversationId);
      return result.ok ? { kind: 'send', params: result.params, decoded } : { kind: 'send-invalid', reason: result.reason, decoded };
    }
    default:
      return { kind: 'unknown', method, decoded };
  }
}

export interface ServerReply {
  readonly success: boolean;
  readonly method?: string;
  readonly msg: string;
  readonly data?: string;
}

export const Replies = {
  pong: (): ServerReply => ({ success: true, method: 'PING', msg: 'success', data: 'PONG' }),
  sendOk: (): ServerReply => ({ success: true, method: 'SEND_MESSAGE', msg: 'success' }),
  sendFailed: (reason: string): ServerReply => ({ success: false, method: 'SEND_MESSAGE', msg: reason }),
  unknownMethod: (method: string): ServerReply => ({ success: false, method, msg: 'unknown method' }),
  invalidJson: (): ServerReply => ({ success: false, msg: 'invalid json' }),
  noMethod: (): ServerReply => ({ success: false, msg: 'method required' }),
} as const;

/** RECEIVE_MESSAGE push; `self` depends on who receives it, so it is built per recipient. */
export function receiveMessageFrame(message: StoredMessage, recipientUserId: string, offsetMinutes: number): string {
  const data = {
    id: message.id,
    content: message.content,
    conversationId: message.conversationId,
    type: message.type,
    imageUrl: message.imageUrl,
    imageThumbUrl: message.imageThumbUrl,
    videoUrl: message.videoUrl,
    fileUrl: message.fileUrl,
    createTime: formatCreateTime(message.time, offsetMinutes),
    self: message.fromUserId === recipientUserId,
    fromUserId: message.fromUserId,
    fromNickName: message.fromNickName,
  };
  return JSON.stringify({ success: true, msg: 'success', method: 'RECEIVE_MESSAGE', data: JSON.stringify(data) });
}
