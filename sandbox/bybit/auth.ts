// Authentication of a signed Bybit call, in the order the gateway applies it: key present and known
// (10003) → signature over the exact bytes (10004) → timestamp window (10002). Signature before
// timestamp: bytes that are not authentic carry no trustworthy timestamp.
import { BybitErrors, type BybitError } from './errors';
import { signatureMatches, signedBytes, timestampValid } from './signature';
import type { BybitAccount } from './store';

export interface AuthRequest {
  readonly headers: {
    readonly apiKey: string | undefined;
    readonly timestamp: string | undefined;
    readonly recvWindow: string | undefined;
    readonly sign: string | undefined;
  };
  /** Raw query (GET) or raw body bytes (POST). */
  readonly payload: Buffer;
  readonly serverTime: number;
}

export type AuthResult =
  | { readonly ok: true; readonly account: BybitAccount }
  | { readonly ok: false; readonly error: BybitError; readonly signatureValid: boolean | null; readonly timestampValid: boolean | null };

export function authenticate(request: AuthRequest, accountByApiKey: (apiKey: string) => BybitAccount | undefined): AuthResult {
  const { apiKey, timestamp, recvWindow, sign } = request.headers;
  const account = apiKey ? accountByApiKey(apiKey) : undefined;
  if (!account || !apiKey) return { ok: false, error: BybitErrors.apiKey, signatureValid: null, timestampValid: null };
  const bytes = signedBytes(timestamp ?? '', apiKey, recvWindow ?? '', request.payload);
  if (!sign || !signatureMatches(account.key, bytes, sign)) return { ok: false, error: BybitErrors.sign, signatureValid: false, timestampValid: null };
  if (!timestampValid(timestamp, recvWindow, request.serverTime)) {
    return { ok: false, error: BybitErrors.timestamp(timestamp ?? '', request.serverTime, recvWindow ?? '5000'), signatureValid: true, timestampValid: false };
  }
  return { ok: true, account };
}
