// The MEXC chat WebSocket: `/ws?listenKey=&conversationId=`, one socket per conversation.
// Enforces what the venue enforces: a live listenKey, a conversation of the key's account, at
// most N sockets per key, a client heartbeat, a maximum socket lifetime.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { ChatSessionRegistry, SandboxCloseReasons, type ChatSessionBase, type HubPorts, type SessionState } from '../util/chatSessions';
import { pathOf, rawQueryOf, rejectUpgrade } from '../util/http';
import type { TimerHandle } from '../util/timers';
import { parseClientFrame, Replies, type SendMessageParams, type ServerReply } from './chatProtocol';
import { UpgradeErrors, type MexcErrorReply } from './errors';
import type { ListenKeyEntry } from './listenKeys';
import type { FrameRecord, RequestRecord } from './records';
import type { Conversation } from './store';
import { rawText } from '../util/wsText';

export type { SessionState };

/** A `forgotten` session is no longer counted against the listenKey's cap. */
export interface ChatSession extends ChatSessionBase {
  readonly accountUserId: string;
  readonly conversationId: number;
  /** Armed at open, for the lifetime rule (`openedAt` is the venue clock then). */
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

export interface ChatBackend extends HubPorts<RequestRecord, FrameRecord> {
  lookupListenKey(key: string): ListenKeyEntry | undefined;
  conversation(id: number): Conversation | undefined;
  maxConnectionsPerListenKey(): number;
  maxSocketLifetimeMs(): number;
  /** A validated SEND_MESSAGE from a session (the success reply has already been sent). */
  acceptMessage(session: ChatSession, params: SendMessageParams): void;
  /** Consumes one armed `loseSendReplies` fault, if any: the send takes effect, its reply never arrives. */
  takeLostSendReply(): boolean;
}

export const CloseReasons = {
  ...SandboxCloseReasons,
  listenKeyExpired: 'listenKey expired',
  listenKeyDeleted: 'listenKey deleted',
  lifetime: 'connection lifetime exceeded',
} as const;

/** The sessions, heartbeat, drop/half-open faults and closing come from ChatSessionRegistry. */
export class ChatSocketHub extends ChatSessionRegistry<ChatSession> {
  constructor(private readonly backend: ChatBackend) {
    super('mexc', backend);
  }

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

    this.accept(req, socket, head, (ws) => {
      record(101);
      this.register(ws, key, conversation);
    });
  }

  /** Sends `frameFor(session)` to every live socket of the conversation. */
  deliver(conversationId: number, frameFor: (session: ChatSession) => string | undefined): number {
    let sent = 0;
    for (const session of this.all()) {
      if (session.conversationId !== conversationId || session.state !== 'live') continue;
      const frame = frameFor(session);
      if (frame === undefined) continue;
      session.ws.send(frame);
      sent++;
    }
    return sent;
  }

  closeForListenKey(key: string, reason: string): void {
    for (const session of this.all()) if (session.listenKey === key) this.closeSession(session, reason);
  }

  /** Clock-driven lifetime rule (complements the per-socket timer when tests move the clock). */
  sweepLifetimes(now: number): void {
    const max = this.backend.maxSocketLifetimeMs();
    for (const session of this.all()) {
      if (now - session.openedAt >= max) this.closeSession(session, CloseReasons.lifetime);
    }
  }

  list(): SessionInfo[] {
    return this.all().map((s) => ({
      id: s.id,
      conversationId: s.conversationId,
      accountUserId: s.accountUserId,
      listenKeyTail: s.listenKey.slice(-6),
      openedAt: s.openedAt,
      state: s.state,
    }));
  }

  private countedSessions(listenKey: string): number {
    let n = 0;
    for (const s of this.all()) if (s.listenKey === listenKey && s.state !== 'forgotten') n++;
    return n;
  }

  private register(ws: WebSocket, key: ListenKeyEntry, conversation: Conversation): void {
    const session: ChatSession = {
      id: this.nextId(),
      ws,
      listenKey: key.key,
      accountUserId: key.accountUserId,
      conversationId: conversation.id,
      openedAt: this.backend.now(),
      state: 'live',
      heartbeat: undefined,
      lifetime: undefined,
    };
    this.add(session);
    session.lifetime = this.backend.timers.setTimeout(() => this.expire(session, CloseReasons.lifetime), this.backend.maxSocketLifetimeMs());
    // Binary frames are read as UTF-8 text too; anything that is not JSON gets "invalid json".
    ws.on('message', (data: RawData) => this.onFrame(session, data));
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
}
