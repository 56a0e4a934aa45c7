// Binance C2C on the venue contract (docs/venue-protocols.md, Binance). The adapter wires:
// - orderSync.ts: orders in progress and recent history -> conversations with order context;
// - one chat socket per user for every order's chat, with a fresh single-use credential before
//   every connect; `Bye` (another client took the session) -> `displaced`, no reconnect fight;
// - sends over the socket with our client id as `uuid`: confirmed only by the echo with that
//   uuid, failed by an `error` frame; without an echo in time the outcome is unknown and the
//   landed check reads the history back before any resend;
// - history pages (newest first, `id` cursor), mark read, image upload through a pre-signed URL.
import { readFile } from 'node:fs/promises';
import type { Attachment, ChatMessage, ConnectionState, Conversation } from '../../../shared/model';
import { systemClock, type Clock } from '../../core/clock';
import { worstState, sameState } from '../../core/connection/connectionStates';
import { ReconnectingSocket, type CloseVerdict } from '../../core/connection/reconnectingSocket';
import { DisposableStore, Emitter, type Disposable } from '../../core/event';
import { scopedLogger, silentLogger, type Logger } from '../../core/logger';
import type { SecretSink } from '../descriptor';
import { VenueError, type Capabilities, type HistoryRequest, type LandedCheck, type OutboundMessage, type Page, type ReadMark, type SendReceipt, type UploadProgress, type UploadSource, type VenueAdapter, type VenueEvent } from '../venue';
import { smallestId } from '../messageIds';
import { BinanceRestClient, type BinanceCredentials } from './api';
import { ImageUrlQuota } from './imageQuota';
import { toChatMessage } from './messageMapping';
import { applyPushedStatus, createBinanceOrderSync, type BinanceOrderSync } from './orderSync';
import { decodeFrame, encodeImage, encodeText, type PushedMessage } from './stream';
import * as l10n from '@vscode/l10n';

const ORDER_POLL_MS = 15_000;
const ORDER_POLL_FAST_MS = 5000;
/** A history read-back looks at this many newest messages for our uuid. */
const LANDED_CHECK_ROWS = 50;
/** How far back a landed check reads (pages of LANDED_CHECK_ROWS), and the clock difference it allows for. */
const LANDED_CHECK_PAGES = 20;
const LANDED_CLOCK_MARGIN_MS = 60_000;

export interface BinanceAdapterOptions {
  readonly accountId: string;
  readonly credentials: BinanceCredentials;
  readonly endpoints: { readonly rest: string };
  /** WebSocket ping interval (default 30 s, as Binance clients do). */
  readonly heartbeatMs?: number;
  readonly orderPollMs?: number;
  readonly orderPollFastMs?: number;
  /** How long a send waits for its echo (default 10 s). */
  readonly echoTimeoutMs?: number;
  /** Pre-signed image URLs per minute (Binance: 36). */
  readonly imageUploadsPerMinute?: number;
  /** After a `Bye`, wait this long before trying again on our own (default 10 min). */
  readonly displacedRetryMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Where listen keys and tokens are registered for redaction the moment they exist. */
  readonly redactor?: SecretSink;
}

export const BINANCE_CAPABILITIES: Capabilities = {
  receive: 'push',
  serverHistory: true,
  serverUnread: false,
  sendKinds: ['text', 'image'],
  mediaByUrl: false,
  upload: { kinds: ['image'], maxBytes: 10 * 1024 * 1024, extensions: ['jpg', 'jpeg', 'png'] },
  idempotentSend: false,
  readReceipts: true,
  maxTextLength: 2000,
  historyPageLimit: 100,
};

interface PendingSend {
  resolve(echo: PushedMessage): void;
  reject(err: VenueError): void;
}

export class BinanceAdapter implements VenueAdapter {
  readonly venue = 'binance' as const;
  readonly capabilities = BINANCE_CAPABILITIES;
  readonly accountId: string;

  private readonly emitter = new Emitter<VenueEvent>();
  readonly events = this.emitter.event;

  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly disposables = new DisposableStore();
  private readonly rest: BinanceRestClient;
  private readonly orders: BinanceOrderSync;
  private readonly imageQuota: ImageUrlQuota;
  private readonly socket: ReconnectingSocket;
  /** Sends waiting for their echo, by uuid (= our client message id). */
  private readonly pending = new Map<string, PendingSend>();
  /** Messages decoded in this tick, until the microtask that emits them as one batch. */
  private burst: PushedMessage[] | undefined;
  /** A `Bye` arrived on the current connection: its close means another client took the session. */
  private byeSeen = false;
  private started = false;
  /** The socket was open before: its next open is a reconnect. */
  private socketWasOpen = false;
  private baseline: Disposable | undefined;
  private lastState: ConnectionState = { kind: 'offline' };

  constructor(private readonly options: BinanceAdapterOptions) {
    this.accountId = options.accountId;
    this.clock = options.clock ?? systemClock;
    this.logger = scopedLogger(options.logger ?? silentLogger, 'Binance');
    this.rest = new BinanceRestClient({ baseUrl: options.endpoints.rest, credentials: options.credentials, clock: this.clock, logger: this.logger });
    this.imageQuota = new ImageUrlQuota(this.clock, options.imageUploadsPerMinute);
    this.rest.onBadItem = (detail) => this.emitter.fire({ type: 'badInput', where: 'Binance chat history', detail });
    const pollMs = options.orderPollMs ?? ORDER_POLL_MS;
    this.orders = this.disposables.add(
      createBinanceOrderSync({
        accountId: options.accountId,
        api: this.rest,
        intervals: { fastMs: Math.min(options.orderPollFastMs ?? ORDER_POLL_FAST_MS, pollMs), normalMs: pollMs, idleMs: pollMs },
        clock: this.clock,
        logger: this.logger,
      }),
    );
    const heartbeatMs = options.heartbeatMs ?? 30_000;
    this.socket = new ReconnectingSocket({
      name: 'Binance chat',
      clock: this.clock,
      logger: this.logger,
      heartbeat: { intervalMs: heartbeatMs, staleAfterMs: heartbeatMs * 2 + 5000 },
      displacedRetryMs: options.displacedRetryMs,
      // Every connect takes a fresh credential: the listen token is single-use.
      resolveTarget: async () => {
        const credential = await this.rest.chatCredential();
        this.options.redactor?.addSecret(credential.listenKey);
        this.options.redactor?.addSecret(credential.listenToken);
        this.byeSeen = false;
        const url = new URL(`${credential.chatWssUrl.replace(/\/+$/, '')}/${encodeURIComponent(credential.listenKey)}`);
        url.searchParams.set('token', credential.listenToken);
        url.searchParams.set('clientType', 'web');
        return { url: url.toString() };
      },
      onUpgradeRejected: (status): CloseVerdict => ({ action: 'retry', reason: status === 401 ? l10n.t('Binance refused the chat token (HTTP 401); taking a fresh one') : l10n.t('Binance refused the chat connection (HTTP {0})', status) }),
      classifyClose: (): CloseVerdict | undefined => (this.byeSeen ? { action: 'displaced', reason: l10n.t('another Binance client (the app, a browser or another tool) took the chat session') } : undefined),
    });
    this.disposables.add(this.socket.onMessage((text) => this.onFrame(text)));
    this.disposables.add(this.socket.onBadInput((detail) => this.emitter.fire({ type: 'badInput', where: 'Binance chat', detail })));
    this.disposables.add(
      this.socket.onState((state) => {
        if (state.kind !== 'online') this.failPending(l10n.t('the Binance chat connection dropped before the echo came; checking the history before any resend'));
        // A reopened socket missed whatever was pushed while it was down: the hub reads it back.
        if (state.kind === 'online' && this.socketWasOpen) this.emitter.fire({ type: 'resync' });
        if (state.kind === 'online') this.socketWasOpen = true;
        this.publishState();
      }),
    );
    this.disposables.add(this.orders.poller.onState(() => this.publishState()));
    this.disposables.add(this.orders.onConversation((conversation) => this.emitter.fire({ type: 'conversation', conversation })));
  }

  get connectionState(): ConnectionState {
    return this.lastState;
  }

  async verify(): Promise<void> {
    // A signed C2C call: proves key, secret, clock and the C2C permission.
    await this.rest.chatCredential();
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.baseline = this.orders.poller.hold('normal');
    this.socket.start();
    await this.orders.poller.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.baseline?.dispose();
    this.baseline = undefined;
    this.failPending(l10n.t('the Binance account was stopped before the echo came; checking the history before any resend'));
    this.socket.stop();
    await this.orders.poller.stop();
    this.publishState();
  }

  async reconnect(): Promise<void> {
    if (!this.started) return this.start();
    this.socket.reconnectNow();
    await this.orders.poller.pollNow();
  }

  stored(): void {
    // Binance needs no receipt: a missed push is read back from history after a reconnect.
  }

  listConversations(cursor?: string): Promise<Page<Conversation>> {
    return this.orders.listPage(cursor);
  }

  async history(conversationId: string, request: HistoryRequest): Promise<Page<ChatMessage>> {
    const rows = Math.min(request.limit, 100);
    const olderThanId = request.before ?? request.olderThan?.venueMessageId;
    const page = await this.rest.chatMessages({ orderNo: conversationId, page: 1, rows, ...(olderThanId ? { olderThanId } : {}) });
    const problems: string[] = [];
    const now = this.clock.now();
    const items = page.messages.map((m) => toChatMessage(m, { accountId: this.accountId, orderNo: conversationId, now, problems }));
    this.report(conversationId, problems);
    const oldest = smallestId(page.messages.map((m) => m.id));
    return page.messages.length === rows && oldest ? { items, next: oldest } : { items };
  }

  watch(_conversationId: string): Disposable {
    // One socket carries every chat; a pane only asks for fresher order states.
    return this.orders.poller.hold('fast');
  }

  async upload(file: UploadSource, progress: UploadProgress, signal: AbortSignal): Promise<Attachment> {
    if (file.kind !== 'image') throw new VenueError('rejected', l10n.t('Binance chats take images only'));
    const bytes = await readFile(file.path, { signal });
    this.imageQuota.take();
    let target: { uploadUrl: string; imageUrl: string };
    try {
      target = await this.rest.preSignedUrl(safeImageName(file.name));
    } catch (err) {
      throw err instanceof VenueError && err.kind === 'rate-limit' ? ImageUrlQuota.venueRefused(err.retryAfterMs, this.options.imageUploadsPerMinute) : err;
    }
    await this.rest.putImage(target.uploadUrl, bytes, file.mimeType || 'image/jpeg', (sent, total) => progress(sent, total), signal);
    return { kind: 'image', url: target.imageUrl, name: file.name, mimeType: file.mimeType, size: bytes.length };
  }

  async send(message: OutboundMessage): Promise<SendReceipt> {
    const uuid = message.clientMessageId;
    const createTime = this.clock.now();
    let frame: string;
    if (message.kind === 'image') {
      const url = message.attachment?.url;
      if (!url) throw new VenueError('rejected', l10n.t('an image message needs its uploaded image'));
      frame = encodeImage({ uuid, orderNo: message.conversationId, imageUrl: url, thumbnailUrl: message.attachment?.thumbUrl, imageType: imageTypeOf(message.attachment), width: message.attachment?.width, height: message.attachment?.height, createTime });
    } else if (message.kind === 'text') {
      frame = encodeText({ uuid, orderNo: message.conversationId, content: message.text, createTime });
    } else {
      throw new VenueError('rejected', l10n.t('Binance chats cannot carry a {0} message', message.kind));
    }
    if (!this.socket.isOpen) throw new VenueError('unavailable', l10n.t('the Binance chat connection is not open'));
    const echo = new Promise<PushedMessage>((resolve, reject) => this.pending.set(uuid, { resolve, reject }));
    const timer = this.clock.setTimeout(() => this.settle(uuid, new VenueError('unknown-outcome', l10n.t('Binance did not echo the message in time; checking the history before any resend'))), this.options.echoTimeoutMs ?? 10_000);
    try {
      if (!this.socket.send(frame)) {
        this.pending.delete(uuid);
        throw new VenueError('unavailable', l10n.t('the Binance chat connection is not open'));
      }
      const m = await echo;
      return { status: 'confirmed', venueMessageId: m.id, time: m.createTime };
    } finally {
      timer.dispose();
      this.pending.delete(uuid);
    }
  }

  /**
   * Whether an unanswered send reached the chat: its uuid in our messages, paging back (newest
   * first) until the messages are older than the send could be (a minute before its compose time,
   * for the clocks' difference). One page was not enough in a busy chat: the answer was "cannot
   * tell" and the user was asked about a message Binance had (found by the chaos soak).
   */
  async checkLanded(message: OutboundMessage): Promise<LandedCheck> {
    for (let page = 1; page <= LANDED_CHECK_PAGES; page++) {
      const { messages } = await this.rest.chatMessages({ orderNo: message.conversationId, page, rows: LANDED_CHECK_ROWS });
      const mine = messages.find((m) => m.self === true && m.uuid === message.clientMessageId);
      if (mine) return { landed: true, venueMessageId: mine.id, time: mine.createTime };
      const oldest = messages.reduce((min, m) => Math.min(min, m.createTime), Infinity);
      // A short page is the start of the chat; past the compose time the send cannot be further back.
      if (messages.length < LANDED_CHECK_ROWS || oldest < message.composedAt - LANDED_CLOCK_MARGIN_MS) return { landed: false };
    }
    return { landed: 'unknown' };
  }

  async markRead(conversationId: string, _upTo: ReadMark): Promise<void> {
    await this.rest.markOrderRead(conversationId);
  }

  dispose(): void {
    void this.stop().finally(() => this.rest.dispose());
    this.socket.dispose();
    this.disposables.dispose();
    this.emitter.dispose();
  }

  // ---- wiring --------------------------------------------------------------------------------

  private onFrame(text: string): void {
    const frame = decodeFrame(text);
    switch (frame.kind) {
      case 'bye':
        this.byeSeen = true;
        this.logger.warn('Binance said Bye: another client took the chat session');
        return;
      case 'pong':
        return;
      case 'ping':
        this.socket.send(JSON.stringify({ type: 'pong' }));
        return;
      case 'invalid':
        this.emitter.fire({ type: 'badInput', where: 'Binance chat', detail: frame.detail });
        return;
      case 'error': {
        const reason = frame.reason === 'ILLEGAL_PARAM' ? l10n.t('Binance refused the message (ILLEGAL_PARAM): this API key may lack the merchant chat permission') : l10n.t('Binance refused the message: {0}', frame.reason);
        if (frame.uuid && this.settle(frame.uuid, new VenueError('rejected', reason))) return;
        this.logger.warn(reason);
        return;
      }
      case 'message':
        if (frame.message.self && frame.message.uuid) this.pending.get(frame.message.uuid)?.resolve(frame.message);
        if (frame.message.type === 'system') this.applySystem(frame.message);
        this.addToBurst(frame.message);
        return;
    }
  }

  private applySystem(m: PushedMessage): void {
    try {
      const content: unknown = JSON.parse(m.content ?? '');
      if (typeof content !== 'object' || content === null) return;
      const status = (content as { orderStatus?: unknown; status?: unknown }).orderStatus ?? (content as { status?: unknown }).status;
      if (typeof status === 'string' || typeof status === 'number') applyPushedStatus(this.orders, m.orderNo, String(status));
    } catch {
      // Not JSON: shown as the system line it is, the next order poll brings the state.
    }
  }

  private addToBurst(m: PushedMessage): void {
    if (!this.burst) {
      this.burst = [];
      queueMicrotask(() => this.flushBurst());
    }
    this.burst.push(m);
  }

  private flushBurst(): void {
    const burst = this.burst;
    this.burst = undefined;
    if (!burst || burst.length === 0) return;
    const problems: string[] = [];
    const now = this.clock.now();
    const messages = burst.map((m) => toChatMessage(m, { accountId: this.accountId, orderNo: m.orderNo, now, problems }));
    this.report('chat', problems);
    this.emitter.fire({ type: 'messages', messages, source: 'live' });
  }

  private report(where: string, problems: readonly string[]): void {
    for (const detail of problems) this.emitter.fire({ type: 'badInput', where: `Binance ${where}`, detail });
  }

  /** Settles a pending send; false when none waited under that uuid. */
  private settle(uuid: string, err: VenueError): boolean {
    const p = this.pending.get(uuid);
    if (!p) return false;
    this.pending.delete(uuid);
    p.reject(err);
    return true;
  }

  private failPending(message: string): void {
    for (const uuid of [...this.pending.keys()]) this.settle(uuid, new VenueError('unknown-outcome', message));
  }

  private publishState(): void {
    const next = this.started ? worstState([this.orders.poller.state, this.socket.state]) : { kind: 'offline' as const };
    if (sameState(next, this.lastState)) return;
    this.lastState = next;
    this.emitter.fire({ type: 'connectionState', state: next });
  }
}

function imageTypeOf(a: Attachment | undefined): string {
  const fromMime = a?.mimeType?.match(/^image\/(\w+)/)?.[1];
  if (fromMime) return fromMime === 'jpg' ? 'jpeg' : fromMime;
  const ext = (a?.name ?? a?.url ?? '').match(/\.(\w+)(?:\?|$)/)?.[1]?.toLowerCase();
  return ext === 'png' ? 'png' : 'jpeg';
}

/** The name Binance stores the image under: the file's name, reduced to safe characters. */
function safeImageName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(-100);
  return /\.(jpe?g|png)$/i.test(cleaned) ? cleaned : `${cleaned || 'image'}.jpg`;
}
