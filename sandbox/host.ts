// The sandbox host: starts every emulator of a registry on the bind address (loopback by default),
// aggregates their endpoints and accounts into one info JSON, and serves one control API routed
// by venue. It knows no venue: everything venue-specific is behind EmulatorDefinition.
import { createControlServer, type ControlVenue } from './control';
import type { Emulators } from './registry';
import { urlHost } from './util/http';
import {
  STANDARD_ROUTES,
  type CommonEmulatorOptions,
  type EmulatorAccount,
  type EmulatorDefinition,
  type EmulatorRegistry,
  type HandlesOf,
  type RunningEmulator,
  type VenueIdOf,
  type VenueOptionsOf,
} from './venueEmulator';

export interface SandboxOptions<R extends EmulatorRegistry = Emulators> extends CommonEmulatorOptions {
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** Control API port (0 = any free port). */
  controlPort?: number;
  /** Main port per venue (absent or 0 = any free port). */
  ports?: { readonly [K in VenueIdOf<R>]?: number };
  /** Venue clock for every emulator (default Date.now). */
  clock?: () => number;
  /** Seed for deterministic accounts, orders and replies (default 1). */
  seed?: number | string;
  /** One line per request/event (the CLI sends these to stderr). */
  log?: (line: string) => void;
  /** Each venue's own settings, typed by its plug-in. */
  venues?: VenueOptionsOf<R>;
}

export interface SandboxVenueInfo {
  readonly name: string;
  /** Base URL of this venue's control routes (`<control>/control/<venue>`). */
  readonly control: string;
  readonly endpoints: Readonly<Record<string, string>>;
}

export interface SandboxAccount extends EmulatorAccount {
  readonly venue: string;
}

/** What the CLI prints after its ready prefix, and what `GET /info` answers. */
export interface SandboxInfo {
  readonly control: string;
  readonly venues: Readonly<Record<string, SandboxVenueInfo>>;
  /** Every emulator's seeded accounts, in registry order. */
  readonly accounts: readonly SandboxAccount[];
}

export interface Sandbox<R extends EmulatorRegistry = Emulators> {
  readonly info: SandboxInfo;
  /** The running venues, in registry order. */
  readonly venueIds: readonly VenueIdOf<R>[];
  /** The typed in-process test hooks of one venue's emulator. */
  venue<K extends keyof HandlesOf<R>>(id: K): HandlesOf<R>[K];
  /** Re-seeds every emulator and clears keys, records, faults and sockets. */
  reset(): void;
  /** Closes every socket, timer and server; idempotent. */
  close(): Promise<void>;
}

const VENUE_ID = /^[a-z][a-z0-9]{0,31}$/;

function checkRegistry(registry: EmulatorRegistry): void {
  const seen = new Set<string>();
  for (const d of registry) {
    if (!VENUE_ID.test(d.id)) throw new Error(`emulator id "${d.id}" must be lowercase letters and digits (it is a URL segment and a CLI flag)`);
    if (seen.has(d.id)) throw new Error(`two emulators share the id "${d.id}"`);
    seen.add(d.id);
  }
}

function checkRoutes(id: string, emulator: RunningEmulator<unknown>): void {
  for (const path of Object.keys(emulator.routes)) {
    if (!path.startsWith('/')) throw new Error(`${id}: control route "${path}" must start with /`);
    if (STANDARD_ROUTES.includes(path)) throw new Error(`${id}: control route ${path} is a standard route the host serves`);
  }
}

function accountOf(venue: string, a: EmulatorAccount): SandboxAccount {
  return { venue, label: a.label, credentials: a.credentials, endpoints: a.endpoints, ...(a.settings ? { settings: a.settings } : {}) };
}

/** Starts every emulator of `registry` and the control API; `startSandbox` (index.ts) uses them all. */
export async function startSandboxWith<R extends EmulatorRegistry>(registry: R, options: SandboxOptions<R> = {}): Promise<Sandbox<R>> {
  checkRegistry(registry);
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const clock = options.clock ?? Date.now;
  // Looked up by plain id below; the typed shapes above are for callers.
  const ports: Readonly<Partial<Record<string, number>>> = options.ports ?? {};
  const venueOptions: Readonly<Partial<Record<string, unknown>>> = options.venues ?? {};
  const common: CommonEmulatorOptions = {
    heartbeatTimeoutMs: options.heartbeatTimeoutMs,
    counterpartyReplyDelayMs: options.counterpartyReplyDelayMs,
    counterparty: options.counterparty,
    sweepIntervalMs: options.sweepIntervalMs,
    activeOrders: options.activeOrders,
  };

  const running: ControlVenue[] = [];
  let info: SandboxInfo | undefined;
  const control = createControlServer(
    {
      info: () => {
        if (!info) throw new Error('sandbox not started');
        return info;
      },
      venues: () => running,
      reset: () => running.forEach((v) => v.emulator.reset()),
    },
    log,
  );
  const closeAll = (): Promise<void> => Promise.all([...running.map((v) => v.emulator.close()), control.close()]).then(() => undefined);

  const start = (d: EmulatorDefinition): Promise<RunningEmulator<unknown>> =>
    d.start({ host, port: ports[d.id] ?? 0, clock, seed: options.seed ?? 1, log, common, options: venueOptions[d.id] });
  const results = await Promise.allSettled(registry.map(start));
  results.forEach((r, i) => {
    const d = registry[i]!;
    if (r.status === 'fulfilled') running.push({ id: d.id, name: d.name, emulator: r.value });
  });
  const failed = results.find((r) => r.status === 'rejected');
  try {
    if (failed) throw failed.reason;
    for (const v of running) checkRoutes(v.id, v.emulator);
    const controlPort = await control.listen(host, options.controlPort ?? 0);
    const base = `http://${urlHost(host)}:${controlPort}`;
    info = {
      control: base,
      venues: Object.fromEntries(running.map((v) => [v.id, { name: v.name, control: `${base}/control/${v.id}`, endpoints: v.emulator.endpoints }])),
      accounts: running.flatMap((v) => v.emulator.accounts.map((a) => accountOf(v.id, a))),
    };
  } catch (e) {
    await closeAll();
    throw e;
  }

  const started = info;
  const handles = new Map<string, unknown>(running.map((v) => [v.id, v.emulator.handle]));
  let closing: Promise<void> | undefined;
  return {
    info: started,
    venueIds: running.map((v) => v.id as VenueIdOf<R>),
    venue: <K extends keyof HandlesOf<R>>(id: K): HandlesOf<R>[K] => {
      if (typeof id !== 'string' || !handles.has(id)) throw new Error(`no emulator "${String(id)}" in this sandbox`);
      // Sound by construction: the handle under `id` came from the definition with that id.
      return handles.get(id) as HandlesOf<R>[K];
    },
    reset: () => running.forEach((v) => v.emulator.reset()),
    close: () => (closing ??= closeAll()),
  };
}
