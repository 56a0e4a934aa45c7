// The Binance C2C emulator: one HTTP server for REST, the pre-signed upload target, images and the
// chat WebSocket; a seeded store, single-use chat tokens, the scripted counterparty and the fault
// switches. Its public methods are the typed test hooks (the control API exposes the same).
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { VenueEmulatorBase, type EmulatorOptions } from '../util/emulatorBase';
import { takeArmed } from '../util/faults';
import { closeReason, noteEchoed } from '../util/secretEcho';
import type { TrackedServer } from '../util/http';
import { SandboxInputError, parseInput } from '../util/input';
import type { MediaFile } from '../util/media';
import { seededRandom } from '../util/random';
import { SlidingWindowLimiter } from '../util/rateLimiter';
import { MAX_TEXT_LENGTH, messageItem, type OrderKeyField, type SendRequest } from './chatProtocol';
import { ChatSocketHub, type ChatSession, type SendVerdict, type SessionInfo } from './chatSocket';
import { planReply } from './counterparty';
import { BinanceErrors, type BinanceErrorReply } from './errors';
import { faultRequestSchema, type FaultRequest, type FaultState } from './faults';
import type { FrameRecord, RequestRecord } from './records';
import { handleRestRequest, type Credential, type PresignResult } from './rest';
import { buildSeededStore, makeCounterparty, makeOrder, systemContent } from './seed';
import {
  ORDER_STATUSES, STATUS_CODE, counterpartOf, isParty,
  type BinanceStore, type MerchantAccount, type MessageFields, type MessageType, type Order, type OrderStatus, type StoredMessage,
} from './store';

export interface BinanceSettings {
  /** Close a socket after this long without any frame from the client (WebSocket pings count). */
  heartbeatTimeoutMs: number;
  counterpartyReplyDelayMs: number;
  counterparty: boolean;
  seed: number | string;
  /** At least this many orders in progress (TRADING/BUYER_PAYED) per account. */
  activeOrders: number;
  /** Signed REST requests per API key per minute before HTTP 429. */
  restRequestsPerMinute: number;
  /** Pre-signed URL requests per user per minute (Binance: 36). */
  imageUploadsPerMinute: number;
  /** How long an unused listenToken stays valid. */
  listenTokenTtlMs: number;
  /** How long a pre-signed upload URL stays valid. */
  preSignedUrlTtlMs: number;
  /** Retry-After (s) of the `http429` fault. */
  retryAfterSeconds: number;
  /** The chat routes answer -1102 without a `clientType` header or query parameter of "web" (any case). */
  requireClientType: boolean;
  /** markOrderMessagesAsRead also takes a call with the API key only (one source says so). */
  unsignedMarkRead: boolean;
  /** Which key carries the order number in pushes and history items. */
  orderKeyField: OrderKeyField;
  /** Account indexes whose key has the C2C permission off. */
  withoutC2cPermission: number[];
  /** Account indexes without merchant permission (socket sends → ILLEGAL_PARAM). */
  withoutMerchantPermission: number[];
}

export type BinanceEmulatorOptions = EmulatorOptions<BinanceSettings>;

export const DEFAULT_BINANCE_SETTINGS: BinanceSettings = {
  heartbeatTimeoutMs: 60_000,
  counterpartyReplyDelayMs: 800,
  counterparty: true,
  seed: 1,
  activeOrders: 2,
  restRequestsPerMinute: 1200,
  imageUploadsPerMinute: 36,
  listenTokenTtlMs: 60_000,
  preSignedUrlTtlMs: 5 * 60_000,
  retryAfterSeconds: 1,
  requireClientType: false,
  unsignedMarkRead: true,
  orderKeyField: 'orderNo',
  withoutC2cPermission: [],
  withoutMerchantPermission: [],
};

export interface BinanceAccountInfo {
  readonly label: string;
  readonly credentials: { readonly apiKey: string; readonly secretKey: string };
  /** The chat socket URL comes from retrieveChatCredential, so REST is the only endpoint. */
  readonly endpoints: { readonly rest: string };
}

export interface BinanceOrderView {
  readonly orderNo: string;
  readonly advNo: string;
  readonly status: OrderStatus;
  readonly statusCode: number;
  readonly buyerNickName: string;
  readonly sellerNickName: string;
  /** API keys of our accounts in this order (two for an order between them). */
  readonly apiKeys: readonly string[];
  readonly asset: string;
  readonly amount: string;
  readonly fiat: string;
  readonly totalPrice: string;
  readonly createTime: number;
  readonly notifyPayEndTime: number;
  readonly messages: number;
}

export type BinanceMessageView = Record<string, unknown> & { readonly id: number; readonly orderNo: string; readonly fromUserId: string };

export interface BinanceStateSnapshot {
  readonly now: number;
  readonly faults: FaultState;
  readonly accounts: readonly {
    label: string; apiKey: string; userId: string; nickName: string; listenKeyTail: string; c2cPermission: boolean; merchantPermission: boolean; orders: number;
  }[];
  readonly orders: readonly BinanceOrderView[];
  readonly sockets: readonly SessionInfo[];
  readonly openTokens: number;
  readonly uploads: { readonly issued: number; readonly stored: number };
}

const accountRef = z.union([z.number().int().min(0), z.string()]);
const statusSchema = z.enum(ORDER_STATUSES as unknown as [OrderStatus, ...OrderStatus[]]);
const MESSAGE_TYPES: readonly MessageType[] = ['text', 'image', 'system', 'auto_reply', 'card', 'recall', 'video'];

export const injectInputSchema = z
  .object({
    orderNo: z.string(),
    type: z.enum(MESSAGE_TYPES as unknown as [MessageType, ...MessageType[]]).optional(),
    content: z.string().max(MAX_TEXT_LENGTH).optional(),
    /** image: defaults to the receipt PNG the emulator serves. */
    imageUrl: z.string().optional(),
    /** system: change the order to this state (stored + pushed as a system message with JSON content). */
    status: statusSchema.optional(),
    /** Send as our own account (as if typed in the Binance app on another device). */
    fromSelf: z.boolean().optional(),
  })
  .strict();
export type BinanceInjectInput = z.input<typeof injectInputSchema>;

export const createOrderInputSchema = z
  .object({
    /** Account index in info.accounts (default 0) or its API key. */
    account: accountRef.optional(),
    counterpartyNickName: z.string().min(1).max(64).optional(),
    status: statusSchema.optional(),
    /** Our account buys (the counterparty sells); default false. */
    weBuy: z.boolean().optional(),
    openingMessage: z.string().max(MAX_TEXT_LENGTH).optional(),
  })
  .strict();
export type BinanceCreateOrderInput = z.input<typeof createOrderInputSchema>;

export const setOrderStateInputSchema = z.object({ orderNo: z.string(), status: statusSchema }).strict();
export type BinanceSetOrderStateInput = z.input<typeof setOrderStateInputSchema>;

interface TokenEntry {
  readonly listenKey: string;
  readonly expiresAt: number;
}

interface UploadEntry {
  readonly userId: string;
  readonly token: string;
  readonly expiresAt: number;
  used: boolean;
  file: MediaFile | undefined;
}

export class BinanceEmulator extends VenueEmulatorBase<BinanceSettings, FaultState, RequestRecord, FrameRecord, SessionInfo> {
  protected readonly server: TrackedServer;
  protected readonly hub: ChatSocketHub;
  private readonly restLimiter: SlidingWindowLimiter;
  private readonly imageLimiter: SlidingWindowLimiter;
  private readonly tokens = new Map<string, TokenEntry>();
  private readonly uploads = new Map<string, UploadEntry>();
  private store: BinanceStore;

  constructor(options: BinanceEmulatorOptions = {}) {
    super('binance', DEFAULT_BINANCE_SETTINGS, options);
    this.restLimiter = new SlidingWindowLimiter(() => this.settings.restRequestsPerMinute, 60_000);
    this.imageLimiter = new SlidingWindowLimiter(() => this.settings.imageUploadsPerMinute, 60_000);
    this.store = this.seed();
    this.hub = new ChatSocketHub({
      ...this.hubPorts(),
      accountByListenKey: (key) => this.store.accountByListenKey(key),
      consumeToken: (token, listenKey) => this.consumeToken(token, listenKey),
      acceptSend: (session, request) => this.acceptSend(session, request),
    });
    this.server = this.serve((req, res) => {
      handleRestRequest(
        {
          now: () => this.now(),
          store: () => this.store,
          auth: {
            accountByApiKey: (apiKey) => this.store.accountByApiKey(apiKey),
            admit: (apiKey) => this.admit(apiKey),
            hasC2cPermission: (account) => !this.faultState.withoutC2cPermission.includes(account.index),
          },
          requireClientType: () => this.settings.requireClientType,
          unsignedMarkRead: () => this.settings.unsignedMarkRead,
          orderKeyField: () => this.settings.orderKeyField,
          issueCredential: (account) => this.issueCredential(account),
          markRead: (account, orders) => this.markRead(account, orders),
          presign: (account, name) => this.presign(account, name),
          storeUpload: (id, token, contentType, body) => this.storeUpload(id, token, contentType, body),
          uploadedImage: (id) => this.uploads.get(id)?.file,
          echoSecrets: (account, request) => this.echoSecretsReply(account, request),
          media: this.media,
          recordRequest: (r) => this.requestLog.append(r),
          log: this.log,
        },
        req,
        res,
      ).catch((e: unknown) => {
        this.log(`binance REST handler failed: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ code: -1000, msg: 'An unknown error occurred while processing the request.' }));
        }
      });
    });
  }

  async start(host: string, port: number): Promise<void> {
    await this.listen(host, port);
    // Seeded again now that the image URLs are known, and relative to the clock at start.
    this.store = this.seed();
  }

  /** What retrieveChatCredential answers as `chatWssUrl`. */
  get chatWssUrl(): string {
    return `${this.base.replace(/^http/, 'ws')}/chat`;
  }

  accounts(): BinanceAccountInfo[] {
    return this.store.accounts.map((a) => ({ label: a.label, credentials: { apiKey: a.apiKey, secretKey: a.secretKey }, endpoints: { rest: this.restUrl } }));
  }

  // ---- test hooks -------------------------------------------------------------------------

  state(): BinanceStateSnapshot {
    const now = this.now();
    return {
      now,
      faults: this.faults(),
      accounts: this.store.accounts.map((a) => ({
        label: a.label, apiKey: a.apiKey, userId: a.userId, nickName: a.nickName, listenKeyTail: a.listenKey.slice(-6),
        c2cPermission: !this.faultState.withoutC2cPermission.includes(a.index),
        merchantPermission: !this.faultState.withoutMerchantPermission.includes(a.index),
        orders: this.store.ordersOf(a.userId).length,
      })),
      orders: this.orders(),
      sockets: this.hub.list(),
      openTokens: [...this.tokens.values()].filter((t) => t.expiresAt > now).length,
      uploads: { issued: this.uploads.size, stored: [...this.uploads.values()].filter((u) => u.file).length },
    };
  }

  /** Orders, newest first; with `account`, only that account's. */
  orders(account?: number | string): BinanceOrderView[] {
    const userId = account === undefined ? undefined : this.account(account).userId;
    const orders = userId === undefined ? this.store.allOrders().sort((a, b) => b.createTime - a.createTime) : this.store.ordersOf(userId);
    return orders.map((o) => this.orderView(o));
  }

  /** Frames our clients sent, optionally of one order. */
  frames(orderNo?: string): FrameRecord[] {
    return this.frameLog.list((f) => orderNo === undefined || f.orderNo === orderNo);
  }

  /** Stored messages oldest first, from the order's first account's point of view. */
  messages(orderNo?: string): BinanceMessageView[] {
    const orders = orderNo === undefined ? this.store.allOrders() : [this.store.order(orderNo)].filter((o): o is Order => o !== undefined);
    if (orderNo !== undefined && orders.length === 0) throw new SandboxInputError('unknown orderNo');
    return orders
      .flatMap((o) => this.store.messagesOf(o.orderNo).map((m) => ({ ...messageItem(m, this.viewerOf(o)), id: m.id, orderNo: m.orderNo, fromUserId: m.fromUserId })))
      .sort((a, b) => a.id - b.id);
  }

  /** A message in an order's chat now: from the counterparty by default. */
  inject(input: BinanceInjectInput): BinanceMessageView {
    const v = parseInput(injectInputSchema, input);
    const order = this.store.order(v.orderNo);
    if (!order) throw new SandboxInputError('unknown orderNo');
    const type = v.type ?? (v.status ? 'system' : 'text');
    if (v.status !== undefined) {
      if (type !== 'system') throw new SandboxInputError('status goes with type system');
      return this.view(this.changeStatus(order, v.status));
    }
    const ours = this.viewerOf(order);
    const from = type === 'system' ? { userId: '', nickName: 'System' } : v.fromSelf ? this.partyOf(order, ours) : counterpartOf(order, ours);
    const fields: MessageFields =
      type === 'image'
        ? { type, content: v.content ?? '', ...this.imageFields(v.imageUrl ?? `${this.mediaUrl}/receipt.png`) }
        : { type, content: v.content ?? (type === 'system' ? systemContent(order, order.status) : '') };
    const message = this.post(order, from.userId, from.nickName, fields, randomBytes(16).toString('hex'));
    if (v.fromSelf) this.scheduleCounterparty(message, order);
    return this.view(message);
  }

  /** Fault: pushes a raw frame (garbage, a truncated push, a wrong shape) to the account's live socket. */
  pushRaw(account: number | string, frame: string): number {
    const userId = this.account(account).userId;
    this.log(`binance fault: raw frame to ${userId}`);
    return this.hub.sendToUser(userId, frame);
  }

  /** A new order (default TRADING, the counterparty buying) with a new counterparty and chat. */
  createOrder(input: BinanceCreateOrderInput = {}): BinanceOrderView {
    const v = parseInput(createOrderInputSchema, input);
    const account = this.account(v.account ?? 0);
    this.createdOrders += 1;
    const r = seededRandom(this.settings.seed, `binance-created-order-${this.createdOrders}`);
    const order = makeOrder(r, {
      account, other: makeCounterparty(r, v.counterpartyNickName), weBuy: v.weBuy ?? false, status: v.status ?? 'TRADING', createTime: this.now(), weAreMaker: true,
    });
    this.store.addOrder(order);
    this.log(`binance order ${order.orderNo} created`);
    if (v.openingMessage) this.inject({ orderNo: order.orderNo, content: v.openingMessage });
    return this.orderView(order);
  }

  /** Moves an order to a state: stored as a system message and pushed to both sides. */
  setOrderState(input: BinanceSetOrderStateInput): BinanceOrderView {
    const v = parseInput(setOrderStateInputSchema, input);
    const order = this.store.order(v.orderNo);
    if (!order) throw new SandboxInputError('unknown orderNo');
    this.changeStatus(order, v.status);
    return this.orderView(order);
  }

  applyFaults(input: FaultRequest): FaultState {
    const v = parseInput(faultRequestSchema, input);
    if (v.rejectUpgrades !== undefined) this.faultState.rejectUpgrades = v.rejectUpgrades;
    if (v.expireTokens) this.tokens.clear();
    if (v.bye) this.log(`binance fault: Bye to ${this.hub.byeAll()} sockets`);
    if (v.duplicatePushes !== undefined) this.faultState.duplicatePushes = v.duplicatePushes;
    if (v.loseEchoes !== undefined) this.faultState.loseEchoes = v.loseEchoes;
    if (v.http429 !== undefined) this.faultState.http429 = v.http429;
    if (v.http5xx !== undefined) this.faultState.http5xx = v.http5xx;
    if (v.dropAll) this.log(`binance fault: dropped ${this.hub.dropAll()} sockets`);
    if (v.halfOpen !== undefined) this.hub.setHalfOpen(v.halfOpen);
    if (v.heartbeatTimeoutMs !== undefined) this.faultState.heartbeatTimeoutMs = v.heartbeatTimeoutMs;
    if (v.counterparty !== undefined) {
      this.faultState.counterparty = v.counterparty;
      if (!v.counterparty) this.replies.cancelAll();
    }
    if (v.clockSkewMs !== undefined) this.faultState.clockSkewMs = v.clockSkewMs;
    if (v.withoutC2cPermission !== undefined) this.faultState.withoutC2cPermission = [...v.withoutC2cPermission];
    if (v.withoutMerchantPermission !== undefined) this.faultState.withoutMerchantPermission = [...v.withoutMerchantPermission];
    if (v.echoSecrets !== undefined) this.faultState.echoSecrets = v.echoSecrets;
    if (v.echoSecretsClose) noteEchoed(this.faultState.echoedSecrets, ...this.hub.closeQuoting((listenKey) => closeReason(`listenKey ${listenKey} is not valid`)));
    this.log(`binance faults: ${JSON.stringify(v)}`);
    return this.faults();
  }

  // ---- internals --------------------------------------------------------------------------

  /** reset(): chat tokens and uploads too. */
  protected resetVenue(): void {
    this.tokens.clear();
    this.uploads.clear();
    this.restLimiter.clear();
    this.imageLimiter.clear();
    this.store = this.seed();
  }

  private seed(): BinanceStore {
    return buildSeededStore({ seed: this.settings.seed, now: this.now(), activeOrders: this.settings.activeOrders, receiptUrl: `${this.mediaUrl}/receipt.png` });
  }

  protected defaultFaults(): FaultState {
    return {
      rejectUpgrades: 0, duplicatePushes: false, loseEchoes: 0, http429: 0, http5xx: 0, halfOpenSockets: 0, echoSecrets: 0, echoedSecrets: [],
      heartbeatTimeoutMs: this.settings.heartbeatTimeoutMs, counterparty: this.settings.counterparty, clockSkewMs: 0,
      withoutC2cPermission: [...this.settings.withoutC2cPermission], withoutMerchantPermission: [...this.settings.withoutMerchantPermission],
    };
  }

  private account(ref: number | string): MerchantAccount {
    const account = this.store.accountByRef(ref);
    if (!account) throw new SandboxInputError('unknown account');
    return account;
  }

  /** Whose point of view the hooks show an order from: its first party that is one of our accounts. */
  private viewerOf(order: Order): string {
    return this.store.accountByUserId(order.seller.userId) ? order.seller.userId : order.buyer.userId;
  }

  private partyOf(order: Order, userId: string): { userId: string; nickName: string } {
    return order.buyer.userId === userId ? order.buyer : order.seller;
  }

  /** Fault `echoSecrets`: a rejected-key refusal whose text quotes the request's credentials. */
  private echoSecretsReply(account: MerchantAccount, request: { apiKey: string; rawQuery: string; rawBody: string }): BinanceErrorReply | undefined {
    if (!takeArmed(this.faultState, 'echoSecrets')) return undefined;
    const signature = new URLSearchParams(request.rawQuery).get('signature') ?? new URLSearchParams(request.rawBody).get('signature');
    noteEchoed(this.faultState.echoedSecrets, request.apiKey, signature, request.rawQuery, account.listenKey);
    const msg = `Invalid API-key, IP, or permissions for action. apiKey ${request.apiKey} signature ${signature ?? ''} query ${request.rawQuery} listenKey ${account.listenKey}`;
    return { httpStatus: 401, body: { code: -2015, msg } };
  }

  private admit(apiKey: string): BinanceErrorReply | undefined {
    if (takeArmed(this.faultState, 'http5xx')) return BinanceErrors.internal;
    if (takeArmed(this.faultState, 'http429')) return BinanceErrors.tooManyRequests(this.settings.retryAfterSeconds, this.settings.restRequestsPerMinute);
    if (this.restLimiter.tryHit(apiKey)) return undefined;
    const seconds = Math.max(1, Math.ceil(this.restLimiter.retryAfterMs(apiKey) / 1000));
    return BinanceErrors.tooManyRequests(seconds, this.settings.restRequestsPerMinute);
  }

  private issueCredential(account: MerchantAccount): Credential {
    const now = this.now();
    for (const [token, entry] of this.tokens) if (entry.expiresAt <= now) this.tokens.delete(token);
    const listenToken = `TOKEN${randomBytes(16).toString('hex')}`;
    this.tokens.set(listenToken, { listenKey: account.listenKey, expiresAt: now + this.settings.listenTokenTtlMs });
    return { chatWssUrl: this.chatWssUrl, listenKey: account.listenKey, listenToken };
  }

  private consumeToken(token: string, listenKey: string): boolean {
    const entry = this.tokens.get(token);
    // Presented on another user's listenKey, a token proves nothing and is left to its owner.
    if (!entry || entry.listenKey !== listenKey) return false;
    this.tokens.delete(token);
    return entry.expiresAt > this.now();
  }

  private presign(account: MerchantAccount, imageName: string): PresignResult {
    if (!this.imageLimiter.tryHit(account.userId)) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(this.imageLimiter.retryAfterMs(account.userId) / 1000)) };
    }
    const id = randomBytes(16).toString('hex');
    const token = randomBytes(32).toString('hex');
    const ttl = this.settings.preSignedUrlTtlMs;
    this.uploads.set(id, { userId: account.userId, token, expiresAt: this.now() + ttl, used: false, file: undefined });
    const preSignedUrl = `${this.base}/c2c/upload/${id}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=${Math.ceil(ttl / 1000)}&X-Amz-Signature=${token}`;
    return { ok: true, preSignedUrl, imageUrl: `${this.base}/c2c/images/${id}/${encodeURIComponent(imageName)}` };
  }

  /** S3-like: the signature must match, the URL must be fresh and unused; a body is required. */
  private storeUpload(id: string, token: string, contentType: string, body: Buffer): { status: number; error?: string } {
    const entry = this.uploads.get(id);
    if (!entry || entry.token !== token) return { status: 403, error: 'SignatureDoesNotMatch' };
    if (entry.used || entry.expiresAt <= this.now()) return { status: 403, error: 'AccessDenied' };
    if (body.length === 0) return { status: 400, error: 'IncompleteBody' };
    entry.used = true;
    entry.file = { contentType, body };
    return { status: 200 };
  }

  /** An image URL the venue serves: an uploaded image or a media file of this emulator. */
  private imageIssued(url: string): boolean {
    const uploaded = /\/c2c\/images\/([a-f0-9]+)\/[^/]+$/.exec(url);
    if (url.startsWith(`${this.base}/c2c/images/`) && uploaded) return this.uploads.get(uploaded[1]!)?.file !== undefined;
    return url.startsWith(`${this.mediaUrl}/`) && this.media.has(decodeURIComponent(url.slice(this.mediaUrl.length + 1)));
  }

  private imageFields(url: string): Pick<MessageFields, 'imageUrl' | 'thumbnailUrl' | 'imageType' | 'width' | 'height'> {
    return { imageUrl: url, thumbnailUrl: url.endsWith('/receipt.png') ? `${this.mediaUrl}/receipt_thumb.png` : url, imageType: 'png', width: 240, height: 360 };
  }

  private markRead(account: MerchantAccount, orders: readonly Order[]): number {
    let flipped = 0;
    for (const order of orders) {
      for (const m of this.store.messagesOf(order.orderNo)) {
        if (m.fromUserId !== account.userId && m.status === 'unread') {
          m.status = 'read';
          flipped++;
        }
      }
    }
    return flipped;
  }

  private acceptSend(session: ChatSession, request: SendRequest): SendVerdict {
    const account = this.store.accountByUserId(session.userId);
    if (!account) return { ok: false, reason: 'unknown user' };
    if (this.faultState.withoutMerchantPermission.includes(account.index)) return { ok: false, reason: 'account lacks the merchant permission' };
    const order = this.store.order(request.orderNo);
    if (!order || !isParty(order, account.userId)) return { ok: false, reason: 'order is not this user\'s' };
    if (request.fields.type === 'image') {
      if (!this.imageIssued(request.fields.imageUrl ?? '')) return { ok: false, reason: 'imageUrl was not issued by the venue (or nothing was uploaded to it)' };
      if (request.fields.thumbnailUrl !== undefined && request.fields.thumbnailUrl !== request.fields.imageUrl && !this.imageIssued(request.fields.thumbnailUrl)) {
        return { ok: false, reason: 'thumbnailUrl was not issued by the venue' };
      }
    }
    const loseEcho = takeArmed(this.faultState, 'loseEchoes');
    const message = this.post(order, account.userId, account.nickName, request.fields, request.uuid, loseEcho ? account.userId : undefined);
    this.scheduleCounterparty(message, order);
    return { ok: true };
  }

  /** Stores a message and pushes it to every party of the order that is one of our accounts. */
  private post(order: Order, fromUserId: string, fromNickName: string, fields: MessageFields, uuid: string, skipUserId?: string): StoredMessage {
    const message = this.store.addMessage({ ...fields, orderNo: order.orderNo, uuid, fromUserId, fromNickName, createTime: this.now() });
    for (const party of [order.buyer, order.seller]) {
      if (party.userId === skipUserId || !this.store.accountByUserId(party.userId)) continue;
      const frame = JSON.stringify(messageItem(message, party.userId, this.settings.orderKeyField));
      this.hub.sendToUser(party.userId, frame);
      if (this.faultState.duplicatePushes) this.hub.sendToUser(party.userId, frame);
    }
    return message;
  }

  private changeStatus(order: Order, status: OrderStatus): StoredMessage {
    order.status = status;
    order.updateTime = this.now();
    if (status === 'BUYER_PAYED') order.paidTime = order.updateTime;
    this.log(`binance order ${order.orderNo} -> ${status}`);
    return this.post(order, '', 'System', { type: 'system', content: systemContent(order, status) }, randomBytes(16).toString('hex'));
  }

  private scheduleCounterparty(trigger: StoredMessage, order: Order): void {
    if (!this.faultState.counterparty || trigger.type !== 'text') return;
    const sender = trigger.fromUserId;
    const them = counterpartOf(order, sender);
    // Between two of our accounts nobody is scripted: the other account is a real client.
    if (this.store.accountByUserId(them.userId)) return;
    const steps = planReply(trigger.content, {
      seed: this.settings.seed, messageId: trigger.id, order, theyBuy: order.buyer.userId === them.userId, delayMs: this.settings.counterpartyReplyDelayMs,
    });
    const store = this.store;
    for (const step of steps) {
      this.replies.setTimeout(() => {
        if (!this.faultState.counterparty || store !== this.store) return;
        // Replying means they read what we wrote.
        for (const m of store.messagesOf(order.orderNo)) if (m.fromUserId === sender) m.status = 'read';
        const action = step.action;
        if (action.kind === 'status') {
          if (order.status !== action.status) this.changeStatus(order, action.status);
        } else if (action.kind === 'receipt') {
          this.post(order, them.userId, them.nickName, { type: 'image', content: '', ...this.imageFields(`${this.mediaUrl}/receipt.png`) }, randomBytes(16).toString('hex'));
        } else {
          this.post(order, them.userId, them.nickName, { type: 'text', content: action.content }, randomBytes(16).toString('hex'));
        }
      }, step.afterMs);
    }
  }

  private view(m: StoredMessage): BinanceMessageView {
    const order = this.store.order(m.orderNo);
    return { ...messageItem(m, order ? this.viewerOf(order) : ''), id: m.id, orderNo: m.orderNo, fromUserId: m.fromUserId };
  }

  private orderView(o: Order): BinanceOrderView {
    return {
      orderNo: o.orderNo, advNo: o.advNo, status: o.status, statusCode: STATUS_CODE[o.status],
      buyerNickName: o.buyer.nickName, sellerNickName: o.seller.nickName,
      apiKeys: [o.buyer, o.seller].flatMap((p) => this.store.accountByUserId(p.userId)?.apiKey ?? []),
      asset: o.asset, amount: o.amount, fiat: o.fiat, totalPrice: o.totalPrice, createTime: o.createTime, notifyPayEndTime: o.notifyPayEndTime,
      messages: this.store.messagesOf(o.orderNo).length,
    };
  }
}
