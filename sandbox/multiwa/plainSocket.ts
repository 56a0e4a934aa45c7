// The documented plain WebSocket API on `/ws?apiKey=` (or `?token=`): an `ack` greeting with a
// clientId, `subscribe {profileId, events}` / `unsubscribe` / `ping` answered with the request's
// `requestId`, and `type: "event"` envelopes {event, profileId, data, timestamp}. One subscription
// per client (a new subscribe replaces it), as in the documented gateway. A client that sends no
// `ping` for `idleTimeoutMs` (90 s: three missed 30 s pings) is closed. Bad credentials are refused
// at the upgrade with HTTP 401.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { ChatSessionRegistry, type ChatSessionBase } from '../util/chatSessions';
import { rawQueryOf, rejectUpgrade } from '../util/http';
import type { TimerRegistry } from '../util/timers';
import { rawText } from '../util/wsText';
import type { User } from './store';

export interface PlainSession extends ChatSessionBase {
  readonly clientId: string;
  readonly user: User;
  subscription: { readonly profileId: string; readonly events: ReadonlySet<string> } | undefined;
}

export interface PlainSocketBackend {
  readonly timers: TimerRegistry;
  idleTimeoutMs(): number;
  userOfToken(token: string): User | undefined;
  userOfApiKey(key: string): User | undefined;
  ownsProfile(user: User, profileId: string): boolean;
  clientId(): string;
  now(): number;
  log(line: string): void;
}

export interface PlainSocketInfo {
  readonly id: number;
  readonly clientId: string;
  readonly userId: string;
  readonly profileId: string | null;
  readonly events: readonly string[];
}

export class PlainSocketHub extends ChatSessionRegistry<PlainSession> {
  constructor(private readonly backend: PlainSocketBackend) {
    super('multiwa', { timers: backend.timers, heartbeatTimeoutMs: () => backend.idleTimeoutMs(), log: backend.log });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const query = new URLSearchParams(rawQueryOf(req.url));
    const token = query.get('token');
    const apiKey = query.get('apiKey');
    const user = (token ? this.backend.userOfToken(token) : undefined) ?? (apiKey ? this.backend.userOfApiKey(apiKey) : undefined);
    if (!user) {
      this.backend.log('multiwa WS /ws -> 401');
      rejectUpgrade(socket, 401, { statusCode: 401, message: token || apiKey ? 'Invalid credentials' : 'API key or token required', error: 'Unauthorized' });
      return;
    }
    this.accept(req, socket, head, (ws) => this.register(ws, user));
  }

  /** Sends the envelope to every client subscribed to the profile for this event (or `*`). */
  emit(profileId: string, event: string, text: (clientEvent: string) => string): number {
    let sent = 0;
    for (const s of this.all()) {
      const sub = s.subscription;
      if (s.state !== 'live' || !sub || sub.profileId !== profileId || !(sub.events.has(event) || sub.events.has('*'))) continue;
      s.ws.send(text(event));
      sent += 1;
    }
    return sent;
  }

  list(): PlainSocketInfo[] {
    return this.all().map((s) => ({ id: s.id, clientId: s.clientId, userId: s.user.id, profileId: s.subscription?.profileId ?? null, events: [...(s.subscription?.events ?? [])] }));
  }

  private register(ws: WebSocket, user: User): void {
    const session: PlainSession = { id: this.nextId(), ws, listenKey: '', openedAt: this.backend.now(), state: 'live', heartbeat: undefined, clientId: this.backend.clientId(), user, subscription: undefined };
    this.add(session);
    this.backend.log(`multiwa WS #${session.id} open`);
    this.send(session, { type: 'ack', payload: { message: 'Connected to MultiWA WebSocket API', clientId: session.clientId, timestamp: this.iso() } });
    ws.on('message', (data: RawData) => this.onFrame(session, data));
  }

  private iso(): string {
    return new Date(this.backend.now()).toISOString();
  }

  private send(session: PlainSession, frame: unknown): void {
    if (session.state === 'live') session.ws.send(JSON.stringify(frame));
  }

  private onFrame(session: PlainSession, data: RawData): void {
    if (session.state !== 'live') return;
    let frame: { type?: unknown; payload?: unknown; requestId?: unknown };
    try {
      const parsed: unknown = JSON.parse(rawText(data));
      frame = typeof parsed === 'object' && parsed !== null ? (parsed as typeof frame) : {};
    } catch {
      this.send(session, { type: 'error', payload: { error: 'Invalid JSON' } });
      return;
    }
    const requestId = typeof frame.requestId === 'string' ? frame.requestId : undefined;
    const reply = (type: string, payload: unknown): void => this.send(session, requestId === undefined ? { type, payload } : { type, payload, requestId });
    switch (frame.type) {
      case 'ping':
        // Only the application ping keeps the connection: WebSocket-level pings do not count.
        this.armHeartbeat(session);
        reply('pong', { timestamp: this.iso() });
        return;
      case 'subscribe': {
        const p = (typeof frame.payload === 'object' && frame.payload !== null ? frame.payload : {}) as { profileId?: unknown; sessionId?: unknown; events?: unknown };
        if (!Array.isArray(p.events) || p.events.length === 0 || p.events.some((e) => typeof e !== 'string')) return reply('error', { error: 'Events array is required' });
        const profileId = typeof p.profileId === 'string' && p.profileId ? p.profileId : typeof p.sessionId === 'string' && p.sessionId ? p.sessionId : undefined;
        if (!profileId) return reply('error', { error: 'profileId or sessionId is required' });
        if (!this.backend.ownsProfile(session.user, profileId)) return reply('error', { error: 'Forbidden' });
        const events = p.events as string[];
        session.subscription = { profileId, events: new Set(events) };
        return reply('ack', { action: 'subscribed', profileId, events });
      }
      case 'unsubscribe':
        session.subscription = undefined;
        return reply('ack', { action: 'unsubscribed' });
      default:
        reply('error', { error: 'Unknown message type' });
    }
  }
}
