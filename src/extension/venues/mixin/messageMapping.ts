// Mixin message views <-> the normalised model (docs/venue-protocols.md, Mixin: categories). A
// message's payload travels base64-encoded: `data` (standard alphabet) or `data_base64` (URL-safe,
// unpadded), read leniently either way. Text categories carry UTF-8 text; the others a JSON object
// per category. Every category the bot can receive becomes something readable: an unknown or
// encrypted one says what it is, never a blank; a payload that does not read as its category is
// reported and shown by its category name. The key is `message_id` (a client-chosen UUID, the same
// for every redelivery of one message).
import type { Attachment, ChatMessage, MessageButton, MessageKind, MessagePayload, OutgoingStatus } from '../../../shared/model';
import { messageKey } from '../../../shared/model';
import { MAX_FIELD_LENGTH, clampText } from '../../../shared/messageLimits';
import { parseVenueTime } from '../../core/venueTime';
import { VenueError, type OutboundMessage } from '../venue';
import { MAX_VENUE_ID_LENGTH } from '../venueIds';
import { lookupTable } from '../lookupTable';
import * as l10n from '@vscode/l10n';

/** A message as Blaze pushes it and the REST API returns it (the fields this client reads). */
export interface MixinMessageView {
  readonly conversation_id: string;
  readonly user_id: string;
  readonly message_id: string;
  readonly category: string;
  readonly data?: string;
  readonly data_base64?: string;
  readonly status?: string;
  readonly source?: string;
  readonly quote_message_id?: string;
  readonly created_at?: string;
  readonly updated_at?: string;
}

export interface MappingContext {
  readonly accountId: string;
  /** The bot's own user id (`app_id`): its messages are ours. */
  readonly appId: string;
  readonly now: number;
  /** Problems found (unreadable payloads, bad times, clamped text); the message is kept. */
  readonly problems: string[];
}

type Fields = Readonly<Record<string, unknown>>;

const OPTIONAL_FIELDS = ['data', 'data_base64', 'status', 'source', 'quote_message_id', 'created_at', 'updated_at'] as const;

/**
 * A pushed message's view when it names its ids and category (the fields every message needs, as
 * text of at most MAX_VENUE_ID_LENGTH), else undefined. An optional field that is not a string is left out: it is not what Mixin sends,
 * and read as one it would end up in the message (a quote pointing at a number) the store refuses.
 */
export function messageViewOf(data: object): MixinMessageView | undefined {
  const view = data as Partial<Record<keyof MixinMessageView, unknown>>;
  const { message_id, conversation_id, user_id, category } = view;
  if (![message_id, conversation_id, user_id, category].every((v) => typeof v === 'string' && v !== '' && v.length <= MAX_VENUE_ID_LENGTH)) return undefined;
  const optional: { -readonly [K in (typeof OPTIONAL_FIELDS)[number]]?: string } = {};
  for (const field of OPTIONAL_FIELDS) {
    const value = view[field];
    if (typeof value === 'string') optional[field] = value;
  }
  return { message_id: message_id as string, conversation_id: conversation_id as string, user_id: user_id as string, category: category as string, ...optional };
}

/** Standard or URL-safe base64, padded or not. */
export function decodeMixinBase64(value: string): Buffer | undefined {
  const clean = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean)) return undefined;
  return Buffer.from(clean.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function payloadBytes(view: MixinMessageView): Buffer | undefined {
  const raw = view.data_base64 ?? view.data;
  return raw === undefined ? Buffer.alloc(0) : decodeMixinBase64(raw);
}

function json(bytes: Buffer): Fields | readonly unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Fields | readonly unknown[]) : undefined;
  } catch {
    return undefined;
  }
}

/** A payload field's text; one longer than a stored field is no usable value (the store would refuse the whole message). */
function str(f: Fields, name: string): string | undefined {
  const v = f[name];
  return typeof v === 'string' && v !== '' && v.length <= MAX_FIELD_LENGTH ? v : undefined;
}

function num(f: Fields, name: string): number | undefined {
  const v = f[name];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A size or a dimension: a number that is not negative (a negative one is left out, as the store would refuse it). */
function measure(f: Fields, name: string): number | undefined {
  const n = num(f, name);
  return n !== undefined && n >= 0 ? n : undefined;
}

function httpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A thumbnail sent inline (base64 JPEG or PNG bytes) as a data: URL the pane may show. One that
 * would not fit a stored field (MAX_FIELD_LENGTH) is left out: the store refuses a whole message
 * with an over-long field, and the picture itself still comes through its view link.
 */
function thumbnailUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const bytes = decodeMixinBase64(value);
  if (!bytes || bytes.length < 4) return undefined;
  const mime = bytes[0] === 0xff && bytes[1] === 0xd8 ? 'image/jpeg' : bytes[0] === 0x89 && bytes[1] === 0x50 ? 'image/png' : undefined;
  if (!mime) return undefined;
  const url = `data:${mime};base64,${bytes.toString('base64')}`;
  return url.length <= MAX_FIELD_LENGTH ? url : undefined;
}

/** Waveform samples (0..255), sent as base64 bytes. */
function waveformOf(value: unknown): number[] | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const bytes = decodeMixinBase64(value);
  return bytes && bytes.length > 0 ? [...bytes.subarray(0, 1024)] : undefined;
}

function buttonsOf(list: unknown): MessageButton[] {
  if (!Array.isArray(list)) return [];
  const out: MessageButton[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const b = item as Fields;
    const label = str(b, 'label');
    const action = str(b, 'action');
    if (!label || !action) continue;
    const color = str(b, 'color');
    out.push({ label, action, ...(color && /^#[0-9a-f]{6}$/i.test(color) ? { color } : {}) });
  }
  return out;
}

const STATUS = lookupTable<OutgoingStatus>({ SENT: 'confirmed', DELIVERED: 'delivered', READ: 'read' });

/** One Mixin message -> the model. */
export function toChatMessage(view: MixinMessageView, ctx: MappingContext): ChatMessage {
  const { accountId, problems } = ctx;
  const id = view.message_id;
  const parsed = parseVenueTime(view.created_at, ctx.now);
  const time = parsed.ok ? parsed.time : ctx.now;
  if (!parsed.ok) problems.push(`message ${id}: created_at ${parsed.reason}; shown at its arrival time`);
  const ours = view.user_id === ctx.appId;
  const base = {
    key: messageKey('mixin', accountId, view.conversation_id, id),
    venue: 'mixin' as const,
    accountId,
    conversationId: view.conversation_id,
    venueMessageId: id,
    direction: ours ? ('out' as const) : ('in' as const),
    time,
    ...(ours ? { status: STATUS[view.status ?? ''] ?? ('confirmed' as const) } : {}),
    ...(view.quote_message_id ? { quote: { venueMessageId: view.quote_message_id } } : {}),
  };
  const category = view.category.toUpperCase();
  const bytes = payloadBytes(view);
  const unreadable = (what: string): ChatMessage => {
    problems.push(`message ${id}: ${category} ${what}; shown by its category`);
    return { ...base, kind: 'text', text: `[${category}]` };
  };
  if (!bytes) return unreadable('payload is not base64');
  if (category === 'PLAIN_TEXT' || category === 'PLAIN_POST') {
    const raw = bytes.toString('utf8');
    const clamped = clampText(raw);
    if (clamped.clamped) problems.push(`message ${id}: text clamped from ${raw.length} chars`);
    return { ...base, kind: category === 'PLAIN_POST' ? 'markdown' : 'text', text: clamped.text };
  }
  if (category.startsWith('ENCRYPTED_')) return { ...base, kind: 'text', text: `[an end-to-end encrypted ${category.slice('ENCRYPTED_'.length).toLowerCase()} message, which a bot cannot read]` };
  if (category.startsWith('SYSTEM_')) {
    const f = json(bytes);
    const action = f && !Array.isArray(f) ? str(f as Fields, 'action') : undefined;
    return { ...base, direction: 'system', kind: 'system', text: action ? `${category.slice('SYSTEM_'.length).toLowerCase().replace(/_/g, ' ')}: ${action.toLowerCase()}` : category.slice('SYSTEM_'.length).toLowerCase().replace(/_/g, ' ') };
  }
  const value = json(bytes);
  if (category === 'APP_BUTTON_GROUP') {
    const buttons = buttonsOf(value);
    return buttons.length > 0 ? { ...base, kind: 'buttons', payload: { type: 'buttons', buttons } } : unreadable('has no usable buttons');
  }
  if (!value || Array.isArray(value)) return KNOWN.has(category) ? unreadable('payload is not a JSON object') : { ...base, kind: 'text', text: `[${category}]` };
  const f = value as Fields;
  const media = (kind: Attachment['kind'], messageKind: MessageKind): ChatMessage => {
    const attachmentId = str(f, 'attachment_id');
    if (!attachmentId) return unreadable('without an attachment_id');
    const duration = num(f, 'duration');
    const waveform = waveformOf(f['waveform'] ?? f['wave_form']);
    const thumb = thumbnailUrl(str(f, 'thumbnail'));
    const attachment: Attachment = {
      kind,
      ref: attachmentId,
      ...(str(f, 'mime_type') ? { mimeType: str(f, 'mime_type')! } : {}),
      ...(str(f, 'name') ? { name: str(f, 'name')! } : {}),
      ...(measure(f, 'size') !== undefined ? { size: measure(f, 'size')! } : {}),
      ...(measure(f, 'width') !== undefined ? { width: measure(f, 'width')! } : {}),
      ...(measure(f, 'height') !== undefined ? { height: measure(f, 'height')! } : {}),
      ...(duration !== undefined && duration >= 0 ? { durationMs: duration } : {}),
      ...(waveform ? { waveform } : {}),
      ...(thumb ? { thumbUrl: thumb } : {}),
      // Mixin's audio messages are recorded voice (its apps send audio files as PLAIN_DATA).
      ...(kind === 'audio' ? { voiceNote: true } : {}),
    };
    return { ...base, kind: messageKind, attachments: [attachment] };
  };
  let payload: MessagePayload | undefined;
  switch (category) {
    case 'PLAIN_IMAGE':
      return media('image', 'image');
    case 'PLAIN_VIDEO':
      return media('video', 'video');
    case 'PLAIN_AUDIO':
      return media('audio', 'audio');
    case 'PLAIN_DATA':
      return media('file', 'file');
    case 'PLAIN_STICKER': {
      // Either form Mixin documents: `{sticker_id}` or `{name, album_id}`.
      const stickerId = str(f, 'sticker_id');
      const name = str(f, 'name');
      const albumId = str(f, 'album_id');
      if (!stickerId && !(name && albumId)) return unreadable('without a sticker_id or a name in an album');
      payload = { type: 'sticker', ...(stickerId ? { stickerId } : {}), ...(name ? { name } : {}), ...(albumId ? { albumId } : {}) };
      return { ...base, kind: 'sticker', payload };
    }
    case 'PLAIN_CONTACT': {
      const userId = str(f, 'user_id');
      if (!userId) return unreadable('without a user_id');
      return { ...base, kind: 'contact', payload: { type: 'contact', contacts: [{ userId, ...(str(f, 'full_name') ? { name: str(f, 'full_name')! } : {}) }] } };
    }
    case 'PLAIN_LOCATION': {
      const latitude = num(f, 'latitude');
      const longitude = num(f, 'longitude');
      if (latitude === undefined || longitude === undefined || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return unreadable('without usable coordinates');
      return { ...base, kind: 'location', payload: { type: 'location', latitude, longitude, ...(str(f, 'name') ? { name: str(f, 'name')! } : {}), ...(str(f, 'address') ? { address: str(f, 'address')! } : {}) } };
    }
    case 'PLAIN_LIVE': {
      const url = httpUrl(str(f, 'url'));
      if (!url) return unreadable('without an http(s) stream URL');
      const thumb = httpUrl(str(f, 'thumb_url'));
      return { ...base, kind: 'live', payload: { type: 'live', url, ...(thumb ? { thumbUrl: thumb } : {}), ...(measure(f, 'width') !== undefined ? { width: measure(f, 'width')! } : {}), ...(measure(f, 'height') !== undefined ? { height: measure(f, 'height')! } : {}) } };
    }
    case 'APP_CARD': {
      const title = str(f, 'title');
      if (!title) return unreadable('without a title');
      const actions = buttonsOf(f['actions']);
      // The deprecated single `action` becomes the card's one button.
      const legacy = str(f, 'action');
      if (actions.length === 0 && legacy) actions.push({ label: l10n.t({ message: 'Open', comment: ['The button of a Mixin app card that opens its link.'] }), action: legacy });
      const cover = httpUrl(str(f, 'cover_url'));
      const icon = httpUrl(str(f, 'icon_url'));
      return { ...base, kind: 'card', payload: { type: 'card', title, ...(str(f, 'description') ? { description: str(f, 'description')! } : {}), ...(cover ? { coverUrl: cover } : {}), ...(icon ? { iconUrl: icon } : {}), ...(str(f, 'app_id') ? { appId: str(f, 'app_id')! } : {}), actions } };
    }
    case 'MESSAGE_RECALL': {
      const target = str(f, 'message_id');
      if (!target) return unreadable('without the recalled message id');
      return { ...base, direction: ours ? 'out' : 'in', kind: 'recall', payload: { type: 'recall', targetVenueMessageId: target } };
    }
    default:
      return { ...base, kind: 'text', text: `[${category}]` };
  }
}

const KNOWN = new Set(['PLAIN_IMAGE', 'PLAIN_VIDEO', 'PLAIN_AUDIO', 'PLAIN_DATA', 'PLAIN_STICKER', 'PLAIN_CONTACT', 'PLAIN_LOCATION', 'PLAIN_LIVE', 'APP_CARD', 'MESSAGE_RECALL']);

/** The category and base64url payload of one of our messages. */
export function toMixinPayload(message: OutboundMessage): { category: string; dataBase64: string } {
  const encode = (value: string | object) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');
  const a = message.attachment;
  const attachmentFields = () => {
    if (!a?.ref) throw new VenueError('rejected', l10n.t('the {0} has no uploaded attachment to send', message.kind));
    return { attachment_id: a.ref, mime_type: a.mimeType ?? 'application/octet-stream', size: a.size ?? 0 };
  };
  // An upload the adapter could only send as a file (an image without a readable size) goes as one.
  const kind = a?.kind === 'file' && message.kind !== 'file' ? 'file' : message.kind;
  switch (kind) {
    case 'text':
      return { category: 'PLAIN_TEXT', dataBase64: encode(message.text) };
    case 'markdown':
      return { category: 'PLAIN_POST', dataBase64: encode(message.text) };
    case 'image':
      if (!a?.width || !a.height) throw new VenueError('rejected', l10n.t('a Mixin image message must state its width and height'));
      return { category: 'PLAIN_IMAGE', dataBase64: encode({ ...attachmentFields(), width: a.width, height: a.height }) };
    case 'video':
      return { category: 'PLAIN_VIDEO', dataBase64: encode({ ...attachmentFields(), width: a?.width ?? 0, height: a?.height ?? 0, duration: a?.durationMs ?? 0 }) };
    case 'audio':
      return { category: 'PLAIN_AUDIO', dataBase64: encode({ ...attachmentFields(), duration: a?.durationMs ?? 0 }) };
    case 'file':
      return { category: 'PLAIN_DATA', dataBase64: encode({ ...attachmentFields(), name: a?.name ?? 'file' }) };
    case 'sticker': {
      if (message.payload?.type !== 'sticker') throw new VenueError('rejected', l10n.t('a sticker message without a sticker'));
      const { stickerId, name, albumId } = message.payload;
      if (stickerId) return { category: 'PLAIN_STICKER', dataBase64: encode({ sticker_id: stickerId }) };
      if (name && albumId) return { category: 'PLAIN_STICKER', dataBase64: encode({ name, album_id: albumId }) };
      throw new VenueError('rejected', l10n.t('a sticker needs its id, or its name and album'));
    }
    case 'contact': {
      const userId = message.payload?.type === 'contact' ? message.payload.contacts[0]?.userId : undefined;
      if (!userId) throw new VenueError('rejected', l10n.t('a Mixin contact card needs the contact\'s Mixin user id'));
      return { category: 'PLAIN_CONTACT', dataBase64: encode({ user_id: userId }) };
    }
    case 'location': {
      if (message.payload?.type !== 'location') throw new VenueError('rejected', l10n.t('a location message without coordinates'));
      const { latitude, longitude, name, address } = message.payload;
      return { category: 'PLAIN_LOCATION', dataBase64: encode({ latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) }) };
    }
    default:
      throw new VenueError('rejected', l10n.t('Mixin bots cannot send {0} messages', message.kind));
  }
}
