// A token bucket per venue endpoint (docs/architecture.md, Connections). `take()` waits for a token
// instead of failing, and `penalise()` honours a venue's 429 / Retry-After by emptying the bucket
// until then.
import { delay, type Clock } from '../clock';

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private blockedUntil = 0;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly clock: Clock,
  ) {
    this.tokens = capacity;
    this.updatedAt = clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.refillPerSecond);
    this.updatedAt = now;
  }

  /** Milliseconds until a token is available (0 = now). */
  waitTime(): number {
    this.refill();
    const blocked = Math.max(0, this.blockedUntil - this.clock.now());
    if (this.tokens >= 1) return blocked;
    return Math.max(blocked, Math.ceil(((1 - this.tokens) / this.refillPerSecond) * 1000));
  }

  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.waitTime();
      if (wait === 0) {
        this.tokens -= 1;
        return;
      }
      await delay(this.clock, wait, signal);
    }
  }

  penalise(retryAfterMs: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + retryAfterMs);
    this.tokens = 0;
  }
}
