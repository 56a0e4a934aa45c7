// Retry-After (RFC 9110 §10.2.3): delta-seconds or an HTTP-date. The wait is capped, because a
// venue (or a proxy in front of it) saying "retry in 11 days" must not freeze an account: after the
// cap the next request asks again, and a venue that still refuses says so again.

/** Default cap on any wait a venue asks for. */
export const DEFAULT_RETRY_AFTER_CAP_MS = 5 * 60_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// The three forms a recipient must accept (RFC 9110 §5.6.7). Matched strictly: Date.parse would take
// "2024" or "tomorrow-ish" garbage and the host's time zone for the zone-less asctime form.
const IMF_FIXDATE = /^[A-Z][a-z]{2}, (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE = /^[A-Z][a-z]+, (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/** Parses an HTTP-date into UTC ms; undefined when it is not one. */
export function parseHttpDate(text: string, now = Date.now()): number | undefined {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(m[3], m[2], m[1], m[4], m[5], m[6]);
  if ((m = RFC850_DATE.exec(text))) {
    // Two-digit years: one that would be more than 50 years ahead is in the past century (RFC 9110).
    const yy = Number(m[3]);
    const year = 2000 + yy > new Date(now).getUTCFullYear() + 50 ? 1900 + yy : 2000 + yy;
    return utc(String(year), m[2], m[1], m[4], m[5], m[6]);
  }
  if ((m = ASCTIME_DATE.exec(text))) return utc(m[6], m[1], m[2], m[3], m[4], m[5]);
  return undefined;
}

function utc(...parts: (string | undefined)[]): number | undefined {
  const [year, month, day, hh, mm, ss] = parts;
  const monthIndex = MONTHS.indexOf(month ?? '');
  if (monthIndex < 0) return undefined;
  const time = Date.UTC(Number(year), monthIndex, Number(day?.trim()), Number(hh), Number(mm), Number(ss));
  return Number.isFinite(time) ? time : undefined;
}

/**
 * Milliseconds to wait from `now`, capped at `capMs`; a date in the past is 0. Undefined when the
 * header is absent or unreadable (the caller then uses its own default).
 */
export function parseRetryAfter(value: string | undefined, now: number, capMs = DEFAULT_RETRY_AFTER_CAP_MS): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  let ms: number;
  // RFC 9110 allows only whole seconds; some gateways send fractions, which cost nothing to accept.
  if (/^\d+(\.\d+)?$/.test(text)) {
    ms = Math.ceil(Number(text) * 1000);
  } else {
    const at = parseHttpDate(text, now);
    if (at === undefined) return undefined;
    ms = at - now;
  }
  // A number too long for a double is still a (huge) wait, not garbage.
  if (!Number.isFinite(ms)) return capMs;
  return Math.min(Math.max(0, ms), capMs);
}
