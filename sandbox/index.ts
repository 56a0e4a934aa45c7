// Entry point of the sandbox: local, faithful emulators of the venues (design.md §2, venues.md B7).
// Independent of src/ on purpose: the client's own code must never be what verifies it.
import { createControlServer } from './control';
import { MexcEmulator, type MexcAccountInfo } from './mexc/emulator';
import { urlHost } from './util/http';

export { MexcEmulator, SandboxInputError } from './mexc/emulator';
export type { MexcAccountInfo, MessageView, OrderView, MexcStateSnapshot, InjectInput, CreateOrderInput, SetOrderStateInput } from './mexc/emulator';
export type { FaultRequest, FaultState } from './mexc/faults';
export type { RequestRecord, FrameRecord } from './mexc/records';

export interface SandboxOptions {
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** Control API port (0 = any free port). */
  controlPort?: number;
  /** MEXC REST + WS port (0 = any free port). */
  mexcPort?: number;
  /** Close a chat socket after this long without a client frame (default 60000). */
  heartbeatTimeoutMs?: number;
  /** Delay of the scripted counterparty's replies (default 800). */
  counterpartyReplyDelayMs?: number;
  /** Whether the scripted counterparty replies at all (default true). */
  counterparty?: boolean;
  /** Echo our own sends back as RECEIVE_MESSAGE with self:true (default true). */
  echoSelf?: boolean;
  /** Zone of createTime strings in minutes east of UTC (default +480, UTC+8). */
  timezoneOffsetMinutes?: number;
  /** Venue clock (default Date.now). */
  clock?: () => number;
  maxConnectionsPerListenKey?: number;
  maxSocketLifetimeMs?: number;
  listenKeyTtlMs?: number;
  maxListenKeysPerApiKey?: number;
  restRateLimitPerSecond?: number;
  /** Interval of the clock-driven expiry checks (default 1000). */
  sweepIntervalMs?: number;
  /** Seed for deterministic accounts, orders and replies (default 1). */
  seed?: number | string;
  /** One line per request/event (the CLI sends these to stderr). */
  log?: (line: string) => void;
}

export interface SandboxInfo {
  readonly control: string;
  readonly venues: { readonly mexc: { readonly rest: string; readonly ws: string; readonly media: string; readonly upload: string } };
  readonly accounts: readonly MexcAccountInfo[];
}

export interface Sandbox {
  readonly info: SandboxInfo;
  readonly mexc: MexcEmulator;
  /** Re-seeds every emulator and clears keys, records, faults and sockets. */
  reset(): void;
  /** Closes every socket, timer and server. */
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const mexc = new MexcEmulator({
    clock: options.clock,
    log,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs,
    counterpartyReplyDelayMs: options.counterpartyReplyDelayMs,
    counterparty: options.counterparty,
    echoSelf: options.echoSelf,
    timezoneOffsetMinutes: options.timezoneOffsetMinutes,
    maxConnectionsPerListenKey: options.maxConnectionsPerListenKey,
    maxSocketLifetimeMs: options.maxSocketLifetimeMs,
    listenKeyTtlMs: options.listenKeyTtlMs,
    maxListenKeysPerApiKey: options.maxListenKeysPerApiKey,
    restRateLimitPerSecond: options.restRateLimitPerSecond,
    sweepIntervalMs: options.sweepIntervalMs,
    seed: options.seed,
  });
  let info: SandboxInfo | undefined;
  const target = {
    info: (): SandboxInfo => {
      if (!info) throw new Error('sandbox not started');
      return info;
    },
    mexc,
    reset: (): void => mexc.reset(),
  };
  const control = createControlServer(target, log);
  try {
    await mexc.start(host, options.mexcPort ?? 0);
    const controlPort = await control.listen(host, options.controlPort ?? 0);
    info = {
      control: `http://${urlHost(host)}:${controlPort}`,
      venues: { mexc: { rest: mexc.restUrl, ws: mexc.wsUrl, media: mexc.mediaUrl, upload: mexc.uploadUrl } },
      accounts: mexc.accounts(),
    };
  } catch (e) {
    await Promise.all([mexc.close(), control.close()]);
    throw e;
  }
  const started = info;
  let closing: Promise<void> | undefined;
  return {
    info: started,
    mexc,
    reset: target.reset,
    close: () => (closing ??= Promise.all([mexc.close(), control.close()]).then(() => undefined)),
  };
}
