// What every venue emulator is made of besides its venue: settings over defaults, the injectable
// clock (plus the `clockSkewMs` fault), one timer registry, the media library, the request and
// frame records, the counterparty's pending replies, one HTTP server whose upgrades go to the chat
// hub, and the hooks that read them. The venue subclass adds its store, hub, REST and faults.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { TrackedServer } from './http';
import { buildMediaLibrary } from './media';
import { RecordLog, matchesRequestFilter, type RequestFilter, type RequestRecordBase } from './recordLog';
import { SandboxCloseReasons, type HubPorts } from './chatSessions';
import { takeArmed } from './faults';
import { withDefaults } from './settings';
import { TimerGroup, TimerRegistry } from './timers';

export type EmulatorOptions<S> = Partial<S> & {
  /** Venue clock (ms since epoch); injectable so tests can jump past expiries. */
  readonly clock?: () => number;
  readonly log?: (line: string) => void;
};

/** The fault state fields the base reads. */
export interface BaseFaultState {
  clockSkewMs: number;
  halfOpenSockets: number;
  heartbeatTimeoutMs: number;
  rejectUpgrades: number;
}

/** What the base needs of a venue's chat hub. */
export interface ChatHub<Info> {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  list(): Info[];
  silentCount(): number;
  closeAll(reason: string, graceful: boolean): void;
  dispose(): Promise<void>;
}

export abstract class VenueEmulatorBase<
  S extends object,
  F extends BaseFaultState,
  Req extends RequestRecordBase & { readonly kind: string },
  Frame extends { readonly seq: number },
  Info,
> {
  readonly settings: S;
  protected readonly clock: () => number;
  protected readonly log: (line: string) => void;
  protected readonly timers = new TimerRegistry();
  protected readonly media = buildMediaLibrary();
  protected readonly requestLog = new RecordLog<Req>();
  protected readonly frameLog = new RecordLog<Frame>();
  /** The scripted counterparty's pending replies. */
  protected readonly replies = new TimerGroup(this.timers);
  protected faultState: F;
  /** `http://host:port` once started. */
  protected base = '';
  protected createdOrders = 0;
  private closed = false;
  protected abstract readonly hub: ChatHub<Info>;
  protected abstract readonly server: TrackedServer;

  /** `venueId` prefixes the log lines. */
  protected constructor(protected readonly venueId: string, defaults: S, options: EmulatorOptions<S>) {
    const { clock, log, ...settings } = options;
    this.settings = withDefaults(defaults, settings as Partial<S>);
    this.clock = clock ?? Date.now;
    this.log = log ?? (() => undefined);
    this.faultState = this.defaultFaults();
  }

  /** The faults after a reset; may read `settings` (called from the base constructor). */
  protected abstract defaultFaults(): F;

  /** The venue's part of reset(): its keys or tokens, uploads, limiters, and the store seeded again. */
  protected abstract resetVenue(): void;

  /** What every chat hub takes from its emulator; the venue spreads it into its hub's backend. */
  protected hubPorts(): HubPorts<Req, Frame> {
    return {
      now: () => this.now(),
      timers: this.timers,
      heartbeatTimeoutMs: () => this.faultState.heartbeatTimeoutMs,
      takeUpgradeRejection: () => takeArmed(this.faultState, 'rejectUpgrades'),
      recordRequest: (r) => this.requestLog.append(r),
      recordFrame: (r) => this.frameLog.append(r),
      log: this.log,
    };
  }

  /** The HTTP server for `handler`, its WebSocket upgrades going to the hub. */
  protected serve(handler: (req: IncomingMessage, res: ServerResponse) => void): TrackedServer {
    const server = new TrackedServer(handler);
    server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.hub.handleUpgrade(req, socket, head));
    return server;
  }

  protected async listen(host: string, port: number): Promise<void> {
    this.base = await this.server.listenUrl(host, port);
  }

  get restUrl(): string {
    return this.base;
  }

  get mediaUrl(): string {
    return `${this.base}/media`;
  }

  /** Venue time: the injected clock plus any `clockSkewMs` fault. */
  now(): number {
    return this.clock() + this.faultState.clockSkewMs;
  }

  requests(filter: RequestFilter<Req['kind']> = {}): Req[] {
    return this.requestLog.list(matchesRequestFilter(filter));
  }

  sockets(): Info[] {
    return this.hub.list();
  }

  faults(): F {
    return { ...this.faultState, halfOpenSockets: this.hub.silentCount() };
  }

  /** Back to the seed: sockets closed; records, faults and pending replies cleared, then the venue's own state. */
  reset(): void {
    this.hub.closeAll(SandboxCloseReasons.reset, true);
    this.replies.cancelAll();
    this.requestLog.clear();
    this.frameLog.clear();
    this.faultState = this.defaultFaults();
    this.createdOrders = 0;
    this.resetVenue();
    this.log(`${this.venueId} reset`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.timers.clearAll();
    this.replies.cancelAll();
    await this.hub.dispose();
    await this.server.close();
  }

  /** Pending timers (heartbeats, socket lifetimes, replies, sweeps); 0 after close. */
  pendingTimers(): number {
    return this.timers.size;
  }
}
