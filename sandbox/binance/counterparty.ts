// The scripted trader on the other side of every sandbox order that is not between two of our
// accounts. It answers our messages from keywords, and it trades: as the buyer it pays when asked
// (TRADING → BUYER_PAYED, a system frame) and sends a receipt image; as the seller it releases
// once told we paid (→ COMPLETED). Pure planning lives here; the emulator schedules and sends.
import { INTENT_PATTERNS, classifyBy, smallTalk } from '../util/counterpartyScript';
import { seededRandom } from '../util/random';
import type { Order, OrderStatus } from './store';

export type ReplyAction =
  | { readonly kind: 'text'; readonly content: string }
  | { readonly kind: 'receipt' }
  | { readonly kind: 'status'; readonly status: OrderStatus };

export interface ReplyStep {
  /** Delay after the triggering message. */
  readonly afterMs: number;
  readonly action: ReplyAction;
}

export type ReplyIntent = 'receipt' | 'pay' | 'paid' | 'greeting' | 'question' | 'ack';

// Ordered by priority: "did you send the receipt?" wants the image, "please pay" the payment.
const INTENTS: readonly (readonly [Exclude<ReplyIntent, 'ack'>, RegExp])[] = [
  ['receipt', INTENT_PATTERNS.receipt],
  ['pay', /\b(pay|payment|bank|details|iban)\b/i],
  ['paid', INTENT_PATTERNS.paid],
  ['greeting', INTENT_PATTERNS.greeting],
  ['question', INTENT_PATTERNS.question],
];

export function classify(content: string): ReplyIntent {
  return classifyBy(content, INTENTS);
}

const say = (afterMs: number, content: string): ReplyStep => ({ afterMs, action: { kind: 'text', content } });

/**
 * What the counterparty does after one of our messages; deterministic per (seed, message id).
 * `theyBuy`: the counterparty is the order's buyer.
 */
export function planReply(content: string, ctx: { seed: number | string; messageId: number; order: Order; theyBuy: boolean; delayMs: number }): ReplyStep[] {
  const r = seededRandom(ctx.seed, `binance-reply-${ctx.order.orderNo}-${ctx.messageId}`);
  const d = ctx.delayMs;
  const intent = classify(content);
  if (intent === 'receipt') return [{ afterMs: d, action: { kind: 'receipt' } }];
  if (intent === 'pay' && ctx.theyBuy && ctx.order.status === 'TRADING') {
    return [
      say(d, 'OK, paying now.'),
      { afterMs: d * 2, action: { kind: 'status', status: 'BUYER_PAYED' } },
      { afterMs: d * 3, action: { kind: 'receipt' } },
      say(d * 3, 'Paid, here is the receipt. Please release.'),
    ];
  }
  if (intent === 'paid' && !ctx.theyBuy && ctx.order.status === 'BUYER_PAYED') {
    return [
      say(d, 'Thanks, checking my bank app now…'),
      say(d * 3, 'Received, releasing the coins.'),
      { afterMs: d * 3, action: { kind: 'status', status: 'COMPLETED' } },
    ];
  }
  if (intent === 'greeting' || intent === 'question') return [say(d, smallTalk(r, intent))];
  return [say(d, smallTalk(r, 'ack'))];
}
