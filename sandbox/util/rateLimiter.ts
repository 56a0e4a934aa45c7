// Sliding window per key (one second unless told otherwise). Uses a monotonic clock, not the
// injectable venue clock: a frozen test clock must not turn every request after the 20th into a 429.
import { performance } from 'node:perf_hooks';

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limitPerWindow: () => number,
    private readonly windowMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts the hit and says whether it is within the limit. */
  tryHit(key: string): boolean {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    const allowed = recent.length < this.limitPerWindow();
    if (allowed) recent.push(now);
    this.hits.set(key, recent);
    return allowed;
  }

  /** How long until the key may be admitted again (0 when it may now). */
  retryAfterMs(key: string): number {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length < this.limitPerWindow()) return 0;
    const oldest = recent[recent.length - this.limitPerWindow()] ?? now;
    return Math.max(0, this.windowMs - (now - oldest));
  }

  clear(): void {
    this.hits.clear();
  }
}
