// Query-string HMAC signing as MEXC and Binance do it (docs/venue-protocols.md, MEXC: REST and
// Binance: signing): lowercase hex HMAC-SHA256(secretKey, totalParams), where totalParams is the
// query string exactly as sent followed by the signed body (MEXC: the raw body; Binance: a form body
// only, JSON bodies go unsigned), with no separator. The signature is the last parameter.
import { createHmac } from 'node:crypto';

export type QueryValue = string | number | boolean | undefined;

export function hmacSignature(secretKey: string, totalParams: string): string {
  return createHmac('sha256', secretKey).update(totalParams, 'utf8').digest('hex');
}

/** Encodes params in the given order; values are percent-encoded with uppercase hex as both venues require. */
export function encodeQuery(params: Readonly<Record<string, QueryValue>>): string {
  return Object.entries(params)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/**
 * Appends recvWindow and timestamp to a query string exactly as it will be sent, then the
 * signature over exactly those bytes plus the body. The signature goes last, as the venue expects.
 */
export function signQueryString(query: string, secretKey: string, timestamp: number, recvWindow: number, body = ''): string {
  const signedPart = `${query ? `${query}&` : ''}recvWindow=${recvWindow}&timestamp=${timestamp}`;
  return `${signedPart}&signature=${hmacSignature(secretKey, signedPart + body)}`;
}

/** The full signed query for params in the given order (see `signQueryString`). */
export function signedQuery(
  params: Readonly<Record<string, QueryValue>>,
  secretKey: string,
  timestamp: number,
  recvWindow: number,
  body = '',
): string {
  return signQueryString(encodeQuery(params), secretKey, timestamp, recvWindow, body);
}
