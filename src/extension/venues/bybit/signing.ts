// Bybit V5 request signing (docs/venue-protocols.md, Bybit: signing). Every call is signed on its
// own: the string to sign is `timestamp + apiKey + recvWindow + payload`, where the payload is the
// query string exactly as sent (GET) or the body bytes exactly as sent (a JSON body, or the whole
// multipart body of an upload). HMAC keys sign with lowercase hex HMAC-SHA256; RSA keys with
// base64 RSASSA-PKCS1-v1_5 / SHA-256 over the same bytes.
import { createHmac, createPrivateKey, sign as rsaSign, type KeyObject } from 'node:crypto';
import type { RequestSigner, SignInput } from '../../core/connection/httpClient';

export type BybitKey =
  | { readonly kind: 'hmac'; readonly apiKey: string; readonly secret: string }
  | { readonly kind: 'rsa'; readonly apiKey: string; readonly privateKeyPem: string };

/** The bytes Bybit signs: the prefix as text, then the payload bytes untouched. */
export function bybitSignedBytes(timestamp: number, apiKey: string, recvWindow: number, payload: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp}${apiKey}${recvWindow}`, 'utf8'), typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload]);
}

export function hmacSign(secret: string, bytes: Buffer): string {
  return createHmac('sha256', secret).update(bytes).digest('hex');
}

export function rsaSignBase64(privateKey: KeyObject, bytes: Buffer): string {
  return rsaSign('sha256', bytes, privateKey).toString('base64');
}

/** What a request signs: its query for GET (and other body-less calls), else its body bytes. */
export function payloadOf(req: Pick<SignInput, 'method' | 'query' | 'body'>): Buffer | string {
  return req.method === 'GET' || req.body.length === 0 ? req.query : req.body;
}

/**
 * The `X-BAPI-*` signer. `offsetMs()` is the measured difference to Bybit's clock (10002 syncs it).
 * The RSA key is parsed once, here, so a broken PEM fails when the account is built, not per call.
 */
export function bybitSigner(key: BybitKey, recvWindow: number, offsetMs: () => number): RequestSigner {
  const signBytes = bytesSigner(key);
  return (req) => {
    const timestamp = req.timestamp + offsetMs();
    const signature = signBytes(bybitSignedBytes(timestamp, key.apiKey, recvWindow, payloadOf(req)));
    return {
      headers: {
        'X-BAPI-API-KEY': key.apiKey,
        'X-BAPI-TIMESTAMP': String(timestamp),
        'X-BAPI-RECV-WINDOW': String(recvWindow),
        'X-BAPI-SIGN': signature,
        'X-BAPI-SIGN-TYPE': '2',
      },
    };
  };
}

function bytesSigner(key: BybitKey): (bytes: Buffer) => string {
  if (key.kind === 'hmac') return (bytes) => hmacSign(key.secret, bytes);
  const privateKey = createPrivateKey(key.privateKeyPem);
  return (bytes) => rsaSignBase64(privateKey, bytes);
}
