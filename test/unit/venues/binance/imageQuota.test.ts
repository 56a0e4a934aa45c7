import assert from 'node:assert/strict';
import { ImageUrlQuota } from '../../../../src/extension/venues/binance/imageQuota';
import { VenueError } from '../../../../src/extension/venues/venue';
import { FakeClock } from '../../helpers/fakeClock';

describe('Binance image URL quota (36 a minute, a sliding window as the venue counts it)', () => {
  it('gives 36 in a minute, refuses the 37th with the wait until the oldest leaves the window', () => {
    const clock = new FakeClock(1_000_000);
    const quota = new ImageUrlQuota(clock);
    for (let i = 0; i < 36; i++) {
      quota.take();
      clock.tick(1000);
    }
    // 36 taken over 36 s: the first leaves the window at 60 s, 24 s from now.
    const refused = (() => {
      try {
        quota.take();
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(refused instanceof VenueError);
    assert.equal(refused.kind, 'rate-limit');
    assert.equal(refused.retryAfterMs, 24_000);
    assert.match(refused.message, /36 image uploads a minute .* goes in 24 s/);
    clock.tick(24_000);
    quota.take();
    assert.throws(() => quota.take(), /goes in 1 s/, 'the second one leaves a second later');
  });

  it('a token bucket refilling at 36/min would allow a second burst at once; the window does not', () => {
    const clock = new FakeClock(0);
    const quota = new ImageUrlQuota(clock, 3);
    quota.take();
    quota.take();
    quota.take();
    clock.tick(20_000);
    assert.throws(() => quota.take(), (e: unknown) => e instanceof VenueError && e.retryAfterMs === 40_000);
  });

  it('a 429 from the venue (another client used the quota) becomes the same clear wait', () => {
    const err = ImageUrlQuota.venueRefused(5000);
    assert.equal(err.kind, 'rate-limit');
    assert.equal(err.retryAfterMs, 5000);
    assert.match(err.message, /goes in 5 s/);
  });
});
