// Counts the timers a process arms and the wakeups they cause, by wrapping the global
// setTimeout/setInterval (every module, bundled libraries included, calls the globals at call
// time). The bench's own waits use the originals, so they are not counted.

export interface TimerCounts {
  /** setTimeout + setInterval calls. */
  armed: number;
  /** Timer callbacks run (a timeout firing once, or one tick of an interval). */
  wakeups: number;
  /** Wakeups per call site, `file:line` of the caller, most frequent first (for the report). */
  bySite: Map<string, number>;
}

export interface TimerCensus {
  readonly counts: TimerCounts;
  /** Timers armed and neither fired (timeouts) nor cleared, with their call sites. */
  live(): string[];
  reset(): void;
  /** The unwrapped setTimeout, for the bench's own waits. */
  readonly sleep: (ms: number) => Promise<void>;
}

/** Installs the wrappers (once per process). */
export function installTimerCensus(): TimerCensus {
  const original = { setTimeout: globalThis.setTimeout, setInterval: globalThis.setInterval, clearTimeout: globalThis.clearTimeout, clearInterval: globalThis.clearInterval };
  const counts: TimerCounts = { armed: 0, wakeups: 0, bySite: new Map() };
  const live = new Map<unknown, string>();

  const siteOf = (): string => {
    const lines = (new Error().stack ?? '').split('\n').slice(3);
    // The caller that asked for the timer: past the census itself, Node's internals and the clock seam.
    const frame = lines.find((l) => !l.includes('timerCensus') && !l.includes('node:internal') && !l.includes('core/clock.ts')) ?? lines[0] ?? '';
    const m = /\(?([^()\s]+:\d+):\d+\)?\s*$/.exec(frame);
    return m?.[1]?.replace(/^.*\/(dist|src|node_modules)\//, '$1/') ?? 'unknown';
  };
  const woke = (site: string) => {
    counts.wakeups++;
    counts.bySite.set(site, (counts.bySite.get(site) ?? 0) + 1);
  };

  const wrappedTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    counts.armed++;
    const site = siteOf();
    const handle = original.setTimeout((...a: unknown[]) => {
      live.delete(handle);
      woke(site);
      fn(...a);
    }, ms, ...args);
    live.set(handle, site);
    return handle;
  }) as typeof setTimeout;
  const wrappedInterval = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    counts.armed++;
    const site = siteOf();
    const handle = original.setInterval((...a: unknown[]) => {
      woke(site);
      fn(...a);
    }, ms, ...args);
    live.set(handle, `${site} (interval ${ms ?? 0} ms)`);
    return handle;
  }) as typeof setInterval;
  const clear = (handle: Parameters<typeof clearTimeout>[0]) => {
    live.delete(handle);
    original.clearTimeout(handle);
  };
  globalThis.setTimeout = Object.assign(wrappedTimeout, { __promisify__: original.setTimeout.__promisify__ });
  globalThis.setInterval = wrappedInterval;
  globalThis.clearTimeout = clear as typeof clearTimeout;
  globalThis.clearInterval = clear as typeof clearInterval;

  return {
    counts,
    live: () => [...live.values()],
    reset: () => {
      counts.armed = 0;
      counts.wakeups = 0;
      counts.bySite.clear();
    },
    sleep: (ms) => new Promise((resolve) => original.setTimeout(resolve, ms)),
  };
}
