// MultiWA (a self-hosted WhatsApp gateway) adapter (docs/venue-protocols.md, MultiWA).
// - Realtime over Socket.IO or the plain WebSocket API (realtime.ts), subscribed to one WhatsApp
//   profile; every (re)subscription re-reads the conversation list and backfills the chats that
//   moved, because realtime events can be lost.
// - Conversations, history (`before` row id), sends, uploads and read receipts over REST (api.ts).
// - The profile's own WhatsApp state joins the connection state: `pairing` while it waits for its
//   QR code to be scanned (each code goes out as a `pairing` event), `stale` while WhatsApp is
//   disconnected or reconnecting on the gateway.
// - Sends carry no idempotency key: an unclear send is matched in the newest history page before
//   any resend. Delivery and read come as `message:ack` with the WhatsApp id of the row.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Attachment, ChatMessage, ConnectionState, Conversation, QuotedMessage } from '../../../shared/model';
import { previewText } from '../../../shared/messagePreview';
import { systemClock, type Clock } from '../../core/clock';
import type { BackoffOptions } from '../../core/connection/backoff';
import { sameState } from '../../core/connection/connectionStates';
import { DisposableStore, Emitter, type Disposable } from '../../core/event';
import { scopedLogger, silentLogger, type Logger } from '../../core/logger';
import { VenueError, isVenueError, type Capabilities, type HistoryRequest, type LandedCheck, type OutboundMessage, type Page, type ReadMark, type SendReceipt, type UploadProgress, type UploadSource, type VenueAdapter, type VenueEvent } from '../venue';
import { MultiwaRestClient, type MultiwaConversationRow, type MultiwaMessageRow, type MultiwaSend } from './api';
import type { MultiwaAuth } from './auth';
import { outgoingStatusOf, toChatMessage } from './messageMapping';
import { gatewayRoot, MultiwaRealtime, type TransportMode } from './realtime';
import { sameChat, type RealtimeEvent } from './realtimeEvents';
import * as l10n from '@vscode/l10n';

export interface MultiwaAdapterOptions {
  readonly accountId: string;
  /** The gateway URL as the user gave it. */
  readonly baseUrl: string;
  readonly auth: MultiwaAuth;
  readonly profileId: string;
  readonly transport?: TransportMode;
  /** Where received media sent inline (data: URLs) is written, so the pane can show it as a file. */
  readonly mediaDir?: string;
  readonly pingMs?: number;
  readonly backoff?: BackoffOptions;
  /** How often the conversation list and the chats active since are re-read while connected, to catch events the gateway lost (default 30 s). */
  readonly sweepMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

const PAGE = 50;
/** Conversation pages read after each (re)subscription: the most recently active chats. */
const RESYNC_PAGES = 2;
/** A send is looked for in history from this long before it was composed (clock skew). */
const MATCH_BEFORE_MS = 60_000;
/** History pages a landed check reads back at most (a busy chat moves a page in seconds). */
const CHECK_PAGES = 10;
/** WhatsApp's own limits: 16 MB media, 100 MB documents; the gateway takes 16 MB media, 20 MB documents. */
const MAX_MEDIA_BYTES = 16 * 1024 * 1024;
const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
/** How many WhatsApp ids (for acks) and quoted texts are remembered. */
const REMEMBERED = 5000;
const RECENT_MS = 24 * 60 * 60_000;
const SWEEP_MS = 30_000;
/** Chats with realtime news read back per sweep (one history request each; the rest wait a sweep). */
const SWEEP_CHATS = 10;
/** Chats active this recently when the adapter starts are read back (FIRST_LOOKBACK_MS before their last activity). */
const RECENT_AT_START_MS = 10 * 60_000;
/** How far the first sweep of a chat after start reads back before its first live message (or its last activity). */
const FIRST_LOOKBACK_MS = 2 * 60_000;
/** History pages read back per chat and sweep at most. */
const SWEEP_PAGES = 10;
/** Chat news on the plain WebSocket API is gathered this long before the chats are read back. */
const NEWS_COALESCE_MS = 250;

interface ChatInfo {
  jid: string;
  title: string;
  lastActivity: number;
  unread: number;
  preview?: string;
}

type ProfileState = { readonly kind: 'connected' } | { readonly kind: 'pairing'; readonly detail: string } | { readonly kind: 'down'; readonly reason: string } | { readonly kind: 'unknown' };

/** A Map that forgets its oldest entries past a size. */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.has(key)) this.delete(key);
    super.set(key, value);
    if (this.size > this.limit) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return this;
  }
}

export class MultiwaAdapter implements VenueAdapter {
  readonly venue = 'multiwa' as const;
  readonly accountId: string;
  readonly capabilities: Capabilities = {
    receive: 'push',
    serverHistory: true,
    serverUnread: true,
    sendKinds: ['text', 'image', 'video', 'audio', 'file', 'location', 'contact'],
    mediaByUrl: false,
    upload: { kinds: ['image', 'video', 'audio', 'file'], maxBytes: MAX_DOCUMENT_BYTES },
    idempotentSend: false,
    readReceipts: true,
    maxTextLength: 20_000,
    historyPageLimit: PAGE,
    replies: true,
  };

  private readonly emitter = new Emitter<VenueEvent>();
  readonly events = this.emitter.event;
  private readonly disposables = new DisposableStore();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly rest: MultiwaRestClient;
  private readonly realtime: MultiwaRealtime;
  private readonly gatewayOrigin: string;
  private readonly chats = new Map<string, ChatInfo>();
  /** Row id -> conversation id, and WhatsApp id -> row id, for acks. */
  private readonly rowConversation = new BoundedMap<string, string>(REMEMBERED);
  private readonly rowByWaId = new BoundedMap<string, string>(REMEMBERED);
  private readonly quotes = new BoundedMap<string, QuotedMessage>(REMEMBERED);
  /** Rows our sends created: a read-back never gives one of them to another message. */
  private readonly ownRows = new BoundedMap<string, string>(REMEMBERED);
  private profile: ProfileState = { kind: 'unknown' };
  private pairingShown = false;
  private connectAsked = false;
  private lastState: ConnectionState = { kind: 'offline' };
  private lastSync = 0;
  private started = false;
  private sweep: Disposable | undefined;
  private readonly newsFor = new Set<string>();
  /**
   * Chats with realtime messages since the last sweep. A lost event in the middle of a burst
   * leaves the chat's newest message known, so the conversation list shows nothing moved: these
   * chats' newest history is read back at the next sweep whatever the list says.
   */
  private readonly activeSinceSweep = new Map<string, number>();
  /** The newest row time (the gateway's clock) seen in each chat. */
  private readonly newestSeen = new BoundedMap<string, number>(REMEMBERED);
  /** Chats with realtime activity since this adapter started (their first sweep reads back further). */
  private readonly activeSinceStart = new Set<string>();
  /** Chats with a realtime message on the current link: the first one makes its history read back. */
  private readonly heardOnLink = new Set<string>();
  /** The conversation list after the last (re)subscription could not be read: the sweep owes it. */
  private subscribeResyncOwed = false;
  /** The recently active chats are still to be read back once the conversation list is read after the start. */
  private startLookbackOwed = true;
  /** The read of the newest chats that unknown chats' news is waiting for (see findChat). */
  private chatListRead: Promise<void> | undefined;
  private newsTimer: Disposable | undefined;
  /** Our rows the gateway had not sent to WhatsApp when it answered (no WhatsApp id yet), by conversation. */
  private readonly awaitingWaId = new BoundedMap<string, string>(REMEMBERED);
  /** Joined to the profile on the current link. */
  private subscribed = false;
  private profileNeedsConnect = false;
  /** Status events received so far (a status read answered after one is stale). */
  private statusEvents = 0;

  constructor(private readonly options: MultiwaAdapterOptions) {
    this.accountId = options.accountId;
    this.clock = options.clock ?? systemClock;
    this.logger = scopedLogger(options.logger ?? silentLogger, 'MultiWA');
    this.gatewayOrigin = gatewayRoot(options.baseUrl).origin;
    this.rest = new MultiwaRestClient({ baseUrl: options.baseUrl, auth: options.auth, clock: this.clock, logger: this.logger });
    this.rest.onBadItem = (detail) => this.badInput('MultiWA REST', detail);
    this.realtime = this.disposables.add(
      new MultiwaRealtime({
        baseUrl: options.baseUrl,
        auth: options.auth,
        profileId: options.profileId,
        mode: options.transport ?? 'auto',
        clock: this.clock,
        logger: this.logger,
        ...(options.pingMs ? { pingMs: options.pingMs } : {}),
        ...(options.backoff ? { backoff: options.backoff } : {}),
        beforeConnect: () => this.statusBeforeConnect(),
      }),
    );
    this.disposables.add(
      this.realtime.onState((state) => {
        if (state.kind !== 'online') this.subscribed = false;
        this.publishState();
      }),
    );
    this.disposables.add(this.realtime.onProblem((detail) => this.badInput(`MultiWA realtime (${this.realtime.transport})`, detail)));
    this.disposables.add(this.realtime.onEvent((event) => void this.onRealtime(event)));
    this.disposables.add(this.realtime.onSubscribed(({ transport }) => void this.afterSubscribe(transport)));
  }

  async verify(): Promise<void> {
    const profiles = await this.rest.profiles();
    if (!profiles.some((p) => p.id === this.options.profileId)) {
      const names = profiles.map((p) => `${p.displayName ?? p.name ?? p.id} (${p.id})`).join(', ');
      throw new VenueError('auth', names ? l10n.t('this gateway has no WhatsApp profile {0} for these credentials; it has: {1}', this.options.profileId, names) : l10n.t('this gateway has no WhatsApp profile {0} for these credentials', this.options.profileId));
    }
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.startLookbackOwed = true;
    this.realtime.start();
    // Realtime events can be lost without the link dropping: a light re-read of the newest
    // conversations backfills any chat that moved unseen (one request per sweep).
    const sweepMs = this.options.sweepMs ?? SWEEP_MS;
    this.sweep = this.clock.setInterval(() => {
      if (this.realtime.state.kind !== 'online' || !this.subscribed) return;
      void this.sweepOnce();
    }, sweepMs);
  }

  async stop(): Promise<void> {
    this.started = false;
    this.sweep?.dispose();
    this.sweep = undefined;
    this.newsTimer?.dispose();
    this.newsTimer = undefined;
    this.newsFor.clear();
    this.activeSinceSweep.clear();
    this.activeSinceStart.clear();
    await this.realtime.stop();
    this.publishState();
  }

  async reconnect(): Promise<void> {
    this.connectAsked = false;
    if (!this.started) return this.start();
    this.realtime.reconnectNow();
  }

  stored(): void {
    // Nothing to acknowledge: the gateway keeps history.
  }

  async listConversations(cursor?: string): Promise<Page<Conversation>> {
    const offset = cursor && /^\d+$/.test(cursor) ? Number(cursor) : 0;
    const { conversations, total } = await this.rest.conversations(this.options.profileId, offset, PAGE);
    const items = conversations.map((row) => this.conversationOf(row));
    const next = offset + conversations.length;
    const more = conversations.length === PAGE && (total === undefined || next < total);
    return { items, ...(more ? { next: String(next) } : {}) };
  }

  async history(conversationId: string, request: HistoryRequest): Promise<Page<ChatMessage>> {
    const before = request.before ?? request.olderThan?.venueMessageId;
    const limit = Math.min(request.limit, PAGE);
    const page = await this.rest.messages(conversationId, limit, before);
    const items = this.map(page.messages, conversationId);
    const oldest = page.messages[0]?.id;
    return { items, ...(page.hasMore && oldest ? { next: oldest } : {}) };
  }

  watch(): Disposable {
    // One realtime subscription carries every chat of the profile.
    return { dispose: () => undefined };
  }

  async upload(file: UploadSource, progress: UploadProgress, signal: AbortSignal): Promise<Attachment> {
    const cap = file.kind === 'file' ? MAX_DOCUMENT_BYTES : MAX_MEDIA_BYTES;
    if (file.size > cap) throw new VenueError('rejected', file.kind === 'file' ? l10n.t('{0} is {1} MB; the gateway takes up to {2} MB for documents', file.name, (file.size / 1048576).toFixed(1), cap / 1048576) : l10n.t('{0} is {1} MB; the gateway takes up to {2} MB for photos, videos and audio', file.name, (file.size / 1048576).toFixed(1), cap / 1048576));
    const data = await readFile(file.path, { signal });
    const mimeType = file.mimeType || 'application/octet-stream';
    const uploaded = await this.rest.upload({ name: file.name, mimeType, data }, progress, signal);
    const url = new URL(uploaded.url, this.gatewayOrigin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new VenueError('rejected', l10n.t('the gateway returned an upload link the client cannot use: {0}', uploaded.url.slice(0, 200)));
    return { kind: file.kind, url: url.toString(), ref: uploaded.key ?? url.toString(), name: file.name, mimeType, size: data.length };
  }

  async send(message: OutboundMessage): Promise<SendReceipt> {
    const chat = await this.chatOf(message.conversationId);
    const request = sendRequest(message, chat.jid);
    const result = await this.rest.send(this.options.profileId, request);
    if (result.success === false || result.status === 'failed') {
      if (result.messageId) this.ownRows.set(result.messageId, message.clientMessageId);
      throw new VenueError('rejected', result.error !== undefined ? l10n.t({ message: 'WhatsApp did not take it: {0}', args: [result.error], comment: ['{0} is the gateway\'s own words.'] }) : l10n.t('WhatsApp did not take it: the gateway could not send it'));
    }
    if (!result.messageId) throw new VenueError('unknown-outcome', l10n.t('the gateway accepted the message without naming it'));
    this.ownRows.set(result.messageId, message.clientMessageId);
    this.rowConversation.set(result.messageId, message.conversationId);
    if (result.waMessageId) this.rowByWaId.set(result.waMessageId, result.messageId);
    else this.awaitingWaId.set(result.messageId, message.conversationId);
    if (result.warning) this.logger.warn(`send ${message.clientMessageId}: the gateway says "${result.warning}" (status ${result.status ?? '?'})`);
    // `pending`/`queued`: the gateway holds it for WhatsApp; `sent`: WhatsApp took it.
    return { status: result.status === 'sent' ? 'confirmed' : 'sent', venueMessageId: result.messageId, time: this.clock.now() };
  }

  async checkLanded(message: OutboundMessage): Promise<LandedCheck> {
    const chat = await this.chatOf(message.conversationId);
    const request = sendRequest(message, chat.jid);
    const since = message.composedAt - MATCH_BEFORE_MS;
    // A busy chat's newest page can be younger than the send: page back until the rows are older
    // than it could be (else the check never finds it once the chat moved on, and the user is
    // asked about a message the gateway has).
    let before: string | undefined;
    for (let pageNo = 0; pageNo < CHECK_PAGES; pageNo++) {
      const page = await this.rest.messages(message.conversationId, PAGE, before);
      for (const row of [...page.messages].reverse()) {
        if (row.direction?.toLowerCase() !== 'outgoing') continue;
        const claimedBy = this.ownRows.get(row.id);
        if (claimedBy !== undefined && claimedBy !== message.clientMessageId) continue;
        const time = rowTime(row);
        if (Number.isFinite(time) && time < since) continue;
        if (!sameContent(row, request)) continue;
        this.ownRows.set(row.id, message.clientMessageId);
        this.rowConversation.set(row.id, message.conversationId);
        return { landed: true, venueMessageId: row.id, ...(Number.isFinite(time) ? { time } : {}) };
      }
      const oldestRow = page.messages[0];
      const oldest = oldestRow ? rowTime(oldestRow) : NaN;
      // The pages reach back past the send: it is not there.
      if (!page.hasMore || !oldestRow || (Number.isFinite(oldest) && oldest < since)) return { landed: false };
      before = oldestRow.id;
    }
    // Otherwise the venue cannot tell yet.
    return { landed: 'unknown' };
  }

  async markRead(conversationId: string, _upTo: ReadMark): Promise<void> {
    const chat = await this.chatOf(conversationId);
    await this.rest.markRead(this.options.profileId, conversationId, chat.jid);
    chat.unread = 0;
  }

  dispose(): void {
    void this.stop().finally(() => this.rest.dispose());
    this.disposables.dispose();
    this.emitter.dispose();
  }

  // ---- realtime ------------------------------------------------------------------------------

  private async onRealtime(event: RealtimeEvent): Promise<void> {
    switch (event.kind) {
      case 'message': {
        if (event.conversation) this.noteConversation(event.conversation);
        else if (!this.chats.has(event.row.conversationId)) await this.chatOf(event.row.conversationId).catch(() => undefined);
        const id = event.row.conversationId;
        // From the newest row seen before this burst: a loss anywhere in it is read back.
        if (!this.activeSinceSweep.has(id)) {
          const time = rowTime(event.row);
          const seen = this.newestSeen.get(id);
          // A chat's first activity since this adapter started: a loss just before the last
          // shutdown (a crash before its sweep) is behind live messages the store already holds,
          // which the hub's backfill takes as the overlap, so its sweep reads back a while further,
          // whether or not the reads after subscribing have already seen newer rows of it.
          const lookback = (Number.isFinite(time) ? time : this.clock.now()) - FIRST_LOOKBACK_MS;
          const first = !this.activeSinceStart.has(id);
          this.activeSinceStart.add(id);
          this.activeSinceSweep.set(id, first ? Math.min(seen ?? lookback, lookback) : (seen ?? lookback));
        }
        const messages = this.map([event.row], id);
        this.lastSync = this.clock.now();
        this.emitter.fire({ type: 'messages', messages, source: 'live' });
        // The first message of a chat on this link: what was said before it (while the link was
        // down, or while the conversation list after subscribing failed) is read back now, while
        // it is still on the newest history page.
        if (!this.heardOnLink.has(id)) {
          this.heardOnLink.add(id);
          this.resyncSoon(id);
        }
        return;
      }
      case 'messageUpdate': {
        this.emitter.fire({ type: 'messages', messages: this.map([event.row], event.row.conversationId, true), source: 'live' });
        return;
      }
      case 'chatActivity': {
        const id = await this.findChat(event.jid);
        if (id) this.resyncSoon(id);
        else this.badInput('MultiWA realtime', `news from ${event.jid}, a chat the gateway does not list`);
        return;
      }
      case 'ack': {
        // A send the gateway queued learns its WhatsApp id later: read those chats to map it.
        if (!this.rowByWaId.has(event.messageId) && !this.rowConversation.has(event.messageId) && this.awaitingWaId.size > 0) await this.learnWaIds();
        const rowId = this.rowByWaId.get(event.messageId) ?? (this.rowConversation.has(event.messageId) ? event.messageId : undefined);
        const conversationId = rowId ? this.rowConversation.get(rowId) : undefined;
        const status = outgoingStatusOf(event.status);
        if (!rowId || !conversationId || !status || status === 'sent' || status === 'queued' || status === 'sending') return;
        this.emitter.fire({ type: 'messageStatus', ref: { conversationId, venueMessageId: rowId }, status, ...(status === 'failed' ? { failure: 'WhatsApp did not deliver it' } : {}) });
        return;
      }
      case 'status':
        this.statusEvents++;
        this.onProfileStatus(event.status, event.reason);
        return;
      case 'qr':
        this.onQr(event.qr);
        return;
      default:
        return;
    }
  }

  /**
   * The plain WebSocket API says only "this chat has news": a burst of messages in one chat (or
   * several) becomes one read-back per chat, not one per message.
   */
  private resyncSoon(conversationId: string): void {
    this.newsFor.add(conversationId);
    this.newsTimer ??= this.clock.setTimeout(() => {
      this.newsTimer = undefined;
      const ids = [...this.newsFor];
      this.newsFor.clear();
      if (ids.length > 0) this.emitter.fire({ type: 'resync', conversationIds: ids });
    }, NEWS_COALESCE_MS);
  }

  /**
   * One sweep: the newest conversations (those that moved unseen are backfilled), and the chats
   * with realtime messages since the last sweep, whose newest history is read back by the hub
   * (one request each, at most SWEEP_CHATS a sweep) because a lost event between two received ones
   * moves nothing in the list. A busy chat's read goes back page by page to the newest row seen
   * before its activity began, so a burst longer than one page is covered too.
   */
  private async sweepOnce(): Promise<void> {
    // A profile seen down is asked about again each sweep: the status event saying it is back can
    // be lost, or its read after subscribing refused by a rate limit, and "stale" holds every send
    // (found by the chaos soak: 976 of 1,000 sends waited for good).
    if (this.profile.kind === 'down' && this.subscribed) {
      await this.refreshProfile().catch((err: unknown) => this.logger.warn(`WhatsApp profile status (sweep): ${err instanceof Error ? err.message : String(err)}`));
    }
    const owed = this.subscribeResyncOwed;
    let moved: string[] = [];
    try {
      moved = await this.resyncConversations(owed ? RESYNC_PAGES : 1);
      this.subscribeResyncOwed = false;
      this.lookBackAtStart();
    } catch (err) {
      this.logger.warn(`conversation sweep: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (owed && !this.subscribeResyncOwed) this.emitter.fire({ type: 'resync' });
    if (moved.length > 0) this.emitter.fire({ type: 'resync', conversationIds: moved });
    for (const [id, from] of [...this.activeSinceSweep].slice(0, SWEEP_CHATS)) {
      this.activeSinceSweep.delete(id);
      try {
        await this.readBackTo(id, from);
      } catch (err) {
        const later = this.activeSinceSweep.get(id);
        this.activeSinceSweep.set(id, later === undefined ? from : Math.min(from, later));
        this.logger.warn(`history sweep of ${id}: ${err instanceof Error ? err.message : String(err)}; what the chats owe is handed to the inbox to read back`);
        this.handOverOwed();
        return;
      }
    }
  }

  /**
   * Once after the start, with the conversation list read: a realtime event lost in the last
   * moments of the previous run (its sweep never came) sits below messages the store holds, where
   * no backfill looks, and a chat that stays quiet brings no live message to start a read-back.
   * So the chats active lately are read back by the sweep from a while before their last activity.
   */
  private lookBackAtStart(): void {
    if (!this.startLookbackOwed) return;
    this.startLookbackOwed = false;
    const now = this.clock.now();
    for (const [id, chat] of this.chats) {
      if (chat.lastActivity < now - RECENT_AT_START_MS) continue;
      this.activeSinceStart.add(id);
      const from = chat.lastActivity - FIRST_LOOKBACK_MS;
      const owed = this.activeSinceSweep.get(id);
      this.activeSinceSweep.set(id, owed === undefined ? from : Math.min(owed, from));
    }
  }

  /**
   * The gateway failed a sweep's read (a rate limit, a 5xx). What each chat owes would live only in
   * this process until a later sweep succeeds, and a restart meanwhile would lose it (the long soak,
   * seed 1506380356: each process's sweeps refused, then killed, 4 lost). Each is handed to the hub
   * as a readable hole instead: marked in the store, so the next start reads below it too, and read
   * back with the hub's own retries.
   */
  private handOverOwed(): void {
    const now = this.clock.now();
    for (const [id, from] of this.activeSinceSweep) this.emitter.fire({ type: 'gap', conversationId: id, from, to: now, readable: true });
    this.activeSinceSweep.clear();
  }

  /** Reads a chat's history newest first until it reaches rows from before `from` (the gateway's time). */
  private async readBackTo(conversationId: string, from: number): Promise<void> {
    let before: string | undefined;
    let oldestRead = this.clock.now();
    for (let page = 0; page < SWEEP_PAGES; page++) {
      const result = await this.rest.messages(conversationId, PAGE, before);
      const messages = this.map(result.messages, conversationId);
      if (messages.length > 0) this.emitter.fire({ type: 'messages', messages, source: 'backfill' });
      const oldest = result.messages[0];
      const oldestTime = Date.parse(String(oldest?.timestamp ?? oldest?.createdAt ?? ''));
      // Rows sharing a timestamp can straddle pages: read until strictly older than `from`.
      if (!result.hasMore || !oldest || !Number.isFinite(oldestTime) || oldestTime < from) return;
      oldestRead = oldestTime;
      before = oldest.id;
    }
    // The rest goes to the hub, which marks the hole and reads it back as long as it takes.
    this.logger.warn(`history sweep of ${conversationId}: ${SWEEP_PAGES} pages did not reach back to ${new Date(from).toISOString()}; the rest is read back as a hole`);
    this.emitter.fire({ type: 'gap', conversationId, from, to: oldestRead, readable: true });
  }

  /** Re-reads the newest conversations and backfills those that moved. */
  private async catchUp(): Promise<void> {
    try {
      const moved = await this.resyncConversations(RESYNC_PAGES);
      if (moved.length > 0) this.emitter.fire({ type: 'resync', conversationIds: moved });
    } catch (err) {
      this.logger.warn(`conversation list after WhatsApp reconnected: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Reads the newest rows of the chats with sends still waiting for their WhatsApp id. */
  private async learnWaIds(): Promise<void> {
    for (const conversationId of new Set(this.awaitingWaId.values())) {
      const page = await this.rest.messages(conversationId, 20).catch(() => undefined);
      if (!page) continue;
      const messages = this.map(page.messages, conversationId);
      this.emitter.fire({ type: 'messages', messages, source: 'backfill' });
    }
  }

  private async afterSubscribe(transport: string): Promise<void> {
    this.logger.info(`subscribed to WhatsApp profile ${this.options.profileId} over ${transport === 'socketio' ? 'Socket.IO' : 'the plain WebSocket API'}`);
    this.lastSync = this.clock.now();
    this.subscribed = true;
    this.heardOnLink.clear();
    // The profile's status read before connecting may be stale by now: a change made before the
    // gateway took the subscription came as an event to nobody. Read it again (one request).
    void this.refreshProfile().catch((err: unknown) => this.logger.warn(`WhatsApp profile status after subscribing: ${err instanceof Error ? err.message : String(err)}`));
    this.publishState();
    this.connectProfileIfSubscribed();
    // Whatever was said while the link was down (or before it first opened) is read back.
    // The first time, the hub backfills what matters now (open and recently active chats); after
    // that, the chats whose activity moved while the link was down.
    const firstTime = this.chats.size === 0;
    const moved = await this.resyncConversations(RESYNC_PAGES).catch((err: unknown) => {
      this.logger.warn(`conversation list after subscribing: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    // Unread (a 429 can hold the route for a minute): the next sweep reads it and backfills the
    // open and recently active chats, instead of nothing ever catching up what was said meanwhile.
    this.subscribeResyncOwed = moved === undefined;
    if (moved) this.lookBackAtStart();
    this.emitter.fire({ type: 'resync', ...(moved && !firstTime ? { conversationIds: moved } : {}) });
  }

  /** Re-reads the newest conversations; returns those whose activity moved since last known. */
  private async resyncConversations(pages: number): Promise<string[]> {
    const moved: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < pages; i++) {
      const before = new Map([...this.chats].map(([id, c]) => [id, c.lastActivity] as const));
      const page = await this.listConversations(cursor);
      for (const c of page.items) {
        this.emitter.fire({ type: 'conversation', conversation: c });
        const known = before.get(c.conversationId);
        if (known === undefined || c.lastActivity > known) moved.push(c.conversationId);
      }
      if (!page.next) break;
      cursor = page.next;
    }
    return moved;
  }

  // ---- profile state -------------------------------------------------------------------------

  /**
   * The profile's status before a link opens. A 429 on the status route (its Retry-After can be a
   * minute) does not keep the link down: the status is read again once subscribed, and meanwhile
   * messages arrive. A refused credential still stops the connection.
   */
  private async statusBeforeConnect(): Promise<void> {
    try {
      await this.refreshProfile();
    } catch (err) {
      if (!isVenueError(err) || err.kind !== 'rate-limit') throw err;
      this.logger.info(`WhatsApp profile status before connecting: ${err.message}; connecting anyway`);
    }
  }

  private async refreshProfile(): Promise<void> {
    const events = this.statusEvents;
    const status = await this.rest.profileStatus(this.options.profileId);
    // A status event that came while the read was under way is newer than its answer.
    if (this.statusEvents !== events) return;
    this.onProfileStatus(status.status ?? 'unknown');
  }

  private onProfileStatus(status: string, reason?: string): void {
    const s = status.toLowerCase();
    if (s === 'connected') {
      if (this.profile.kind === 'pairing' || this.pairingShown) this.emitter.fire({ type: 'pairing', state: 'paired' });
      // Back from pairing or a WhatsApp outage: chats may have appeared or moved meanwhile.
      if (this.profile.kind !== 'connected' && this.profile.kind !== 'unknown' && this.subscribed) void this.catchUp();
      this.pairingShown = false;
      this.connectAsked = false;
      this.profileNeedsConnect = false;
      this.profile = { kind: 'connected' };
    } else if (s.startsWith('reconnecting') || s === 'connecting') {
      this.profile = this.pairingShown ? this.profile : { kind: 'down', reason: l10n.t({ message: 'WhatsApp is {0} on the gateway', args: [s], comment: ['{0} is the gateway\'s status word, untranslated (e.g. connecting).'] }) };
    } else if (s === 'disconnected' || s === 'qr' || s === 'unknown' || s === 'no_engine') {
      // Logged out or never paired: ask the gateway to start the profile, which yields a QR code.
      this.profile = this.pairingShown ? this.profile : { kind: 'down', reason: reason ? l10n.t('WhatsApp is disconnected on the gateway ({0})', reason) : l10n.t('WhatsApp is disconnected on the gateway') };
      this.profileNeedsConnect = true;
      this.connectProfileIfSubscribed();
    } else {
      this.profile = { kind: 'down', reason: reason ? l10n.t('WhatsApp on the gateway: {0} ({1})', s, reason) : l10n.t('WhatsApp on the gateway: {0}', s) };
    }
    this.publishState();
  }

  /**
   * Asks the gateway once per episode to start a disconnected profile, which makes it issue QR
   * codes; only once subscribed, because the codes come over the realtime channel only.
   */
  private connectProfileIfSubscribed(): void {
    if (!this.profileNeedsConnect || this.connectAsked || !this.started || !this.subscribed) return;
    this.connectAsked = true;
    void this.rest.connectProfile(this.options.profileId).then(
      (answer) => this.logger.info(`asked the gateway to connect the WhatsApp profile: ${answer ?? 'no answer'}`),
      (err: unknown) => {
        this.connectAsked = false;
        this.logger.warn(`could not ask the gateway to connect the profile: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  }

  private onQr(qr: string): void {
    const image = /^data:image\/(png|svg\+xml|jpeg);base64,[A-Za-z0-9+/=]+$/.test(qr);
    this.pairingShown = true;
    this.profile = { kind: 'pairing', detail: l10n.t('scan the QR code with WhatsApp on the phone (Linked devices → Link a device)') };
    this.emitter.fire({
      type: 'pairing',
      state: 'needed',
      ...(image ? { qrDataUrl: qr } : { detail: l10n.t('the gateway sent a pairing code that is not an image; open the gateway dashboard to scan it') }),
    });
    this.publishState();
  }

  private publishState(): void {
    const socket = this.realtime.state;
    let state: ConnectionState = socket;
    // Online once the gateway has taken the subscription: before, the profile's events may not reach us.
    if (socket.kind === 'online' && !this.subscribed) state = { kind: 'connecting' };
    else if (socket.kind === 'online') {
      if (this.profile.kind === 'pairing') state = { kind: 'pairing', reason: l10n.t('WhatsApp profile needs pairing: {0}', this.profile.detail) };
      else if (this.profile.kind === 'down') state = { kind: 'stale', lastSync: this.lastSync || this.clock.now(), reason: this.profile.reason };
    }
    if (sameState(state, this.lastState)) return;
    this.lastState = state;
    this.emitter.fire({ type: 'connectionState', state });
  }

  // ---- conversations and rows ----------------------------------------------------------------

  private conversationOf(row: MultiwaConversationRow): Conversation {
    const info = this.noteConversation(row);
    return {
      venue: 'multiwa',
      accountId: this.accountId,
      conversationId: row.id,
      title: info.title,
      ...(row.type === 'group' ? { subtitle: l10n.t({ message: 'group', comment: ['The subtitle of a WhatsApp group chat in the inbox.'] }) } : phoneSubtitle(row.jid, info.title)),
      lastActivity: info.lastActivity,
      unread: info.unread,
      active: info.unread > 0 || this.clock.now() - info.lastActivity < RECENT_MS,
      ...(info.preview ? { preview: info.preview } : {}),
    };
  }

  private noteConversation(row: MultiwaConversationRow): ChatInfo {
    const last = Date.parse(String(row.lastMessageAt ?? ''));
    const lastRow = typeof row.lastMessage === 'object' && row.lastMessage !== null ? row.lastMessage : undefined;
    let preview: string | undefined;
    if (lastRow) {
      const parsed = this.map([{ ...(lastRow as Record<string, unknown>), conversationId: row.id } as MultiwaMessageRow], row.id, false, false)[0];
      if (parsed) preview = previewText(parsed);
    }
    const info: ChatInfo = {
      jid: row.jid,
      title: row.name || row.contactName || row.contactPhone || phoneSubtitle(row.jid, '').subtitle || row.jid,
      lastActivity: Number.isFinite(last) ? last : (this.chats.get(row.id)?.lastActivity ?? 0),
      unread: row.unreadCount ?? 0,
      ...(preview ? { preview } : {}),
    };
    this.chats.set(row.id, info);
    return info;
  }

  private async chatOf(conversationId: string): Promise<ChatInfo> {
    const known = this.chats.get(conversationId);
    if (known) return known;
    return this.noteConversation(await this.rest.conversation(conversationId));
  }

  /**
   * The conversation of `jid`, reading the newest chats when it is not known yet. One read at a time
   * is shared by every caller: a burst of news from a new chat (each message is news) reads the list
   * once or twice, not once per message. A caller that finds a read already running waits for it
   * and, if its chat is still missing (the read may have started before the chat existed), joins or
   * starts the next one.
   */
  private async findChat(jid: string): Promise<string | undefined> {
    const known = this.conversationByJid(jid);
    if (known) return known;
    const running = this.chatListRead;
    if (running) {
      await running;
      const found = this.conversationByJid(jid);
      if (found) return found;
    }
    await (this.chatListRead ??= this.resyncConversations(1).then(
      () => undefined,
      () => undefined,
    ).finally(() => {
      this.chatListRead = undefined;
    }));
    return this.conversationByJid(jid);
  }

  private conversationByJid(jid: string): string | undefined {
    for (const [id, chat] of this.chats) if (sameChat(chat.jid, jid)) return id;
    return undefined;
  }

  /** Rows -> messages; remembers ids for acks and texts for quotes; reports unreadable parts. */
  private map(rows: readonly MultiwaMessageRow[], conversationId: string, edited = false, remember = true): ChatMessage[] {
    const problems: string[] = [];
    const chat = this.chats.get(conversationId);
    const out: ChatMessage[] = [];
    for (const row of rows) {
      const message = toChatMessage({ ...row, conversationId: row.conversationId || conversationId }, {
        accountId: this.accountId,
        gatewayOrigin: this.gatewayOrigin,
        ...(chat ? { conversationName: chat.title } : {}),
        now: this.clock.now(),
        mediaUrl: (raw, mimeType) => this.mediaUrl(raw, mimeType, problems),
        quoted: (rowId) => this.quotes.get(rowId),
        problems,
      }, edited);
      if (remember) {
        this.rowConversation.set(row.id, message.conversationId);
        const time = rowTime(row);
        if (Number.isFinite(time) && time > (this.newestSeen.get(message.conversationId) ?? -Infinity)) this.newestSeen.set(message.conversationId, time);
        if (row.messageId && !row.messageId.startsWith('pending_')) {
          this.rowByWaId.set(row.messageId, row.id);
          this.awaitingWaId.delete(row.id);
        }
        const excerpt = message.text ?? previewText(message);
        this.quotes.set(row.id, { venueMessageId: row.id, ...(message.direction === 'out' ? { fromUs: true } : message.senderName ? { senderName: message.senderName } : {}), ...(excerpt ? { text: excerpt.slice(0, 200) } : {}) });
        const clientId = this.ownRows.get(row.id);
        out.push(clientId && message.direction === 'out' ? { ...message, clientMessageId: clientId } : message);
      } else out.push(message);
    }
    for (const p of problems) this.badInput('MultiWA message', p);
    return out;
  }

  /** Media the gateway sends inline (a data: URL) is written to the account's media folder once. */
  private mediaUrl(raw: string, mimeType: string | undefined, problems: string[]): string | undefined {
    if (!raw.startsWith('data:')) return raw;
    const dir = this.options.mediaDir;
    const match = /^data:([\w.+/-]+)?(;[\w=.-]+)*;base64,([A-Za-z0-9+/=\s]+)$/.exec(raw);
    if (!dir || !match) {
      if (!match) problems.push('inline media that is not base64 data');
      return undefined;
    }
    const bytes = Buffer.from(match[3]!, 'base64');
    if (bytes.length === 0 || bytes.length > MAX_DOCUMENT_BYTES) {
      problems.push(`inline media of ${bytes.length} bytes was not kept`);
      return undefined;
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    const file = join(dir, `${hash}${extensionOf(match[1] ?? mimeType)}`);
    try {
      if (!existsSync(file)) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, bytes, { mode: 0o600 });
      }
    } catch (err) {
      problems.push(`inline media could not be saved: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    return pathToFileURL(file).toString();
  }

  private badInput(where: string, detail: string): void {
    this.emitter.fire({ type: 'badInput', where, detail });
  }
}

/** A row's time on the gateway's clock (NaN when it has none). */
function rowTime(row: MultiwaMessageRow): number {
  return Date.parse(String(row.timestamp ?? row.createdAt ?? ''));
}

function phoneSubtitle(jid: string, title: string): { subtitle?: string } {
  const user = jid.split('@')[0] ?? '';
  const phone = /^\d{5,20}$/.test(user) ? `+${user}` : undefined;
  return phone && phone !== title ? { subtitle: phone } : {};
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'video/mp4': '.mp4',
  'audio/ogg': '.ogg',
  'audio/mpeg': '.mp3',
  'audio/mp4': '.m4a',
  'application/pdf': '.pdf',
};

function extensionOf(mimeType: string | undefined): string {
  const base = mimeType?.split(';')[0]?.trim().toLowerCase();
  return (base && EXTENSIONS[base]) ?? '.bin';
}

/** What `POST /messages/<kind>` gets for one of our messages. */
export function sendRequest(message: OutboundMessage, to: string): MultiwaSend {
  const caption = message.text.trim() ? { caption: message.text } : {};
  const a = message.attachment;
  const mimetype = a?.mimeType ? { mimetype: a.mimeType } : {};
  switch (message.kind) {
    case 'text':
      return message.quote?.venueMessageId ? { kind: 'reply', quotedMessageId: message.quote.venueMessageId, text: message.text } : { kind: 'text', to, text: message.text };
    case 'image':
    case 'video':
      return { kind: message.kind, to, url: mediaLink(message), ...caption, ...mimetype };
    case 'audio':
      return { kind: 'audio', to, url: mediaLink(message), ...mimetype, ...(a?.voiceNote ? { ptt: true } : {}) };
    case 'file':
      return { kind: 'document', to, url: mediaLink(message), filename: a?.name ?? 'file', ...caption, ...mimetype };
    case 'location': {
      if (message.payload?.type !== 'location') throw new VenueError('rejected', l10n.t('a location message without coordinates'));
      const { latitude, longitude, name, address } = message.payload;
      return { kind: 'location', to, latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) };
    }
    case 'contact': {
      if (message.payload?.type !== 'contact') throw new VenueError('rejected', l10n.t('a contact message without a contact'));
      const contacts = message.payload.contacts.filter((c) => c.name && c.phone).map((c) => ({ name: c.name!, phone: c.phone!, ...(c.email ? { email: c.email } : {}) }));
      if (contacts.length === 0) throw new VenueError('rejected', l10n.t('WhatsApp contact cards need a name and a phone number'));
      return { kind: 'contact', to, contacts };
    }
    default:
      throw new VenueError('rejected', l10n.t('MultiWA cannot send {0} messages', message.kind));
  }
}

function mediaLink(message: OutboundMessage): string {
  const url = message.attachment?.url;
  if (!url) throw new VenueError('rejected', l10n.t('the {0} has no uploaded file to send', message.kind));
  return url;
}

/** Whether an outgoing row is the message a send request made. */
function sameContent(row: MultiwaMessageRow, request: MultiwaSend): boolean {
  const f = (typeof row.content === 'object' && row.content !== null ? row.content : {}) as Record<string, unknown>;
  const type = (row.type ?? '').toLowerCase();
  switch (request.kind) {
    case 'text':
    case 'reply':
      return type === 'text' && f['text'] === request.text;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
      return type === request.kind && f['url'] === request.url;
    case 'location':
      return type === 'location' && Number(f['latitude']) === request.latitude && Number(f['longitude']) === request.longitude;
    case 'contact':
      return type === 'contact' && f['name'] === request.contacts[0]?.name;
  }
}
