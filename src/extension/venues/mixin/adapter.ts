// Mixin Messenger bot adapter (docs/venue-protocols.md, Mixin).
// - One Blaze connection (blaze.ts): `LIST_PENDING_MESSAGES` after every connect, then pushes.
// - Mixin keeps no history for bots: whatever is pushed is stored by the hub, and only once the
//   hub says it is durably stored (`stored()`) is it acknowledged (REST `/acknowledgements`,
//   batched): a crash between receipt and storage means a redelivery, never a loss, and
//   redeliveries are the same `message_id`, so they de-duplicate in the store.
// - Conversations are learnt from messages; titles from the sender's profile (`GET /users/:id`).
// - Sends carry our client id as `message_id` (the idempotency key), go over Blaze when it is
//   open (several within a moment as one `CREATE_PLAIN_MESSAGES` of ≤ 100) or REST otherwise;
//   receipts (`ACKNOWLEDGE_MESSAGE_RECEIPT`) move them to delivered and read.
// - Attachments: `POST /attachments`, then PUT the bytes to the pre-signed URL (the outbox's
//   upload stage), then the message references `attachment_id`.
import { readFile } from 'node:fs/promises';
import type { Attachment, ChatMessage, ConnectionState, Conversation } from '../../../shared/model';
import { previewText } from '../../../shared/messagePreview';
import { systemClock, type Clock } from '../../core/clock';
import type { BackoffOptions } from '../../core/connection/backoff';
import { DisposableStore, Emitter, type Disposable } from '../../core/event';
import { scopedLogger, silentLogger, type Logger } from '../../core/logger';
import type { AccountStateStore } from '../descriptor';
import { VenueError, type Capabilities, type StickerChoice, type HistoryRequest, type LandedCheck, type OutboundMessage, type Page, type ReadMark, type SendReceipt, type UploadProgress, type UploadSource, type VenueAdapter, type VenueEvent } from '../venue';
import { MixinRestClient, type MixinOutgoing } from './api';
import { MixinSigner } from './auth';
import { BlazeConnection } from './blaze';
import { messageIdFor, uniqueConversationId } from './conversationId';
import { imageSize } from '../imageSize';
import type { MixinKeystore } from './keystore';
import { messageViewOf, toChatMessage, toMixinPayload, type MixinMessageView } from './messageMapping';
import * as l10n from '@vscode/l10n';

export interface MixinAdapterOptions {
  readonly accountId: string;
  readonly keystore: MixinKeystore;
  readonly endpoints: { readonly rest: string; readonly blaze: string };
  readonly replyTimeoutMs?: number;
  readonly staleAfterMs?: number;
  readonly backoff?: BackoffOptions;
  /** Acknowledgements are gathered this long before one REST call (default 200 ms). */
  readonly ackDelayMs?: number;
  /** Where the account keeps the stickers it saw lately (to send them again). */
  readonly state?: AccountStateStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** Mixin takes at most 100 messages, and 128 KB, in one `CREATE_PLAIN_MESSAGES` or `POST /messages`. */
const MAX_BATCH = 100;
/** The messages' JSON, with room left under 128 KB for the request envelope. */
const MAX_BATCH_BYTES = 120 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Sends made within this window go out as one CREATE_PLAIN_MESSAGES. */
const BATCH_WINDOW_MS = 15;
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

interface QueuedSend {
  readonly message: MixinOutgoing;
  resolve(): void;
  reject(err: unknown): void;
}

export class MixinAdapter implements VenueAdapter {
  readonly venue = 'mixin' as const;
  readonly accountId: string;
  readonly capabilities: Capabilities = {
    receive: 'push',
    serverHistory: false,
    serverUnread: false,
    // Videos and audio go out as files: Mixin's video and voice messages must state a duration
    // (and a video its size), which the client cannot read from the file without a decoder.
    sendKinds: ['text', 'markdown', 'image', 'file', 'sticker', 'contact', 'location'],
    // A Mixin contact card shares a Mixin user (by id), not a phone number.
    contactBy: 'venueUser',
    mediaByUrl: false,
    upload: { kinds: ['image', 'file'], maxBytes: MAX_UPLOAD_BYTES },
    idempotentSend: true,
    readReceipts: false,
    maxTextLength: 20_000,
    maxBatch: MAX_BATCH,
  };

  private readonly emitter = new Emitter<VenueEvent>();
  readonly events = this.emitter.event;
  private readonly disposables = new DisposableStore();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly rest: MixinRestClient;
  private readonly blaze: BlazeConnection;
  private readonly conversations = new Map<string, Conversation>();
  private readonly names = new Map<string, Promise<string | undefined>>();
  private readonly stickerPictures = new Map<string, Promise<string | undefined>>();
  private stickers: StickerChoice[];
  private readonly toAck = new Set<string>();
  private ackTimer: Disposable | undefined;
  private batch: QueuedSend[] = [];
  private batchTimer: Disposable | undefined;
  private flushing = false;
  private ackFailures = 0;
  private disposed = false;
  private lastState: ConnectionState = { kind: 'offline' };

  constructor(private readonly options: MixinAdapterOptions) {
    this.accountId = options.accountId;
    this.clock = options.clock ?? systemClock;
    this.logger = scopedLogger(options.logger ?? silentLogger, 'Mixin');
    this.stickers = readStickers(options.state?.get(STICKERS_KEY));
    const signer = new MixinSigner(options.keystore);
    this.rest = new MixinRestClient({ baseUrl: options.endpoints.rest, signer, clock: this.clock, logger: this.logger });
    this.blaze = this.disposables.add(
      new BlazeConnection({
        url: options.endpoints.blaze,
        token: () => this.rest.blazeToken(),
        clock: this.clock,
        logger: this.logger,
        ...(options.replyTimeoutMs ? { replyTimeoutMs: options.replyTimeoutMs } : {}),
        ...(options.staleAfterMs ? { staleAfterMs: options.staleAfterMs } : {}),
        ...(options.backoff ? { backoff: options.backoff } : {}),
      }),
    );
    this.disposables.add(
      this.blaze.onState((state) => {
        this.lastState = state;
        this.emitter.fire({ type: 'connectionState', state });
      }),
    );
    this.disposables.add(this.blaze.onPush((frame) => void this.onPush(frame.action, frame.data)));
    this.disposables.add(this.blaze.onProblem((detail) => this.emitter.fire({ type: 'badInput', where: 'Mixin Blaze', detail })));
  }

  async verify(): Promise<void> {
    const me = await this.rest.me();
    if (me.user_id !== this.options.keystore.appId) throw new VenueError('auth', l10n.t('the keystore\'s app_id {0} is not the bot Mixin answers as ({1})', this.options.keystore.appId, me.user_id));
  }

  start(): Promise<void> {
    this.blaze.start();
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    await this.flushAcks();
    this.ackTimer?.dispose();
    this.ackTimer = undefined;
    this.batchTimer?.dispose();
    this.batchTimer = undefined;
    for (const q of this.batch.splice(0)) q.reject(new VenueError('unavailable', l10n.t('the account stopped before the message left')));
    await this.blaze.stop();
  }

  reconnect(): Promise<void> {
    this.blaze.reconnectNow();
    return Promise.resolve();
  }

  /** The hub stored these durably: now Mixin may forget them (acknowledged in batches). */
  stored(messages: readonly ChatMessage[]): void {
    for (const m of messages) if (m.direction !== 'out' && m.venueMessageId) this.toAck.add(m.venueMessageId);
    if (this.toAck.size === 0 || this.ackTimer) return;
    this.ackTimer = this.clock.setTimeout(() => {
      this.ackTimer = undefined;
      void this.flushAcks();
    }, this.options.ackDelayMs ?? 200);
  }

  listConversations(): Promise<Page<Conversation>> {
    return Promise.resolve({ items: [...this.conversations.values()] });
  }

  history(_conversationId: string, _request: HistoryRequest): Promise<Page<ChatMessage>> {
    // Mixin keeps no history for bots: the store is the history.
    return Promise.resolve({ items: [] });
  }

  watch(): Disposable {
    return { dispose: () => undefined };
  }

  async upload(file: UploadSource, progress: UploadProgress, signal: AbortSignal): Promise<Attachment> {
    const bytes = await readFile(file.path, { signal });
    // An image message must state its size; an image whose header cannot be read goes as a file.
    const size = file.kind === 'image' ? imageSize(bytes) : undefined;
    const kind = file.kind === 'image' && !size ? 'file' : file.kind === 'image' ? 'image' : 'file';
    const created = await this.rest.createAttachment();
    if (!created.upload_url) throw new VenueError('unavailable', l10n.t('Mixin gave no upload URL for the attachment'));
    await this.rest.putAttachment(created.upload_url, bytes, progress, signal);
    return { kind, ref: created.attachment_id, ...(created.view_url ? { url: created.view_url } : {}), name: file.name, mimeType: file.mimeType || 'application/octet-stream', size: bytes.length, ...(size ?? {}) };
  }

  /**
   * Mixin's view links are pre-signed for an hour, so the stored one has usually lapsed: the
   * attachment id (`ref`) is asked for a fresh link (`GET /attachments/:id`) right before a download.
   */
  async attachmentUrl(message: ChatMessage, attachment: Attachment): Promise<string> {
    if (message.accountId !== this.accountId) throw new VenueError('rejected', l10n.t('the message belongs to another account'));
    if (!attachment.ref) throw new VenueError('rejected', l10n.t('the attachment has no Mixin attachment id'));
    const info = await this.rest.attachment(attachment.ref);
    const url = info.view_url ? safeHttpUrl(info.view_url) : undefined;
    if (!url) throw new VenueError('unavailable', l10n.t('Mixin gave no usable view link for attachment {0}', attachment.ref));
    return url;
  }

  async send(message: OutboundMessage): Promise<SendReceipt> {
    return (await this.sendBatch([message]))[0]!;
  }

  /**
   * Over Blaze when it is open: sends made within a moment (this batch, and other conversations'
   * sends) go out together as `CREATE_PLAIN_MESSAGES` of ≤ 100 messages and ≤ 128 KB, in order.
   * Otherwise `POST /messages` in the same bounds. Either way all-or-nothing per call.
   */
  async sendBatch(messages: readonly OutboundMessage[]): Promise<readonly SendReceipt[]> {
    // Encoded first: a message Mixin cannot take refuses the batch before anything leaves.
    const outgoing = messages.map((m) => this.toOutgoing(m));
    for (const m of messages) if (m.payload?.type === 'sticker') this.rememberSticker(m.payload);
    if (this.blaze.isOpen) {
      // Every part settles before the answer (a failed part is sent again under the same ids, which Mixin de-duplicates).
      const failed = (await Promise.allSettled(outgoing.map((o) => this.enqueue(o)))).find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    } else for (const chunk of batches(outgoing)) await this.rest.sendMessages(chunk);
    // The reply means Mixin stored them under our ids: that is the venue's evidence.
    const time = this.clock.now();
    return outgoing.map((o) => ({ status: 'confirmed', venueMessageId: o.message_id, time }));
  }

  private toOutgoing(message: OutboundMessage): MixinOutgoing {
    const { category, dataBase64 } = toMixinPayload(message);
    return {
      conversation_id: message.conversationId,
      message_id: messageIdFor(message.clientMessageId),
      category,
      data_base64: dataBase64,
      ...(message.quote?.venueMessageId ? { quote_message_id: message.quote.venueMessageId } : {}),
    };
  }

  checkLanded(): Promise<LandedCheck> {
    // No way to read a message back; the message id makes a resend harmless.
    return Promise.resolve({ landed: 'unknown' });
  }

  /** The contact conversation with a user: its id is derived from both user ids, and it is created on Mixin first. */
  async startConversation(userId: string): Promise<Conversation> {
    if (!UUID.test(userId)) throw new VenueError('rejected', l10n.t('a Mixin user id is a UUID (the number shown in the app is the identity number, not the id)'));
    const conversationId = uniqueConversationId(this.options.keystore.appId, userId.toLowerCase());
    await this.rest.createContactConversation(conversationId, userId.toLowerCase());
    const name = await this.rest.user(userId).then((u) => u.full_name ?? undefined, () => undefined);
    const conversation: Conversation = {
      venue: 'mixin',
      accountId: this.accountId,
      conversationId,
      title: name ?? l10n.t({ message: 'Mixin user {0}', args: [userId.slice(0, 8)], comment: ['A conversation title when Mixin gave no name; {0} is the start of the user id.'] }),
      lastActivity: this.conversations.get(conversationId)?.lastActivity ?? this.clock.now(),
      unread: 0,
      active: true,
    };
    this.conversations.set(conversationId, conversation);
    this.emitter.fire({ type: 'conversation', conversation });
    return conversation;
  }

  recentStickers(): readonly StickerChoice[] {
    return this.stickers;
  }

  markRead(_conversationId: string, _upTo: ReadMark): Promise<void> {
    // Received messages are acknowledged (READ) once stored; there is nothing more to tell Mixin.
    return Promise.resolve();
  }

  dispose(): void {
    this.disposed = true;
    void this.stop().finally(() => this.rest.dispose());
    this.disposables.dispose();
    this.emitter.dispose();
  }

  // ---- sending -------------------------------------------------------------------------------

  private enqueue(message: MixinOutgoing): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.batch.push({ message, resolve, reject });
      this.batchTimer ??= this.clock.setTimeout(() => void this.flushBatches(), BATCH_WINDOW_MS);
    });
  }

  /** One request at a time, so Mixin receives the messages in the order they were sent. */
  private async flushBatches(): Promise<void> {
    this.batchTimer?.dispose();
    this.batchTimer = undefined;
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.batch.length > 0) {
        const size = batches(this.batch.map((q) => q.message))[0]!.length;
        const batch = this.batch.splice(0, size);
        try {
          if (batch.length === 1) await this.blaze.request('CREATE_MESSAGE', batch[0]!.message);
          else await this.blaze.request('CREATE_PLAIN_MESSAGES', { messages: batch.map((q) => q.message) });
          for (const q of batch) q.resolve();
        } catch (err) {
          for (const q of batch) q.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  // ---- receiving -----------------------------------------------------------------------------

  private async onPush(action: string | undefined, data: unknown): Promise<void> {
    if (typeof data !== 'object' || data === null) return;
    const view = data as Partial<MixinMessageView> & { source?: string; status?: string };
    if (action === 'ACKNOWLEDGE_MESSAGE_RECEIPT' || view.source === 'ACKNOWLEDGE_MESSAGE_RECEIPT') {
      if (!view.message_id || !view.conversation_id) return;
      const status = view.status === 'READ' ? 'read' : view.status === 'DELIVERED' ? 'delivered' : undefined;
      if (status) this.emitter.fire({ type: 'messageStatus', ref: { conversationId: view.conversation_id, venueMessageId: view.message_id }, status });
      return;
    }
    if (action !== 'CREATE_MESSAGE') return;
    const pushed = messageViewOf(data);
    if (!pushed) {
      this.emitter.fire({ type: 'badInput', where: 'Mixin message', detail: 'a pushed message without its ids or category' });
      return;
    }
    const problems: string[] = [];
    const message = toChatMessage(pushed, { accountId: this.accountId, appId: this.options.keystore.appId, now: this.clock.now(), problems });
    for (const p of problems) this.emitter.fire({ type: 'badInput', where: 'Mixin message', detail: p });
    const named = await this.withContactName(await this.withStickerPicture(await this.withMediaLinks(message.direction === 'in' ? await this.withSender(message, pushed.user_id) : message)));
    if (named.payload?.type === 'sticker') this.rememberSticker(named.payload);
    this.learnConversation(named);
    this.emitter.fire({ type: 'messages', messages: [named], source: view.source === 'LIST_PENDING_MESSAGES' ? 'backfill' : 'live' });
  }

  /** A received image, file or audio names its attachment; its (expiring) view link comes from `GET /attachments/:id`. */
  private async withMediaLinks(message: ChatMessage): Promise<ChatMessage> {
    const attachments = message.attachments;
    if (!attachments?.some((a) => a.ref && !a.url)) return message;
    const resolved = await Promise.all(
      attachments.map(async (a) => {
        if (!a.ref || a.url) return a;
        try {
          const info = await this.rest.attachment(a.ref);
          const url = info.view_url ? safeHttpUrl(info.view_url) : undefined;
          if (!url) return a;
          const expiresAt = linkExpiry(url);
          return { ...a, url, ...(expiresAt ? { expiresAt } : {}) };
        } catch (err) {
          // The thumbnail (if any) still shows; the link can be fetched again later.
          this.logger.warn(`attachment ${a.ref}: ${err instanceof Error ? err.message : String(err)}`);
          return a;
        }
      }),
    );
    return { ...message, attachments: resolved };
  }

  /** A sticker shows its picture: `GET /stickers/:id` names it (once per sticker; none when Mixin does not). */
  private async withStickerPicture(message: ChatMessage): Promise<ChatMessage> {
    const payload = message.payload;
    if (payload?.type !== 'sticker' || payload.url || !payload.stickerId) return message;
    const id = payload.stickerId;
    let picture = this.stickerPictures.get(id);
    if (!picture) {
      picture = this.rest.sticker(id).then(
        (s) => (s.asset_url ? safeHttpUrl(s.asset_url) : undefined),
        (err: unknown) => {
          this.logger.warn(`sticker ${id}: ${err instanceof Error ? err.message : String(err)}`);
          this.stickerPictures.delete(id);
          return undefined;
        },
      );
      this.stickerPictures.set(id, picture);
    }
    const url = await picture;
    return url ? { ...message, payload: { ...payload, url } } : message;
  }

  private rememberSticker(sticker: StickerChoice): void {
    const same = (s: StickerChoice) => (sticker.stickerId ? s.stickerId === sticker.stickerId : !s.stickerId && s.name === sticker.name && s.albumId === sticker.albumId);
    const known = this.stickers.find(same);
    const entry: StickerChoice = {
      ...(sticker.stickerId ? { stickerId: sticker.stickerId } : {}),
      ...(sticker.name ?? known?.name ? { name: sticker.name ?? known?.name } : {}),
      ...(sticker.albumId ?? known?.albumId ? { albumId: sticker.albumId ?? known?.albumId } : {}),
      ...(sticker.url ?? known?.url ? { url: sticker.url ?? known?.url } : {}),
    };
    // Already the newest, unchanged (a redelivery, or the same sticker again): nothing to write.
    if (known && this.stickers[0] === known && JSON.stringify(known) === JSON.stringify(entry)) return;
    // A counterparty's sticker ids are untrusted: only well-formed ones are offered again.
    this.stickers = readStickers([entry, ...this.stickers.filter((s) => !same(s))]);
    void this.options.state?.set(STICKERS_KEY, this.stickers).catch((err: unknown) => this.logger.warn(`keeping the recent stickers failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  private async withSender(message: ChatMessage, userId: string): Promise<ChatMessage> {
    const senderName = await this.nameOf(userId);
    return senderName ? { ...message, senderName } : message;
  }

  /** A contact card names a Mixin user by id only: the card shows the user's name too. */
  private async withContactName(message: ChatMessage): Promise<ChatMessage> {
    const payload = message.payload;
    const card = payload?.type === 'contact' ? payload.contacts[0] : undefined;
    if (payload?.type !== 'contact' || !card?.userId || card.name || !UUID.test(card.userId)) return message;
    const name = await this.nameOf(card.userId);
    return name ? { ...message, payload: { ...payload, contacts: [{ ...card, name }, ...payload.contacts.slice(1)] } } : message;
  }

  /** A user's full name from `GET /users/:id`, asked once per user (none when Mixin does not say). */
  private nameOf(userId: string): Promise<string | undefined> {
    let name = this.names.get(userId);
    if (!name) {
      name = this.rest.user(userId).then(
        (u) => u.full_name ?? undefined,
        () => {
          this.names.delete(userId); // asked again next time
          return undefined;
        },
      );
      this.names.set(userId, name);
    }
    return name;
  }

  private learnConversation(message: ChatMessage): void {
    const known = this.conversations.get(message.conversationId);
    if (known && known.lastActivity >= message.time) return;
    const conversation: Conversation = {
      venue: 'mixin',
      accountId: this.accountId,
      conversationId: message.conversationId,
      title: known?.title ?? message.senderName ?? l10n.t({ message: 'Mixin chat {0}', args: [message.conversationId.slice(0, 8)], comment: ['A conversation title when Mixin gave no name; {0} is the start of the conversation id.'] }),
      lastActivity: message.time,
      unread: 0,
      active: true,
      preview: previewText(message),
    };
    const title = message.direction === 'in' && message.senderName ? message.senderName : conversation.title;
    const next = { ...conversation, title };
    this.conversations.set(message.conversationId, next);
    this.emitter.fire({ type: 'conversation', conversation: next });
  }

  private async flushAcks(): Promise<void> {
    if (this.toAck.size === 0) return;
    const ids = [...this.toAck];
    this.toAck.clear();
    try {
      await this.rest.acknowledge(ids);
      this.ackFailures = 0;
    } catch (err) {
      // Not acknowledged: they stay pending at Mixin (pushed again on the next connect, which the
      // store de-duplicates), so try again after a while rather than wait for a reconnect.
      this.ackFailures += 1;
      const retryAfter = err instanceof VenueError ? (err.retryAfterMs ?? 0) : 0;
      const wait = Math.max(retryAfter, Math.min(30_000, 500 * 2 ** Math.min(this.ackFailures, 6)));
      this.logger.warn(`acknowledging ${ids.length} messages failed (trying again in ${wait} ms): ${err instanceof Error ? err.message : String(err)}`);
      if (this.disposed) return;
      for (const id of ids) this.toAck.add(id);
      this.ackTimer?.dispose();
      this.ackTimer = this.clock.setTimeout(() => {
        this.ackTimer = undefined;
        void this.flushAcks();
      }, wait);
    }
  }

  /** The connection state last reported (for tests and logs). */
  get state(): ConnectionState {
    return this.lastState;
  }
}

/** Consecutive groups within Mixin's per-call bounds (count and bytes), in order. */
export function batches(messages: readonly MixinOutgoing[]): MixinOutgoing[][] {
  const out: MixinOutgoing[][] = [];
  let current: MixinOutgoing[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = Buffer.byteLength(JSON.stringify(m)) + 1;
    if (current.length > 0 && (current.length >= MAX_BATCH || bytes + size > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

const STICKERS_KEY = 'recentStickers';
const MAX_RECENT_STICKERS = 24;
const STICKER_REF = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The stickers kept in the account state (written by this adapter, but checked: state files can be edited). */
function readStickers(value: unknown): StickerChoice[] {
  if (!Array.isArray(value)) return [];
  const out: StickerChoice[] = [];
  for (const item of value.slice(0, MAX_RECENT_STICKERS)) {
    if (typeof item !== 'object' || item === null) continue;
    const { stickerId, name, albumId, url } = item as Record<string, unknown>;
    const id = typeof stickerId === 'string' && STICKER_REF.test(stickerId) ? stickerId : undefined;
    const album = typeof albumId === 'string' && STICKER_REF.test(albumId) ? albumId : undefined;
    const label = typeof name === 'string' && name.length <= 200 ? name : undefined;
    if (!id && !(label && album)) continue;
    const picture = typeof url === 'string' ? safeHttpUrl(url) : undefined;
    out.push({ ...(id ? { stickerId: id } : {}), ...(label ? { name: label } : {}), ...(album ? { albumId: album } : {}), ...(picture ? { url: picture } : {}) });
  }
  return out;
}

function safeHttpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** When a pre-signed link stops working: S3's X-Amz-Date + X-Amz-Expires, or an `expires` in ms or s. */
export function linkExpiry(link: string): number | undefined {
  const url = new URL(link);
  const amzDate = url.searchParams.get('X-Amz-Date');
  const amzExpires = Number(url.searchParams.get('X-Amz-Expires'));
  if (amzDate && Number.isFinite(amzExpires) && amzExpires > 0) {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (m) return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) + amzExpires * 1000;
  }
  const expires = Number(url.searchParams.get('expires') ?? url.searchParams.get('Expires'));
  if (!Number.isFinite(expires) || expires <= 0) return undefined;
  return expires > 1e12 ? expires : expires * 1000;
}
