// Conversations the user muted from a notification ("Mute this chat"): kept in global state so a
// mute survives reloads and applies in every window; shown in the tree and undone from its menu.
import * as vscode from 'vscode';

const STORAGE_KEY = 'venueChat.mutedConversations';
/** A mute list is a user's choice per chat; far more than any desk has open. */
const MAX_MUTED = 5000;

export class NotificationMutes implements vscode.Disposable {
  private readonly muted: Set<string>;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {
    const saved = memento.get<unknown>(STORAGE_KEY);
    this.muted = new Set(Array.isArray(saved) ? saved.filter((k): k is string => typeof k === 'string') : []);
  }

  isMuted(accountId: string, conversationId: string): boolean {
    return this.muted.has(keyOf(accountId, conversationId));
  }

  async setMuted(accountId: string, conversationId: string, muted: boolean): Promise<void> {
    const key = keyOf(accountId, conversationId);
    if (muted === this.muted.has(key)) return;
    if (muted) this.muted.add(key);
    else this.muted.delete(key);
    // Oldest mutes go first if the list ever grows past its cap (a Set keeps insertion order).
    while (this.muted.size > MAX_MUTED) this.muted.delete(this.muted.values().next().value as string);
    await this.memento.update(STORAGE_KEY, [...this.muted]);
    this.changed.fire();
  }

  /** Forgets the mutes of a removed account. */
  async forgetAccount(accountId: string): Promise<void> {
    const prefix = `${accountId}\u0000`;
    const before = this.muted.size;
    for (const key of [...this.muted]) if (key.startsWith(prefix)) this.muted.delete(key);
    if (this.muted.size === before) return;
    await this.memento.update(STORAGE_KEY, [...this.muted]);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function keyOf(accountId: string, conversationId: string): string {
  return `${accountId}\u0000${conversationId}`;
}
