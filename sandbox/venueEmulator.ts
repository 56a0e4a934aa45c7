// The plug-in contract between the sandbox host and one venue emulator (one folder per venue,
// listed in registry.ts). The host binds nothing for an emulator: each one starts its own servers
// on the address it is given, reports its endpoints and seeded accounts, and answers the standard
// control verbs; the host aggregates them and routes `/control/<venue>/...` to it.

/** Options every emulator applies in its own venue's terms (tests use them to speed things up). */
export interface CommonEmulatorOptions {
  /** Close a client socket after this long without the venue's keep-alive (where it has one). */
  readonly heartbeatTimeoutMs?: number;
  /** Delay of the scripted counterparty's replies. */
  readonly counterpartyReplyDelayMs?: number;
  /** Whether the scripted counterparty replies at all. */
  readonly counterparty?: boolean;
  /** Interval of clock-driven expiry checks (tokens, keys, socket lifetimes). */
  readonly sweepIntervalMs?: number;
  /** Venues with orders: at least this many in progress per merchant account (a desk runs 10-30). */
  readonly activeOrders?: number;
}

export interface EmulatorContext<Options> {
  /** Bind address (loopback unless the user chose otherwise). */
  readonly host: string;
  /** Port of the emulator's main server; 0 = any free port. Further servers take free ports. */
  readonly port: number;
  /** Venue clock (ms since epoch), injectable so tests can jump past expiries. */
  readonly clock: () => number;
  /** Seed for deterministic accounts, orders and replies. */
  readonly seed: number | string;
  readonly log: (line: string) => void;
  readonly common: CommonEmulatorOptions;
  /** This venue's own settings (`SandboxOptions.venues[id]`), if any were given. */
  readonly options: Options | undefined;
}

/** One seeded account, as a client needs it to connect (the host adds the venue id). */
export interface EmulatorAccount {
  readonly label: string;
  readonly credentials: Readonly<Record<string, string>>;
  /** What the venue's adapter takes as endpoints for this account. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** Per-account settings the account needs (e.g. an API mode); omitted when there are none. */
  readonly settings?: Readonly<Record<string, string>>;
}

/**
 * A control route handler; its result (or what its promise resolves to) is the JSON reply.
 * `body` is parsed JSON (`{}` when empty) and must be validated by the emulator; throw
 * SandboxInputError (util/input.ts) for bad input, which answers HTTP 400.
 */
export type ControlHandler = (query: URLSearchParams, body: unknown) => unknown;

/** Venue-specific control routes by path relative to `/control/<venue>` (e.g. `/orders`). */
export type ControlRoutes = Readonly<Record<string, Readonly<Partial<Record<'GET' | 'POST', ControlHandler>>>>>;

/** Paths the host serves for every venue from the methods below; an emulator cannot redefine them. */
export const STANDARD_ROUTES: readonly string[] = ['/state', '/reset', '/inject', '/faults'];

export interface RunningEmulator<Handle> {
  /** Typed in-process test hooks (what `sandbox.venue(id)` returns). */
  readonly handle: Handle;
  /** Venue-wide URLs (REST base, socket, media, ...), shown in the info JSON. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** Seeded accounts; the same after reset(). */
  readonly accounts: readonly EmulatorAccount[];
  /** `GET /control/<venue>/state`: a JSON snapshot with no secret in it. */
  state(): unknown;
  /** `POST /control/<venue>/inject`: a counterparty message now. */
  inject(input: unknown): unknown;
  /** `GET /control/<venue>/faults`. */
  faults(): unknown;
  /** `POST /control/<venue>/faults`. */
  applyFaults(input: unknown): unknown;
  readonly routes: ControlRoutes;
  /** Back to the seed: sockets closed; keys, records, faults and pending replies cleared. */
  reset(): void;
  /** Closes every server, socket and timer; idempotent. */
  close(): Promise<void>;
}

/** One registry entry. `start` cleans up after itself when it fails. */
export interface EmulatorDefinition<Id extends string = string, Options = unknown, Handle = unknown> {
  /** The venue id: also the `/control/<id>` segment and the `--<id>-port` flag. */
  readonly id: Id;
  readonly name: string;
  start(context: EmulatorContext<Options>): Promise<RunningEmulator<Handle>>;
}

/** The hooks every emulator handle has, which the standard verbs map onto. */
export interface StandardHooks {
  accounts(): readonly EmulatorAccount[];
  state(): unknown;
  /** Each handle validates its input with its own zod schema (util/input.ts). */
  inject(input: unknown): unknown;
  faults(): unknown;
  applyFaults(input: unknown): unknown;
  reset(): void;
  close(): Promise<void>;
}

/** A started handle as the host sees it: its standard verbs, endpoints and own routes. */
export function runningEmulator<H extends StandardHooks>(handle: H, endpoints: Readonly<Record<string, string>>, routes: ControlRoutes): RunningEmulator<H> {
  return {
    handle,
    endpoints,
    accounts: handle.accounts(),
    state: () => handle.state(),
    inject: (input) => handle.inject(input),
    faults: () => handle.faults(),
    applyFaults: (input) => handle.applyFaults(input),
    routes,
    reset: () => handle.reset(),
    close: () => handle.close(),
  };
}

/** Starts an emulator's servers; if that fails, closes what it opened and rethrows. */
export async function startOrClose(emulator: { start(host: string, port: number): Promise<void>; close(): Promise<void> }, host: string, port: number): Promise<void> {
  try {
    await emulator.start(host, port);
  } catch (e) {
    await emulator.close();
    throw e;
  }
}

export type EmulatorRegistry = readonly EmulatorDefinition[];

export type VenueIdOf<R extends EmulatorRegistry> = R[number]['id'];

/** Typed handles by venue id, from a registry. */
export type HandlesOf<R extends EmulatorRegistry> = {
  readonly [D in R[number] as D['id']]: D extends EmulatorDefinition<string, infer _O, infer H> ? H : never;
};

/** Typed per-venue options by venue id, from a registry. */
export type VenueOptionsOf<R extends EmulatorRegistry> = {
  readonly [D in R[number] as D['id']]?: D extends EmulatorDefinition<string, infer O, infer _H> ? O : never;
};
