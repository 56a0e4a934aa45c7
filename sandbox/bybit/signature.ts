// Bybit V5 request signing, re-implemented independently of the client (src/) so the client's
// signer is checked against a second reading of the doc. The bytes signed are
// `timestamp + apiKey + recvWindow` followed by the payload exactly as received: the raw query of a
// GET, the raw body of a POST (a JSON string, or the whole multipart body of an upload). HMAC keys:
// lowercase hex HMAC-SHA256 with the secret. RSA keys: base64 RSASSA-PKCS1-v1_5 / SHA-256,
// verified with the PUBLIC key the user registered.
import { createHmac, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import type { AccountKey } from './store';

export function signedBytes(timestamp: string, apiKey: string, recvWindow: string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp}${apiKey}${recvWindow}`, 'utf8'), payload]);
}

export function hmacHex(secret: string, bytes: Buffer): string {
  return createHmac('sha256', secret).update(bytes).digest('hex');
}

const publicKeys = new Map<string, KeyObject>();

function publicKeyOf(pem: string): KeyObject {
  let key = publicKeys.get(pem);
  if (!key) {
    key = createPublicKey(pem);
    publicKeys.set(pem, key);
  }
  return key;
}

/** Whether `signature` signs `bytes` for this key (HMAC: lowercase hex only, as Bybit compares). */
export function signatureMatches(key: AccountKey, bytes: Buffer, signature: string): boolean {
  if (key.keyType === 'hmac') {
    if (!/^[0-9a-f]{64}$/.test(signature)) return false;
    return timingSafeEqual(Buffer.from(hmacHex(key.secret, bytes), 'hex'), Buffer.from(signature, 'hex'));
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  return verify('sha256', bytes, publicKeyOf(key.publicKeyPem), Buffer.from(signature, 'base64'));
}

/** Accepted iff `server - recvWindow <= timestamp < server + 1000` (recvWindow default 5000). */
export function timestampValid(timestamp: string | undefined, recvWindow: string | undefined, serverTime: number): boolean {
  if (timestamp === undefined || !/^\d{1,16}$/.test(timestamp)) return false;
  const window = recvWindow === undefined ? 5000 : /^\d{1,9}$/.test(recvWindow) ? Number(recvWindow) : NaN;
  if (!Number.isFinite(window) || window <= 0) return false;
  const ts = Number(timestamp);
  return serverTime - window <= ts && ts < serverTime + 1000;
}
