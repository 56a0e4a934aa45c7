// The scripted trader on the other side of every sandbox order. It answers our messages from
// keywords, and it trades: as the buyer it pays when asked (10 → 20, a SYSTEM line) and uploads a
// payment proof (a PDF or an image, by seed); as the seller it releases once told we paid (→ 50).
// Pure planning lives here; the emulator schedules and stores.
import { seededRandom } from '../util/random';
import type { Order, OrderStatus } from './store';

export type ReplyAction =
  | { readonly kind: 'text'; readonly content: string }
  | { readonly kind: 'proof'; readonly as: 'pic' | 'pdf' }
  | { readonly kind: 'status'; readonly status: OrderStatus };

export interface ReplyStep {
  /** Delay after the triggering message. */
  readonly afterMs: number;
  readonly action: ReplyAction;
}

export type ReplyIntent = 'proof' | 'pay' | 'paid' | 'greeting' | 'question' | 'ack';

// By priority: "did you send the receipt?" wants the proof, "please pay" the payment.
const INTENTS: readonly (readonly [ReplyIntent, RegExp])[] = [
  ['proof', /\b(receipts?|screenshots?|proof|pdf)\b/i],
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

/** What the counterparty does after one of our text messages; deterministic per (seed, message id). */
export function planReply(content: string, ctx: { seed: number | string; messageId: number; order: Order; delayMs: number }): ReplyStep[] {
  const r = seededRandom(ctx.seed, `bybit-reply-${ctx.order.id}-${ctx.messageId}`);
  const d = ctx.delayMs;
  const theyBuy = ctx.order.side === 1;
  const proofAs = r.next() < 0.5 ? 'pdf' : 'pic';
  const intent = classify(content);
  if (intent === 'proof') return [{ afterMs: d, action: { kind: 'proof', as: proofAs } }];
  if (intent === 'pay' && theyBuy && ctx.order.status === 10) {
    return [
      say(d, 'OK, paying now.'),
      { afterMs: d * 2, action: { kind: 'status', status: 20 } },
      { afterMs: d * 3, action: { kind: 'proof', as: proofAs } },
      say(d * 3, 'Paid, the proof is attached. Please release.'),
    ];
  }
  if (intent === 'paid' && !theyBuy && ctx.order.status === 20) {
    return [say(d, 'Thanks, checking my bank app now…'), say(d * 3, 'Received, releasing the coins.'), { afterMs: d * 3, action: { kind: 'status', status: 50 } }];
  }
  if (intent === 'greeting') return [say(d, r.pick(GREETINGS))];
  if (intent === 'question') return [say(d, r.pick(ANSWERS))];
  return [say(d, r.pick(ACKS))];
}
