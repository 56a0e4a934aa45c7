// An in-test venue with everything MEXC lacks: server history with cursors, its own unread counts,
// an upload API, delivery statuses and failures reported after acceptance. FakeVenueBackend is the
// "server" (what the counterparty and the venue hold); FakeAdapter is a faithful adapter for it,
// so the spine's paths (backfill, paging, uploads, status events) are proven without a network.
import { readFile } from 'node:fs/promises';
import type { Attachment, ChatMessage, ConnectionState, Conversation } from '../../../src/shared/model';
import { messageKey } from '../../../src/shared/model';
import type { Clock } from '../../../src/extension/core/clock';
import { Poller } from '../../../src/extension/core/connection/poller';
import { Emitter } from '../../../src/extension/core/event';
import {
  VenueError,
  type Capabilities,
  type HistoryRequest,
  type LandedCheck,
  type OutboundMessage,
  type Page,
  type ReadMark,
  type SendReceipt,
  type UploadProgress,
  type UploadSource,
  type VenueAdapter,
  type VenueEvent,
} from '../../../src/extension/venues/venue';

export interface BackendMessage {
  readonly id: string;
  readonly conversationId: string;
  readonly self: boolean;
  readonly text: string;
  readonly time: number;
  readonly clientMessageId?: string;
  readonly attachmentRef?: string;
}

export class FakeVenueBackend {
  private nextId = 1000;
  private clockMs = 0;
  readonly messages = new Map<string, BackendMessage[]>();
  readonly unread = new Map<string, number>();
  readonly uploads: { ref: string; name: string; bytes: number }[] = [];
  readonly historyCalls: { conversationId: string; request: HistoryRequest }[] = [];
  readonly readMarks: { conversationId: string; upTo: ReadMark }[] = [];
  /** Listeners of the live feed (the adapter while "connected"). */
  readonly live = new Emitter<BackendMessage>();

  /** Venue time: real time, but strictly increasing (and `ms` apart) so ordering is unambiguous. */
  tick(ms = 1): number {
    this.clockMs = Math.max(Date.now(), this.clockMs + ms);
    return this.clockMs;
  }

  add(conversationId: string, text: string, options: { self?: boolean; clientMessageId?: string; attachmentRef?: string } = {}): BackendMessage {
    const m: BackendMessage = { id: String(this.nextId++), conversationId, self: options.self ?? false, text, time: this.tick(), clientMessageId: options.clientMessageId, attachmentRef: options.attachmentRef };
    const list = this.messages.get(conversationId) ?? [];
    list.push(m);
    this.messages.set(conversationId, list);
    if (!m.self) this.unread.set(conversationId, (this.unread.get(conversationId) ?? 0) + 1);
    this.live.fire(m);
    return m;
  }

  /** Newest first, `limit` per page, cursor = id of the oldest message returned. */
  page(conversationId: string, request: HistoryRequest): { items: BackendMessage[]; next?: string } {
    this.historyCalls.push({ conversationId, request });
    const all = [...(this.messages.get(conversationId) ?? [])].reverse();
    let start = 0;
    const from = request.before ?? request.olderThan?.venueMessageId;
    if (from !== undefined) {
      const i = all.findIndex((m) => Number(m.id) < Number(from));
      start = i < 0 ? all.length : i;
    }
    const items = all.slice(start, start + request.limit);
    const more = start + request.limit < all.length;
    return more && items.length > 0 ? { items, next: items[items.length - 1]!.id } : { items };
  }

  count(conversationId: string, text: string): number {
    return (this.messages.get(conversationId) ?? []).filter((m) => m.text === text).length;
  }
}

export interface FakeAdapterOptions {
  readonly accountId?: string;
  /** Receive by polling the backend on the core poller (like Bybit) instead of a live feed. */
  readonly poll?: boolean;
  readonly clock?: Clock;
  readonly capabilities?: Partial<Capabilities>;
  /** Echo our own sends on the live feed (with the client id). */
  readonly echo?: boolean;
}

export const FAKE_CAPABILITIES: Capabilities = {
  receive: 'push',
  serverHistory: true,
  serverUnread: true,
  sendKinds: ['text', 'image', 'file'],
  mediaByUrl: false,
  upload: { kinds: ['image', 'file'], maxBytes: 1_000_000 },
  idempotentSend: false,
  readReceipts: true,
  maxTextLength: 1000,
  historyPageLimit: 50,
};

export class FakeAdapter implements VenueAdapter {
  readonly venue = 'bybit' as const;
  readonly accountId: string;
  readonly capabilities: Capabilities;
  private readonly emitter = new Emitter<VenueEvent>();
  readonly events = this.emitter.event;
  readonly storedBatches: string[][] = [];
  readonly sent: OutboundMessage[] = [];
  readonly watched: string[] = [];
  connected = false;
  sendScript: Array<(m: OutboundMessage) => Promise<SendReceipt>> = [];
  private liveSub: { dispose(): void } | undefined;
  private poller: Poller | undefined;
  private idleLease: { dispose(): void } | undefined;
  private polledUpTo = 0;

  constructor(
    readonly backend: FakeVenueBackend,
    private readonly options: FakeAdapterOptions = {},
  ) {
    this.accountId = options.accountId ?? 'fake';
    this.capabilities = { ...FAKE_CAPABILITIES, ...(options.poll ? { receive: 'poll' as const } : {}), ...options.capabilities };
  }

  /** One poll: everything the backend holds past what was seen, as one batch. */
  private async pollOnce(): Promise<{ activity: boolean }> {
    if (!this.connected) throw new VenueError('unavailable', 'the venue cannot be reached');
    const fresh = [...this.backend.messages.values()].flat().filter((m) => Number(m.id) > this.polledUpTo).sort((a, b) => Number(a.id) - Number(b.id));
    if (fresh.length === 0) return { activity: false };
    this.polledUpTo = Number(fresh[fresh.length - 1]!.id);
    this.emitter.fire({ type: 'messages', messages: fresh.map((m) => this.map(m)), source: 'live' });
    return { activity: true };
  }

  emit(event: VenueEvent): void {
    this.emitter.fire(event);
  }

  async verify(): Promise<void> {}

  async start(): Promise<void> {
    if (!this.options.poll) {
      this.goOnline();
      return;
    }
    this.connected = true;
    this.polledUpTo = Math.max(0, ...[...this.backend.messages.values()].flat().map((m) => Number(m.id)));
    const poller = new Poller({ name: 'fake poll', run: () => this.pollOnce(), intervals: { fastMs: 20, normalMs: 50, idleMs: 200 }, staleAfterFailures: 2, maxBackoffMs: 200, clock: this.options.clock });
    this.poller = poller;
    poller.onState((state) => this.setState(state));
    this.idleLease = poller.hold('idle');
    await poller.start();
  }

  async stop(): Promise<void> {
    this.drop();
    this.idleLease?.dispose();
    await this.poller?.stop();
    this.poller?.dispose();
    this.poller = undefined;
    this.setState({ kind: 'offline' });
  }

  async reconnect(): Promise<void> {
    this.drop();
    this.goOnline();
  }

  /** The connection breaks: nothing arrives live until `goOnline()`. */
  drop(): void {
    if (this.options.poll) {
      this.connected = false; // polls fail until goOnline()
      return;
    }
    this.liveSub?.dispose();
    this.liveSub = undefined;
    if (this.connected) this.setState({ kind: 'backoff', until: Date.now() + 1000, reason: 'test drop' });
    this.connected = false;
  }

  goOnline(): void {
    if (this.options.poll) {
      this.connected = true;
      void this.poller?.pollNow();
      return;
    }
    if (this.connected) return;
    this.connected = true;
    this.liveSub = this.backend.live.event((m) => this.emitter.fire({ type: 'messages', messages: [this.map(m)], source: 'live' }));
    this.setState({ kind: 'online', since: Date.now() });
  }

  /** Announces a conversation with the venue's own unread count. */
  announce(conversationId: string, title = `Chat ${conversationId}`, active = true): void {
    const last = this.backend.messages.get(conversationId)?.at(-1);
    const conversation: Conversation = {
      venue: this.venue,
      accountId: this.accountId,
      conversationId,
      title,
      lastActivity: last?.time ?? 1,
      unread: this.backend.unread.get(conversationId) ?? 0,
      active,
    };
    this.emitter.fire({ type: 'conversation', conversation });
  }

  stored(messages: readonly ChatMessage[]): void {
    this.storedBatches.push(messages.map((m) => m.key));
  }

  async listConversations(): Promise<Page<Conversation>> {
    return { items: [] };
  }

  async history(conversationId: string, request: HistoryRequest): Promise<Page<ChatMessage>> {
    if (!this.connected) throw new VenueError('unavailable', 'not connected');
    const page = this.backend.page(conversationId, request);
    return { items: page.items.map((m) => this.map(m)), next: page.next };
  }

  watch(conversationId: string): { dispose(): void } {
    this.watched.push(conversationId);
    // A pane open: poll fast while it shows the chat.
    const lease = this.poller?.hold('fast');
    return {
      dispose: () => {
        lease?.dispose();
        this.watched.splice(this.watched.indexOf(conversationId), 1);
      },
    };
  }

  async upload(file: UploadSource, progress: UploadProgress, signal: AbortSignal): Promise<Attachment> {
    if (signal.aborted) throw new VenueError('unavailable', 'aborted');
    const bytes = await readFile(file.path);
    progress(Math.floor(bytes.length / 2), bytes.length);
    progress(bytes.length, bytes.length);
    const ref = `obj-${this.backend.uploads.length + 1}`;
    this.backend.uploads.push({ ref, name: file.name, bytes: bytes.length });
    return { kind: file.kind, ref, name: file.name, size: bytes.length, mimeType: file.mimeType };
  }

  async send(message: OutboundMessage): Promise<SendReceipt> {
    this.sent.push(message);
    const step = this.sendScript.shift();
    if (step) return step(message);
    if (!this.connected) throw new VenueError('unavailable', 'not connected');
    const m = this.backend.add(message.conversationId, message.text, { self: true, clientMessageId: this.options.echo ? message.clientMessageId : undefined, attachmentRef: message.attachment?.ref });
    return { status: 'sent', venueMessageId: m.id };
  }

  async checkLanded(message: OutboundMessage): Promise<LandedCheck> {
    const hit = (this.backend.messages.get(message.conversationId) ?? []).find((m) => m.self && m.text === message.text && m.time >= message.composedAt - 60_000);
    return hit ? { landed: true, venueMessageId: hit.id } : { landed: false };
  }

  async markRead(conversationId: string, upTo: ReadMark): Promise<void> {
    this.backend.readMarks.push({ conversationId, upTo });
    this.backend.unread.set(conversationId, 0);
  }

  dispose(): void {
    void this.stop();
    this.emitter.dispose();
  }

  map(m: BackendMessage): ChatMessage {
    return {
      key: messageKey(this.venue, this.accountId, m.conversationId, m.id),
      venue: this.venue,
      accountId: this.accountId,
      conversationId: m.conversationId,
      venueMessageId: m.id,
      clientMessageId: m.clientMessageId,
      direction: m.self ? 'out' : 'in',
      kind: m.attachmentRef ? 'image' : 'text',
      text: m.text,
      attachments: m.attachmentRef ? [{ kind: 'image', ref: m.attachmentRef }] : undefined,
      senderName: m.self ? undefined : 'Counterparty',
      time: m.time,
      status: m.self ? 'confirmed' : undefined,
    };
  }

  private setState(state: ConnectionState): void {
    this.emitter.fire({ type: 'connectionState', state });
  }
}
