// Mixin's per-request authentication (docs/venue-protocols.md, Mixin: JWT): an Ed25519-signed JWT
// whose `sig` claim is the hex SHA-256 of METHOD + URI (path with its query, no host) + the exact
// body bytes. Header {"alg":"EdDSA","typ":"JWT"}; claims uid (app id), sid (session id), iat/exp in
// seconds, jti (the request id) and scp "FULL". Node's own crypto signs (no extra library): the
// 32-byte seed is wrapped as PKCS#8 (RFC 8410) once per session key.
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { MixinKeystore } from './keystore';

/** PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** Tokens live an hour (the Node SDK's choice); the server also refuses an `iat` more than about 5 min off its clock. */
const TOKEN_LIFETIME_S = 3600;

export function ed25519KeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** Ed25519 signature (64 bytes) of `data`. */
export function ed25519Sign(key: KeyObject, data: Uint8Array): Buffer {
  return sign(null, data, key);
}

/** The `sig` claim: hex SHA-256 of METHOD + URI + body, METHOD upper case, URI with its query. */
export function requestSignature(method: string, uri: string, body: Uint8Array | string = ''): string {
  return createHash('sha256').update(method.toUpperCase()).update(uri || '/').update(body).digest('hex');
}

export interface MixinRequestToSign {
  readonly method: string;
  /** Path and query exactly as sent, without the host (`/` when empty). */
  readonly uri: string;
  readonly body?: Uint8Array | string;
  /** A UUID; sent as `X-Request-Id` too. */
  readonly requestId: string;
}

/** Signs Mixin JWTs for one bot session. */
export class MixinSigner {
  private readonly key: KeyObject;

  constructor(private readonly keystore: Pick<MixinKeystore, 'appId' | 'sessionId' | 'seed'>) {
    this.key = ed25519KeyFromSeed(keystore.seed);
  }

  /** A token for one request; `nowMs` is the (clock-corrected) time. */
  token(request: MixinRequestToSign, nowMs: number): string {
    const iat = Math.floor(nowMs / 1000);
    const header = base64url(JSON.stringify({ alg: 'EdDSA', typ: 'JWT' }));
    const payload = base64url(
      JSON.stringify({
        uid: this.keystore.appId,
        sid: this.keystore.sessionId,
        iat,
        exp: iat + TOKEN_LIFETIME_S,
        jti: request.requestId,
        sig: requestSignature(request.method, request.uri, request.body ?? ''),
        scp: 'FULL',
      }),
    );
    const signature = ed25519Sign(this.key, Buffer.from(`${header}.${payload}`));
    return `${header}.${payload}.${signature.toString('base64url')}`;
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
