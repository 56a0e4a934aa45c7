// Small HTTP helpers shared by the venue emulators and the control server.
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { MediaFile } from './media';

/** Upper bound for request bodies; the emulated APIs never need more. */
const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The body as bytes, or undefined once it passes `maxBytes` (the caller answers and destroys). */
export async function readBytesUpTo(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A stored file (GET, or HEAD without the bytes). */
export function sendFile(res: ServerResponse, method: string, file: MediaFile, cacheControl?: string): void {
  res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.body.length, ...(cacheControl ? { 'Cache-Control': cacheControl } : {}) });
  res.end(method === 'HEAD' ? undefined : file.body);
}

/** The first value of a header node may have joined into an array. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Answers an upgrade request with a plain HTTP error, the way a gateway refuses a handshake. */
export function rejectUpgrade(socket: Duplex, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json;charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    '',
    '',
  ].join('\r\n');
  socket.on('error', () => socket.destroy());
  socket.end(head + text, () => socket.destroy());
}

/** The raw query string as received (without the leading `?`), never re-encoded. */
export function rawQueryOf(url: string | undefined): string {
  if (!url) return '';
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at + 1);
}

export function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const at = url.indexOf('?');
  return at < 0 ? url : url.slice(0, at);
}

/**
 * An HTTP server that remembers its sockets, so close() can end keep-alive and upgraded
 * connections too (http.Server#close alone waits for them forever).
 */
export class TrackedServer {
  readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(handler: (req: IncomingMessage, res: ServerResponse) => void) {
    this.server = createServer(handler);
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        const address = this.server.address();
        if (address === null || typeof address === 'string') {
          reject(new Error('server has no TCP address'));
          return;
        }
        resolve(address.port);
      });
    });
  }

  /** Listens and answers the base URL (`http://host:port`) clients reach it at. */
  async listenUrl(host: string, port: number): Promise<string> {
    return `http://${urlHost(host)}:${await this.listen(host, port)}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) {
        for (const socket of this.sockets) socket.destroy();
        resolve();
        return;
      }
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.server.closeAllConnections();
    });
  }
}

/** Host part for URLs: a wildcard bind address is reachable through loopback. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
