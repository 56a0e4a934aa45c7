// Loopback servers for the HTTP client tests: a real node:http(s) server that records what
// arrived, a raw TCP/TLS server that misbehaves below HTTP, and a port nothing listens on.
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { LOOPBACK_CERT, LOOPBACK_KEY } from './loopbackCert';

export interface Received {
  readonly method: string;
  /** The request target exactly as it arrived. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface HttpTestServer {
  readonly url: string;
  readonly received: Received[];
  /** TLS connections that reached a secure state (https only). */
  readonly secureConnections: () => number;
  close(): Promise<void>;
}

export type Handler = (req: Received, res: ServerResponse) => void;

function listen(server: Server | NetServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** An http (or https, with the loopback certificate) server; `handler` runs once the whole body is in. */
export async function startHttpServer(handler: Handler, opts: { tls?: boolean } = {}): Promise<HttpTestServer> {
  const received: Received[] = [];
  let secure = 0;
  const server = opts.tls ? createHttpsServer({ key: LOOPBACK_KEY, cert: LOOPBACK_CERT }) : createHttpServer();
  server.on('secureConnection', () => secure++);
  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      handler(r, res);
    });
  });
  const port = await listen(server);
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    received,
    secureConnections: () => secure,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export interface RawTestServer {
  readonly url: string;
  /** Raw requests (head and body) that arrived in full. */
  readonly requests: Buffer[];
  /** Connections accepted, whether or not a request arrived on them. */
  readonly connections: () => number;
  close(): Promise<void>;
}

/** A server below HTTP: `onRequest` gets the socket once a whole request (head + Content-Length body) is in. */
export async function startRawServer(onRequest: (socket: Socket, raw: Buffer) => void, opts: { tls?: boolean } = {}): Promise<RawTestServer> {
  const requests: Buffer[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const onConnection = (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const length = /content-length:\s*(\d+)/i.exec(buffered.subarray(0, headEnd).toString('latin1'));
      const total = headEnd + 4 + (length ? Number(length[1]) : 0);
      if (buffered.length < total) return;
      const raw = buffered.subarray(0, total);
      buffered = buffered.subarray(total);
      requests.push(raw);
      onRequest(socket, raw);
    });
  };
  const server = opts.tls ? createTlsServer({ key: LOOPBACK_KEY, cert: LOOPBACK_CERT }, onConnection) : createNetServer(onConnection);
  const port = await listen(server);
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A loopback port with nothing listening on it (connections are refused). */
export async function refusedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
