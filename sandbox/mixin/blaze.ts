// Blaze, Mixin's WebSocket: binary frames only, each gzip-compressed JSON. Client requests are
// `{id, action, params}`; a reply reuses the id and carries `data` or `error {code, description}`;
// pushes carry a fresh id. The server pings every socket on an interval and answers client pings
// (ws does that by itself). The hub owns sockets, framing and pings; what an action does is the
// emulator's (`BlazePorts.request`).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TimerRegistry } from '../util/timers';
import type { MixinError } from './outbound';
import type { FrameRecord } from './records';

export const BLAZE_SUBPROTOCOL = 'Mixin-Blaze-1';
const MAX_FRAME_BYTES = 1024 * 1024;

export interface BlazeSession {
  readonly id: number;
  readonly ws: WebSocket;
  readonly openedAt: number;
  /** LIST_PENDING_MESSAGES was received: pushes may flow. */
  listening: boolean;
  pingTimer: ReturnType<typeof setInterval> | undefined;
  pingsSent: number;
  pongs: number;
  clientPings: number;
}

export interface BlazeRequest {
  readonly id: string;
  readonly action: string;
  readonly params: unknown;
}

export type BlazeOutcome = { readonly data: unknown; readonly after?: () => void } | { readonly error: MixinError };

export interface BlazePorts {
  now(): number;
  readonly timers: TimerRegistry;
  pingIntervalMs(): number;
  pingsOff(): boolean;
  /** Carries out one request; errors are Mixin errors, never thrown. */
  request(session: BlazeSession, request: BlazeRequest): BlazeOutcome;
  /** Delay of this reply (a slowReplies fault), 0 for none. */
  takeReplyDelay(): number;
  recordFrame(record: Omit<FrameRecord, 'seq'>): void;
  log(line: string): void;
}

export function encodeFrame(value: unknown): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(value), 'utf8'), { level: 3 });
}

export function decodeFrame(bytes: Buffer): unknown {
  return JSON.parse(gunzipSync(bytes, { maxOutputLength: MAX_FRAME_BYTES }).toString('utf8')) as unknown;
}

export class BlazeHub {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    // Speak only Blaze, whatever else the client offers first.
    handleProtocols: (protocols) => (protocols.has(BLAZE_SUBPROTOCOL) ? BLAZE_SUBPROTOCOL : false),
  });
  private readonly sessions = new Map<number, BlazeSession>();
  private lastId = 0;

  constructor(private readonly ports: BlazePorts) {}

  /** Completes a handshake the emulator already authorised; `onOpen` gets the session. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, onOpen: (session: BlazeSession) => void): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.lastId += 1;
      const session: BlazeSession = { id: this.lastId, ws, openedAt: this.ports.now(), listening: false, pingTimer: undefined, pingsSent: 0, pongs: 0, clientPings: 0 };
      this.sessions.set(session.id, session);
      session.pingTimer = this.ports.timers.setInterval(() => this.ping(session), this.ports.pingIntervalMs());
      ws.on('pong', () => (session.pongs += 1));
      ws.on('ping', () => (session.clientPings += 1));
      ws.on('message', (data: Buffer, isBinary: boolean) => this.onFrame(session, data, isBinary));
      ws.on('error', () => this.destroy(session));
      ws.on('close', () => this.untrack(session));
      this.ports.log(`mixin blaze #${session.id} open`);
      onOpen(session);
    });
  }

  /** Accepts the handshake only to send one ERROR frame and close (the configurable 401 variant). */
  acceptToRefuse(req: IncomingMessage, socket: Duplex, head: Buffer, error: MixinError): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.send(encodeFrame({ id: randomUUID(), action: 'ERROR', error }), { binary: true }, () => ws.close(1008, 'unauthorized'));
    });
  }

  list(): { id: number; openedAt: number; listening: boolean; pingsSent: number; pongs: number; clientPings: number }[] {
    return [...this.sessions.values()].map((s) => ({ id: s.id, openedAt: s.openedAt, listening: s.listening, pingsSent: s.pingsSent, pongs: s.pongs, clientPings: s.clientPings }));
  }

  listening(): BlazeSession[] {
    return [...this.sessions.values()].filter((s) => s.listening);
  }

  /** A server push (fresh id) to one session. */
  push(session: BlazeSession, action: string, data: unknown): void {
    const id = randomUUID();
    this.send(session, { id, action, data }, action, id, null);
  }

  dropAll(): number {
    const all = [...this.sessions.values()];
    for (const s of all) this.destroy(s);
    return all.length;
  }

  closeAll(reason: string): void {
    for (const s of [...this.sessions.values()]) {
      this.untrack(s);
      s.ws.close(1000, reason);
    }
  }

  async dispose(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private ping(session: BlazeSession): void {
    if (this.ports.pingsOff() || session.ws.readyState !== session.ws.OPEN) return;
    session.pingsSent += 1;
    session.ws.ping();
  }

  private onFrame(session: BlazeSession, data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      this.ports.recordFrame({ time: this.ports.now(), socket: session.id, direction: 'in', action: '(text frame)', id: '', errorCode: 400 });
      // Blaze speaks gzip in binary frames only; a text frame is a broken client.
      this.send(session, { id: '', action: 'ERROR', error: { code: 400, description: 'Blaze frames must be binary gzip JSON.' } }, 'ERROR', '', 400);
      session.ws.close(1003, 'binary frames only');
      return;
    }
    let frame: unknown;
    try {
      frame = decodeFrame(data);
    } catch {
      frame = undefined;
    }
    const o = typeof frame === 'object' && frame !== null ? (frame as Record<string, unknown>) : undefined;
    const id = typeof o?.id === 'string' ? o.id : '';
    const action = typeof o?.action === 'string' ? o.action : '';
    this.ports.recordFrame({ time: this.ports.now(), socket: session.id, direction: 'in', action: action || '(undecodable)', id, errorCode: null });
    if (!o || action === '') {
      this.send(session, { id, action: 'ERROR', error: { code: 400, description: 'The request body can’t be parsed as valid data.' } }, 'ERROR', id, 400);
      return;
    }
    const outcome = this.ports.request(session, { id, action, params: o.params });
    const reply = 'error' in outcome ? { id, action, error: outcome.error } : { id, action, data: outcome.data };
    const errorCode = 'error' in outcome ? outcome.error.code : null;
    const deliver = (): void => {
      this.send(session, reply, action, id, errorCode);
      if (!('error' in outcome)) outcome.after?.();
    };
    const delay = this.ports.takeReplyDelay();
    if (delay > 0) this.ports.timers.setTimeout(deliver, delay);
    else deliver();
  }

  private send(session: BlazeSession, frame: unknown, action: string, id: string, errorCode: number | null): void {
    if (session.ws.readyState !== session.ws.OPEN) return;
    this.ports.recordFrame({ time: this.ports.now(), socket: session.id, direction: 'out', action, id, errorCode });
    session.ws.send(encodeFrame(frame), { binary: true });
  }

  private destroy(session: BlazeSession): void {
    this.untrack(session);
    session.ws.terminate();
  }

  private untrack(session: BlazeSession): void {
    this.ports.timers.clearInterval(session.pingTimer);
    session.pingTimer = undefined;
    session.listening = false;
    this.sessions.delete(session.id);
  }
}
