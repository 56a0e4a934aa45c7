// MEXC spot-v3 request signing, re-implemented independently of the client (src/) so the client's
// signer is checked against a second reading of the doc, not against itself.
//
// signature = lowercase hex HMAC-SHA256(secretKey, totalParams), where totalParams is the query
// string exactly as sent (minus the signature parameter) followed directly by the request body.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacSha256Hex(secretKey: string, payload: string): string {
  return createHmac('sha256', secretKey).update(payload, 'utf8').digest('hex');
}

export interface SignedPayload {
  /** The exact string the client should have signed. */
  readonly totalParams: string;
  /** The signature as sent, or undefined when the request carries none. */
  readonly signature: string | undefined;
}

/** Removes `signature=...` from an `a=b&c=d` string, keeping every other byte as received. */
function splitSignature(raw: string): { rest: string; signature: string | undefined } {
  if (raw === '') return { rest: '', signature: undefined };
  let signature: string | undefined;
  const kept: string[] = [];
  for (const part of raw.split('&')) {
    if (signature === undefined && part.startsWith('signature=')) signature = part.slice('signature='.length);
    else kept.push(part);
  }
  return { rest: kept.join('&'), signature };
}

/**
 * Finds the signature (query first, then a form-encoded body) and rebuilds totalParams from the
 * raw bytes. Nothing is decoded or re-sorted: the client must sign exactly what it sends.
 */
export function extractSignedPayload(rawQuery: string, rawBody: string): SignedPayload {
  const fromQuery = splitSignature(rawQuery);
  if (fromQuery.signature !== undefined) return { totalParams: fromQuery.rest + rawBody, signature: fromQuery.signature };
  if (!rawBody.trimStart().startsWith('{')) {
    const fromBody = splitSignature(rawBody);
    if (fromBody.signature !== undefined) return { totalParams: rawQuery + fromBody.rest, signature: fromBody.signature };
  }
  return { totalParams: rawQuery + rawBody, signature: undefined };
}

/** Constant-time comparison; only the lowercase hex form the doc prescribes is accepted. */
export function signatureMatches(secretKey: string, totalParams: string, signature: string | undefined): boolean {
  if (signature === undefined || !/^[0-9a-f]{64}$/.test(signature)) return false;
  const expected = Buffer.from(hmacSha256Hex(secretKey, totalParams), 'ascii');
  const given = Buffer.from(signature, 'ascii');
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
