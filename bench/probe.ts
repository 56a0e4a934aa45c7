// The child process of the activation and idle benches (bundled to dist/benchProbe.js): a fresh
// Node process that loads the production bundle the way the extension host does (`require`, then
// `activate(context)`) with the `vscode` stand-in, and reports to its parent over IPC.
//   activate: require + activate() timings, the files activation loaded, and two baselines taken
//             in the same process afterwards (an empty module, `require('ws')`).
//   idle:     one saved account; once it is online and settled, a quiet window in which it counts
//             timers, wakeups, hub events and workbench updates.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { installTimerCensus, type TimerCensus } from './timerCensus';
import { createStandIn, emptyActivity, registerStandIn, type WorkbenchActivity } from '../test/unit/helpers/vscodeStandIn';

export interface ProbeAccount {
  readonly record: { readonly id: string; readonly venue: string; readonly label: string; readonly endpoints: Readonly<Record<string, string>>; readonly settings?: Readonly<Record<string, string>>; readonly createdAt: number };
  readonly credentials: Readonly<Record<string, string>>;
}

export interface ProbeConfig {
  readonly mode: 'activate' | 'idle';
  /** The production dist/extension.js under test. */
  readonly bundle: string;
  readonly storageDir: string;
  readonly extensionDir: string;
  readonly account?: ProbeAccount;
  /**
   * activate: load first what VS Code's extension host has loaded before any extension activates
   * (these Node built-ins, and undici behind the global fetch it patches for proxy support), so
   * the timings are the extension's own. Without it: a cold Node process.
   */
  readonly hostPreload?: boolean;
  /** activate: files for the same-process baselines. */
  readonly emptyModule?: string;
  readonly wsModule?: string;
  /** idle: how long to wait for the account to come online, to settle, and the quiet window. */
  readonly onlineTimeoutMs?: number;
  readonly settleMs?: number;
  readonly windowMs?: number;
}

export interface LoadedFile {
  readonly file: string;
  readonly bytes: number;
}

export interface ActivateResult {
  readonly type: 'activate';
  readonly requireMs: number;
  readonly activateMs: number;
  /** From the start of `require` until the saved account's adapter is in the hub (one-account runs). */
  readonly accountReadyMs?: number;
  /** CPU time (user + system) of require + activate(): less sensitive to a busy machine than wall time. */
  readonly cpuMs: number;
  /** The same until the account's adapter is in the hub. */
  readonly accountReadyCpuMs?: number;
  /** The files require + activate() loaded. */
  readonly loaded: readonly LoadedFile[];
  /** The files loaded until the account's adapter is in the hub (its venue code, the libraries). */
  readonly loadedUntilReady: readonly LoadedFile[];
  readonly emptyModuleMs: number;
  readonly wsMs: number;
}

export interface IdleResult {
  readonly type: 'idle';
  readonly state: string;
  readonly windowMs: number;
  readonly timersArmed: number;
  readonly wakeups: number;
  readonly wakeupSites: readonly (readonly [site: string, count: number])[];
  readonly liveTimers: readonly string[];
  /** `process.getActiveResourcesInfo()` entries that are timers, at the end of the window. */
  readonly activeTimeouts: number;
  readonly hubEvents: Readonly<Record<string, number>>;
  readonly workbench: WorkbenchActivity;
}

export type ProbeMessage = ActivateResult | IdleResult | { readonly type: 'window-start' } | { readonly type: 'error'; readonly message: string };

interface ExtensionApi {
  accounts(): { id: string; state: { kind: string } }[];
  settled(): Promise<void>;
  eventCounts?(): Readonly<Record<string, number>>;
}

interface ExtensionModule {
  activate(context: unknown): Promise<ExtensionApi>;
}

const send = (message: ProbeMessage): Promise<void> => new Promise((resolve) => process.send!(message, () => resolve()));

function contextFor(config: ProbeConfig, standIn: ReturnType<typeof createStandIn>): Record<string, unknown> {
  const account = config.account;
  return standIn.context({
    storageDir: config.storageDir,
    extensionDir: config.extensionDir,
    globalState: account ? { 'venueChat.accounts.v1': [account.record] } : {},
    secrets: account ? { [`venueChat.account.${account.record.id}.credentials`]: JSON.stringify(account.credentials) } : {},
  });
}

/** What the extension host process has loaded by the time extensions activate (a conservative list). */
const HOST_BUILTINS = ['fs', 'fs/promises', 'path', 'os', 'crypto', 'child_process', 'stream', 'events', 'util', 'url', 'http', 'https', 'net', 'tls'];

function preloadLikeHost(req: NodeJS.Require): void {
  for (const name of HOST_BUILTINS) req(`node:${name}`);
  // Node loads undici on the first touch of fetch; the extension host wraps fetch at start-up.
  void globalThis.fetch;
}

async function activateRun(config: ProbeConfig): Promise<ActivateResult> {
  const standIn = createStandIn();
  registerStandIn(standIn.module);
  const req = createRequire(__filename);
  if (config.hostPreload) preloadLikeHost(req);
  const before = new Set(Object.keys(req.cache));
  const accountReady = new Promise<number>((resolve) => standIn.signals.once('statusBarShown', () => resolve(performance.now())));

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const extension = req(config.bundle) as ExtensionModule;
  const t1 = performance.now();
  await extension.activate(contextFor(config, standIn));
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const newFiles = () =>
    Object.keys(req.cache)
      .filter((f) => !before.has(f))
      .map((file) => ({ file, bytes: statSync(file).size }));
  const loaded = newFiles();
  const readyAt = config.account ? await accountReady : undefined;
  const readyCpu = process.cpuUsage(cpu0);
  const loadedUntilReady = newFiles();

  // Baselines, after the measurement so they cannot warm anything the bundle loads.
  const t3 = performance.now();
  if (config.emptyModule) req(config.emptyModule);
  const t4 = performance.now();
  if (config.wsModule) req(config.wsModule);
  const t5 = performance.now();
  return {
    type: 'activate',
    requireMs: t1 - t0,
    activateMs: t2 - t1,
    cpuMs: (cpu.user + cpu.system) / 1000,
    ...(readyAt !== undefined ? { accountReadyMs: readyAt - t0, accountReadyCpuMs: (readyCpu.user + readyCpu.system) / 1000 } : {}),
    loaded,
    loadedUntilReady,
    emptyModuleMs: t4 - t3,
    wsMs: t5 - t4,
  };
}

async function idleRun(config: ProbeConfig, census: TimerCensus): Promise<IdleResult> {
  const standIn = createStandIn();
  registerStandIn(standIn.module);
  const req = createRequire(__filename);
  const extension = req(config.bundle) as ExtensionModule;
  const api = await extension.activate(contextFor(config, standIn));
  const deadline = performance.now() + (config.onlineTimeoutMs ?? 30_000);
  const stateNow = () => api.accounts()[0]?.state.kind ?? 'none';
  while (stateNow() !== 'online' && performance.now() < deadline) await census.sleep(100);
  if (stateNow() !== 'online') throw new Error(`the account did not come online (state: ${stateNow()})`);
  await census.sleep(config.settleMs ?? 5000);
  await api.settled();

  const eventsBefore = { ...(api.eventCounts?.() ?? {}) };
  census.reset();
  Object.assign(standIn.activity, emptyActivity());
  await send({ type: 'window-start' });
  const windowMs = config.windowMs ?? 20_000;
  await census.sleep(windowMs);
  const eventsAfter = api.eventCounts?.() ?? {};
  const hubEvents = Object.fromEntries(Object.entries(eventsAfter).map(([k, v]) => [k, v - (eventsBefore[k] ?? 0)]));
  const processInfo = process as unknown as { getActiveResourcesInfo?: () => string[] };
  return {
    type: 'idle',
    state: stateNow(),
    windowMs,
    timersArmed: census.counts.armed,
    wakeups: census.counts.wakeups,
    wakeupSites: [...census.counts.bySite.entries()].sort((a, b) => b[1] - a[1]),
    liveTimers: census.live(),
    activeTimeouts: (processInfo.getActiveResourcesInfo?.() ?? []).filter((r) => r === 'Timeout').length,
    hubEvents,
    workbench: { ...standIn.activity },
  };
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.VENUE_CHAT_PROBE ?? '{}') as ProbeConfig;
  // The census wraps the timer globals before anything of the bundle runs (idle runs only: the
  // wrappers cost a stack trace per timer, which would skew activation timings).
  const census = config.mode === 'idle' ? installTimerCensus() : undefined;
  try {
    const result = config.mode === 'idle' ? await idleRun(config, census!) : await activateRun(config);
    await send(result);
  } catch (err) {
    await send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
  process.exit(0);
}

void main();
