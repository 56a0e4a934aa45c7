// MultiWA message rows -> the normalised model (docs/venue-protocols.md, MultiWA: message rows).
// The key is the row `id` (a UUID): the WhatsApp id in `messageId` starts as `pending_…` and
// changes once sent. `content` is JSON whose fields depend on who wrote the row: our sends carry
// what the REST call had (`text`, `url`, `caption`, `mimetype`, `filename`, `ptt`, `contacts` with
// vCards…), received rows what the WhatsApp engine saw (`text`, `caption`, `mimetype`, `url` as a
// data: URL, `latitude`/`longitude`/`description`, `vcard`/`displayName`/`phone`, `question`/
// `pollName`/`options`…). Every documented spelling is accepted; a row that cannot be read as its
// type shows what it has as text, never blank.
import type { Attachment, AttachmentKind, ChatMessage, ContactCard, MessagePayload, OutgoingStatus, QuotedMessage } from '../../../shared/model';
import { messageKey } from '../../../shared/model';
import { MAX_FIELD_LENGTH, clampText } from '../../../shared/messageLimits';
import { parseVenueTime } from '../../core/venueTime';
import type { MultiwaMessageRow } from './api';
import { lookupTable } from '../lookupTable';
import * as l10n from '@vscode/l10n';

export interface MappingContext {
  readonly accountId: string;
  /** The gateway's origin: relative media URLs are resolved against it. */
  readonly gatewayOrigin: string;
  /** The conversation's display name, for incoming messages without a sender name. */
  readonly conversationName?: string;
  readonly now: number;
  /** Turns a media URL into one the pane can load (data: URLs saved to disk); undefined drops it. */
  readonly mediaUrl: (raw: string, mimeType: string | undefined) => string | undefined;
  /** What we know of a quoted row (sender and text), for the quote block. */
  readonly quoted?: (rowId: string) => QuotedMessage | undefined;
  /** Problems found (bad times, clamped text, unreadable content); the message is kept. */
  readonly problems: string[];
}

type Fields = Readonly<Record<string, unknown>>;

function fieldsOf(content: unknown): Fields {
  if (typeof content === 'object' && content !== null && !Array.isArray(content)) return content as Fields;
  if (typeof content === 'string') {
    // Some rows store the JSON as a string.
    try {
      const parsed: unknown = JSON.parse(content);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Fields;
    } catch {
      // Plain text.
    }
    return { text: content };
  }
  return {};
}

function str(f: Fields, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = f[n];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return undefined;
}

function num(f: Fields, ...names: string[]): number | undefined {
  for (const n of names) {
    const v = f[n];
    const value = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (Number.isFinite(value)) return value;
  }
  return undefined;
}

const OUT_STATUS = lookupTable<OutgoingStatus>({
  pending: 'sent',
  queued: 'sent',
  sent: 'confirmed',
  server: 'confirmed',
  delivered: 'delivered',
  device: 'delivered',
  read: 'read',
  played: 'read',
  failed: 'failed',
  error: 'failed',
});

/** WhatsApp ack words (and the engine's numbers) -> our statuses. */
export function outgoingStatusOf(status: unknown): OutgoingStatus | undefined {
  if (typeof status === 'number') return ([undefined, 'confirmed', 'delivered', 'read', 'read'] as const)[status] ?? (status < 0 ? 'failed' : undefined);
  return typeof status === 'string' ? OUT_STATUS[status.toLowerCase()] : undefined;
}

const MEDIA_KIND = lookupTable<AttachmentKind>({
  image: 'image',
  sticker: 'image',
  video: 'video',
  gif: 'video',
  audio: 'audio',
  ptt: 'audio',
  voice: 'audio',
  document: 'file',
  file: 'file',
});

const SYSTEM_TYPES = new Set(['e2e_notification', 'notification', 'notification_template', 'gp2', 'call_log', 'protocol', 'ciphertext', 'broadcast_notification']);

function phoneOf(jid: string | undefined): string | undefined {
  const user = jid?.split('@')[0];
  return user && /^\d{5,20}$/.test(user) ? `+${user}` : undefined;
}

function text(raw: string | undefined, id: string, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  const clamped = clampText(raw);
  if (clamped.clamped) problems.push(`message ${id}: text clamped from ${raw.length} chars to ${clamped.text.length}`);
  return clamped.text;
}

/** `FN:` and `TEL:` of a vCard. */
function contactFromVcard(vcard: string): ContactCard | undefined {
  const name = /^FN[^:]*:(.*)$/im.exec(vcard)?.[1]?.trim();
  const phone = /^TEL[^:]*:([+\d][\d\s()+-]*)$/im.exec(vcard)?.[1]?.trim();
  const email = /^EMAIL[^:]*:(\S+@\S+)$/im.exec(vcard)?.[1]?.trim();
  if (!name && !phone) return undefined;
  return { ...(name ? { name } : {}), ...(phone ? { phone } : {}), ...(email ? { email } : {}) };
}

function contactsOf(f: Fields): ContactCard[] {
  const cards: ContactCard[] = [];
  const list = f['contacts'];
  if (Array.isArray(list)) {
    for (const item of list) {
      if (typeof item !== 'object' || item === null) continue;
      const c = item as Fields;
      const fromVcard = typeof c['vcard'] === 'string' ? contactFromVcard(c['vcard']) : undefined;
      const name = str(c, 'name', 'displayName') ?? fromVcard?.name;
      const phone = str(c, 'phone', 'number') ?? fromVcard?.phone;
      const email = str(c, 'email') ?? fromVcard?.email;
      if (name || phone) cards.push({ ...(name ? { name } : {}), ...(phone ? { phone } : {}), ...(email ? { email } : {}) });
    }
  }
  const vcards = f['vcards'];
  if (cards.length === 0 && Array.isArray(vcards)) {
    for (const v of vcards) if (typeof v === 'string') {
      const card = contactFromVcard(v);
      if (card) cards.push(card);
    }
  }
  if (cards.length === 0) {
    const fromVcard = typeof f['vcard'] === 'string' ? contactFromVcard(f['vcard']) : undefined;
    const name = str(f, 'displayName', 'name') ?? fromVcard?.name;
    const phone = str(f, 'phone') ?? fromVcard?.phone;
    if (name || phone) cards.push({ ...(name ? { name } : {}), ...(phone ? { phone } : {}), ...(fromVcard?.email ? { email: fromVcard.email } : {}) });
  }
  return cards;
}

/** The poll; an option longer than a stored field is cut (and reported), not the message lost. */
function pollOf(f: Fields, id: string, problems: string[]): Extract<MessagePayload, { type: 'poll' }> | undefined {
  const question = str(f, 'question', 'pollName', 'name', 'text');
  const raw = Array.isArray(f['options']) ? f['options'] : Array.isArray(f['pollOptions']) ? f['pollOptions'] : [];
  const options = raw
    .map((o: unknown) => (typeof o === 'string' ? o : typeof o === 'object' && o !== null ? str(o as Fields, 'name', 'optionName', 'text') : undefined))
    .filter((o): o is string => o !== undefined && o.trim() !== '')
    .map((o) => {
      const cut = clampText(o, MAX_FIELD_LENGTH);
      if (cut.clamped) problems.push(`message ${id}: a poll option cut from ${cut.originalLength} chars`);
      return cut.text;
    });
  if (!question || options.length === 0) return undefined;
  const multiple = f['allowMultipleAnswers'];
  const asked = clampText(question, MAX_FIELD_LENGTH);
  if (asked.clamped) problems.push(`message ${id}: a poll question cut from ${asked.originalLength} chars`);
  return { type: 'poll', question: asked.text, options, ...(typeof multiple === 'boolean' ? { allowMultipleAnswers: multiple } : {}) };
}

function fieldText(value: string | undefined): string | undefined {
  return value === undefined ? undefined : clampText(value, MAX_FIELD_LENGTH).text;
}

function locationOf(f: Fields): Extract<MessagePayload, { type: 'location' }> | undefined {
  const latitude = num(f, 'latitude', 'lat');
  const longitude = num(f, 'longitude', 'lng', 'lon');
  if (latitude === undefined || longitude === undefined || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  // Names longer than a stored field are cut: the coordinates are the message.
  const name = fieldText(str(f, 'name', 'description', 'loc'));
  const address = fieldText(str(f, 'address'));
  return { type: 'location', latitude, longitude, ...(name && name !== 'Location' ? { name } : {}), ...(address ? { address } : {}) };
}

export function toChatMessage(row: MultiwaMessageRow, ctx: MappingContext, edited = false): ChatMessage {
  const { accountId, now, problems } = ctx;
  const id = row.id;
  const conversationId = row.conversationId;
  const parsedTime = parseVenueTime(row.timestamp ?? row.createdAt, now);
  const time = parsedTime.ok ? parsedTime.time : now;
  if (!parsedTime.ok) problems.push(`message ${id}: timestamp ${parsedTime.reason}; shown at its arrival time`);
  else if (parsedTime.flagged) problems.push(`message ${id}: timestamp ${parsedTime.flagged}`);
  const f = fieldsOf(row.content);
  const outgoing = row.direction?.toLowerCase() === 'outgoing';
  const type = (row.type ?? 'text').toLowerCase();
  const metadata = row.metadata ?? {};
  const senderName = outgoing
    ? undefined
    : (typeof metadata['senderName'] === 'string' && metadata['senderName']) || ctx.conversationName || phoneOf(row.senderJid ?? undefined) || undefined;
  const quotedId = row.quotedMessageId ?? str(f, 'quotedMessageId') ?? undefined;
  const quote = quotedId ? (ctx.quoted?.(quotedId) ?? { venueMessageId: quotedId }) : undefined;
  const status = outgoing ? (outgoingStatusOf(row.status) ?? 'confirmed') : undefined;
  const base = {
    key: messageKey('multiwa', accountId, conversationId, id),
    venue: 'multiwa' as const,
    accountId,
    conversationId,
    venueMessageId: id,
    direction: outgoing ? ('out' as const) : ('in' as const),
    time,
    ...(senderName ? { senderName } : {}),
    ...(status ? { status } : {}),
    ...(status === 'failed' ? { failure: l10n.t('the gateway could not send it to WhatsApp') } : {}),
    ...(quote ? { quote } : {}),
    ...(edited ? { edited: true } : {}),
  };
  const caption = text(str(f, 'caption') ?? (MEDIA_KIND[type] ? undefined : str(f, 'text', 'body')), id, problems);
  const bodyText = text(str(f, 'text', 'body', 'caption'), id, problems);

  if (type === 'revoked' || f['revoked'] === true) return { ...base, kind: 'text', recalled: true };
  if (SYSTEM_TYPES.has(type)) return { ...base, direction: 'system', kind: 'system', text: bodyText ?? `WhatsApp notice (${type})` };

  const media = MEDIA_KIND[type];
  if (media) {
    const mimeType = str(f, 'mimetype', 'mimeType');
    const rawUrl = str(f, 'url', 'mediaUrl');
    const url = rawUrl ? resolveMediaUrl(rawUrl, ctx, mimeType) : undefined;
    if (rawUrl && !url) problems.push(`message ${id}: ${type} with an unusable URL`);
    const name = str(f, 'filename', 'fileName');
    const seconds = num(f, 'seconds', 'duration');
    const voiceNote = type === 'ptt' || type === 'voice' || f['ptt'] === true;
    const attachment: Attachment = {
      kind: media,
      ...(url ? { url } : {}),
      ...(name ? { name } : {}),
      ...(mimeType ? { mimeType } : {}),
      ...(seconds !== undefined && seconds >= 0 ? { durationMs: Math.round(seconds * 1000) } : {}),
      ...(voiceNote ? { voiceNote: true } : {}),
      ...(str(f, 'key') ? { ref: str(f, 'key')! } : {}),
      ...(num(f, 'size', 'fileSize') !== undefined ? { size: num(f, 'size', 'fileSize')! } : {}),
    };
    const kind = type === 'sticker' ? 'image' : media;
    return { ...base, kind, attachments: [attachment], ...(caption ? { text: caption } : {}) };
  }

  switch (type) {
    case 'location': {
      const payload = locationOf(f);
      if (payload) return { ...base, kind: 'location', payload };
      problems.push(`message ${id}: a location without usable coordinates; shown as text`);
      break;
    }
    case 'contact':
    case 'vcard':
    case 'multi_vcard': {
      const contacts = contactsOf(f);
      if (contacts.length > 0) return { ...base, kind: 'contact', payload: { type: 'contact', contacts } };
      problems.push(`message ${id}: a contact card without a name or number; shown as text`);
      break;
    }
    case 'poll':
    case 'poll_creation': {
      const payload = pollOf(f, id, problems);
      if (payload) return { ...base, kind: 'poll', payload };
      problems.push(`message ${id}: a poll without a question or options; shown as text`);
      break;
    }
    case 'reaction': {
      const emoji = str(f, 'emoji', 'reaction', 'text') ?? '';
      const target = str(f, 'messageId', 'msgId', 'targetMessageId', 'reactionParentKey');
      return { ...base, kind: 'reaction', payload: { type: 'reaction', emoji: emoji.slice(0, 32), ...(target ? { targetVenueMessageId: target } : {}) } };
    }
  }
  if (bodyText !== undefined) return { ...base, kind: 'text', text: bodyText };
  if (type !== 'text' && type !== 'chat') return { ...base, kind: 'text', text: `[${type}]` };
  problems.push(`message ${id}: no text in the row`);
  return { ...base, kind: 'text', text: '' };
}

/** http(s) as given, a path against the gateway, a data: URL through the context; anything else dropped. */
function resolveMediaUrl(raw: string, ctx: MappingContext, mimeType: string | undefined): string | undefined {
  if (raw.startsWith('data:')) return ctx.mediaUrl(raw, mimeType);
  try {
    const url = new URL(raw, ctx.gatewayOrigin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? ctx.mediaUrl(url.toString(), mimeType) : undefined;
  } catch {
    return undefined;
  }
}
