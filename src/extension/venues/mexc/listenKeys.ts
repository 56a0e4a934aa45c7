// The MEXC listen key every chat socket URL carries (docs/venue-protocols.md, MEXC: listen keys):
// created on demand (one creation shared by concurrent callers), kept alive every 30 min (a key
// lives 60 min without a keep-alive), recreated when a keep-alive or a socket upgrade is rejected,
// deleted on stop.
import type { ConnectionState } from '../../../shared/model';
import type { Clock } from '../../core/clock';
import { sameState } from '../../core/connection/connectionStates';
import { Emitter, type Disposable, type Event } from '../../core/event';
import type { Logger } from '../../core/logger';
import type { SecretSink } from '../descriptor';
import { isVenueError } from '../venue';

/** The part of the REST client listen keys need. */
export interface ListenKeyApi {
  createListenKey(): Promise<string>;
  keepAliveListenKey(listenKey: string): Promise<void>;
  deleteListenKey(listenKey: string): Promise<void>;
}

export interface ListenKeysOptions {
  readonly api: ListenKeyApi;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Keep-alive period (default 30 min). */
  readonly keepAliveMs?: number;
  /** How long a failed renewal is shown as back-off (the sockets retry on their own schedule). */
  readonly retryHintMs?: number;
  /** Learns every key the moment it exists: keys ride in socket URLs, and logs must never show them. */
  readonly redactor?: SecretSink;
}

export class ListenKeys implements Disposable {
  private key: string | undefined;
  private pending: Promise<string> | undefined;
  private keepAliveTimer: Disposable | undefined;
  private current: ConnectionState = { kind: 'offline' };
  private readonly renewed = new Emitter<void>();
  private readonly stateEmitter = new Emitter<ConnectionState>();

  /** A rejected key was replaced: sockets opened with the old one must reconnect. */
  readonly onRenewed: Event<void> = this.renewed.event;
  /** `offline` (nothing to report) unless renewing the key failed. */
  readonly onState: Event<ConnectionState> = this.stateEmitter.event;

  constructor(private readonly options: ListenKeysOptions) {}

  get state(): ConnectionState {
    return this.current;
  }

  /** Creates a fresh key now (also the credential check: it is a signed call needing the P2P permission). */
  async create(): Promise<string> {
    this.key = undefined;
    return this.get();
  }

  /** The key to connect with, created if there is none. */
  async get(): Promise<string> {
    if (this.key) return this.key;
    this.pending ??= this.options.api
      .createListenKey()
      .then((key) => {
        this.options.redactor?.addSecret(key);
        this.key = key;
        this.setState({ kind: 'offline' });
        return key;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** The key was refused (a socket upgrade got 401, or the user reconnects): the next `get()` makes a new one. */
  invalidate(): void {
    this.key = undefined;
  }

  startKeepAlive(): void {
    this.keepAliveTimer?.dispose();
    this.keepAliveTimer = this.options.clock.setInterval(() => void this.keepAlive(), this.options.keepAliveMs ?? 30 * 60_000);
  }

  /** Stops the keep-alive and deletes the key at MEXC (best effort). */
  async release(): Promise<void> {
    this.keepAliveTimer?.dispose();
    this.keepAliveTimer = undefined;
    const key = this.key;
    this.key = undefined;
    this.setState({ kind: 'offline' });
    if (key) {
      await this.options.api.deleteListenKey(key).catch((err: unknown) => this.options.logger.debug(`could not delete the listen key: ${String(err)}`));
    }
  }

  dispose(): void {
    this.keepAliveTimer?.dispose();
    this.keepAliveTimer = undefined;
    this.renewed.dispose();
    this.stateEmitter.dispose();
  }

  private async keepAlive(): Promise<void> {
    const key = this.key;
    if (!key) return;
    try {
      await this.options.api.keepAliveListenKey(key);
      this.options.logger.debug('listen key kept alive');
    } catch (err) {
      if (!(isVenueError(err) && (err.kind === 'rejected' || err.kind === 'auth'))) {
        this.options.logger.warn(`listen key keep-alive failed: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      // Rejected keep-alive: the key is gone. A new one is created and the sockets move to it.
      this.options.logger.info(`listen key rejected (${err.message}); creating a new one`);
      if (this.key === key) this.key = undefined;
      try {
        await this.get();
        this.renewed.fire();
      } catch (createErr) {
        const reason = createErr instanceof Error ? createErr.message : String(createErr);
        this.setState(
          isVenueError(createErr) && createErr.kind === 'auth'
            ? { kind: 'auth-error', reason }
            : { kind: 'backoff', until: this.options.clock.now() + (this.options.retryHintMs ?? 15_000), reason },
        );
      }
    }
  }

  private setState(next: ConnectionState): void {
    if (sameState(next, this.current)) return;
    this.current = next;
    this.stateEmitter.fire(next);
  }
}
