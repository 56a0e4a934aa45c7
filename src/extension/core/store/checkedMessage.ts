// A message already checked for the store, so a caller that has to check every message anyway (the
// inbox hub, which reports each bad one as bad input) does not pay for the check twice. The brand
// can only come from `checkForStore`, which validates and copies: the store never takes an
// unchecked message through `MessageStore.upsertChecked`.
import type { ChatMessage } from '../../../shared/model';
import { chatMessageProblem } from '../../../shared/messageValidator';

declare const checked: unique symbol;

/** A valid ChatMessage, copied without `undefined` fields (so stored records and comparisons stay canonical). */
export type CheckedMessage = ChatMessage & { readonly [checked]: true };

/** The store's copy of `message`, or what is wrong with it. */
export function checkForStore(message: ChatMessage): CheckedMessage | string {
  const problem = chatMessageProblem(message);
  if (problem !== undefined) return problem;
  // Copied: the caller may reuse its objects while the copy waits for a group commit.
  return withoutUndefined(message) as CheckedMessage;
}

/** A copy without `undefined`-valued fields. */
export function withoutUndefined(message: ChatMessage): ChatMessage {
  const source = message as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // for-in (with the own-property test) allocates nothing, unlike Object.keys or entries.
  for (const field in source) {
    const value = source[field];
    if (value !== undefined && Object.hasOwn(source, field)) out[field] = value;
  }
  return out as unknown as ChatMessage;
}
