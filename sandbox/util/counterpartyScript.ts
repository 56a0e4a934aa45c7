// What the scripted counterparties of every venue share: reading the intent of our message from
// keywords, and the small talk they answer with. What a venue's counterparty then does (send bank
// details, pay, release) stays in its own counterparty.ts.
import type { Random } from './random';

/** Keyword patterns both venues' counterparties react to the same way. */
export const INTENT_PATTERNS = {
  receipt: /\b(receipts?|screenshots?|proof)\b/i,
  paid: /\b(paid|sent|transfer(?:red)?)\b/i,
  greeting: /\b(hi|hello|hey|good (?:morning|afternoon|evening)|hola|salam)\b/i,
  question: /\?/,
} as const;

/** The first intent (by priority) whose pattern the message matches; `'ack'` when none does. */
export function classifyBy<I extends string>(content: string, intents: readonly (readonly [I, RegExp])[]): I | 'ack' {
  for (const [intent, pattern] of intents) if (pattern.test(content)) return intent;
  return 'ack';
}

const SMALL_TALK = {
  greeting: ['Hi! I am here.', 'Hello, how can I help?', 'Hey, good to see you.'],
  question: ['Yes, that works.', 'Sure, no problem.', 'Yes, the order is still open.'],
  ack: ['OK', 'Noted, thanks.', 'Got it.', 'Alright 👍'],
} as const;

/** A seeded pick of what to say back to a greeting, a question or anything else. */
export function smallTalk(r: Random, intent: keyof typeof SMALL_TALK): string {
  return r.pick(SMALL_TALK[intent]);
}
