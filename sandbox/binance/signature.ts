// Binance request signing (spot "Request security", which SAPI uses), re-implemented independently
// of the client (src/) so the client's signer is checked against a second reading of the doc.
//
// signature = hex HMAC-SHA256(secretKey, totalParams); totalParams = the query string exactly as
// sent (minus `signature`) concatenated with a form-encoded body (no separator). JSON bodies are not
// part of it. `signature` must be the last parameter of whichever part carries it.
import { checkTimestamp, hexSignatureMatches, hmacSha256Hex } from '../util/spotSigning';

export { checkTimestamp, hmacSha256Hex };

export type SignedPayload =
  | { readonly ok: true; readonly totalParams: string; readonly signature: string }
  | { readonly ok: false; readonly reason: 'missing' | 'not-last' };

/** `signature=` out of `a=b&...&signature=x`, only if it is the last pair and appears once. */
function trailingSignature(raw: string): { rest: string; signature: string } | 'absent' | 'not-last' {
  const parts = raw === '' ? [] : raw.split('&');
  const at = parts.findIndex((p) => p.startsWith('signature='));
  if (at < 0) return 'absent';
  if (at !== parts.length - 1) return 'not-last';
  return { rest: parts.slice(0, -1).join('&'), signature: parts[at]!.slice('signature='.length) };
}

/** Whether a body counts as JSON (unsigned) rather than form parameters (signed). */
export function isJsonBody(rawBody: string, contentType: string | undefined): boolean {
  const trimmed = rawBody.trimStart();
  if (trimmed === '') return false;
  if (contentType !== undefined && /application\/x-www-form-urlencoded/i.test(contentType)) return false;
  return trimmed.startsWith('{') || trimmed.startsWith('[') || (contentType !== undefined && /json/i.test(contentType));
}

/**
 * Finds the signature and rebuilds totalParams from the raw bytes, nothing decoded or re-sorted:
 * the client must sign exactly what it sends.
 */
export function extractSignedPayload(rawQuery: string, rawBody: string, jsonBody: boolean): SignedPayload {
  const form = jsonBody ? '' : rawBody;
  const inQuery = trailingSignature(rawQuery);
  const inForm = trailingSignature(form);
  if (inQuery === 'not-last' || inForm === 'not-last') return { ok: false, reason: 'not-last' };
  if (inQuery !== 'absent') {
    // A form body after a query-string signature would put parameters after the signature.
    if (inForm !== 'absent' || form !== '') return { ok: false, reason: 'not-last' };
    return { ok: true, totalParams: inQuery.rest, signature: inQuery.signature };
  }
  if (inForm !== 'absent') return { ok: true, totalParams: rawQuery + inForm.rest, signature: inForm.signature };
  return { ok: false, reason: 'missing' };
}

/** Constant-time comparison of hex signatures (Binance accepts either case of hex digits). */
export function signatureMatches(secretKey: string, totalParams: string, signature: string): boolean {
  return hexSignatureMatches(secretKey, totalParams, signature, true);
}
