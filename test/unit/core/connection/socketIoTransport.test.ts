import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import type { ConnectionState } from '../../../../src/shared/model';
import { ReconnectingSocket, type Frame, type ReconnectingSocketOptions } from '../../../../src/extension/core/connection/reconnectingSocket';
import { socketIoTransport } from '../../../../src/extension/core/connection/socketIoTransport';
import { VenueError } from '../../../../src/extension/venues/venue';
import { FakeClock } from '../../helpers/fakeClock';
import { until } from '../../helpers/until';

interface IoServer {
  readonly origin: string;
  readonly io: Server;
  readonly connections: ServerSocket[];
  /** Handshakes the namespace middleware saw, accepted or not. */
  handshakes: number;
  disconnects: number;
  close(): Promise<void>;
}

const GOOD_KEY = 'key-good';

/** A MultiWA-like Socket.IO server: namespace /ws, API key in the handshake, join with ack. */
async function startIoServer(): Promise<IoServer> {
  const http: HttpServer = createServer();
  // Fast Engine.IO heartbeat so a test sees several pings.
  const io = new Server(http, { pingInterval: 100, pingTimeout: 200, transports: ['websocket'] });
  const server: IoServer = {
    origin: '',
    io,
    connections: [],
    handshakes: 0,
    disconnects: 0,
    close: async () => {
      await new Promise<void>((r) => void io.close(() => r()));
      http.closeAllConnections();
    },
  };
  const ns = io.of('/ws');
  ns.use((socket, next) => {
    server.handshakes++;
    const auth = socket.handshake.auth as { apiKey?: unknown };
    if (auth.apiKey !== GOOD_KEY) return next(new Error('Unauthorized: invalid API key'));
    next();
  });
  ns.on('connection', (socket) => {
    server.connections.push(socket);
    socket.on('disconnect', () => server.disconnects++);
    socket.on('join', (payload: { profileId?: unknown }, ack: (reply: unknown) => void) => {
      if (typeof payload?.profileId !== 'string') return ack({ success: false, error: 'Forbidden' });
      void socket.join(`profile:${payload.profileId}`);
      ack({ success: true, profileId: payload.profileId });
    });
    socket.on('never-acked', () => {});
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  return Object.assign(server, { origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}` });
}

describe('reconnecting socket over Socket.IO (socket.io-client against a real socket.io server)', () => {
  let server: IoServer;
  let socket: ReconnectingSocket | undefined;
  let states: ConnectionState['kind'][];
  let frames: Frame[];
  let apiKey: string;
  let resolves: number;

  beforeEach(async () => {
    server = await startIoServer();
    states = [];
    frames = [];
    apiKey = GOOD_KEY;
    resolves = 0;
  });
  afterEach(async () => {
    await socket?.stop();
    socket?.dispose();
    socket = undefined;
    await server.close();
  });

  function make(overrides: Partial<ReconnectingSocketOptions> = {}): ReconnectingSocket {
    socket = new ReconnectingSocket({
      name: 'multiwa',
      transport: socketIoTransport(),
      resolveTarget: async () => {
        resolves++;
        return { url: `${server.origin}/ws`, auth: { apiKey } };
      },
      // Engine.IO's server pings are the heartbeat; we only watch for silence.
      heartbeat: { pinger: 'server', intervalMs: 100, staleAfterMs: 1000 },
      backoff: { baseMs: 20, maxMs: 50, minMs: 5 },
      ...overrides,
    });
    socket.onState((s) => states.push(s.kind));
    socket.onFrame((f) => frames.push(f));
    return socket;
  }

  it('connects to the namespace with the handshake auth, joins with an ack and receives events as frames', async () => {
    const s = make();
    s.start();
    await until(() => s.state.kind === 'online', 5000, 'online');
    assert.equal(server.connections.length, 1);
    assert.equal(server.connections[0]!.nsp.name, '/ws');
    assert.deepEqual(await s.emit('join', [{ profileId: 'p1' }]), [{ success: true, profileId: 'p1' }]);
    assert.deepEqual(await s.emit('join', [{}]), [{ success: false, error: 'Forbidden' }]);

    const row = { id: 'row-1', content: 'hello' };
    server.io.of('/ws').to('profile:p1').emit('message', { type: 'message:received', message: row });
    server.io.of('/ws').to('profile:p1').emit('message:ack', { profileId: 'p1', messageId: 'row-1', status: 'read' });
    await until(() => frames.length === 2, 5000, 'two events');
    assert.deepEqual(frames, [
      { kind: 'event', event: 'message', args: [{ type: 'message:received', message: row }] },
      { kind: 'event', event: 'message:ack', args: [{ profileId: 'p1', messageId: 'row-1', status: 'read' }] },
    ]);
  });

  it('stays online on Engine.IO heartbeats alone, over several stale windows', async () => {
    const s = make({ heartbeat: { pinger: 'server', intervalMs: 50, staleAfterMs: 300 } });
    s.start();
    await until(() => s.state.kind === 'online', 5000, 'online');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(server.handshakes, 1, 'no reconnect: the server pings count as traffic');
    assert.equal(s.state.kind, 'online');
  });

  it('a server-side disconnect is retried by our back-off, with fresh credentials, and reported as an outage', async () => {
    const outages: { from: number; to: number }[] = [];
    const s = make();
    s.onOpen((e) => e.outage && outages.push(e.outage));
    s.start();
    await until(() => s.state.kind === 'online', 5000, 'online');
    server.connections[0]!.disconnect(true); // 'io server disconnect': socket.io-client alone would not reconnect
    await until(() => server.connections.length === 2 && s.state.kind === 'online', 5000, 'reconnected');
    assert.ok(states.includes('backoff'), 'our back-off ran');
    assert.equal(resolves, 2, 'the target (credentials) is resolved again');
    assert.equal(outages.length, 1);
  });

  it('a handshake refused for its credentials is auth-error without a retry loop; reconnectNow resumes', async () => {
    apiKey = 'key-revoked';
    const s = make();
    s.start();
    await until(() => s.state.kind === 'auth-error', 5000, 'auth-error');
    assert.match(s.state.kind === 'auth-error' ? s.state.reason : '', /Unauthorized/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(server.handshakes, 1, 'no retry loop while the key is rejected');
    apiKey = GOOD_KEY;
    s.reconnectNow();
    await until(() => s.state.kind === 'online', 5000, 'online');
  });

  it('emit: unavailable when not connected, unknown outcome when no ack comes', async () => {
    const s = make();
    await assert.rejects(s.emit('join', [{ profileId: 'p1' }]), (e: unknown) => e instanceof VenueError && e.kind === 'unavailable');
    s.start();
    await until(() => s.state.kind === 'online', 5000, 'online');
    await assert.rejects(s.emit('never-acked', [], { timeoutMs: 100 }), (e: unknown) => e instanceof VenueError && e.kind === 'unknown-outcome');
    // An ack pending when the connection drops fails as unknown outcome too.
    const pending = s.emit('never-acked', [], { timeoutMs: 10_000 });
    server.connections[0]!.disconnect(true);
    await assert.rejects(pending, (e: unknown) => e instanceof VenueError && e.kind === 'unknown-outcome');
  });

  it('send() goes out as a "message" event', async () => {
    const s = make();
    s.start();
    await until(() => s.state.kind === 'online', 5000, 'online');
    const got: unknown[] = [];
    server.connections[0]!.on('message', (payload: unknown) => got.push(payload));
    assert.equal(s.send('{"type":"ping","requestId":"r1"}'), true);
    await until(() => got.length === 1, 5000, 'the message at the server');
    assert.deepEqual(got, ['{"type":"ping","requestId":"r1"}']);
  });

  it('stop() disposes our timers and closes the Engine.IO connection', async () => {
    const clock = new FakeClock();
    const s = make({ clock });
    s.start();
    await until(() => s.state.kind === 'online', 5000, 'online');
    assert.ok(clock.pending >= 2);
    await s.stop();
    assert.equal(clock.pending, 0, 'no timer left behind');
    assert.equal(s.isOpen, false);
    await until(() => server.disconnects === 1 && server.io.engine.clientsCount === 0, 5000, 'the server to see the client gone');
  });

  it('an unreachable server ends in back-off, not in connecting', async () => {
    const port = (() => {
      const origin = new URL(server.origin);
      return origin.port;
    })();
    await server.close();
    const s = make({ resolveTarget: async () => ({ url: `http://127.0.0.1:${port}/ws`, auth: { apiKey } }) });
    s.start();
    await until(() => s.state.kind === 'backoff', 5000, 'back-off');
    server = await startIoServer(); // afterEach closes this one
  });
});
