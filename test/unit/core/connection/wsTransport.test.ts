import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { WebSocket } from 'ws';
import { ReconnectingSocket, type Frame } from '../../../../src/extension/core/connection/reconnectingSocket';
import { DEFAULT_MAX_FRAME_BYTES } from '../../../../src/extension/core/connection/transport';
import type { ConnectionState } from '../../../../src/shared/model';
import { until } from '../../helpers/until';
import { startWsServer, type LoopbackWsServer } from './wsServer';

/** Mixin's Blaze framing: gzip'd UTF-8 JSON in a binary message. */
const blaze = (value: unknown): Buffer => gzipSync(Buffer.from(JSON.stringify(value), 'utf8'), { level: 3 });
const unblaze = (bytes: Buffer): unknown => JSON.parse(gunzipSync(bytes).toString('utf8'));

describe('reconnecting socket over ws: binary frames, subprotocols, server pings', () => {
  let server: LoopbackWsServer;
  let socket: ReconnectingSocket | undefined;

  beforeEach(async () => {
    server = await startWsServer();
  });
  afterEach(async () => {
    await socket?.stop();
    socket?.dispose();
    socket = undefined;
    await server.close();
  });

  it('carries gzip binary JSON both ways with a subprotocol and a Bearer header (Blaze style)', async () => {
    const inbound: unknown[] = [];
    server.handleProtocols = (protocols) => (protocols.has('Mixin-Blaze-1') ? 'Mixin-Blaze-1' : false);
    server.onConnection = (ws) => {
      ws.on('message', (data, isBinary) => {
        assert.equal(isBinary, true, 'the client sends binary frames');
        const request = unblaze(data as Buffer) as { id: string; action: string };
        inbound.push(request);
        ws.send(blaze({ id: request.id, action: request.action, data: [] }));
        ws.send(blaze({ id: 'push-1', action: 'CREATE_MESSAGE', data: { message_id: 'm1', category: 'PLAIN_TEXT' } }));
      });
    };
    const frames: Frame[] = [];
    socket = new ReconnectingSocket({
      name: 'blaze',
      resolveTarget: async () => ({ url: server.url, protocols: ['Mixin-Blaze-1'], headers: { Authorization: 'Bearer jwt-1' } }),
      heartbeat: { intervalMs: 1000, staleAfterMs: 10_000 },
    });
    socket.onFrame((f) => frames.push(f));
    socket.onOpen(() => socket!.send(blaze({ id: 'req-1', action: 'LIST_PENDING_MESSAGES' })));
    socket.start();

    await until(() => frames.length >= 2, 5000, 'two replies');
    assert.deepEqual(inbound, [{ id: 'req-1', action: 'LIST_PENDING_MESSAGES' }]);
    assert.equal(server.requests[0]!.headers.authorization, 'Bearer jwt-1');
    assert.equal(server.sockets[0]!.protocol, 'Mixin-Blaze-1');
    const decoded = frames.map((f) => {
      assert.equal(f.kind, 'binary', 'binary stays binary: no UTF-8 decoding of gzip bytes');
      return f.kind === 'binary' ? unblaze(f.data) : undefined;
    });
    assert.deepEqual(decoded, [
      { id: 'req-1', action: 'LIST_PENDING_MESSAGES', data: [] },
      { id: 'push-1', action: 'CREATE_MESSAGE', data: { message_id: 'm1', category: 'PLAIN_TEXT' } },
    ]);
  });

  it('refuses a frame over the size cap: bad input, a "frame too large" close, then a reconnect', async () => {
    const huge = 'x'.repeat(2049);
    server.onConnection = (ws) => ws.send(server.sockets.length === 1 ? huge : 'small');
    const messages: string[] = [];
    const bad: string[] = [];
    const states: ConnectionState[] = [];
    socket = new ReconnectingSocket({
      name: 'capped',
      resolveTarget: async () => ({ url: server.url }),
      heartbeat: { intervalMs: 1000, staleAfterMs: 10_000 },
      backoff: { baseMs: 20, maxMs: 50, minMs: 5 },
      maxFrameBytes: 2048,
    });
    socket.onMessage((m) => messages.push(m));
    socket.onBadInput((detail) => bad.push(detail));
    socket.onState((s) => states.push(s));
    socket.start();
    await until(() => messages.includes('small'), 5000, 'the frame after the reconnect');
    assert.deepEqual(messages, ['small'], 'the big frame never reached a listener');
    assert.deepEqual(bad, ['frame too large (over 2048 bytes)']);
    assert.ok(states.some((s) => s.kind === 'backoff' && s.reason === 'frame too large (over 2048 bytes)'), JSON.stringify(states));
    assert.equal(server.sockets.length, 2);
  });

  it('takes frames up to 4 MiB by default and refuses bigger ones', async () => {
    const atCap = 'y'.repeat(DEFAULT_MAX_FRAME_BYTES);
    server.onConnection = (ws) => {
      if (server.sockets.length === 1) {
        ws.send(atCap);
        ws.send(`${atCap}z`);
      } else {
        ws.send('after');
      }
    };
    const sizes: number[] = [];
    const bad: string[] = [];
    socket = new ReconnectingSocket({ name: 'default cap', resolveTarget: async () => ({ url: server.url }), heartbeat: { intervalMs: 1000, staleAfterMs: 10_000 }, backoff: { baseMs: 20, maxMs: 50, minMs: 5 } });
    socket.onMessage((m) => sizes.push(m.length));
    socket.onBadInput((detail) => bad.push(detail));
    socket.start();
    await until(() => sizes.includes('after'.length), 10_000, 'the reconnect');
    assert.deepEqual(sizes, [DEFAULT_MAX_FRAME_BYTES, 'after'.length]);
    assert.deepEqual(bad, [`frame too large (over ${DEFAULT_MAX_FRAME_BYTES} bytes)`]);
  });

  it('keeps text frames text, on onFrame and on onMessage', async () => {
    server.onConnection = (ws) => ws.send('{"hello":1}');
    const frames: Frame[] = [];
    const messages: string[] = [];
    socket = new ReconnectingSocket({ name: 'text', resolveTarget: async () => ({ url: server.url }), heartbeat: { intervalMs: 1000, staleAfterMs: 10_000 } });
    socket.onFrame((f) => frames.push(f));
    socket.onMessage((m) => messages.push(m));
    socket.start();
    await until(() => messages.length === 1, 5000, 'a text frame');
    assert.deepEqual(frames, [{ kind: 'text', text: '{"hello":1}' }]);
    assert.deepEqual(messages, ['{"hello":1}']);
    // And text goes out as a text frame.
    const got: { text: string; binary: boolean }[] = [];
    server.sockets[0]!.on('message', (data, isBinary) => got.push({ text: String(data), binary: isBinary }));
    assert.equal(socket.send('out'), true);
    await until(() => got.length === 1, 5000, 'the text frame at the server');
    assert.deepEqual(got, [{ text: 'out', binary: false }]);
  });

  it('with server pings, sends no pings of its own, stays up while pinged and reconnects when they stop', async () => {
    const clientPings: number[] = [];
    let pinging = true;
    const pingers: NodeJS.Timeout[] = [];
    server.onConnection = (ws: WebSocket) => {
      ws.on('ping', () => clientPings.push(Date.now()));
      pingers.push(setInterval(() => pinging && ws.ping(), 40));
    };
    try {
      socket = new ReconnectingSocket({
        name: 'server-pings',
        resolveTarget: async () => ({ url: server.url }),
        heartbeat: { pinger: 'server', intervalMs: 50, staleAfterMs: 300 },
        backoff: { baseMs: 20, maxMs: 50, minMs: 5 },
      });
      socket.start();
      await until(() => socket!.state.kind === 'online', 5000, 'online');
      await new Promise((r) => setTimeout(r, 900)); // three stale windows, pinged throughout
      assert.equal(server.upgrades, 1, 'server pings alone keep the connection');
      assert.equal(clientPings.length, 0, 'no client pings in server-pings mode');
      pinging = false; // half-open as the client sees it: no traffic at all
      await until(() => server.upgrades >= 2, 5000, 'a reconnect after the pings stopped');
    } finally {
      for (const p of pingers) clearInterval(p);
    }
  });
});
