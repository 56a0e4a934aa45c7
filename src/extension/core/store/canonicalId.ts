// The one form in which venue and client message ids are compared and indexed. Venues send the same
// id as a JSON number in one frame and as a string in another (`123`, `"123"`, `"00123"`), and a
// big number can turn into exponent notation (`1e+21`); messages keep the id as the venue gave it,
// but every lookup and every de-duplication goes through this function.

const DECIMAL_INTEGER = /^([+-]?)0*(\d+)$/;

/**
 * Canonical text of a message id: surrounding whitespace trimmed; a decimal integer (string or
 * number) without sign noise or leading zeros; a number that is not an integer in its shortest
 * JavaScript text. Any other string is kept as it is (case matters: ids are opaque).
 */
export function canonicalId(id: string | number): string {
  if (typeof id === 'number') {
    if (!Number.isFinite(id)) return String(id);
    // Integral doubles print in exponent form from 1e21 on; BigInt gives every digit.
    if (Number.isInteger(id)) return BigInt(id).toString();
    return String(id);
  }
  // Fast path for the usual form (every lookup and upsert comes here): digits without a leading zero.
  if (isPlainDecimal(id)) return id;
  const trimmed = id.trim();
  const match = DECIMAL_INTEGER.exec(trimmed);
  if (!match) return trimmed;
  // `0*` is greedy, so the digits start with a non-zero one (or are a single zero).
  const digits = match[2] ?? '';
  return match[1] === '-' && digits !== '0' ? `-${digits}` : digits;
}

/** `id` is 1-9 followed by digits only: already canonical. */
function isPlainDecimal(id: string): boolean {
  const first = id.charCodeAt(0);
  if (!(first >= 0x31 && first <= 0x39)) return false;
  for (let i = 1; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
