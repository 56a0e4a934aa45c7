// The MEXC P2P emulator: one HTTP server for REST + /media + the chat WebSocket, a seeded store,
// listen keys, the scripted counterparty and the fault switches. Its public methods are the typed
// test hooks (the control server exposes the same over HTTP).
import * as z from 'zod';
import { VenueEmulatorBase, type EmulatorOptions } from '../util/emulatorBase';
import { takeArmed } from '../util/faults';
import { sendJson, type TrackedServer } from '../util/http';
import { SandboxInputError, parseInput } from '../util/input';
import type { MediaFile } from '../util/media';
import { SlidingWindowLimiter } from '../util/rateLimiter';
import { seededRandom } from '../util/random';
import { closeReason, noteEchoed } from '../util/secretEcho';
import { receiveMessageFrame, MAX_CONTENT_LENGTH, type SendMessageParams } from './chatProtocol';
import { ChatSocketHub, CloseReasons, type ChatSession, type SessionInfo } from './chatSocket';
import { planReply } from './counterparty';
import { faultRequestSchema, type FaultRequest, type FaultState } from './faults';
import { ListenKeyRegistry, type ListenKeyEntry } from './listenKeys';
import type { FrameRecord, RequestRecord } from './records';
import type { MexcErrorReply } from './errors';
import { handleRestRequest } from './rest';
import { buildSeededStore, makeCounterparty, makeOrder } from './seed';
import { ORDER_STATES, type MessageContent, type MessageDraft, type MessageType, type MexcStore, type Order, type StoredMessage } from './store';
import { formatCreateTime } from './time';

export interface MexcSettings {
  /** Close a socket after this long without any client data frame (venue: 60 s). */
  heartbeatTimeoutMs: number;
  counterpartyReplyDelayMs: number;
  /** Our own sends come back to the sending socket as RECEIVE_MESSAGE with self:true. */
  echoSelf: boolean;
  /** Zone of the `createTime` strings, minutes east of UTC (MEXC: +480). */
  timezoneOffsetMinutes: number;
  maxConnectionsPerListenKey: number;
  maxSocketLifetimeMs: number;
  listenKeyTtlMs: number;
  maxListenKeysPerApiKey: number;
  restRateLimitPerSecond: number;
  counterparty: boolean;
  seed: number | string;
  /** How often listen-key expiry and socket lifetimes are checked against the clock. */
  sweepIntervalMs: number;
  /** At least this many orders in progress per account (seeded: one NOT_PAID and one PAID). */
  activeOrders: number;
}

export type MexcEmulatorOptions = EmulatorOptions<MexcSettings>;

export const DEFAULT_MEXC_SETTINGS: MexcSettings = {
  heartbeatTimeoutMs: 60_000,
  counterpartyReplyDelayMs: 800,
  echoSelf: true,
  timezoneOffsetMinutes: 480,
  maxConnectionsPerListenKey: 5,
  maxSocketLifetimeMs: 24 * 60 * 60 * 1000,
  listenKeyTtlMs: 60 * 60 * 1000,
  maxListenKeysPerApiKey: 60,
  restRateLimitPerSecond: 20,
  counterparty: true,
  seed: 1,
  sweepIntervalMs: 1000,
  activeOrders: 2,
};

export interface MexcAccountInfo {
  readonly venue: 'mexc';
  readonly label: string;
  readonly credentials: { readonly apiKey: string; readonly secretKey: string };
  /** What the MEXC adapter takes (the media and upload URLs are venue-wide, in the info JSON). */
  readonly endpoints: { readonly rest: string; readonly ws: string };
}

export interface MessageView extends MessageContent {
  readonly id: number;
  readonly conversationId: number;
  readonly createTime: string;
  readonly time: number;
  /** From the owning account's point of view. */
  readonly self: boolean;
  readonly fromUserId: string;
  readonly fromNickName: string;
}

export interface OrderView {
  readonly advOrderNo: string;
  readonly conversationId: number;
  readonly state: string;
  readonly side: string;
  readonly amount: number;
  readonly fiatUnit: string;
  readonly coinName: string;
  readonly createTime: number;
  readonly apiKey: string;
  readonly counterpartyNickName: string;
  readonly counterpartyUserId: string;
}

export interface MexcStateSnapshot {
  readonly now: number;
  readonly timezoneOffsetMinutes: number;
  readonly faults: FaultState;
  readonly accounts: readonly { label: string; apiKey: string; userId: string; nickName: string; listenKeys: number; orders: number }[];
  readonly orders: readonly OrderView[];
  readonly conversations: readonly {
    conversationId: number; orderNo: string; apiKey: string; counterpartyNickName: string; messages: number; lastMessageId: number | null; sockets: number;
  }[];
  readonly sockets: readonly SessionInfo[];
}

const urlField = z.string().optional();

export const injectInputSchema = z
  .object({
    conversationId: z.number().int().optional(),
    orderNo: z.string().optional(),
    content: z.string().max(MAX_CONTENT_LENGTH).optional(),
    type: z.number().int().min(1).max(4).optional(),
    imageUrl: urlField,
    imageThumbUrl: urlField,
    videoUrl: urlField,
    fileUrl: urlField,
    /** Send as our own account (as if typed in the MEXC app on another device). */
    fromSelf: z.boolean().optional(),
  })
  .strict()
  .refine((v) => v.conversationId !== undefined || v.orderNo !== undefined, { message: 'conversationId or orderNo required' });
export type InjectInput = z.input<typeof injectInputSchema>;

const orderStateSchema = z.enum(ORDER_STATES as unknown as [string, ...string[]]);

export const createOrderInputSchema = z
  .object({
    counterpartyNickName: z.string().min(1).max(64).optional(),
    state: orderStateSchema.optional(),
    /** Account index in info.accounts (default 0) or its api key. */
    account: z.union([z.number().int().min(0), z.string()]).optional(),
    /** A first counterparty message, e.g. "Hi, I just placed the order." */
    openingMessage: z.string().max(MAX_CONTENT_LENGTH).optional(),
  })
  .strict();
export type CreateOrderInput = z.input<typeof createOrderInputSchema>;

export const setOrderStateInputSchema = z.object({ orderNo: z.string(), state: orderStateSchema }).strict();
export type SetOrderStateInput = z.input<typeof setOrderStateInputSchema>;

export class MexcEmulator extends VenueEmulatorBase<MexcSettings, FaultState, RequestRecord, FrameRecord, SessionInfo> {
  protected readonly server: TrackedServer;
  protected readonly hub: ChatSocketHub;
  private readonly keys: ListenKeyRegistry;
  private readonly limiter: SlidingWindowLimiter;
  private readonly uploads = new Map<string, MediaFile>();
  /** Message id → live sockets it was pushed to (pushCount). */
  private readonly pushes = new Map<number, number>();
  private store: MexcStore;

  constructor(options: MexcEmulatorOptions = {}) {
    super('mexc', DEFAULT_MEXC_SETTINGS, options);
    this.keys = new ListenKeyRegistry(
      () => this.settings.listenKeyTtlMs,
      this.settings.maxListenKeysPerApiKey,
      (entry, reason) => this.hub.closeForListenKey(entry.key, reason === 'expired' ? CloseReasons.listenKeyExpired : CloseReasons.listenKeyDeleted),
    );
    this.limiter = new SlidingWindowLimiter(() => this.settings.restRateLimitPerSecond);
    this.store = buildSeededStore(this.settings.seed, this.now(), this.settings.activeOrders);
    this.hub = new ChatSocketHub({
      ...this.hubPorts(),
      lookupListenKey: (key) => this.keys.lookup(key, this.now()),
      conversation: (id) => this.store.conversation(id),
      maxConnectionsPerListenKey: () => this.settings.maxConnectionsPerListenKey,
      maxSocketLifetimeMs: () => this.settings.maxSocketLifetimeMs,
      acceptMessage: (session, params) => this.acceptFromSocket(session, params),
      takeLostSendReply: () => takeArmed(this.faultState, 'loseSendReplies'),
    });
    this.server = this.serve((req, res) => {
      handleRestRequest(
        {
          now: () => this.now(),
          store: () => this.store,
          listenKeys: this.keys,
          auth: {
            accountByApiKey: (apiKey) => this.store.accountByApiKey(apiKey),
            admit: (apiKey) => !takeArmed(this.faultState, 'rateLimitNext') && this.limiter.tryHit(apiKey),
          },
          media: this.media,
          uploads: this.uploads,
          timers: this.timers,
          slowReplyMs: () => this.faultState.slowReplyMs,
          echoSecrets: (request) => this.echoSecretsReply(request),
          recordRequest: (r) => this.requestLog.append(r),
          log: this.log,
        },
        req,
        res,
      ).catch((e: unknown) => {
        this.log(`mexc REST handler failed: ${e instanceof Error ? e.message : String(e)}`);
        sendJson(res, 500, { code: 500, msg: 'Internal error' });
      });
    });
  }

  async start(host: string, port: number): Promise<void> {
    await this.listen(host, port);
    // Seeded again now that media URLs are known, and relative to the clock at start.
    this.store = buildSeededStore(this.settings.seed, this.now(), this.settings.activeOrders);
    this.timers.setInterval(() => this.sweep(), this.settings.sweepIntervalMs);
  }

  get wsUrl(): string {
    return `${this.base.replace(/^http/, 'ws')}/ws`;
  }

  /** The upload target (not a MEXC API; see rest.ts handleUpload), with {name} for the file name. */
  get uploadUrl(): string {
    return `${this.base}/uploads/{name}`;
  }

  accounts(): MexcAccountInfo[] {
    return this.store.accounts.map((a) => ({
      venue: 'mexc', label: a.label, credentials: { apiKey: a.apiKey, secretKey: a.secretKey }, endpoints: { rest: this.restUrl, ws: this.wsUrl },
    }));
  }

  // ---- test hooks -------------------------------------------------------------------------

  state(): MexcStateSnapshot {
    const now = this.now();
    const sockets = this.hub.list();
    const apiKeyOf = (userId: string): string => this.store.accountByUserId(userId)?.apiKey ?? '';
    return {
      now,
      timezoneOffsetMinutes: this.settings.timezoneOffsetMinutes,
      faults: this.faults(),
      accounts: this.store.accounts.map((a) => ({
        label: a.label, apiKey: a.apiKey, userId: a.userId, nickName: a.nickName,
        listenKeys: this.keys.liveOf(a.userId, now).length, orders: this.store.ordersOf(a.userId).length,
      })),
      orders: this.store.allOrders().map((o) => this.orderView(o)),
      conversations: this.store.allConversations().map((c) => {
        const messages = this.store.messagesOf(c.id);
        const order = this.store.order(c.orderNo);
        return {
          conversationId: c.id, orderNo: c.orderNo, apiKey: apiKeyOf(c.accountUserId),
          counterpartyNickName: order?.counterparty.nickName ?? '', messages: messages.length,
          lastMessageId: messages.at(-1)?.id ?? null, sockets: sockets.filter((s) => s.conversationId === c.id && s.state === 'live').length,
        };
      }),
      sockets,
    };
  }

  frames(conversationId?: number): FrameRecord[] {
    return this.frameLog.list((f) => conversationId === undefined || f.conversationId === conversationId);
  }

  messages(conversationId?: number): MessageView[] {
    const ids = conversationId === undefined ? this.store.allConversations().map((c) => c.id) : [conversationId];
    return ids.flatMap((id) => this.store.messagesOf(id).map((m) => this.messageView(m))).sort((a, b) => a.id - b.id);
  }

  listenKeys(): readonly ListenKeyEntry[] {
    return this.keys.all();
  }

  /**
   * How many live sockets a message was pushed to when it was posted. MEXC keeps no chat history,
   * so a message pushed to none (no socket open, or only silent ones) is gone for the client.
   */
  pushCount(messageId: number): number {
    return this.pushes.get(messageId) ?? 0;
  }

  /** A message from the counterparty (or, with fromSelf, from our account) right now. */
  inject(input: InjectInput): MessageView {
    const v = parseInput(injectInputSchema, input);
    const order = v.conversationId !== undefined ? this.orderOfConversation(v.conversationId) : this.store.order(v.orderNo ?? '');
    if (!order) throw new SandboxInputError('unknown conversationId/orderNo');
    const account = this.store.accountByUserId(order.accountUserId);
    if (!account) throw new SandboxInputError('order has no account');
    const type = (v.type ?? 1) as MessageType;
    const from = v.fromSelf ? { fromUserId: account.userId, fromNickName: account.nickName } : { fromUserId: order.counterparty.userId, fromNickName: order.counterparty.nickName };
    const message = this.post(
      {
        conversationId: order.conversationId, content: v.content ?? '', type,
        imageUrl: v.imageUrl ?? '', imageThumbUrl: v.imageThumbUrl ?? '', videoUrl: v.videoUrl ?? '', fileUrl: v.fileUrl ?? '', ...from,
      },
      undefined,
    );
    if (v.fromSelf) this.scheduleCounterparty(message, order);
    return this.messageView(message);
  }

  /** Fault: pushes a raw frame (garbage, a truncated push, a wrong shape) to every socket of a conversation. */
  pushRaw(conversationId: number, frame: string): number {
    if (!this.store.conversation(conversationId)) throw new SandboxInputError('unknown conversationId');
    this.log(`mexc fault: raw frame to conversation ${conversationId}`);
    return this.hub.deliver(conversationId, () => frame);
  }

  /** A new order (default NOT_PAID) with a new counterparty and conversation. */
  createOrder(input: CreateOrderInput = {}): OrderView {
    const v = parseInput(createOrderInputSchema, input);
    const account = this.store.accountByRef(v.account ?? 0);
    if (!account) throw new SandboxInputError('unknown account');
    this.createdOrders += 1;
    const r = seededRandom(this.settings.seed, `created-order-${this.createdOrders}`);
    const order = makeOrder(r, {
      account,
      counterparty: makeCounterparty(r, v.counterpartyNickName),
      state: (v.state ?? 'NOT_PAID') as Order['state'],
      createTime: this.now(),
      conversationId: this.store.nextConversationId(),
    });
    this.store.addOrder(order);
    this.log(`mexc order ${order.advOrderNo} created (conversation ${order.conversationId})`);
    if (v.openingMessage) this.inject({ conversationId: order.conversationId, content: v.openingMessage });
    return this.orderView(order);
  }

  setOrderState(input: SetOrderStateInput): OrderView {
    const v = parseInput(setOrderStateInputSchema, input);
    const order = this.store.order(v.orderNo);
    if (!order) throw new SandboxInputError('unknown orderNo');
    order.state = v.state as Order['state'];
    order.updateTime = this.now();
    return this.orderView(order);
  }

  applyFaults(input: FaultRequest): FaultState {
    const v = parseInput(faultRequestSchema, input);
    if (v.dropAll) this.log(`mexc fault: dropped ${this.hub.dropAll()} sockets`);
    if (v.halfOpen !== undefined) this.hub.setHalfOpen(v.halfOpen);
    if (v.rejectUpgrades !== undefined) this.faultState.rejectUpgrades = v.rejectUpgrades;
    if (v.loseSendReplies !== undefined) this.faultState.loseSendReplies = v.loseSendReplies;
    if (v.slowReplyMs !== undefined) this.faultState.slowReplyMs = v.slowReplyMs;
    if (v.rateLimitNext !== undefined) this.faultState.rateLimitNext = v.rateLimitNext;
    if (v.expireListenKeys) this.keys.expireAll();
    if (v.heartbeatTimeoutMs !== undefined) this.faultState.heartbeatTimeoutMs = v.heartbeatTimeoutMs;
    if (v.echoSelf !== undefined) this.faultState.echoSelf = v.echoSelf;
    if (v.counterparty !== undefined) {
      this.faultState.counterparty = v.counterparty;
      if (!v.counterparty) this.replies.cancelAll();
    }
    if (v.clockSkewMs !== undefined) this.faultState.clockSkewMs = v.clockSkewMs;
    if (v.echoSecrets !== undefined) this.faultState.echoSecrets = v.echoSecrets;
    if (v.echoSecretsClose) {
      const live = this.hub.list().filter((s) => s.state === 'live');
      for (const { key } of this.keys.all()) {
        if (!live.some((s) => key.endsWith(s.listenKeyTail))) continue;
        noteEchoed(this.faultState.echoedSecrets, key);
        this.hub.closeForListenKey(key, closeReason(`listenKey ${key} is not valid`));
      }
    }
    this.log(`mexc faults: ${JSON.stringify(v)}`);
    return this.faults();
  }

  /** Applies clock-driven rules now (listenKey expiry, socket lifetime); also runs on an interval. */
  sweep(): void {
    const now = this.now();
    this.keys.sweep(now);
    this.hub.sweepLifetimes(now);
  }

  // ---- internals --------------------------------------------------------------------------

  /** reset(): listen keys and uploads too. */
  protected resetVenue(): void {
    this.keys.clear();
    this.uploads.clear();
    this.pushes.clear();
    this.limiter.clear();
    this.store = buildSeededStore(this.settings.seed, this.now(), this.settings.activeOrders);
  }

  protected defaultFaults(): FaultState {
    return {
      halfOpenSockets: 0,
      rejectUpgrades: 0,
      loseSendReplies: 0,
      slowReplyMs: 0,
      rateLimitNext: 0,
      heartbeatTimeoutMs: this.settings.heartbeatTimeoutMs,
      echoSelf: this.settings.echoSelf,
      counterparty: this.settings.counterparty,
      clockSkewMs: 0,
      echoSecrets: 0,
      echoedSecrets: [],
    };
  }

  /** Fault `echoSecrets`: a bad-signature refusal whose text quotes the request's credentials. */
  private echoSecretsReply(request: { apiKey: string; method: string; path: string; rawQuery: string; rawBody: string }): MexcErrorReply | undefined {
    if (!takeArmed(this.faultState, 'echoSecrets')) return undefined;
    const params = new URLSearchParams(request.rawQuery);
    const signature = params.get('signature') ?? new URLSearchParams(request.rawBody).get('signature');
    const listenKey = params.get('listenKey');
    noteEchoed(this.faultState.echoedSecrets, request.apiKey, signature, request.rawQuery, listenKey);
    const msg = `Signature for this request is not valid. apiKey ${request.apiKey}, signature ${signature ?? ''}, request ${request.method} ${request.path}?${request.rawQuery}${listenKey ? `, listenKey ${listenKey}` : ''}`;
    return { httpStatus: 400, body: { code: 700002, msg } };
  }

  private orderOfConversation(conversationId: number): Order | undefined {
    const conversation = this.store.conversation(conversationId);
    return conversation ? this.store.order(conversation.orderNo) : undefined;
  }

  private acceptFromSocket(session: ChatSession, params: SendMessageParams): void {
    const account = this.store.accountByUserId(session.accountUserId);
    const order = this.orderOfConversation(session.conversationId);
    if (!account || !order) return;
    const message = this.post(
      {
        conversationId: params.conversationId, content: params.content, type: params.type,
        imageUrl: params.imageUrl, imageThumbUrl: params.imageThumbUrl, videoUrl: params.videoUrl, fileUrl: params.fileUrl,
        fromUserId: account.userId, fromNickName: account.nickName,
      },
      session,
    );
    this.scheduleCounterparty(message, order);
  }

  /** Stores and pushes a message; `sender` is the socket it came from, if any (for echoSelf). */
  private post(draft: MessageDraft, sender: ChatSession | undefined): StoredMessage {
    const message = this.store.addMessage(draft, this.now());
    const pushed = this.hub.deliver(message.conversationId, (session) =>
      session === sender && !this.faultState.echoSelf ? undefined : receiveMessageFrame(message, session.accountUserId, this.settings.timezoneOffsetMinutes),
    );
    this.pushes.set(message.id, pushed);
    return message;
  }

  private scheduleCounterparty(trigger: StoredMessage, order: Order): void {
    if (!this.faultState.counterparty) return;
    const steps = planReply(trigger.content, {
      seed: this.settings.seed, triggerMessageId: trigger.id, order, mediaBase: this.mediaUrl, delayMs: this.settings.counterpartyReplyDelayMs,
    });
    const store = this.store;
    for (const step of steps) {
      this.replies.setTimeout(() => {
        if (!this.faultState.counterparty || store !== this.store) return;
        this.post({ ...step.draft, conversationId: order.conversationId, fromUserId: order.counterparty.userId, fromNickName: order.counterparty.nickName }, undefined);
      }, step.afterMs);
    }
  }

  private orderView(o: Order): OrderView {
    return {
      advOrderNo: o.advOrderNo, conversationId: o.conversationId, state: o.state, side: o.side, amount: o.amount,
      fiatUnit: o.fiatUnit, coinName: o.coinName, createTime: o.createTime,
      apiKey: this.store.accountByUserId(o.accountUserId)?.apiKey ?? '',
      counterpartyNickName: o.counterparty.nickName, counterpartyUserId: o.counterparty.userId,
    };
  }

  private messageView(m: StoredMessage): MessageView {
    const conversation = this.store.conversation(m.conversationId);
    return {
      id: m.id, conversationId: m.conversationId, content: m.content, type: m.type,
      imageUrl: m.imageUrl, imageThumbUrl: m.imageThumbUrl, videoUrl: m.videoUrl, fileUrl: m.fileUrl,
      createTime: formatCreateTime(m.time, this.settings.timezoneOffsetMinutes), time: m.time,
      self: conversation !== undefined && m.fromUserId === conversation.accountUserId,
      fromUserId: m.fromUserId, fromNickName: m.fromNickName,
    };
  }
}
