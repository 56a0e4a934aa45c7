// One reconnecting socket for every push venue (docs/architecture.md, Connections): venue-specific
// heartbeat (ours or the server's), half-open detection, exponential back-off with full jitter,
// fresh credentials on each connect, no retry loop on authentication failure, and a long wait when
// another client took the session. The wire is a Transport: `ws` by default, Socket.IO where the
// venue speaks it.
import type { ConnectionState } from '../../../shared/model';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { delay, systemClock, type Clock } from '../clock';
import { Emitter, type Disposable } from '../event';
import { silentLogger, type Logger } from '../logger';
import { isVenueError, VenueError } from '../../venues/venue';
import { FrameTooLargeError, errorMessage, type CloseVerdict, type EmitOptions, type Frame, type SocketTarget, type Transport, type TransportHandlers, type TransportLink } from './transport';
import { wsTransport } from './wsTransport';
import * as l10n from '@vscode/l10n';

export type { CloseVerdict, EmitOptions, Frame, SocketTarget, Transport } from './transport';

/** What a heartbeat can write to: the open link. */
export interface HeartbeatLink {
  send(frame: string | Uint8Array): void;
}

export interface HeartbeatOptions {
  /** Client pings: how often we ping (and check for silence). Server pings: unused (one timer waits for the stale moment). */
  readonly intervalMs: number;
  /** No inbound traffic (frames, pongs, server pings) for this long means half-open: terminate and reconnect. */
  readonly staleAfterMs: number;
  /**
   * Who pings. `client` (default): we ping every interval. `server`: the server pings us (Mixin's
   * Blaze, Engine.IO) and we only watch for silence.
   */
  readonly pinger?: 'client' | 'server';
  /** App-level ping (MEXC `{"method":"PING"}`); default is the transport's ping (a WebSocket ping frame). */
  readonly send?: (link: HeartbeatLink) => void;
}

export interface ReconnectingSocketOptions {
  readonly name: string;
  /**
   * Called before every connect, so single-use tokens and listen keys are fresh. Throw a
   * VenueError('auth') to stop. `signal` fires when the socket is stopped meanwhile.
   */
  readonly resolveTarget: (signal: AbortSignal) => Promise<SocketTarget>;
  /** The wire library; default `ws`. */
  readonly transport?: Transport;
  readonly heartbeat: HeartbeatOptions;
  readonly onUpgradeRejected?: (status: number, body: string) => CloseVerdict;
  readonly classifyClose?: (code: number, reason: string) => CloseVerdict | undefined;
  readonly backoff?: BackoffOptions;
  /** A connection that stayed up this long resets the back-off. */
  readonly stableAfterMs?: number;
  readonly handshakeTimeoutMs?: number;
  /** Inbound frames over this many bytes are refused (see ConnectOptions); default 4 MiB. */
  readonly maxFrameBytes?: number;
  /**
   * After a `displaced` verdict (another client took the session), wait between half and all of
   * this before trying again, so two clients never fight over one session. Default 10 min.
   */
  readonly displacedRetryMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface Outage {
  readonly from: number;
  readonly to: number;
}

export const DEFAULT_DISPLACED_RETRY_MS = 10 * 60_000;
/** Extra time on top of the transport's own handshake timeout before we give up on an attempt. */
const HANDSHAKE_GRACE_MS = 1000;

export class ReconnectingSocket implements Disposable {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly backoff: Backoff;
  private readonly transport: Transport;
  private readonly stateEmitter = new Emitter<ConnectionState>();
  private readonly messageEmitter = new Emitter<string>();
  private readonly frameEmitter = new Emitter<Frame>();
  private readonly openEmitter = new Emitter<{ readonly outage?: Outage }>();
  private readonly badInputEmitter = new Emitter<string>();
  private link: TransportLink | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  /** Aborted by stop(): ends a pending resolveTarget() and any wait. */
  private stopper: AbortController | undefined;
  /** Aborted by reconnectNow(): ends the current wait early. */
  private wake: AbortController | undefined;
  /** reconnectNow() while no wait was pending: skip the next one. */
  private skipNextWait = false;
  private downSince: number | undefined;
  private current: ConnectionState = { kind: 'offline' };

  readonly onState = this.stateEmitter.event;
  /** Text frames, and binary frames decoded as UTF-8 (Socket.IO events are only on onFrame). */
  readonly onMessage = this.messageEmitter.event;
  /** Every inbound frame as received: text, binary bytes, or a Socket.IO event. */
  readonly onFrame = this.frameEmitter.event;
  /** Fires on every successful open; `outage` is set when this open ends an outage. */
  readonly onOpen = this.openEmitter.event;
  /** The server sent something unusable that cost the link (a frame over the size cap); it reconnects with back-off. */
  readonly onBadInput = this.badInputEmitter.event;

  constructor(private readonly options: ReconnectingSocketOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF, () => this.clock.random());
    this.transport = options.transport ?? wsTransport;
  }

  get state(): ConnectionState {
    return this.current;
  }

  get isOpen(): boolean {
    return this.link?.isOpen ?? false;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.skipNextWait = false;
    const stopper = new AbortController();
    this.stopper = stopper;
    const loop = this.run(stopper.signal).finally(() => {
      if (this.loop === loop) this.loop = undefined;
    });
    this.loop = loop;
  }

  /** User action: connect now, even from auth-error, displaced or back-off. */
  reconnectNow(): void {
    this.backoff.reset();
    if (!this.running) {
      this.start();
      return;
    }
    if (this.wake) {
      this.wake.abort();
    } else {
      // Connecting or online: drop this link and come straight back without waiting.
      this.skipNextWait = true;
      this.link?.terminate();
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopper?.abort();
    this.wake?.abort();
    this.link?.terminate();
    await this.loop;
    this.setState({ kind: 'offline' });
  }

  /** A text (string) or binary (bytes) frame; false when the socket is not open. */
  send(frame: string | Uint8Array): boolean {
    const link = this.link;
    if (!link?.isOpen) return false;
    try {
      link.send(frame);
      return true;
    } catch (err) {
      this.logger.warn(`${this.options.name}: send failed: ${errorMessage(err)}`);
      return false;
    }
  }

  /**
   * A named event (Socket.IO), resolving to the server's acknowledgement. Rejects with
   * VenueError('unavailable') when it could not leave, 'unknown-outcome' when no ack came.
   */
  emit(event: string, args: readonly unknown[] = [], options: EmitOptions = {}): Promise<readonly unknown[]> {
    const link = this.link;
    if (!link?.isOpen) return Promise.reject(new VenueError('unavailable', l10n.t('{0} is not connected', this.options.name)));
    if (!link.emit) return Promise.reject(new VenueError('unavailable', l10n.t('{0}: this transport has no named events', this.options.name)));
    return link.emit(event, args, options);
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
    this.messageEmitter.dispose();
    this.frameEmitter.dispose();
    this.openEmitter.dispose();
    this.badInputEmitter.dispose();
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    this.stateEmitter.fire(state);
  }

  private async run(stopped: AbortSignal): Promise<void> {
    while (this.running && !stopped.aborted) {
      try {
        await this.cycle(stopped);
      } catch (err) {
        // Nothing may leave the socket stuck in `connecting`: any failure ends in a back-off state.
        if (!this.running || stopped.aborted) break;
        this.logger.error(`${this.options.name}: unexpected failure: ${errorMessage(err)}`);
        await this.waitBeforeRetry(l10n.t('unexpected failure: {0}', errorMessage(err)));
      }
    }
  }

  /** One connect attempt and what follows it (a wait, or parking until reconnectNow). */
  private async cycle(stopped: AbortSignal): Promise<void> {
    this.setState({ kind: 'connecting' });
    let target: SocketTarget;
    try {
      target = await untilAborted(this.options.resolveTarget(stopped), stopped);
    } catch (err) {
      if (stopped.aborted) return;
      if (isVenueError(err) && err.kind === 'auth') {
        this.logger.warn(`${this.options.name}: credentials rejected: ${err.message}`);
        await this.park({ kind: 'auth-error', reason: err.message });
        return;
      }
      const retryAfter = isVenueError(err) ? err.retryAfterMs : undefined;
      await this.waitBeforeRetry(l10n.t('could not prepare the connection: {0}', errorMessage(err)), retryAfter);
      return;
    }
    if (stopped.aborted) return;
    const verdict = await this.attempt(target);
    if (stopped.aborted) return;
    switch (verdict.action) {
      case 'auth':
        this.logger.warn(`${this.options.name}: ${verdict.reason}`);
        await this.park({ kind: 'auth-error', reason: verdict.reason });
        return;
      case 'displaced':
        await this.waitDisplaced(verdict.reason);
        return;
      case 'retry':
        await this.waitBeforeRetry(verdict.reason);
        return;
    }
  }

  private async waitBeforeRetry(reason: string, atLeastMs = 0): Promise<void> {
    const wait = Math.max(atLeastMs, this.backoff.next());
    this.downSince ??= this.clock.now();
    this.logger.info(`${this.options.name}: ${reason}; retrying in ${wait} ms`);
    this.setState({ kind: 'backoff', until: this.clock.now() + wait, reason });
    await this.pause(wait);
  }

  /** Another client holds the session: no fight. Wait long (jittered), or until reconnectNow(). */
  private async waitDisplaced(reason: string): Promise<void> {
    const base = this.options.displacedRetryMs ?? DEFAULT_DISPLACED_RETRY_MS;
    const wait = Math.floor(base / 2 + (this.clock.random() * base) / 2);
    this.downSince ??= this.clock.now();
    this.logger.warn(`${this.options.name}: ${reason}; not reconnecting for ${Math.round(wait / 1000)} s (or until the user reconnects)`);
    this.setState({ kind: 'displaced', reason });
    await this.pause(wait);
  }

  /** Stay in `state` until reconnectNow() or stop(): retrying would only repeat the refusal. */
  private async park(state: ConnectionState): Promise<void> {
    this.downSince ??= this.clock.now();
    this.setState(state);
    await this.pause(undefined);
  }

  /** Waits `ms` (forever when undefined), ended early by reconnectNow() or stop(). */
  private async pause(ms: number | undefined): Promise<void> {
    if (this.skipNextWait) {
      this.skipNextWait = false;
      return;
    }
    const wake = new AbortController();
    this.wake = wake;
    const stopped = this.stopper?.signal;
    const onStop = () => wake.abort();
    stopped?.addEventListener('abort', onStop, { once: true });
    try {
      if (stopped?.aborted) return;
      if (ms === undefined) await untilAborted(new Promise<never>(() => {}), wake.signal);
      else await delay(this.clock, ms, wake.signal);
    } catch {
      // Woken early by reconnectNow() or stop().
    } finally {
      stopped?.removeEventListener('abort', onStop);
      if (this.wake === wake) this.wake = undefined;
    }
  }

  /** One connection, from connect to close; resolves with what to do next. */
  private attempt(target: SocketTarget): Promise<CloseVerdict> {
    return new Promise<CloseVerdict>((resolve) => {
      const heartbeat = this.options.heartbeat;
      const handshakeTimeoutMs = this.options.handshakeTimeoutMs ?? 10_000;
      let link: TransportLink | undefined;
      let opened = false;
      let settled = false;
      let verdict: CloseVerdict | undefined;
      let lastInbound = this.clock.now();
      const timers: Disposable[] = [];

      const finish = (fallback: CloseVerdict) => {
        if (settled) return;
        settled = true;
        for (const t of timers) t.dispose();
        if (link && this.link === link) this.link = undefined;
        if (opened) this.downSince = this.clock.now();
        resolve(verdict ?? fallback);
      };
      // A venue's classifier that throws must not leave the attempt unsettled.
      const judge = (classify: () => CloseVerdict | undefined, fallback: CloseVerdict): CloseVerdict => {
        try {
          return classify() ?? fallback;
        } catch (err) {
          this.logger.warn(`${this.options.name}: close classifier failed: ${errorMessage(err)}`);
          return fallback;
        }
      };

      const onOpen = () => {
        if (settled || opened) return;
        opened = true;
        this.skipNextWait = false;
        lastInbound = this.clock.now();
        const outage = this.downSince !== undefined ? { from: this.downSince, to: this.clock.now() } : undefined;
        this.downSince = undefined;
        this.setState({ kind: 'online', since: this.clock.now() });
        const halfOpen = (why: string) => {
          verdict ??= { action: 'retry', reason: why };
          link?.terminate();
        };
        timers.push(
          this.clock.setTimeout(() => this.backoff.reset(), this.options.stableAfterMs ?? 10_000),
          heartbeat.pinger === 'server'
            ? this.watchSilence(() => lastInbound, heartbeat.staleAfterMs, halfOpen)
            : this.clock.setInterval(() => this.beat(link, heartbeat, lastInbound, halfOpen), heartbeat.intervalMs),
        );
        this.openEmitter.fire({ outage });
      };

      const handlers: TransportHandlers = {
        open: onOpen,
        frame: (frame) => {
          if (settled) return;
          lastInbound = this.clock.now();
          this.frameEmitter.fire(frame);
          if (frame.kind === 'text') this.messageEmitter.fire(frame.text);
          else if (frame.kind === 'binary' && this.messageEmitter.listenerCount > 0) this.messageEmitter.fire(frame.data.toString('utf8'));
        },
        alive: () => {
          lastInbound = this.clock.now();
        },
        upgradeRejected: (status, body) => {
          verdict ??= judge(() => this.options.onUpgradeRejected?.(status, body), defaultUpgradeVerdict(status));
        },
        refused: (v) => {
          verdict ??= v;
        },
        error: (err) => {
          if (err instanceof FrameTooLargeError) {
            this.logger.warn(`${this.options.name}: ${err.message}; reconnecting`);
            verdict ??= { action: 'retry', reason: err.message };
            this.badInputEmitter.fire(err.message);
            return;
          }
          this.logger.debug(`${this.options.name}: socket error: ${err.message}`);
          verdict ??= { action: 'retry', reason: l10n.t('connection error: {0}', err.message) };
        },
        close: (code, reason) => {
          const fallback: CloseVerdict = { action: 'retry', reason: reason ? l10n.t({ message: 'connection closed ({0}: {1})', args: [code, reason], comment: ['{0} is the WebSocket close code, {1} the server\'s close reason.'] }) : l10n.t({ message: 'connection closed ({0})', args: [code], comment: ['{0} is the WebSocket close code.'] }) };
          verdict ??= judge(() => this.options.classifyClose?.(code, reason), fallback);
          finish(verdict);
        },
      };

      // Whatever the transport does, an attempt that never opens ends in a state.
      timers.push(this.clock.setTimeout(() => {
        if (opened || settled) return;
        verdict ??= { action: 'retry', reason: l10n.t('the connection did not open in time') };
        link?.terminate();
        finish(verdict);
      }, handshakeTimeoutMs + HANDSHAKE_GRACE_MS));

      try {
        const created = this.transport.connect(target, handlers, { handshakeTimeoutMs, maxFrameBytes: this.options.maxFrameBytes });
        if (settled) {
          created.terminate();
          return;
        }
        link = created;
        this.link = created;
      } catch (err) {
        // e.g. `ws` refusing the URL synchronously (bad syntax, unsupported scheme). Its message may
        // quote the URL, whose path and query carry listen keys and tokens: keep only the origin.
        const message = errorMessage(err).split(target.url).join(originOf(target.url));
        verdict ??= { action: 'retry', reason: l10n.t('could not open the connection: {0}', message) };
        finish(verdict);
      }
    });
  }

  /** One heartbeat tick of a client pinger: detect silence, else ping. */
  private beat(link: TransportLink | undefined, heartbeat: HeartbeatOptions, lastInbound: number, halfOpen: (why: string) => void): void {
    if (!link) return;
    const silentFor = this.clock.now() - lastInbound;
    if (silentFor > heartbeat.staleAfterMs) {
      this.logger.warn(`${this.options.name}: no traffic for ${silentFor} ms, connection is half-open; reconnecting`);
      halfOpen(l10n.t('connection went silent (half-open)'));
      return;
    }
    try {
      if (heartbeat.send) heartbeat.send(link);
      else link.ping?.();
    } catch (err) {
      this.logger.warn(`${this.options.name}: heartbeat failed: ${errorMessage(err)}`);
    }
  }

  /**
   * A server pinger's link has nothing to send, only silence to notice: one timer for the moment it
   * would turn stale, moved on by the traffic that came meanwhile. An idle link wakes about once
   * per `staleAfterMs`, not once per interval.
   */
  private watchSilence(lastInbound: () => number, staleAfterMs: number, halfOpen: (why: string) => void): Disposable {
    let timer: Disposable | undefined;
    let watching = true;
    const check = () => {
      if (!watching) return;
      const silentFor = this.clock.now() - lastInbound();
      if (silentFor > staleAfterMs) {
        this.logger.warn(`${this.options.name}: no traffic for ${silentFor} ms, connection is half-open; reconnecting`);
        halfOpen(l10n.t('connection went silent (half-open)'));
        return;
      }
      timer = this.clock.setTimeout(check, staleAfterMs - silentFor + 1);
    };
    timer = this.clock.setTimeout(check, staleAfterMs + 1);
    return {
      dispose: () => {
        watching = false;
        timer?.dispose();
      },
    };
  }
}

function defaultUpgradeVerdict(status: number): CloseVerdict {
  if (status === 401 || status === 403) return { action: 'auth', reason: l10n.t('the server refused the connection (HTTP {0})', status) };
  return { action: 'retry', reason: l10n.t('the server refused the connection (HTTP {0})', status) };
}

function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : `(a ${parsed.protocol} URL)`;
  } catch {
    return '(an unparsable URL)';
  }
}

/** Settles like `promise`, or rejects as soon as `signal` fires. */
function untilAborted<V>(promise: Promise<V>, signal: AbortSignal): Promise<V> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(new Error('aborted'));
  }
  return new Promise<V>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
