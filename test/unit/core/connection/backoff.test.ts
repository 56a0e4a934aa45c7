import assert from 'node:assert/strict';
import { Backoff } from '../../../../src/extension/core/connection/backoff';

describe('backoff with full jitter', () => {
  it('widens the window exponentially up to the cap', () => {
    const b = new Backoff({ baseMs: 250, maxMs: 30_000, minMs: 100 }, () => 0.999999);
    const delays = Array.from({ length: 10 }, () => b.next());
    assert.deepEqual(delays.slice(0, 4), [249, 499, 999, 1999]);
    assert.equal(delays[9], 29_999);
  });

  it('jitters across the whole window and never goes under the floor', () => {
    const b = new Backoff({ baseMs: 250, maxMs: 30_000, minMs: 100 }, () => 0);
    assert.equal(b.next(), 100);
    const r = new Backoff({ baseMs: 1000, maxMs: 30_000, minMs: 0 }, () => 0.5);
    assert.equal(r.next(), 500);
  });

  it('starts over after reset', () => {
    const b = new Backoff({ baseMs: 250, maxMs: 30_000, minMs: 0 }, () => 0.999999);
    b.next();
    b.next();
    b.reset();
    assert.equal(b.next(), 249);
  });
});
