// The scripted trader on the other side of every sandbox order that is not between two of our
// accounts. It answers our messages from keywords, and it trades: as the buyer it pays when asked
// (TRADING → BUYER_PAYED, a system frame) and sends a receipt image; as the seller it releases
// once told we paid (→ COMPLETED). Pure planning lives here; the emulator schedules and sends.
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
const INTENTS: readonly (readonly [ReplyIntent, RegExp])[] = [
  ['receipt', /\b(receipts?|screenshots?|proof)\b/i],
  ['pay', /\b(pay|payment|bank|details|iban)\b/i],
  ['paid', /\b(paid|sent|transfer(?:red)?)\b/i],
  ['greeting', /\b(hi|hello|hey|good (?:morning|afternoon|evening)|hola|salam)\b/i],
  ['question', /\?/],
];

export function classify(content: string): ReplyIntent {
  for (const [intent, pattern] of INTENTS) if (pattern.test(content)) return intent;
  return 'ack';
}

const GREETINGS = ['Hi! I am here.', 'Hello, how can I help?', 'Hey, good to see you.'];
const ANSWERS = ['Yes, that works.', 'Sure, no problem.', 'Yes, the order is still open.'];
const ACKS = ['OK', 'Noted, thanks.', 'Got it.', 'Alright 👍'];

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
  if (intent === 'greeting') return [say(d, r.pick(GREETINGS))];
  if (intent === 'question') return [say(d, r.pick(ANSWERS))];
  return [say(d, r.pick(ACKS))];
}
