// Verifies a Mixin request token the way the API does: an EdDSA JWT whose payload names the bot
// (uid) and its session (sid), carries iat/exp in seconds, scp "FULL" and `sig`, the hex SHA-256
// of METHOD + URI (path with query) + exact body bytes; signed with the session's Ed25519 key
// over base64url(header) "." base64url(payload), the signature base64url without padding.
import { createHash, verify, type KeyObject } from 'node:crypto';

export interface JwtClaims {
  readonly uid: string;
  readonly sid: string;
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
}

export type JwtCheck =
  | { readonly ok: true; readonly claims: JwtClaims }
  | { readonly ok: false; readonly reason: string };

export interface JwtRequest {
  readonly authorization: string | undefined;
  readonly method: string;
  /** Path and query exactly as requested. */
  readonly uri: string;
  readonly body: Buffer;
}

export interface JwtPolicy {
  /** The session's public key, when (uid, sid) names a registered session. */
  sessionKey(uid: string, sid: string): KeyObject | undefined;
  /** Venue clock, ms. */
  now(): number;
  /** How far `iat` may be from the venue clock. */
  readonly maxSkewMs: number;
}

export function requestSig(method: string, uri: string, body: Buffer): string {
  return createHash('sha256').update(Buffer.concat([Buffer.from(method.toUpperCase() + uri, 'utf8'), body])).digest('hex');
}

function jsonPart(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function verifyMixinJwt(request: JwtRequest, policy: JwtPolicy): JwtCheck {
  const match = /^Bearer (\S+)$/.exec(request.authorization ?? '');
  if (!match) return { ok: false, reason: 'no bearer token' };
  const parts = match[1]!.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a JWS compact token' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = jsonPart(headerPart);
  if (!header || header.alg !== 'EdDSA') return { ok: false, reason: 'header alg is not EdDSA' };
  if (header.typ !== undefined && header.typ !== 'JWT') return { ok: false, reason: 'header typ is not JWT' };
  const payload = jsonPart(payloadPart);
  if (!payload) return { ok: false, reason: 'payload is not JSON' };
  const { uid, sid, iat, exp, jti, scp, sig } = payload;
  if (typeof uid !== 'string' || typeof sid !== 'string') return { ok: false, reason: 'uid/sid missing' };
  if (typeof iat !== 'number' || typeof exp !== 'number' || !Number.isFinite(iat) || !Number.isFinite(exp)) return { ok: false, reason: 'iat/exp missing' };
  if (typeof jti !== 'string' || jti === '') return { ok: false, reason: 'jti missing' };
  if (scp !== 'FULL') return { ok: false, reason: 'scp is not FULL' };
  if (typeof sig !== 'string') return { ok: false, reason: 'sig missing' };
  const key = policy.sessionKey(uid, sid);
  if (!key) return { ok: false, reason: 'unknown uid/sid' };
  if (!/^[A-Za-z0-9_-]+$/.test(signaturePart)) return { ok: false, reason: 'signature is not base64url' };
  const signature = Buffer.from(signaturePart, 'base64url');
  if (signature.length !== 64 || !verify(null, Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'), key, signature)) {
    return { ok: false, reason: 'bad signature' };
  }
  const nowSec = policy.now() / 1000;
  if (exp <= nowSec) return { ok: false, reason: 'expired' };
  if (Math.abs(iat - nowSec) * 1000 > policy.maxSkewMs) return { ok: false, reason: 'iat outside the clock window' };
  if (sig !== requestSig(request.method, request.uri, request.body)) return { ok: false, reason: 'sig does not match the request' };
  return { ok: true, claims: { uid, sid, iat, exp, jti } };
}
