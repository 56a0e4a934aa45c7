// MEXC request signing (venues.md B1.1): lowercase hex HMAC-SHA256(secretKey, totalParams), where
// totalParams is the query string exactly as sent followed by the raw body, with no separator.
import { createHmac } from 'node:crypto';

export type QueryValue = string | number | boolean | undefined;

export function mexcSignature(secretKey: string, totalParams: string): string {
  return createHmac('sha256', secretKey).update(totalParams, 'utf8').digest('hex');
}

/** Encodes params in the given order; values are percent-encoded with uppercase hex as MEXC requires. */
export function encodeQuery(params: Readonly<Record<string, QueryValue>>): string {
  return Object.entries(params)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/**
 * The full signed query: the caller's params, then recvWindow and timestamp, then the signature
 * computed over exactly those bytes plus the body. The signature goes last, as the venue expects.
 */
export function signedQuery(
  params: Readonly<Record<string, QueryValue>>,
  secretKey: string,
  timestamp: number,
  recvWindow: number,
  body = '',
): string {
  const query = encodeQuery({ ...params, recvWindow, timestamp });
  return `${query}&signature=${mexcSignature(secretKey, query + body)}`;
}
