// MEXC chat messages <-> the normalised model: inbound RECEIVE_MESSAGE pushes become ChatMessages
// (media as URL attachments), outbound messages become SEND_MESSAGE frames.
import type { Attachment, ChatMessage, MessageKind } from '../../../shared/model';
import { messageKey } from '../../../shared/model';
import { clampText } from '../../../shared/messageLimits';
import { EARLIEST_PLAUSIBLE_TIME, MAX_FUTURE_SKEW_MS, parseVenueTime, type VenueTime } from '../../core/venueTime';
import { VenueError, type OutboundMessage } from '../venue';
import { MEXC_TYPE, encodeSend, parseMexcTime, type MexcChatMessage, type MexcMessageType } from './stream';
import * as l10n from '@vscode/l10n';

/** A send as it goes on the wire, with what its echo will look like. */
export interface MexcOutbound {
  readonly frame: string;
  readonly type: MexcMessageType;
  /** The media URL ('' for text): part of what identifies the echo. */
  readonly url: string;
}

export function mexcTypeFor(message: Pick<OutboundMessage, 'kind'>): MexcMessageType {
  switch (message.kind) {
    case 'image':
      return MEXC_TYPE.image;
    case 'video':
      return MEXC_TYPE.video;
    case 'file':
      return MEXC_TYPE.file;
    default:
      return MEXC_TYPE.text;
  }
}

/** The SEND_MESSAGE frame for an outbound message; throws `rejected` for what MEXC cannot carry. */
export function encodeOutbound(message: OutboundMessage): MexcOutbound {
  const conversationNumber = Number(message.conversationId);
  if (!Number.isSafeInteger(conversationNumber)) throw new VenueError('rejected', l10n.t('not a MEXC conversation id: {0}', message.conversationId));
  const type = mexcTypeFor(message);
  const url = message.attachment?.url ?? '';
  if (type !== MEXC_TYPE.text && !/^https?:\/\//i.test(url)) throw new VenueError('rejected', l10n.t('MEXC sends media only as an http(s) link'));
  const frame = encodeSend({
    conversationId: conversationNumber,
    type,
    content: message.text,
    imageUrl: type === MEXC_TYPE.image ? url : undefined,
    imageThumbUrl: type === MEXC_TYPE.image ? (message.attachment?.thumbUrl ?? url) : undefined,
    videoUrl: type === MEXC_TYPE.video ? url : undefined,
    fileUrl: type === MEXC_TYPE.file ? url : undefined,
  });
  return { frame, type, url };
}

/**
 * UTC ms of a message: its zone-less createTime read in the account's offset. Any other form a
 * venue time can take is accepted too; garbage falls back to the arrival time and an implausible
 * date (before 2009, or more than a day ahead) is clamped to it, each with a `problem` to report
 * as bad input. The message itself is kept either way.
 */
export function messageTime(m: MexcChatMessage, offsetMinutes: number, now: number): { time: number; problem?: string } {
  const fast = parseMexcTime(m.createTime, offsetMinutes);
  const parsed = fast !== undefined ? plausible(fast, now) : parseVenueTime(m.createTime, now, { zonelessOffsetMinutes: offsetMinutes });
  if (!parsed.ok) return { time: now, problem: `message ${m.id}: createTime ${JSON.stringify(m.createTime.slice(0, 40))} ${parsed.reason}; shown at its arrival time` };
  return parsed.flagged ? { time: parsed.time, problem: `message ${m.id}: createTime ${JSON.stringify(m.createTime.slice(0, 40))} ${parsed.flagged}` } : { time: parsed.time };
}

function plausible(time: number, now: number): VenueTime {
  return time >= EARLIEST_PLAUSIBLE_TIME && time <= now + MAX_FUTURE_SKEW_MS ? { ok: true, time } : parseVenueTime(time, now);
}

export function kindOf(type: number): MessageKind {
  return type === MEXC_TYPE.image ? 'image' : type === MEXC_TYPE.video ? 'video' : type === MEXC_TYPE.file ? 'file' : 'text';
}

export function attachmentOf(m: MexcChatMessage): Attachment | undefined {
  if (m.type === MEXC_TYPE.image && m.imageUrl) return { kind: 'image', url: m.imageUrl, thumbUrl: m.imageThumbUrl || undefined };
  if (m.type === MEXC_TYPE.video && m.videoUrl) return { kind: 'video', url: m.videoUrl };
  if (m.type === MEXC_TYPE.file && m.fileUrl) return { kind: 'file', url: m.fileUrl, name: fileNameOf(m.fileUrl) };
  return undefined;
}

export interface MappingContext {
  readonly accountId: string;
  readonly time: number;
  /** Our client id when this is the echo of one of our sends. */
  readonly clientMessageId?: string;
}

/**
 * The normalised message. Text over the store's cap (messageLimits.ts) is cut rather than the
 * message refused; what was cut is described in `problems`, for a bad-input report.
 */
/** `yyyy-MM-dd HH:mm:ss` with room for fractions and a zone. */
const MAX_RAW_TIME = 64;

export function toChatMessage(m: MexcChatMessage, ctx: MappingContext, problems?: string[]): ChatMessage {
  const attachment = attachmentOf(m);
  const text = clampText(m.content);
  if (text.clamped) problems?.push(`message ${m.id}: text clamped from ${text.originalLength} chars to ${text.text.length}`);
  return {
    key: messageKey('mexc', ctx.accountId, m.conversationId, m.id),
    venue: 'mexc',
    accountId: ctx.accountId,
    conversationId: m.conversationId,
    venueMessageId: m.id,
    clientMessageId: ctx.clientMessageId,
    direction: m.self ? 'out' : 'in',
    kind: kindOf(m.type),
    text: text.text,
    attachments: attachment ? [attachment] : undefined,
    senderName: m.self ? undefined : m.fromNickName || undefined,
    time: ctx.time,
    // Kept to read the time again under another offset; text far longer than a time is no time (and too long to store).
    rawTime: m.createTime.length <= MAX_RAW_TIME ? m.createTime : undefined,
    status: m.self ? 'confirmed' : undefined,
  };
}

function fileNameOf(url: string): string | undefined {
  try {
    const name = new URL(url).pathname.split('/').pop();
    return name ? decodeURIComponent(name) : undefined;
  } catch {
    return undefined;
  }
}
