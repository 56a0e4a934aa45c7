// One poller for venues (or parts of venues) that have no push (docs/architecture.md, Connections):
// Bybit's chats, MEXC's order list. It runs one task, never two at once, at an interval that
// follows demand:
// - `hold(level)` leases: `fast` while a pane or an active order needs fresh data, `normal` for a
//   steady background sync, `idle` for a sync that may back off; the strongest lease wins, and with
//   no lease at all the poller is paused;
// - at `idle` every quiet run stretches the interval towards `idleMs` (a run reporting activity
//   brings it back to `normalMs`), so a quiet account costs few requests;
// - bounded jitter on every wait, so many accounts do not poll in lockstep;
// - a venue's Retry-After is a floor nothing shortens (not even `pollNow()`), and consecutive
//   failures back off exponentially from the current interval up to `maxBackoffMs`;
// - state: `online` after a good run; `stale` (last sync time, reason) once `staleAfterFailures`
//   runs in a row failed; `backoff` while it has never synced; `auth-error` on a VenueError 'auth',
//   after which it stops until `pollNow()`.
import type { ConnectionState } from '../../../shared/model';
import { systemClock, type Clock } from '../clock';
import { Emitter, toDisposable, type Disposable, type Event } from '../event';
import { silentLogger, type Logger } from '../logger';
import { isVenueError } from '../../venues/venue';
import { sameState } from './connectionStates';

export type PollLevel = 'fast' | 'normal' | 'idle';
export type PollDemand = PollLevel | 'paused';

/** What a run may report back; `activity` (something new arrived) resets the idle back-off. */
export interface PollOutcome {
  readonly activity?: boolean;
}

/** One poll. `signal` aborts when the poller stops: stop paging and throw. */
export type PollTask = (signal: AbortSignal) => Promise<PollOutcome | void>;

export interface PollIntervals {
  readonly fastMs: number;
  readonly normalMs: number;
  /** The longest wait at `idle` demand. */
  readonly idleMs: number;
}

export interface PollerOptions {
  readonly name: string;
  readonly run: PollTask;
  readonly intervals: PollIntervals;
  /** Each quiet run at `idle` demand multiplies the wait by this, up to `idleMs` (default 2). */
  readonly idleGrowth?: number;
  /** Each wait is the interval times a random factor in [1 - jitter, 1 + jitter] (default 0.2). */
  readonly jitter?: number;
  /** Consecutive failed runs after which a poller that had synced turns `stale` (default 3). */
  readonly staleAfterFailures?: number;
  /** Cap of the exponential failure back-off (default 60 s; never below the current interval). */
  readonly maxBackoffMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

const LEVELS: readonly PollLevel[] = ['fast', 'normal', 'idle'];

export class Poller implements Disposable {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly intervals: PollIntervals;
  private readonly jitter: number;
  private readonly idleGrowth: number;
  private readonly staleAfter: number;
  private readonly maxBackoffMs: number;
  private readonly stateEmitter = new Emitter<ConnectionState>();
  private readonly leases: Record<PollLevel, number> = { fast: 0, normal: 0, idle: 0 };
  private current: ConnectionState = { kind: 'offline' };
  private started = false;
  private disposed = false;
  /** Set by an auth failure: no runs until `pollNow()`. */
  private halted = false;
  private running: Promise<void> | undefined;
  private runAbort: AbortController | undefined;
  /** A user asked for a run: do one as soon as the Retry-After floor allows, whatever the demand. */
  private forced = false;
  /** `pollNow()` callers waiting for a run that starts after their call. */
  private waiters: (() => void)[] = [];
  private timer: Disposable | undefined;
  private timerDue = 0;
  private lastRunEnd = 0;
  private lastSync: number | undefined;
  private failures = 0;
  private retryAfterUntil = 0;
  private quietMs: number;
  private jitterFactor = 1;

  readonly onState: Event<ConnectionState> = this.stateEmitter.event;

  constructor(private readonly options: PollerOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.intervals = options.intervals;
    this.jitter = Math.min(Math.max(options.jitter ?? 0.2, 0), 0.9);
    this.idleGrowth = Math.max(options.idleGrowth ?? 2, 1);
    this.staleAfter = Math.max(options.staleAfterFailures ?? 3, 1);
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.quietMs = this.intervals.normalMs;
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The strongest lease held, or `paused` when none is. */
  get demand(): PollDemand {
    return LEVELS.find((l) => this.leases[l] > 0) ?? 'paused';
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Keeps the poller at least at `level` until the lease is disposed. */
  hold(level: PollLevel): Disposable {
    this.leases[level]++;
    this.schedule();
    return toDisposable(() => {
      this.leases[level]--;
      if (!this.disposed) this.schedule();
    });
  }

  /** Starts polling with a first run now; resolves when that run is over (its result is in `state`). */
  async start(): Promise<void> {
    if (this.started || this.disposed) return;
    // A run from before a stop may still be settling; never overlap it.
    await this.running;
    if (this.started || this.disposed) return;
    this.started = true;
    this.halted = false;
    this.failures = 0;
    this.setState({ kind: 'connecting' });
    await this.pollNow();
  }

  /**
   * A run now (user action, or new knowledge that data changed), even when paused or halted by an
   * auth error; after the in-flight run if there is one, and never before a venue's Retry-After.
   * Resolves when a run that started after this call is over.
   */
  pollNow(): Promise<void> {
    if (!this.started || this.disposed) return Promise.resolve();
    if (this.halted) {
      this.halted = false;
      this.failures = 0;
      this.setState({ kind: 'connecting' });
    }
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    this.forced = true;
    this.schedule();
    return done;
  }

  /** Stops polling: no timer stays armed, the in-flight run is aborted and awaited. */
  async stop(): Promise<void> {
    this.started = false;
    this.forced = false;
    this.clearTimer();
    this.runAbort?.abort();
    await this.running;
    this.releaseWaiters();
    this.setState({ kind: 'offline' });
  }

  dispose(): void {
    if (this.disposed) return;
    void this.stop();
    this.disposed = true;
    this.stateEmitter.dispose();
  }

  // ---- scheduling ----------------------------------------------------------------------------

  private intervalFor(level: PollDemand): number {
    switch (level) {
      case 'fast':
        return this.intervals.fastMs;
      case 'normal':
        return this.intervals.normalMs;
      default:
        return this.quietMs;
    }
  }

  /** When the next run is due, or undefined when none is (paused, halted, stopped). */
  private nextDue(): number | undefined {
    if (!this.started || this.halted) return undefined;
    if (this.forced) return Math.max(this.clock.now(), this.retryAfterUntil);
    const level = this.demand;
    if (level === 'paused') return undefined;
    const interval = this.intervalFor(level);
    const backoff = this.failures > 1 ? Math.max(interval, Math.min(this.maxBackoffMs, interval * 2 ** (this.failures - 1))) : interval;
    return Math.max(this.lastRunEnd + Math.round(backoff * this.jitterFactor), this.retryAfterUntil);
  }

  /** Arms the one timer for the next run (or none); a run in flight reschedules when it ends. */
  private schedule(): void {
    if (this.running) return;
    const due = this.nextDue();
    if (due === undefined) {
      this.clearTimer();
      this.releaseWaiters();
      return;
    }
    if (this.timer && this.timerDue === due) return;
    this.clearTimer();
    if (due <= this.clock.now()) {
      this.runOnce();
      return;
    }
    this.timerDue = due;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.runOnce();
    }, due - this.clock.now());
  }

  private clearTimer(): void {
    this.timer?.dispose();
    this.timer = undefined;
  }

  private releaseWaiters(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  // ---- running -------------------------------------------------------------------------------

  private runOnce(): void {
    if (this.running || !this.started || this.halted) return;
    this.clearTimer();
    this.forced = false;
    const waiters = this.waiters.splice(0);
    const abort = new AbortController();
    this.runAbort = abort;
    this.running = this.execute(abort.signal).finally(() => {
      this.running = undefined;
      this.runAbort = undefined;
      for (const resolve of waiters) resolve();
      // A pollNow() during the run left `forced` set: it gets its own run now.
      this.schedule();
    });
  }

  private async execute(signal: AbortSignal): Promise<void> {
    let outcome: PollOutcome | void;
    try {
      outcome = await this.options.run(signal);
    } catch (err) {
      // Stopped mid-run: the abort is ours, not the venue's failure.
      if (!signal.aborted) this.onFailure(err);
      return;
    }
    if (!signal.aborted) this.onSuccess(outcome ?? {});
  }

  private onSuccess(outcome: PollOutcome): void {
    const now = this.clock.now();
    const level = this.demand;
    if (this.failures > 0) this.logger.info(`${this.options.name}: polling recovered after ${this.failures} failed run(s)`);
    this.failures = 0;
    this.lastSync = now;
    this.lastRunEnd = now;
    // Backing off at idle starts from where the stronger demand left it.
    if (level === 'fast' || level === 'normal') this.quietMs = this.intervalFor(level);
    else if (outcome.activity) this.quietMs = Math.min(this.intervals.normalMs, this.intervals.idleMs);
    else this.quietMs = Math.min(this.intervals.idleMs, Math.max(this.quietMs, 1) * this.idleGrowth);
    this.drawJitter();
    this.setState(this.current.kind === 'online' ? this.current : { kind: 'online', since: now });
  }

  private onFailure(err: unknown): void {
    const now = this.clock.now();
    const reason = err instanceof Error ? err.message : String(err);
    this.failures++;
    this.lastRunEnd = now;
    this.drawJitter();
    if (isVenueError(err) && err.kind === 'auth') {
      this.halted = true;
      this.logger.warn(`${this.options.name}: credentials refused, polling stops until reconnect: ${reason}`);
      this.setState({ kind: 'auth-error', reason });
      return;
    }
    if (isVenueError(err) && err.kind === 'rate-limit') {
      this.retryAfterUntil = Math.max(this.retryAfterUntil, now + (err.retryAfterMs ?? this.intervals.normalMs));
    }
    this.logger.warn(`${this.options.name}: poll failed (${this.failures} in a row): ${reason}`);
    if (this.lastSync !== undefined && this.failures >= this.staleAfter) {
      this.setState({ kind: 'stale', lastSync: this.lastSync, reason });
    } else if (this.current.kind !== 'online') {
      // Never synced (or not since a restart): say when the next try is, as a socket would.
      this.setState({ kind: 'backoff', until: this.nextDue() ?? now, reason });
    }
    // Online with fewer failures than the threshold: a blip, the data is still recent.
  }

  private drawJitter(): void {
    this.jitterFactor = 1 + this.jitter * (2 * this.clock.random() - 1);
  }

  private setState(next: ConnectionState): void {
    if (sameState(next, this.current)) return;
    this.current = next;
    this.stateEmitter.fire(next);
  }
}
