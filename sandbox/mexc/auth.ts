// Authentication of signed MEXC REST calls, in the order a gateway would apply it:
// api key present → api key known → rate limit → signature → timestamp window.
// (Signature before timestamp: a request whose bytes are not authentic has no trustworthy
// timestamp either.)
import { MexcErrors, type MexcErrorReply } from './errors';
import { checkTimestamp, extractSignedPayload, signatureMatches } from './signature';
import type { MerchantAccount } from './store';

export type RequestParams = ReadonlyMap<string, string>;

/** Query and body parameters; on a clash the query string wins (spot-v3 rule). */
export function parseParams(rawQuery: string, rawBody: string): RequestParams {
  const params = new Map<string, string>();
  const body = rawBody.trim();
  if (body.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        for (const [key, value] of Object.entries(parsed)) {
          if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params.set(key, String(value));
        }
      }
    } catch {
      // Not JSON after all: such a body still counts for the signature, just not as parameters.
    }
  } else if (body !== '') {
    for (const [key, value] of new URLSearchParams(body)) params.set(key, value);
  }
  for (const [key, value] of new URLSearchParams(rawQuery)) params.set(key, value);
  return params;
}

export interface AuthRequest {
  readonly apiKeyHeader: string | undefined;
  readonly rawQuery: string;
  readonly rawBody: string;
  readonly serverTime: number;
}

export interface AuthPorts {
  accountByApiKey(apiKey: string): MerchantAccount | undefined;
  /** false when the key is over its rate (or a rate-limit fault is armed). */
  admit(apiKey: string): boolean;
}

export type AuthResult =
  | { readonly ok: true; readonly account: MerchantAccount; readonly params: RequestParams; readonly apiKey: string }
  | {
      readonly ok: false;
      readonly error: MexcErrorReply;
      readonly apiKey: string | null;
      readonly signatureValid: boolean | null;
      readonly timestampValid: boolean | null;
    };

export function authenticate(request: AuthRequest, ports: AuthPorts): AuthResult {
  const apiKey = request.apiKeyHeader?.trim() ?? '';
  if (apiKey === '') return { ok: false, error: MexcErrors.apiKeyRequired, apiKey: null, signatureValid: null, timestampValid: null };
  const account = ports.accountByApiKey(apiKey);
  if (!account) return { ok: false, error: MexcErrors.apiKeyInvalid, apiKey, signatureValid: null, timestampValid: null };
  if (!ports.admit(apiKey)) return { ok: false, error: MexcErrors.tooManyRequests, apiKey, signatureValid: null, timestampValid: null };

  const { totalParams, signature } = extractSignedPayload(request.rawQuery, request.rawBody);
  if (!signatureMatches(account.secretKey, totalParams, signature)) {
    return { ok: false, error: MexcErrors.signatureInvalid, apiKey, signatureValid: false, timestampValid: null };
  }
  const params = parseParams(request.rawQuery, request.rawBody);
  const verdict = checkTimestamp(params.get('timestamp'), params.get('recvWindow'), request.serverTime);
  if (!verdict.ok) return { ok: false, error: MexcErrors.timestampOutsideRecvWindow, apiKey, signatureValid: true, timestampValid: false };
  return { ok: true, account, params, apiKey };
}
