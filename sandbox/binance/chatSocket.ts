// The Binance chat WebSocket: `/chat/<listenKey>?token=<listenToken>&clientType=web`, one socket
// per user carrying every order's chat. Enforces what the venue does: a known listenKey, a fresh
// single-use token (spent by a successful upgrade), ONE live socket per listenKey (a newer one
// makes the server send `Bye` to the older and close it), a heartbeat (any frame, WebSocket pings
// included), and the app-level `{"type":"ping"}` → `{"type":"pong"}`.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { ChatSessionRegistry, SandboxCloseReasons, type ChatSessionBase, type HubPorts, type SessionState } from '../util/chatSessions';
import { pathOf, rawQueryOf, rejectUpgrade } from '../util/http';
import { BYE, PONG, errorFrame, parseClientFrame, type SendRequest } from './chatProtocol';
import { UpgradeErrors, type BinanceErrorReply } from './errors';
import { redactChatPath, redactQuery, type FrameRecord, type RequestRecord } from './records';
import type { MerchantAccount } from './store';
import { rawText } from '../util/wsText';

export type { SessionState };

export interface ChatSession extends ChatSessionBase {
  readonly userId: string;
}

export interface SessionInfo {
  readonly id: number;
  readonly userId: string;
  readonly listenKeyTail: string;
  readonly openedAt: number;
  readonly state: SessionState;
}

export type SendVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface ChatBackend extends HubPorts<RequestRecord, FrameRecord> {
  accountByListenKey(listenKey: string): MerchantAccount | undefined;
  /** Spends the token if it is known, unused, unexpired and this listenKey's; false otherwise. */
  consumeToken(token: string, listenKey: string): boolean;
  /** A well-formed send: the emulator checks order ownership and permission, stores, echoes, pushes. */
  acceptSend(session: ChatSession, request: SendRequest): SendVerdict;
}

export const CloseReasons = {
  ...SandboxCloseReasons,
  displaced: 'Bye',
} as const;

/** The sessions, heartbeat, drop/half-open faults and closing come from ChatSessionRegistry. */
export class ChatSocketHub extends ChatSessionRegistry<ChatSession> {
  constructor(private readonly backend: ChatBackend) {
    super('binance', backend);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = pathOf(req.url);
    const rawQuery = rawQueryOf(req.url);
    const query = new URLSearchParams(rawQuery);
    const time = this.backend.now();
    const record = (status: number): void => {
      const shownPath = redactChatPath(path);
      this.backend.recordRequest({
        time, kind: 'upgrade', method: req.method ?? 'GET', path: shownPath, rawQuery: redactQuery(rawQuery),
        apiKey: null, signatureValid: null, timestampValid: null, clientType: query.get('clientType'), httpStatus: status, responseCode: status,
      });
      this.backend.log(`binance WS ${shownPath} -> ${status}`);
    };
    const refuse = (e: BinanceErrorReply): void => {
      record(e.httpStatus);
      rejectUpgrade(socket, e.httpStatus, e.body);
    };

    const match = /^\/chat\/([^/]+)$/.exec(path);
    if (!match) return refuse(UpgradeErrors.notFound);
    const listenKey = decodeURIComponent(match[1]!);
    const account = this.backend.accountByListenKey(listenKey);
    if (!account) return refuse(UpgradeErrors.unknownListenKey);
    const token = query.get('token') ?? '';
    if (this.backend.takeUpgradeRejection()) {
      // Under stress the venue refuses the handshake and the token is gone with it.
      this.backend.consumeToken(token, listenKey);
      return refuse(UpgradeErrors.tokenRejected);
    }
    if (!this.backend.consumeToken(token, listenKey)) return refuse(UpgradeErrors.tokenRejected);

    this.accept(req, socket, head, (ws) => {
      record(101);
      this.register(ws, listenKey, account.userId);
    });
  }

  /** Sends `frame` to the user's live socket; returns how many sockets got it (0 or 1). */
  sendToUser(userId: string, frame: string): number {
    const session = this.current(userId);
    if (!session) return 0;
    session.ws.send(frame);
    return 1;
  }

  hasLiveSocket(userId: string): boolean {
    return this.current(userId) !== undefined;
  }

  /** Fault: every live socket gets `Bye` and is closed, as when another client takes the session. */
  /** Closes every live socket (1000) with a reason built from its listenKey; returns the keys quoted. */
  closeQuoting(reasonFor: (listenKey: string) => string): string[] {
    const live = this.all().filter((s) => s.state === 'live');
    for (const session of live) this.closeSession(session, reasonFor(session.listenKey));
    return live.map((s) => s.listenKey);
  }

  byeAll(): number {
    const live = this.all().filter((s) => s.state === 'live');
    for (const session of live) this.displace(session);
    return live.length;
  }

  list(): SessionInfo[] {
    return this.all().map((s) => ({
      id: s.id, userId: s.userId, listenKeyTail: s.listenKey.slice(-6), openedAt: s.openedAt, state: s.state,
    }));
  }

  private current(userId: string): ChatSession | undefined {
    return this.all().find((s) => s.userId === userId && s.state === 'live');
  }

  private register(ws: WebSocket, listenKey: string, userId: string): void {
    // One live socket per listenKey: the older one is told `Bye` and closed.
    for (const old of this.all()) {
      if (old.listenKey !== listenKey) continue;
      if (old.state === 'live') this.displace(old);
      else old.state = 'forgotten'; // a silent one never hears it; the server just lets go of it
    }
    const session: ChatSession = { id: this.nextId(), ws, listenKey, userId, openedAt: this.backend.now(), state: 'live', heartbeat: undefined };
    this.add(session);
    ws.on('message', (data: RawData, isBinary: boolean) => this.onFrame(session, data, isBinary));
    // Any traffic counts as a heartbeat, WebSocket pings included (clients send one every 30 s).
    ws.on('ping', () => {
      if (session.state === 'live') this.armHeartbeat(session);
    });
  }

  private onFrame(session: ChatSession, data: RawData, isBinary: boolean): void {
    if (session.state !== 'live') return;
    this.armHeartbeat(session);
    const raw = rawText(data);
    const frame = isBinary ? { kind: 'invalid' as const, reason: 'binary frame', uuid: null, type: null, orderNo: null } : parseClientFrame(raw);
    const base = { time: this.backend.now(), socketId: session.id, userId: session.userId, raw };
    if (frame.kind === 'ping') {
      this.backend.recordFrame({ ...base, type: 'ping', orderNo: null, uuid: null, outcome: 'pong', reason: null });
      session.ws.send(PONG);
      return;
    }
    if (frame.kind === 'invalid') {
      this.backend.recordFrame({ ...base, type: frame.type, orderNo: frame.orderNo, uuid: frame.uuid, outcome: 'error', reason: frame.reason });
      this.backend.log(`binance WS #${session.id} ${frame.type ?? '?'} -> ILLEGAL_PARAM (${frame.reason})`);
      session.ws.send(errorFrame(frame.uuid));
      return;
    }
    const { request } = frame;
    const verdict = this.backend.acceptSend(session, request);
    const record = { ...base, type: request.fields.type, orderNo: request.orderNo, uuid: request.uuid };
    if (verdict.ok) {
      this.backend.recordFrame({ ...record, outcome: 'accepted', reason: null });
      this.backend.log(`binance WS #${session.id} ${request.fields.type} -> stored`);
    } else {
      this.backend.recordFrame({ ...record, outcome: 'error', reason: verdict.reason });
      this.backend.log(`binance WS #${session.id} ${request.fields.type} -> ILLEGAL_PARAM (${verdict.reason})`);
      session.ws.send(errorFrame(request.uuid));
    }
  }

  private displace(session: ChatSession): void {
    this.backend.log(`binance WS #${session.id} displaced: Bye`);
    this.untrack(session);
    session.ws.send(BYE);
    session.ws.close(1000, CloseReasons.displaced);
  }
}
