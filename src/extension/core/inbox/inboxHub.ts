// The inbox hub: the one place where adapters, the store and the outbox meet. Views (tree,
// status bar, chat panels) read from it and listen to its events; they never talk to adapters.
import type { ChatMessage, ConnectionState, Conversation, VenueId } from '../../../shared/model';
import { messageKey } from '../../../shared/model';
import type { VenueAdapter, VenueEvent } from '../../venues/venue';
import { writeJsonAtomic, readJson } from '../store/atomicFile';
import { systemClock, type Clock } from '../clock';
import { DisposableStore, Emitter, toDisposable, type Disposable } from '../event';
import { silentLogger, type Logger } from '../logger';
import type { MessageStore } from '../store/messageStore';
import type { ComposeInput, Outbox } from '../delivery/outbox';

export interface AccountInfo {
  readonly id: string;
  readonly venue: VenueId;
  readonly label: string;
}

interface AccountSlot {
  readonly info: AccountInfo;
  readonly adapter: VenueAdapter;
  state: ConnectionState;
  readonly subscriptions: DisposableStore;
}

export interface MessagesEvent {
  readonly accountId: string;
  readonly conversationId: string;
  readonly messages: readonly ChatMessage[];
}

export interface BadInputEvent {
  readonly accountId: string;
  readonly where: string;
  readonly detail: string;
}

export interface InboxHubDeps {
  readonly store: MessageStore;
  readonly outbox: Outbox;
  /** Where conversation metadata (titles, unread counts) is kept between sessions. */
  readonly conversationsFile: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

type ConversationKey = string;
const convKey = (accountId: string, conversationId: string): ConversationKey => `${accountId}\u0000${conversationId}`;

export class InboxHub implements Disposable {
  private readonly accounts = new Map<string, AccountSlot>();
  private readonly conversations = new Map<ConversationKey, Conversation>();
  private readonly viewers = new Map<ConversationKey, number>();
  private readonly visible = new Map<ConversationKey, number>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly disposables = new DisposableStore();
  private readonly conversationsChanged = new Emitter<void>();
  private readonly stateChanged = new Emitter<{ accountId: string; state: ConnectionState }>();
  private readonly messagesChanged = new Emitter<MessagesEvent>();
  private readonly badInputEmitter = new Emitter<BadInputEvent>();
  private readonly resetEmitter = new Emitter<{ accountId: string; conversationId: string }>();
  private eventQueue: Promise<void> = Promise.resolve();
  private saveTimer: Disposable | undefined;
  private badInputs = 0;

  readonly onDidChangeConversations = this.conversationsChanged.event;
  readonly onDidChangeState = this.stateChanged.event;
  readonly onMessages = this.messagesChanged.event;
  readonly onBadInput = this.badInputEmitter.event;
  /** Stored messages of a conversation changed in a way upserts cannot express (two records merged into one): views reload it. */
  readonly onDidResetConversation = this.resetEmitter.event;

  constructor(private readonly deps: InboxHubDeps) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
    this.disposables.add(deps.outbox.onMessages((messages) => this.forwardMessages(messages)));
    this.disposables.add(
      deps.store.onDidMergeDuplicates((merged) => {
        const seen = new Set<string>();
        for (const m of merged) {
          const key = convKey(m.accountId, m.conversationId);
          if (seen.has(key)) continue;
          seen.add(key);
          this.resetEmitter.fire({ accountId: m.accountId, conversationId: m.conversationId });
        }
      }),
    );
  }

  /** Loads the conversation metadata saved by a previous session (so the tree fills at once). */
  async load(): Promise<void> {
    const saved = await readJson(this.deps.conversationsFile);
    if (!Array.isArray(saved)) return;
    for (const c of saved) {
      if (isConversation(c)) this.conversations.set(convKey(c.accountId, c.conversationId), c);
    }
  }

  // ---- accounts ----------------------------------------------------------------------------------

  async addAccount(info: AccountInfo, adapter: VenueAdapter): Promise<void> {
    await this.removeAccount(info.id, { keepData: true });
    const slot: AccountSlot = { info, adapter, state: { kind: 'connecting' }, subscriptions: new DisposableStore() };
    this.accounts.set(info.id, slot);
    slot.subscriptions.add(adapter.events((event) => this.enqueue(() => this.onVenueEvent(slot, event))));
    this.setState(slot, { kind: 'connecting' });
    // Reopen the sockets of conversations already open in a pane.
    for (const [key, count] of this.viewers) {
      const c = this.conversations.get(key);
      if (count > 0 && c?.accountId === info.id) slot.subscriptions.add(adapter.watch(c.conversationId));
    }
    try {
      await adapter.start();
    } catch (err) {
      this.logger.warn(`account ${info.label}: start failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async removeAccount(accountId: string, options: { keepData?: boolean } = {}): Promise<void> {
    const slot = this.accounts.get(accountId);
    if (slot) {
      this.accounts.delete(accountId);
      slot.subscriptions.dispose();
      await slot.adapter.stop().catch(() => undefined);
      slot.adapter.dispose();
    }
    if (!options.keepData) {
      for (const key of [...this.conversations.keys()]) if (key.startsWith(`${accountId}\u0000`)) this.conversations.delete(key);
      await this.deps.store.removeAccount(accountId);
      await this.deps.outbox.removeAccount(accountId);
      this.scheduleSave();
    }
    this.conversationsChanged.fire();
  }

  account(accountId: string): AccountInfo | undefined {
    return this.accounts.get(accountId)?.info;
  }

  adapter(accountId: string): VenueAdapter | undefined {
    return this.accounts.get(accountId)?.adapter;
  }

  listAccounts(): AccountInfo[] {
    return [...this.accounts.values()].map((s) => s.info);
  }

  state(accountId: string): ConnectionState {
    return this.accounts.get(accountId)?.state ?? { kind: 'offline' };
  }

  isReady(accountId: string): boolean {
    return this.state(accountId).kind === 'online';
  }

  async reconnect(accountId: string): Promise<void> {
    const slot = this.accounts.get(accountId);
    if (!slot) throw new Error(`no account ${accountId}`);
    await slot.adapter.reconnect();
  }

  get badInputCount(): number {
    return this.badInputs;
  }

  // ---- conversations -------------------------------------------------------------------------

  conversationsOf(accountId: string): Conversation[] {
    return [...this.conversations.values()].filter((c) => c.accountId === accountId).sort((a, b) => b.lastActivity - a.lastActivity);
  }

  conversation(accountId: string, conversationId: string): Conversation | undefined {
    return this.conversations.get(convKey(accountId, conversationId));
  }

  totalUnread(): number {
    let total = 0;
    for (const c of this.conversations.values()) if (this.accounts.has(c.accountId)) total += c.unread;
    return total;
  }

  /**
   * A pane holds this conversation: its connection stays open. While the pane is visible, new
   * messages do not count as unread (a pane in a background tab does not hide them).
   */
  openConversation(accountId: string, conversationId: string): Disposable & { setVisible(visible: boolean): void } {
    const key = convKey(accountId, conversationId);
    this.viewers.set(key, (this.viewers.get(key) ?? 0) + 1);
    const watch = this.accounts.get(accountId)?.adapter.watch(conversationId);
    let shown = false;
    const setVisible = (visible: boolean) => {
      if (visible === shown) return;
      shown = visible;
      this.visible.set(key, (this.visible.get(key) ?? 0) + (visible ? 1 : -1));
      if ((this.visible.get(key) ?? 0) <= 0) this.visible.delete(key);
      if (visible) void this.markRead(accountId, conversationId);
    };
    setVisible(true);
    const release = toDisposable(() => {
      setVisible(false);
      watch?.dispose();
      const n = (this.viewers.get(key) ?? 1) - 1;
      if (n <= 0) this.viewers.delete(key);
      else this.viewers.set(key, n);
    });
    return { setVisible, dispose: () => release.dispose() };
  }

  /** A pane shows this conversation right now. */
  isVisible(accountId: string, conversationId: string): boolean {
    return (this.visible.get(convKey(accountId, conversationId)) ?? 0) > 0;
  }

  async markRead(accountId: string, conversationId: string): Promise<number> {
    const c = this.conversation(accountId, conversationId);
    if (c && c.unread > 0) {
      this.putConversation({ ...c, unread: 0 });
      await this.accounts.get(accountId)?.adapter.markRead(conversationId, { time: this.clock.now() }).catch((err: unknown) => this.logger.warn(`mark read failed: ${String(err)}`));
    }
    return 0;
  }

  page(accountId: string, conversationId: string, before: string | undefined, limit: number): { messages: ChatMessage[]; before?: string } {
    return this.deps.store.page(accountId, conversationId, { before, limit });
  }

  // ---- sending -------------------------------------------------------------------------------

  async send(input: Omit<ComposeInput, 'venue'>): Promise<ChatMessage> {
    const slot = this.accounts.get(input.accountId);
    if (!slot) throw new Error('This account is not connected in this window.');
    return this.deps.outbox.enqueue({ ...input, venue: slot.info.venue });
  }

  retry(clientMessageId: string): Promise<ChatMessage | undefined> {
    return this.deps.outbox.retry(clientMessageId);
  }

  cancel(clientMessageId: string): Promise<boolean> {
    return this.deps.outbox.cancel(clientMessageId);
  }

  /** Waits until every venue event received so far has been stored (tests and shutdown). */
  settled(): Promise<void> {
    return this.eventQueue;
  }

  dispose(): void {
    for (const slot of this.accounts.values()) {
      slot.subscriptions.dispose();
      slot.adapter.dispose();
    }
    this.accounts.clear();
    this.saveTimer?.dispose();
    void this.saveNow();
    this.disposables.dispose();
    this.conversationsChanged.dispose();
    this.stateChanged.dispose();
    this.messagesChanged.dispose();
    this.badInputEmitter.dispose();
    this.resetEmitter.dispose();
  }

  // ---- venue events --------------------------------------------------------------------------

  private enqueue(task: () => Promise<void>): void {
    // Adapter events are handled one at a time, in order, so store writes never race.
    this.eventQueue = this.eventQueue.then(task).catch((err: unknown) => {
      this.logger.error(`event handling failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    });
  }

  private async onVenueEvent(slot: AccountSlot, event: VenueEvent): Promise<void> {
    if (this.accounts.get(slot.info.id) !== slot) return; // account removed meanwhile
    switch (event.type) {
      case 'messages': {
        const changed = await this.deps.store.upsert(event.messages);
        for (const m of event.messages) if (m.clientMessageId) await this.deps.outbox.confirm(m.clientMessageId);
        slot.adapter.stored(event.messages);
        this.forwardMessages(changed);
        return;
      }
      case 'messageStatus': {
        const clientMessageId = event.ref.clientMessageId;
        const record = clientMessageId ? this.deps.store.findByClientMessageId(slot.info.id, event.ref.conversationId, clientMessageId) : undefined;
        if (record && event.status !== 'failed') {
          const changed = await this.deps.store.upsert([{ ...record, status: event.status, venueMessageId: event.venueMessageId ?? record.venueMessageId, failure: undefined }]);
          this.forwardMessages(changed);
        }
        if (clientMessageId) await this.deps.outbox.confirm(clientMessageId);
        return;
      }
      case 'resync':
        return;
      case 'conversation': {
        const prev = this.conversation(slot.info.id, event.conversation.conversationId);
        this.putConversation({
          ...event.conversation,
          unread: prev?.unread ?? event.conversation.unread,
          preview: event.conversation.preview ?? prev?.preview,
          lastActivity: Math.max(prev?.lastActivity ?? 0, event.conversation.lastActivity),
        });
        return;
      }
      case 'connectionState':
        this.setState(slot, event.state);
        if (event.state.kind === 'online') this.deps.outbox.kick(slot.info.id);
        return;
      case 'gap': {
        const gap: ChatMessage = {
          key: messageKey(slot.info.venue, slot.info.id, event.conversationId, `gap:${event.from}`),
          venue: slot.info.venue,
          accountId: slot.info.id,
          conversationId: event.conversationId,
          direction: 'system',
          kind: 'gap',
          time: event.from,
          gap: { from: event.from, to: event.to },
        };
        this.forwardMessages(await this.deps.store.upsert([gap]));
        return;
      }
      case 'badInput':
        this.badInputs++;
        this.logger.warn(`bad input from ${event.where}: ${event.detail}`);
        this.badInputEmitter.fire({ accountId: slot.info.id, where: event.where, detail: event.detail });
        return;
    }
  }

  private setState(slot: AccountSlot, state: ConnectionState): void {
    slot.state = state;
    this.stateChanged.fire({ accountId: slot.info.id, state });
  }

  /** Forwards stored changes to views and keeps conversation previews and unread counts current. */
  private forwardMessages(messages: readonly ChatMessage[]): void {
    const groups = new Map<ConversationKey, ChatMessage[]>();
    for (const m of messages) {
      const key = convKey(m.accountId, m.conversationId);
      const list = groups.get(key) ?? [];
      list.push(m);
      groups.set(key, list);
    }
    for (const [key, list] of groups) {
      const first = list[0]!;
      this.messagesChanged.fire({ accountId: first.accountId, conversationId: first.conversationId, messages: list });
      const c = this.conversations.get(key);
      if (!c) continue;
      const newest = list.filter((m) => m.kind !== 'gap').sort((a, b) => b.time - a.time)[0];
      const newIncoming = list.filter((m) => m.direction === 'in').length;
      const viewed = (this.visible.get(key) ?? 0) > 0;
      this.putConversation({
        ...c,
        lastActivity: Math.max(c.lastActivity, newest?.time ?? 0),
        preview: newest ? previewOf(newest) : c.preview,
        unread: viewed ? 0 : c.unread + newIncoming,
      });
    }
  }

  private putConversation(c: Conversation): void {
    const key = convKey(c.accountId, c.conversationId);
    const prev = this.conversations.get(key);
    if (prev && JSON.stringify(prev) === JSON.stringify(c)) return;
    this.conversations.set(key, c);
    this.conversationsChanged.fire();
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = this.clock.setTimeout(() => {
      this.saveTimer = undefined;
      void this.saveNow();
    }, 500);
  }

  private async saveNow(): Promise<void> {
    try {
      await writeJsonAtomic(this.deps.conversationsFile, [...this.conversations.values()]);
    } catch (err) {
      this.logger.warn(`could not save conversations: ${String(err)}`);
    }
  }
}

function previewOf(m: ChatMessage): string {
  const text = (m.text ?? '').replace(/\s+/g, ' ').trim();
  if (text) return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return m.kind === 'text' ? '' : `[${m.kind}]`;
}

function isConversation(v: unknown): v is Conversation {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return typeof c.venue === 'string' && typeof c.accountId === 'string' && typeof c.conversationId === 'string' && typeof c.title === 'string' && typeof c.lastActivity === 'number' && typeof c.unread === 'number' && typeof c.active === 'boolean';
}
