// Bybit P2P on the venue contract (docs/venue-protocols.md, Bybit). Bybit has no push: everything
// is polled on the core poller.
// - orderSync.ts: orders in progress and recent history -> conversations with order context;
// - a chat poller: each run reads every watched chat (1 s while a pane shows one) back to what it
//   last read, on the session API every chat the unread session list names (all its pages) and
//   every chat our own reads marked read there, and one more order in progress in turn (the only
//   way to see what another client, such as the Bybit app, read first); quiet runs stretch towards
//   15 s, so an idle account costs at most 8 requests a minute (12 on the session API);
// - both chat API generations (chatGeneration.ts, chatReaders.ts): `auto` starts order-scoped and
//   moves to sessions on 912200387, remembered per account;
// - sends: order-scoped with `msgUuid` = our client id (idempotent); session sends have no client id,
//   so our own message read back is matched by content and time, and an unknown outcome is settled
//   by reading the history back before any resend;
// - uploads through `upload_file`; the relative URL Bybit returns is what the message carries.
import { readFile } from 'node:fs/promises';
import type { Attachment, ChatMessage, ConnectionState, Conversation } from '../../../shared/model';
import { systemClock, type Clock } from '../../core/clock';
import { sameState, worstState } from '../../core/connection/connectionStates';
import { Poller, type PollOutcome } from '../../core/connection/poller';
import { DisposableStore, Emitter, type Disposable } from '../../core/event';
import { scopedLogger, silentLogger, type Logger } from '../../core/logger';
import type { AccountStateStore } from '../descriptor';
import { VenueError, isVenueError, type Capabilities, type HistoryRequest, type LandedCheck, type OutboundMessage, type Page, type ReadMark, type SendReceipt, type UploadProgress, type UploadSource, type VenueAdapter, type VenueEvent } from '../venue';
import { BybitRestClient, LEGACY_CHAT_CLOSED, type BybitOrder, type BybitSendInput } from './api';
import { ChatGeneration, type ChatMode } from './chatGeneration';
import { isAfterMark, newestMark, reachesMark, SavedChatMarks, type ChatMark } from './chatMarks';
import { smallestId } from '../messageIds';
import { OrderChatReader, SessionChatReader, type ChatPage, type ChatReader, type ReaderContext } from './chatReaders';
import { resolveMediaUrl, type Identity } from './messageMapping';
import { createBybitOrderSync, type BybitOrderSync } from './orderSync';
import { SessionDirectory } from './sessionDirectory';
import type { BybitKey } from './signing';
import * as l10n from '@vscode/l10n';

export const BYBIT_DEFAULT_ENDPOINTS = { rest: 'https://api.bybit.com' } as const;

const BASE_CAPABILITIES: Capabilities = {
  receive: 'poll',
  serverHistory: true,
  serverUnread: false,
  sendKinds: ['text', 'image', 'file', 'video'],
  mediaByUrl: false,
  upload: { kinds: ['image', 'file', 'video'], maxBytes: 20 * 1024 * 1024, extensions: ['jpg', 'jpeg', 'png', 'pdf', 'mp4'] },
  idempotentSend: false,
  readReceipts: false,
  maxTextLength: 1000,
  historyPageLimit: 30,
};

/** A stretch of a chat still to read: from `cursor` back to `until`, or without one to the chat's start. */
interface ChatHole {
  cursor: string;
  readonly until?: ChatMark;
}

/** How far back of a send our own message read back from a session may be (clock skew, queueing). */
const MATCH_BEFORE_MS = 60_000;
/** A session send still waiting for its read-back is forgotten after this. */
const MATCH_AFTER_MS = 10 * 60_000;
/**
 * Pages one chat poll reads back towards its mark (300 messages). What lies further back is a hole
 * the next polls go on reading from where this one stopped, until they reach the mark.
 */
const MAX_CATCH_UP_PAGES = 10;
/**
 * Pages a landed check reads back to a minute before the compose time (6,000 messages, 20 s at the
 * list limit): a rare call, and "cannot tell" would ask the user to check by hand. The long soak
 * found 1,500 too few: a send left unsettled by a kill, checked after the rest of a 4,000-message run.
 */
const MAX_LANDED_PAGES = 200;
/** Pages of the unread session list one poll reads (20 sessions a page: 200 traders with news). */
const MAX_UNREAD_LIST_PAGES = 10;
/** Orders whose trader's session one poll looks up (a desk starting with 30 live orders knows them all in 6 runs). */
const SESSION_LOOKUPS_PER_RUN = 5;
/** The unread session list's page size (Bybit refuses more with 913100009). */
const UNREAD_LIST_PAGE_SIZE = 20;

export interface BybitAdapterOptions {
  readonly accountId: string;
  readonly key: BybitKey;
  readonly endpoints: { readonly rest: string };
  readonly chatMode?: ChatMode;
  /** Where the chat generation `auto` settled on is remembered. */
  readonly state?: AccountStateStore;
  readonly orderPollMs?: number;
  readonly orderPollFastMs?: number;
  /** Chat poll while a pane shows a chat (default 1 s). */
  readonly chatPollFastMs?: number;
  /** Chat poll at its slowest when nothing happens (default 15 s). */
  readonly chatPollIdleMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** One of our session messages still to be recognised when read back (it carries no client id). */
interface PendingSessionSend {
  readonly clientMessageId: string;
  readonly content: string;
  /** Bybit's time for it is no earlier than this (the send, less clock skew and queueing). */
  readonly notBefore: number;
  /** Forgotten after this. */
  readonly keepUntil: number;
}

export class BybitAdapter implements VenueAdapter {
  readonly venue = 'bybit' as const;
  readonly accountId: string;

  private readonly emitter = new Emitter<VenueEvent>();
  readonly events = this.emitter.event;

  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly disposables = new DisposableStore();
  private readonly rest: BybitRestClient;
  private readonly orders: BybitOrderSync;
  private readonly chats: Poller;
  private readonly generation: ChatGeneration;
  private readonly sessions: SessionDirectory;
  private readonly orderReader: OrderChatReader;
  private readonly sessionReader: SessionChatReader;
  private identity: Identity = {};
  private identityLoaded = false;
  /** Conversations a pane shows, with how many panes. */
  private readonly watched = new Map<string, number>();
  /** The newest message seen per conversation: newer ones are news, and a poll reads back to it. */
  private readonly newest = new Map<string, ChatMark>();
  /** The newest message per conversation the hub has stored (kept across restarts). */
  private readonly savedMarks: SavedChatMarks;
  private readonly pendingSessionSends = new Map<string, PendingSessionSend[]>();
  /** Chats with a send not yet read back (client ids, and until when to keep looking): read every run. */
  private readonly awaitingReadBack = new Map<string, { ids: Set<string>; until: number }>();
  /**
   * Per chat, stretches a poll could not read in its page budget, newest first: each goes on from
   * `cursor` (the page after the last one read) back to `until` (what was read before it), or to
   * the chat's start when nothing had been.
   */
  private readonly holes = new Map<string, ChatHole[]>();
  /**
   * Chats whose session a read outside the poll (a landed check, the hub's history paging) has
   * marked read at Bybit: the unread list no longer names them, so the next poll reads them anyway.
   */
  private readonly readOutsidePoll = new Set<string>();
  private roundRobin = 0;
  private started = false;
  /** When polling began: on a chat's first read, older messages are history, newer ones news. */
  private startedAt = 0;
  private baseline: Disposable[] = [];
  private lastState: ConnectionState = { kind: 'offline' };

  constructor(private readonly options: BybitAdapterOptions) {
    this.accountId = options.accountId;
    this.clock = options.clock ?? systemClock;
    this.logger = scopedLogger(options.logger ?? silentLogger, 'Bybit');
    this.rest = new BybitRestClient({ baseUrl: options.endpoints.rest, key: options.key, clock: this.clock, logger: this.logger });
    this.rest.onBadItem = (detail) => this.emitter.fire({ type: 'badInput', where: 'Bybit chat history', detail });
    this.generation = new ChatGeneration(options.chatMode ?? 'auto', options.state);
    this.savedMarks = new SavedChatMarks(options.state);
    const orderPollMs = options.orderPollMs ?? 15_000;
    this.orders = this.disposables.add(
      createBybitOrderSync({
        accountId: options.accountId,
        api: this.rest,
        intervals: { fastMs: Math.min(options.orderPollFastMs ?? 5000, orderPollMs), normalMs: orderPollMs, idleMs: orderPollMs },
        clock: this.clock,
        logger: this.logger,
      }),
    );
    const idleMs = options.chatPollIdleMs ?? 15_000;
    this.chats = this.disposables.add(
      new Poller({
        name: `Bybit chats ${options.accountId}`,
        run: (signal) => this.pollChats(signal),
        intervals: { fastMs: options.chatPollFastMs ?? 1000, normalMs: Math.min(3000, idleMs), idleMs },
        clock: this.clock,
        logger: this.logger,
      }),
    );
    this.sessions = new SessionDirectory(this.rest);
    const readerContext: ReaderContext = {
      accountId: options.accountId,
      me: () => this.identity,
      baseUrl: options.endpoints.rest,
      now: () => this.clock.now(),
      problems: (conversationId, problems) => this.report(conversationId, problems),
    };
    this.orderReader = new OrderChatReader(this.rest, readerContext);
    this.sessionReader = new SessionChatReader(this.rest, this.sessions, (order) => this.siblings(order), readerContext);
    this.disposables.add(this.orders.poller.onState(() => this.publishState()));
    this.disposables.add(this.chats.onState(() => this.publishState()));
    this.disposables.add(this.orders.onConversation((conversation) => this.emitter.fire({ type: 'conversation', conversation })));
  }

  get capabilities(): Capabilities {
    // Only the order-scoped API de-duplicates a resend (by msgUuid).
    return this.generation.id === 'order' ? { ...BASE_CAPABILITIES, idempotentSend: true } : BASE_CAPABILITIES;
  }

  get connectionState(): ConnectionState {
    return this.lastState;
  }

  /** Which chat API the account uses now. */
  get chatGeneration(): 'order' | 'session' {
    return this.generation.id;
  }

  async verify(): Promise<void> {
    await this.loadIdentity();
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.startedAt = this.clock.now();
    this.baseline = [this.orders.poller.hold('normal'), this.chats.hold('idle')];
    await this.orders.poller.start();
    await this.chats.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const lease of this.baseline) lease.dispose();
    this.baseline = [];
    await this.chats.stop();
    await this.orders.poller.stop();
    this.publishState();
  }

  async reconnect(): Promise<void> {
    if (!this.started) return this.start();
    await Promise.all([this.orders.poller.pollNow(), this.chats.pollNow()]);
  }

  stored(messages: readonly ChatMessage[]): void {
    // Nothing to acknowledge at Bybit; what is durable moves the saved marks a restart reads back to.
    this.savedMarks.stored(messages);
  }

  listConversations(cursor?: string): Promise<Page<Conversation>> {
    return this.orders.listPage(cursor);
  }

  async history(conversationId: string, request: HistoryRequest): Promise<Page<ChatMessage>> {
    const order = await this.orderOf(conversationId);
    const page = await this.read(order, request.before, Math.min(request.limit, 30));
    this.sessionReadOutsidePoll(conversationId);
    // The poll's mark stays where the poll read to: moved to this page's newest, the poll would
    // skip whatever lies between, and the hub's paging may stop before it (the long soak lost 1,352).
    return { items: this.matchOwnSends(conversationId, page.items), ...(page.next ? { next: page.next } : {}) };
  }

  watch(conversationId: string): Disposable {
    this.watched.set(conversationId, (this.watched.get(conversationId) ?? 0) + 1);
    const chatLease = this.chats.hold('fast');
    const orderLease = this.orders.poller.hold('fast');
    void this.chats.pollNow();
    let done = false;
    return {
      dispose: () => {
        if (done) return;
        done = true;
        const left = (this.watched.get(conversationId) ?? 1) - 1;
        if (left <= 0) this.watched.delete(conversationId);
        else this.watched.set(conversationId, left);
        chatLease.dispose();
        orderLease.dispose();
      },
    };
  }

  async upload(file: UploadSource, progress: UploadProgress, signal: AbortSignal): Promise<Attachment> {
    const bytes = await readFile(file.path, { signal });
    const uploaded = await this.rest.uploadFile(file.name, file.mimeType || 'application/octet-stream', bytes, progress, signal);
    // The same resolution as a received file's link (relative to the REST base, http(s) only).
    const url = resolveMediaUrl(uploaded.url, this.options.endpoints.rest);
    if (!url) throw new VenueError('rejected', l10n.t('Bybit returned an upload link the client cannot use: {0}', uploaded.url.slice(0, 200)));
    return { kind: file.kind, url, ref: uploaded.url, name: file.name, mimeType: file.mimeType, size: bytes.length };
  }

  async send(message: OutboundMessage): Promise<SendReceipt> {
    const order = await this.orderOf(message.conversationId);
    const input = sendInput(message);
    await this.loadIdentity();
    const generation = this.generation.id;
    if (generation === 'session') this.rememberSessionSend(message, input.message, this.clock.now());
    try {
      await this.withGeneration((reader) => reader.send(order, message.clientMessageId, input));
    } catch (err) {
      const unknown = isVenueError(err) && err.kind === 'unknown-outcome';
      if (!unknown) this.forgetSessionSend(message.conversationId, message.clientMessageId);
      // An order-scoped send that may have landed is read back by content once the API switches
      // (session messages carry no msgUuid): without this it would be stored beside its own entry.
      else if (generation === 'order') this.rememberSessionSend(message, input.message, this.clock.now());
      throw err;
    }
    if (this.generation.id !== generation && this.generation.id === 'session') {
      this.rememberSessionSend(message, input.message, this.clock.now());
    }
    const awaiting = this.awaitingReadBack.get(message.conversationId) ?? { ids: new Set<string>(), until: 0 };
    awaiting.ids.add(message.clientMessageId);
    awaiting.until = this.clock.now() + MATCH_AFTER_MS;
    this.awaitingReadBack.set(message.conversationId, awaiting);
    void this.chats.pollNow();
    return { status: 'sent' };
  }

  /**
   * Reads the chat back, newest first, until our message or a page older than its compose time:
   * found means it landed (and is never resent). A busy chat (more than a page since the send) is
   * paged back rather than answered "cannot tell", which would ask the user to check by hand.
   */
  async checkLanded(message: OutboundMessage): Promise<LandedCheck> {
    const order = await this.orderOf(message.conversationId);
    await this.loadIdentity();
    const input = sendInput(message);
    const since = message.composedAt - MATCH_BEFORE_MS;
    // Whatever the answer, a later read of the chat that finds it gives it its client id, so it is
    // one message with its entry (after a restart the memory of the send is gone).
    if (this.generation.id === 'session') this.rememberSessionSend(message, input.message, message.composedAt);
    let cursor: string | undefined;
    for (let n = 0; n < MAX_LANDED_PAGES; n++) {
      const page = await this.read(order, cursor, 30);
      this.sessionReadOutsidePoll(message.conversationId);
      if (this.generation.id === 'order') {
        const mine = page.raw.find((m) => m.msgUuid === message.clientMessageId);
        if (mine) return { landed: true, venueMessageId: mine.id, time: mine.createDate };
      } else {
        const mine = page.items.find((m) => m.direction === 'out' && (m.text === input.message || m.attachments?.[0]?.ref === input.message) && m.time >= since);
        if (mine?.venueMessageId) return { landed: true, venueMessageId: mine.venueMessageId, time: mine.time };
      }
      const oldest = page.raw.reduce((min, m) => Math.min(min, m.createDate), Infinity);
      if (!page.next || oldest < since) return { landed: false };
      cursor = page.next;
    }
    return { landed: 'unknown' };
  }

  async markRead(_conversationId: string, _upTo: ReadMark): Promise<void> {
    // Bybit has no read call: reading a session's messages clears its unread count, and the
    // order-scoped API keeps no read state for the client to set.
  }

  dispose(): void {
    void this.stop().finally(() => this.rest.dispose());
    this.disposables.dispose();
    this.emitter.dispose();
  }

  // ---- polling -------------------------------------------------------------------------------

  private async pollChats(signal: AbortSignal): Promise<PollOutcome> {
    await this.loadIdentity();
    const targets = new Set(this.watched.keys());
    const now = this.clock.now();
    for (const [id, awaiting] of this.awaitingReadBack) {
      if (awaiting.until > now) targets.add(id);
      else this.awaitingReadBack.delete(id);
    }
    if (this.generation.id === 'session') {
      // One call names every session with unread messages: those chats are read. Reading a session
      // marks it read at Bybit, so the chats our own reads or another client (the Bybit app) marked
      // read are read too: the first named below, the second by the turn that follows.
      for (const id of await this.unreadConversations()) targets.add(id);
      for (const id of this.readOutsidePoll) targets.add(id);
    }
    // One more chat of an order in progress per run, in turn: the order-scoped API has no unread
    // list, and a session's unread count is gone once any client has read it. An idle account stays
    // within its budget.
    const active = this.orders.activeIds().filter((id) => !targets.has(id));
    if (active.length > 0) targets.add(active[this.roundRobin++ % active.length]!);
    // A chat with a hole is read every run until the hole is filled.
    for (const id of this.holes.keys()) targets.add(id);
    // A session is per trader: reading one order's chat marks its siblings' messages read as well.
    if (this.generation.id === 'session') for (const id of [...targets]) for (const sibling of this.activeSiblings(id)) targets.add(sibling);
    let activity = false;
    for (const conversationId of targets) {
      if (signal.aborted) throw new Error('the chat poll was stopped');
      const order = this.orders.row(conversationId);
      if (!order) continue;
      const wasReadOutside = this.readOutsidePoll.delete(conversationId);
      try {
        activity = (await this.pollChat(order, conversationId, signal)) || activity;
      } catch (err) {
        if (wasReadOutside) this.readOutsidePoll.add(conversationId);
        throw err;
      }
    }
    return { activity };
  }

  /** One chat's run: back to its mark, on into its holes, and the whole delivered. Whether it had news. */
  private async pollChat(order: BybitOrder, conversationId: string, signal: AbortSignal): Promise<boolean> {
    const items = await this.readToMark(order, conversationId, signal);
    const fresh = this.freshOnly(conversationId, items);
    const filled = await this.readHoles(order, conversationId, signal);
    const run = [...fresh.old, ...fresh.news];
    const delivered = [...filled, ...run];
    this.readBack(conversationId, delivered);
    // Everything from the previous mark up to `mark`: once stored, a restart reads back to here.
    // While a hole is open the saved mark stays below it, so a restart reads the hole again (a hole
    // reaching back to the chat's start leaves no mark at all); the poll that closes the last one
    // moves it to the newest read (delivered before, so stored first).
    const open = this.holes.get(conversationId);
    const mark = open ? open[open.length - 1]!.until : (newestMark(run, this.generation.id, undefined) ?? (filled.length > 0 ? this.newest.get(conversationId) : undefined));
    if (mark && delivered.length > 0) this.savedMarks.delivered(conversationId, delivered, mark);
    const old = [...filled, ...fresh.old];
    if (old.length > 0) this.emitter.fire({ type: 'messages', messages: old, source: 'backfill' });
    if (fresh.news.length === 0) return false;
    this.emitter.fire({ type: 'messages', messages: fresh.news, source: 'live' });
    return true;
  }

  /** Our sends seen in a read: that chat no longer needs reading every run for them. */
  private readBack(conversationId: string, messages: readonly ChatMessage[]): void {
    const awaiting = this.awaitingReadBack.get(conversationId);
    if (!awaiting) return;
    for (const m of messages) if (m.clientMessageId) awaiting.ids.delete(m.clientMessageId);
    if (awaiting.ids.size === 0) this.awaitingReadBack.delete(conversationId);
  }

  /**
   * Conversations of orders in progress whose session has unread messages (`list_v1`, readStatus 0,
   * every page: a desk with more than 20 traders writing at once). Sessions of orders not yet
   * known are looked up a few per run (two calls each, once per trader); until then the turn reads them.
   */
  private async unreadConversations(): Promise<string[]> {
    const active = this.orders.activeIds().map((id) => this.orders.row(id)).filter((o): o is BybitOrder => o !== undefined);
    for (const unknown of active.filter((o) => this.sessions.known(o) === undefined).slice(0, SESSION_LOOKUPS_PER_RUN)) {
      await this.sessions.sessionOf(unknown).catch((err: unknown) => this.logger.warn(`no chat session for order ${unknown.id} yet: ${err instanceof Error ? err.message : String(err)}`));
    }
    const withNews = new Set<string>();
    let lastId = '0';
    for (let n = 0; n < MAX_UNREAD_LIST_PAGES; n++) {
      const page = await this.rest.sessions({ lastId, size: UNREAD_LIST_PAGE_SIZE, readStatus: 0 });
      for (const s of page) if ((s.unreadCount ?? 1) > 0) withNews.add(s.sessionId);
      const next = smallestId(page.flatMap((s) => (s.id ? [s.id] : [])));
      if (page.length < UNREAD_LIST_PAGE_SIZE || next === undefined || next === lastId) break;
      lastId = next;
    }
    const ids: string[] = [];
    for (const order of active) {
      const sessionId = this.sessions.known(order);
      if (sessionId && withNews.has(sessionId)) ids.push(order.id);
    }
    // A session with news but no known order (a new trader): its order is found by the next order poll.
    return ids;
  }

  /**
   * A chat's newest messages back to its mark (the newest seen, or after a restart the newest
   * stored): one page, or more when more than a page came since; with no mark at all, back to the
   * chat's start. Newest first, own sends matched.
   */
  private async readToMark(order: BybitOrder, conversationId: string, signal: AbortSignal): Promise<ChatMessage[]> {
    const mark = this.newest.get(conversationId) ?? this.savedMarks.get(conversationId);
    const items: ChatMessage[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < MAX_CATCH_UP_PAGES; n++) {
      if (signal.aborted) throw new Error('the chat poll was stopped');
      const page = await this.read(order, cursor, 30);
      items.push(...page.items);
      // A chat with nothing stored yet (a new account, a new order, or a process killed before its
      // first store) is read back to its start: its first page alone would leave whatever came
      // before it unread, and nothing else would ever fetch it.
      if (!page.next || (mark !== undefined && reachesMark(page.raw, mark, this.generation.id))) return this.matchOwnSends(conversationId, items);
      cursor = page.next;
    }
    // More than the budget since the mark (a poll held back by faults or rate limits for minutes):
    // the rest is a hole the next runs read on from here. The hub's backfill cannot fill it, as
    // it stops at the newest stored message, which this read is about to store.
    if (cursor !== undefined) {
      const holes = this.holes.get(conversationId) ?? [];
      holes.unshift(mark === undefined ? { cursor } : { cursor, until: mark });
      this.holes.set(conversationId, holes);
      this.logger.info(`Bybit chat ${conversationId}: more than ${MAX_CATCH_UP_PAGES} pages ${mark === undefined ? 'to its start' : 'since the last read'}; reading the rest over the next polls`);
    }
    return this.matchOwnSends(conversationId, items);
  }

  /** Reads on into a chat's holes, newest first, within one poll's page budget. Oldest first, own sends matched. */
  private async readHoles(order: BybitOrder, conversationId: string, signal: AbortSignal): Promise<ChatMessage[]> {
    const holes = this.holes.get(conversationId);
    if (!holes) return [];
    const items: ChatMessage[] = [];
    let budget = MAX_CATCH_UP_PAGES;
    while (holes.length > 0 && budget > 0) {
      const hole = holes[0]!;
      if (signal.aborted) throw new Error('the chat poll was stopped');
      const page = await this.read(order, hole.cursor, 30);
      budget--;
      items.push(...page.items);
      if (!page.next || (hole.until !== undefined && reachesMark(page.raw, hole.until, this.generation.id))) holes.shift();
      else hole.cursor = page.next;
    }
    if (holes.length === 0) {
      this.holes.delete(conversationId);
      this.logger.info(`Bybit chat ${conversationId}: caught up`);
    }
    return this.matchOwnSends(conversationId, items);
  }

  /**
   * The messages of a poll newer than the last seen (news). On the first read of a chat since
   * start, what was written before the account started is history (`old`: no unread count, no nudge).
   */
  private freshOnly(conversationId: string, matched: readonly ChatMessage[]): { news: ChatMessage[]; old: ChatMessage[] } {
    const known = this.newest.get(conversationId);
    this.noteNewest(conversationId, matched);
    if (known === undefined) return { news: matched.filter((m) => m.time > this.startedAt), old: matched.filter((m) => m.time <= this.startedAt) };
    const generation = this.generation.id;
    return { news: matched.filter((m) => m.venueMessageId !== undefined && isAfterMark({ id: m.venueMessageId, time: m.time }, known, generation)), old: [] };
  }

  private noteNewest(conversationId: string, items: readonly ChatMessage[]): void {
    const newest = newestMark(items, this.generation.id, this.newest.get(conversationId));
    if (newest !== undefined) this.newest.set(conversationId, newest);
  }

  // ---- the two chat APIs ---------------------------------------------------------------------

  private async read(order: BybitOrder, cursor: string | undefined, limit: number): Promise<ChatPage> {
    // Whose message is whose is decided by our user id: without it our own messages would read as
    // the counterparty's (the hub's backfill can be the first call after a start, before any poll).
    await this.loadIdentity();
    // A page cursor of one generation means nothing to the other: start over after a switch.
    return await this.withGeneration((reader, generation) => reader.page(order, generation === 'order' ? cursor : cursor?.startsWith('p') ? undefined : cursor, limit));
  }

  /** Runs `call` on the account's chat API; on 912200387 in `auto`, switches to sessions and runs it again. */
  private async withGeneration<T>(call: (reader: ChatReader, generation: 'order' | 'session') => Promise<T>): Promise<T> {
    const generation = this.generation.id;
    try {
      return await call(generation === 'order' ? this.orderReader : this.sessionReader, generation);
    } catch (err) {
      if (!(isVenueError(err) && err.venueCode === LEGACY_CHAT_CLOSED && generation === 'order')) throw err;
      // Another call in flight (a poll beside a landed check) may have switched already: this one
      // just runs again on sessions. Only a forced order-scoped mode is a reason to give up.
      if (this.generation.id === 'session') return call(this.sessionReader, 'session');
      if (!(await this.generation.switchToSession())) {
        throw new VenueError('rejected', l10n.t('Bybit closed the order chat API for this account; set the account\'s Chat API to "Session chat API" or "Automatic"'), LEGACY_CHAT_CLOSED);
      }
      // The marks stay: they name their generation, so the first session reads page back to them by time.
      this.logger.warn('Bybit closed the order chat API for this account: using the session chat API from now on');
      return call(this.sessionReader, 'session');
    }
  }

  /** A read outside the poll marked this chat's session read at Bybit: the next poll reads its orders. */
  private sessionReadOutsidePoll(conversationId: string): void {
    if (this.generation.id !== 'session') return;
    this.readOutsidePoll.add(conversationId);
    for (const id of this.activeSiblings(conversationId)) this.readOutsidePoll.add(id);
  }

  /** The other orders in progress with the same trader as this conversation's order (one session). */
  private activeSiblings(conversationId: string): string[] {
    const order = this.orders.row(conversationId);
    if (!order) return [];
    return this.siblings(order).filter((o) => o.id !== conversationId && this.orders.isActive(o.id)).map((o) => o.id);
  }

  /** Every order known with the same trader as `order` (one Bybit session), `order` among them. */
  private siblings(order: BybitOrder): BybitOrder[] {
    const key = SessionDirectory.counterpartyOf(order);
    const all = this.orders.allRows().filter((o) => SessionDirectory.counterpartyOf(o) === key);
    return all.some((o) => o.id === order.id) ? all : [...all, order];
  }

  private async orderOf(conversationId: string): Promise<BybitOrder> {
    const known = this.orders.row(conversationId);
    if (known) return known;
    return this.rest.orderInfo(conversationId);
  }

  private async loadIdentity(): Promise<void> {
    if (this.identityLoaded) return;
    const me = await this.rest.personalInfo();
    this.identity = { userId: me.userId, ...(me.nickName ? { nickName: me.nickName } : {}) };
    this.identityLoaded = true;
  }

  // ---- session sends: no client id, matched by content and time ------------------------------

  /** Our message, sent (or maybe sent) at `sentAt`, is to be recognised when read back from its session. */
  private rememberSessionSend(message: OutboundMessage, content: string, sentAt: number): void {
    const { conversationId, clientMessageId } = message;
    const send: PendingSessionSend = { clientMessageId, content, notBefore: sentAt - MATCH_BEFORE_MS, keepUntil: this.clock.now() + MATCH_AFTER_MS };
    const list = (this.pendingSessionSends.get(conversationId) ?? []).filter((p) => p.clientMessageId !== clientMessageId);
    this.pendingSessionSends.set(conversationId, [...list, send]);
  }

  private forgetSessionSend(conversationId: string, clientMessageId: string): void {
    const list = this.pendingSessionSends.get(conversationId)?.filter((p) => p.clientMessageId !== clientMessageId) ?? [];
    if (list.length > 0) this.pendingSessionSends.set(conversationId, list);
    else this.pendingSessionSends.delete(conversationId);
  }

  /** Our own messages read back from a session get the client id of the send they match. */
  private matchOwnSends(conversationId: string, listed: readonly ChatMessage[]): ChatMessage[] {
    const now = this.clock.now();
    const pending = (this.pendingSessionSends.get(conversationId) ?? []).filter((p) => p.keepUntil > now);
    if (pending.length === 0) {
      this.pendingSessionSends.delete(conversationId);
      return [...listed];
    }
    // Oldest first, so two equal texts sent one after the other match in order.
    const items = [...listed].sort((a, b) => a.time - b.time);
    const result = items.map((m) => {
      if (m.direction !== 'out' || m.clientMessageId) return m;
      const index = pending.findIndex((p) => (m.text === p.content || m.attachments?.[0]?.ref === p.content) && m.time >= p.notBefore);
      if (index < 0) return m;
      const [match] = pending.splice(index, 1);
      return { ...m, clientMessageId: match!.clientMessageId };
    });
    if (pending.length > 0) this.pendingSessionSends.set(conversationId, pending);
    else this.pendingSessionSends.delete(conversationId);
    return result;
  }

  private report(conversationId: string, problems: readonly string[]): void {
    for (const detail of problems) this.emitter.fire({ type: 'badInput', where: `Bybit chat ${conversationId}`, detail });
  }

  private publishState(): void {
    const next = this.started ? worstState([this.orders.poller.state, this.chats.state]) : { kind: 'offline' as const };
    if (sameState(next, this.lastState)) return;
    this.lastState = next;
    this.emitter.fire({ type: 'connectionState', state: next });
  }
}

/** The message body Bybit takes: the text, or the (relative) URL of an upload, with its content type. */
function sendInput(message: OutboundMessage): BybitSendInput {
  switch (message.kind) {
    case 'text':
      return { message: message.text, contentType: 'str' };
    case 'image':
    case 'file':
    case 'video': {
      const ref = message.attachment?.ref ?? message.attachment?.url;
      if (!ref) throw new VenueError('rejected', l10n.t('a {0} message needs its uploaded file', message.kind));
      const contentType = message.kind === 'image' ? 'pic' : message.kind === 'video' ? 'video' : 'pdf';
      if (message.kind === 'file' && !/\.pdf$/i.test(message.attachment?.name ?? ref.split('?')[0] ?? '')) throw new VenueError('rejected', l10n.t('Bybit chats take PDF files only'));
      return { message: ref, contentType, ...(message.attachment?.name ? { fileName: message.attachment.name } : {}) };
    }
    default:
      throw new VenueError('rejected', l10n.t('Bybit chats cannot carry a {0} message', message.kind));
  }
}
