// The seam between the reconnecting socket (back-off, heartbeat, states) and the wire library that
// carries one connection: `ws` for plain WebSockets, socket.io-client for Socket.IO gateways.
// A transport opens exactly one link per connect() and reports what happens on it; it never
// reconnects by itself, so every venue gets the same back-off and state machinery.
import * as l10n from '@vscode/l10n';

/** Where to connect, resolved afresh before every connect (single-use tokens, listen keys). */
export interface SocketTarget {
  /**
   * `ws(s)://…` for a plain WebSocket. For Socket.IO, `http(s)://host:port/namespace?query`, the
   * socket.io-client convention (the path names the namespace, not the Engine.IO path).
   */
  readonly url: string;
  /** WebSocket subprotocols (Mixin's `Mixin-Blaze-1`). */
  readonly protocols?: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
  /** Socket.IO handshake `auth` payload (e.g. `{apiKey}` or `{token}`); unused by plain WebSockets. */
  readonly auth?: Readonly<Record<string, unknown>>;
}

/** What to do after the server refused the connection or closed it. */
export type CloseVerdict =
  | { readonly action: 'retry'; readonly reason: string }
  | { readonly action: 'auth'; readonly reason: string }
  | { readonly action: 'displaced'; readonly reason: string };

/** One inbound unit: a WebSocket text or binary message, or a Socket.IO event with its arguments. */
export type Frame =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly data: Buffer }
  | { readonly kind: 'event'; readonly event: string; readonly args: readonly unknown[] };

/** What a transport reports about its link. `close` comes exactly once, last. */
export interface TransportHandlers {
  open(): void;
  frame(frame: Frame): void;
  /** Keep-alive traffic (a pong, or a ping from the server): proof the link is alive. */
  alive(): void;
  /** The server answered the upgrade with an HTTP status instead of switching protocols. */
  upgradeRejected(status: number, body: string): void;
  /** The transport knows what a refusal means by itself (a Socket.IO handshake error). */
  refused(verdict: CloseVerdict): void;
  error(error: Error): void;
  close(code: number, reason: string): void;
}

export interface EmitOptions {
  /** Wait for the server's acknowledgement (default true). */
  readonly ack?: boolean;
  /** How long to wait for it; default 10 s. */
  readonly timeoutMs?: number;
}

/** One connection attempt's link. */
export interface TransportLink {
  readonly isOpen: boolean;
  /** A text (string) or binary (bytes) message. Throws when the link cannot take it. */
  send(frame: string | Uint8Array): void;
  /** A named event with arguments, resolving to the acknowledgement's arguments (Socket.IO only). */
  emit?(event: string, args: readonly unknown[], options: EmitOptions): Promise<readonly unknown[]>;
  /** A protocol-level ping (a WebSocket ping frame); absent where the library keeps its own heartbeat. */
  ping?(): void;
  /** Drop the connection now, without waiting for a closing handshake; `close` follows. */
  terminate(): void;
}

export interface ConnectOptions {
  readonly handshakeTimeoutMs: number;
  /**
   * Inbound frames larger than this are refused (plain WebSockets: `ws` closes the link with
   * 1009 instead of buffering them) and reported as a FrameTooLargeError. Default
   * DEFAULT_MAX_FRAME_BYTES.
   */
  readonly maxFrameBytes?: number;
}

/** No venue sends chat frames anywhere near this; a bigger one is broken or hostile. */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** The server sent a frame over the size cap; the link is being dropped. */
export class FrameTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(l10n.t('frame too large (over {0} bytes)', limitBytes));
    this.name = 'FrameTooLargeError';
  }
}

export interface Transport {
  /**
   * Starts one connection. May throw synchronously (a URL the library refuses); the caller turns
   * that into a state, like any other failure.
   */
  connect(target: SocketTarget, handlers: TransportHandlers, options: ConnectOptions): TransportLink;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
