// The Bybit P2P emulator: one HTTP server for the signed REST API (no WebSocket: Bybit has none for
// P2P chat) and the object store's show URLs; a seeded store, the scripted counterparty and the
// fault switches. Its public methods are the typed test hooks (the control API exposes the same).
import * as z from 'zod';
import { TrackedServer, urlHost } from '../util/http';
import { SandboxInputError, parseInput } from '../util/input';
import { buildMediaLibrary, type MediaFile } from '../util/media';
import { seededRandom, type Random } from '../util/random';
import { TimerRegistry, type TimerHandle } from '../util/timers';
import { legacyItem, sessionItem } from './chatViews';
import { MAX_TEXT_LENGTH } from './chatSend';
import { planReply } from './counterparty';
import { faultRequestSchema, take, type FaultRequest, type FaultState } from './faults';
import { PerEndpointLimits } from './rateLimits';
import { RecordLog, type RequestRecord } from './records';
import { handleRestRequest, type Admission } from './rest';
import { buildSeededStore, makeCounterparty, makeOrder, systemLine, type Publish } from './seed';
import {
  ORDER_STATUSES, type BybitAccount, type BybitStore, type ContentType, type MessageFields, type Order, type OrderStatus, type Party, type StoredMessage,
} from './store';
import { ObjectStore } from './uploads';

export interface BybitSettings {
  seed: number | string;
  counterpartyReplyDelayMs: number;
  counterparty: boolean;
  /** At least this many orders in progress (10/20) per account. */
  activeOrders: number;
  /** Per user and endpoint, per second (Bybit: 5 for sends, 10 for lists). */
  sendPerSecond: number;
  listPerSecond: number;
  /** How long a stored file's link works (`e=` in its URL). */
  mediaTtlMs: number;
  maxUploadBytes: number;
  /** Account indexes whose order-scoped chat API is closed (912200387). */
  legacyChatClosed: number[];
}

export interface BybitEmulatorOptions extends Partial<BybitSettings> {
  clock?: () => number;
  log?: (line: string) => void;
}

export const DEFAULT_BYBIT_SETTINGS: BybitSettings = {
  seed: 1,
  counterpartyReplyDelayMs: 800,
  counterparty: true,
  activeOrders: 2,
  sendPerSecond: 5,
  listPerSecond: 10,
  mediaTtlMs: 6 * 60 * 60 * 1000,
  maxUploadBytes: 10 * 1024 * 1024,
  legacyChatClosed: [1],
};

export type BybitCredentials =
  | { readonly keyType: 'hmac'; readonly apiKey: string; readonly secret: string }
  | { readonly keyType: 'rsa'; readonly apiKey: string; readonly privateKey: string };

export interface BybitAccountInfo {
  readonly label: string;
  readonly credentials: BybitCredentials;
  readonly endpoints: { readonly rest: string };
}

export interface BybitOrderView {
  readonly orderId: string;
  readonly account: number;
  readonly apiKey: string;
  readonly status: OrderStatus;
  readonly side: 0 | 1;
  readonly targetNickName: string;
  readonly targetUserId: string;
  readonly targetUserMaskId: string;
  readonly sessionId: string;
  readonly amount: string;
  readonly currencyId: string;
  readonly createDate: number;
  readonly messages: number;
}

export interface BybitSessionView {
  readonly id: number;
  readonly sessionId: string;
  readonly account: number;
  readonly sessionName: string;
  readonly userMaskId: string;
  readonly orderIds: readonly string[];
  readonly unreadCount: number;
  readonly messages: number;
}

export type BybitMessageView = StoredMessage & { readonly legacy: Record<string, unknown>; readonly session: Record<string, unknown> };

const accountRef = z.union([z.number().int().min(0), z.string()]);
const statusSchema = z.union(ORDER_STATUSES.map((s) => z.literal(s)) as unknown as [z.ZodLiteral<OrderStatus>, z.ZodLiteral<OrderStatus>, ...z.ZodLiteral<OrderStatus>[]]);
const KINDS = ['text', 'pic', 'pdf', 'video', 'system'] as const;

export const injectInputSchema = z
  .object({
    orderId: z.string(),
    kind: z.enum(KINDS).optional(),
    /** text/system: the words (system defaults to the line of the order's state). */
    content: z.string().min(1).max(MAX_TEXT_LENGTH).optional(),
    /** system: change the order to this status (stored as a SYSTEM line). */
    status: statusSchema.optional(),
    /** Send as our own account (as if typed in the Bybit app); the counterparty then reacts. */
    fromSelf: z.boolean().optional(),
  })
  .strict();
export type BybitInjectInput = z.input<typeof injectInputSchema>;

export const createOrderInputSchema = z
  .object({
    /** Account index in info.accounts' Bybit part (default 0) or its API key. */
    account: accountRef.optional(),
    counterpartyNickName: z.string().min(1).max(64).optional(),
    /** Trade with the counterparty of this order (same session). */
    sameCounterpartyAs: z.string().optional(),
    status: statusSchema.optional(),
    /** The account's side: 0 buy, 1 sell (default 1: the counterparty buys and can pay). */
    side: z.union([z.literal(0), z.literal(1)]).optional(),
    openingMessage: z.string().min(1).max(MAX_TEXT_LENGTH).optional(),
  })
  .strict();
export type BybitCreateOrderInput = z.input<typeof createOrderInputSchema>;

export const setOrderStateInputSchema = z.object({ orderId: z.string(), status: statusSchema }).strict();
export type BybitSetOrderStateInput = z.input<typeof setOrderStateInputSchema>;

const MEDIA_FILE: Readonly<Record<Exclude<ContentType, 'str'>, readonly [library: string, ext: string, fileName: string]>> = {
  pic: ['receipt.png', 'png', 'payment-proof.png'],
  pdf: ['invoice.pdf', 'pdf', 'payment-proof.pdf'],
  video: ['clip.mp4', 'mp4', 'screen-recording.mp4'],
};

export class BybitEmulator {
  readonly settings: BybitSettings;
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  private readonly timers = new TimerRegistry();
  private readonly server: TrackedServer;
  private readonly limits = new PerEndpointLimits();
  private readonly library = buildMediaLibrary();
  private readonly objectStore = new ObjectStore();
  private readonly requestLog = new RecordLog<RequestRecord>();
  private readonly replyTimers = new Set<TimerHandle>();
  private store: BybitStore;
  private faultState: FaultState;
  private base = '';
  private streams = 0;
  private closed = false;

  constructor(options: BybitEmulatorOptions = {}) {
    const { clock, log, ...settings } = options;
    this.settings = { ...DEFAULT_BYBIT_SETTINGS, ...stripUndefined(settings) };
    this.clock = clock ?? Date.now;
    this.log = log ?? (() => undefined);
    this.faultState = this.defaultFaults();
    this.store = this.seed();
    this.server = new TrackedServer((req, res) => {
      handleRestRequest(
        {
          now: () => this.now(),
          faults: () => this.faultState,
          store: () => this.store,
          objects: () => this.objectStore,
          accountByApiKey: (apiKey) => this.store.accountByApiKey(apiKey),
          legacyClosed: (account) => this.faultState.legacyChatClosed.includes(account.index),
          takeMalformedItem: () => take(this.faultState, 'malformedItems'),
          postOwn: (order, fields, msgUuid) => this.postOwn(order, fields, msgUuid),
          random: (label) => this.random(label),
          admit: (account, path, kind) => this.admit(account, path, kind),
          serveObject: (name, token) => this.objectStore.serve(name, token, this.now()),
          delay: (ms) => new Promise((resolve) => this.timers.setTimeout(resolve, ms)),
          recordRequest: (r) => this.requestLog.add((seq) => ({ seq, ...r })),
          log: this.log,
          maxUploadBytes: this.settings.maxUploadBytes,
          mediaTtlMs: this.settings.mediaTtlMs,
        },
        req,
        res,
      ).catch((e: unknown) => {
        this.log(`bybit request failed: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  }

  async start(host: string, port: number): Promise<void> {
    const bound = await this.server.listen(host, port);
    this.base = `http://${urlHost(host)}:${bound}`;
    this.log(`bybit emulator on ${this.base}`);
  }

  get restUrl(): string {
    return this.base;
  }

  /** Venue clock (ms), including the clock-skew fault. */
  now(): number {
    return this.clock() + this.faultState.clockSkewMs;
  }

  /** The seeded accounts, as a client configures them (the RSA one carries its PKCS#8 private key). */
  accounts(): BybitAccountInfo[] {
    return this.store.accounts.map((a) => ({
      label: a.label,
      credentials:
        a.key.keyType === 'hmac'
          ? { keyType: 'hmac', apiKey: a.key.apiKey, secret: a.key.secret }
          : { keyType: 'rsa', apiKey: a.key.apiKey, privateKey: a.key.privateKeyPem },
      endpoints: { rest: this.base },
    }));
  }

  /** The public key registered for an RSA account (what the user gave Bybit). */
  publicKeyPem(account: number): string | undefined {
    const key = this.account(account).key;
    return key.keyType === 'rsa' ? key.publicKeyPem : undefined;
  }

  /** Own identity of an account (what personal/info answers). */
  identity(account: number): { userId: string; nickName: string } {
    const a = this.account(account);
    return { userId: a.userId, nickName: a.nickName };
  }

  state(): unknown {
    return {
      now: this.now(),
      faults: this.faults(),
      accounts: this.store.accounts.map((a) => ({
        index: a.index, label: a.label, keyType: a.key.keyType, apiKey: a.key.apiKey, userId: a.userId, nickName: a.nickName,
        legacyChat: this.faultState.legacyChatClosed.includes(a.index) ? 'closed' : 'open', orders: this.store.ordersOf(a).length,
      })),
      orders: this.orders(),
      sessions: this.sessions(),
      storedFiles: this.objectStore.size,
      pendingReplies: this.replyTimers.size,
    };
  }

  requests(filter: { sinceSeq?: number; kind?: RequestRecord['kind'] } = {}): RequestRecord[] {
    return this.requestLog.list((r) => (filter.sinceSeq === undefined || r.seq > filter.sinceSeq) && (filter.kind === undefined || r.kind === filter.kind));
  }

  /** Stored messages, oldest first, with how each chat API shows them. */
  messages(orderId?: string): BybitMessageView[] {
    const orders = orderId === undefined ? this.store.allOrders() : [this.order(orderId)];
    return orders
      .flatMap((o) => this.store.messagesOf(o.id).map((m) => ({ ...m, legacy: legacyItem(m, m.fromUserId === o.account.userId ? o.account.accountId : o.other.accountId), session: sessionItem(m) })))
      .sort((a, b) => a.id - b.id);
  }

  orders(account?: number | string): BybitOrderView[] {
    const accounts = account === undefined ? this.store.accounts : [this.account(account)];
    return accounts.flatMap((a) => this.store.ordersOf(a).map((o) => this.orderView(o)));
  }

  sessions(account?: number | string): BybitSessionView[] {
    const accounts = account === undefined ? this.store.accounts : [this.account(account)];
    return accounts.flatMap((a) =>
      this.store.sessionsOf(a).map((s) => ({
        id: s.id, sessionId: s.sessionId, account: a.index, sessionName: s.other.nickName, userMaskId: s.other.maskId,
        orderIds: this.store.ordersOfSession(s).map((o) => o.id), unreadCount: this.store.unreadCount(s), messages: this.store.messagesOfSession(s).length,
      })),
    );
  }

  /** A counterparty message now (or, with fromSelf, one of ours typed elsewhere). */
  inject(input: BybitInjectInput): BybitMessageView {
    const v = parseInput(injectInputSchema, input);
    const order = this.order(v.orderId);
    const kind = v.kind ?? 'text';
    if (kind === 'system') {
      if (v.status !== undefined) return this.view(this.changeStatus(order, v.status, v.content));
      const line = systemLine(order.status);
      return this.view(this.post(order, undefined, { contentType: 'str', content: v.content ?? line.content, fileName: '' }, line.msgCode));
    }
    const fields: MessageFields = kind === 'text' ? { contentType: 'str', content: v.content ?? 'Hello, are you there?', fileName: '' } : this.publishFields(kind, this.random('inject'));
    if (v.fromSelf) return this.view(this.postOwn(order, fields, ''));
    return this.view(this.post(order, order.other, fields));
  }

  /** A new order (default: status 10, the counterparty buying) with a new counterparty unless told. */
  createOrder(input: BybitCreateOrderInput = {}): BybitOrderView {
    const v = parseInput(createOrderInputSchema, input);
    const account = this.account(v.account ?? 0);
    const r = this.random('created-order');
    let other: Party = makeCounterparty(r, v.counterpartyNickName);
    if (v.sameCounterpartyAs !== undefined) {
      const peer = this.order(v.sameCounterpartyAs);
      if (peer.account !== account) throw new SandboxInputError('sameCounterpartyAs names another account\'s order');
      other = peer.other;
    }
    const status = v.status ?? 10;
    const order = makeOrder(r, { account, other, side: v.side ?? 1, status, createDate: this.now() });
    this.store.addOrder(order);
    const line = systemLine(10);
    this.post(order, undefined, { contentType: 'str', content: line.content, fileName: '' }, line.msgCode);
    if (status !== 10) this.changeStatus(order, status);
    this.log(`bybit order ${order.id} created`);
    if (v.openingMessage) this.post(order, other, { contentType: 'str', content: v.openingMessage, fileName: '' });
    return this.orderView(order);
  }

  /** Moves an order to a status: stored as a SYSTEM line. */
  setOrderState(input: BybitSetOrderStateInput): BybitOrderView {
    const v = parseInput(setOrderStateInputSchema, input);
    const order = this.order(v.orderId);
    this.changeStatus(order, v.status);
    return this.orderView(order);
  }

  faults(): FaultState {
    return { ...this.faultState, legacyChatClosed: [...this.faultState.legacyChatClosed], slowReplies: { ...this.faultState.slowReplies }, echoedSecrets: [...this.faultState.echoedSecrets] };
  }

  applyFaults(input: FaultRequest): FaultState {
    const v = parseInput(faultRequestSchema, input);
    const f = this.faultState;
    if (v.legacyChatClosed !== undefined) f.legacyChatClosed = [...v.legacyChatClosed];
    if (v.wrongEnvironment !== undefined) f.wrongEnvironment = v.wrongEnvironment;
    if (v.geoBlock !== undefined) f.geoBlock = v.geoBlock;
    if (v.clockSkewMs !== undefined) f.clockSkewMs = v.clockSkewMs;
    if (v.badSignature !== undefined) f.badSignature = v.badSignature;
    if (v.rateLimit !== undefined) f.rateLimit = v.rateLimit;
    if (v.http429 !== undefined) f.http429 = v.http429;
    if (v.http5xx !== undefined) f.http5xx = v.http5xx;
    if (v.slowReplies !== undefined) f.slowReplies = { ...v.slowReplies };
    if (v.loseReplies !== undefined) f.loseReplies = v.loseReplies;
    if (v.malformedItems !== undefined) f.malformedItems = v.malformedItems;
    if (v.echoSecrets !== undefined) f.echoSecrets = v.echoSecrets;
    if (v.expireMedia) this.log(`bybit fault: ${this.objectStore.expireAll(this.now())} media links expired`);
    if (v.counterparty !== undefined) {
      f.counterparty = v.counterparty;
      if (!v.counterparty) this.cancelReplies();
    }
    this.log(`bybit faults: ${JSON.stringify(v)}`);
    return this.faults();
  }

  /** Back to the seed: records, faults, limits, stored files and pending replies cleared. */
  reset(): void {
    this.cancelReplies();
    this.limits.clear();
    this.requestLog.clear();
    this.faultState = this.defaultFaults();
    this.streams = 0;
    this.store = this.seed();
    this.log('bybit reset');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.timers.clearAll();
    this.replyTimers.clear();
    await this.server.close();
  }

  /** Pending timers (replies, slow answers); 0 after close. */
  pendingTimers(): number {
    return this.timers.size;
  }

  // ---- internals --------------------------------------------------------------------------

  private seed(): BybitStore {
    this.objectStore.clear();
    const publish: Publish = (kind, at, r) => {
      const [library, ext, fileName] = MEDIA_FILE[kind];
      const object = this.objectStore.put(r, ext, this.libraryFile(library), fileName, at + this.settings.mediaTtlMs);
      return { content: object.url, fileName };
    };
    return buildSeededStore({ seed: this.settings.seed, now: this.now(), activeOrders: this.settings.activeOrders, publish });
  }

  private libraryFile(name: string): MediaFile {
    const file = this.library.get(name);
    if (!file) throw new Error(`no sandbox media ${name}`);
    return file;
  }

  private defaultFaults(): FaultState {
    return {
      legacyChatClosed: [...this.settings.legacyChatClosed], wrongEnvironment: false, geoBlock: false, clockSkewMs: 0, badSignature: 0,
      rateLimit: 0, http429: 0, http5xx: 0, slowReplies: { ms: 0, n: 0 }, loseReplies: 0, malformedItems: 0, counterparty: this.settings.counterparty, echoSecrets: 0, echoedSecrets: [],
    };
  }

  /** Deterministic per seed and call order, so names and tokens repeat run to run. */
  private random(label: string): Random {
    this.streams += 1;
    return seededRandom(this.settings.seed, `bybit-${label}-${this.streams}`);
  }

  private account(ref: number | string): BybitAccount {
    const account = typeof ref === 'string' ? this.store.accountByApiKey(ref) : this.store.accounts[ref];
    if (!account) throw new SandboxInputError('unknown account');
    return account;
  }

  private order(orderId: string): Order {
    const order = this.store.order(orderId);
    if (!order) throw new SandboxInputError('unknown orderId');
    return order;
  }

  private admit(account: BybitAccount, path: string, kind: 'list' | 'send'): Admission {
    const a = this.limits.admit(`${account.userId} ${path}`, kind === 'send' ? this.settings.sendPerSecond : this.settings.listPerSecond);
    return { ok: a.ok, limit: a.limit, remaining: a.remaining, resetAt: this.now() + a.resetInMs };
  }

  private publishFields(kind: Exclude<ContentType, 'str'>, r: Random): MessageFields {
    const [library, ext, fileName] = MEDIA_FILE[kind];
    const object = this.objectStore.put(r, ext, this.libraryFile(library), fileName, this.now() + this.settings.mediaTtlMs);
    return { contentType: kind, content: object.url, fileName };
  }

  /** Stores a message from the counterparty (`from`) or the SYSTEM (undefined). */
  private post(order: Order, from: Party | undefined, fields: MessageFields, msgCode = 0): StoredMessage {
    return this.store.addMessage({ ...fields, orderId: order.id, fromUserId: from?.userId ?? '', fromNickName: from?.nickName ?? 'SYSTEM', msgCode, msgUuid: '', createDate: this.now() });
  }

  private postOwn(order: Order, fields: MessageFields, msgUuid: string): StoredMessage {
    const message = this.store.addMessage({
      ...fields, orderId: order.id, fromUserId: order.account.userId, fromNickName: order.account.nickName, msgCode: 0, msgUuid, createDate: this.now(),
    });
    this.scheduleCounterparty(message, order);
    return message;
  }

  private changeStatus(order: Order, status: OrderStatus, content?: string): StoredMessage {
    order.status = status;
    order.updateDate = this.now();
    this.log(`bybit order ${order.id} -> ${status}`);
    const line = systemLine(status);
    return this.post(order, undefined, { contentType: 'str', content: content ?? line.content, fileName: '' }, line.msgCode);
  }

  private scheduleCounterparty(trigger: StoredMessage, order: Order): void {
    if (!this.faultState.counterparty || trigger.contentType !== 'str') return;
    const steps = planReply(trigger.content, { seed: this.settings.seed, messageId: trigger.id, order, delayMs: this.settings.counterpartyReplyDelayMs });
    const store = this.store;
    for (const step of steps) {
      const handle = this.timers.setTimeout(() => {
        this.replyTimers.delete(handle);
        if (!this.faultState.counterparty || store !== this.store) return;
        // Replying means they read what we wrote.
        for (const m of store.messagesOf(order.id)) if (m.fromUserId === order.account.userId) m.read = true;
        const action = step.action;
        if (action.kind === 'status') {
          if (order.status !== action.status) this.changeStatus(order, action.status);
        } else if (action.kind === 'proof') {
          this.post(order, order.other, this.publishFields(action.as, this.random('proof')));
        } else {
          this.post(order, order.other, { contentType: 'str', content: action.content, fileName: '' });
        }
      }, step.afterMs);
      this.replyTimers.add(handle);
    }
  }

  private cancelReplies(): void {
    for (const handle of this.replyTimers) this.timers.clearTimeout(handle);
    this.replyTimers.clear();
  }

  private view(m: StoredMessage): BybitMessageView {
    return this.messages(m.orderId).find((x) => x.id === m.id)!;
  }

  private orderView(o: Order): BybitOrderView {
    return {
      orderId: o.id, account: o.account.index, apiKey: o.account.key.apiKey, status: o.status, side: o.side,
      targetNickName: o.other.nickName, targetUserId: o.other.userId, targetUserMaskId: o.other.maskId,
      sessionId: this.store.session(o.account, o.other.userId)?.sessionId ?? '', amount: o.amount, currencyId: o.currencyId,
      createDate: o.createDate, messages: this.store.messagesOf(o.id).length,
    };
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
