// The one runtime check of a ChatMessage, for the host and the webview alike (plain TypeScript, no
// zod, so it costs the webview bundle little).
//
// - The store calls chatMessageProblem on every upsert and on every line it reads back, so a
//   message accepted today is never dropped at the next start, and nothing over a cap
//   (messageLimits.ts) or with an unknown field gets in.
// - The pane calls sanitizeChatMessage: one bad record costs one message (or one part of it), not
//   the pane. Bad optional parts are dropped, long text is cut, unknown kinds pass through for the
//   fallback renderer.
//
// Both walk the same field tables below. Each table is typed by the model's field names, so a
// field added to model.ts without a rule here is a compile error.
import type {
  Attachment,
  AttachmentKind,
  ChatMessage,
  ContactCard,
  MessageButton,
  MessageDirection,
  MessageKind,
  MessagePayload,
  OutgoingStatus,
  QuotedMessage,
  VenueId,
} from './model';
import { VENUE_IDS } from './model';
import {
  MAX_ATTACHMENTS,
  MAX_BUTTONS,
  MAX_CONTACTS,
  MAX_POLL_OPTIONS,
  MAX_FIELD_LENGTH,
  MAX_QUOTE_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_WAVEFORM_SAMPLES,
  clampText,
} from './messageLimits';
import { boolean, finite, isRecord, nonNegative, oneOf, stringUpTo, type Check } from './valueChecks';

// `satisfies Record<Union, true>` makes the compiler flag a kind added to model.ts but not here.
const DIRECTIONS = { in: true, out: true, system: true } satisfies Record<MessageDirection, true>;
const KINDS = {
  text: true, markdown: true, image: true, video: true, audio: true, file: true, sticker: true, contact: true,
  location: true, card: true, buttons: true, live: true, reaction: true, poll: true, system: true, recall: true, gap: true,
} satisfies Record<MessageKind, true>;
const STATUSES = {
  queued: true, sending: true, sent: true, confirmed: true, delivered: true, read: true, failed: true,
} satisfies Record<OutgoingStatus, true>;
const ATTACHMENT_KINDS = { image: true, video: true, audio: true, file: true } satisfies Record<AttachmentKind, true>;
const VENUES: ReadonlySet<string> = new Set<VenueId>(VENUE_IDS);

type Fields = Record<string, unknown>;

interface FieldRule {
  readonly check: Check;
  readonly required?: true;
  /** The tolerant form: a usable value, or undefined to drop the field. Defaults to "keep if the check passes". */
  readonly sanitize?: (value: unknown) => unknown;
}

/** One rule per field of T; absent fields are allowed unless the rule is `required`. */
type Rules<T> = { readonly [K in keyof Required<T>]: FieldRule };

// ---- value checks ---------------------------------------------------------------------------

const shortString = stringUpTo(MAX_FIELD_LENGTH);
// Empty ids would make unrelated messages look like duplicates of each other.
const id = stringUpTo(MAX_FIELD_LENGTH, 1);
const between =
  (min: number, max: number): Check =>
  (v) =>
    finite(v) ?? ((v as number) < min || (v as number) > max ? `is outside ${min}..${max}` : undefined);
const color: Check = (v) => (typeof v === 'string' && /^#[0-9a-fA-F]{6}$/.test(v) ? undefined : 'is not #RRGGBB');
const byteSample: Check = (v) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255 ? undefined : 'is not 0..255');

const optional = (check: Check): FieldRule => ({ check });
const required = (check: Check): FieldRule => ({ check, required: true });
const requiredRule = (rule: FieldRule): FieldRule => ({ ...rule, required: true });

/** A string field the pane shortens instead of dropping. */
function clampedString(max: number): FieldRule {
  return { check: stringUpTo(max), sanitize: (v) => (typeof v === 'string' ? clampText(v, max).text : undefined) };
}

// ---- records --------------------------------------------------------------------------------

// Every message passes here several times on its way in (hub, store, reload): the rule tables are
// turned into arrays and name maps once, not on every call.
interface CompiledRules {
  readonly entries: readonly (readonly [string, FieldRule])[];
  readonly byName: ReadonlyMap<string, FieldRule>;
  readonly required: number;
}
const compiledRules = new WeakMap<object, CompiledRules>();

function compile(rules: Rules<object>): CompiledRules {
  let compiled = compiledRules.get(rules);
  if (!compiled) {
    const entries = Object.entries(rules) as [string, FieldRule][];
    compiled = { entries, byName: new Map(entries), required: entries.filter(([, rule]) => rule.required).length };
    compiledRules.set(rules, compiled);
  }
  return compiled;
}

function entriesOf(rules: Rules<object>): readonly (readonly [string, FieldRule])[] {
  return compile(rules).entries;
}

/**
 * One pass over the value's own fields (fewer than the table's, usually): each is checked by its
 * rule and, when `copy` is given, copied into it. `undefined` fields count as absent.
 */
function recordProblem(value: unknown, rules: Rules<object>, extra?: (o: Fields) => string | undefined, copy?: Fields): string | undefined {
  if (!isRecord(value)) return 'is not an object';
  const { byName, required } = compile(rules);
  let requiredSeen = 0;
  // for-in with the own-property test allocates nothing, unlike Object.keys or entries.
  for (const field in value) {
    const v = value[field];
    if (v === undefined || !Object.hasOwn(value, field)) continue;
    const rule = byName.get(field);
    if (!rule) return `has an unknown field ${JSON.stringify(field.slice(0, 40))}`;
    const problem = rule.check(v);
    if (problem !== undefined) return `${field} ${problem}`;
    if (rule.required) requiredSeen++;
    if (copy) copy[field] = v;
  }
  if (requiredSeen < required) {
    for (const [field, rule] of entriesOf(rules)) if (rule.required && value[field] === undefined) return `${field} is missing`;
  }
  return extra?.(value);
}

/** Copies the fields that pass; undefined when a required field is unusable. Unknown fields are left behind. */
function sanitizeRecord(value: unknown, rules: Rules<object>, extra?: (o: Fields) => string | undefined): Fields | undefined {
  if (!isRecord(value)) return undefined;
  const out: Fields = {};
  for (const [field, rule] of entriesOf(rules)) {
    const v = value[field];
    const kept = v === undefined ? undefined : rule.sanitize ? rule.sanitize(v) : rule.check(v) === undefined ? v : undefined;
    if (kept !== undefined) out[field] = kept;
    else if (rule.required) return undefined;
  }
  return extra?.(out) === undefined ? out : undefined;
}

function record<T extends object>(rules: Rules<T>, extra?: (o: Fields) => string | undefined): FieldRule & { readonly rules: Rules<T> } {
  return {
    rules,
    check: (v) => recordProblem(v, rules, extra),
    sanitize: (v) => sanitizeRecord(v, rules, extra),
  };
}

/** An array of `item`s, `min`..`max` long. The tolerant form keeps the first `max` usable items. */
function arrayOf(item: FieldRule, max: number, min = 0): FieldRule {
  return {
    check: (v) => {
      if (!Array.isArray(v)) return 'is not an array';
      if (v.length > max) return `has more than ${max} items`;
      if (v.length < min) return `has fewer than ${min} items`;
      for (const [i, element] of v.entries()) {
        const problem = item.check(element);
        if (problem !== undefined) return `[${i}] ${problem}`;
      }
      return undefined;
    },
    sanitize: (v) => {
      if (!Array.isArray(v)) return undefined;
      const kept: unknown[] = [];
      for (const element of v) {
        if (kept.length >= max) break;
        const clean = item.sanitize ? item.sanitize(element) : item.check(element) === undefined ? element : undefined;
        if (clean !== undefined) kept.push(clean);
      }
      return kept.length >= min ? kept : undefined;
    },
  };
}

// ---- the model's parts ----------------------------------------------------------------------

const attachment = record<Attachment>({
  kind: required(oneOf(ATTACHMENT_KINDS)),
  url: optional(shortString),
  thumbUrl: optional(shortString),
  name: optional(shortString),
  mimeType: optional(shortString),
  size: optional(finite),
  width: optional(finite),
  height: optional(finite),
  durationMs: optional(finite),
  ref: optional(id),
  expiresAt: optional(finite),
  // All or nothing: a waveform with samples filtered out would draw the wrong shape.
  waveform: optional(arrayOf({ check: byteSample }, MAX_WAVEFORM_SAMPLES).check),
  voiceNote: optional(boolean),
});

const button = record<MessageButton>({
  label: required(stringUpTo(MAX_FIELD_LENGTH, 1)),
  action: required(stringUpTo(MAX_FIELD_LENGTH, 1)),
  color: optional(color),
});

const CONTACT_FIELDS = ['name', 'phone', 'email', 'userId'] as const satisfies readonly (keyof ContactCard)[];
const contact = record<ContactCard>(
  { name: optional(shortString), phone: optional(shortString), email: optional(shortString), userId: optional(id) },
  // A card with nothing on it cannot be shown as a contact.
  (o) => (CONTACT_FIELDS.some((f) => typeof o[f] === 'string' && o[f] !== '') ? undefined : 'has no name, phone, email or user id'),
);

type PayloadOf<T extends MessagePayload['type']> = Omit<Extract<MessagePayload, { type: T }>, 'type'>;

// `payload.type` must equal the message's kind. Keyed by the types that are also kinds, so a
// payload type that is not a kind is an excess property here, a compile error.
const PAYLOADS: { readonly [T in MessagePayload['type'] & MessageKind]: FieldRule & { readonly rules: Rules<PayloadOf<T>> } } = {
  contact: record<PayloadOf<'contact'>>({ contacts: requiredRule(arrayOf(contact, MAX_CONTACTS, 1)) }),
  location: record<PayloadOf<'location'>>({
    latitude: required(between(-90, 90)),
    longitude: required(between(-180, 180)),
    name: optional(shortString),
    address: optional(shortString),
  }),
  sticker: record<PayloadOf<'sticker'>>(
    { stickerId: optional(id), name: optional(shortString), albumId: optional(id), url: optional(shortString) },
    (o) => (typeof o['stickerId'] === 'string' || (typeof o['name'] === 'string' && typeof o['albumId'] === 'string') ? undefined : 'has neither a stickerId nor a name in an album'),
  ),
  card: record<PayloadOf<'card'>>({
    title: required(shortString),
    description: optional(shortString),
    coverUrl: optional(shortString),
    iconUrl: optional(shortString),
    appId: optional(id),
    actions: requiredRule(arrayOf(button, MAX_BUTTONS)),
  }),
  buttons: record<PayloadOf<'buttons'>>({ buttons: requiredRule(arrayOf(button, MAX_BUTTONS, 1)) }),
  live: record<PayloadOf<'live'>>({ url: required(id), thumbUrl: optional(shortString), width: optional(nonNegative), height: optional(nonNegative) }),
  recall: record<PayloadOf<'recall'>>({ targetVenueMessageId: required(id) }),
  reaction: record<PayloadOf<'reaction'>>({ emoji: required(stringUpTo(64)), targetVenueMessageId: optional(id) }),
  poll: record<PayloadOf<'poll'>>({
    question: required(stringUpTo(MAX_FIELD_LENGTH, 1)),
    options: requiredRule(arrayOf({ check: stringUpTo(MAX_FIELD_LENGTH, 1) }, MAX_POLL_OPTIONS, 1)),
    allowMultipleAnswers: optional(boolean),
  }),
  system: record<PayloadOf<'system'>>({ event: required(stringUpTo(MAX_FIELD_LENGTH, 1)), orderId: optional(id), state: optional(shortString) }),
};

function payloadRuleFor(type: unknown): FieldRule | undefined {
  return typeof type === 'string' && Object.hasOwn(PAYLOADS, type) ? PAYLOADS[type as MessagePayload['type']] : undefined;
}

function payloadProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'is not an object';
  const rule = payloadRuleFor(value.type);
  if (!rule) return 'type is unknown';
  const { type: _type, ...rest } = value;
  return rule.check(rest);
}

function sanitizePayload(value: unknown): MessagePayload | undefined {
  if (!isRecord(value)) return undefined;
  const rule = payloadRuleFor(value.type);
  const { type, ...rest } = value;
  const clean = rule?.sanitize?.(rest);
  // The rule for `type` accepted every field of that variant.
  return isRecord(clean) ? ({ type, ...clean } as MessagePayload) : undefined;
}

const quote = record<QuotedMessage>({
  venueMessageId: optional(id),
  senderName: optional(shortString),
  fromUs: optional(boolean),
  text: clampedString(MAX_QUOTE_LENGTH),
});

const gap = record<NonNullable<ChatMessage['gap']>>({ from: required(finite), to: required(finite), filled: optional(boolean) });

const MESSAGE: Rules<ChatMessage> = {
  key: required(id),
  venue: required((v) => (typeof v === 'string' && VENUES.has(v) ? undefined : 'is unknown')),
  accountId: required(id),
  conversationId: required(id),
  venueMessageId: optional(id),
  clientMessageId: optional(id),
  direction: required(oneOf(DIRECTIONS)),
  kind: required(oneOf(KINDS)),
  text: clampedString(MAX_TEXT_LENGTH),
  attachments: arrayOf(attachment, MAX_ATTACHMENTS),
  payload: { check: payloadProblem, sanitize: sanitizePayload },
  quote,
  recalled: optional(boolean),
  edited: optional(boolean),
  conflictOf: optional(id),
  senderName: optional(shortString),
  time: required(finite),
  rawTime: optional(shortString),
  status: optional(oneOf(STATUSES)),
  failure: clampedString(MAX_FIELD_LENGTH),
  gap,
};

// ---- the API --------------------------------------------------------------------------------

/** Describes the first thing wrong with `value` as a ChatMessage, or `undefined` if it is one. */
export function chatMessageProblem(value: unknown): string | undefined {
  return messageProblem(value, undefined);
}

/**
 * A copy of `value` without its `undefined` fields if it is a valid ChatMessage (checked and
 * copied in one pass), or what is wrong with it.
 */
export function checkedChatMessageCopy(value: unknown): ChatMessage | string {
  const copy: Fields = {};
  return messageProblem(value, copy) ?? (copy as unknown as ChatMessage);
}

function messageProblem(value: unknown, copy: Fields | undefined): string | undefined {
  const problem = recordProblem(value, MESSAGE, undefined, copy);
  if (problem !== undefined) return problem;
  const message = value as ChatMessage;
  if (message.payload !== undefined && message.payload.type !== message.kind) return `payload type ${message.payload.type} does not match kind ${message.kind}`;
  return undefined;
}

export function isChatMessage(value: unknown): value is ChatMessage {
  return chatMessageProblem(value) === undefined;
}

/**
 * A well-typed copy of `value` for the pane, or undefined when it lacks what the timeline needs
 * (key, time, venue, account, conversation). Everything else that is wrong is dropped or cut:
 * an unknown direction reads as incoming, an unknown kind passes through (the fallback renderer
 * shows it), a payload of another kind is dropped (the renderer falls back to the text).
 */
export function sanitizeChatMessage(value: unknown): ChatMessage | undefined {
  if (!isRecord(value)) return undefined;
  const { key, time, venue, accountId, conversationId } = value;
  if (id(key) !== undefined || finite(time) !== undefined) return undefined;
  if (typeof venue !== 'string' || typeof accountId !== 'string' || typeof conversationId !== 'string') return undefined;
  const out = sanitizeRecord(
    { ...value, direction: directionOrIn(value.direction), kind: kindOrText(value.kind) },
    { ...MESSAGE, venue: required(shortString), accountId: required(shortString), conversationId: required(shortString), kind: required(stringUpTo(64, 1)) },
  );
  if (!out) return undefined;
  if (isRecord(out.payload) && out.payload.type !== out.kind) delete out.payload;
  // Each field was copied only after its rule accepted it.
  return out as unknown as ChatMessage;
}

function directionOrIn(direction: unknown): MessageDirection {
  return oneOf(DIRECTIONS)(direction) === undefined ? (direction as MessageDirection) : 'in';
}

function kindOrText(kind: unknown): string {
  return typeof kind === 'string' && kind.length > 0 && kind.length <= 64 ? kind : 'text';
}

/** The usable messages of an untrusted list (anything but an array is none). */
export function sanitizeChatMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value)) return [];
  const out: ChatMessage[] = [];
  for (const item of value) {
    const message = sanitizeChatMessage(item);
    if (message) out.push(message);
  }
  return out;
}
