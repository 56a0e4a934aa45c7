// Binance gives each user 36 pre-signed image URLs per minute. The quota is a sliding window (as
// the venue counts it), not a token bucket: a bucket refilling at 36/min would let a burst of 36
// be followed at once by more, which the venue refuses. Asking past the quota fails at once as a
// rate limit that says when the next image can go, so the outbox waits and the pane says why.
import type { Clock } from '../../core/clock';
import { VenueError } from '../venue';
import * as l10n from '@vscode/l10n';

export const IMAGE_URLS_PER_MINUTE = 36;
const WINDOW_MS = 60_000;

export class ImageUrlQuota {
  private readonly taken: number[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly perMinute = IMAGE_URLS_PER_MINUTE,
  ) {}

  /** Takes one URL from the quota, or throws `rate-limit` with the wait until the next one. */
  take(): void {
    const now = this.clock.now();
    while (this.taken.length > 0 && now - this.taken[0]! >= WINDOW_MS) this.taken.shift();
    if (this.taken.length < this.perMinute) {
      this.taken.push(now);
      return;
    }
    const waitMs = WINDOW_MS - (now - this.taken[0]!);
    throw quotaReached(this.perMinute, waitMs);
  }

  /** The venue said 429 anyway (another client of the same user used the quota): wait it out. */
  static venueRefused(retryAfterMs: number | undefined, perMinute = IMAGE_URLS_PER_MINUTE): VenueError {
    return quotaReached(perMinute, retryAfterMs ?? WINDOW_MS);
  }
}

function quotaReached(perMinute: number, waitMs: number): VenueError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new VenueError('rate-limit', l10n.t('Binance allows {0} image uploads a minute and they are used up; this image goes in {1} s', perMinute, seconds), 'imageQuota', waitMs);
}
