// What MEXC's and Binance's emulators check alike, both venues following the spot API's "request
// security" rules: the hex HMAC-SHA256 signature (compared in constant time) and the timing rule.
// Where the signature is found differs per venue (each venue's signature.ts).
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacSha256Hex(secretKey: string, payload: string): string {
  return createHmac('sha256', secretKey).update(payload, 'utf8').digest('hex');
}

/**
 * Constant-time comparison with the expected signature. MEXC's doc prescribes lowercase hex;
 * Binance accepts either case (`anyCase`).
 */
export function hexSignatureMatches(secretKey: string, totalParams: string, signature: string, anyCase: boolean): boolean {
  if (!(anyCase ? /^[0-9a-fA-F]{64}$/ : /^[0-9a-f]{64}$/).test(signature)) return false;
  const expected = Buffer.from(hmacSha256Hex(secretKey, totalParams), 'ascii');
  const given = Buffer.from(signature.toLowerCase(), 'ascii');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export type TimestampVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const DEFAULT_RECV_WINDOW_MS = 5000;
export const MAX_RECV_WINDOW_MS = 60000;

/**
 * The published timing rule: accept iff timestamp < serverTime + 1000 and
 * serverTime - timestamp <= recvWindow (recvWindow defaults to 5000, at most 60000).
 */
export function checkTimestamp(timestamp: string | undefined, recvWindow: string | undefined, serverTime: number): TimestampVerdict {
  if (timestamp === undefined || !/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'timestamp missing or not an integer' };
  let window = DEFAULT_RECV_WINDOW_MS;
  if (recvWindow !== undefined) {
    if (!/^\d{1,9}$/.test(recvWindow)) return { ok: false, reason: 'recvWindow not an integer' };
    window = Number(recvWindow);
    if (window <= 0 || window > MAX_RECV_WINDOW_MS) return { ok: false, reason: 'recvWindow out of range' };
  }
  const ts = Number(timestamp);
  if (!(ts < serverTime + 1000)) return { ok: false, reason: 'timestamp ahead of server time' };
  if (serverTime - ts > window) return { ok: false, reason: 'timestamp older than recvWindow' };
  return { ok: true };
}
