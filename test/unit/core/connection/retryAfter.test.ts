import assert from 'node:assert/strict';
import { DEFAULT_RETRY_AFTER_CAP_MS, parseHttpDate, parseRetryAfter } from '../../../../src/extension/core/connection/retryAfter';

const NOW = Date.UTC(2025, 0, 26, 12, 0, 0);

describe('Retry-After', () => {
  it('reads delta-seconds (and tolerates fractions and whitespace)', () => {
    assert.equal(parseRetryAfter('120', NOW), 120_000);
    assert.equal(parseRetryAfter(' 0 ', NOW), 0);
    assert.equal(parseRetryAfter('1.5', NOW), 1500);
  });

  it('reads the three HTTP-date forms (RFC 9110 §5.6.7) as UTC', () => {
    const at = Date.UTC(1994, 10, 6, 8, 49, 37);
    assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), at);
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW), at);
    assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994'), at);
    assert.equal(parseRetryAfter('Sun, 26 Jan 2025 12:00:45 GMT', NOW), 45_000);
  });

  it('a date in the past means now', () => {
    assert.equal(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW), 0);
  });

  it('caps absurd waits, in either form, at the default or a given cap', () => {
    const elevenDays = 11 * 24 * 3600;
    assert.equal(parseRetryAfter(String(elevenDays), NOW), DEFAULT_RETRY_AFTER_CAP_MS);
    assert.equal(parseRetryAfter(new Date(NOW + elevenDays * 1000).toUTCString(), NOW), DEFAULT_RETRY_AFTER_CAP_MS);
    assert.equal(parseRetryAfter('9'.repeat(400), NOW), DEFAULT_RETRY_AFTER_CAP_MS);
    assert.equal(parseRetryAfter('600', NOW, 60_000), 60_000);
  });

  it('anything else is unreadable (the caller uses its default)', () => {
    for (const v of [undefined, '', '-5', 'soon', '2025-01-26T12:00:45Z', '1e3', 'Sun, 32 Foo 2025 12:00:45 GMT']) {
      assert.equal(parseRetryAfter(v, NOW), undefined, String(v));
    }
  });
});
