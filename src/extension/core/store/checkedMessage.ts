// A message already checked for the store, so a caller that has to check every message anyway (the
// inbox hub, which reports each bad one as bad input) does not pay for the check twice. The brand
// can only come from `checkForStore`, which validates and copies: the store never takes an
// unchecked message through `MessageStore.upsertChecked`.
import type { ChatMessage } from '../../../shared/model';
import { checkedChatMessageCopy } from '../../../shared/messageValidator';

declare const checked: unique symbol;

/** A valid ChatMessage, copied without `undefined` fields (so stored records and comparisons stay canonical). */
export type CheckedMessage = ChatMessage & { readonly [checked]: true };

/** The store's copy of `message`, or what is wrong with it. */
export function checkForStore(message: ChatMessage): CheckedMessage | string {
  // Copied: the caller may reuse its objects while the copy waits for a group commit.
  return checkedChatMessageCopy(message) as CheckedMessage | string;
}
