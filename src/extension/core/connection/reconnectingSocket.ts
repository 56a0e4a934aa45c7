// One reconnecting WebSocket for every push venue (design.md §6): venue-specific heartbeat,
// half-open detection, exponential back-off with full jitter, fresh credentials on each connect,
// and no retry loop on authentication failure.
import WebSocket from 'ws';
import type { ConnectionState } from '../../../shared/model';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { delay, systemClock, type Clock } from '../clock';
import { Emitter, type Disposable } from '../event';
import { silentLogger, type Logger } from '../logger';
import { isVenueError } from '../../venues/venue';

export interface SocketTarget {
  readonly url: string;
  readonly protocols?: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
}

/** What to do after the server refused the upgrade or closed the socket. */
export type CloseVerdict =
  | { readonly action: 'retry'; readonly reason: string }
  | { readonly action: 'auth'; readonly reason: string }
  | { readonly action: 'displaced'; readonly reason: string };

export interface HeartbeatOptions {
  readonly intervalMs: number;
  /** No inbound traffic for this long means the connection is half-open: terminate and reconnect. */
  readonly staleAfterMs: number;
  /** App-level ping (MEXC `{"method":"PING"}`); default is a WebSocket ping frame. */
  readonly send?: (socket: WebSocket) => void;
}

export interface ReconnectingSocketOptions {
  readonly name: string;
  /** Called before every connect, so single-use tokens and listen keys are fresh. Throw a VenueError('auth') to stop. */
  readonly resolveTarget: () => Promise<SocketTarget>;
  readonly heartbeat: HeartbeatOptions;
  readonly onUpgradeRejected?: (status: number, body: string) => CloseVerdict;
  readonly classifyClose?: (code: number, reason: string) => CloseVerdict | undefined;
  readonly backoff?: BackoffOptions;
  /** A connection that stayed up this long resets the back-off. */
  readonly stableAfterMs?: number;
  readonly handshakeTimeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface Outage {
  readonly from: number;
  readonly to: number;
}

type AttemptResult = { readonly opened: boolean; readonly verdict: CloseVerdict };

export class ReconnectingSocket implements Disposable {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly backoff: Backoff;
  private readonly stateEmitter = new Emitter<ConnectionState>();
  private readonly messageEmitter = new Emitter<string>();
  private readonly openEmitter = new Emitter<{ readonly outage?: Outage }>();
  private socket: WebSocket | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: AbortController | undefined;
  private downSince: number | undefined;
  private current: ConnectionState = { kind: 'offline' };

  readonly onState = this.stateEmitter.event;
  /** Text frames as received (binary frames are decoded as UTF-8). */
  readonly onMessage = this.messageEmitter.event;
  /** Fires on every successful open; `outage` is set when this open ends an outage. */
  readonly onOpen = this.openEmitter.event;

  constructor(private readonly options: ReconnectingSocketOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF, this.clock.random);
  }

  get state(): ConnectionState {
    return this.current;
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
    });
  }

  /** User action: connect now, even from auth-error / displaced / back-off. */
  reconnectNow(): void {
    this.backoff.reset();
    if (!this.running) {
      this.start();
      return;
    }
    if (this.socket) {
      this.socket.terminate();
    }
    this.wake?.abort();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.abort();
    this.socket?.terminate();
    await this.loop;
    this.setState({ kind: 'offline' });
  }

  send(text: string): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(text);
    return true;
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
    this.messageEmitter.dispose();
    this.openEmitter.dispose();
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    this.stateEmitter.fire(state);
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.setState({ kind: 'connecting' });
      let target: SocketTarget;
      try {
        target = await this.options.resolveTarget();
      } catch (err) {
        if (!this.running) break;
        if (isVenueError(err) && err.kind === 'auth') {
          this.logger.warn(`${this.options.name}: credentials rejected: ${err.message}`);
          this.setState({ kind: 'auth-error', reason: err.message });
          this.running = false;
          break;
        }
        const retryAfter = isVenueError(err) ? err.retryAfterMs : undefined;
        await this.waitBeforeRetry(`could not prepare the connection: ${err instanceof Error ? err.message : String(err)}`, retryAfter);
        continue;
      }
      if (!this.running) break;
      const result = await this.attempt(target);
      if (!this.running) break;
      if (result.verdict.action === 'auth') {
        this.setState({ kind: 'auth-error', reason: result.verdict.reason });
        this.running = false;
        break;
      }
      if (result.verdict.action === 'displaced') {
        this.setState({ kind: 'displaced', reason: result.verdict.reason });
        this.running = false;
        break;
      }
      await this.waitBeforeRetry(result.verdict.reason);
    }
  }

  private async waitBeforeRetry(reason: string, atLeastMs = 0): Promise<void> {
    const wait = Math.max(atLeastMs, this.backoff.next());
    this.downSince ??= this.clock.now();
    this.logger.info(`${this.options.name}: ${reason}; retrying in ${wait} ms`);
    this.setState({ kind: 'backoff', until: this.clock.now() + wait, reason });
    this.wake = new AbortController();
    try {
      await delay(this.clock, wait, this.wake.signal);
    } catch {
      // Woken early by reconnectNow() or stop().
    } finally {
      this.wake = undefined;
    }
  }

  private attempt(target: SocketTarget): Promise<AttemptResult> {
    return new Promise<AttemptResult>((resolve) => {
      const heartbeat = this.options.heartbeat;
      let opened = false;
      let settled = false;
      let verdict: CloseVerdict | undefined;
      let lastInbound = this.clock.now();
      const timers: Disposable[] = [];
      const socket = new WebSocket(target.url, target.protocols ? [...target.protocols] : undefined, {
        headers: target.headers ? { ...target.headers } : undefined,
        handshakeTimeout: this.options.handshakeTimeoutMs ?? 10_000,
        perMessageDeflate: false,
      });
      this.socket = socket;

      const finish = (fallback: CloseVerdict) => {
        if (settled) return;
        settled = true;
        for (const t of timers) t.dispose();
        socket.removeAllListeners();
        // Keep an error listener so a late error on a dead socket cannot crash the host.
        socket.on('error', () => {});
        if (this.socket === socket) this.socket = undefined;
        if (opened) this.downSince = this.clock.now();
        resolve({ opened, verdict: verdict ?? fallback });
      };

      socket.on('unexpected-response', (req, res) => {
        const status = res.statusCode ?? 0;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < 2048) body += chunk;
        });
        res.on('end', () => {
          verdict = this.options.onUpgradeRejected?.(status, body) ?? defaultUpgradeVerdict(status);
          req.destroy();
          finish(verdict);
        });
        res.on('error', () => finish(defaultUpgradeVerdict(status)));
      });

      socket.on('open', () => {
        opened = true;
        lastInbound = this.clock.now();
        const outage = this.downSince !== undefined ? { from: this.downSince, to: this.clock.now() } : undefined;
        this.downSince = undefined;
        this.setState({ kind: 'online', since: this.clock.now() });
        timers.push(
          this.clock.setTimeout(() => this.backoff.reset(), this.options.stableAfterMs ?? 10_000),
          this.clock.setInterval(() => {
            if (this.clock.now() - lastInbound > heartbeat.staleAfterMs) {
              this.logger.warn(`${this.options.name}: no traffic for ${this.clock.now() - lastInbound} ms, connection is half-open; reconnecting`);
              verdict = { action: 'retry', reason: 'connection went silent (half-open)' };
              socket.terminate();
              return;
            }
            try {
              if (heartbeat.send) heartbeat.send(socket);
              else socket.ping();
            } catch (err) {
              this.logger.warn(`${this.options.name}: heartbeat failed: ${String(err)}`);
            }
          }, heartbeat.intervalMs),
        );
        this.openEmitter.fire({ outage });
      });

      socket.on('message', (data) => {
        lastInbound = this.clock.now();
        this.messageEmitter.fire(rawDataToText(data));
      });
      socket.on('pong', () => {
        lastInbound = this.clock.now();
      });
      socket.on('ping', () => {
        lastInbound = this.clock.now();
      });

      socket.on('error', (err) => {
        this.logger.debug(`${this.options.name}: socket error: ${err.message}`);
        verdict ??= { action: 'retry', reason: `connection error: ${err.message}` };
      });

      socket.on('close', (code, reasonBuffer) => {
        const reason = reasonBuffer.toString('utf8');
        verdict ??= this.options.classifyClose?.(code, reason) ?? { action: 'retry', reason: `connection closed (${code}${reason ? `: ${reason}` : ''})` };
        finish(verdict);
      });
    });
  }
}

function defaultUpgradeVerdict(status: number): CloseVerdict {
  if (status === 401 || status === 403) return { action: 'auth', reason: `the server refused the connection (HTTP ${status})` };
  return { action: 'retry', reason: `the server refused the connection (HTTP ${status})` };
}

function rawDataToText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
