// Which conversations panes hold (their connections stay live) and which a pane shows right now
// (new messages there do not count as unread; a pane in a background tab does not hide them).
import { conversationKey } from './conversationBook';

export class ConversationViewers {
  private readonly held = new Map<string, number>();
  private readonly shown = new Map<string, number>();

  hold(accountId: string, conversationId: string): void {
    bump(this.held, conversationKey(accountId, conversationId), 1);
  }

  release(accountId: string, conversationId: string): void {
    bump(this.held, conversationKey(accountId, conversationId), -1);
  }

  setShown(accountId: string, conversationId: string, shown: boolean): void {
    bump(this.shown, conversationKey(accountId, conversationId), shown ? 1 : -1);
  }

  isHeld(accountId: string, conversationId: string): boolean {
    return (this.held.get(conversationKey(accountId, conversationId)) ?? 0) > 0;
  }

  isShown(accountId: string, conversationId: string): boolean {
    return (this.shown.get(conversationKey(accountId, conversationId)) ?? 0) > 0;
  }

  /** Conversation ids of `accountId` that some pane holds. */
  heldBy(accountId: string): string[] {
    const prefix = conversationKey(accountId, '');
    return [...this.held.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
