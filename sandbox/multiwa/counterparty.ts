// The customer on the other side of account 0's chats. After reading each of our messages they
// answer, and over a conversation they go through what a P2P customer sends on WhatsApp: small
// talk, a quoted reply, a payment screenshot, a voice note, a PDF, their location, a contact card,
// a poll and a reaction to our message. Pure planning; the emulator schedules and stores.
import { INTENT_PATTERNS, classifyBy, smallTalk } from '../util/counterpartyScript';
import { seededRandom } from '../util/random';
import type { InboundExtras, InboundKind } from './content';

export interface ReplyStep {
  readonly kind: InboundKind;
  readonly text?: string;
  /** In units of the reply delay after the customer read our message. */
  readonly after: number;
  /** Quote our message. */
  readonly quote?: boolean;
  readonly extras?: InboundExtras;
}

const INTENTS = [['greeting', INTENT_PATTERNS.greeting], ['question', INTENT_PATTERNS.question]] as const;

/** The rotation, one entry per message of ours in the conversation. */
const ROTATION: readonly ((say: string) => ReplyStep[])[] = [
  (say) => [{ kind: 'text', text: say, after: 1 }],
  (say) => [{ kind: 'text', text: `About this: ${say}`, after: 1, quote: true }],
  () => [{ kind: 'image', text: 'Here is the payment screenshot', after: 1 }],
  () => [{ kind: 'ptt', after: 1 }],
  () => [{ kind: 'document', text: 'Bank statement attached', after: 1 }],
  () => [{ kind: 'location', after: 1, extras: { placeName: 'Bank branch, Jl. Sudirman', latitude: -6.2146, longitude: 106.8451 } }],
  () => [{ kind: 'vcard', after: 1, extras: { contactName: 'My cashier', contactPhone: '+62 813 1111 0099' } }],
  () => [{ kind: 'poll_creation', after: 1, extras: { question: 'How should I pay?', options: ['Bank transfer', 'E-wallet', 'Cash deposit'] } }],
  () => [{ kind: 'reaction', after: 1, extras: { emoji: '👍' } }, { kind: 'text', text: 'Done ✅', after: 2 }],
];

/** What the customer does after reading our `turn`-th message; deterministic per seed and row. */
export function planReply(input: { seed: number | string; rowId: string; turn: number; text: string }): ReplyStep[] {
  const r = seededRandom(input.seed, `multiwa-reply-${input.rowId}`);
  const intent = classifyBy(input.text, INTENTS);
  const say = smallTalk(r, intent);
  const step = ROTATION[(Math.max(1, input.turn) - 1) % ROTATION.length]!;
  return step(say);
}
