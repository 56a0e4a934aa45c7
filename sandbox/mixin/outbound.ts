// Validation of what the bot sends (Blaze CREATE_MESSAGE / CREATE_PLAIN_MESSAGES and REST
// POST /messages share it): UUIDs, a category a bot may send, the payload in `data_base64`
// (base64url) or `data` (standard base64), and the payload's own shape per category.
import { decodeStdBase64, decodeUrlBase64, isUuid } from './ids';
import type { MixinStore } from './store';

/** Categories a bot may send (docs: PLAIN_* and APP_*, plus recalling and pinning its own). */
export const BOT_CATEGORIES = [
  'PLAIN_TEXT', 'PLAIN_POST', 'PLAIN_IMAGE', 'PLAIN_DATA', 'PLAIN_STICKER', 'PLAIN_CONTACT', 'PLAIN_LOCATION', 'PLAIN_AUDIO',
  'PLAIN_VIDEO', 'PLAIN_LIVE', 'PLAIN_TRANSCRIPT', 'APP_CARD', 'APP_BUTTON_GROUP', 'MESSAGE_RECALL', 'MESSAGE_PIN',
] as const;

export const MAX_BATCH = 100;
export const MAX_BODY_BYTES = 128 * 1024;

export interface OutboundMessage {
  readonly conversationId: string;
  readonly recipientId: string;
  readonly messageId: string;
  readonly category: string;
  readonly data: Buffer;
  readonly quoteMessageId: string;
  readonly representativeId: string;
}

export interface MixinError {
  readonly code: number;
  readonly description: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}

export const ERRORS = {
  badRequest: { code: 400, description: 'The request body can’t be parsed as valid data.' },
  unauthorized: { code: 401, description: 'Unauthorized, maybe invalid token.' },
  forbidden: { code: 403, description: 'Access denied.' },
  notFound: { code: 404, description: 'The endpoint is not found.' },
  tooMany: { code: 429, description: 'You are sending too many requests, please try again later.' },
  server: { code: 500, description: 'Internal Server Error.' },
  blazeServer: { code: 7000, description: 'Blaze server error.' },
  blazeTimeout: { code: 7001, description: 'The blaze operation timeout.' },
} as const satisfies Record<string, MixinError>;

export function invalidField(field: string, reason: string): MixinError {
  return { code: 10002, description: 'The request data has invalid field.', extra: { field, reason } };
}

type Json = Record<string, unknown>;
type Check = (payload: Buffer, ctx: { store: MixinStore; conversationId: string; botId: string }) => string | undefined;

function jsonOf(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function object(check: (o: Json, ctx: Parameters<Check>[1]) => string | undefined): Check {
  return (payload, ctx) => {
    const o = jsonOf(payload);
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'payload must be a JSON object';
    return check(o as Json, ctx);
  };
}

const int = (v: unknown, min = 0): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min;
const str = (v: unknown, min = 1, max = 1024): boolean => typeof v === 'string' && [...v].length >= min && [...v].length <= max;
const url = (v: unknown): boolean => typeof v === 'string' && /^https?:\/\/\S+$/.test(v);

function attachment(o: Json, ctx: Parameters<Check>[1]): string | undefined {
  if (!isUuid(o.attachment_id)) return 'attachment_id must be a UUID';
  const a = ctx.store.attachments.get(o.attachment_id);
  if (!a || !a.body) return 'attachment_id names no uploaded attachment';
  if (!str(o.mime_type, 1, 128)) return 'mime_type is required';
  if (!int(o.size, 1)) return 'size must be a positive integer';
  return undefined;
}

function button(b: unknown): string | undefined {
  if (typeof b !== 'object' || b === null) return 'a button must be an object';
  const o = b as Json;
  if (!str(o.label, 1, 36)) return 'button label must be 1..36 characters';
  if (typeof o.color !== 'string' || !/^#[0-9A-Fa-f]{6}$/.test(o.color)) return 'button color must be #RRGGBB';
  if (!str(o.action, 1, 2048)) return 'button action is required';
  return undefined;
}

const text: Check = (payload) => (payload.length === 0 ? 'text is empty' : payload.length > 64 * 1024 ? 'text is too long' : undefined);

const CHECKS: Record<(typeof BOT_CATEGORIES)[number], Check> = {
  PLAIN_TEXT: text,
  PLAIN_POST: text,
  PLAIN_TRANSCRIPT: (payload) => (Array.isArray(jsonOf(payload)) ? undefined : 'payload must be a JSON array'),
  PLAIN_IMAGE: object((o, ctx) => attachment(o, ctx) ?? (int(o.width, 1) && int(o.height, 1) ? undefined : 'width and height are required')),
  PLAIN_VIDEO: object((o, ctx) => attachment(o, ctx) ?? (int(o.width, 1) && int(o.height, 1) && int(o.duration) ? undefined : 'width, height and duration are required')),
  PLAIN_AUDIO: object((o, ctx) => attachment(o, ctx) ?? (int(o.duration, 1) ? undefined : 'duration (ms) is required')),
  PLAIN_DATA: object((o, ctx) => attachment(o, ctx) ?? (str(o.name, 1, 256) ? undefined : 'name is required')),
  PLAIN_STICKER: object((o) => (isUuid(o.sticker_id) || (str(o.name, 1, 128) && isUuid(o.album_id)) ? undefined : 'sticker_id (or name and album_id) is required')),
  PLAIN_CONTACT: object((o) => (isUuid(o.user_id) ? undefined : 'user_id must be a UUID')),
  PLAIN_LOCATION: object((o) => {
    const { latitude: lat, longitude: lon } = o;
    if (typeof lat !== 'number' || typeof lon !== 'number' || Math.abs(lat) > 90 || Math.abs(lon) > 180) return 'latitude and longitude must be numbers in range';
    return o.name !== undefined && typeof o.name !== 'string' ? 'name must be a string' : undefined;
  }),
  PLAIN_LIVE: object((o) => (int(o.width, 1) && int(o.height, 1) && url(o.url) && url(o.thumb_url) ? undefined : 'width, height, url and thumb_url are required')),
  APP_BUTTON_GROUP: (payload) => {
    const list = jsonOf(payload);
    if (!Array.isArray(list) || list.length < 1 || list.length > 6) return 'payload must be an array of 1..6 buttons';
    for (const b of list) {
      const problem = button(b);
      if (problem) return problem;
    }
    return undefined;
  },
  APP_CARD: object((o) => {
    if (!isUuid(o.app_id)) return 'app_id must be a UUID';
    if (!str(o.title, 1, 36)) return 'title must be 1..36 characters';
    if (!str(o.description, 1, 1024)) return 'description must be 1..1024 characters';
    if (o.actions !== undefined) {
      if (!Array.isArray(o.actions)) return 'actions must be an array';
      for (const b of o.actions) {
        const problem = button(b);
        if (problem) return problem;
      }
    } else if (!str(o.action, 1, 2048)) {
      return 'action or actions is required';
    }
    return undefined;
  }),
  MESSAGE_RECALL: object((o, ctx) => {
    const target = isUuid(o.message_id) ? ctx.store.messages.get(o.message_id) : undefined;
    return target && target.userId === ctx.botId && target.conversationId === ctx.conversationId ? undefined : 'message_id must name one of your messages in this conversation';
  }),
  MESSAGE_PIN: object((o) => (
    (o.action === 'PIN' || o.action === 'UNPIN') && Array.isArray(o.message_ids) && o.message_ids.every(isUuid) ? undefined : 'action PIN|UNPIN and message_ids are required'
  )),
};

/** One outbound message checked; `index` names it in a batch's error. */
export function validateOutbound(input: unknown, ctx: { store: MixinStore; botId: string; index?: number }): OutboundMessage | MixinError {
  const at = (field: string): string => (ctx.index === undefined ? field : `messages[${ctx.index}].${field}`);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return invalidField(at('message'), 'must be an object');
  const o = input as Json;
  if (!isUuid(o.conversation_id)) return invalidField(at('conversation_id'), 'must be a UUID');
  if (!isUuid(o.message_id)) return invalidField(at('message_id'), 'must be a UUID');
  if (o.recipient_id !== undefined && o.recipient_id !== '' && !isUuid(o.recipient_id)) return invalidField(at('recipient_id'), 'must be a UUID');
  if (o.quote_message_id !== undefined && o.quote_message_id !== '' && !isUuid(o.quote_message_id)) return invalidField(at('quote_message_id'), 'must be a UUID');
  if (o.representative_id !== undefined && o.representative_id !== '' && !isUuid(o.representative_id)) return invalidField(at('representative_id'), 'must be a UUID');
  const category = o.category;
  if (typeof category !== 'string' || !(BOT_CATEGORIES as readonly string[]).includes(category)) return invalidField(at('category'), 'not a category a bot may send');
  let data: Buffer | undefined;
  if (typeof o.data_base64 === 'string' && o.data_base64 !== '') {
    data = decodeUrlBase64(o.data_base64);
    if (!data) return invalidField(at('data_base64'), 'must be base64url');
  } else if (typeof o.data === 'string' && o.data !== '') {
    data = decodeStdBase64(o.data);
    if (!data) return invalidField(at('data'), 'must be standard base64');
  } else {
    return invalidField(at('data_base64'), 'data_base64 or data is required');
  }
  const conversation = ctx.store.conversations.get(o.conversation_id);
  if (!conversation) return { ...ERRORS.notFound, description: 'The conversation is not found.' };
  if (!conversation.participants.some((p) => p.userId === ctx.botId)) return ERRORS.forbidden;
  const recipientId = typeof o.recipient_id === 'string' ? o.recipient_id : '';
  if (recipientId !== '' && !conversation.participants.some((p) => p.userId === recipientId)) return invalidField(at('recipient_id'), 'is not a participant of the conversation');
  const problem = CHECKS[category as (typeof BOT_CATEGORIES)[number]](data, { store: ctx.store, conversationId: o.conversation_id, botId: ctx.botId });
  if (problem) return invalidField(at('data_base64'), problem);
  return {
    conversationId: o.conversation_id, recipientId, messageId: o.message_id, category, data,
    quoteMessageId: typeof o.quote_message_id === 'string' ? o.quote_message_id : '',
    representativeId: typeof o.representative_id === 'string' ? o.representative_id : '',
  };
}

export function isMixinError(v: OutboundMessage | MixinError): v is MixinError {
  return 'code' in v;
}
