// The order conversations are listed in within an account: chats of running orders first (they
// need the trader now), then the rest; within each group the most recent activity first.
import type { Conversation } from '../../../shared/model';

export function compareConversations(a: Conversation, b: Conversation): number {
  if (a.active !== b.active) return a.active ? -1 : 1;
  // Equal activity: a stable, repeatable order (the tree must not reshuffle on every repaint).
  return b.lastActivity - a.lastActivity || (a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0);
}
