// MEXC binds one chat socket to one conversation (docs/venue-protocols.md, MEXC: chat socket). This
// pool opens a ReconnectingSocket per conversation on demand, decodes its frames, correlates
// SEND_MESSAGE replies (they carry no id: first sent, first answered) and closes a socket once
// nothing needs it (no pane watches it, no reply is awaited, and the keep-open policy, e.g. "an
// active order within the socket cap", lets it go). Messages that arrive together (one read off
// the socket holds many frames) leave as one batch, so a burst costs the inbox one event instead
// of one per frame.
import type { ConnectionState } from '../../../shared/model';
import type { Clock } from '../../core/clock';
import { ReconnectingSocket, type CloseVerdict, type Outage } from '../../core/connection/reconnectingSocket';
import { DisposableStore, Emitter, toDisposable, type Disposable, type Event } from '../../core/event';
import type { Logger } from '../../core/logger';
import { VenueError } from '../venue';
import { PING_FRAME, decodeFrame, type MexcChatMessage } from './stream';
import * as l10n from '@vscode/l10n';

export interface MexcReply {
  readonly success: boolean;
  readonly msg: string;
}

interface PendingReply {
  resolve(reply: MexcReply): void;
  reject(err: VenueError): void;
  readonly timer: Disposable;
}

/** Where chat sockets get their listen key: a slot per conversation (see listenKeyPool.ts). */
export interface ListenKeySource {
  acquire(conversationId: string): Promise<string>;
  release(conversationId: string): void;
  expire(key: string, reason: string): void;
  refused(conversationId: string): void;
}

/** A close reason saying the socket's listen key is no longer valid (MEXC: "listenKey expired"). */
const DEAD_KEY_CLOSE = /listen\s*key.*\b(expired|deleted|invalid)\b/i;

/** One socket bound to one conversation, with the replies it still owes. */
export class ChatChannel implements Disposable {
  private readonly pending: PendingReply[] = [];
  watchers = 0;
  /** Names the socket in bad-input reports. */
  readonly where: string;

  constructor(
    readonly conversationId: string,
    readonly socket: ReconnectingSocket,
    private readonly clock: Clock,
    where: string,
  ) {
    this.where = where;
  }

  get awaitsReplies(): boolean {
    return this.pending.length > 0;
  }

  /**
   * Sends a frame and waits for its reply. Rejects `unavailable` when the frame could not leave
   * (definitely not sent), `unknown-outcome` when no reply came in time or the socket dropped first.
   */
  request(frame: string, timeoutMs: number): Promise<MexcReply> {
    return new Promise<MexcReply>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.remove(pending);
        reject(new VenueError('unknown-outcome', l10n.t('MEXC did not confirm the send in time')));
      }, timeoutMs);
      const pending: PendingReply = { resolve, reject, timer };
      this.pending.push(pending);
      if (!this.socket.send(frame)) {
        this.remove(pending);
        timer.dispose();
        reject(new VenueError('unavailable', l10n.t('the MEXC chat socket is not connected')));
      }
    });
  }

  /** Resolves the oldest awaited reply; false when none was awaited. */
  takeReply(reply: MexcReply): boolean {
    const pending = this.pending.shift();
    if (!pending) return false;
    pending.timer.dispose();
    pending.resolve(reply);
    return true;
  }

  failPending(reason: string): void {
    for (const p of this.pending.splice(0)) {
      p.timer.dispose();
      p.reject(new VenueError('unknown-outcome', reason));
    }
  }

  async waitOpen(timeoutMs: number): Promise<void> {
    if (this.socket.isOpen) return;
    if (this.socket.state.kind === 'auth-error') throw new VenueError('auth', this.socket.state.reason);
    await new Promise<void>((resolve, reject) => {
      const done = (err?: VenueError) => {
        sub.dispose();
        timer.dispose();
        if (err) reject(err);
        else resolve();
      };
      const sub = this.socket.onOpen(() => done());
      const timer = this.clock.setTimeout(() => done(new VenueError('unavailable', l10n.t('the MEXC chat socket is not connected'))), timeoutMs);
    });
  }

  dispose(): void {
    this.failPending(l10n.t('the chat socket was closed before MEXC answered'));
    this.socket.dispose();
  }

  private remove(pending: PendingReply): void {
    const i = this.pending.indexOf(pending);
    if (i >= 0) this.pending.splice(i, 1);
  }
}

export interface ChatChannelsOptions {
  readonly wsUrl: string;
  readonly heartbeatMs: number;
  readonly listenKeys: ListenKeySource;
  /** Whether an unwatched channel with no awaited reply stays open anyway (an active order). */
  readonly keepOpen: (conversationId: string) => boolean;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Names a conversation in the log and in bad-input reports (the counterparty and order, when known). */
  readonly describe?: (conversationId: string) => string | undefined;
}

/** A channel in use: disposing it lets the channel close when nothing else needs it. */
export interface ChannelLease extends Disposable {
  readonly channel: ChatChannel;
}

export class ChatChannels implements Disposable {
  private readonly channels = new Map<string, { readonly channel: ChatChannel; readonly subscriptions: DisposableStore }>();
  private readonly messagesEmitter = new Emitter<{ readonly conversationId: string; readonly messages: readonly MexcChatMessage[] }>();
  /** Messages decoded in the current tick, per conversation, until the microtask that emits them. */
  private burst: Map<string, MexcChatMessage[]> | undefined;
  private readonly badInputEmitter = new Emitter<{ readonly where: string; readonly detail: string }>();
  private readonly gapEmitter = new Emitter<{ readonly conversationId: string; readonly outage: Outage }>();
  private readonly changeEmitter = new Emitter<void>();
  private readonly closedEmitter = new Emitter<string>();

  /**
   * Chat messages in arrival order, already checked to belong to the socket's conversation: those
   * that arrived in the same tick come as one batch, a microtask later.
   */
  readonly onMessages = this.messagesEmitter.event;
  readonly onBadInput = this.badInputEmitter.event;
  /** A socket reopened after an outage: MEXC has no history, so the time it was down is a gap. */
  readonly onGap = this.gapEmitter.event;
  /** A socket's state changed, or a socket opened or closed. */
  readonly onChange: Event<void> = this.changeEmitter.event;
  readonly onClosed: Event<string> = this.closedEmitter.event;

  constructor(private readonly options: ChatChannelsOptions) {}

  get(conversationId: string): ChatChannel | undefined {
    return this.channels.get(conversationId)?.channel;
  }

  get openIds(): string[] {
    return [...this.channels.keys()];
  }

  states(): ConnectionState[] {
    return [...this.channels.values()].map((c) => c.channel.socket.state);
  }

  /** Opens the conversation's socket if it is not open yet. */
  ensure(conversationId: string): ChatChannel {
    const existing = this.channels.get(conversationId);
    if (existing) return existing.channel;
    const { clock, logger, heartbeatMs, listenKeys } = this.options;
    /** The key of the current (or last) connection attempt. */
    let listenKey: string | undefined;
    const described = this.options.describe?.(conversationId);
    const where = described ? `MEXC chat ${conversationId} (${described})` : `MEXC chat ${conversationId}`;
    const socket = new ReconnectingSocket({
      name: where,
      clock,
      logger,
      heartbeat: { intervalMs: heartbeatMs, staleAfterMs: heartbeatMs * 3 + 1000, send: (ws) => ws.send(PING_FRAME) },
      resolveTarget: async () => {
        listenKey = await listenKeys.acquire(conversationId);
        const url = new URL(this.options.wsUrl);
        url.searchParams.set('listenKey', listenKey);
        url.searchParams.set('conversationId', conversationId);
        return { url: url.toString() };
      },
      onUpgradeRejected: (status): CloseVerdict => {
        if (status === 401) {
          // The listen key expired or was deleted: never again; the next try gets another.
          if (listenKey) listenKeys.expire(listenKey, 'MEXC refused it on upgrade (HTTP 401)');
          return { action: 'retry', reason: l10n.t('MEXC rejected the listen key; connecting with another') };
        }
        if (status === 429) {
          // Only this socket backs off; the key rests and the next try uses another one.
          listenKeys.refused(conversationId);
          return { action: 'retry', reason: l10n.t('MEXC refused the chat connection as over its limit (HTTP 429)') };
        }
        if (status === 403) return { action: 'retry', reason: l10n.t('MEXC refused this conversation (HTTP 403)') };
        return { action: 'retry', reason: l10n.t('MEXC refused the chat connection (HTTP {0})', status) };
      },
      classifyClose: (_code, reason): CloseVerdict | undefined => {
        if (!listenKey || !DEAD_KEY_CLOSE.test(reason)) return undefined;
        listenKeys.expire(listenKey, `MEXC closed the chat: ${reason}`);
        return { action: 'retry', reason: l10n.t('MEXC closed the chat ({0}); connecting with another listen key', reason) };
      },
    });
    const channel = new ChatChannel(conversationId, socket, clock, where);
    const subscriptions = new DisposableStore();
    subscriptions.add(socket.onMessage((text) => this.onFrame(channel, text)));
    subscriptions.add(socket.onBadInput((detail) => this.badInputEmitter.fire({ where: channel.where, detail })));
    subscriptions.add(
      socket.onState((state) => {
        if (state.kind !== 'online') channel.failPending(l10n.t('the chat connection dropped before MEXC answered'));
        this.changeEmitter.fire();
      }),
    );
    subscriptions.add(
      socket.onOpen(({ outage }) => {
        if (outage) this.gapEmitter.fire({ conversationId, outage });
      }),
    );
    this.channels.set(conversationId, { channel, subscriptions });
    socket.start();
    return channel;
  }

  /** Uses the conversation's socket (opening it) until the lease is disposed. */
  acquire(conversationId: string): ChannelLease {
    const channel = this.ensure(conversationId);
    channel.watchers++;
    const release = toDisposable(() => {
      channel.watchers--;
      this.closeIfIdle(conversationId);
    });
    return { channel, dispose: () => release.dispose() };
  }

  /** Closes the conversation's socket unless something still needs it. */
  closeIfIdle(conversationId: string): void {
    const entry = this.channels.get(conversationId);
    if (!entry || entry.channel.watchers > 0 || entry.channel.awaitsReplies) return;
    if (this.options.keepOpen(conversationId)) return;
    this.close(conversationId);
  }

  closeIdle(): void {
    for (const id of this.openIds) this.closeIfIdle(id);
  }

  /** User action: every socket reconnects now. */
  reconnectAll(): void {
    for (const { channel } of this.channels.values()) channel.socket.reconnectNow();
  }

  /** These conversations' sockets reconnect now (their listen key is gone). */
  reconnect(conversationIds: readonly string[]): void {
    for (const id of conversationIds) this.channels.get(id)?.channel.socket.reconnectNow();
  }

  /**
   * What the chat sockets say about the account: nothing while none is open, online while any one
   * is (a single chat's trouble shows on its own row, see `problemOf`), else the worst of them.
   */
  accountState(): ConnectionState[] {
    const states = this.states();
    return states.some((s) => s.kind === 'online') ? states.filter((s) => s.kind === 'online') : states;
  }

  /** Why the conversation's socket is not receiving right now, or undefined while it is (or has none). */
  problemOf(conversationId: string): string | undefined {
    const state = this.channels.get(conversationId)?.channel.socket.state;
    if (!state) return undefined;
    switch (state.kind) {
      case 'backoff':
      case 'auth-error':
      case 'stale':
      case 'displaced':
        return state.reason;
      default:
        return undefined;
    }
  }

  closeAll(): void {
    for (const id of this.openIds) this.close(id);
  }

  dispose(): void {
    this.closeAll();
    this.messagesEmitter.dispose();
    this.badInputEmitter.dispose();
    this.gapEmitter.dispose();
    this.changeEmitter.dispose();
    this.closedEmitter.dispose();
  }

  private close(conversationId: string): void {
    const entry = this.channels.get(conversationId);
    if (!entry) return;
    // What the socket delivered before it closed still goes out, ahead of the close.
    this.flushBurst();
    this.channels.delete(conversationId);
    entry.subscriptions.dispose();
    entry.channel.dispose();
    this.options.listenKeys.release(conversationId);
    this.closedEmitter.fire(conversationId);
    this.changeEmitter.fire();
  }

  private onFrame(channel: ChatChannel, text: string): void {
    const where = channel.where;
    const frame = decodeFrame(text);
    switch (frame.kind) {
      case 'pong':
        return;
      case 'invalid':
        this.badInputEmitter.fire({ where, detail: frame.detail });
        return;
      case 'reply': {
        // A failed reply without a method (MEXC's error shape) answers the oldest awaited send.
        if (frame.method === 'SEND_MESSAGE' || (!frame.success && channel.awaitsReplies && frame.method === '')) {
          if (!channel.takeReply({ success: frame.success, msg: frame.msg })) {
            this.badInputEmitter.fire({ where, detail: `unexpected ${frame.method || 'error'} reply: ${frame.msg}` });
          }
          return;
        }
        if (!frame.success) this.options.logger.warn(`${where}: ${frame.method} failed: ${frame.msg}`);
        return;
      }
      case 'message':
        if (frame.message.conversationId !== channel.conversationId) {
          this.badInputEmitter.fire({ where, detail: `message ${frame.message.id} names conversation ${frame.message.conversationId}` });
          return;
        }
        this.addToBurst(channel.conversationId, frame.message);
        return;
    }
  }

  private addToBurst(conversationId: string, message: MexcChatMessage): void {
    if (!this.burst) {
      this.burst = new Map();
      // A microtask, not a timer: a lone message is as fast as before, and everything the same
      // socket read delivered (ws emits its frames synchronously) is already in the burst.
      queueMicrotask(() => this.flushBurst());
    }
    const list = this.burst.get(conversationId);
    if (list) list.push(message);
    else this.burst.set(conversationId, [message]);
  }

  private flushBurst(): void {
    const burst = this.burst;
    this.burst = undefined;
    if (!burst) return;
    for (const [conversationId, messages] of burst) this.messagesEmitter.fire({ conversationId, messages });
  }
}
