// The bookkeeping every emulated chat socket needs, whatever the venue's wire format: the
// WebSocket server the upgrades go through, the open sessions, the heartbeat timer, the
// half-open and drop faults, and closing (gracefully, or cutting TCP) with every timer cleared.
// A venue's hub extends it with what stays the venue's: the handshake checks, the answers to
// frames, who gets a push, and its own close reasons.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TimerHandle, TimerRegistry } from './timers';

/** `live`: normal. `silent`: half-open fault, nothing in or out. `forgotten`: silent and already
 * given up by the server (timed out or displaced), TCP open until the fault is lifted. */
export type SessionState = 'live' | 'silent' | 'forgotten';

export interface ChatSessionBase {
  readonly id: number;
  readonly ws: WebSocket;
  readonly listenKey: string;
  /** Venue clock at open. */
  readonly openedAt: number;
  state: SessionState;
  heartbeat: TimerHandle | undefined;
  /** A maximum-lifetime timer, where the venue has one. */
  lifetime?: TimerHandle | undefined;
}

/** Close reasons (WebSocket close frame, code 1000) the sandbox itself gives, on every venue. */
export const SandboxCloseReasons = {
  heartbeat: 'heartbeat timeout',
  reset: 'sandbox reset',
  shutdown: 'sandbox closing',
} as const;

/** What every venue's hub takes from its emulator (a hub's backend adds the venue's own). */
export interface HubPorts<Req extends { readonly seq: number }, Frame extends { readonly seq: number }> {
  now(): number;
  readonly timers: TimerRegistry;
  heartbeatTimeoutMs(): number;
  /** Consumes one armed `rejectUpgrades` fault, if any. */
  takeUpgradeRejection(): boolean;
  recordRequest(record: Omit<Req, 'seq'>): void;
  recordFrame(record: Omit<Frame, 'seq'>): void;
  log(line: string): void;
}

export abstract class ChatSessionRegistry<S extends ChatSessionBase> {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly sessions = new Map<number, S>();
  private lastSessionId = 0;

  /** `venue` prefixes the log lines. */
  constructor(private readonly venue: string, private readonly ports: Pick<HubPorts<never, never>, 'timers' | 'heartbeatTimeoutMs' | 'log'>) {}

  /** Completes the handshake. ws does it synchronously (no verifyClient), so the checks a hub ran
   * before this call cannot interleave with another upgrade. */
  protected accept(req: IncomingMessage, socket: Duplex, head: Buffer, onOpen: (ws: WebSocket) => void): void {
    this.wss.handleUpgrade(req, socket, head, onOpen);
  }

  protected nextId(): number {
    this.lastSessionId += 1;
    return this.lastSessionId;
  }

  /** Tracks a new session: arms its heartbeat; an error cuts it, a close forgets it. */
  protected add(session: S): void {
    this.sessions.set(session.id, session);
    this.armHeartbeat(session);
    session.ws.on('error', () => this.destroy(session));
    session.ws.on('close', () => this.untrack(session));
  }

  /** A snapshot, safe to close sessions while iterating. */
  protected all(): S[] {
    return [...this.sessions.values()];
  }

  protected armHeartbeat(session: S): void {
    this.ports.timers.clearTimeout(session.heartbeat);
    session.heartbeat = this.ports.timers.setTimeout(() => this.expire(session, SandboxCloseReasons.heartbeat), this.ports.heartbeatTimeoutMs());
  }

  /** A timer ran out: close a live socket; a silent one is only forgotten (its close would never arrive). */
  protected expire(session: S, reason: string): void {
    if (session.state === 'live') this.closeSession(session, reason);
    else session.state = 'forgotten';
  }

  /** Fault: cut every TCP connection without a close frame. */
  dropAll(): number {
    const all = this.all();
    for (const session of all) this.destroy(session);
    return all.length;
  }

  /** Fault: true silences every socket open now; false destroys the silenced ones. */
  setHalfOpen(on: boolean): void {
    for (const session of this.all()) {
      if (on && session.state === 'live') {
        session.state = 'silent';
        // Stop reading: no frames processed, no automatic pong, like a dead path.
        session.ws.pause();
      } else if (!on && session.state !== 'live') {
        this.destroy(session);
      }
    }
  }

  silentCount(): number {
    return this.all().filter((s) => s.state !== 'live').length;
  }

  closeAll(reason: string, graceful: boolean): void {
    for (const session of this.all()) {
      if (graceful && session.state === 'live') this.closeSession(session, reason);
      else this.destroy(session);
    }
  }

  async dispose(): Promise<void> {
    this.closeAll(SandboxCloseReasons.shutdown, false);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  protected closeSession(session: S, reason: string): void {
    this.ports.log(`${this.venue} WS #${session.id} closed: ${reason}`);
    this.untrack(session);
    if (session.state === 'live') session.ws.close(1000, reason);
    else session.ws.terminate();
  }

  protected destroy(session: S): void {
    this.untrack(session);
    session.ws.terminate();
  }

  /** Stops counting the session and clears its timers; the socket itself is the caller's. */
  protected untrack(session: S): void {
    this.ports.timers.clearTimeout(session.heartbeat);
    this.ports.timers.clearTimeout(session.lifetime);
    session.heartbeat = undefined;
    if (session.lifetime !== undefined) session.lifetime = undefined;
    this.sessions.delete(session.id);
  }
}
