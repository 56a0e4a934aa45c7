// Socket.IO transport on socket.io-client v4 (MultiWA's realtime API is Socket.IO on namespace
// `/ws`). socket.io-client speaks Engine.IO and answers its heartbeat; its own reconnection is
// switched off so the reconnecting socket does reconnect, back-off and states like for every venue.
// Every event the server emits arrives as a frame `{kind: 'event', event, args}`. The target URL
// names the namespace in its path (`http://host:3000/ws`), as with socket.io-client's `io(url)`.
import { Manager, NodeWebSocket, NodeXHR, type Socket } from 'socket.io-client';
import { VenueError } from '../../venues/venue';
import { type CloseVerdict, type EmitOptions, type Transport, type TransportLink } from './transport';
import * as l10n from '@vscode/l10n';

export interface SocketIoTransportOptions {
  /** Engine.IO path, default `/socket.io/`. */
  readonly path?: string;
  /** Engine.IO transports in order; default WebSocket only (one TCP connection, no long-polling). */
  readonly transports?: readonly ('websocket' | 'polling')[];
  /**
   * What a handshake error from the server (a namespace middleware's `next(new Error(...))`) means.
   * Default: a message about authorization or credentials is an auth verdict, anything else a retry.
   */
  readonly classifyConnectError?: (message: string, data: unknown) => CloseVerdict | undefined;
}

const DEFAULT_ACK_TIMEOUT_MS = 10_000;
const AUTH_MESSAGE = /unauthori[sz]ed|forbidden|authenticat|invalid (api[ -]?)?key|api[ -]?key|token|credential/i;

export function defaultConnectErrorVerdict(message: string): CloseVerdict {
  return AUTH_MESSAGE.test(message)
    ? { action: 'auth', reason: l10n.t('the server refused the credentials: {0}', message) }
    : { action: 'retry', reason: l10n.t('the server refused the connection: {0}', message) };
}

/**
 * The Node WebSocket transport, dropping the TCP connection on close instead of waiting for a
 * closing handshake a half-open peer will never answer (`ws` would wait 30 s).
 */
class TerminatingWebSocket extends NodeWebSocket {
  private raw: { terminate(): void } | undefined;

  override createSocket(uri: string, protocols: string | string[] | undefined, opts: Record<string, unknown>): unknown {
    const socket: unknown = super.createSocket(uri, protocols, opts);
    if (hasTerminate(socket)) this.raw = socket;
    return socket;
  }

  terminate(): void {
    this.raw?.terminate();
  }
}

export function socketIoTransport(options: SocketIoTransportOptions = {}): Transport {
  return {
    connect(target, handlers, connectOptions): TransportLink {
      const { origin, namespace, query } = splitSocketIoUrl(target.url);
      const transports = options.transports ?? ['websocket'];
      const manager = new Manager(origin, {
        path: options.path ?? '/socket.io/',
        // Our machinery reconnects (back-off, fresh credentials, states); never the library.
        reconnection: false,
        autoConnect: false,
        timeout: connectOptions.handshakeTimeoutMs,
        transports: transports.map((name) => (name === 'websocket' ? TerminatingWebSocket : NodeXHR)),
        query,
        extraHeaders: target.headers ? { ...target.headers } : undefined,
      });
      const socket: Socket = manager.socket(namespace, { auth: target.auth ? { ...target.auth } : {} });
      const pendingAcks = new Set<(err: Error) => void>();
      let closed = false;
      // Engine.IO heartbeat: the server pings, socket.io-client answers; each ping proves the link alive.
      const onPing = () => handlers.alive();

      const close = (code: number, reason: string) => {
        if (closed) return;
        closed = true;
        socket.offAny();
        socket.off();
        manager.off('ping', onPing);
        // Also ends the Engine.IO connection (forceNew-like: this manager serves only this socket).
        socket.disconnect();
        hardClose(manager);
        for (const reject of [...pendingAcks]) reject(new VenueError('unknown-outcome', l10n.t('the connection closed before the server acknowledged ({0})', reason)));
        pendingAcks.clear();
        handlers.close(code, reason);
      };

      socket.on('connect', () => handlers.open());
      socket.onAny((event: string, ...args: unknown[]) => handlers.frame({ kind: 'event', event, args }));
      manager.on('ping', onPing);
      socket.on('connect_error', (err: Error) => {
        if (isServerHandshakeError(err)) {
          handlers.refused(classifyConnectError(options, err));
        } else {
          handlers.error(err);
        }
        close(1006, `connect error: ${err.message}`);
      });
      socket.on('disconnect', (reason: string) => {
        // 'io server disconnect' is the server closing us on purpose; classifyClose sees the reason.
        close(reason === 'io server disconnect' || reason === 'io client disconnect' ? 1000 : 1006, reason);
      });
      socket.connect();

      return {
        get isOpen() {
          return !closed && socket.connected;
        },
        send(frame) {
          if (closed || !socket.connected) throw new Error('the socket is not connected');
          socket.send(frame);
        },
        emit(event, args, emitOptions: EmitOptions) {
          if (closed || !socket.connected) return Promise.reject(new VenueError('unavailable', l10n.t('the socket is not connected')));
          if (emitOptions.ack === false) {
            socket.emit(event, ...args);
            return Promise.resolve([]);
          }
          return new Promise<readonly unknown[]>((resolve, reject) => {
            let settled = false;
            const fail = (err: Error) => {
              if (settled) return;
              settled = true;
              pendingAcks.delete(fail);
              reject(err);
            };
            pendingAcks.add(fail);
            try {
              socket.timeout(emitOptions.timeoutMs ?? DEFAULT_ACK_TIMEOUT_MS).emit(event, ...args, (err: Error | null, ...reply: unknown[]) => {
                if (err) return fail(new VenueError('unknown-outcome', l10n.t('no acknowledgement for "{0}": {1}', event, err.message)));
                if (settled) return;
                settled = true;
                pendingAcks.delete(fail);
                resolve(reply);
              });
            } catch (err) {
              // Encoding failed before anything was written.
              fail(new VenueError('unavailable', l10n.t('could not emit "{0}": {1}', event, err instanceof Error ? err.message : String(err))));
            }
          });
        },
        terminate() {
          close(1006, 'terminated');
        },
      };
    },
  };
}

function classifyConnectError(options: SocketIoTransportOptions, err: Error & { data: unknown }): CloseVerdict {
  try {
    return options.classifyConnectError?.(err.message, err.data) ?? defaultConnectErrorVerdict(err.message);
  } catch {
    // A venue classifier that throws must not leave the attempt unsettled.
    return defaultConnectErrorVerdict(err.message);
  }
}

/** `http://host:3000/ws?x=1` → origin `http://host:3000`, namespace `/ws`, query `{x: '1'}`. Throws on a bad URL. */
function splitSocketIoUrl(url: string): { origin: string; namespace: string; query: Record<string, string> } {
  const parsed = new URL(url);
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) throw new TypeError(`unsupported Socket.IO URL scheme "${parsed.protocol}"`);
  const query: Record<string, string> = {};
  for (const [key, value] of parsed.searchParams) query[key] = value;
  return { origin: `${parsed.protocol}//${parsed.host}`, namespace: parsed.pathname === '' ? '/' : parsed.pathname, query };
}

function hardClose(manager: Manager): void {
  try {
    const transport: unknown = manager.engine?.transport;
    if (transport instanceof TerminatingWebSocket) transport.terminate();
  } catch {
    // Best effort: the graceful close already ran; an error only means nothing was left to drop.
  }
}

/** A CONNECT_ERROR packet from the server carries `data`; transport failures carry `type` instead. */
function isServerHandshakeError(err: Error): err is Error & { data: unknown } {
  return 'data' in err && !('type' in err);
}

function hasTerminate(value: unknown): value is { terminate(): void } {
  return typeof value === 'object' && value !== null && typeof (value as { terminate?: unknown }).terminate === 'function';
}
