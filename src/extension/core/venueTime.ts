// Venue timestamps, validated. The five venues send time as a number of ms (Binance), a numeric
// string of ms (Bybit), ISO 8601 (MultiWA), RFC 3339 with nanoseconds (Mixin) or a zone-less
// local string (MEXC). Garbage is bad input (the caller reports it); a well-formed but
// implausible date (before the venues existed, or in the future beyond clock skew) is clamped to
// now and flagged, so one wrong clock cannot sort a message to the top or bottom of a timeline
// for good.

/** 2009-01-01T00:00:00Z: no venue's chat is older. */
export const EARLIEST_PLAUSIBLE_TIME = Date.UTC(2009, 0, 1);
/** How far ahead of our clock a venue's time may be (skew, zones mistaken for UTC). */
export const MAX_FUTURE_SKEW_MS = 24 * 60 * 60_000;
/** Numbers below this are seconds, above it milliseconds (1e11 s is the year 5138, 1e11 ms is 1973). */
const SECONDS_BELOW = 1e11;

export type VenueTime =
  | { readonly ok: true; readonly time: number; readonly flagged?: string }
  | { readonly ok: false; readonly reason: string };

export interface VenueTimeOptions {
  /**
   * How to read a date-time without a zone (MEXC's "2025-01-15 07:50:00"): its offset from UTC
   * in minutes (480 = UTC+8). Without it, a zone-less time is bad input.
   */
  readonly zonelessOffsetMinutes?: number;
}

// Date, then time with optional seconds and fraction, then Z or ±hh[:]mm (or nothing).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;
const NUMERIC = /^[+]?\d{1,16}(?:\.\d{1,9})?$/;

function bad(reason: string): VenueTime {
  return { ok: false, reason };
}

function fromEpochNumber(value: number): VenueTime {
  if (!Number.isFinite(value)) return bad('time is not a finite number');
  if (value < 0) return bad('time is negative');
  return { ok: true, time: Math.round(value < SECONDS_BELOW ? value * 1000 : value) };
}

function fromDateTime(text: string, options: VenueTimeOptions): VenueTime {
  const m = DATE_TIME.exec(text);
  if (!m) return bad('time is neither a number nor an ISO 8601 date-time');
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offH, offM] = m;
  const parts = [y, mo, d, h, mi, s ?? '0'].map(Number) as [number, number, number, number, number, number];
  const [year, month, day, hour, minute, second] = parts;
  const ms = Number((fraction ?? '0').slice(0, 3).padEnd(3, '0'));
  // Date.UTC rolls 2025-02-30 over into March: compare the fields back to reject such dates.
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(utc);
  if (
    !Number.isFinite(utc) ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return bad('time is not a valid calendar date-time');
  }
  let offsetMinutes: number;
  if (zulu) offsetMinutes = 0;
  else if (sign) {
    const hours = Number(offH);
    const minutes = Number(offM);
    if (hours > 23 || minutes > 59) return bad('time has an invalid zone offset');
    offsetMinutes = (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
  } else if (options.zonelessOffsetMinutes !== undefined && Number.isFinite(options.zonelessOffsetMinutes)) {
    offsetMinutes = options.zonelessOffsetMinutes;
  } else return bad('time has no zone');
  return { ok: true, time: utc - offsetMinutes * 60_000 };
}

function parse(raw: unknown, options: VenueTimeOptions): VenueTime {
  if (typeof raw === 'number') return fromEpochNumber(raw);
  if (typeof raw !== 'string') return bad(`time is a ${raw === null ? 'null' : typeof raw}, not a number or string`);
  const text = raw.trim();
  if (text.length === 0) return bad('time is empty');
  if (text.length > 64) return bad('time is too long');
  if (NUMERIC.test(text)) return fromEpochNumber(Number(text));
  return fromDateTime(text, options);
}

/**
 * Reads a venue's timestamp into UTC ms. Bad input gives `ok: false` with a reason; an
 * implausible date gives `now` (from the caller's clock) with `flagged` saying why.
 */
export function parseVenueTime(raw: unknown, now: number, options: VenueTimeOptions = {}): VenueTime {
  const parsed = parse(raw, options);
  if (!parsed.ok) return parsed;
  if (parsed.time < EARLIEST_PLAUSIBLE_TIME) {
    return { ok: true, time: now, flagged: `venue time ${new Date(parsed.time).toISOString()} is before 2009; shown as received` };
  }
  if (parsed.time > now + MAX_FUTURE_SKEW_MS) {
    const when = parsed.time <= 8.64e15 ? new Date(parsed.time).toISOString() : String(parsed.time);
    return { ok: true, time: now, flagged: `venue time ${when} is more than a day ahead; shown as received` };
  }
  return parsed;
}
