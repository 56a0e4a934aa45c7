// The Blaze connection against a scripted loopback Blaze server: subprotocol and token on the
// handshake, LIST_PENDING_MESSAGES first, replies matched by id, retries on Blaze timeouts (7001)
// but not on 403, pushes told apart from replies, and what is not a gzip binary frame reported.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { WebSocketServer, type WebSocket } from 'ws';
import { systemClock } from '../../../../src/extension/core/clock';
import { silentLogger } from '../../../../src/extension/core/logger';
import { VenueError } from '../../../../src/extension/venues/venue';
import { BlazeConnection } from '../../../../src/extension/venues/mixin/blaze';
import { until } from '../../helpers/until';

interface Seen {
  readonly id: string;
  readonly action: string;
  readonly params?: unknown;
}

describe('Mixin Blaze connection', function () {
  this.timeout(15_000);
  let server: Server;
  let wss: WebSocketServer;
  let url: string;
  let seen: Seen[];
  let handshakes: { protocol: string; auth: string | undefined }[];
  let sockets: WebSocket[];
  /** How the scripted server answers each request (undefined: no reply at all). */
  let answer: (req: Seen, n: number) => object | undefined;
  let blaze: BlazeConnection | undefined;

  const send = (ws: WebSocket, frame: object) => ws.send(gzipSync(Buffer.from(JSON.stringify(frame))));

  beforeEach(async () => {
    seen = [];
    handshakes = [];
    sockets = [];
    answer = (req) => ({ id: req.id, action: req.action, data: {} });
    server = createServer();
    wss = new WebSocketServer({ server, handleProtocols: (protocols) => (protocols.has('Mixin-Blaze-1') ? 'Mixin-Blaze-1' : false) });
    wss.on('connection', (ws, req) => {
      handshakes.push({ protocol: ws.protocol, auth: req.headers.authorization });
      sockets.push(ws);
      ws.on('message', (data: Buffer, isBinary) => {
        if (!isBinary) return ws.close(1003, 'text frame');
        const req = JSON.parse(gunzipSync(data).toString('utf8')) as Seen;
        seen.push(req);
        const reply = answer(req, seen.filter((s) => s.id === req.id).length);
        if (reply) send(ws, reply);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterEach(async () => {
    await blaze?.stop();
    blaze?.dispose();
    blaze = undefined;
    for (const ws of sockets) ws.terminate();
    wss.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  function open(options: { replyTimeoutMs?: number } = {}): BlazeConnection {
    blaze = new BlazeConnection({ url, token: () => 'jwt-token', clock: systemClock, logger: silentLogger, replyTimeoutMs: options.replyTimeoutMs ?? 300, backoff: { baseMs: 20, maxMs: 100, minMs: 10 } });
    blaze.start();
    return blaze;
  }

  it('offers Mixin-Blaze-1 with the bearer token and asks for pending messages first', async () => {
    const b = open();
    let listening = 0;
    b.onListening(() => listening++);
    await until(() => listening === 1, 5000, 'listening');
    assert.deepEqual(handshakes, [{ protocol: 'Mixin-Blaze-1', auth: 'Bearer jwt-token' }]);
    assert.equal(seen[0]?.action, 'LIST_PENDING_MESSAGES');
  });

  it('matches replies by id; a push with an id of its own is a push', async () => {
    const b = open();
    const pushes: unknown[] = [];
    b.onPush((f) => pushes.push(f));
    await until(() => b.isOpen && seen.length === 1, 5000, 'open');
    send(sockets[0]!, { id: 'push-1', action: 'CREATE_MESSAGE', data: { message_id: 'm1' } });
    const data = await b.request('CREATE_MESSAGE', { message_id: 'x' });
    assert.deepEqual(data, {});
    await until(() => pushes.length === 1, 2000, 'the push');
    assert.deepEqual(pushes[0], { id: 'push-1', action: 'CREATE_MESSAGE', data: { message_id: 'm1' } });
  });

  it('retries a Blaze timeout (7001) and a missing reply with the same id; a 403 is final at once', async () => {
    const b = open({ replyTimeoutMs: 200 });
    await until(() => b.isOpen && seen.length === 1, 5000, 'open');
    answer = (req, n) => (req.action === 'CREATE_MESSAGE' && n === 1 ? { id: req.id, action: req.action, error: { code: 7001, description: 'Blaze timeout' } } : req.action === 'SLOW' && n < 3 ? undefined : { id: req.id, action: req.action, data: { ok: n } });
    assert.deepEqual(await b.request('CREATE_MESSAGE', {}), { ok: 2 });
    const creates = seen.filter((s) => s.action === 'CREATE_MESSAGE');
    assert.equal(creates.length, 2);
    assert.equal(creates[0]!.id, creates[1]!.id, 'the same id, so the server can tell a repeat');
    assert.deepEqual(await b.request('SLOW'), { ok: 3 });
    answer = (req) => ({ id: req.id, action: req.action, error: { code: 403, description: 'Forbidden' } });
    await assert.rejects(b.request('CREATE_MESSAGE', {}), (e: unknown) => e instanceof VenueError && e.kind === 'rejected' && /Forbidden/.test(e.message));
    assert.equal(seen.filter((s) => s.action === 'CREATE_MESSAGE').length, 3, 'a 403 is not retried');
  });

  it('a frame that is not gzip JSON is reported and the link kept; a 401 at the handshake stops reconnecting', async () => {
    const b = open();
    const problems: string[] = [];
    b.onProblem((p) => problems.push(p));
    await until(() => b.isOpen && seen.length === 1, 5000, 'open');
    sockets[0]!.send(Buffer.from('not gzip'), { binary: true });
    sockets[0]!.send('a text frame');
    await until(() => problems.length === 2, 2000, 'two problems');
    assert.equal(b.state.kind, 'online');
    assert.equal(handshakes.length, 1, 'no reconnect over bad frames');

    // A server that refuses the token.
    server.removeAllListeners('upgrade');
    server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n'));
    for (const ws of sockets) ws.terminate();
    await until(() => b.state.kind === 'auth-error', 5000, 'auth-error');
    const state = b.state as { kind: string; reason?: string };
    assert.match(state.reason ?? '', /keystore/);
  });
});
