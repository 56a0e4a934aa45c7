// The MultiWA (self-hosted WhatsApp gateway) emulator: one HTTP server carrying the REST API under
// /api/v1, uploaded files, Socket.IO (namespace /ws) and the plain WebSocket API (/ws); a seeded
// database, WhatsApp profiles with their engine states (ready, pairing, none), the outbound
// lifecycle (pending → sent → delivered → read), QR pairing, the scripted customer and the fault
// switches. Its public methods are the typed test hooks (the control API exposes the same).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as z from 'zod';
import { TrackedServer, pathOf, rejectUpgrade } from '../util/http';
import { SandboxInputError, parseInput } from '../util/input';
import { buildMediaLibrary, type MediaFile } from '../util/media';
import { qrPngDataUrl } from '../util/qrCode';
import { seededRandom, type Random } from '../util/random';
import { RecordLog } from '../util/recordLog';
import { withDefaults } from '../util/settings';
import { TimerGroup, TimerRegistry, type TimerHandle } from '../util/timers';
import { AuthService } from './auth';
import { INBOUND_KINDS, inboundContent, inlineMedia, type InboundExtras, type InboundKind, type MediaPlacement } from './content';
import { planReply } from './counterparty';
import { conversationSnapshot, garbled, plainEvent, socketIoEvent, type ProfileEvent } from './events';
import { faultRequestSchema, type FaultRequest, type FaultState } from './faults';
import { PlainSocketHub } from './plainSocket';
import type { RequestKind, RequestRecord } from './records';
import { Throttle, handleRest, type RestBackend } from './rest';
import { sendMessage, type SendOutcome, type SendPorts } from './sendService';
import { PAIRING_CUSTOMERS, buildSeededStore, incomingWaId, seedConversation, uuidFrom, type SeededAccount } from './seed';
import { SocketIoGateway } from './socketIoGateway';
import { conversationJson, messageJson, profileJson, type ConversationRow, type JsonObject, type MessageRow, type MultiwaStore, type ProfileRow, type User } from './store';
import { UploadStore } from './uploads';

export interface MultiwaSettings {
  seed: number | string;
  counterparty: boolean;
  /** Delay of the customer's reply after they read our message. */
  counterpartyReplyDelayMs: number;
  /** After a send: the `sent` ack, then `delivered`, then `read` (when the customer reads). */
  ackSentDelayMs: number;
  deliveredDelayMs: number;
  readDelayMs: number;
  /** `queued` send mode: how long the durable queue takes to send. */
  queueDelayMs: number;
  /** Access-token lifetime (the gateway's JWT_EXPIRES_IN; short here so refresh is exercised). */
  accessTokenTtlMs: number;
  /** The global throttler: requests a minute per IP and route. */
  requestsPerMinute: number;
  loginPerMinute: number;
  refreshPerMinute: number;
  /** Per-profile send gate: spacing between sends, and the daily cap (null: none). */
  messageDelayMs: number;
  dailyMessageLimit: number | null;
  /** Engine.IO heartbeat (server pings). */
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** Plain WebSocket API: close a client that sent no `ping` for this long. */
  plainWsIdleTimeoutMs: number;
  /** Pairing: first QR after connect, then a fresh one every interval. */
  qrFirstDelayMs: number;
  qrIntervalMs: number;
  /** Pair by itself this long after pairing starts (0: only `POST /pair`). */
  autoPairAfterMs: number;
  /** A `profileDisconnect` recovers after this long. */
  recoverAfterMs: number;
  /** Messages in account 0's long conversation. */
  longHistory: number;
  /** Incoming media: inlined as a data URL (the gateway's way) or a link this emulator serves. */
  inboundMedia: 'inline' | 'link';
  /** Sandbox extension: incoming quoted replies carry the quoted WhatsApp id (the gateway stores none). */
  inboundQuotes: boolean;
  sendMode: 'sync' | 'queued' | 'engineFailure';
}

export const DEFAULT_MULTIWA_SETTINGS: MultiwaSettings = {
  seed: 1, counterparty: true, counterpartyReplyDelayMs: 1500, ackSentDelayMs: 300, deliveredDelayMs: 1200, readDelayMs: 3000, queueDelayMs: 800,
  accessTokenTtlMs: 15 * 60_000, requestsPerMinute: 120, loginPerMinute: 5, refreshPerMinute: 10, messageDelayMs: 1500, dailyMessageLimit: null,
  pingIntervalMs: 25_000, pingTimeoutMs: 20_000, plainWsIdleTimeoutMs: 90_000, qrFirstDelayMs: 1000, qrIntervalMs: 20_000, autoPairAfterMs: 0,
  recoverAfterMs: 5000, longHistory: 320, inboundMedia: 'inline', inboundQuotes: false, sendMode: 'sync',
};

export type MultiwaEmulatorOptions = Partial<MultiwaSettings> & { readonly clock?: () => number; readonly log?: (line: string) => void };

type Engine = 'ready' | 'pairing' | 'none';

export interface MultiwaAccountInfo {
  readonly label: string;
  readonly credentials: Readonly<Record<string, string>>;
  readonly endpoints: { readonly baseUrl: string };
  readonly settings: { readonly profileId: string; readonly transport: 'auto' };
}

const injectSchema = z
  .object({
    conversationId: z.string(),
    type: z.enum(INBOUND_KINDS as unknown as [InboundKind, ...InboundKind[]]).optional(),
    text: z.string().max(4096).optional(),
    latitude: z.number().optional(),
    longitude: z.number().optional(),
    placeName: z.string().max(200).optional(),
    contactName: z.string().max(200).optional(),
    contactPhone: z.string().max(40).optional(),
    question: z.string().max(300).optional(),
    options: z.array(z.string().max(100)).min(2).max(12).optional(),
    emoji: z.string().max(16).optional(),
    /** Reaction target: a message row id (default: our last message). */
    targetId: z.string().optional(),
  })
  .strict();
export type MultiwaInjectInput = z.input<typeof injectSchema>;

const pairSchema = z.object({ profileId: z.string() }).strict();

export class MultiwaEmulator {
  readonly settings: MultiwaSettings;
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  private readonly timers = new TimerRegistry();
  private readonly lifecycle = new TimerGroup(this.timers);
  private readonly replies = new TimerGroup(this.timers);
  private readonly library: ReadonlyMap<string, MediaFile> = buildMediaLibrary();
  private readonly requestLog = new RecordLog<RequestRecord>();
  readonly uploads = new UploadStore();
  private readonly throttle = new Throttle();
  private readonly linkedMedia = new Map<string, MediaFile>();
  private readonly server: TrackedServer;
  private readonly socketIo: SocketIoGateway;
  private readonly plain: PlainSocketHub;
  private readonly auth: AuthService;
  private store: MultiwaStore;
  private seeded: readonly SeededAccount[];
  private engines = new Map<string, Engine>();
  private pairingTimers = new Map<string, TimerHandle[]>();
  private sendChains = new Map<string, Promise<unknown>>();
  private lastSentAt = new Map<string, number>();
  private readReceipts: { profileId: string; chatId: string; messageIds: readonly string[] | null; time: number }[] = [];
  private faultState: FaultState;
  private streams = 0;
  private base = '';
  private closed = false;

  constructor(options: MultiwaEmulatorOptions = {}) {
    const { clock, log, ...settings } = options;
    this.settings = withDefaults(DEFAULT_MULTIWA_SETTINGS, settings);
    this.clock = clock ?? Date.now;
    this.log = log ?? (() => undefined);
    this.faultState = this.defaultFaults();
    const built = this.seed();
    this.store = built.store;
    this.seeded = built.accounts;
    this.auth = new AuthService(`multiwa-sandbox-${String(this.settings.seed)}`, () => this.store, () => this.now(), () => this.settings.accessTokenTtlMs);
    const owns = (user: User, profileId: string): boolean => this.ownsProfile(user, profileId);
    this.socketIo = new SocketIoGateway(
      { userOfToken: (t) => this.auth.userOfToken(t, false), userOfApiKey: (k) => this.auth.userOfApiKey(k), ownsProfile: owns, now: () => this.now(), log: this.log },
      { pingIntervalMs: this.settings.pingIntervalMs, pingTimeoutMs: this.settings.pingTimeoutMs },
    );
    this.plain = new PlainSocketHub({
      timers: this.timers, idleTimeoutMs: () => this.settings.plainWsIdleTimeoutMs, userOfToken: (t) => this.auth.userOfToken(t, false),
      userOfApiKey: (k) => this.auth.userOfApiKey(k), ownsProfile: owns, clientId: () => this.random('ws-client').alnum(20), now: () => this.now(), log: this.log,
    });
    this.server = new TrackedServer((req, res) => {
      if (pathOf(req.url).startsWith('/socket.io/')) {
        this.record({ kind: 'socket.io', method: req.method ?? 'GET', path: pathOf(req.url), rawQuery: '', auth: null, credentialTail: null, httpStatus: this.faultState.socketIoDisabled ? 404 : 200 });
        if (this.faultState.socketIoDisabled) {
          res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: `Cannot ${req.method ?? 'GET'} /socket.io/`, error: 'Not Found', statusCode: 404 }));
          return;
        }
        this.socketIo.handleRequest(req, res);
        return;
      }
      handleRest(this.restBackend(), req, res).catch((e: unknown) => {
        this.log(`multiwa request failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ statusCode: 500, message: 'Internal server error' }));
      });
    });
    this.server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  async start(host: string, port: number): Promise<void> {
    this.base = await this.server.listenUrl(host, port);
    this.log(`multiwa emulator on ${this.base}`);
  }

  get baseUrl(): string {
    return this.base;
  }

  now(): number {
    return this.clock();
  }

  // ---- accounts, state and control hooks --------------------------------------------------

  accounts(): MultiwaAccountInfo[] {
    return this.seeded.map((a) => ({
      label: a.label,
      credentials: a.index === 0 ? ({ authMethod: 'apiKey', apiKey: a.apiKey } as Record<string, string>) : { authMethod: 'login', email: a.email, password: a.password },
      endpoints: { baseUrl: this.base },
      settings: { profileId: a.profileId, transport: 'auto' },
    }));
  }

  /** The seeded identities (API keys included, for tests: account 1 also has a key). */
  seededAccounts(): readonly SeededAccount[] {
    return this.seeded;
  }

  state(): unknown {
    return {
      now: this.now(),
      faults: this.faults(),
      accounts: this.seeded.map((a) => ({ index: a.index, label: a.label, organizationId: a.organizationId, userId: a.userId, profileId: a.profileId, email: a.email })),
      profiles: this.profiles(),
      conversations: this.store.allConversations().length,
      uploads: this.uploads.size,
      sockets: { socketIo: this.socketIo.list(), plain: this.plain.list() },
      readReceipts: this.readReceipts,
      pendingTimers: this.timers.size,
    };
  }

  profiles(): unknown[] {
    return this.store.profiles.map((p) => ({ ...profileJson(p), engine: this.engineOf(p.id) }));
  }

  requests(filter: { sinceSeq?: number; kind?: RequestKind } = {}): RequestRecord[] {
    return this.requestLog.list((r) => (filter.sinceSeq === undefined || r.seq > filter.sinceSeq) && (filter.kind === undefined || r.kind === filter.kind));
  }

  /** Conversations of one account (index or API key), or all; newest activity first. */
  conversations(account?: number | string): unknown[] {
    const profiles = account === undefined ? this.store.profiles : [this.profileOfAccount(account)];
    return profiles.flatMap((p) => this.store.conversationsOf(p.id))
      .sort((a, b) => (b.lastMessageAt ?? 0) - (a.lastMessageAt ?? 0))
      .map((c) => ({ ...conversationJson(c), messageCount: this.store.messagesOf(c.id).length }));
  }

  messages(conversationId?: string): JsonObject[] {
    const conversations = conversationId === undefined ? this.store.allConversations() : [this.conversation(conversationId)];
    return conversations.flatMap((c) => this.store.messagesOf(c.id).map(messageJson));
  }

  sockets(): unknown {
    return { socketIo: this.socketIo.list(), plain: this.plain.list() };
  }

  /** A customer's message now, emitted realtime unless the fault loses it. */
  inject(input: MultiwaInjectInput): JsonObject {
    const v = parseInput(injectSchema, input);
    const conversation = this.conversation(v.conversationId);
    const kind = v.type ?? 'text';
    let targetWaId: string | undefined;
    if (kind === 'reaction') {
      const target = v.targetId !== undefined ? this.store.message(v.targetId) : this.lastOwn(conversation);
      if (!target || target.conversationId !== conversation.id) throw new SandboxInputError('reaction needs a targetId in this conversation (or one of our messages in it)');
      targetWaId = target.messageId;
    }
    const extras: InboundExtras = {
      latitude: v.latitude, longitude: v.longitude, placeName: v.placeName, contactName: v.contactName, contactPhone: v.contactPhone,
      question: v.question, options: v.options, emoji: v.emoji, targetWaId,
    };
    return messageJson(this.receive(conversation, kind, v.text ?? (kind === 'text' ? 'Hello, are you there?' : undefined), extras));
  }

  /** The phone scans the pairing QR code: the profile connects and its chats appear. */
  pair(input: { profileId: string }): unknown {
    const v = parseInput(pairSchema, input);
    const profile = this.profile(v.profileId);
    if (this.engineOf(profile.id) !== 'pairing') throw new SandboxInputError('the profile is not showing a QR code (POST /profiles/:id/connect first)');
    this.completePairing(profile);
    return profileJson(profile);
  }

  faults(): FaultState {
    return { ...this.faultState, slowReplies: { ...this.faultState.slowReplies } };
  }

  applyFaults(input: FaultRequest): FaultState {
    const v = parseInput(faultRequestSchema, input);
    const f = this.faultState;
    if (v.loseEvents !== undefined) f.loseEvents = v.loseEvents;
    if (v.malformedEvents !== undefined) f.malformedEvents = v.malformedEvents;
    if (v.http429 !== undefined) f.http429 = v.http429;
    if (v.http5xx !== undefined) f.http5xx = v.http5xx;
    if (v.loseReplies !== undefined) f.loseReplies = v.loseReplies;
    if (v.slowReplies !== undefined) f.slowReplies = { ...v.slowReplies };
    if (v.sendMode !== undefined) f.sendMode = v.sendMode;
    if (v.socketIoDisabled !== undefined) {
      f.socketIoDisabled = v.socketIoDisabled;
      if (v.socketIoDisabled) this.socketIo.disconnectAll();
    }
    if (v.plainWsDisabled !== undefined) {
      f.plainWsDisabled = v.plainWsDisabled;
      if (v.plainWsDisabled) this.plain.dropAll();
    }
    if (v.echoSecrets !== undefined) this.faultState.echoSecrets = v.echoSecrets;
    if (v.counterparty !== undefined) {
      f.counterparty = v.counterparty;
      if (!v.counterparty) this.replies.cancelAll();
    }
    if (v.expireApiKey !== undefined) {
      const index = v.expireApiKey === true ? 0 : v.expireApiKey.account;
      const account = this.seeded[index];
      if (!account) throw new SandboxInputError('unknown account');
      const key = this.store.apiKeyByKey(account.apiKey);
      if (key) key.expiresAt = this.now() - 1;
    }
    if (v.profileDisconnect !== undefined) {
      const spec = v.profileDisconnect === true ? {} : v.profileDisconnect;
      this.dropProfile(this.profile(spec.profileId ?? this.seeded[0]!.profileId), spec.recoverAfterMs ?? this.settings.recoverAfterMs);
    }
    if (v.requirePairing !== undefined) {
      this.logOut(this.profile(v.requirePairing === true ? this.seeded[0]!.profileId : v.requirePairing.profileId));
    }
    this.log(`multiwa faults: ${JSON.stringify(v)}`);
    return this.faults();
  }

  reset(): void {
    this.socketIo.disconnectAll();
    this.plain.closeAll('sandbox reset', true);
    this.timers.clearAll();
    this.lifecycle.cancelAll();
    this.replies.cancelAll();
    this.requestLog.clear();
    this.uploads.clear();
    this.throttle.clear();
    this.linkedMedia.clear();
    this.auth.clear();
    this.faultState = this.defaultFaults();
    this.sendChains = new Map();
    this.lastSentAt = new Map();
    this.pairingTimers = new Map();
    this.readReceipts = [];
    this.streams = 0;
    const built = this.seed();
    this.store = built.store;
    this.seeded = built.accounts;
    this.log('multiwa reset');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.timers.clearAll();
    await Promise.all([this.socketIo.close(), this.plain.dispose()]);
    await this.server.close();
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  // ---- REST back end ------------------------------------------------------------------------

  private restBackend(): RestBackend {
    return {
      settings: this.settings,
      faults: this.faultState,
      store: this.store,
      auth: this.auth,
      uploads: this.uploads,
      throttle: this.throttle,
      now: () => this.now(),
      log: this.log,
      record: (r) => this.record(r),
      delay: (ms) => new Promise<void>((resolve) => this.timers.setTimeout(() => resolve(), ms)),
      ownsProfile: (user, profileId) => this.ownsProfile(user, profileId),
      engineOf: (profileId) => this.engineOf(profileId),
      send: (user, kind, body) => this.send(user, kind, body),
      connect: (profile) => this.connect(profile),
      disconnect: (profile) => this.disconnect(profile),
      markRead: (conversation) => this.markConversationRead(conversation),
      linkedMedia: (path) => this.linkedMedia.get(path),
      newUuid: () => uuidFrom(this.random('uuid')),
      recordReceipt: (profileId, chatId, messageIds) => this.readReceipts.push({ profileId, chatId, messageIds, time: this.now() }),
    };
  }

  private record(r: Omit<RequestRecord, 'seq' | 'time'>): void {
    this.requestLog.append({ time: this.now(), ...r });
  }

  // ---- realtime ---------------------------------------------------------------------------

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = pathOf(req.url);
    if (path.startsWith('/socket.io/')) {
      this.record({ kind: 'socket.io', method: 'GET', path, rawQuery: '', auth: null, credentialTail: null, httpStatus: this.faultState.socketIoDisabled ? 404 : 101 });
      if (this.faultState.socketIoDisabled) return rejectUpgrade(socket, 404, { message: 'Cannot GET /socket.io/', error: 'Not Found', statusCode: 404 });
      this.socketIo.handleUpgrade(req, socket, head);
      return;
    }
    if (path === '/ws') {
      this.record({ kind: 'ws', method: 'GET', path, rawQuery: '', auth: null, credentialTail: null, httpStatus: this.faultState.plainWsDisabled ? 404 : 101 });
      if (this.faultState.plainWsDisabled) return rejectUpgrade(socket, 404, { message: 'Cannot GET /ws', error: 'Not Found', statusCode: 404 });
      this.plain.handleUpgrade(req, socket, head);
      return;
    }
    rejectUpgrade(socket, 404, { message: `Cannot GET ${path}`, error: 'Not Found', statusCode: 404 });
  }

  /** One event to both transports; the lose and malformed faults take one event each. */
  private emit(profileId: string, event: ProfileEvent): void {
    if (this.faultState.loseEvents > 0) {
      this.faultState.loseEvents -= 1;
      this.log(`multiwa event lost (fault): ${event.kind}`);
      return;
    }
    const malformed = this.faultState.malformedEvents > 0;
    if (malformed) this.faultState.malformedEvents -= 1;
    const [name, payload] = socketIoEvent(profileId, event);
    this.socketIo.emitToProfile(profileId, name, malformed ? garbled(JSON.stringify(payload)) : payload);
    const plain = plainEvent(event);
    if (plain) {
      const [plainName, data] = plain;
      const text = JSON.stringify({ type: 'event', payload: { event: plainName, profileId, data, timestamp: new Date(this.now()).toISOString() } });
      this.plain.emit(profileId, plainName, () => (malformed ? garbled(text) : text));
    }
  }

  // ---- profiles, engines, pairing ---------------------------------------------------------

  private engineOf(profileId: string): Engine {
    return this.engines.get(profileId) ?? (this.store.profile(profileId)?.status === 'connected' ? 'ready' : 'none');
  }

  private ownsProfile(user: User, profileId: string): boolean {
    const profile = this.store.profile(profileId);
    return profile !== undefined && this.store.organizationOfProfile(profile)?.id === user.organizationId;
  }

  private connect(profile: ProfileRow): JsonObject {
    if (profile.status === 'connected') return { status: 'already_connected', phone: profile.phoneNumber };
    this.stopPairing(profile.id);
    profile.status = 'connecting';
    profile.updatedAt = this.now();
    this.engines.set(profile.id, 'pairing');
    const handles: TimerHandle[] = [];
    const showQr = (): void => {
      const r = this.random('qr');
      // whatsapp-web.js pairing payloads are `ref,publicKey,identityKey,advSecret`; a shorter one fits the QR.
      this.emit(profile.id, { kind: 'qr', qrCode: qrPngDataUrl(`2@${r.alnum(28)},${r.alnum(20)},${r.alnum(12)}`) });
      handles.push(this.timers.setTimeout(showQr, this.settings.qrIntervalMs));
    };
    handles.push(this.timers.setTimeout(showQr, this.settings.qrFirstDelayMs));
    if (this.settings.autoPairAfterMs > 0) handles.push(this.timers.setTimeout(() => this.completePairing(profile), this.settings.autoPairAfterMs));
    this.pairingTimers.set(profile.id, handles);
    this.log(`multiwa profile ${profile.id} pairing`);
    return { status: 'connecting', message: 'Scan QR code to connect' };
  }

  private stopPairing(profileId: string): void {
    for (const handle of this.pairingTimers.get(profileId) ?? []) this.timers.clearTimeout(handle);
    this.pairingTimers.delete(profileId);
  }

  private completePairing(profile: ProfileRow): void {
    this.stopPairing(profile.id);
    const firstTime = profile.phoneNumber === null;
    profile.phoneNumber ??= `62812345${String(this.store.profiles.indexOf(profile) + 1).padStart(5, '0')}`;
    profile.pushName ??= profile.displayName;
    profile.status = 'connected';
    profile.lastConnectedAt = this.now();
    profile.updatedAt = this.now();
    this.engines.set(profile.id, 'ready');
    this.emit(profile.id, { kind: 'status', status: 'connected', phone: profile.phoneNumber });
    this.log(`multiwa profile ${profile.id} paired`);
    if (firstTime) {
      // A freshly linked phone brings its chats: two customers, one of whom writes right away.
      const r = this.random('pairing');
      const chats = PAIRING_CUSTOMERS.map((c, i) => seedConversation(this.store, r, profile, c, 4 + i * 2, (i + 1) * 3_600_000, this.now(), this.library, 0));
      const first = chats[0];
      if (first) this.lifecycle.setTimeout(() => this.receive(first, 'text', 'Hi, I saw your number on the P2P ad. Still buying?'), 500);
    }
  }

  private disconnect(profile: ProfileRow): JsonObject {
    this.stopPairing(profile.id);
    this.engines.set(profile.id, 'none');
    profile.status = 'disconnected';
    profile.updatedAt = this.now();
    this.emit(profile.id, { kind: 'status', status: 'disconnected' });
    return { status: 'disconnected' };
  }

  /** A temporary drop: the gateway retries (`reconnecting (n/3)`) and the session comes back. */
  private dropProfile(profile: ProfileRow, recoverAfterMs: number): void {
    if (profile.status !== 'connected') throw new SandboxInputError('the profile is not connected');
    this.engines.set(profile.id, 'none');
    profile.status = 'connecting';
    this.emit(profile.id, { kind: 'status', status: 'reconnecting (1/3)' });
    this.lifecycle.setTimeout(() => {
      if (this.engines.get(profile.id) !== 'none' || profile.status !== 'connecting') return;
      profile.status = 'connected';
      profile.lastConnectedAt = this.now();
      this.engines.set(profile.id, 'ready');
      this.emit(profile.id, { kind: 'status', status: 'connected', phone: profile.phoneNumber ?? undefined });
    }, recoverAfterMs);
  }

  /** Logged out on the phone: the session is gone and a new QR pairing is needed. */
  private logOut(profile: ProfileRow): void {
    this.stopPairing(profile.id);
    this.engines.set(profile.id, 'none');
    profile.status = 'disconnected';
    this.emit(profile.id, { kind: 'status', status: 'disconnected' });
  }

  // ---- sending ------------------------------------------------------------------------------

  private send(user: User, kind: string, body: Readonly<Record<string, unknown>>): Promise<SendOutcome> {
    return sendMessage(this.sendPorts(), user, kind, body);
  }

  private sendPorts(): SendPorts {
    return {
      store: this.store,
      settings: this.settings,
      faults: this.faultState,
      now: () => this.now(),
      random: (label) => this.random(label),
      engineOf: (id) => this.engineOf(id),
      gate: (profile, run) => this.gate(profile, run),
      afterSent: (row) => this.afterSent(row),
      schedule: (fn, ms) => this.lifecycle.setTimeout(fn, ms),
      emitUpdate: (row) => this.emit(row.profileId, { kind: 'update', message: row }),
      log: this.log,
    };
  }

  /** The send gate: one send at a time per profile, `messageDelayMs` apart; the daily cap answers 429. */
  private gate<T>(profile: ProfileRow, run: () => T): Promise<T | { limit: JsonObject }> {
    const previous = this.sendChains.get(profile.id) ?? Promise.resolve();
    const result = previous.then(async () => {
      const wait = Math.max(0, profile.messageDelayMs - (this.now() - (this.lastSentAt.get(profile.id) ?? 0)));
      if (wait > 0) await new Promise<void>((resolve) => this.timers.setTimeout(() => resolve(), wait));
      this.lastSentAt.set(profile.id, this.now());
      const now = this.now();
      if (profile.dailyResetAt === null || profile.dailyResetAt <= now) {
        profile.dailyMessageCount = 0;
        profile.dailyResetAt = nextMidnightWib(now);
      }
      if (profile.dailyMessageLimit !== null && profile.dailyMessageCount >= profile.dailyMessageLimit) {
        return { limit: { error: 'DAILY_LIMIT_REACHED', lane: 'service', limit: profile.dailyMessageLimit, count: profile.dailyMessageCount, resetAt: new Date(profile.dailyResetAt).toISOString() } };
      }
      const value = run();
      // Only a real send counts against the day (a refused one does not).
      if (value !== undefined) profile.dailyMessageCount += 1;
      return value;
    });
    this.sendChains.set(profile.id, result.then(() => undefined, () => undefined));
    return result;
  }

  /** Acks of a sent message: `sent`, then `delivered`, then `read` when the customer reads it. */
  private afterSent(row: MessageRow): void {
    const waId = row.messageId;
    const ack = (status: 'sent' | 'delivered' | 'read'): void => {
      const rows = this.store.messagesByWaId(row.profileId, waId);
      if (rows.length === 0) return;
      for (const r of rows) r.status = status;
      this.emit(row.profileId, { kind: 'ack', waMessageId: waId, status });
    };
    this.lifecycle.setTimeout(() => ack('sent'), this.settings.ackSentDelayMs);
    this.lifecycle.setTimeout(() => ack('delivered'), this.settings.deliveredDelayMs);
    const conversation = this.store.conversation(row.conversationId);
    const scripted = conversation && this.faultState.counterparty && row.type !== 'reaction' && this.seeded[0]?.profileId === row.profileId;
    if (!scripted) return;
    const store = this.store;
    this.replies.setTimeout(() => {
      if (store !== this.store || !this.faultState.counterparty) return;
      ack('read');
      const steps = planReply({ seed: this.settings.seed, rowId: row.id, turn: this.store.messagesOf(conversation.id).filter((m) => m.direction === 'outgoing' && m.timestamp <= row.timestamp).length, text: typeof row.content.text === 'string' ? row.content.text : '' });
      for (const step of steps) {
        this.replies.setTimeout(() => {
          if (store !== this.store || !this.faultState.counterparty) return;
          const quoted = step.quote ? row.messageId : undefined;
          this.receive(conversation, step.kind, step.text, { ...step.extras, targetWaId: step.kind === 'reaction' ? row.messageId : undefined }, quoted);
        }, this.settings.counterpartyReplyDelayMs * step.after);
      }
    }, this.settings.readDelayMs);
  }

  // ---- receiving ----------------------------------------------------------------------------

  private mediaPlacement(): MediaPlacement {
    if (this.settings.inboundMedia === 'inline') return inlineMedia(5 * 1024 * 1024);
    return (file) => {
      const name = `${uuidFrom(this.random('media'))}.${file.contentType.startsWith('image/') ? 'png' : file.contentType.startsWith('video/') ? 'mp4' : file.contentType.startsWith('audio/') ? 'ogg' : 'pdf'}`;
      const path = `/api/v1/uploads/file/media/${name}`;
      this.linkedMedia.set(path, file);
      return { url: `${this.base}${path}` };
    };
  }

  /** A customer's message stored as the gateway stores it, then emitted with the conversation as it was. */
  private receive(conversation: ConversationRow, kind: InboundKind, text: string | undefined, extras: InboundExtras = {}, quotedWaId?: string): MessageRow {
    const r = this.random('inbound');
    const now = this.now();
    const snapshot = conversationSnapshot(conversation);
    const row: MessageRow = {
      id: uuidFrom(r), profileId: conversation.profileId, conversationId: conversation.id, messageId: incomingWaId(r, conversation.jid),
      direction: 'incoming', senderJid: conversation.jid, type: kind, content: inboundContent(kind, text, this.library, extras, this.mediaPlacement()),
      quotedMessageId: this.settings.inboundQuotes && quotedWaId !== undefined ? quotedWaId : null, status: 'received', lane: null,
      timestamp: Math.max(now, (this.store.lastMessage(conversation.id)?.timestamp ?? 0) + 1), metadata: null, createdAt: now,
    };
    this.store.addMessage(row);
    conversation.lastMessageAt = row.timestamp;
    conversation.unreadCount += 1;
    conversation.updatedAt = now;
    this.emit(conversation.profileId, { kind: 'message', message: row, conversation: snapshot });
    return row;
  }

  private markConversationRead(conversation: ConversationRow): void {
    conversation.unreadCount = 0;
    // The gateway marks EVERY row of the conversation read in its database, ours included.
    for (const m of this.store.messagesOf(conversation.id)) if (m.status !== 'read') m.status = 'read';
  }

  // ---- helpers ------------------------------------------------------------------------------

  private seed(): { store: MultiwaStore; accounts: readonly SeededAccount[] } {
    this.engines = new Map();
    return buildSeededStore({
      seed: this.settings.seed, now: this.now(), library: this.library, longHistory: this.settings.longHistory,
      messageDelayMs: this.settings.messageDelayMs, dailyMessageLimit: this.settings.dailyMessageLimit,
    });
  }

  private defaultFaults(): FaultState {
    return {
      loseEvents: 0, malformedEvents: 0, http429: 0, http5xx: 0, loseReplies: 0, slowReplies: { ms: 0, n: 0 },
      socketIoDisabled: false, plainWsDisabled: false, sendMode: this.settings.sendMode, counterparty: this.settings.counterparty, echoSecrets: 0, echoedSecrets: [],
    };
  }

  private random(label: string): Random {
    this.streams += 1;
    return seededRandom(this.settings.seed, `multiwa-${label}-${this.streams}`);
  }

  private profile(id: string): ProfileRow {
    const profile = this.store.profile(id);
    if (!profile) throw new SandboxInputError('unknown profileId');
    return profile;
  }

  private profileOfAccount(ref: number | string): ProfileRow {
    const account = typeof ref === 'number' ? this.seeded[ref] : this.seeded.find((a) => a.apiKey === ref);
    if (!account) throw new SandboxInputError('unknown account');
    return this.profile(account.profileId);
  }

  private conversation(id: string): ConversationRow {
    const conversation = this.store.conversation(id);
    if (!conversation) throw new SandboxInputError('unknown conversationId');
    return conversation;
  }

  private lastOwn(conversation: ConversationRow): MessageRow | undefined {
    return this.store.messagesOf(conversation.id).filter((m) => m.direction === 'outgoing' && m.type !== 'reaction').pop();
  }
}

/** The next 00:00 in Jakarta (UTC+7), where the gateway resets daily counters. */
export function nextMidnightWib(from: number): number {
  const offset = 7 * 3_600_000;
  const day = Math.floor((from + offset) / 86_400_000);
  return (day + 1) * 86_400_000 - offset;
}
