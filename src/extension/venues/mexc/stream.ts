// MEXC chat WebSocket codec (docs/venue-protocols.md, MEXC: chat socket). Frames are JSON text;
// `params` (out) and `data` (in) are JSON strings holding JSON. Everything inbound is untrusted and
// validated.
import { preview } from '../framePreview';

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

/** A RECEIVE_MESSAGE push as decoded: ids as decimal text, absent optional strings as ''. */
export interface MexcChatMessage {
  readonly id: string;
  readonly content: string;
  readonly conversationId: string;
  /** 1..4, see MEXC_TYPE. */
  readonly type: number;
  readonly imageUrl: string;
  readonly imageThumbUrl: string;
  readonly videoUrl: string;
  readonly fileUrl: string;
  readonly createTime: string;
  readonly self: boolean;
  readonly fromUserId: string;
  readonly fromNickName: string;
}

export type MexcInbound =
  | { readonly kind: 'message'; readonly message: MexcChatMessage }
  | { readonly kind: 'pong' }
  | { readonly kind: 'reply'; readonly method: string; readonly success: boolean; readonly msg: string }
  | { readonly kind: 'invalid'; readonly detail: string };

// The decoder is written out by hand rather than with a schema library: every pushed message goes
// through it, and a schema's generic walk cost more than the socket itself (see the Performance
// notes in docs/architecture.md). Unknown fields are ignored; everything read is checked.

export function decodeFrame(text: string): MexcInbound {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'invalid', detail: `not JSON: ${preview(text)}` };
  }
  if (!isObject(raw)) return { kind: 'invalid', detail: `not an envelope: ${preview(text)}` };
  const { method, success, msg, data } = raw;
  if ((method !== undefined && typeof method !== 'string') || (success !== undefined && typeof success !== 'boolean') || (msg !== undefined && typeof msg !== 'string')) {
    return { kind: 'invalid', detail: `not an envelope: ${preview(text)}` };
  }
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
    const message = readChatMessage(inner);
    if (typeof message === 'string') return { kind: 'invalid', detail: `RECEIVE_MESSAGE has bad fields: ${message}` };
    return { kind: 'message', message };
  }
  if (typeof method === 'string' && typeof success === 'boolean') {
    return { kind: 'reply', method, success, msg: msg ?? '' };
  }
  if (success === false) return { kind: 'reply', method: method ?? '', success: false, msg: msg ?? '' };
  return { kind: 'invalid', detail: `unknown frame: ${preview(text)}` };
}

/** The message, or what is wrong with it. */
function readChatMessage(value: unknown): MexcChatMessage | string {
  if (!isObject(value)) return 'data is not an object';
  const id = idText(value.id);
  if (id === undefined) return 'id is not an integer or a string of digits';
  const conversationId = idText(value.conversationId);
  if (conversationId === undefined) return 'conversationId is not an integer or a string of digits';
  const type = value.type;
  if (typeof type !== 'number' || !Number.isInteger(type) || type < 1 || type > 4) return 'type is not an integer from 1 to 4';
  if (typeof value.createTime !== 'string') return 'createTime is not a string';
  if (typeof value.self !== 'boolean') return 'self is not a boolean';
  const content = optionalText(value.content);
  const imageUrl = optionalText(value.imageUrl);
  const imageThumbUrl = optionalText(value.imageThumbUrl);
  const videoUrl = optionalText(value.videoUrl);
  const fileUrl = optionalText(value.fileUrl);
  const fromUserId = optionalText(value.fromUserId);
  const fromNickName = optionalText(value.fromNickName);
  if (content === undefined) return 'content is not a string';
  if (imageUrl === undefined) return 'imageUrl is not a string';
  if (imageThumbUrl === undefined) return 'imageThumbUrl is not a string';
  if (videoUrl === undefined) return 'videoUrl is not a string';
  if (fileUrl === undefined) return 'fileUrl is not a string';
  if (fromUserId === undefined) return 'fromUserId is not a string';
  if (fromNickName === undefined) return 'fromNickName is not a string';
  return { id, content, conversationId, type, imageUrl, imageThumbUrl, videoUrl, fileUrl, createTime: value.createTime, self: value.self, fromUserId, fromNickName };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DIGITS = /^\d+$/;

/** A message or conversation id: a safe integer (MEXC's usual form) or a string of digits, as text. */
function idText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined;
  return typeof value === 'string' && DIGITS.test(value) ? value : undefined;
}

/** An optional string: absent or null reads as ''; anything else but a string is undefined (bad). */
function optionalText(value: unknown): string | undefined {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : undefined;
}

/**
 * MEXC's createTime is a zone-less "YYYY-MM-DD HH:mm:ss" (docs/venue-protocols.md). It is read in
 * the account's configured offset (UTC+8 by default, the venue's usual zone) and the raw text is
 * kept.
 */
export function parseMexcTime(text: string, offsetMinutes: number): number | undefined {
  // Pushes that arrive together mostly share their createTime (it has one-second resolution).
  const last = lastParsed;
  if (last !== undefined && last.text === text && last.offsetMinutes === offsetMinutes) return last.utc;
  const utc = parseTimeText(text, offsetMinutes);
  lastParsed = { text, offsetMinutes, utc };
  return utc;
}

let lastParsed: { readonly text: string; readonly offsetMinutes: number; readonly utc: number | undefined } | undefined;

function parseTimeText(text: string, offsetMinutes: number): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number((ms ?? '0').padEnd(3, '0')));
  return Number.isFinite(utc) ? utc - offsetMinutes * 60_000 : undefined;
}

