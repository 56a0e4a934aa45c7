// Bybit chat messages of both API generations -> the normalised model (docs/venue-protocols.md,
// Bybit: chat). Keys are (conversation, id). Neither generation flags our own messages the same way:
// the order-scoped one names the sender's `userId`, the session one only `sendUserNickName`, so a
// message is ours when the id or the nickname is the account's own. System messages come from role
// `sys`, msgType 0 or the sender "SYSTEM". Media messages carry a URL that may be relative to the
// REST host and may expire (`e=<epoch seconds>` in its query).
import type { Attachment, ChatMessage } from '../../../shared/model';
import { messageKey } from '../../../shared/model';
import { MAX_FIELD_LENGTH, clampText } from '../../../shared/messageLimits';
import { parseVenueTime } from '../../core/venueTime';
import type { BybitOrderMessage, BybitSessionMessage } from './api';
import * as l10n from '@vscode/l10n';

/** One message as both generations describe it. */
export interface BybitMessageFields {
  readonly id: string;
  /** Text, or the media URL. */
  readonly content: string;
  /** `str`, `pic`, `pdf`, `video` (any case). */
  readonly contentType: string;
  readonly msgType?: number;
  readonly fileName?: string;
  readonly senderName?: string;
  readonly senderUserId?: string;
  readonly createDate: number;
  readonly msgUuid?: string;
  readonly roleType?: string;
}

export interface Identity {
  readonly userId?: string;
  readonly nickName?: string;
}

export interface MappingContext {
  readonly accountId: string;
  readonly conversationId: string;
  /** The account's own user id and nickname: how our messages are told apart. */
  readonly me: Identity;
  /** The REST base URL: relative media URLs are resolved against it. */
  readonly baseUrl: string;
  readonly now: number;
  /** Problems found (bad times, clamped text, unreadable bodies): reported as bad input, the message is kept. */
  readonly problems: string[];
}

/** msgType codes of the order-scoped API: 0 system; 5 and 6 are Bybit staff (admin) text and image. */
const ADMIN_TYPES = new Set([5, 6]);

export function fromOrderMessage(m: BybitOrderMessage): BybitMessageFields {
  return {
    id: m.id,
    content: m.message ?? '',
    contentType: m.contentType ?? 'str',
    ...(m.msgType !== undefined && m.msgType !== null ? { msgType: m.msgType } : {}),
    ...(m.fileName ? { fileName: m.fileName } : {}),
    ...(m.nickName ? { senderName: m.nickName } : {}),
    ...(m.userId ? { senderUserId: m.userId } : {}),
    createDate: m.createDate,
    ...(m.msgUuid ? { msgUuid: m.msgUuid } : {}),
    ...(m.roleType ? { roleType: m.roleType } : {}),
  };
}

/** The session API's `message` is a JSON string `{content, msgType, fileName}`; plain text is kept as it is. */
export function fromSessionMessage(m: BybitSessionMessage, problems: string[]): BybitMessageFields {
  const inner = parseInner(m.message ?? '');
  if (!inner) problems.push(`message ${m.id}: the message body is not the JSON Bybit documents; shown as text`);
  return {
    id: m.id,
    content: inner?.content ?? m.message ?? '',
    contentType: m.contentType ?? 'str',
    // The inner msgType codes (301 ...) are not the order-scoped API's; they are not read as those.
    ...(inner?.fileName ? { fileName: inner.fileName } : {}),
    ...(m.sendUserNickName ? { senderName: m.sendUserNickName } : {}),
    createDate: m.createDate,
  };
}

/**
 * Bybit's own lines: role `sys` or msgType 0 where the order-scoped API says so. The nickname
 * "SYSTEM" counts only where nothing else tells (the session API names nobody else), spelt exactly:
 * a user's message (its role or user id says whose it is) is never a system line, so a counterparty
 * who calls itself "System" cannot make its words look like the venue's.
 */
export function isSystemMessage(m: BybitMessageFields): boolean {
  if (m.roleType?.toLowerCase() === 'sys' || m.msgType === 0) return true;
  const fromUser = m.roleType !== undefined || (m.senderUserId !== undefined && m.senderUserId !== '0');
  return !fromUser && m.senderName === 'SYSTEM';
}

export function isOwnMessage(m: BybitMessageFields, me: Identity): boolean {
  if (isSystemMessage(m)) return false;
  if (m.senderUserId !== undefined && me.userId !== undefined) return m.senderUserId === me.userId;
  return m.senderName !== undefined && me.nickName !== undefined && m.senderName === me.nickName;
}

export function toChatMessage(m: BybitMessageFields, ctx: MappingContext): ChatMessage {
  const { accountId, conversationId, now, problems } = ctx;
  const parsed = parseVenueTime(m.createDate, now);
  const time = parsed.ok ? parsed.time : now;
  if (!parsed.ok) problems.push(`message ${m.id}: createDate ${parsed.reason}; shown at its arrival time`);
  else if (parsed.flagged) problems.push(`message ${m.id}: createDate ${parsed.flagged}`);
  const base = {
    key: messageKey('bybit', accountId, conversationId, m.id),
    venue: 'bybit' as const,
    accountId,
    conversationId,
    venueMessageId: m.id,
    time,
    ...(m.senderName ? { senderName: m.msgType !== undefined && ADMIN_TYPES.has(m.msgType) ? `${m.senderName} (Bybit support)` : m.senderName } : {}),
  };
  if (isSystemMessage(m)) return { ...base, direction: 'system', kind: 'system', text: text(m.content, m.id, problems) || l10n.t({ message: 'Order update', comment: ['The text of a system message about the order that came without words.'] }) };
  const own = isOwnMessage(m, ctx.me);
  const mine = own ? { status: 'confirmed' as const, ...(m.msgUuid ? { clientMessageId: m.msgUuid } : {}) } : {};
  const direction = own ? ('out' as const) : ('in' as const);
  const kind = mediaKind(m.contentType);
  if (!kind) return { ...base, direction, kind: 'text', text: text(m.content, m.id, problems), ...mine };
  const attachment = mediaAttachment(m, kind, ctx);
  return { ...base, direction, kind, attachments: [attachment], ...mine };
}

function mediaKind(contentType: string): 'image' | 'file' | 'video' | undefined {
  switch (contentType.toLowerCase()) {
    case 'pic':
      return 'image';
    case 'pdf':
      return 'file';
    case 'video':
      return 'video';
    default:
      return undefined;
  }
}

function mediaAttachment(m: BybitMessageFields, kind: 'image' | 'file' | 'video', ctx: MappingContext): Attachment {
  const url = resolveMediaUrl(m.content, ctx.baseUrl);
  if (!url) ctx.problems.push(`message ${m.id}: ${kind} without a usable URL`);
  const expiresAt = url ? expiryOf(url) : undefined;
  const name = m.fileName || nameFromUrl(url);
  return {
    kind,
    ...(url ? { url, ref: m.content } : {}),
    ...(name ? { name } : {}),
    ...(kind === 'file' ? { mimeType: 'application/pdf' } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
}

/** Bybit returns upload URLs relative to its REST host (`/fiat/p2p/oss/showObj/...`). */
export function resolveMediaUrl(raw: string, baseUrl: string): string | undefined {
  const value = raw.trim();
  // Longer than any stored field: the link could be neither kept nor followed later.
  if (!value || value.length > MAX_FIELD_LENGTH) return undefined;
  try {
    const url = new URL(value, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** `e=<epoch seconds>` in the query is when the link stops working. */
export function expiryOf(url: string): number | undefined {
  try {
    const e = new URL(url).searchParams.get('e');
    return e && /^\d{9,11}$/.test(e) ? Number(e) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function nameFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const last = new URL(url).pathname.split('/').pop();
    return last ? decodeURIComponent(last).slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

function text(raw: string, id: string, problems: string[]): string {
  const clamped = clampText(raw);
  if (clamped.clamped) problems.push(`message ${id}: text clamped from ${raw.length} chars to ${clamped.text.length}`);
  return clamped.text;
}

function parseInner(message: string): { content?: string; fileName?: string } | undefined {
  if (!message.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(message);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const o = value as Record<string, unknown>;
    return {
      ...(typeof o.content === 'string' ? { content: o.content } : {}),
      ...(typeof o.fileName === 'string' && o.fileName ? { fileName: o.fileName } : {}),
    };
  } catch {
    return undefined;
  }
}
