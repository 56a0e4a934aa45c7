// MEXC spot-v3 request signing, re-implemented independently of the client (src/) so the client's
// signer is checked against a second reading of the doc, not against itself.
//
// signature = lowercase hex HMAC-SHA256(secretKey, totalParams), where totalParams is the query
// string exactly as sent (minus the signature parameter) followed directly by the request body.
import { checkTimestamp, hexSignatureMatches, hmacSha256Hex } from '../util/spotSigning';

export { checkTimestamp, hmacSha256Hex };

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
  return signature !== undefined && hexSignatureMatches(secretKey, totalParams, signature, false);
}
