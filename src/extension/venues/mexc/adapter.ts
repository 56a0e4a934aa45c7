// MEXC P2P on the venue contract (venues.md Part A + B1): orders -> conversations through signed
// REST, one chat socket per conversation, a listen key kept alive every 30 min and recreated when
// rejected, gap markers after outages (MEXC has no history API).
import type { Attachment, ChatMessage, ConnectionState, Conversation } from '../../../shared/model';
import { messageKey } from '../../../shared/model';
import { systemClock, type Clock } from '../../core/clock';
import { DisposableStore, Emitter, type Disposable } from '../../core/event';
import { scopedLogger, silentLogger, type Logger } from '../../core/logger';
import { ReconnectingSocket, type CloseVerdict } from '../../core/connection/reconnectingSocket';
import {
  VenueError,
  isVenueError,
  type Capabilities,
  type LandedCheck,
  type OutboundMessage,
  type Page,
  type SendReceipt,
  type VenueAdapter,
  type VenueEvent,
} from '../venue';
import { ACTIVE_ORDER_STATES, MexcRestClient, type MexcCredentials, type MexcOrder } from './api';
import { MEXC_TYPE, PING_FRAME, decodeFrame, encodeSend, parseMexcTime, type MexcChatMessage, type MexcMessageType } from './stream';

/** MEXC pushes no order events: new orders (and their chats) are found by polling the order list. */
const ORDER_POLL_MS = 15_000;

export const MEXC_DEFAULT_ENDPOINTS = { rest: 'https://api.mexc.com', ws: 'wss://wbs.p2p.mexc.com/ws' } as const;

export interface MexcAdapterOptions {
  readonly accountId: string;
  readonly credentials: MexcCredentials;
  readonly endpoints: { readonly rest: string; readonly ws: string };
  /** Offset of MEXC's zone-less createTime, in minutes east of UTC (default UTC+8). */
  readonly timezoneOffsetMinutes?: number;
  /** At most this many chat sockets at once (spot caps 5 connections per listen key). */
  readonly maxSockets?: number;
  readonly heartbeatMs?: number;
  readonly listenKeyKeepAliveMs?: number;
  readonly orderPollMs?: number;
  readonly sendReplyTimeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
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
};

interface PendingReply {
  resolve(reply: { success: boolean; msg: string }): void;
  reject(err: VenueError): void;
  timer: Disposable;
}

interface AwaitingEcho {
  readonly clientMessageId: string;
  readonly type: MexcMessageType;
  readonly content: string;
  readonly url: string;
  readonly sentAt: number;
}

interface SeenSelf {
  readonly id: string;
  readonly type: number;
  readonly content: string;
  readonly url: string;
  readonly time: number;
  claimedBy?: string;
}

/** One socket bound to one conversation. */
class ConversationChannel implements Disposable {
  readonly socket: ReconnectingSocket;
  readonly pendingReplies: PendingReply[] = [];
  readonly awaitingEcho: AwaitingEcho[] = [];
  readonly seenSelf: SeenSelf[] = [];
  readonly subscriptions = new DisposableStore();
  watchers = 0;

  constructor(socket: ReconnectingSocket) {
    this.socket = socket;
  }

  failPending(reason: string): void {
    for (const p of this.pendingReplies.splice(0)) {
      p.timer.dispose();
      p.reject(new VenueError('unknown-outcome', reason));
    }
  }

  dispose(): void {
    this.failPending('the chat socket was closed before MEXC answered');
    this.subscriptions.dispose();
    this.socket.dispose();
  }
}

export class MexcAdapter implements VenueAdapter {
  readonly venue = 'mexc' as const;
  readonly capabilities = MEXC_CAPABILITIES;
  readonly accountId: string;

  private readonly emitter = new Emitter<VenueEvent>();
  readonly events = this.emitter.event;

  private readonly rest: MexcRestClient;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly disposables = new DisposableStore();
  private readonly channels = new Map<string, ConversationChannel>();
  private readonly orders = new Map<string, { order: MexcOrder; conversationId: string }>();
  private readonly conversations = new Map<string, Conversation>();
  private listenKey: string | undefined;
  private listenKeyPending: Promise<string> | undefined;
  private timers = new DisposableStore();
  private started = false;
  private restState: ConnectionState = { kind: 'offline' };
  private lastState: ConnectionState = { kind: 'offline' };

  constructor(private readonly options: MexcAdapterOptions) {
    this.accountId = options.accountId;
    this.clock = options.clock ?? systemClock;
    this.logger = scopedLogger(options.logger ?? silentLogger, `mexc:${options.accountId}`);
    this.rest = new MexcRestClient({ baseUrl: options.endpoints.rest, credentials: options.credentials, clock: this.clock, logger: this.logger });
  }

  get connectionState(): ConnectionState {
    return this.lastState;
  }

  async verify(): Promise<void> {
    // A signed call that needs the P2P permission: creating a listen key proves key, secret and clock.
    this.listenKey = await this.rest.createListenKey();
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.restState = { kind: 'connecting' };
    this.publishState();
    this.timers = new DisposableStore();
    this.timers.add(this.clock.setInterval(() => void this.keepAliveListenKey(), this.options.listenKeyKeepAliveMs ?? 30 * 60_000));
    this.timers.add(this.clock.setInterval(() => void this.refreshOrders(), this.options.orderPollMs ?? ORDER_POLL_MS));
    await this.refreshOrders();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.timers.dispose();
    const channels = [...this.channels.values()];
    this.channels.clear();
    for (const c of channels) c.dispose();
    const key = this.listenKey;
    this.listenKey = undefined;
    if (key) {
      await this.rest.deleteListenKey(key).catch((err: unknown) => this.logger.debug(`could not delete the listen key: ${String(err)}`));
    }
    this.restState = { kind: 'offline' };
    this.publishState();
  }

  async reconnect(): Promise<void> {
    if (!this.started) {
      await this.start();
      return;
    }
    this.listenKey = undefined;
    await this.refreshOrders();
    for (const channel of this.channels.values()) channel.socket.reconnectNow();
  }

  async listConversations(cursor?: string): Promise<Page<Conversation>> {
    const [lastCreateTime, lastId] = cursor ? cursor.split(':') : [];
    const rows = await this.rest.listOrders({ limit: 20, lastCreateTime: lastCreateTime ? Number(lastCreateTime) : undefined, lastId });
    const items: Conversation[] = [];
    for (const order of rows) {
      const conversation = await this.conversationForOrder(order);
      if (conversation) items.push(conversation);
    }
    const last = rows[rows.length - 1];
    return { items, next: rows.length === 20 && last ? `${last.createTime}:${last.advOrderNo}` : undefined };
  }

  async history(): Promise<Page<ChatMessage>> {
    // MEXC has no chat history API (venues.md B1.4): the store is the only history.
    return { items: [] };
  }

  watch(conversationId: string): Disposable {
    const channel = this.ensureChannel(conversationId);
    channel.watchers++;
    let released = false;
    return {
      dispose: () => {
        if (released) return;
        released = true;
        channel.watchers--;
        this.closeIdleChannel(conversationId);
      },
    };
  }

  async send(message: OutboundMessage): Promise<SendReceipt> {
    const conversationNumber = Number(message.conversationId);
    if (!Number.isSafeInteger(conversationNumber)) throw new VenueError('rejected', `not a MEXC conversation id: ${message.conversationId}`);
    const type = mexcTypeFor(message);
    const url = message.attachment?.url ?? '';
    if (type !== MEXC_TYPE.text && !/^https?:\/\//i.test(url)) throw new VenueError('rejected', 'MEXC sends media only as an http(s) link');
    const channel = this.ensureChannel(message.conversationId);
    channel.watchers++;
    try {
      await this.waitOpen(channel, 5000);
      const frame = encodeSend({
        conversationId: conversationNumber,
        type,
        content: message.text,
        imageUrl: type === MEXC_TYPE.image ? url : undefined,
        imageThumbUrl: type === MEXC_TYPE.image ? (message.attachment?.thumbUrl ?? url) : undefined,
        videoUrl: type === MEXC_TYPE.video ? url : undefined,
        fileUrl: type === MEXC_TYPE.file ? url : undefined,
      });
      const reply = new Promise<{ success: boolean; msg: string }>((resolve, reject) => {
        const timer = this.clock.setTimeout(() => {
          const i = channel.pendingReplies.indexOf(pending);
          if (i >= 0) channel.pendingReplies.splice(i, 1);
          reject(new VenueError('unknown-outcome', 'MEXC did not confirm the send in time'));
        }, this.options.sendReplyTimeoutMs ?? 10_000);
        const pending: PendingReply = { resolve, reject, timer };
        channel.pendingReplies.push(pending);
      });
      // Registered before the frame leaves: the echo can overtake the reply.
      const echo: AwaitingEcho = { clientMessageId: message.clientMessageId, type, content: message.text, url, sentAt: this.clock.now() };
      channel.awaitingEcho.push(echo);
      if (!channel.socket.send(frame)) {
        const pending = channel.pendingReplies.pop();
        pending?.timer.dispose();
        channel.awaitingEcho.splice(channel.awaitingEcho.indexOf(echo), 1);
        throw new VenueError('unavailable', 'the MEXC chat socket is not connected');
      }
      // On a timeout the echo stays awaited: it is the proof that an unanswered send did land.
      const result = await reply;
      if (!result.success) {
        const i = channel.awaitingEcho.indexOf(echo);
        if (i >= 0) channel.awaitingEcho.splice(i, 1);
        throw new VenueError('rejected', `MEXC refused the message: ${result.msg || 'no reason given'}`);
      }
      return { status: 'sent' };
    } finally {
      channel.watchers--;
      this.closeIdleChannel(message.conversationId);
    }
  }

  async checkLanded(message: OutboundMessage): Promise<LandedCheck> {
    const channel = this.channels.get(message.conversationId);
    if (channel) {
      const seen = this.claimSeenSelf(channel, { clientMessageId: message.clientMessageId, type: mexcTypeFor(message), content: message.text, url: message.attachment?.url ?? '', sentAt: message.composedAt });
      if (seen) return { landed: true, venueMessageId: seen.id };
    }
    return { landed: 'unknown' };
  }

  async markRead(): Promise<void> {
    // MEXC has no read API; unread counts are kept locally by the hub.
  }

  stored(): void {
    // MEXC needs no receipt: its pushes are not redelivered.
  }

  async upload(): Promise<Attachment> {
    throw new VenueError('rejected', 'MEXC has no upload API: media is sent as links.');
  }

  dispose(): void {
    void this.stop();
    this.disposables.dispose();
    this.emitter.dispose();
  }

  // ---- orders and conversations ------------------------------------------------------------

  private async refreshOrders(): Promise<void> {
    try {
      const page = await this.listConversations();
      this.restState = { kind: 'online', since: this.clock.now() };
      const active = page.items.filter((c) => c.active).slice(0, this.maxSockets);
      for (const c of active) this.ensureChannel(c.conversationId);
      for (const [id] of this.channels) this.closeIdleChannel(id);
    } catch (err) {
      this.restState = this.stateForError(err);
      this.logger.warn(`order refresh failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.publishState();
  }

  private async conversationForOrder(order: MexcOrder): Promise<Conversation | undefined> {
    let known = this.orders.get(order.advOrderNo);
    if (!known) {
      try {
        const id = await this.rest.conversationId(order.advOrderNo);
        known = { order, conversationId: String(id) };
      } catch (err) {
        if (isVenueError(err) && err.kind === 'rejected') {
          this.logger.info(`order ${order.advOrderNo} has no chat: ${err.message}`);
          return undefined;
        }
        throw err;
      }
    }
    known = { ...known, order };
    this.orders.set(order.advOrderNo, known);
    const previous = this.conversations.get(known.conversationId);
    const nick = order.userInfo?.nickName ?? order.merchantInfo?.nickName ?? 'Counterparty';
    const state = order.state ?? 'UNKNOWN';
    const conversation: Conversation = {
      venue: 'mexc',
      accountId: this.accountId,
      conversationId: known.conversationId,
      title: nick,
      subtitle: `${order.side ?? ''} ${order.amount ?? order.tradableQuantity ?? ''} ${order.coinName ?? ''} · order ${order.advOrderNo} · ${state}`.replace(/\s+/g, ' ').trim(),
      lastActivity: Math.max(previous?.lastActivity ?? 0, order.updateTime ?? order.createTime),
      unread: previous?.unread ?? 0,
      active: ACTIVE_ORDER_STATES.has(state),
      preview: previous?.preview,
    };
    this.conversations.set(known.conversationId, conversation);
    if (!previous || previous.title !== conversation.title || previous.subtitle !== conversation.subtitle || previous.active !== conversation.active || previous.lastActivity !== conversation.lastActivity) {
      this.emitter.fire({ type: 'conversation', conversation });
    }
    return conversation;
  }

  private get maxSockets(): number {
    return this.options.maxSockets ?? 5;
  }

  // ---- listen key ----------------------------------------------------------------------------

  private async currentListenKey(): Promise<string> {
    if (this.listenKey) return this.listenKey;
    this.listenKeyPending ??= this.rest
      .createListenKey()
      .then((key) => {
        this.listenKey = key;
        return key;
      })
      .finally(() => {
        this.listenKeyPending = undefined;
      });
    return this.listenKeyPending;
  }

  private async keepAliveListenKey(): Promise<void> {
    const key = this.listenKey;
    if (!key) return;
    try {
      await this.rest.keepAliveListenKey(key);
      this.logger.debug('listen key kept alive');
    } catch (err) {
      if (isVenueError(err) && (err.kind === 'rejected' || err.kind === 'auth')) {
        // Rejected keep-alive: the key is gone. A new one is created and the sockets move to it.
        this.logger.info(`listen key rejected (${err.message}); creating a new one`);
        if (this.listenKey === key) this.listenKey = undefined;
        try {
          await this.currentListenKey();
          for (const channel of this.channels.values()) channel.socket.reconnectNow();
        } catch (createErr) {
          this.restState = this.stateForError(createErr);
          this.publishState();
        }
      } else {
        this.logger.warn(`listen key keep-alive failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  // ---- sockets -------------------------------------------------------------------------------

  private ensureChannel(conversationId: string): ConversationChannel {
    const existing = this.channels.get(conversationId);
    if (existing) return existing;
    const heartbeatMs = this.options.heartbeatMs ?? 5000;
    const socket = new ReconnectingSocket({
      name: `MEXC chat ${conversationId}`,
      clock: this.clock,
      logger: this.logger,
      heartbeat: { intervalMs: heartbeatMs, staleAfterMs: heartbeatMs * 3 + 1000, send: (ws) => ws.send(PING_FRAME) },
      resolveTarget: async () => {
        const listenKey = await this.currentListenKey();
        const url = new URL(this.options.endpoints.ws);
        url.searchParams.set('listenKey', listenKey);
        url.searchParams.set('conversationId', conversationId);
        return { url: url.toString() };
      },
      onUpgradeRejected: (status): CloseVerdict => {
        if (status === 401) {
          // The listen key expired or was revoked: make a new one on the next try.
          this.listenKey = undefined;
          return { action: 'retry', reason: 'MEXC rejected the listen key; renewing it' };
        }
        if (status === 403) return { action: 'retry', reason: 'MEXC refused this conversation (HTTP 403)' };
        return { action: 'retry', reason: `MEXC refused the chat connection (HTTP ${status})` };
      },
    });
    const channel = new ConversationChannel(socket);
    channel.subscriptions.add(socket.onMessage((text) => this.onFrame(conversationId, channel, text)));
    channel.subscriptions.add(socket.onState((state) => {
      if (state.kind !== 'online') channel.failPending('the chat connection dropped before MEXC answered');
      this.publishState();
    }));
    channel.subscriptions.add(socket.onOpen(({ outage }) => {
      if (outage) this.emitter.fire({ type: 'gap', conversationId, from: outage.from, to: outage.to });
    }));
    this.channels.set(conversationId, channel);
    socket.start();
    return channel;
  }

  private closeIdleChannel(conversationId: string): void {
    const channel = this.channels.get(conversationId);
    if (!channel || channel.watchers > 0 || channel.pendingReplies.length > 0) return;
    if (this.started && this.conversations.get(conversationId)?.active) {
      const activeOpen = [...this.channels.keys()].filter((id) => this.conversations.get(id)?.active);
      if (activeOpen.indexOf(conversationId) < this.maxSockets) return;
    }
    this.channels.delete(conversationId);
    channel.dispose();
    this.publishState();
  }

  private async waitOpen(channel: ConversationChannel, timeoutMs: number): Promise<void> {
    if (channel.socket.isOpen) return;
    if (channel.socket.state.kind === 'auth-error') throw new VenueError('auth', channel.socket.state.reason);
    await new Promise<void>((resolve, reject) => {
      const done = (err?: VenueError) => {
        sub.dispose();
        timer.dispose();
        if (err) reject(err);
        else resolve();
      };
      const sub = channel.socket.onOpen(() => done());
      const timer = this.clock.setTimeout(() => done(new VenueError('unavailable', 'the MEXC chat socket is not connected')), timeoutMs);
    });
  }

  private onFrame(conversationId: string, channel: ConversationChannel, text: string): void {
    const frame = decodeFrame(text);
    switch (frame.kind) {
      case 'pong':
        return;
      case 'invalid':
        this.emitter.fire({ type: 'badInput', where: `MEXC chat ${conversationId}`, detail: frame.detail });
        return;
      case 'reply': {
        if (frame.method === 'SEND_MESSAGE' || (!frame.success && channel.pendingReplies.length > 0 && frame.method === '')) {
          const pending = channel.pendingReplies.shift();
          if (!pending) {
            this.emitter.fire({ type: 'badInput', where: `MEXC chat ${conversationId}`, detail: `unexpected ${frame.method || 'error'} reply: ${frame.msg}` });
            return;
          }
          pending.timer.dispose();
          pending.resolve({ success: frame.success, msg: frame.msg });
          return;
        }
        if (!frame.success) this.logger.warn(`MEXC chat ${conversationId}: ${frame.method} failed: ${frame.msg}`);
        return;
      }
      case 'message':
        this.onChatMessage(conversationId, channel, frame.message);
        return;
    }
  }

  private onChatMessage(socketConversationId: string, channel: ConversationChannel, m: MexcChatMessage): void {
    if (m.conversationId !== socketConversationId) {
      this.emitter.fire({ type: 'badInput', where: `MEXC chat ${socketConversationId}`, detail: `message ${m.id} names conversation ${m.conversationId}` });
      return;
    }
    const offset = this.options.timezoneOffsetMinutes ?? 480;
    const time = parseMexcTime(m.createTime, offset) ?? this.clock.now();
    const attachment = attachmentOf(m);
    const kind = m.type === MEXC_TYPE.image ? 'image' : m.type === MEXC_TYPE.video ? 'video' : m.type === MEXC_TYPE.file ? 'file' : 'text';
    let clientMessageId: string | undefined;
    if (m.self) {
      const url = attachment?.url ?? '';
      const i = channel.awaitingEcho.findIndex((e) => e.type === m.type && e.content === m.content && e.url === url);
      if (i >= 0) {
        const [echo] = channel.awaitingEcho.splice(i, 1);
        clientMessageId = echo?.clientMessageId;
      } else {
        channel.seenSelf.push({ id: m.id, type: m.type, content: m.content, url, time });
        if (channel.seenSelf.length > 200) channel.seenSelf.shift();
      }
    }
    const message: ChatMessage = {
      key: messageKey('mexc', this.accountId, m.conversationId, m.id),
      venue: 'mexc',
      accountId: this.accountId,
      conversationId: m.conversationId,
      venueMessageId: m.id,
      clientMessageId,
      direction: m.self ? 'out' : 'in',
      kind,
      text: m.content,
      attachments: attachment ? [attachment] : undefined,
      senderName: m.self ? undefined : m.fromNickName || undefined,
      time,
      rawTime: m.createTime,
      status: m.self ? 'confirmed' : undefined,
    };
    this.emitter.fire({ type: 'messages', messages: [message], source: 'live' });
    if (clientMessageId) {
      this.emitter.fire({ type: 'messageStatus', ref: { conversationId: m.conversationId, clientMessageId, venueMessageId: m.id }, status: 'confirmed', venueMessageId: m.id, time });
    }
  }

  private claimSeenSelf(channel: ConversationChannel, echo: AwaitingEcho): SeenSelf | undefined {
    const seen = channel.seenSelf.find((s) => !s.claimedBy && s.type === echo.type && s.content === echo.content && s.url === echo.url && s.time >= echo.sentAt - 120_000);
    if (!seen) return undefined;
    seen.claimedBy = echo.clientMessageId;
    const i = channel.awaitingEcho.findIndex((e) => e.clientMessageId === echo.clientMessageId);
    if (i >= 0) channel.awaitingEcho.splice(i, 1);
    return seen;
  }

  // ---- state ---------------------------------------------------------------------------------

  private stateForError(err: unknown): ConnectionState {
    if (isVenueError(err) && err.kind === 'auth') return { kind: 'auth-error', reason: err.message };
    const reason = err instanceof Error ? err.message : String(err);
    return { kind: 'backoff', until: this.clock.now() + (this.options.orderPollMs ?? ORDER_POLL_MS), reason };
  }

  /** The account's state: the worst of the REST side and the open chat sockets. */
  private publishState(): void {
    const states = [this.restState, ...[...this.channels.values()].map((c) => c.socket.state)];
    const next = worstState(states, this.started);
    if (JSON.stringify(next) === JSON.stringify(this.lastState)) return;
    this.lastState = next;
    this.emitter.fire({ type: 'connectionState', state: next });
  }
}

const SEVERITY: Record<ConnectionState['kind'], number> = { online: 0, offline: 1, stale: 2, connecting: 3, backoff: 4, displaced: 5, 'auth-error': 6 };

function worstState(states: readonly ConnectionState[], started: boolean): ConnectionState {
  if (!started) return { kind: 'offline' };
  let worst: ConnectionState = { kind: 'online', since: 0 };
  let since = 0;
  for (const s of states) {
    if (s.kind === 'offline') continue;
    if (s.kind === 'online') since = Math.max(since, s.since);
    if (SEVERITY[s.kind] > SEVERITY[worst.kind]) worst = s;
  }
  return worst.kind === 'online' ? { kind: 'online', since } : worst;
}

function mexcTypeFor(message: OutboundMessage): MexcMessageType {
  switch (message.kind) {
    case 'image':
      return MEXC_TYPE.image;
    case 'video':
      return MEXC_TYPE.video;
    case 'file':
      return MEXC_TYPE.file;
    default:
      return MEXC_TYPE.text;
  }
}

function attachmentOf(m: MexcChatMessage): Attachment | undefined {
  if (m.type === MEXC_TYPE.image && m.imageUrl) return { kind: 'image', url: m.imageUrl, thumbUrl: m.imageThumbUrl || undefined };
  if (m.type === MEXC_TYPE.video && m.videoUrl) return { kind: 'video', url: m.videoUrl };
  if (m.type === MEXC_TYPE.file && m.fileUrl) return { kind: 'file', url: m.fileUrl, name: fileNameOf(m.fileUrl) };
  return undefined;
}

function fileNameOf(url: string): string | undefined {
  try {
    const name = new URL(url).pathname.split('/').pop();
    return name ? decodeURIComponent(name) : undefined;
  } catch {
    return undefined;
  }
}
