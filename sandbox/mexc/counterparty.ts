// The scripted trader on the other side of every sandbox order. It answers our messages from
// keywords, like a P2P counterparty would, so a developer gets a live-feeling chat and tests get
// predictable replies. Pure planning lives here; the emulator schedules and sends.
import { seededRandom } from '../util/random';
import type { MessageContent, Order } from './store';

export type ReplyDraft = MessageContent;

export interface ReplyStep {
  /** Delay after the triggering message. */
  readonly afterMs: number;
  readonly draft: ReplyDraft;
}

export interface ReplyContext {
  readonly seed: number | string;
  readonly triggerMessageId: number;
  readonly order: Order;
  /** e.g. `http://127.0.0.1:P/media` */
  readonly mediaBase: string;
  readonly delayMs: number;
}

export type ReplyIntent = 'receipt' | 'paid' | 'bankDetails' | 'greeting' | 'question' | 'ack';

const text = (content: string): ReplyDraft => ({ content, type: 1, imageUrl: '', imageThumbUrl: '', videoUrl: '', fileUrl: '' });

// Ordered by priority: "hi, I paid" is about the payment, "did you send the receipt?" wants the image.
const INTENTS: readonly (readonly [ReplyIntent, RegExp])[] = [
  ['receipt', /\b(receipts?|screenshots?|proof)\b/i],
  ['paid', /\b(paid|sent|transfer(?:red)?)\b/i],
  ['bankDetails', /\b(bank|details|iban|account)\b/i],
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

/** What the counterparty says to one of our messages; deterministic per (seed, message id). */
export function planReply(content: string, ctx: ReplyContext): ReplyStep[] {
  const r = seededRandom(ctx.seed, `reply-${ctx.order.conversationId}-${ctx.triggerMessageId}`);
  const delay = ctx.delayMs;
  switch (classify(content)) {
    case 'receipt':
      return [
        {
          afterMs: delay,
          draft: {
            content: 'Here is the receipt.',
            type: 2,
            imageUrl: `${ctx.mediaBase}/receipt.png`,
            imageThumbUrl: `${ctx.mediaBase}/receipt_thumb.png`,
            videoUrl: '',
            fileUrl: '',
          },
        },
      ];
    case 'paid':
      return [
        { afterMs: delay, draft: text('Thanks, checking my bank app now…') },
        { afterMs: delay * 3, draft: text('Received, releasing the coins.') },
      ];
    case 'bankDetails': {
      const pay = ctx.order.paymentInfo[0];
      const lines = pay
        ? [`Bank: ${pay.bankName}`, `IBAN: ${pay.account}`, `Name: ${ctx.order.counterparty.realName}`]
        : [`Name: ${ctx.order.counterparty.realName}`];
      lines.push(`Amount: ${ctx.order.amount.toFixed(2)} ${ctx.order.fiatUnit}`, `Reference: ${ctx.order.advOrderNo}`);
      return [{ afterMs: delay, draft: text(lines.join('\n')) }];
    }
    case 'greeting':
      return [{ afterMs: delay, draft: text(r.pick(GREETINGS)) }];
    case 'question':
      return [{ afterMs: delay, draft: text(r.pick(ANSWERS)) }];
    case 'ack':
      return [{ afterMs: delay, draft: text(r.pick(ACKS)) }];
  }
}
