// Authentication as the gateway does it: `POST /auth/login` and `/auth/refresh` issue HS256 JWTs
// (access tokens bound to a server-side session, refresh tokens valid 30 days and signed with the
// same secret), and every guarded route runs passport's `['jwt', 'api-key']` chain: a valid Bearer
// token wins; otherwise the API key strategy answers, so a missing or expired JWT without a key
// gets "API key required". Keys are looked up by sha256, never stored in clear.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from '../util/http';
import type { MultiwaStore, User } from './store';

export interface JwtClaims {
  readonly sub: string;
  readonly email: string;
  readonly organizationId: string;
  readonly role: string;
  readonly iat: number;
  readonly exp: number;
}

export interface Principal {
  readonly user: User;
  readonly via: 'jwt' | 'apiKey';
}

export type AuthVerdict = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly message: string };

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function signJwt(secret: string, claims: JwtClaims): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** The claims of a well-signed, unexpired token (`nowMs` is the venue clock). */
export function verifyJwt(secret: string, token: string, nowMs: number): JwtClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [head, body, sig] = parts as [string, string, string];
  const expected = Buffer.from(createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url'));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<JwtClaims>;
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return undefined;
    return claims.exp * 1000 > nowMs ? (claims as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** What the gateway answers whatever JWT_EXPIRES_IN is: a constant 7 days. */
  readonly expiresIn: 604800;
  readonly user: { readonly id: string; readonly email: string; readonly name: string; readonly role: string; readonly organizationId: string };
}

export class AuthService {
  /** Access tokens with a live session (logout or reset removes them). */
  private readonly sessions = new Set<string>();
  private issued = 0;

  constructor(
    private readonly secret: string,
    private readonly store: () => MultiwaStore,
    private readonly now: () => number,
    private readonly accessTtlMs: () => number,
  ) {}

  issueTokens(user: User): TokenPair {
    const iat = Math.floor(this.now() / 1000);
    // A distinct jti-like nonce: two logins in the same second must not share a session token.
    this.issued += 1;
    const base = { sub: user.id, email: user.email, organizationId: user.organizationId, role: user.role, iat };
    const accessToken = signJwt(this.secret, { ...base, exp: Math.floor((this.now() + this.accessTtlMs()) / 1000), n: this.issued } as JwtClaims);
    const refreshToken = signJwt(this.secret, { ...base, exp: iat + 30 * 86_400, n: this.issued } as JwtClaims);
    this.sessions.add(accessToken);
    return {
      accessToken, refreshToken, expiresIn: 604800,
      user: { id: user.id, email: user.email, name: user.name, role: user.role, organizationId: user.organizationId },
    };
  }

  login(email: unknown, password: unknown): TokenPair | undefined {
    const user = typeof email === 'string' ? this.store().userByEmail(email) : undefined;
    return user && user.password === password ? this.issueTokens(user) : undefined;
  }

  refresh(refreshToken: unknown): TokenPair | undefined {
    if (typeof refreshToken !== 'string') return undefined;
    const claims = verifyJwt(this.secret, refreshToken, this.now());
    const user = claims ? this.store().user(claims.sub) : undefined;
    return user ? this.issueTokens(user) : undefined;
  }

  /** The user of a well-signed unexpired token; the realtime handshakes check no session (`requireSession` false). */
  userOfToken(token: string, requireSession = true): User | undefined {
    const claims = verifyJwt(this.secret, token, this.now());
    if (!claims || (requireSession && !this.sessions.has(token))) return undefined;
    return this.store().user(claims.sub);
  }

  /** The user of an API key that exists and has not expired. */
  userOfApiKey(key: string): User | undefined {
    const found = this.store().apiKeyByKey(key);
    if (!found || (found.expiresAt !== null && this.now() > found.expiresAt)) return undefined;
    return this.store().user(found.userId);
  }

  /** The REST guard: passport's ['jwt', 'api-key'] chain with the gateway's messages. */
  authenticate(headers: IncomingHttpHeaders): AuthVerdict {
    const authorization = headerValue(headers.authorization);
    const bearer = authorization && /^Bearer\s+/i.test(authorization) ? authorization.replace(/^Bearer\s+/i, '') : undefined;
    if (bearer) {
      const claims = verifyJwt(this.secret, bearer, this.now());
      if (claims) {
        const user = this.store().user(claims.sub);
        if (!user) return { ok: false, message: 'Unauthorized' };
        // A well-signed token without a live session (a refresh token, a revoked one) is refused outright.
        if (!this.sessions.has(bearer)) return { ok: false, message: 'Session expired or revoked' };
        return { ok: true, principal: { user, via: 'jwt' } };
      }
    }
    const key = headerValue(headers['x-api-key']);
    if (!key) return { ok: false, message: 'API key required' };
    const found = this.store().apiKeyByKey(key);
    if (!found) return { ok: false, message: 'Invalid API key' };
    if (found.expiresAt !== null && this.now() > found.expiresAt) return { ok: false, message: 'API key expired' };
    const user = this.store().user(found.userId);
    return user ? { ok: true, principal: { user, via: 'apiKey' } } : { ok: false, message: 'Invalid API key' };
  }

  logout(token: string): void {
    this.sessions.delete(token);
  }

  clear(): void {
    this.sessions.clear();
  }
}
