// Exponential back-off with full jitter (docs/architecture.md, Connections: about 250 ms up to 30 s).
// Full jitter spreads reconnect storms after a venue outage across the whole window.

export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
  /** Never wait less than this, so a flapping server is not hammered. */
  readonly minMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 30_000, minMs: 100 };

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next try; each call widens the window. */
  next(): number {
    const ceiling = Math.min(this.options.maxMs, this.options.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.max(this.options.minMs, Math.floor(this.random() * ceiling));
  }

  get attempts(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}
