// The conversation list: titles, order context, previews, unread counts and read marks, kept in
// memory for the views and saved to one JSON file (atomically, debounced) so the tree fills at
// once on the next start.
import { readConversation } from '../../../shared/conversationValidator';
import type { Conversation } from '../../../shared/model';
import type { Clock } from '../clock';
import { Emitter, type Disposable } from '../event';
import type { Logger } from '../logger';
import { readJson, writeJsonAtomic } from '../store/atomicFile';
import { sameValue } from '../store/messageMerge';
import { compareConversations } from './conversationOrder';

const SAVE_DELAY_MS = 500;

export function conversationKey(accountId: string, conversationId: string): string {
  return `${accountId}\u0000${conversationId}`;
}

export class ConversationBook implements Disposable {
  private readonly conversations = new Map<string, Conversation>();
  private readonly changed = new Emitter<void>();
  private saveTimer: Disposable | undefined;
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;
  private disposed = false;

  readonly onDidChange = this.changed.event;

  constructor(
    private readonly file: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async load(): Promise<void> {
    const saved = await readJson(this.file);
    if (!Array.isArray(saved)) return;
    // The file is read back through the one conversation check: a damaged entry costs itself (or
    // only its bad optional part, such as an order the next poll refills), never the list.
    let dropped = 0;
    const problems = new Set<string>();
    for (const raw of saved) {
      const { conversation, problems: found } = readConversation(raw);
      for (const p of found) problems.add(p);
      if (conversation) this.conversations.set(conversationKey(conversation.accountId, conversation.conversationId), conversation);
      else dropped++;
    }
    if (problems.size > 0) {
      this.logger.warn(`conversations file: ${dropped} entries dropped, problems: ${[...problems].slice(0, 5).join('; ')}`);
    }
  }

  get(accountId: string, conversationId: string): Conversation | undefined {
    return this.conversations.get(conversationKey(accountId, conversationId));
  }

  /** The account's conversations: running orders first, then by most recent activity (conversationOrder.ts). */
  listFor(accountId: string): Conversation[] {
    return [...this.conversations.values()].filter((c) => c.accountId === accountId).sort(compareConversations);
  }

  all(): IterableIterator<Conversation> {
    return this.conversations.values();
  }

  /** Stores `c`; fires and saves only when something changed. */
  put(c: Conversation): void {
    const key = conversationKey(c.accountId, c.conversationId);
    const prev = this.conversations.get(key);
    if (prev && sameValue(prev, c)) return;
    this.conversations.set(key, c);
    this.changed.fire();
    this.scheduleSave();
  }

  /** Views re-read the list (accounts came or went, though no conversation changed). */
  touch(): void {
    this.changed.fire();
  }

  removeAccount(accountId: string): void {
    let removed = false;
    for (const [key, c] of this.conversations) {
      if (c.accountId === accountId) {
        this.conversations.delete(key);
        removed = true;
      }
    }
    if (removed) {
      this.changed.fire();
      this.scheduleSave();
    }
  }

  /** Writes pending changes now (shutdown); resolves when the file is durable. */
  flush(): Promise<void> {
    this.saveTimer?.dispose();
    this.saveTimer = undefined;
    if (this.dirty) {
      this.dirty = false;
      this.saving = this.saving.then(() => this.write());
    }
    return this.saving;
  }

  dispose(): void {
    void this.flush();
    this.disposed = true;
    this.changed.dispose();
  }

  private scheduleSave(): void {
    this.dirty = true;
    if (this.saveTimer || this.disposed) return;
    this.saveTimer = this.clock.setTimeout(() => {
      this.saveTimer = undefined;
      this.dirty = false;
      this.saving = this.saving.then(() => this.write());
    }, SAVE_DELAY_MS);
  }

  private async write(): Promise<void> {
    try {
      await writeJsonAtomic(this.file, [...this.conversations.values()]);
    } catch (err) {
      this.logger.warn(`could not save conversations: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
