// The scripted trader on the other side of every sandbox order. It answers our messages from
// keywords, like a P2P counterparty would, so a developer gets a live-feeling chat and tests get
// predictable replies. Pure planning lives here; the emulator schedules and sends.
import { INTENT_PATTERNS, classifyBy, smallTalk } from '../util/counterpartyScript';
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
const INTENTS: readonly (readonly [Exclude<ReplyIntent, 'ack'>, RegExp])[] = [
  ['receipt', INTENT_PATTERNS.receipt],
  ['paid', INTENT_PATTERNS.paid],
  ['bankDetails', /\b(bank|details|iban|account)\b/i],
  ['greeting', INTENT_PATTERNS.greeting],
  ['question', INTENT_PATTERNS.question],
];

export function classify(content: string): ReplyIntent {
  return classifyBy(content, INTENTS);
}

/** What the counterparty says to one of our messages; deterministic per (seed, message id). */
export function planReply(content: string, ctx: ReplyContext): ReplyStep[] {
  const r = seededRandom(ctx.seed, `reply-${ctx.order.conversationId}-${ctx.triggerMessageId}`);
  const delay = ctx.delayMs;
  const intent = classify(content);
  switch (intent) {
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
    case 'question':
    case 'ack':
      return [{ afterMs: delay, draft: text(smallTalk(r, intent)) }];
  }
}
