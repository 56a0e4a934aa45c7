// Authentication of signed Binance REST calls, in the order the gateway applies it:
// key present (-2014) → key known (-2015) → armed faults and the per-key budget (429/503) →
// signature (-1022) → timestamp window (-1021) → the key's C2C permission (-2015).
// (Signature before timestamp: bytes that are not authentic carry no trustworthy timestamp.)
import { BinanceErrors, type BinanceErrorReply } from './errors';
import { checkTimestamp, extractSignedPayload, isJsonBody, signatureMatches } from './signature';
import type { MerchantAccount } from './store';

export interface AuthRequest {
  readonly apiKeyHeader: string | undefined;
  readonly rawQuery: string;
  readonly rawBody: string;
  readonly contentType: string | undefined;
  readonly serverTime: number;
  /** The route also takes a call with no signature and no timestamp at all (API key only). */
  readonly unsignedAllowed: boolean;
}

export interface AuthPorts {
  accountByApiKey(apiKey: string): MerchantAccount | undefined;
  /** An armed `http429`/`http5xx` fault, or the per-key budget being spent; undefined admits. */
  admit(apiKey: string): BinanceErrorReply | undefined;
  hasC2cPermission(account: MerchantAccount): boolean;
}

export type AuthResult =
  | { readonly ok: true; readonly account: MerchantAccount; readonly apiKey: string; readonly signed: boolean }
  | {
      readonly ok: false;
      readonly error: BinanceErrorReply;
      readonly apiKey: string | null;
      readonly signatureValid: boolean | null;
      readonly timestampValid: boolean | null;
    };

export function authenticate(request: AuthRequest, ports: AuthPorts): AuthResult {
  const apiKey = request.apiKeyHeader?.trim() ?? '';
  const fail = (error: BinanceErrorReply, signatureValid: boolean | null = null, timestampValid: boolean | null = null): AuthResult => ({
    ok: false, error, apiKey: apiKey === '' ? null : apiKey, signatureValid, timestampValid,
  });
  if (apiKey === '') return fail(BinanceErrors.apiKeyFormat);
  const account = ports.accountByApiKey(apiKey);
  if (!account) return fail(BinanceErrors.rejectedKey);
  const refusal = ports.admit(apiKey);
  if (refusal) return fail(refusal);

  const jsonBody = isJsonBody(request.rawBody, request.contentType);
  const payload = extractSignedPayload(request.rawQuery, request.rawBody, jsonBody);
  const query = new URLSearchParams(request.rawQuery);
  const form = jsonBody ? new URLSearchParams() : new URLSearchParams(request.rawBody);
  const timestamp = query.get('timestamp') ?? form.get('timestamp') ?? undefined;
  if (!payload.ok && payload.reason === 'missing' && timestamp === undefined && request.unsignedAllowed) {
    return ports.hasC2cPermission(account) ? { ok: true, account, apiKey, signed: false } : fail(BinanceErrors.rejectedKey);
  }
  if (!payload.ok || !signatureMatches(account.secretKey, payload.totalParams, payload.signature)) return fail(BinanceErrors.signatureInvalid, false);
  const recvWindow = query.get('recvWindow') ?? form.get('recvWindow') ?? undefined;
  if (!checkTimestamp(timestamp, recvWindow, request.serverTime).ok) return fail(BinanceErrors.timestampOutside, true, false);
  if (!ports.hasC2cPermission(account)) return fail(BinanceErrors.rejectedKey, true, true);
  return { ok: true, account, apiKey, signed: true };
}
