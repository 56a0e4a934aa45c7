// MEXC P2P on the venue contract (docs/venue-protocols.md, MEXC). The adapter only wires the pieces:
// - orderSync.ts: the order list on the core poller (every page) -> conversations;
// - listenKeyPool.ts: the listen keys the chat sockets connect with (5 sockets per key, 60 keys);
// - chatChannels.ts: one chat socket per conversation (every active order, plus panes);
// - echoMatcher.ts: our sends tied to their echoes, and the landed check;
// - messageMapping.ts: MEXC messages <-> the normalised model.
// MEXC has no history API: after an outage the hub stores a gap marker for the time a socket was down.
import type { Attachment, ChatMessage, ConnectionState, Conversation } from '../../../shared/model';
import { systemClock, type Clock } from '../../core/clock';
import { worstState, sameState } from '../../core/connection/connectionStates';
import { DisposableStore, Emitter, toDisposable, type Disposable } from '../../core/event';
import { scopedLogger, silentLogger, type Logger } from '../../core/logger';
import { VenueError, isVenueError, type Capabilities, type LandedCheck, type OutboundMessage, type Page, type SendHooks, type SendReceipt, type VenueAdapter, type VenueEvent } from '../venue';
import type { SecretSink } from '../descriptor';
import { MexcRestClient, type MexcCredentials } from './api';
import { ChatChannels, type MexcReply } from './chatChannels';
import { EchoMatcher } from './echoMatcher';
import { ListenKeyPool } from './listenKeyPool';
import { attachmentOf, encodeOutbound, messageTime, mexcTypeFor, toChatMessage } from './messageMapping';
import { OrderSync } from './orderSync';
import type { MexcChatMessage } from './stream';
import * as l10n from '@vscode/l10n';

/** MEXC pushes no order events: the order list is polled this often (and faster while a pane is open). */
const ORDER_POLL_MS = 15_000;
const ORDER_POLL_FAST_MS = 5000;


export interface MexcAdapterOptions {
  readonly accountId: string;
  readonly credentials: MexcCredentials;
  readonly endpoints: { readonly rest: string; readonly ws: string };
  /**
   * Offset of MEXC's zone-less createTime, in minutes east of UTC (default UTC+8); a function is
   * asked at every batch of pushes, so the user's setting applies without reconnecting.
   */
  readonly timezoneOffsetMinutes?: number | (() => number | undefined);
  /** MEXC's caps, for tests: sockets per listen key (default 5) and listen keys per user (default 60). */
  readonly socketsPerListenKey?: number;
  readonly maxListenKeys?: number;
  readonly heartbeatMs?: number;
  readonly listenKeyKeepAliveMs?: number;
  /** Order-list poll interval (default 15 s). */
  readonly orderPollMs?: number;
  /** Order-list poll interval while a conversation is open in a pane (default 5 s). */
  readonly orderPollFastMs?: number;
  /** Orders per order-list page (default 20). */
  readonly orderPageSize?: number;
  readonly sendReplyTimeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Where each listen key is registered for redaction as soon as it is created. */
  readonly redactor?: SecretSink;
}

export const MEXC_CAPABILITIES: Capabilities = {
  receive: 'push',
  serverHistory: false,
  sendKinds: ['text', 'image', 'video', 'file'],
  serverUnread: false,
  mediaByUrl: true,
  idempotentSend: false,
  readReceipts: false,
  maxTextLength: 2000,
  // A send waits (up to 5 s) for its chat's socket, which may be opening on demand.
  announcesWire: true,
};

export class MexcAdapter implements VenueAdapter {
  readonly venue = 'mexc' as const;
  readonly capabilities = MEXC_CAPABILITIES;
  readonly accountId: string;

  private readonly emitter = new Emitter<VenueEvent>();
  readonly events = this.emitter.event;

  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly disposables = new DisposableStore();
  private readonly listenKeys: ListenKeyPool;
  private readonly rest: MexcRestClient;
  private readonly orders: OrderSync;
  private readonly channels: ChatChannels;
  private readonly echoes = new EchoMatcher();
  private started = false;
  /** While started the order list is polled at least at the normal pace (new orders appear at any time). */
  private baseline: Disposable | undefined;
  private lastState: ConnectionState = { kind: 'offline' };
  /** The per-conversation problems last reported as `watch` events. */
  private readonly watchProblems = new Map<string, string>();

  constructor(private readonly options: MexcAdapterOptions) {
    this.accountId = options.accountId;
    this.clock = options.clock ?? systemClock;
    // The host scopes the logger with the account's name; this names the venue.
    this.logger = scopedLogger(options.logger ?? silentLogger, 'MEXC');
    const rest = (this.rest = new MexcRestClient({ baseUrl: options.endpoints.rest, credentials: options.credentials, clock: this.clock, logger: this.logger }));
    const orderPollMs = options.orderPollMs ?? ORDER_POLL_MS;
    this.listenKeys = this.disposables.add(
      new ListenKeyPool({
        api: rest,
        clock: this.clock,
        logger: this.logger,
        keepAliveMs: options.listenKeyKeepAliveMs,
        retryHintMs: orderPollMs,
        socketsPerKey: options.socketsPerListenKey,
        maxKeys: options.maxListenKeys,
        redactor: options.redactor,
      }),
    );
    this.orders = this.disposables.add(
      new OrderSync({
        accountId: options.accountId,
        api: rest,
        intervals: { fastMs: Math.min(options.orderPollFastMs ?? ORDER_POLL_FAST_MS, orderPollMs), normalMs: orderPollMs, idleMs: orderPollMs },
        pageSize: options.orderPageSize,
        clock: this.clock,
        logger: this.logger,
      }),
    );
    this.channels = this.disposables.add(
      new ChatChannels({
        wsUrl: options.endpoints.ws,
        heartbeatMs: options.heartbeatMs ?? 5000,
        listenKeys: this.listenKeys,
        keepOpen: (id) => this.started && this.orders.isActive(id),
        describe: (id) => {
          const c = this.orders.conversation(id);
          return c ? [`with ${c.title}`, c.subtitle].filter(Boolean).join(', ') : undefined;
        },
        clock: this.clock,
        logger: this.logger,
      }),
    );
    this.disposables.add(this.orders.onConversation((conversation) => this.emitter.fire({ type: 'conversation', conversation })));
    this.disposables.add(this.orders.onSynced((conversations) => this.openActiveChats(conversations)));
    this.disposables.add(this.orders.poller.onState(() => this.publishState()));
    this.disposables.add(this.listenKeys.onState(() => this.publishState()));
    this.disposables.add(this.listenKeys.onKeyLost((ids) => this.channels.reconnect(ids)));
    this.disposables.add(this.listenKeys.onRoom((ids) => this.channels.reconnect(ids)));
    this.disposables.add(
      this.channels.onChange(() => {
        this.publishState();
        this.publishWatchProblems();
      }),
    );
    this.disposables.add(this.channels.onClosed((id) => this.echoes.forgetConversation(id)));
    this.disposables.add(this.channels.onBadInput((e) => this.emitter.fire({ type: 'badInput', where: e.where, detail: e.detail })));
    this.disposables.add(this.channels.onGap(({ conversationId, outage }) => this.emitter.fire({ type: 'gap', conversationId, from: outage.from, to: outage.to })));
    this.disposables.add(this.channels.onMessages(({ conversationId, messages }) => this.onChatMessages(conversationId, messages)));
  }

  get connectionState(): ConnectionState {
    return this.lastState;
  }

  async verify(): Promise<void> {
    // A signed call that needs the P2P permission: creating a listen key proves key, secret and clock.
    await this.listenKeys.verify();
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.listenKeys.startKeepAlive();
    this.baseline = this.orders.poller.hold('normal');
    await this.orders.poller.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.baseline?.dispose();
    this.baseline = undefined;
    // Sockets close and the key is deleted at once (dispose() does not wait); a poll in flight is
    // aborted and awaited alongside.
    const polling = this.orders.poller.stop();
    this.channels.closeAll();
    await Promise.all([polling, this.listenKeys.releaseAll()]);
    this.publishState();
  }

  async reconnect(): Promise<void> {
    if (!this.started) {
      await this.start();
      return;
    }
    // Fresh keys (the old ones are deleted at MEXC), then every socket reconnects with one.
    await this.listenKeys.renewAll();
    await this.orders.poller.pollNow();
    this.channels.reconnectAll();
  }

  async listConversations(cursor?: string): Promise<Page<Conversation>> {
    return this.orders.listPage(cursor);
  }

  async history(): Promise<Page<ChatMessage>> {
    // MEXC has no chat history API (docs/venue-protocols.md): the store is the only history.
    return { items: [] };
  }

  watch(conversationId: string): Disposable {
    const channel = this.channels.acquire(conversationId);
    // MEXC pushes no order events: while a pane shows the chat, its order state is polled faster.
    const fast = this.orders.poller.hold('fast');
    return toDisposable(() => {
      fast.dispose();
      channel.dispose();
    });
  }

  async send(message: OutboundMessage, hooks?: SendHooks): Promise<SendReceipt> {
    const out = encodeOutbound(message);
    const { conversationId, clientMessageId } = message;
    const lease = this.channels.acquire(conversationId);
    try {
      await lease.channel.waitOpen(5000);
      // Only now can the frame leave: until here a quit leaves the message simply queued.
      await hooks?.beforeWire();
      // Registered before the frame leaves: the echo can overtake the reply.
      this.echoes.expect(conversationId, { clientMessageId, type: out.type, content: message.text, url: out.url, sentAt: this.clock.now() });
      let reply: MexcReply;
      try {
        reply = await lease.channel.request(out.frame, this.options.sendReplyTimeoutMs ?? 10_000);
      } catch (err) {
        // Not sent at all: no echo will come. On an unknown outcome the echo stays awaited: it is
        // the proof that an unanswered send did land.
        if (isVenueError(err) && err.kind === 'unavailable') this.echoes.forget(conversationId, clientMessageId);
        throw err;
      }
      if (!reply.success) {
        this.echoes.forget(conversationId, clientMessageId);
        throw new VenueError('rejected', reply.msg ? l10n.t({ message: 'MEXC refused the message: {0}', args: [reply.msg], comment: ['{0} is MEXC\'s own words.'] }) : l10n.t('MEXC refused the message: no reason given'));
      }
      return { status: 'sent' };
    } finally {
      lease.dispose();
    }
  }

  async checkLanded(message: OutboundMessage): Promise<LandedCheck> {
    const seen = this.echoes.claimLanded(message.conversationId, {
      clientMessageId: message.clientMessageId,
      type: mexcTypeFor(message),
      content: message.text,
      url: message.attachment?.url ?? '',
      sentAt: message.composedAt,
    });
    return seen ? { landed: true, venueMessageId: seen.id } : { landed: 'unknown' };
  }

  async markRead(): Promise<void> {
    // MEXC has no read API; unread counts are kept locally by the hub.
  }

  stored(): void {
    // MEXC needs no receipt: its pushes are not redelivered.
  }

  async upload(): Promise<Attachment> {
    throw new VenueError('rejected', l10n.t('MEXC has no upload API: media is sent as links.'));
  }

  dispose(): void {
    // The REST pool closes after stop() has deleted the listen key with it.
    void this.stop().finally(() => this.rest.dispose());
    this.disposables.dispose();
    this.emitter.dispose();
  }

  // ---- wiring --------------------------------------------------------------------------------

  /** After every order sync: a socket for every active order, and sockets of ended ones closed unless a pane shows them. */
  private openActiveChats(conversations: readonly Conversation[]): void {
    if (!this.started) return;
    for (const c of conversations) if (c.active) this.channels.ensure(c.conversationId);
    this.channels.closeIdle();
  }

  /** A batch of pushes of one conversation: one 'messages' event, then the confirmations of our echoes in it. */
  private onChatMessages(conversationId: string, batch: readonly MexcChatMessage[]): void {
    const setting = this.options.timezoneOffsetMinutes;
    const offset = (typeof setting === 'function' ? setting() : setting) ?? 480;
    const now = this.clock.now();
    const messages: ChatMessage[] = [];
    const confirmations: VenueEvent[] = [];
    const problems: string[] = [];
    for (const m of batch) {
      const { time, problem } = messageTime(m, offset, now);
      if (problem) problems.push(problem);
      const clientMessageId = m.self ? this.echoes.onSelfMessage(conversationId, { id: m.id, type: m.type, content: m.content, url: attachmentOf(m)?.url ?? '', time }) : undefined;
      messages.push(toChatMessage(m, { accountId: this.accountId, time, clientMessageId }, problems));
      if (clientMessageId) {
        confirmations.push({ type: 'messageStatus', ref: { conversationId, clientMessageId, venueMessageId: m.id }, status: 'confirmed', venueMessageId: m.id, time });
      }
    }
    for (const detail of problems) this.emitter.fire({ type: 'badInput', where: `MEXC chat ${conversationId}`, detail });
    this.emitter.fire({ type: 'messages', messages, source: 'live' });
    for (const event of confirmations) this.emitter.fire(event);
  }

  /** A `watch` event for each conversation whose socket started or stopped failing (a closed socket has no problem). */
  private publishWatchProblems(): void {
    const now = new Map<string, string>();
    for (const id of this.channels.openIds) {
      const problem = this.channels.problemOf(id);
      if (problem !== undefined) now.set(id, problem);
    }
    for (const [id, problem] of now) {
      if (this.watchProblems.get(id) === problem) continue;
      this.watchProblems.set(id, problem);
      this.emitter.fire({ type: 'watch', conversationId: id, problem });
    }
    for (const id of [...this.watchProblems.keys()]) {
      if (now.has(id)) continue;
      this.watchProblems.delete(id);
      this.emitter.fire({ type: 'watch', conversationId: id });
    }
  }

  /** The account's state: the worst of the order poller, the listen key and the open chat sockets. */
  private publishState(): void {
    const next = this.started ? worstState([this.orders.poller.state, this.listenKeys.state, ...this.channels.accountState()]) : { kind: 'offline' as const };
    if (sameState(next, this.lastState)) return;
    this.lastState = next;
    this.emitter.fire({ type: 'connectionState', state: next });
  }
}
