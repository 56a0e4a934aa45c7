// The Mixin Messenger emulator: one HTTP server carrying the REST API (every request checked
// against its Ed25519 JWT), pre-signed attachment uploads and views, and Blaze at `/` (gzip JSON in
// binary frames, pending-until-acknowledged delivery, receipts). One seeded bot, three users in
// contact conversations with it, a scripted showcase of every category, and the fault switches.
// Its public methods are the typed test hooks (the control API exposes the same).
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import * as z from 'zod';
import { classifyBy, INTENT_PATTERNS, smallTalk } from '../util/counterpartyScript';
import { takeArmed } from '../util/faults';
import { noteEchoed } from '../util/secretEcho';
import { TrackedServer, headerValue, pathOf, rawQueryOf, readBytesUpTo, rejectUpgrade, sendFile } from '../util/http';
import { SandboxInputError, parseInput } from '../util/input';
import type { MediaFile } from '../util/media';
import { seededRandom, type Random } from '../util/random';
import { RecordLog } from '../util/recordLog';
import { withDefaults } from '../util/settings';
import { TimerGroup, TimerRegistry } from '../util/timers';
import { UrlSigner, sendS3Error } from './attachments';
import { BLAZE_SUBPROTOCOL, BlazeHub, type BlazeOutcome, type BlazeRequest, type BlazeSession } from './blaze';
import { STICKER_ALBUM_ID, STICKER_ID, USER_CATEGORIES, mixinMedia, userPayload, type ContentPorts } from './content';
import { faultRequestSchema, type FaultRequest, type FaultState } from './faults';
import { isUuid, rfc3339Micro, uniqueConversationId, uuidFrom } from './ids';
import { verifyMixinJwt, type JwtCheck } from './jwt';
import { ERRORS, MAX_BATCH, MAX_BODY_BYTES, invalidField, isMixinError, validateOutbound, type MixinError, type OutboundMessage } from './outbound';
import type { FrameRecord, RequestKind, RequestRecord } from './records';
import { keystoreJson, seedBot, seedUsers, type MixinBot, type MixinUser } from './seed';
import { MixinStore, messageView, receiptView, type AckRecord, type Conversation, type StoredMessage } from './store';

export interface MixinSettings {
  seed: number | string;
  /** The simulated users send the showcase and answer the bot. */
  counterparty: boolean;
  /** How long a user takes to answer after reading the bot's message. */
  counterpartyReplyDelayMs: number;
  /** Read receipts for the bot's messages: DELIVERED after this long, then READ. */
  receipts: boolean;
  deliveredDelayMs: number;
  readDelayMs: number;
  /** One showcase message (the next category) this often while the counterparty is on. */
  showcaseIntervalMs: number;
  /** Server ping interval on Blaze sockets. */
  pingIntervalMs: number;
  /** How far a token's iat may be from the venue clock. */
  maxClockSkewMs: number;
  /** Unacknowledged messages are kept this long (Mixin: 7 days). */
  retentionMs: number;
  uploadUrlTtlMs: number;
  viewUrlTtlMs: number;
  /** After this long an attachment is gone (GET /attachments/:id answers 404). */
  attachmentTtlMs: number;
  /** A Blaze handshake with a bad token: refused with HTTP 401, or accepted to send an ERROR 401 frame and close. */
  blazeAuthFailure: 'http401' | 'errorFrame';
  /** Messages the users sent before start, waiting for LIST_PENDING_MESSAGES. */
  pendingAtStart: boolean;
}

export const DEFAULT_MIXIN_SETTINGS: MixinSettings = {
  seed: 1, counterparty: true, counterpartyReplyDelayMs: 2500, receipts: true, deliveredDelayMs: 400, readDelayMs: 1500, showcaseIntervalMs: 20_000,
  pingIntervalMs: 10_000, maxClockSkewMs: 5 * 60_000, retentionMs: 7 * 86_400_000, uploadUrlTtlMs: 15 * 60_000, viewUrlTtlMs: 60 * 60_000,
  attachmentTtlMs: 30 * 86_400_000, blazeAuthFailure: 'http401', pendingAtStart: true,
};

export type MixinEmulatorOptions = Partial<MixinSettings> & { readonly clock?: () => number; readonly log?: (line: string) => void };

export interface MixinAccountInfo {
  readonly label: string;
  readonly credentials: { readonly keystore: string };
  readonly endpoints: { readonly rest: string; readonly blaze: string };
}

const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const injectSchema = z
  .object({
    conversationId: z.string().optional(),
    userId: z.string().optional(),
    category: z.string().regex(/^[A-Z_]{3,40}$/).optional(),
    /** Words of a PLAIN_TEXT or PLAIN_POST. */
    text: z.string().min(1).max(16_384).optional(),
    /** The payload itself (JSON categories), instead of the scripted one. */
    data: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
    quoteMessageId: z.string().optional(),
  })
  .strict();
export type MixinInjectInput = z.input<typeof injectSchema>;

const conversationSchema = z.object({
  category: z.enum(['CONTACT', 'GROUP']),
  conversation_id: z.string().refine(isUuid, 'must be a UUID'),
  participants: z.array(z.object({ user_id: z.string().refine(isUuid, 'must be a UUID'), role: z.string().optional() }).passthrough()).min(1).max(256),
  name: z.string().max(512).optional(),
}).passthrough();

const ackItemSchema = z.object({ message_id: z.string().refine(isUuid, 'must be a UUID'), status: z.enum(['READ', 'DELIVERED']) }).passthrough();

export class MixinEmulator {
  readonly settings: MixinSettings;
  readonly bot: MixinBot;
  readonly users: readonly MixinUser[];
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  private readonly timers = new TimerRegistry();
  private readonly lifecycle = new TimerGroup(this.timers);
  private readonly replies = new TimerGroup(this.timers);
  private readonly media = mixinMedia();
  private readonly requestLog = new RecordLog<RequestRecord>();
  private readonly frameLog = new RecordLog<FrameRecord>();
  private readonly signer: UrlSigner;
  private readonly server: TrackedServer;
  private readonly hub: BlazeHub;
  private store = new MixinStore();
  private ids: Random;
  private talk: Random;
  private faultState: FaultState;
  private showcaseNext = 0;
  private showcaseTimer: ReturnType<typeof setInterval> | undefined;
  private base = '';
  private closed = false;

  constructor(options: MixinEmulatorOptions = {}) {
    const { clock, log, ...settings } = options;
    this.settings = withDefaults(DEFAULT_MIXIN_SETTINGS, settings);
    this.clock = clock ?? Date.now;
    this.log = log ?? (() => undefined);
    this.bot = seedBot(this.settings.seed);
    this.users = seedUsers(this.settings.seed);
    this.signer = new UrlSigner(createHash('sha256').update(`mixin-s3-${String(this.settings.seed)}`).digest('hex'));
    this.ids = seededRandom(this.settings.seed, 'mixin-ids');
    this.talk = seededRandom(this.settings.seed, 'mixin-talk');
    this.faultState = this.defaultFaults();
    this.hub = new BlazeHub({
      now: () => this.now(), timers: this.timers, pingIntervalMs: () => this.settings.pingIntervalMs, pingsOff: () => this.faultState.pingsOff,
      request: (s, r) => this.blazeRequest(s, r), takeReplyDelay: () => this.takeReplyDelay(),
      recordFrame: (r) => this.frameLog.append(r), log: this.log,
    });
    this.server = new TrackedServer((req, res) => {
      this.handleHttp(req, res).catch((e: unknown) => {
        this.log(`mixin request failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        if (!res.headersSent) this.sendError(res, ERRORS.server, 500);
      });
    });
    this.server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    this.seedWorld();
  }

  async start(host: string, port: number): Promise<void> {
    this.base = await this.server.listenUrl(host, port);
    this.armShowcase();
    this.log(`mixin emulator on ${this.base}`);
  }

  get restUrl(): string {
    return this.base;
  }

  get blazeUrl(): string {
    return `${this.base.replace(/^http/, 'ws')}/`;
  }

  /** Venue time: the injected clock plus the clockSkewMs fault. */
  now(): number {
    return this.clock() + this.faultState.clockSkewMs;
  }

  // ---- accounts, state and control hooks --------------------------------------------------

  accounts(): MixinAccountInfo[] {
    return [{ label: 'Sandbox Mixin bot', credentials: { keystore: keystoreJson(this.bot) }, endpoints: { rest: this.base, blaze: this.blazeUrl } }];
  }

  /** The contact conversation of the bot with user `index`. */
  conversationOf(index: number): string {
    const user = this.users[index];
    if (!user) throw new SandboxInputError(`no user ${index}`);
    return uniqueConversationId(this.bot.appId, user.userId);
  }

  state(): unknown {
    return {
      now: this.now(),
      bot: { appId: this.bot.appId, sessionId: this.bot.sessionId, fullName: this.bot.fullName },
      users: this.users,
      conversations: this.store.conversations.size,
      messages: this.store.messages.size,
      pending: this.pending().length,
      acks: this.store.acks.length,
      duplicates: this.store.duplicates,
      attachments: this.store.attachments.size,
      queuedReceipts: this.store.receipts.length,
      showcaseNext: USER_CATEGORIES[this.showcaseNext] ?? null,
      sockets: this.hub.list(),
      faults: this.faults(),
      pendingTimers: this.timers.size,
    };
  }

  requests(filter: { sinceSeq?: number; kind?: RequestKind } = {}): RequestRecord[] {
    return this.requestLog.list((r) => (filter.sinceSeq === undefined || r.seq > filter.sinceSeq) && (filter.kind === undefined || r.kind === filter.kind));
  }

  frames(sinceSeq?: number): FrameRecord[] {
    return this.frameLog.list((r) => sinceSeq === undefined || r.seq > sinceSeq);
  }

  messages(conversationId?: string): Record<string, string>[] {
    const all = conversationId === undefined ? [...this.store.messages.values()].sort((a, b) => a.createdAt - b.createdAt) : this.store.messagesOf(conversationId);
    return all.map((m) => messageView(m, ''));
  }

  conversations(): unknown[] {
    return [...this.store.conversations.values()].map((c) => ({ ...this.conversationView(c), messages: this.store.messagesOf(c.conversationId).length }));
  }

  /** Inbound messages the bot has not acknowledged (what LIST_PENDING_MESSAGES would push). */
  pending(): Record<string, string>[] {
    return this.store.pending(this.now(), this.settings.retentionMs).map((m) => messageView(m, 'LIST_PENDING_MESSAGES'));
  }

  acks(): AckRecord[] {
    return [...this.store.acks];
  }

  attachments(): unknown[] {
    return [...this.store.attachments.values()].map((a) => ({
      attachmentId: a.attachmentId, createdAt: a.createdAt, uploadedAt: a.uploadedAt ?? null, size: a.body?.length ?? null, contentType: a.contentType ?? null,
      // What a download must reproduce byte for byte.
      sha256: a.body ? createHash('sha256').update(a.body).digest('hex') : null,
      expired: a.createdAt + this.settings.attachmentTtlMs < this.now(),
    }));
  }

  sockets(): unknown {
    return this.hub.list();
  }

  /** A user's message to the bot now, pushed to listening sockets and pending until acknowledged. */
  inject(input: MixinInjectInput): Record<string, string> {
    const v = parseInput(injectSchema, input);
    let conversation: Conversation | undefined;
    let user: MixinUser | undefined;
    if (v.userId !== undefined) {
      user = this.users.find((u) => u.userId === v.userId);
      if (!user) throw new SandboxInputError('unknown userId');
      conversation = this.store.conversations.get(uniqueConversationId(this.bot.appId, user.userId));
    } else {
      conversation = this.store.conversations.get(v.conversationId ?? this.conversationOf(0));
      if (!conversation) throw new SandboxInputError('unknown conversationId');
      user = this.users.find((u) => conversation!.participants.some((p) => p.userId === u.userId));
    }
    if (!conversation || !user) throw new SandboxInputError('no conversation of that user with the bot');
    const category = v.category ?? 'PLAIN_TEXT';
    const data = v.data !== undefined ? Buffer.from(JSON.stringify(v.data), 'utf8') : userPayload(category, this.contentPorts(conversation, user), v.text);
    return messageView(this.receive(conversation, user, category, data, v.quoteMessageId ?? ''), '');
  }

  faults(): FaultState {
    return { ...this.faultState, slowReplies: { ...this.faultState.slowReplies }, error: { ...this.faultState.error }, echoedSecrets: [...this.faultState.echoedSecrets] };
  }

  applyFaults(input: FaultRequest): FaultState {
    const v = parseInput(faultRequestSchema, input);
    const f = this.faultState;
    if (v.slowReplies !== undefined) f.slowReplies = { ...v.slowReplies };
    if (v.error !== undefined) f.error = { ...v.error };
    if (v.http401 !== undefined) f.http401 = v.http401;
    if (v.echoSecrets !== undefined) f.echoSecrets = v.echoSecrets;
    if (v.http403 !== undefined) f.http403 = v.http403;
    if (v.http429 !== undefined) f.http429 = v.http429;
    if (v.clockSkewMs !== undefined) f.clockSkewMs = v.clockSkewMs;
    if (v.pingsOff !== undefined) f.pingsOff = v.pingsOff;
    if (v.counterparty !== undefined) {
      f.counterparty = v.counterparty;
      if (!v.counterparty) this.replies.cancelAll();
      this.armShowcase();
    }
    if (v.dropSockets) f.socketsDropped += this.hub.dropAll();
    if (v.redeliver) {
      for (const session of this.hub.listening()) this.pushPending(session);
      f.redeliveries += 1;
    }
    this.log(`mixin faults: ${JSON.stringify(v)}`);
    return this.faults();
  }

  reset(): void {
    this.hub.closeAll('sandbox reset');
    this.timers.clearAll();
    this.showcaseTimer = undefined;
    this.lifecycle.cancelAll();
    this.replies.cancelAll();
    this.requestLog.clear();
    this.frameLog.clear();
    this.faultState = this.defaultFaults();
    this.store = new MixinStore();
    this.ids = seededRandom(this.settings.seed, 'mixin-ids');
    this.talk = seededRandom(this.settings.seed, 'mixin-talk');
    this.showcaseNext = 0;
    this.seedWorld();
    if (this.base !== '') this.armShowcase();
    this.log('mixin reset');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.timers.clearAll();
    await this.hub.dispose();
    await this.server.close();
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  // ---- seed and simulated users -----------------------------------------------------------

  private defaultFaults(): FaultState {
    return {
      slowReplies: { ms: 0, n: 0 }, error: { code: 7000, n: 0 }, http401: 0, http403: 0, http429: 0, clockSkewMs: 0, pingsOff: false, echoSecrets: 0, echoedSecrets: [],
      counterparty: this.settings.counterparty, socketsDropped: 0, redeliveries: 0,
    };
  }

  private seedWorld(): void {
    const now = this.now();
    for (const user of this.users) {
      const id = uniqueConversationId(this.bot.appId, user.userId);
      const createdAt = now - 30 * 86_400_000;
      this.store.conversations.set(id, {
        conversationId: id, category: 'CONTACT', name: '', creatorId: user.userId, createdAt,
        participants: [{ userId: user.userId, role: '', createdAt }, { userId: this.bot.appId, role: '', createdAt }],
      });
    }
    if (!this.settings.pendingAtStart) return;
    const early: [number, string, number, string?][] = [
      [0, 'PLAIN_TEXT', 12 * 60_000, 'Hello, are you there? I want to buy 150 USDT.'],
      [1, 'PLAIN_IMAGE', 9 * 60_000],
      [0, 'PLAIN_TEXT', 8 * 60_000, 'I sent the payment, here is the receipt.'],
      [2, 'PLAIN_POST', 3 * 60_000],
    ];
    for (const [index, category, ago, text] of early) {
      const user = this.users[index]!;
      const conversation = this.store.conversations.get(uniqueConversationId(this.bot.appId, user.userId))!;
      this.store.addMessage(this.userMessage(conversation, user, category, userPayload(category, this.contentPorts(conversation, user, now - ago), text), '', now - ago), true);
    }
  }

  private armShowcase(): void {
    this.timers.clearInterval(this.showcaseTimer);
    this.showcaseTimer = undefined;
    if (!this.faultState.counterparty || this.base === '' || this.showcaseNext >= USER_CATEGORIES.length) return;
    this.showcaseTimer = this.timers.setInterval(() => this.showcaseStep(), this.settings.showcaseIntervalMs);
  }

  /** The next category of the showcase, from the users in turn. */
  private showcaseStep(): void {
    const category = USER_CATEGORIES[this.showcaseNext];
    if (category === undefined || !this.faultState.counterparty) {
      this.timers.clearInterval(this.showcaseTimer);
      this.showcaseTimer = undefined;
      return;
    }
    const user = this.users[this.showcaseNext % this.users.length]!;
    this.showcaseNext += 1;
    const conversation = this.store.conversations.get(uniqueConversationId(this.bot.appId, user.userId))!;
    this.receive(conversation, user, category, userPayload(category, this.contentPorts(conversation, user)), '');
  }

  private contentPorts(conversation: Conversation, user: MixinUser, at = this.now()): ContentPorts {
    return {
      attach: (file) => {
        const attachmentId = uuidFrom(this.ids);
        this.store.attachments.set(attachmentId, { attachmentId, createdAt: at, body: file.body, contentType: file.contentType, uploadedAt: at });
        return attachmentId;
      },
      publicUrl: (name) => `${this.base}/public/${name}`,
      file: (name) => this.file(name),
      lastOwnMessageId: () => this.store.messagesOf(conversation.conversationId).filter((m) => m.userId === user.userId && m.category !== 'MESSAGE_RECALL').at(-1)?.messageId,
      otherUserId: () => (this.users.find((u) => u.userId !== user.userId) ?? user).userId,
    };
  }

  private file(name: string): MediaFile {
    const f = this.media.get(name);
    if (!f) throw new Error(`no media file ${name}`);
    return f;
  }

  private userMessage(conversation: Conversation, user: MixinUser, category: string, data: Buffer, quoteMessageId: string, at = this.now()): StoredMessage {
    return {
      conversationId: conversation.conversationId, userId: user.userId, sessionId: uuidFrom(seededRandom(user.userId, 'session')), messageId: uuidFrom(this.ids),
      category, data, status: 'SENT', quoteMessageId, representativeId: '', createdAt: at, updatedAt: at, via: 'user',
    };
  }

  /** A user's message arrives: stored, owed to the bot, pushed to every listening socket. */
  private receive(conversation: Conversation, user: MixinUser, category: string, data: Buffer, quoteMessageId: string): StoredMessage {
    const m = this.userMessage(conversation, user, category, data, quoteMessageId);
    this.store.addMessage(m, true);
    for (const session of this.hub.listening()) this.hub.push(session, 'CREATE_MESSAGE', messageView(m, ''));
    this.log(`mixin ${user.fullName} sent ${category}`);
    return m;
  }

  /** The bot's message: stored once per message_id; then the user receives, reads and may answer. */
  private acceptOutbound(o: OutboundMessage, via: 'blaze' | 'rest'): void {
    if (this.store.messages.has(o.messageId)) {
      this.store.duplicates += 1;
      return;
    }
    const now = this.now();
    const m: StoredMessage = {
      conversationId: o.conversationId, userId: this.bot.appId, sessionId: this.bot.sessionId, messageId: o.messageId, category: o.category, data: o.data,
      status: 'SENT', quoteMessageId: o.quoteMessageId, representativeId: o.representativeId, createdAt: now, updatedAt: now, via,
    };
    this.store.addMessage(m, false);
    const conversation = this.store.conversations.get(o.conversationId)!;
    const reader = this.users.find((u) => u.userId === (o.recipientId || conversation.participants.find((p) => p.userId !== this.bot.appId)?.userId));
    if (!reader) return;
    if (this.settings.receipts) {
      this.lifecycle.setTimeout(() => this.receipt(m, reader, 'DELIVERED'), this.settings.deliveredDelayMs);
      this.lifecycle.setTimeout(() => this.receipt(m, reader, 'READ'), Math.max(this.settings.readDelayMs, this.settings.deliveredDelayMs));
    }
    if (this.faultState.counterparty && !['MESSAGE_RECALL', 'MESSAGE_PIN'].includes(m.category)) {
      this.replies.setTimeout(() => {
        if (this.faultState.counterparty) this.receive(conversation, reader, 'PLAIN_TEXT', Buffer.from(this.replyTo(m), 'utf8'), m.messageId);
      }, (this.settings.receipts ? Math.max(this.settings.readDelayMs, this.settings.deliveredDelayMs) : 0) + this.settings.counterpartyReplyDelayMs);
    }
  }

  private replyTo(m: StoredMessage): string {
    if (m.category !== 'PLAIN_TEXT' && m.category !== 'PLAIN_POST') return `Thanks, I got your ${m.category.replace(/^(PLAIN|APP)_/, '').toLowerCase().replace('_', ' ')}.`;
    const intent = classifyBy(m.data.toString('utf8'), [['greeting', INTENT_PATTERNS.greeting], ['question', INTENT_PATTERNS.question]] as const);
    return smallTalk(this.talk, intent);
  }

  private receipt(m: StoredMessage, reader: MixinUser, status: 'DELIVERED' | 'READ'): void {
    const current = this.store.messages.get(m.messageId);
    if (current !== m) return;
    m.status = status;
    m.updatedAt = this.now();
    const r = { messageId: m.messageId, conversationId: m.conversationId, userId: reader.userId, sessionId: uuidFrom(seededRandom(reader.userId, 'session')), status, createdAt: m.createdAt, time: this.now() };
    const listening = this.hub.listening();
    // A receipt nobody listens for waits for the next LIST_PENDING_MESSAGES (pushed once, not ack-gated).
    if (listening.length === 0) this.store.receipts.push(r);
    for (const session of listening) this.hub.push(session, 'ACKNOWLEDGE_MESSAGE_RECEIPT', receiptView(r));
  }

  // ---- Blaze --------------------------------------------------------------------------------

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = pathOf(req.url);
    const record = (httpStatus: number, auth: string | null, jti: string | null, errorCode: number | null): void =>
      this.record({ kind: 'blaze', method: req.method ?? 'GET', path, rawQuery: rawQueryOf(req.url), requestId: headerValue(req.headers['x-request-id']) ?? null, auth, jti, httpStatus, errorCode });
    if (path !== '/') {
      record(404, null, null, 404);
      return rejectUpgrade(socket, 404, this.envelope(ERRORS.notFound));
    }
    const fault = this.takeHttpFault();
    if (fault) {
      record(fault.code, null, null, fault.code);
      return rejectUpgrade(socket, fault.code, this.envelope(fault));
    }
    const offered = (headerValue(req.headers['sec-websocket-protocol']) ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(BLAZE_SUBPROTOCOL)) {
      record(400, null, null, 400);
      return rejectUpgrade(socket, 400, this.envelope({ code: 400, description: `Subprotocol ${BLAZE_SUBPROTOCOL} is required.` }));
    }
    const check = this.verify(req, req.url ?? '/', Buffer.alloc(0));
    if (!check.ok) {
      record(this.settings.blazeAuthFailure === 'http401' ? 401 : 101, check.reason, null, 401);
      this.log(`mixin blaze handshake refused: ${check.reason}`);
      if (this.settings.blazeAuthFailure === 'http401') return rejectUpgrade(socket, 401, this.envelope(ERRORS.unauthorized));
      return this.hub.acceptToRefuse(req, socket, head, ERRORS.unauthorized);
    }
    const echoed = this.takeEchoSecrets(req);
    if (echoed) {
      record(401, 'ok', check.claims.jti, 401);
      return rejectUpgrade(socket, 401, this.envelope(echoed));
    }
    record(101, 'ok', check.claims.jti, null);
    this.hub.accept(req, socket, head, () => undefined);
  }

  private takeReplyDelay(): number {
    const slow = this.faultState.slowReplies;
    if (slow.n <= 0) return 0;
    slow.n -= 1;
    return slow.ms;
  }

  private blazeRequest(session: BlazeSession, r: BlazeRequest): BlazeOutcome {
    const armed = this.faultState.error;
    if (armed.n > 0) {
      armed.n -= 1;
      return { error: errorForCode(armed.code) };
    }
    const params = typeof r.params === 'object' && r.params !== null ? (r.params as Record<string, unknown>) : {};
    switch (r.action) {
      case 'LIST_PENDING_MESSAGES':
        return {
          data: {},
          after: () => {
            session.listening = true;
            this.pushPending(session);
            for (const receipt of this.store.receipts.splice(0)) this.hub.push(session, 'ACKNOWLEDGE_MESSAGE_RECEIPT', receiptView(receipt));
          },
        };
      case 'CREATE_MESSAGE':
        return this.outcome(this.sendBatch([r.params], false, 'blaze'));
      case 'CREATE_PLAIN_MESSAGES': {
        if (!Array.isArray(params.messages)) return { error: invalidField('messages', 'must be an array') };
        if (Buffer.byteLength(JSON.stringify(params)) > MAX_BODY_BYTES) return { error: invalidField('messages', 'the batch is larger than 128 KB') };
        return this.outcome(this.sendBatch(params.messages, true, 'blaze'));
      }
      case 'ACKNOWLEDGE_MESSAGE_RECEIPT':
        return this.outcome(this.acknowledge([r.params], 'blaze'));
      case 'ACKNOWLEDGE_MESSAGE_RECEIPTS': {
        if (!Array.isArray(params.messages)) return { error: invalidField('messages', 'must be an array') };
        return this.outcome(this.acknowledge(params.messages, 'blaze-batch'));
      }
      default:
        return { error: { code: 400, description: `Unknown action ${r.action.slice(0, 40)}.` } };
    }
  }

  private outcome(result: MixinError | undefined): BlazeOutcome {
    return result ? { error: result } : { data: {} };
  }

  /** Every pending message to one listening socket, marked as coming from the pending list. */
  private pushPending(session: BlazeSession): void {
    for (const m of this.store.pending(this.now(), this.settings.retentionMs)) this.hub.push(session, 'CREATE_MESSAGE', messageView(m, 'LIST_PENDING_MESSAGES'));
  }

  /** Validates a whole batch first, then stores it (all or nothing). */
  private sendBatch(items: readonly unknown[], batch: boolean, via: 'blaze' | 'rest'): MixinError | undefined {
    if (items.length === 0) return invalidField('messages', 'is empty');
    if (items.length > MAX_BATCH) return invalidField('messages', `at most ${MAX_BATCH} messages a call`);
    const checked: OutboundMessage[] = [];
    for (const [index, item] of items.entries()) {
      const v = validateOutbound(item, { store: this.store, botId: this.bot.appId, ...(batch ? { index } : {}) });
      if (isMixinError(v)) return v;
      checked.push(v);
    }
    for (const o of checked) this.acceptOutbound(o, via);
    return undefined;
  }

  private acknowledge(items: readonly unknown[], via: AckRecord['via']): MixinError | undefined {
    if (items.length > MAX_BATCH) return invalidField('messages', `at most ${MAX_BATCH} acknowledgements a call`);
    const parsed: { message_id: string; status: string }[] = [];
    for (const [index, item] of items.entries()) {
      const v = ackItemSchema.safeParse(item);
      if (!v.success) return invalidField(`messages[${index}]`, v.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      parsed.push(v.data);
    }
    for (const a of parsed) this.store.acknowledge(a.message_id, a.status, this.now(), via);
    return undefined;
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private verify(req: IncomingMessage, uri: string, body: Buffer): JwtCheck {
    return verifyMixinJwt(
      { authorization: headerValue(req.headers.authorization), method: req.method ?? 'GET', uri, body },
      {
        sessionKey: (uid, sid) => (uid === this.bot.appId && sid === this.bot.sessionId ? this.bot.sessionPublicKey : undefined),
        now: () => this.now(),
        maxSkewMs: this.settings.maxClockSkewMs,
      },
    );
  }

  /** Fault `echoSecrets`: the 401 whose description quotes the request's JWT and the session id. */
  private takeEchoSecrets(req: IncomingMessage): MixinError | undefined {
    if (!takeArmed(this.faultState, 'echoSecrets')) return undefined;
    const token = /^Bearer\s+(\S+)$/i.exec(headerValue(req.headers.authorization) ?? '')?.[1] ?? '';
    noteEchoed(this.faultState.echoedSecrets, token, this.bot.sessionId);
    return { code: 401, description: `Unauthorized, maybe invalid token: ${token} (session ${this.bot.sessionId})` };
  }

  private takeHttpFault(): MixinError | undefined {
    if (takeArmed(this.faultState, 'http401')) return ERRORS.unauthorized;
    if (takeArmed(this.faultState, 'http403')) return ERRORS.forbidden;
    if (takeArmed(this.faultState, 'http429')) return ERRORS.tooMany;
    return undefined;
  }

  private record(r: Omit<RequestRecord, 'seq' | 'time'>): void {
    this.requestLog.append({ time: this.now(), ...r });
  }

  private envelope(error: MixinError): unknown {
    return { error: { status: 202, code: error.code, description: error.description, ...(error.extra ? { extra: error.extra } : {}) } };
  }

  /** Mixin answers errors with HTTP 202 and the envelope; only server faults are 5xx. */
  private sendError(res: ServerResponse, error: MixinError, httpStatus = 202): void {
    this.sendBody(res, httpStatus, httpStatus === 202 ? this.envelope(error) : { error: { status: httpStatus, code: error.code, description: error.description } });
  }

  private sendBody(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req.url);
    const rawQuery = rawQueryOf(req.url);
    const method = req.method ?? 'GET';
    const requestId = headerValue(req.headers['x-request-id']) ?? randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const base = { method, path, rawQuery, requestId };
    if (path.startsWith('/upload/')) return this.upload(req, res, path.slice('/upload/'.length), rawQuery, base);
    if (path.startsWith('/view/')) return this.view(res, method, path.slice('/view/'.length), rawQuery, base);
    if (path.startsWith('/public/') && (method === 'GET' || method === 'HEAD')) {
      const file = this.media.get(path.slice('/public/'.length));
      this.record({ kind: 'view', ...base, auth: null, jti: null, httpStatus: file ? 200 : 404, errorCode: null });
      if (!file) return sendS3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      return sendFile(res, method, file, 'public, max-age=86400');
    }
    const body = await readBytesUpTo(req, MAX_BODY_BYTES * 2);
    const fail = (error: MixinError, auth: string | null, jti: string | null): void => {
      this.record({ kind: 'rest', ...base, auth, jti, httpStatus: 202, errorCode: error.code });
      this.sendError(res, error);
    };
    if (!body) return fail(invalidField('body', 'larger than 128 KB'), null, null);
    const fault = this.takeHttpFault();
    if (fault) return fail(fault, null, null);
    const check = this.verify(req, req.url ?? '/', body);
    if (!check.ok) return fail(ERRORS.unauthorized, check.reason, null);
    const echoed = this.takeEchoSecrets(req);
    if (echoed) return fail(echoed, 'ok', check.claims.jti);
    const result = this.route(method, path, body);
    if ('error' in result) return fail(result.error, 'ok', check.claims.jti);
    this.record({ kind: 'rest', ...base, auth: 'ok', jti: check.claims.jti, httpStatus: 200, errorCode: null });
    this.sendBody(res, 200, { data: result.data });
  }

  private route(method: string, path: string, body: Buffer): { data: unknown } | { error: MixinError } {
    const json = (): { value: unknown } | undefined => {
      if (body.length === 0) return { value: undefined };
      try {
        return { value: JSON.parse(body.toString('utf8')) as unknown };
      } catch {
        return undefined;
      }
    };
    const parsed = json();
    if (!parsed) return { error: ERRORS.badRequest };
    const segments = path.split('/').filter((s) => s !== '');
    const key = `${method} /${segments[0] ?? ''}${segments.length > 1 ? '/:id' : ''}`;
    const id = segments[1] ?? '';
    if (segments.length > 2) return { error: ERRORS.notFound };
    switch (key) {
      case 'GET /me':
        return { data: this.userView(this.bot.appId, this.bot.identityNumber, this.bot.fullName, true) };
      case 'GET /users/:id': {
        const user = this.users.find((u) => u.userId === id);
        return user ? { data: this.userView(user.userId, user.identityNumber, user.fullName, false) } : { error: { ...ERRORS.notFound, description: 'The user is not found.' } };
      }
      case 'GET /stickers/:id':
        return id === STICKER_ID
          ? { data: { type: 'sticker', sticker_id: STICKER_ID, name: 'thumbs-up', asset_url: `${this.base}/public/receipt_thumb.png`, asset_type: 'png', asset_width: 80, asset_height: 120, album_id: STICKER_ALBUM_ID, created_at: rfc3339Micro(0) } }
          : { error: { ...ERRORS.notFound, description: 'The sticker is not found.' } };
      case 'POST /attachments':
        if (parsed.value !== undefined && (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value))) return { error: ERRORS.badRequest };
        return { data: this.createAttachment() };
      case 'GET /attachments/:id':
        return this.attachmentView(id);
      case 'POST /messages': {
        if (!Array.isArray(parsed.value)) return { error: invalidField('body', 'must be an array of messages') };
        if (body.length > MAX_BODY_BYTES) return { error: invalidField('body', 'larger than 128 KB') };
        const error = this.sendBatch(parsed.value, true, 'rest');
        return error ? { error } : { data: {} };
      }
      case 'POST /acknowledgements': {
        if (!Array.isArray(parsed.value)) return { error: invalidField('body', 'must be an array of acknowledgements') };
        const error = this.acknowledge(parsed.value, 'rest');
        if (error) return { error };
        return { data: (parsed.value as { message_id: string; status: string }[]).map((a) => ({ message_id: a.message_id, status: a.status })) };
      }
      case 'POST /conversations':
        return this.createConversation(parsed.value);
      case 'GET /conversations/:id': {
        const c = this.store.conversations.get(id);
        if (!c) return { error: { ...ERRORS.notFound, description: 'The conversation is not found.' } };
        if (!c.participants.some((p) => p.userId === this.bot.appId)) return { error: ERRORS.forbidden };
        return { data: this.conversationView(c) };
      }
      default:
        return { error: ERRORS.notFound };
    }
  }

  private userView(userId: string, identityNumber: string, fullName: string, isBot: boolean): unknown {
    return {
      type: 'user', user_id: userId, identity_number: identityNumber, full_name: fullName, avatar_url: '', relationship: isBot ? 'ME' : 'STRANGER',
      is_verified: false, ...(isBot ? { app_id: this.bot.appId, session_id: this.bot.sessionId } : {}), created_at: rfc3339Micro(this.now() - 90 * 86_400_000),
    };
  }

  private conversationView(c: Conversation): Record<string, unknown> {
    return {
      type: 'conversation', conversation_id: c.conversationId, creator_id: c.creatorId, category: c.category, name: c.name, icon_url: '', announcement: '',
      created_at: rfc3339Micro(c.createdAt), participants: c.participants.map((p) => ({ type: 'participant', user_id: p.userId, role: p.role, created_at: rfc3339Micro(p.createdAt) })),
    };
  }

  private createConversation(input: unknown): { data: unknown } | { error: MixinError } {
    const v = conversationSchema.safeParse(input);
    if (!v.success) return { error: invalidField(v.error.issues[0]?.path.join('.') || 'body', v.error.issues[0]?.message ?? 'invalid') };
    const body = v.data;
    const others = body.participants.map((p) => p.user_id).filter((u) => u !== this.bot.appId);
    for (const u of others) if (!this.users.some((x) => x.userId === u)) return { error: { ...ERRORS.notFound, description: 'The user is not found.' } };
    if (body.category === 'CONTACT') {
      if (others.length !== 1) return { error: invalidField('participants', 'a contact conversation has exactly one other user') };
      if (body.conversation_id !== uniqueConversationId(this.bot.appId, others[0]!)) return { error: invalidField('conversation_id', 'must be the unique conversation id of the two users') };
    }
    const existing = this.store.conversations.get(body.conversation_id);
    if (existing) {
      if (existing.category !== body.category) return { error: invalidField('category', 'differs from the existing conversation') };
      return { data: this.conversationView(existing) };
    }
    const now = this.now();
    const c: Conversation = {
      conversationId: body.conversation_id, category: body.category, name: body.category === 'GROUP' ? (body.name ?? '') : '', creatorId: this.bot.appId, createdAt: now,
      participants: [{ userId: this.bot.appId, role: body.category === 'GROUP' ? 'OWNER' : '', createdAt: now }, ...others.map((userId) => ({ userId, role: '' as const, createdAt: now }))],
    };
    this.store.conversations.set(c.conversationId, c);
    return { data: this.conversationView(c) };
  }

  private createAttachment(): unknown {
    const attachmentId = randomUUID();
    const now = this.now();
    this.store.attachments.set(attachmentId, { attachmentId, createdAt: now });
    return {
      type: 'attachment', attachment_id: attachmentId,
      upload_url: `${this.base}/upload/${attachmentId}?${this.signer.query('PUT', attachmentId, now + this.settings.uploadUrlTtlMs)}`,
      view_url: this.viewUrl(attachmentId), created_at: rfc3339Micro(now),
    };
  }

  private viewUrl(attachmentId: string): string {
    return `${this.base}/view/${attachmentId}?${this.signer.query('GET', attachmentId, this.now() + this.settings.viewUrlTtlMs)}`;
  }

  private attachmentView(id: string): { data: unknown } | { error: MixinError } {
    const a = this.store.attachments.get(id);
    if (!a || a.createdAt + this.settings.attachmentTtlMs < this.now()) return { error: { ...ERRORS.notFound, description: 'The attachment is not found.' } };
    return { data: { type: 'attachment', attachment_id: a.attachmentId, view_url: this.viewUrl(a.attachmentId), created_at: rfc3339Micro(a.createdAt) } };
  }

  private async upload(req: IncomingMessage, res: ServerResponse, id: string, rawQuery: string, base: { method: string; path: string; rawQuery: string; requestId: string }): Promise<void> {
    const done = (status: number): void => this.record({ kind: 'upload', ...base, auth: null, jti: null, httpStatus: status, errorCode: null });
    if (req.method !== 'PUT') {
      done(405);
      return sendS3Error(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
    const denied = this.signer.check('PUT', id, new URLSearchParams(rawQuery), this.now());
    if (denied) {
      done(403);
      req.resume();
      return sendS3Error(res, 403, denied, denied === 'ExpiredToken' ? 'Request has expired' : 'The request signature we calculated does not match the signature you provided.');
    }
    const a = this.store.attachments.get(id);
    const bytes = await readBytesUpTo(req, MAX_UPLOAD_BYTES);
    if (!bytes) {
      done(400);
      return sendS3Error(res, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
    }
    if (!a) {
      done(404);
      return sendS3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    }
    a.body = bytes;
    a.contentType = headerValue(req.headers['content-type']) ?? 'application/octet-stream';
    a.uploadedAt = this.now();
    done(200);
    res.writeHead(200, { ETag: `"${createHash('md5').update(bytes).digest('hex')}"`, 'Content-Length': 0 });
    res.end();
  }

  private view(res: ServerResponse, method: string, id: string, rawQuery: string, base: { method: string; path: string; rawQuery: string; requestId: string }): void {
    const done = (status: number): void => this.record({ kind: 'view', ...base, auth: null, jti: null, httpStatus: status, errorCode: null });
    if (method !== 'GET' && method !== 'HEAD') {
      done(405);
      return sendS3Error(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
    const denied = this.signer.check('GET', id, new URLSearchParams(rawQuery), this.now());
    if (denied) {
      done(403);
      return sendS3Error(res, 403, denied, 'Access denied.');
    }
    const a = this.store.attachments.get(id);
    if (!a || !a.body || a.createdAt + this.settings.attachmentTtlMs < this.now()) {
      done(404);
      return sendS3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    }
    done(200);
    sendFile(res, method, { contentType: a.contentType ?? 'application/octet-stream', body: a.body });
  }
}

/** The error a Blaze request gets under the `error` fault. */
function errorForCode(code: number): MixinError {
  if (code === 7000) return ERRORS.blazeServer;
  if (code === 7001) return ERRORS.blazeTimeout;
  if (code === 403) return ERRORS.forbidden;
  if (code === 401) return ERRORS.unauthorized;
  if (code === 429) return ERRORS.tooMany;
  return { code, description: 'Sandbox fault.' };
}

