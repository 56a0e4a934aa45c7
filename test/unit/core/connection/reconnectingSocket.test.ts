import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ConnectionState } from '../../../../src/shared/model';
import { ReconnectingSocket } from '../../../../src/extension/core/connection/reconnectingSocket';
import { systemClock, type Clock } from '../../../../src/extension/core/clock';
import { VenueError } from '../../../../src/extension/venues/venue';

interface TestServer {
  url: string;
  wss: WebSocketServer;
  http: Server;
  sockets: WebSocket[];
  frames: string[];
  upgrades: number;
  rejectWith?: number;
  silent: boolean;
  close(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true });
  const server: TestServer = {
    url: '',
    wss,
    http,
    sockets: [],
    frames: [],
    upgrades: 0,
    silent: false,
    close: async () => {
      for (const s of server.sockets) s.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
  http.on('upgrade', (req, socket, head) => {
    server.upgrades++;
    if (server.rejectWith) {
      socket.end(`HTTP/1.1 ${server.rejectWith} Rejected\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      server.sockets.push(ws);
      ws.on('message', (data) => {
        const text = data.toString();
        server.frames.push(text);
        if (!server.silent && text === 'PING') ws.send('PONG');
      });
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  server.url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`;
  return server;
}

function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('timed out waiting'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe('reconnecting socket', () => {
  let server: TestServer;
  let socket: ReconnectingSocket | undefined;
  const states: ConnectionState['kind'][] = [];

  beforeEach(async () => {
    server = await startServer();
    states.length = 0;
  });
  afterEach(async () => {
    await socket?.stop();
    socket?.dispose();
    socket = undefined;
    await server.close();
  });

  function make(overrides: Partial<ConstructorParameters<typeof ReconnectingSocket>[0]> = {}): ReconnectingSocket {
    socket = new ReconnectingSocket({
      name: 'test',
      resolveTarget: async () => ({ url: server.url }),
      heartbeat: { intervalMs: 40, staleAfterMs: 150, send: (ws) => ws.send('PING') },
      backoff: { baseMs: 20, maxMs: 100, minMs: 5 },
      ...overrides,
    });
    socket.onState((s) => states.push(s.kind));
    return socket;
  }

  it('connects, goes online and sends its heartbeat', async () => {
    const s = make();
    s.start();
    await waitFor(() => s.state.kind === 'online');
    await waitFor(() => server.frames.filter((f) => f === 'PING').length >= 3);
    assert.deepEqual(states.slice(0, 2), ['connecting', 'online']);
  });

  it('reconnects with fresh credentials after a drop and reports the outage', async () => {
    let resolves = 0;
    const outages: { from: number; to: number }[] = [];
    const s = make({ resolveTarget: async () => ({ url: `${server.url}?token=${++resolves}` }) });
    s.onOpen((e) => e.outage && outages.push(e.outage));
    s.start();
    await waitFor(() => s.state.kind === 'online');
    server.sockets[0]!.terminate();
    await waitFor(() => server.sockets.length === 2 && s.state.kind === 'online');
    assert.equal(resolves, 2, 'credentials are resolved again for every connect');
    assert.equal(outages.length, 1);
    assert.ok(outages[0]!.to >= outages[0]!.from);
    assert.ok(states.includes('backoff'));
  });

  it('detects a half-open connection (no inbound traffic) and reconnects', async () => {
    const s = make();
    s.start();
    await waitFor(() => s.state.kind === 'online');
    server.silent = true; // the server keeps the TCP connection but stops answering
    await waitFor(() => server.sockets.length >= 2, 3000);
    server.silent = false;
    await waitFor(() => s.state.kind === 'online');
  });

  it('watches a server-pinged link with one timer per stale window, not a tick per interval, and still notices silence', async function () {
    this.timeout(10_000);
    let wakeups = 0;
    const counting: Clock = {
      ...systemClock,
      setTimeout: (fn, ms) => systemClock.setTimeout(() => (wakeups++, fn()), ms),
      setInterval: (fn, ms) => systemClock.setInterval(() => (wakeups++, fn()), ms),
    };
    const s = make({ clock: counting, heartbeat: { pinger: 'server', intervalMs: 10, staleAfterMs: 300 } });
    s.start();
    await waitFor(() => s.state.kind === 'online');
    // The server pings every 40 ms, as Blaze and Engine.IO do (at their own pace).
    const pinger = setInterval(() => server.sockets.at(-1)?.ping(), 40);
    try {
      await new Promise((r) => setTimeout(r, 800));
      wakeups = 0;
      await new Promise((r) => setTimeout(r, 900));
      assert.equal(server.upgrades, 1, 'a pinged link stays up');
      // A tick per interval would be about 90 wakeups; one check per 300 ms stale window is about 3
      // (the back-off reset timer fired long before).
      assert.ok(wakeups <= 5, `${wakeups} wakeups`);
      clearInterval(pinger);
      const silentSince = Date.now();
      await waitFor(() => server.upgrades === 2, 2000);
      assert.ok(Date.now() - silentSince < 1000, 'silence noticed within about one stale window');
      assert.equal(server.frames.length, 0, 'a server pinger sends nothing');
    } finally {
      clearInterval(pinger);
    }
  });

  it('stops on an authentication failure instead of looping, and resumes on reconnectNow', async () => {
    server.rejectWith = 401;
    const s = make();
    s.start();
    await waitFor(() => s.state.kind === 'auth-error');
    const upgrades = server.upgrades;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(server.upgrades, upgrades, 'no retry loop while the key is rejected');
    server.rejectWith = undefined;
    s.reconnectNow();
    await waitFor(() => s.state.kind === 'online');
  });

  it('treats a VenueError("auth") from the credential step as auth-error', async () => {
    const s = make({ resolveTarget: async () => { throw new VenueError('auth', 'Api key info invalid'); } });
    s.start();
    await waitFor(() => s.state.kind === 'auth-error');
    assert.deepEqual(s.state, { kind: 'auth-error', reason: 'Api key info invalid' });
  });

  it('backs off on other upgrade refusals and keeps trying', async () => {
    server.rejectWith = 503;
    const s = make();
    s.start();
    await waitFor(() => server.upgrades >= 3);
    assert.equal(s.state.kind === 'auth-error', false);
    server.rejectWith = undefined;
    await waitFor(() => s.state.kind === 'online');
  });

  it('goes offline and stays offline after stop()', async () => {
    const s = make();
    s.start();
    await waitFor(() => s.state.kind === 'online');
    await s.stop();
    const upgrades = server.upgrades;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(s.state.kind, 'offline');
    assert.equal(server.upgrades, upgrades);
  });
});
