// Bybit's per-user, per-endpoint limits (5 sends and 10 list calls a second), with what its
// `X-Bapi-Limit*` headers report. Windows run on a monotonic clock (a frozen test clock must not
// throttle everything); the reset timestamp is told in venue time.
import { performance } from 'node:perf_hooks';

const WINDOW_MS = 1000;

export interface WindowAdmission {
  readonly ok: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** ms until the oldest counted hit leaves the window. */
  readonly resetInMs: number;
}

export class PerEndpointLimits {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly monotonic: () => number = () => performance.now()) {}

  admit(key: string, limit: number): WindowAdmission {
    const now = this.monotonic();
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    const ok = recent.length < limit;
    if (ok) recent.push(now);
    this.hits.set(key, recent);
    const oldest = recent[0] ?? now;
    return { ok, limit, remaining: Math.max(0, limit - recent.length), resetInMs: Math.max(0, Math.ceil(WINDOW_MS - (now - oldest))) };
  }

  clear(): void {
    this.hits.clear();
  }
}
