import assert from 'node:assert/strict';
import { EARLIEST_PLAUSIBLE_TIME, MAX_FUTURE_SKEW_MS, type VenueTime, parseVenueTime } from '../../../src/extension/core/venueTime';

// Venue timestamps: garbage is bad input; a well-formed but implausible date is clamped to the
// (injected) now and flagged.
const NOW = Date.UTC(2025, 0, 15, 10, 0, 0);
const T = Date.UTC(2025, 0, 15, 9, 30, 15, 250);

function timeOf(result: VenueTime): number {
  assert.ok(result.ok, `expected a time, got ${JSON.stringify(result)}`);
  assert.equal(result.flagged, undefined, 'not flagged');
  return result.time;
}

describe('venue time parsing', () => {
  it('reads epoch milliseconds and seconds, as numbers and numeric strings', () => {
    assert.equal(timeOf(parseVenueTime(T, NOW)), T, 'Binance: ms number');
    assert.equal(timeOf(parseVenueTime(String(T), NOW)), T, 'Bybit: ms string');
    assert.equal(timeOf(parseVenueTime(T / 1000, NOW)), T, 'seconds with a fraction');
    assert.equal(timeOf(parseVenueTime(' 1736933415 ', NOW)), 1736933415_000, 'seconds string, trimmed');
    assert.equal(timeOf(parseVenueTime('1736933415.25', NOW)), 1736933415_250);
  });

  it('reads ISO 8601 / RFC 3339 with a zone, to the millisecond', () => {
    assert.equal(timeOf(parseVenueTime('2025-01-15T09:30:15.250Z', NOW)), T, 'MultiWA: ISO with Z');
    assert.equal(timeOf(parseVenueTime('2025-01-15T09:30:15.250123456Z', NOW)), T, 'Mixin: nanoseconds');
    assert.equal(timeOf(parseVenueTime('2025-01-15T17:30:15.25+08:00', NOW)), T, 'positive offset');
    assert.equal(timeOf(parseVenueTime('2025-01-15T04:00:15.250-0530', NOW)), T, 'offset without colon');
    assert.equal(timeOf(parseVenueTime('2025-01-15 09:30Z', NOW)), Date.UTC(2025, 0, 15, 9, 30), 'space separator, no seconds');
  });

  it('reads a zone-less date-time only in the offset the caller gives (MEXC)', () => {
    assert.equal(parseVenueTime('2025-01-15 17:30:15', NOW).ok, false, 'no zone, no offset given: bad input');
    assert.equal(timeOf(parseVenueTime('2025-01-15 17:30:15.250', NOW, { zonelessOffsetMinutes: 480 })), T);
    assert.equal(timeOf(parseVenueTime('2025-01-15T09:30:15.250Z', NOW, { zonelessOffsetMinutes: 480 })), T, 'an explicit zone wins');
  });

  const GARBAGE: [string, unknown, RegExp][] = [
    ['null', null, /null/],
    ['undefined', undefined, /undefined/],
    ['boolean', true, /boolean/],
    ['object', { t: 1 }, /object/],
    ['NaN', Number.NaN, /not a finite number/],
    ['Infinity', Number.POSITIVE_INFINITY, /not a finite number/],
    ['negative', -5, /negative/],
    ['empty string', '  ', /empty/],
    ['words', 'yesterday', /neither a number nor/],
    ['negative string', '-1736933415', /neither a number nor/],
    ['hex', '0x1F', /neither a number nor/],
    ['date only', '2025-01-15', /neither a number nor/],
    ['February 30th', '2025-02-30T00:00:00Z', /not a valid calendar/],
    ['hour 24', '2025-01-15T24:00:00Z', /not a valid calendar/],
    ['minute 60', '2025-01-15T10:60:00Z', /not a valid calendar/],
    ['bad offset', '2025-01-15T10:00:00+25:00', /invalid zone offset/],
    ['very long', '1'.repeat(100), /too long/],
  ];
  for (const [name, raw, reason] of GARBAGE) {
    it(`treats ${name} as bad input`, () => {
      const result = parseVenueTime(raw, NOW);
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.reason, reason);
    });
  }

  it('clamps a date before 2009 to now and flags it', () => {
    for (const raw of [0, 1, '1970-01-01T00:00:00Z', EARLIEST_PLAUSIBLE_TIME - 1]) {
      const result = parseVenueTime(raw, NOW);
      assert.ok(result.ok);
      assert.equal(result.time, NOW);
      assert.match(result.flagged ?? '', /before 2009/);
    }
    assert.equal(timeOf(parseVenueTime(EARLIEST_PLAUSIBLE_TIME, NOW)), EARLIEST_PLAUSIBLE_TIME, 'the boundary itself is fine');
  });

  it('clamps a date more than a day ahead of the clock to now and flags it', () => {
    assert.equal(timeOf(parseVenueTime(NOW + MAX_FUTURE_SKEW_MS, NOW)), NOW + MAX_FUTURE_SKEW_MS, 'a day of skew is tolerated');
    for (const raw of [NOW + MAX_FUTURE_SKEW_MS + 1, '2099-01-01T00:00:00Z', 9e15, '9999999999999999']) {
      const result = parseVenueTime(raw, NOW);
      assert.ok(result.ok);
      assert.equal(result.time, NOW);
      assert.match(result.flagged ?? '', /more than a day ahead/);
    }
    // "Future" is relative to the injected clock, not the machine's.
    const later = Date.UTC(2099, 0, 2);
    assert.equal(timeOf(parseVenueTime('2099-01-01T00:00:00Z', later)), Date.UTC(2099, 0, 1));
  });
});
