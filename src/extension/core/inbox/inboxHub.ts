// The inbox hub: the one place where adapters, the store and the outbox meet. Views (tree,
// status bar, chat panels) read from it and listen to its events; they never talk to adapters.
// The parts: ConversationBook (list, unread, read marks), ConversationViewers (panes),
// VenueEventQueue (ordered handling with group commit), InboundStore (durable writes with retry),
// HistoryBackfill and HistoryPager (server history).
import { countCharacters } from '../../../shared/characterCount';
import type { ChatMessage, ConnectionState, Conversation, QuotedMessage, VenueId } from '../../../shared/model';
import { messageKey } from '../../../shared/model';
import type { VenueAdapter, VenueEvent } from '../../venues/venue';
import { systemClock, type Clock } from '../clock';
import type { ComposeInput, Outbox } from '../delivery/outbox';
import { DisposableStore, Emitter, toDisposable, type Disposable, type Event } from '../event';
import { silentLogger, type Logger } from '../logger';
import type { CheckedMessage, MessageStore } from '../store/messageStore';
import { badInputLine, MAX_BAD_INPUT_DETAIL, MAX_BAD_INPUT_WHERE } from './badInputLine';
import { ConversationBook, conversationKey } from './conversationBook';
import { ConversationViewers } from './conversationViewers';
import { HistoryBackfill } from './historyBackfill';
import { HistoryPager, type HistoryPage } from './historyPager';
import { withRecallsMarked } from './recallMarks';
import { saidOrder } from './saidOrder';
import { fitConversation } from './inboundFit';
import { InboundStore, type StoreTrouble } from './inboundStore';
import { previewText } from '../../../shared/messagePreview';
import { readMarkFor } from './readMark';
import { quoteForReply, ReplyError } from './replyQuote';
import { isSafeQrDataUrl, type PairingChange, type PairingStatus } from './pairingCode';
import { VenueEventQueue, type QueuedEvent, type QueuedMessages } from './venueEventQueue';
import * as l10n from '@vscode/l10n';

export interface AccountInfo {
  readonly id: string;
  readonly venue: VenueId;
  readonly label: string;
}

interface AccountSlot {
  readonly info: AccountInfo;
  readonly adapter: VenueAdapter;
  state: ConnectionState;
  /** Conversations the adapter says it cannot receive right now, with why. */
  readonly watchProblems: Map<string, string>;
  /** The newest word on pairing (a QR code to scan), kept so a pane opened late shows the current code. */
  pairing?: PairingStatus;
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

/** What a view hands the hub to send: the message as composed, and the key of the message it answers. */
export type SendInput = Omit<ComposeInput, 'venue' | 'quote'> & { readonly replyTo?: string };

export interface InboxHubDeps {
  readonly store: MessageStore;
  readonly outbox: Outbox;
  /** Where conversation metadata (titles, unread counts, read marks) is kept between sessions. */
  readonly conversationsFile: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export class InboxHub implements Disposable {
  private readonly accounts = new Map<string, AccountSlot>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly book: ConversationBook;
  private readonly viewers = new ConversationViewers();
  private readonly queue: VenueEventQueue;
  private readonly inbound: InboundStore;
  private readonly backfill: HistoryBackfill;
  private readonly pager: HistoryPager;
  private readonly disposables = new DisposableStore();
  private readonly stateChanged = new Emitter<{ accountId: string; state: ConnectionState }>();
  private readonly messagesChanged = new Emitter<MessagesEvent>();
  private readonly badInputEmitter = new Emitter<BadInputEvent>();
  private readonly resetEmitter = new Emitter<{ accountId: string; conversationId: string }>();
  private readonly storeTroubleEmitter = new Emitter<StoreTrouble>();
  private readonly pairingEmitter = new Emitter<PairingChange>();
  private badInputs = 0;

  readonly onDidChangeConversations: Event<void>;
  readonly onDidChangeState = this.stateChanged.event;
  readonly onMessages = this.messagesChanged.event;
  readonly onBadInput = this.badInputEmitter.event;
  /** Stored messages of a conversation changed in a way upserts cannot express (two records merged into one): views reload it. */
  readonly onDidResetConversation = this.resetEmitter.event;
  /** Bytes uploaded so far for our messages with files. */
  readonly onUploadProgress: Outbox['onUploadProgress'];
  /** Incoming messages could not be written (disk full, ...) and are being retried; `resolved` when it works again. */
  readonly onStoreTrouble = this.storeTroubleEmitter.event;
  /** An account's pairing state changed: a new QR code, paired, or the account went away. */
  readonly onPairing = this.pairingEmitter.event;

  constructor(private readonly deps: InboxHubDeps) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
    this.book = new ConversationBook(deps.conversationsFile, this.clock, this.logger);
    this.onDidChangeConversations = this.book.onDidChange;
    this.onUploadProgress = deps.outbox.onUploadProgress;
    this.inbound = new InboundStore(deps.store, this.clock, this.logger, (t) => this.storeTroubleEmitter.fire(t), (accountId, messages, changed) => void this.onLateStored(accountId, messages, changed));
    this.queue = new VenueEventQueue({
      messages: (batches) => this.onMessageBatches(batches),
      other: (item) => this.onOtherEvent(item),
      failed: (err) => this.logger.error(`event handling failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    });
    const ingestBackfill = (accountId: string, messages: readonly ChatMessage[]) => this.ingest(accountId, messages);
    this.backfill = new HistoryBackfill({
      store: deps.store,
      ingest: ingestBackfill,
      onHole: (a, c, from, to) => this.storeGap(a, c, from, to, false),
      onHolesFilled: async (a, c, holes) => {
        await this.writeGaps(holes.map((h) => ({ ...h, gap: { from: h.gap?.from ?? h.time, to: h.gap?.to ?? h.time, filled: true } })));
        this.noteHistoryHole(a, c, undefined);
      },
      adapterFor: (accountId) => this.accounts.get(accountId)?.adapter,
      clock: this.clock,
      logger: this.logger,
    });
    this.pager = new HistoryPager({ store: deps.store, ingest: ingestBackfill });
    this.disposables.add(deps.outbox.onMessages((messages) => this.forwardMessages(messages, new Set(), notLive)));
    this.disposables.add(
      deps.store.onDidMergeDuplicates((merged) => {
        const seen = new Set<string>();
        for (const m of merged) {
          const key = conversationKey(m.accountId, m.conversationId);
          if (seen.has(key)) continue;
          seen.add(key);
          this.resetEmitter.fire({ accountId: m.accountId, conversationId: m.conversationId });
        }
      }),
    );
  }

  /** Loads the conversation metadata saved by a previous session (so the tree fills at once). */
  load(): Promise<void> {
    return this.book.load();
  }

  // ---- accounts ----------------------------------------------------------------------------------

  async addAccount(info: AccountInfo, adapter: VenueAdapter): Promise<void> {
    await this.removeAccount(info.id, { keepData: true });
    const slot: AccountSlot = { info, adapter, state: { kind: 'connecting' }, watchProblems: new Map(), subscriptions: new DisposableStore() };
    this.accounts.set(info.id, slot);
    slot.subscriptions.add(adapter.events((event) => this.queue.push(info.id, event)));
    this.stateChanged.fire({ accountId: info.id, state: slot.state }); // a new account: the views show it connecting
    // Reopen the connections of conversations already open in a pane.
    for (const conversationId of this.viewers.heldBy(info.id)) slot.subscriptions.add(adapter.watch(conversationId));
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
      this.queue.dropAccount(accountId);
      slot.subscriptions.dispose();
      await slot.adapter.stop().catch(() => undefined);
      slot.adapter.dispose();
      if (slot.pairing) this.pairingEmitter.fire({ accountId, pairing: undefined });
    }
    if (!options.keepData) {
      this.backfill.forget(accountId);
      this.book.removeAccount(accountId);
      await this.deps.store.removeAccount(accountId);
      await this.deps.outbox.removeAccount(accountId);
    }
    this.book.touch();
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

  /** The account's newest pairing state (a QR code to scan while `needed`), if it ever needed pairing. */
  pairing(accountId: string): PairingStatus | undefined {
    return this.accounts.get(accountId)?.pairing;
  }

  /** Why the conversation cannot be received right now (its row says so), or undefined. */
  watchProblem(accountId: string, conversationId: string): string | undefined {
    return this.accounts.get(accountId)?.watchProblems.get(conversationId);
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

  /** Why the account's message log cannot be used (incoming messages wait in memory), if it cannot. */
  storeProblem(accountId: string): string | undefined {
    return this.inbound.problem(accountId) ?? this.deps.store.unavailableReason(accountId);
  }

  /** Failed writes of incoming messages so far (each retried until it worked). */
  get storeRetryCount(): number {
    return this.inbound.failedWrites;
  }

  // ---- conversations -------------------------------------------------------------------------

  conversationsOf(accountId: string): Conversation[] {
    return this.book.listFor(accountId);
  }

  conversation(accountId: string, conversationId: string): Conversation | undefined {
    return this.book.get(accountId, conversationId);
  }

  totalUnread(): number {
    let total = 0;
    for (const c of this.book.all()) if (this.accounts.has(c.accountId)) total += c.unread;
    return total;
  }

  /**
   * A pane holds this conversation: its connection stays open and its history is brought up to
   * date. While the pane is visible, new messages do not count as unread.
   */
  openConversation(accountId: string, conversationId: string): Disposable & { setVisible(visible: boolean): void } {
    this.viewers.hold(accountId, conversationId);
    const adapter = this.accounts.get(accountId)?.adapter;
    const watch = adapter?.watch(conversationId);
    if (adapter) void this.backfill.request(adapter, conversationId);
    let shown = false;
    const setVisible = (visible: boolean) => {
      if (visible === shown) return;
      shown = visible;
      this.viewers.setShown(accountId, conversationId, visible);
      if (visible) void this.markRead(accountId, conversationId);
    };
    setVisible(true);
    const release = toDisposable(() => {
      setVisible(false);
      watch?.dispose();
      this.viewers.release(accountId, conversationId);
    });
    return { setVisible, dispose: () => release.dispose() };
  }

  /** A pane shows this conversation right now. */
  isVisible(accountId: string, conversationId: string): boolean {
    return this.viewers.isShown(accountId, conversationId);
  }

  /**
   * The user has seen the conversation up to `upTo` (UTC ms; default: everything stored). Unread
   * drops to zero locally, and the venue is told whenever it may have unread messages of its own.
   */
  async markRead(accountId: string, conversationId: string, upTo?: number): Promise<number> {
    const c = this.book.get(accountId, conversationId);
    if (!c) return 0;
    const mark = readMarkFor(this.deps.store, c, upTo);
    const slot = this.accounts.get(accountId);
    const venueMayHaveUnread = c.unread > 0 || (mark.newestIncoming !== undefined && mark.newestIncoming > (c.readUpTo ?? -Infinity));
    this.book.put({ ...c, unread: 0, readUpTo: Math.max(c.readUpTo ?? 0, mark.time) });
    if (slot && venueMayHaveUnread) {
      await slot.adapter.markRead(conversationId, { time: mark.time, venueMessageIds: mark.venueMessageIds }).catch((err: unknown) => this.logger.warn(`mark read failed: ${err instanceof Error ? err.message : String(err)}`));
    }
    return 0;
  }

  /** The stored message under `key` (a download names its attachment this way, never by link). */
  message(key: string): ChatMessage | undefined {
    return this.deps.store.get(key);
  }

  /** The newest stored page with a cursor for `page()`, at once (scripts and tests; panes use `readNewestPage`). */
  newestPage(accountId: string, conversationId: string, limit: number): HistoryPage {
    return this.pager.newest(accountId, conversationId, limit, this.accounts.get(accountId)?.adapter);
  }

  /** The newest stored page with a cursor for `page()`, read without blocking the host (a long history is read from its end). */
  readNewestPage(accountId: string, conversationId: string, limit: number): Promise<HistoryPage> {
    return this.pager.readNewest(accountId, conversationId, limit, this.accounts.get(accountId)?.adapter);
  }

  /** A page of history for the pane: the store first, then the venue's server history with the same cursor. */
  page(accountId: string, conversationId: string, before: string | undefined, limit: number): Promise<HistoryPage> {
    return this.pager.page(accountId, conversationId, before, limit, this.accounts.get(accountId)?.adapter);
  }

  // ---- sending -------------------------------------------------------------------------------

  /**
   * Queues a message. `replyTo` names the stored message it answers (by key): the quote is built
   * here from the store (a ReplyError when that message cannot be answered).
   */
  async send(input: SendInput): Promise<ChatMessage> {
    const slot = this.accounts.get(input.accountId);
    if (!slot) throw new Error(l10n.t('This account is not connected in this window.'));
    // Every way in (pane, command, script) meets the venue's limit, counted as the venue counts.
    const max = slot.adapter.capabilities.maxTextLength;
    if (countCharacters(input.text) > max) throw new RangeError(l10n.t('The message is longer than the venue allows ({0} characters).', max));
    const { replyTo, ...compose } = input;
    let quote: QuotedMessage | undefined;
    if (replyTo !== undefined) {
      if (slot.adapter.capabilities.replies !== true) throw new ReplyError(l10n.t('This venue cannot send replies.'));
      quote = quoteForReply({ accountId: input.accountId, conversationId: input.conversationId, key: replyTo }, this.deps.store.get(replyTo));
    }
    const queued = await this.deps.outbox.enqueue({ ...compose, ...(quote ? { quote } : {}), venue: slot.info.venue });
    this.logger.info(`${slot.info.label} · ${this.book.get(input.accountId, input.conversationId)?.title ?? input.conversationId}: ${input.kind} message ${queued.clientMessageId ?? queued.key} queued`);
    return queued;
  }

  retry(clientMessageId: string): Promise<ChatMessage | undefined> {
    return this.deps.outbox.retry(clientMessageId);
  }

  cancel(clientMessageId: string): Promise<boolean> {
    return this.deps.outbox.cancel(clientMessageId);
  }

  /** Waits until every venue event received so far, and every backfill running, is stored (tests and shutdown). */
  async settled(): Promise<void> {
    await this.queue.settled();
    await this.backfill.settled();
    await this.queue.settled();
  }

  /** Disposes and resolves when the conversation list is on disk. */
  async close(): Promise<void> {
    const flushed = this.book.flush();
    this.dispose();
    await flushed;
  }

  dispose(): void {
    for (const slot of this.accounts.values()) {
      slot.subscriptions.dispose();
      slot.adapter.dispose();
    }
    this.accounts.clear();
    this.queue.close();
    this.inbound.close();
    this.backfill.dispose();
    this.book.dispose();
    this.disposables.dispose();
    this.stateChanged.dispose();
    this.messagesChanged.dispose();
    this.badInputEmitter.dispose();
    this.resetEmitter.dispose();
    this.storeTroubleEmitter.dispose();
    this.pairingEmitter.dispose();
  }

  // ---- venue events --------------------------------------------------------------------------

  /** Stores messages read from server history through the same path as pushed ones. */
  private ingest(accountId: string, messages: readonly ChatMessage[]): Promise<void> {
    return this.queue.pushAndWait(accountId, { type: 'messages', messages, source: 'backfill' });
  }

  /**
   * A recall names a message that may be stored in a conversation not in memory: it is loaded
   * without blocking the host first (the lookup below would load it synchronously). Rare: recalls only.
   */
  private async loadRecallTargets(batches: readonly QueuedMessages[]): Promise<void> {
    const loads: Promise<void>[] = [];
    for (const { event } of batches) {
      for (const m of event.messages) {
        if (m.kind === 'recall') loads.push(this.deps.store.load(m.accountId, m.conversationId).catch(() => undefined));
      }
    }
    if (loads.length > 0) await Promise.all(loads);
  }

  private async onMessageBatches(batches: readonly QueuedMessages[]): Promise<void> {
    const accepted: { slot: AccountSlot; messages: CheckedMessage[] }[] = [];
    const all: CheckedMessage[] = [];
    // Keys from server history (only needed when history and live pushes share a group).
    let backfilled: Set<string> | undefined;
    const liveIn = new Map<AccountSlot, Set<string>>();
    await this.loadRecallTargets(batches);
    for (const { accountId, event } of batches) {
      const slot = this.accounts.get(accountId);
      if (!slot) continue; // account removed meanwhile
      // A recall withdraws the message it names (the batch's or the stored one) in the same write.
      const marked = withRecallsMarked(saidOrder(event.messages), (a, c, v) => this.deps.store.findByVenueMessageId(a, c, v));
      const { ok, rejected, fitted } = this.inbound.check(accountId, slot.info.venue, marked);
      for (const r of rejected) this.reportBadInput(slot, `${slot.info.label}: message`, r.problem);
      for (const note of fitted) this.reportBadInput(slot, `${slot.info.label}: message`, note);
      if (ok.length === 0) continue;
      // The adapter hears only of what it delivered (a stored message marked withdrawn is not news to it).
      const deliveredKeys = marked.length === event.messages.length ? undefined : new Set(event.messages.map((m) => m.key));
      const delivered = deliveredKeys ? ok.filter((m) => deliveredKeys.has(m.key)) : ok;
      accepted.push({ slot, messages: delivered });
      for (const m of ok) all.push(m);
      if (event.source === 'backfill') {
        backfilled ??= new Set();
        for (const m of ok) backfilled.add(m.key);
      } else {
        const ids = liveIn.get(slot) ?? new Set<string>();
        for (const m of ok) ids.add(m.conversationId);
        liveIn.set(slot, ids);
      }
    }
    if (all.length === 0) return;
    // What was stored before the first live messages of a conversation since the start is what its backfill must reach.
    const owed = await Promise.all([...liveIn].map(async ([slot, ids]) => ({ slot, ids: await this.backfill.beforeLive(slot.adapter, ids) })));
    const { changed, added, parkedAccounts } = await this.inbound.writeChecked(all); // one durable write per account log
    for (const { slot, ids } of owed) for (const id of ids) void this.backfill.request(slot.adapter, id);
    for (const { slot, messages } of accepted) {
      if (parkedAccounts.has(slot.info.id)) continue; // stored later: onLateStored
      await this.afterStored(slot, messages);
    }
    // Only incoming messages new to the store can be unread (a conflict copy of a stored one is not news).
    const fresh = new Set<string>();
    for (const m of changed) if (m.direction === 'in' && m.conflictOf === undefined && added.has(m.key)) fresh.add(m.key);
    let isLive: (key: string) => boolean = () => true;
    if (backfilled) {
      const live = new Set<string>();
      for (const { messages } of accepted) for (const m of messages) if (!backfilled.has(m.key)) live.add(m.key);
      isLive = (key) => live.has(key);
    }
    this.forwardMessages(changed, fresh, isLive);
  }

  /** A batch is durable: echoes finish their outbox entries and the adapter may acknowledge. */
  private async afterStored(slot: AccountSlot, messages: readonly ChatMessage[]): Promise<void> {
    for (const m of messages) if (m.clientMessageId && m.direction === 'out') await this.deps.outbox.confirm(m.clientMessageId);
    try {
      slot.adapter.stored(messages);
    } catch (err) {
      this.logger.warn(`${slot.info.label}: stored() failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Messages parked by a failed write are stored at last (the other accounts went on meanwhile). */
  private async onLateStored(accountId: string, messages: readonly ChatMessage[], changed: readonly ChatMessage[]): Promise<void> {
    const slot = this.accounts.get(accountId);
    if (!slot) return;
    await this.afterStored(slot, messages);
    // A parked incoming message was new when it arrived: it counts as a live one.
    const stored = new Set(changed.map((m) => m.key));
    const fresh = new Set(messages.filter((m) => m.direction === 'in' && m.conflictOf === undefined && stored.has(m.key)).map((m) => m.key));
    this.forwardMessages(changed, fresh, () => true);
  }

  private async onOtherEvent({ accountId, event }: QueuedEvent): Promise<void> {
    const slot = this.accounts.get(accountId);
    if (!slot) return;
    switch (event.type) {
      case 'messages':
        return; // handled in batches
      case 'messageStatus':
        await this.onMessageStatus(slot, event);
        return;
      case 'conversation':
        this.onConversation(slot, event.conversation);
        return;
      case 'connectionState': {
        const wasOnline = slot.state.kind === 'online';
        // The live feed broke: what comes after the reconnect is no sign that nothing is missing.
        if (wasOnline && event.state.kind !== 'online') this.backfill.feedBroke(accountId, this.book.listFor(accountId).map((c) => c.conversationId));
        this.setState(slot, event.state);
        // Online again means the phone paired, whether or not the adapter said so first.
        if (event.state.kind === 'online' && slot.pairing?.state === 'needed') this.setPairing(slot, { state: 'paired' });
        if (event.state.kind === 'online') {
          this.deps.outbox.kick(accountId);
          if (!wasOnline) this.resync(slot, undefined);
        }
        return;
      }
      case 'resync':
        this.resync(slot, event.conversationIds);
        return;
      case 'watch':
        this.onWatch(slot, event.conversationId, event.problem);
        return;
      case 'gap':
        if (event.readable && slot.adapter.capabilities.serverHistory) {
          // Marked first, so a backfill cut short (a quit, a failure) still reads below it next time.
          await this.storeGap(accountId, event.conversationId, event.from, event.to, false);
          void this.backfill.request(slot.adapter, event.conversationId);
        } else await this.storeGap(accountId, event.conversationId, event.from, event.to);
        return;
      case 'pairing':
        this.onPairingEvent(slot, event);
        return;
      case 'badInput':
        this.reportBadInput(slot, event.where, event.detail);
        return;
    }
  }

  private onPairingEvent(slot: AccountSlot, event: Extract<VenueEvent, { type: 'pairing' }>): void {
    if (event.state === 'paired') {
      this.setPairing(slot, { state: 'paired' });
      return;
    }
    let qrDataUrl = event.qrDataUrl;
    if (qrDataUrl !== undefined && !isSafeQrDataUrl(qrDataUrl)) {
      // Never shown: only a base64 PNG/SVG data: URL goes near an <img>.
      this.reportBadInput(slot, `${slot.info.label}: pairing code`, `refused a QR code that is not a base64 PNG/SVG data: URL (${qrDataUrl.length} characters, starts ${JSON.stringify(qrDataUrl.slice(0, 24))})`);
      qrDataUrl = undefined;
    }
    // A "still needed" without a code keeps the episode's newest code (the gateway sends status and codes apart).
    const previous = slot.pairing?.state === 'needed' ? slot.pairing.qrDataUrl : undefined;
    const code = qrDataUrl ?? previous;
    const detail = event.detail?.slice(0, 500);
    this.setPairing(slot, { state: 'needed', ...(code ? { qrDataUrl: code } : {}), ...(detail ? { detail } : {}) });
  }

  private setPairing(slot: AccountSlot, pairing: PairingStatus): void {
    const was = slot.pairing?.state;
    slot.pairing = pairing;
    if (was !== pairing.state) this.logger.info(`${slot.info.label}: ${pairing.state === 'paired' ? 'paired' : 'needs pairing (scan the QR code with the phone)'}`);
    this.pairingEmitter.fire({ accountId: slot.info.id, pairing });
  }

  private onWatch(slot: AccountSlot, conversationId: string, problem: string | undefined): void {
    if (slot.watchProblems.get(conversationId) === problem) return;
    if (problem === undefined) slot.watchProblems.delete(conversationId);
    else slot.watchProblems.set(conversationId, problem);
    this.logger.info(`${slot.info.label}: conversation ${this.book.get(slot.info.id, conversationId)?.title ?? conversationId} ${problem === undefined ? 'is received again' : `cannot be received: ${problem}`}`);
    this.book.touch();
  }

  private async onMessageStatus(slot: AccountSlot, event: Extract<VenueEvent, { type: 'messageStatus' }>): Promise<void> {
    const { ref } = event;
    const accountId = slot.info.id;
    const record =
      (ref.clientMessageId ? this.deps.store.findByClientMessageId(accountId, ref.conversationId, ref.clientMessageId) : undefined) ??
      (ref.venueMessageId ? this.deps.store.findByVenueMessageId(accountId, ref.conversationId, ref.venueMessageId) : undefined) ??
      (event.venueMessageId ? this.deps.store.findByVenueMessageId(accountId, ref.conversationId, event.venueMessageId) : undefined);
    if (!record || record.direction !== 'out') {
      this.logger.debug(`${slot.info.label}: status ${event.status} for a message not stored here`);
      return;
    }
    const clientMessageId = record.clientMessageId;
    if (event.status === 'failed') {
      const failure = event.failure || l10n.t('The venue reported that this message failed.');
      if (clientMessageId) await this.deps.outbox.reopen(clientMessageId, failure);
      else this.forwardMessages((await this.inbound.write([{ ...record, status: 'failed', failure }])).changed, new Set(), notLive);
      return;
    }
    const { changed } = await this.inbound.write([{ ...record, status: event.status, venueMessageId: record.venueMessageId ?? event.venueMessageId ?? ref.venueMessageId, failure: undefined }]);
    this.forwardMessages(changed, new Set(), notLive);
    if (clientMessageId && event.status !== 'sent') await this.deps.outbox.confirm(clientMessageId);
  }

  private onConversation(slot: AccountSlot, announced: Conversation): void {
    const fitted: string[] = [];
    const incoming = fitConversation(announced, fitted);
    for (const note of fitted) this.reportBadInput(slot, `${slot.info.label}: conversation`, note);
    const prev = this.book.get(slot.info.id, incoming.conversationId);
    const shown = this.viewers.isShown(slot.info.id, incoming.conversationId);
    // Where the venue keeps its own unread count, it wins; otherwise the local count stands.
    const unread = shown ? 0 : slot.adapter.capabilities.serverUnread ? incoming.unread : (prev?.unread ?? 0);
    this.book.put({
      ...incoming,
      unread,
      preview: incoming.preview ?? prev?.preview,
      lastActivity: Math.max(prev?.lastActivity ?? 0, incoming.lastActivity),
      // A conversation seen for the first time: history older than its last activity is not news.
      discoveredAt: prev?.discoveredAt ?? incoming.discoveredAt ?? incoming.lastActivity,
      ...(prev?.historyHoleFrom !== undefined ? { historyHoleFrom: prev.historyHoleFrom } : {}), // the hub's, not the venue's
    });
    if (shown && slot.adapter.capabilities.serverUnread && incoming.unread > 0) void this.markRead(slot.info.id, incoming.conversationId);
  }

  /** The live feed may have missed messages: backfill the conversations that matter now. */
  private resync(slot: AccountSlot, conversationIds: readonly string[] | undefined): void {
    if (!slot.adapter.capabilities.serverHistory) return;
    // All of them: those on screen, the running orders, and any with a hole still to read back.
    const ids = conversationIds ?? [...new Set([...this.viewers.heldBy(slot.info.id), ...this.book.listFor(slot.info.id).filter((c) => c.active || c.historyHoleFrom !== undefined).map((c) => c.conversationId)])];
    for (const id of ids) void this.backfill.request(slot.adapter, id);
  }

  /**
   * Marks a stretch the timeline may be missing: an outage of a venue without history, or
   * (`filled` false) a hole the backfill is reading back from a venue's history.
   */
  private async storeGap(accountId: string, conversationId: string, from: number, to: number, filled?: boolean): Promise<void> {
    const slot = this.accounts.get(accountId);
    if (!slot) return;
    await this.writeGaps([{
      key: messageKey(slot.info.venue, accountId, conversationId, `gap:${from}`),
      venue: slot.info.venue,
      accountId,
      conversationId,
      direction: 'system',
      kind: 'gap',
      time: from,
      gap: { from, to, ...(filled === undefined ? {} : { filled }) },
    }]);
    if (filled === false) await this.noteHistoryHole(accountId, conversationId, from);
  }

  /**
   * Keeps (or, with `from` undefined, clears) the oldest hole of a conversation in the list, saved
   * at once: a hole is rare, and the next start must find it to read it back.
   */
  private noteHistoryHole(accountId: string, conversationId: string, from: number | undefined): Promise<void> {
    const c = this.book.get(accountId, conversationId);
    if (!c || (from !== undefined && c.historyHoleFrom !== undefined && c.historyHoleFrom <= from)) return Promise.resolve();
    if (from === undefined && c.historyHoleFrom === undefined) return Promise.resolve();
    const { historyHoleFrom: _previous, ...rest } = c;
    this.book.put(from === undefined ? rest : { ...rest, historyHoleFrom: from });
    return this.book.flush();
  }

  private async writeGaps(gaps: readonly ChatMessage[]): Promise<void> {
    this.forwardMessages((await this.inbound.write(gaps)).changed, new Set(), notLive);
  }

  private reportBadInput(slot: AccountSlot, rawWhere: string, rawDetail: string): void {
    const where = badInputLine(rawWhere, MAX_BAD_INPUT_WHERE);
    const detail = badInputLine(rawDetail, MAX_BAD_INPUT_DETAIL);
    this.badInputs++;
    this.logger.warn(`bad input from ${where}: ${detail}`);
    this.badInputEmitter.fire({ accountId: slot.info.id, where, detail });
  }

  /** One line per conversation and batch: who wrote how much, and where our messages got to (never content). */
  private logGroup(accountId: string, title: string, group: readonly ChatMessage[], fresh: ReadonlySet<string>): void {
    let received = 0;
    const outgoing: string[] = [];
    for (const m of group) {
      if (m.direction === 'in' && fresh.has(m.key)) received++;
      else if (m.direction === 'out' && m.status !== undefined && m.status !== 'queued' && m.status !== 'sending') {
        outgoing.push(`${m.clientMessageId ?? m.venueMessageId ?? m.key} ${m.status}${m.status === 'failed' && m.failure ? ` (${m.failure})` : ''}`);
      }
    }
    if (received === 0 && outgoing.length === 0) return;
    const label = this.accounts.get(accountId)?.info.label ?? accountId;
    const parts = [received > 0 ? `${received} new message${received === 1 ? '' : 's'}` : '', outgoing.length > 0 ? `our ${outgoing.slice(0, 5).join(', ')}${outgoing.length > 5 ? ` and ${outgoing.length - 5} more` : ''}` : ''];
    this.logger.info(`${label} · ${title}: ${parts.filter(Boolean).join('; ')}`);
  }

  private setState(slot: AccountSlot, state: ConnectionState): void {
    // An idle account repeats its state on every poll: views repaint only for a real change (and
    // "online since" keeps the moment it first came online).
    if (sameConnectionState(slot.state, state)) return;
    // The log tells the story at the default level: every change of kind, with the account's name.
    if (state.kind !== slot.state.kind) this.logger.info(`${slot.info.label}: ${stateStory(state)}`);
    slot.state = state;
    this.stateChanged.fire({ accountId: slot.info.id, state });
  }

  /**
   * Forwards stored changes to views and keeps previews and unread counts current. A new incoming
   * message counts as unread unless a pane shows its conversation; one read from server history
   * counts only when it is newer than the user's read mark.
   */
  private forwardMessages(messages: readonly ChatMessage[], fresh: ReadonlySet<string>, isLive: (key: string) => boolean): void {
    const groups = new Map<string, ChatMessage[]>();
    let list: ChatMessage[] = [];
    let previous: ChatMessage | undefined;
    for (const m of messages) {
      // A burst is mostly one conversation: only a change of conversation needs a lookup.
      if (previous === undefined || previous.accountId !== m.accountId || previous.conversationId !== m.conversationId) {
        const key = conversationKey(m.accountId, m.conversationId);
        const known = groups.get(key);
        if (known) list = known;
        else groups.set(key, (list = []));
      }
      list.push(m);
      previous = m;
    }
    for (const group of groups.values()) {
      const first = group[0]!;
      this.messagesChanged.fire({ accountId: first.accountId, conversationId: first.conversationId, messages: group });
      const c = this.book.get(first.accountId, first.conversationId);
      this.logGroup(first.accountId, c?.title ?? first.conversationId, group, fresh);
      if (!c) continue;
      const readUpTo = Math.max(c.readUpTo ?? -Infinity, c.discoveredAt ?? -Infinity);
      // The newest non-gap message (the first of equal times), and how many of the group are new and unread.
      let newest: ChatMessage | undefined;
      let newUnread = 0;
      for (const m of group) {
        if (m.kind !== 'gap' && (newest === undefined || m.time > newest.time)) newest = m;
        if (fresh.has(m.key) && (isLive(m.key) || m.time > readUpTo)) newUnread++;
      }
      const shown = this.viewers.isShown(c.accountId, c.conversationId);
      const serverUnread = this.accounts.get(c.accountId)?.adapter.capabilities.serverUnread === true;
      const isNewer = newest !== undefined && newest.time >= c.lastActivity;
      this.book.put({
        ...c,
        lastActivity: Math.max(c.lastActivity, newest?.time ?? 0),
        preview: newest && isNewer ? previewText(newest) : c.preview,
        unread: shown ? 0 : serverUnread && newUnread === 0 ? c.unread : c.unread + newUnread,
      });
      if (shown && newUnread > 0) void this.markRead(c.accountId, c.conversationId);
    }
  }
}

/** For changes that are not incoming pushes: none of them counts as live news. */
function notLive(): boolean {
  return false;
}

/** A connection state in words for the log (the UI has its own wording in host/stateText.ts). */
function stateStory(state: ConnectionState): string {
  switch (state.kind) {
    case 'online':
      return 'connected';
    case 'connecting':
      return 'connecting';
    case 'offline':
      return 'offline';
    case 'backoff':
      return `connection trouble, retrying (${state.reason})`;
    case 'stale':
      return `no word from the venue for a while (${state.reason})`;
    case 'auth-error':
      return `the venue refused the keys (${state.reason})`;
    case 'displaced':
      return `another client took over the session (${state.reason})`;
    case 'pairing':
      return `waiting to be paired (${state.reason})`;
  }
}

/** The same state for the views: online stays online, anything else must match field for field. */
export function sameConnectionState(a: ConnectionState, b: ConnectionState): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'online') return true;
  const fields = (s: ConnectionState) => JSON.stringify(Object.entries(s).sort(([x], [y]) => (x < y ? -1 : 1)));
  return fields(a) === fields(b);
}
