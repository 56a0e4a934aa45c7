// The one runtime check of a Conversation, for the host and the webview alike (plain TypeScript,
// no zod). The saved conversation list is read back through it, and the pane reads every
// conversation the host posts through it. A required field that fails loses the conversation; an
// optional one is dropped alone (an order the next poll refills is better than a lost chat).
//
// The tables are typed by the model's field names, so a field added to model.ts without a rule
// here is a compile error.
import type { Conversation, OrderContext, OrderSide, OrderState, VenueId } from './model';
import { VENUE_IDS } from './model';
import { MAX_FIELD_LENGTH } from './messageLimits';
import { boolean, isRecord, matches, nonNegative, oneOf, stringUpTo, type Check } from './valueChecks';

interface FieldRule {
  readonly check: Check;
  readonly required?: true;
  /** For nested records: the tolerant reading (undefined drops the field). */
  readonly read?: (value: unknown, problems: string[], path: string) => unknown;
}

type Rules<T> = { readonly [K in keyof Required<T>]: FieldRule };

const SIDES = { buy: true, sell: true } satisfies Record<OrderSide, true>;
const STATES = {
  'awaiting-payment': true,
  paid: true,
  appeal: true,
  'in-progress': true,
  completed: true,
  cancelled: true,
  expired: true,
  unknown: true,
} satisfies Record<OrderState, true>;
const VENUES: ReadonlySet<string> = new Set<VenueId>(VENUE_IDS);

/** Amounts as the venues write them: digits with an optional fraction, no sign, no exponent. */
export const DECIMAL_PATTERN = /^\d{1,30}(\.\d{1,30})?$/;
// Tickers (USDT, 1000SATS, EUR) and venue states (NOT_PAID, 20, BUYER_PAYED): no spaces or
// direction marks, so they cannot spoof the words around them in a tree label.
const CODE_PATTERN = /^[A-Za-z0-9._-]{1,32}$/;
/** Order numbers: the venues' are digits (MEXC, Binance, Bybit); letters, dots and dashes are tolerated. */
export const ORDER_NO_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

const venue: Check = (v) => (typeof v === 'string' && VENUES.has(v) ? undefined : 'is not a venue');

const optional = (check: Check): FieldRule => ({ check });
const required = (check: Check): FieldRule => ({ check, required: true });

const ORDER_RULES: Rules<OrderContext> = {
  orderNo: required(matches(ORDER_NO_PATTERN, 'an order number')),
  side: optional(oneOf(SIDES)),
  asset: optional(matches(CODE_PATTERN, 'an asset code')),
  quantity: optional(matches(DECIMAL_PATTERN, 'a decimal')),
  fiat: optional(matches(CODE_PATTERN, 'a currency code')),
  fiatAmount: optional(matches(DECIMAL_PATTERN, 'a decimal')),
  price: optional(matches(DECIMAL_PATTERN, 'a decimal')),
  state: required(oneOf(STATES)),
  venueState: required(matches(CODE_PATTERN, 'a venue state')),
  payBy: optional(nonNegative),
};

const CONVERSATION_RULES: Rules<Conversation> = {
  venue: required(venue),
  accountId: required(stringUpTo(MAX_FIELD_LENGTH, 1)),
  conversationId: required(stringUpTo(MAX_FIELD_LENGTH, 1)),
  title: required(stringUpTo(MAX_FIELD_LENGTH)),
  subtitle: optional(stringUpTo(MAX_FIELD_LENGTH)),
  lastActivity: required(nonNegative),
  unread: required(nonNegative),
  active: required(boolean),
  preview: optional(stringUpTo(MAX_FIELD_LENGTH)),
  readUpTo: optional(nonNegative),
  discoveredAt: optional(nonNegative),
  historyHoleFrom: optional(nonNegative),
  order: { check: (v) => (isRecord(v) ? undefined : 'is not an object'), read: (v, problems, path) => readRecord(v, ORDER_RULES, problems, path) },
};

/**
 * Reads `raw` field by field: undefined when a required field is missing or wrong; otherwise a
 * copy holding every good field. Each dropped field or unknown field is named in `problems`.
 */
function readRecord(raw: unknown, rules: Rules<object>, problems: string[], path: string): Record<string, unknown> | undefined {
  if (!isRecord(raw)) {
    problems.push(`${path} is not an object`);
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(rules) as [string, FieldRule][]) {
    const value = Object.hasOwn(raw, field) ? raw[field] : undefined;
    if (value === undefined) {
      if (rule.required) {
        problems.push(`${path}.${field} is missing`);
        return undefined;
      }
      continue;
    }
    const problem = rule.check(value);
    if (problem !== undefined) {
      problems.push(`${path}.${field} ${problem}`);
      if (rule.required) return undefined;
      continue;
    }
    const read = rule.read ? rule.read(value, problems, `${path}.${field}`) : value;
    if (read !== undefined) out[field] = read;
  }
  for (const field of Object.keys(raw)) {
    if (!Object.hasOwn(rules, field) && raw[field] !== undefined) problems.push(`${path}.${field} is not a known field`);
  }
  return out;
}

export interface ConversationReading {
  /** Absent when a required field is missing or wrong. */
  readonly conversation?: Conversation;
  /** What was wrong (field names and reasons, never values). */
  readonly problems: readonly string[];
}

/** The tolerant reading used at every boundary (the saved list, the pane). */
export function readConversation(raw: unknown): ConversationReading {
  const problems: string[] = [];
  const record = readRecord(raw, CONVERSATION_RULES, problems, 'conversation');
  return { conversation: record as Conversation | undefined, problems };
}

/** The strict check: what is wrong with `raw` as a Conversation, or undefined when nothing is. */
export function conversationProblem(raw: unknown): string | undefined {
  const reading = readConversation(raw);
  return reading.problems[0] ?? (reading.conversation ? undefined : 'conversation is not valid');
}
