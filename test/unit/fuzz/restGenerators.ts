// Generated REST replies for the parser fuzz suite (restParsers.test.ts): bodies shaped like each
// venue's success and error envelopes with fields of the wrong type, missing, huge, or cut short,
// next to garbage; statuses and headers (Retry-After, Bybit's reset stamp) right and wrong.
import fc from 'fast-check';
import { anyField, nastyText, stringy, truncated } from './fuzzKit';

/**
 * A number token written into the body exactly as given, so the decimal-keeping JSON reader meets
 * what venues write (`349.60`, 20-digit ids, exponents) and what they must not (`01`, `1.`, `-`).
 */
const RAW = 'RAW#NUMBER#';
export const rawNumber = fc
  .constantFrom('349.60', '0.00000001', '12345678901234567890', '1e400', '-1e-400', '1.5E+2', '-0', '01', '1.', '-', '.5', '9'.repeat(400), '0')
  .map((token) => `${RAW}${token}`);
const RAW_TOKEN = new RegExp(`"${RAW}([^"]*)"`, 'g');

/** JSON text of `value`, raw number tokens written in place. */
export function bodyText(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(RAW_TOKEN, '$1');
}

/** A decimal amount as venues send it: text, a number, a raw token, or something else. */
export const amount = stringy(fc.oneof(fc.stringMatching(/^\d{1,12}(\.\d{1,8})?$/), fc.double({ min: 0, max: 1e12, noNaN: true }), rawNumber));
/** A ms timestamp, a number or digits. */
export const millis = stringy(fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 0, max: 4_102_444_800_000 }).map(String), rawNumber));
/** An id: digits as a number or text, or any text. */
export const idLike = stringy(fc.oneof(fc.stringMatching(/^\d{1,20}$/), fc.integer({ min: 1 }), fc.string({ minLength: 1, maxLength: 40 }), rawNumber));
/** A short code (ticker, state) or anything. */
export const code = (...valid: string[]) => stringy(fc.oneof(fc.constantFrom(...valid), fc.string({ maxLength: 40 })));
/** A display text: usually ordinary, sometimes hostile or huge. */
export const words = stringy(fc.oneof({ weight: 20, arbitrary: fc.string({ maxLength: 60 }) }, { weight: 1, arbitrary: nastyText }));

/** A record whose fields are sometimes missing (none required), sometimes all there. */
export function shaped<T extends Record<string, fc.Arbitrary<unknown>>>(fields: T): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof({ weight: 3, arbitrary: fc.record(fields) as fc.Arbitrary<Record<string, unknown>> }, { weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>> });
}

/** A list of up to a few items (sometimes many), each sometimes not an item at all. */
export function listOf(item: fc.Arbitrary<unknown>): fc.Arbitrary<unknown[]> {
  // Long lists are rare: each item is a dozen generated fields, and the run is 100,000 bodies.
  return fc.oneof({ weight: 40, arbitrary: fc.array(stringy(item), { maxLength: 4 }) }, { weight: 1, arbitrary: fc.array(item, { minLength: 100, maxLength: 200 }) });
}

/** Bodies for a reply: mostly the venue's shape, then the shape cut short, garbage, and any JSON. */
export function bodies(shapedBody: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: shapedBody.map(bodyText) },
    { weight: 1, arbitrary: truncated(shapedBody.map(bodyText)) },
    { weight: 1, arbitrary: nastyText },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: anyField.map(bodyText) },
  );
}

export const statuses = fc.oneof(
  { weight: 12, arbitrary: fc.constant(200) },
  { weight: 4, arbitrary: fc.constantFrom(202, 204, 400, 401, 403, 404, 418, 429, 500, 502, 503) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 599 }) },
);

const retryAfter = fc.oneof(fc.nat({ max: 100_000 }).map(String), fc.constantFrom('1.5', 'Wed, 30 Nov 2026 12:01:00 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994', '-1', '1e9', '99999999999999999999999'), nastyText);
export const headers: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'retry-after': retryAfter,
    'x-bapi-limit-reset-timestamp': fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }).map(String), nastyText),
    date: fc.oneof(fc.constant('Mon, 30 Nov 2026 12:00:00 GMT'), fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()), nastyText),
    'content-type': fc.constantFrom('application/json', 'text/html', 'text/plain'),
  },
  { requiredKeys: [] },
);
