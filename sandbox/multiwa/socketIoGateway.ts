// Socket.IO as the gateway runs it (the real `socket.io` server library): namespace `/ws`, path
// `/socket.io/`. Two gateways share the namespace: events.gateway authenticates the handshake
// (`auth.token`/Bearer/`?token=` JWT, else `auth.apiKey`/`x-api-key`/`?apiKey=`) and disconnects a
// bad one right after it connects, answers `join`/`subscribe:profile` with an ack and emits to the
// room `profile:<id>`; the legacy realtime.gateway greets every socket with a `message` of type
// `ack` and answers `message` frames {type: subscribe|unsubscribe|ping} (it never emits events).
// The server is attached to a private, never-listening HTTP server so the emulator decides which
// requests reach it (a fault turns `/socket.io/` into a 404).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Server as IoServer, type Namespace, type Socket } from 'socket.io';
import type { User } from './store';

export interface SocketIoBackend {
  userOfToken(token: string): User | undefined;
  userOfApiKey(key: string): User | undefined;
  ownsProfile(user: User, profileId: string): boolean;
  now(): number;
  log(line: string): void;
}

export interface SocketIoInfo {
  readonly id: string;
  readonly userId: string | null;
  readonly rooms: readonly string[];
}

const first = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);

export class SocketIoGateway {
  private readonly sink = createServer();
  private readonly io: IoServer;
  private readonly nsp: Namespace;

  constructor(private readonly backend: SocketIoBackend, options: { pingIntervalMs: number; pingTimeoutMs: number }) {
    this.io = new IoServer(this.sink, {
      path: '/socket.io/', pingInterval: options.pingIntervalMs, pingTimeout: options.pingTimeoutMs,
      transports: ['websocket', 'polling'], cors: { origin: '*' }, serveClient: false,
    });
    this.nsp = this.io.of('/ws');
    this.nsp.on('connection', (socket) => this.onConnection(socket));
  }

  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    this.sink.emit('request', req, res);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.sink.emit('upgrade', req, socket, head);
  }

  /** Emits to the sockets that joined the profile's room; returns how many got it. */
  emitToProfile(profileId: string, event: string, payload: unknown): number {
    const room = `profile:${profileId}`;
    const count = this.nsp.adapter.rooms.get(room)?.size ?? 0;
    this.nsp.to(room).emit(event, payload);
    return count;
  }

  list(): SocketIoInfo[] {
    return [...this.nsp.sockets.values()].map((s) => ({ id: s.id, userId: typeof s.data === 'object' && s.data !== null && 'userId' in s.data ? String((s.data as { userId: unknown }).userId) : null, rooms: [...s.rooms].filter((r) => r !== s.id) }));
  }

  disconnectAll(): void {
    this.nsp.disconnectSockets(true);
  }

  async close(): Promise<void> {
    this.disconnectAll();
    await new Promise<void>((resolve) => {
      void this.io.close(() => resolve());
    });
  }

  private authenticate(socket: Socket): User | undefined {
    const hs = socket.handshake;
    const auth = (typeof hs.auth === 'object' && hs.auth !== null ? hs.auth : {}) as Record<string, unknown>;
    const authorization = first(hs.headers.authorization);
    const bearer = authorization ? authorization.replace(/^Bearer\s+/i, '') : undefined;
    const token = first(auth.token) ?? bearer ?? first(hs.query.token);
    const apiKey = first(auth.apiKey) ?? first(hs.headers['x-api-key']) ?? first(hs.query.apiKey);
    const viaToken = token ? this.backend.userOfToken(token) : undefined;
    if (viaToken) return viaToken;
    return apiKey ? this.backend.userOfApiKey(apiKey) : undefined;
  }

  private onConnection(socket: Socket): void {
    // The legacy gateway greets before the events gateway's (asynchronous) authentication ends.
    socket.emit('message', { type: 'ack', payload: { message: 'Connected to MultiWA WebSocket API', clientId: socket.id, timestamp: new Date(this.backend.now()).toISOString() } });
    const user = this.authenticate(socket);
    let authenticated = false;
    const ready = new Promise<void>((resolve) => setImmediate(() => {
      if (!user) {
        this.backend.log(`multiwa socket.io ${socket.id} rejected: unauthenticated`);
        socket.disconnect(true);
      } else {
        authenticated = true;
        socket.data = { userId: user.id, organizationId: user.organizationId };
      }
      resolve();
    }));
    const join = async (data: unknown, ack: unknown): Promise<void> => {
      await ready;
      const profileId = typeof data === 'object' && data !== null ? (data as { profileId?: unknown }).profileId : undefined;
      const reply = typeof ack === 'function' ? (ack as (r: unknown) => void) : () => undefined;
      if (!authenticated || !user || typeof profileId !== 'string' || profileId === '' || !this.backend.ownsProfile(user, profileId)) {
        reply({ success: false, error: 'Forbidden' });
        return;
      }
      await socket.join(`profile:${profileId}`);
      reply({ success: true, profileId });
    };
    socket.on('join', (data: unknown, ack: unknown) => void join(data, ack));
    socket.on('subscribe:profile', (data: unknown, ack: unknown) => void join(data, ack));
    socket.on('unsubscribe:profile', (data: unknown, ack: unknown) => {
      const profileId = typeof data === 'object' && data !== null ? (data as { profileId?: unknown }).profileId : undefined;
      if (typeof profileId === 'string') void socket.leave(`profile:${profileId}`);
      if (typeof ack === 'function') (ack as (r: unknown) => void)({ success: true, profileId });
    });
    socket.on('message', (msg: unknown) => this.onLegacyMessage(socket, msg));
    socket.on('ping', () => socket.emit('message', { type: 'pong', payload: { timestamp: new Date(this.backend.now()).toISOString() } }));
  }

  /** realtime.gateway's `message` protocol: it acknowledges, but no event ever flows through it. */
  private onLegacyMessage(socket: Socket, msg: unknown): void {
    const m = (typeof msg === 'object' && msg !== null ? msg : {}) as { type?: unknown; payload?: unknown; requestId?: unknown };
    const requestId = typeof m.requestId === 'string' ? m.requestId : undefined;
    const send = (type: string, payload: unknown): void => {
      socket.emit('message', requestId === undefined ? { type, payload } : { type, payload, requestId });
    };
    if (m.type === 'ping') return send('pong', { timestamp: new Date(this.backend.now()).toISOString() });
    if (m.type === 'unsubscribe') return send('ack', { action: 'unsubscribed' });
    if (m.type === 'subscribe') {
      const p = (typeof m.payload === 'object' && m.payload !== null ? m.payload : {}) as { profileId?: unknown; sessionId?: unknown; events?: unknown };
      if (!Array.isArray(p.events) || p.events.length === 0) return send('error', { error: 'Events array is required' });
      const profileId = typeof p.profileId === 'string' && p.profileId ? p.profileId : typeof p.sessionId === 'string' && p.sessionId ? p.sessionId : undefined;
      if (!profileId) return send('error', { error: 'profileId or sessionId is required' });
      return send('ack', { action: 'subscribed', profileId, events: p.events });
    }
    send('error', { error: 'Unknown message type' });
  }
}
