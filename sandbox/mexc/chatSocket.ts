// The MEXC chat WebSocket: `/ws?listenKey=&conversationId=`, one socket per conversation.
// Enforces what the venue enforces: a live listenKey, a conversation of the key's account, at
// most N sockets per key, a client heartbeat, a maximum socket lifetime.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { pathOf, rawQueryOf, rejectUpgrade } from '../util/http';
import type { TimerHandle, TimerRegistry } from '../util/timers';
import { parseClientFrame, Replies, type SendMessageParams, type ServerReply } from './chatProtocol';
import { UpgradeErrors, type MexcErrorReply } from './errors';
import type { ListenKeyEntry } from './listenKeys';
import type { FrameRecord, RequestRecord } from './records';
import type { Conversation } from './store';
import { rawText } from '../util/wsText';

/** `live`: normal. `silent`: half-open fault, nothing in or out. `forgotten`: silent and already
 * timed out server-side (no longer counted), TCP still open until the fault is lifted. */
export type SessionState = 'live' | 'silent' | 'forgotten';

export interface ChatSession {
  readonly id: number;
  readonly ws: WebSocket;
  readonly listenKey: string;
  readonly accountUserId: string;
  readonly conversationId: number;
  /** Venue clock at open, for the lifetime rule. */
  readonly openedAt: number;
  state: SessionState;
  heartbeat: TimerHandle | undefined;
  lifetime: TimerHandle | undefined;
}

export interface SessionInfo {
  readonly id: number;
  readonly conversationId: number;
  readonly accountUserId: string;
  readonly listenKeyTail: string;
  readonly openedAt: number;
  readonly state: SessionState;
}

export interface ChatBackend {
  now(): number;
  lookupListenKey(key: string): ListenKeyEntry | undefined;
  conversation(id: number): Conversation | undefined;
  heartbeatTimeoutMs(): number;
  maxConnectionsPerListenKey(): number;
  maxSocketLifetimeMs(): number;
  /** Consumes one armed `rejectUpgrades` fault, if any. */
  takeUpgradeRejection(): boolean;
  /** A validated SEND_MESSAGE from a session (the success reply has already been sent). */
  acceptMessage(session: ChatSession, params: SendMessageParams): void;
  /** Consumes one armed `loseSendReplies` fault, if any: the send takes effect, its reply never arrives. */
  takeLostSendReply(): boolean;
  readonly timers: TimerRegistry;
  recordRequest(record: Omit<RequestRecord, 'seq'>): void;
  recordFrame(record: Omit<FrameRecord, 'seq'>): void;
  log(line: string): void;
}

export const CloseReasons = {
  heartbeat: 'heartbeat timeout',
  listenKeyExpired: 'listenKey expired',
  listenKeyDeleted: 'listenKey deleted',
  lifetime: 'connection lifetime exceeded',
  reset: 'sandbox reset',
  shutdown: 'sandbox closing',
} as const;

export class ChatSocketHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly sessions = new Map<number, ChatSession>();
  private lastSessionId = 0;

  constructor(private readonly backend: ChatBackend) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = pathOf(req.url);
    const rawQuery = rawQueryOf(req.url);
    const time = this.backend.now();
    const record = (status: number): void => {
      this.backend.recordRequest({
        time, kind: 'upgrade', method: req.method ?? 'GET', path, rawQuery,
        apiKey: null, signatureValid: null, timestampValid: null, httpStatus: status, responseCode: status,
      });
      this.backend.log(`mexc WS ${path} -> ${status}`);
    };
    const refuse = (e: MexcErrorReply): void => {
      record(e.httpStatus);
      rejectUpgrade(socket, e.httpStatus, e.body);
    };

    if (path !== '/ws') return refuse(UpgradeErrors.notFound);
    if (this.backend.takeUpgradeRejection()) return refuse(UpgradeErrors.unavailable);
    const query = new URLSearchParams(rawQuery);
    const key = this.backend.lookupListenKey(query.get('listenKey') ?? '');
    if (!key) return refuse(UpgradeErrors.listenKeyInvalid);
    const conversationRaw = query.get('conversationId') ?? '';
    if (!/^\d{1,15}$/.test(conversationRaw)) return refuse(UpgradeErrors.badConversation);
    const conversation = this.backend.conversation(Number(conversationRaw));
    if (!conversation || conversation.accountUserId !== key.accountUserId) return refuse(UpgradeErrors.conversationForbidden);
    if (this.countedSessions(key.key) >= this.backend.maxConnectionsPerListenKey()) return refuse(UpgradeErrors.tooManyConnections);

    // ws completes the handshake synchronously (no verifyClient), so the cap check above and the
    // registration below cannot interleave with another upgrade.
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      record(101);
      this.register(ws, key, conversation);
    });
  }

  /** Sends `frameFor(session)` to every live socket of the conversation. */
  deliver(conversationId: number, frameFor: (session: ChatSession) => string | undefined): number {
    let sent = 0;
    for (const session of this.sessions.values()) {
      if (session.conversationId !== conversationId || session.state !== 'live') continue;
      const frame = frameFor(session);
      if (frame === undefined) continue;
      session.ws.send(frame);
      sent++;
    }
    return sent;
  }

  closeForListenKey(key: string, reason: string): void {
    for (const session of [...this.sessions.values()]) if (session.listenKey === key) this.closeSession(session, reason);
  }

  /** Clock-driven lifetime rule (complements the per-socket timer when tests move the clock). */
  sweepLifetimes(now: number): void {
    const max = this.backend.maxSocketLifetimeMs();
    for (const session of [...this.sessions.values()]) {
      if (now - session.openedAt >= max) this.closeSession(session, CloseReasons.lifetime);
    }
  }

  /** Fault: cut every TCP connection without a close frame. */
  dropAll(): number {
    const all = [...this.sessions.values()];
    for (const session of all) this.destroy(session);
    return all.length;
  }

  /** Fault: true silences every socket open now; false destroys the silenced ones. */
  setHalfOpen(on: boolean): void {
    for (const session of [...this.sessions.values()]) {
      if (on && session.state === 'live') {
        session.state = 'silent';
        // Stop reading: no frames, no automatic pong, nothing processed, like a dead path.
        session.ws.pause();
      } else if (!on && session.state !== 'live') {
        this.destroy(session);
      }
    }
  }

  silentCount(): number {
    return [...this.sessions.values()].filter((s) => s.state !== 'live').length;
  }

  list(): SessionInfo[] {
    return [...this.sessions.values()].map((s) => ({
      id: s.id,
      conversationId: s.conversationId,
      accountUserId: s.accountUserId,
      listenKeyTail: s.listenKey.slice(-6),
      openedAt: s.openedAt,
      state: s.state,
    }));
  }

  closeAll(reason: string, graceful: boolean): void {
    for (const session of [...this.sessions.values()]) {
      if (graceful && session.state === 'live') this.closeSession(session, reason);
      else this.destroy(session);
    }
  }

  async dispose(): Promise<void> {
    this.closeAll(CloseReasons.shutdown, false);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private countedSessions(listenKey: string): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.listenKey === listenKey && s.state !== 'forgotten') n++;
    return n;
  }

  private register(ws: WebSocket, key: ListenKeyEntry, conversation: Conversation): void {
    this.lastSessionId += 1;
    const session: ChatSession = {
      id: this.lastSessionId,
      ws,
      listenKey: key.key,
      accountUserId: key.accountUserId,
      conversationId: conversation.id,
      openedAt: this.backend.now(),
      state: 'live',
      heartbeat: undefined,
      lifetime: undefined,
    };
    this.sessions.set(session.id, session);
    this.armHeartbeat(session);
    session.lifetime = this.backend.timers.setTimeout(() => this.expire(session, CloseReasons.lifetime), this.backend.maxSocketLifetimeMs());
    // Binary frames are read as UTF-8 text too; anything that is not JSON gets "invalid json".
    ws.on('message', (data: RawData) => this.onFrame(session, data));
    ws.on('error', () => this.destroy(session));
    ws.on('close', () => this.forget(session));
  }

  private armHeartbeat(session: ChatSession): void {
    this.backend.timers.clearTimeout(session.heartbeat);
    session.heartbeat = this.backend.timers.setTimeout(() => this.expire(session, CloseReasons.heartbeat), this.backend.heartbeatTimeoutMs());
  }

  /** A timer ran out: close a live socket; a silent one is only forgotten (its close would never arrive). */
  private expire(session: ChatSession, reason: string): void {
    if (session.state === 'live') this.closeSession(session, reason);
    else session.state = 'forgotten';
  }

  private onFrame(session: ChatSession, data: RawData): void {
    if (session.state !== 'live') return;
    // Only data frames count as heartbeat: the venue wants its app-level PING, not ws pings.
    this.armHeartbeat(session);
    const raw = rawText(data);
    const frame = parseClientFrame(raw, session.conversationId);
    let reply: ServerReply;
    let method: string | null = null;
    let params: unknown = null;
    switch (frame.kind) {
      case 'invalid-json':
        reply = Replies.invalidJson();
        break;
      case 'no-method':
        reply = Replies.noMethod();
        break;
      case 'ping':
        method = 'PING';
        reply = Replies.pong();
        break;
      case 'send':
        method = 'SEND_MESSAGE';
        params = frame.decoded;
        reply = Replies.sendOk();
        break;
      case 'send-invalid':
        method = 'SEND_MESSAGE';
        params = frame.decoded;
        reply = Replies.sendFailed(frame.reason);
        break;
      case 'unknown':
        method = frame.method;
        params = frame.decoded;
        reply = Replies.unknownMethod(frame.method);
        break;
    }
    this.backend.recordFrame({
      time: this.backend.now(), socketId: session.id, conversationId: session.conversationId,
      raw, method, params, reply: { success: reply.success, msg: reply.msg },
    });
    if (method !== 'PING') this.backend.log(`mexc WS #${session.id} ${method ?? '?'} -> ${reply.success ? 'ok' : reply.msg}`);
    const lost = frame.kind === 'send' && this.backend.takeLostSendReply();
    if (!lost) session.ws.send(JSON.stringify(reply));
    if (frame.kind === 'send') this.backend.acceptMessage(session, frame.params);
  }

  private closeSession(session: ChatSession, reason: string): void {
    this.backend.log(`mexc WS #${session.id} closed: ${reason}`);
    this.untrack(session);
    if (session.state === 'live') session.ws.close(1000, reason);
    else session.ws.terminate();
  }

  private destroy(session: ChatSession): void {
    this.untrack(session);
    session.ws.terminate();
  }

  private forget(session: ChatSession): void {
    this.untrack(session);
  }

  private untrack(session: ChatSession): void {
    this.backend.timers.clearTimeout(session.heartbeat);
    this.backend.timers.clearTimeout(session.lifetime);
    session.heartbeat = undefined;
    session.lifetime = undefined;
    this.sessions.delete(session.id);
  }
}
