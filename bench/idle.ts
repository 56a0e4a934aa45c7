// `npm run bench -- idle`: one sandbox account per venue, nothing happening. Each venue runs the
// production bundle in a fresh Node process (the probe, with the `vscode` stand-in); once the
// account is online and settled, a quiet window counts what the extension does: timer wakeups
// and live timers (the probe wraps setTimeout/setInterval), hub events (the API's eventCounts),
// workbench updates (tree refreshes, badge, status bar, context keys, webview posts: the stand-in
// counts them) and the HTTP requests the venue's emulator received (its request log, in this
// process). Goals: no events and no workbench updates; requests and wakeups only what the venue's
// protocol requires (the table below says which, and why).
import { startSandbox } from '../sandbox/index';
import { VENUE_IDS, type VenueId } from '../src/shared/model';
import { sandboxAccount } from './activation';
import type { IdleResult } from './probe';
import { buildProduction, runProbe, withStorage } from './probeRunner';
import { type BenchRow, verdict } from './report';

/** A request the venue's protocol makes the client send while idle (docs/venue-protocols.md). */
interface RequiredRequest {
  readonly what: string;
  readonly everyMs: number;
  /** Poller waits are jittered by ±20 % (core/connection/poller.ts). */
  readonly jittered: boolean;
}

/** What each venue requires while idle, and why. */
const REQUIRED: Record<VenueId, readonly RequiredRequest[]> = {
  mexc: [
    { what: 'order list every 15 s (MEXC pushes no order events)', everyMs: 15_000, jittered: true },
    { what: 'listen-key keep-alive every 30 min', everyMs: 30 * 60_000, jittered: false },
  ],
  binance: [
    { what: 'order list every 15 s (no order push but chat system frames)', everyMs: 15_000, jittered: true },
    { what: 'order history every 20th poll', everyMs: 20 * 15_000, jittered: true },
  ],
  bybit: [
    { what: 'order list every 15 s (Bybit pushes nothing)', everyMs: 15_000, jittered: true },
    { what: "one order's chat every 15 s, in turn", everyMs: 15_000, jittered: true },
  ],
  multiwa: [{ what: 'conversation sweep every 2 min (realtime events can be lost without the link dropping)', everyMs: 2 * 60_000, jittered: false }],
  mixin: [],
};

/** The most a window can hold: as many as fit at the shortest jittered spacing, plus one at its edge. */
function allowedInWindow(required: readonly RequiredRequest[], windowMs: number): number {
  return required.reduce((n, r) => n + Math.floor(windowMs / (r.everyMs * (r.jittered ? 0.8 : 1))) + 1, 0);
}

interface RequestLog {
  requests(filter?: { sinceSeq?: number }): readonly { readonly seq: number; readonly method: string; readonly path: string }[];
}

const perMinute = (count: number, windowMs: number) => (count * 60_000) / windowMs;
const rate = (n: number) => `${n.toFixed(n < 10 && n % 1 !== 0 ? 1 : 0)}/min`;

/**
 * `settleMs`: how long after coming online before the window opens, long enough for the pollers to
 * reach their idle pace (Bybit's chat poll doubles its wait from 3 s to 15 s) and for the first
 * backfill to end.
 */
export async function idleBench(windowMs: number, settleMs: number, sourceDir?: string): Promise<BenchRow[]> {
  const build = await buildProduction(sourceDir);
  // The emulators live here; the extension in the probe's process, so only its timers are counted.
  const sandbox = await startSandbox({ counterparty: false });
  const rows: BenchRow[] = [];
  try {
    // The venues run side by side (one probe process each): the counts are per process and per
    // emulator, so they do not mix, and the bench takes one window instead of five.
    const measured = await Promise.all(
      VENUE_IDS.map(async (venue) => {
        const emulator = sandbox.venue(venue) as unknown as RequestLog;
        const account = sandboxAccount(sandbox.info, venue);
        return withStorage(async (storageDir) => {
          const run = runProbe<IdleResult>({ mode: 'idle', bundle: build.bundle, storageDir, extensionDir: build.root, account, windowMs, settleMs }, { sourceMaps: true });
          // The window opens in the probe; requests are taken from then until the result arrives.
          const opened = run.windowStarted.then(() => emulator.requests().at(-1)?.seq ?? 0);
          const result = await run.result;
          const since = await opened;
          return { venue, result, requests: emulator.requests({ sinceSeq: since }) };
        });
      }),
    );
    for (const { venue, result, requests } of measured) {
      const byPath = new Map<string, number>();
      for (const r of requests) byPath.set(`${r.method} ${r.path}`, (byPath.get(`${r.method} ${r.path}`) ?? 0) + 1);
      const events = Object.values(result.hubEvents).reduce((a, b) => a + b, 0);
      const workbench = result.workbench.treeRefreshes + result.workbench.badgeSets + result.workbench.statusBarSets + result.workbench.contextKeySets + result.workbench.webviewPosts;
      const required = REQUIRED[venue];
      const nominal = required.reduce((n, r) => n + 60_000 / r.everyMs, 0);
      const allowed = allowedInWindow(required, result.windowMs);
      const reqPerMin = perMinute(requests.length, result.windowMs);
      const wakeupsPerMin = perMinute(result.wakeups, result.windowMs);
      console.log(`\nidle ${venue} (${result.windowMs / 1000} s window, account ${result.state}): ${requests.length} requests, ${result.wakeups} wakeups, ${result.liveTimers.length} live timers, ${events} hub events, ${workbench} workbench updates`);
      for (const [path, n] of byPath) console.log(`  request ${path} ×${n}`);
      for (const [site, n] of result.wakeupSites) console.log(`  wakeup ${site} ×${n}`);
      for (const site of result.liveTimers) console.log(`  live timer ${site}`);
      if (events > 0) console.log(`  hub events ${JSON.stringify(result.hubEvents)}`);
      if (workbench > 0) console.log(`  workbench ${JSON.stringify(result.workbench)}`);
      rows.push({
        id: `idle.${venue}.events`,
        what: `idle ${venue}: hub events + workbench updates (tree, badge, status bar, context keys, panes)`,
        goal: '0/min',
        measured: `${rate(perMinute(events, result.windowMs))} + ${rate(perMinute(workbench, result.windowMs))}`,
        verdict: verdict(events === 0 && workbench === 0),
        values: { hubEvents: events, workbenchUpdates: workbench, windowMs: result.windowMs, ...result.workbench },
      });
      rows.push({
        id: `idle.${venue}.requests`,
        what: `idle ${venue}: HTTP requests the venue received (required: ${required.map((r) => r.what).join('; ') || 'none, the venue pushes'})`,
        goal: `${rate(nominal)} (<= ${allowed} in ${result.windowMs / 1000} s)`,
        measured: `${rate(reqPerMin)} (${requests.length})`,
        verdict: verdict(requests.length <= allowed),
        values: { requests: requests.length, perMinute: reqPerMin, requiredPerMinute: nominal, allowedInWindow: allowed },
      });
      rows.push({
        id: `idle.${venue}.timers`,
        what: `idle ${venue}: timer wakeups (live timers at the end)`,
        goal: '',
        measured: `${rate(wakeupsPerMin)} (${result.liveTimers.length} live)`,
        verdict: 'info',
        values: { wakeups: result.wakeups, perMinute: wakeupsPerMin, liveTimers: result.liveTimers.length, activeTimeouts: result.activeTimeouts },
      });
    }
  } finally {
    await sandbox.close();
    await build.dispose();
  }
  return rows;
}
