// Request bodies checked the way the gateway's global ValidationPipe does (class-validator DTOs,
// `whitelist: true` strips unknown fields, `enableImplicitConversion` turns a number into a string
// for a string field and "abc" into NaN for a number field): every failed constraint becomes one
// line of the 400 `message` array, newest decorator first, nested ones prefixed with their path.

export const RECIPIENT_MESSAGE =
  'must be a WhatsApp phone number (7-15 digits, separators allowed) or a JID ending in @s.whatsapp.net, @c.us, @g.us, @lid, @broadcast, or @newsletter';

const JID_DOMAINS = ['s.whatsapp.net', 'c.us', 'g.us', 'lid', 'broadcast', 'newsletter'];

/** The gateway's recipient rule: a phone number of 7 to 15 digits (separators allowed) or a WhatsApp JID. */
export function isWhatsAppRecipient(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const s = value.trim();
  if (s.length === 0) return false;
  const at = s.indexOf('@');
  if (at !== -1) {
    const local = s.slice(0, at);
    return JID_DOMAINS.includes(s.slice(at + 1)) && /^[A-Za-z0-9._:-]+$/.test(local) && /[A-Za-z0-9]/.test(local);
  }
  if (!/^[+\s().-]*\d[\d\s().-]*$/.test(s)) return false;
  const digits = s.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15;
}

/** `to` as the gateway stores it: a JID unchanged, a phone number as digits (local 0 → 62) @s.whatsapp.net. */
export function normalizeJid(to: string): string {
  const input = to.trim();
  if (input.includes('@')) return input;
  let phone = input.replace(/\D/g, '');
  if (phone.startsWith('0')) phone = `62${phone.slice(1)}`;
  return `${phone}@s.whatsapp.net`;
}

type Kind = 'string' | 'number' | 'boolean' | 'stringArray' | 'contacts';

export interface FieldRule {
  readonly name: string;
  readonly kind: Kind;
  readonly optional?: boolean;
  readonly notEmpty?: boolean;
  readonly recipient?: boolean;
}

const f = (name: string, kind: Kind, extra: Omit<FieldRule, 'name' | 'kind'> = {}): FieldRule => ({ name, kind, ...extra });
const required = (name: string): FieldRule => f(name, 'string', { notEmpty: true });
const optionalString = (name: string): FieldRule => f(name, 'string', { optional: true });
const BASE = [required('profileId'), f('to', 'string', { notEmpty: true, recipient: true })];
const MEDIA = [...BASE, optionalString('url'), optionalString('base64'), optionalString('caption'), optionalString('mimetype')];

/** The send DTOs by route kind. */
export const SEND_DTOS: Readonly<Record<string, readonly FieldRule[]>> = {
  text: [...BASE, required('text'), optionalString('quotedMessageId')],
  image: MEDIA,
  video: MEDIA,
  audio: [...BASE, optionalString('url'), optionalString('base64'), optionalString('mimetype'), f('ptt', 'boolean', { optional: true })],
  document: [...MEDIA, required('filename')],
  location: [...BASE, f('latitude', 'number'), f('longitude', 'number'), optionalString('name'), optionalString('address')],
  contact: [...BASE, f('contacts', 'contacts')],
  reaction: [required('profileId'), required('messageId'), f('emoji', 'string')],
  reply: [required('profileId'), required('quotedMessageId'), required('text')],
  poll: [...BASE, required('question'), f('options', 'stringArray'), f('allowMultipleAnswers', 'boolean', { optional: true })],
  typing: [required('profileId'), required('to'), optionalString('state'), f('duration', 'number', { optional: true })],
  'mark-read': [required('profileId'), required('chatId'), f('messageIds', 'stringArray', { optional: true })],
};

const CONTACT_RULES = [required('name'), required('phone'), optionalString('email')];

function convert(kind: Kind, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (kind === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  if (kind === 'number' && (typeof value === 'string' || typeof value === 'boolean')) return Number(value);
  if (kind === 'boolean' && (typeof value === 'string' || typeof value === 'number')) return Boolean(value);
  return value;
}

function check(rule: FieldRule, value: unknown, path: string): string[] {
  if (rule.optional && (value === undefined || value === null)) return [];
  const out: string[] = [];
  if (rule.recipient && !isWhatsAppRecipient(value)) out.push(`${path} ${RECIPIENT_MESSAGE}`);
  if (rule.notEmpty && (value === undefined || value === null || value === '')) out.push(`${path} should not be empty`);
  switch (rule.kind) {
    case 'string':
      if (typeof value !== 'string') out.push(`${path} must be a string`);
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) out.push(`${path} must be a number conforming to the specified constraints`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') out.push(`${path} must be a boolean value`);
      break;
    case 'stringArray':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) out.push(`each value in ${path} must be a string`);
      if (!Array.isArray(value)) out.push(`${path} must be an array`);
      break;
    case 'contacts':
      if (!Array.isArray(value)) {
        out.push(`nested property ${path} must be either object or array`, `${path} must be an array`);
        break;
      }
      value.forEach((item, i) => {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          out.push(`nested property ${path}.${i} must be either object or array`);
          return;
        }
        const entry = item as Record<string, unknown>;
        for (const sub of CONTACT_RULES) out.push(...check(sub, convert(sub.kind, entry[sub.name]), `${path}.${i}.${sub.name}`));
      });
      break;
  }
  return out;
}

export type Validated = { readonly ok: true; readonly value: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly messages: string[] };

/** Whitelisted, converted fields, or the 400 message lines. */
export function validateDto(rules: readonly FieldRule[], body: Readonly<Record<string, unknown>>): Validated {
  const value: Record<string, unknown> = {};
  const messages: string[] = [];
  for (const rule of rules) {
    const v = convert(rule.kind, body[rule.name]);
    if (v !== undefined) value[rule.name] = v;
    messages.push(...check(rule, v, rule.name));
  }
  return messages.length > 0 ? { ok: false, messages } : { ok: true, value };
}
