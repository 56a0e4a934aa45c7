// MultiWA credentials: an API key sent as `x-api-key` (and `auth.apiKey` on the socket), or an
// e-mail login. A login gets `{accessToken, refreshToken, expiresIn}` from `POST /auth/login`; the
// access token is renewed through `POST /auth/refresh` (which rotates the refresh token too) a
// minute before the expiry its own `exp` claim names, and by a fresh login when the refresh token
// is refused. Both tokens are registered with the redactor the moment they arrive.
import * as z from 'zod';
import type { Clock } from '../../core/clock';
import type { HttpBody } from '../../core/connection/httpBody';
import type { HttpResponse } from '../../core/connection/httpClient';
import type { SecretSink } from '../descriptor';
import { VenueError } from '../venue';
import * as l10n from '@vscode/l10n';

/** How the REST client lets the login reach the server: a request without credentials. */
export type AnonymousRequest = (req: { method: 'POST'; path: string; body: HttpBody }) => Promise<HttpResponse>;

export interface MultiwaAuth {
  /** Headers for a REST request, renewing a token about to expire first. */
  headers(): Promise<Record<string, string>>;
  /** The Socket.IO handshake `auth` and the plain WebSocket query. */
  socketAuth(): Promise<{ readonly apiKey: string } | { readonly token: string }>;
  /** A 401 can be cured by renewing (a login's token), not by asking the user. */
  readonly canRenew: boolean;
  renew(): Promise<void>;
  attach(request: AnonymousRequest): void;
}

export function apiKeyAuth(apiKey: string): MultiwaAuth {
  return {
    headers: () => Promise.resolve({ 'x-api-key': apiKey }),
    socketAuth: () => Promise.resolve({ apiKey }),
    canRenew: false,
    renew: () => Promise.reject(new VenueError('auth', l10n.t('MultiWA refused the API key'))),
    attach: () => undefined,
  };
}

const tokensSchema = z
  .object({ accessToken: z.string().min(1), refreshToken: z.string().min(1).nullish(), expiresIn: z.number().positive().nullish() })
  .passthrough();
const twoFactorSchema = z.object({ requires2FA: z.literal(true) }).passthrough();

/** Renew this long before the access token's expiry. */
const RENEW_MARGIN_MS = 60_000;

export class LoginAuth implements MultiwaAuth {
  readonly canRenew = true;
  private request: AnonymousRequest | undefined;
  private accessToken: string | undefined;
  private refreshToken: string | undefined;
  private expiresAt = 0;
  private renewing: Promise<void> | undefined;

  constructor(
    private readonly email: string,
    private readonly password: string,
    private readonly clock: Clock,
    private readonly redactor: SecretSink,
  ) {}

  attach(request: AnonymousRequest): void {
    this.request = request;
  }

  async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.token()}` };
  }

  async socketAuth(): Promise<{ readonly token: string }> {
    return { token: await this.token() };
  }

  /** Renews now (after a 401), sharing one renewal between concurrent callers. */
  renew(): Promise<void> {
    this.renewing ??= this.doRenew().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  private async token(): Promise<string> {
    if (!this.accessToken || this.clock.now() >= this.expiresAt - RENEW_MARGIN_MS) await this.renew();
    if (!this.accessToken) throw new VenueError('auth', l10n.t('MultiWA issued no access token'));
    return this.accessToken;
  }

  private async doRenew(): Promise<void> {
    if (this.refreshToken) {
      const refreshed = await this.post('/auth/refresh', { refreshToken: this.refreshToken });
      if (refreshed.status < 400) return this.take(refreshed, 'refresh');
      // A refused refresh token (expired, rotated elsewhere, revoked by a logout): log in again.
      if (refreshed.status !== 401 && refreshed.status !== 400) throw new VenueError('unavailable', l10n.t('MultiWA could not renew the session (HTTP {0})', refreshed.status), refreshed.status);
      this.refreshToken = undefined;
    }
    const res = await this.post('/auth/login', { email: this.email, password: this.password });
    if (res.status === 401) throw new VenueError('auth', l10n.t('MultiWA refused the e-mail or password'), 401);
    if (res.status === 429) throw new VenueError('rate-limit', l10n.t('MultiWA allows 5 logins a minute; waiting'), 429, 60_000);
    if (res.status >= 400) throw new VenueError(res.status >= 500 ? 'unavailable' : 'auth', l10n.t('MultiWA refused the login (HTTP {0})', res.status), res.status);
    if (twoFactorSchema.safeParse(res.json).success) {
      throw new VenueError('auth', l10n.t('this MultiWA login has two-factor authentication: create an API key in the dashboard and sign in with it instead'));
    }
    this.take(res, 'login');
  }

  private take(res: HttpResponse, what: string): void {
    const parsed = tokensSchema.safeParse(res.json);
    if (!parsed.success) throw new VenueError('unavailable', l10n.t('MultiWA sent an unreadable {0} reply', what));
    this.redactor.addSecret(parsed.data.accessToken);
    if (parsed.data.refreshToken) this.redactor.addSecret(parsed.data.refreshToken);
    this.accessToken = parsed.data.accessToken;
    this.refreshToken = parsed.data.refreshToken ?? this.refreshToken;
    const now = this.clock.now();
    // The token's own `exp` is the truth; `expiresIn` (seconds) is what the server claims it set.
    const exp = jwtExpiry(parsed.data.accessToken);
    this.expiresAt = exp ?? now + (parsed.data.expiresIn ?? 900) * 1000;
  }

  private post(path: string, body: Record<string, string>): Promise<HttpResponse> {
    if (!this.request) throw new Error('MultiWA login used before the REST client was attached');
    return this.request({ method: 'POST', path, body });
  }
}

/** The `exp` claim of a JWT in ms, read without verifying (the server verifies; we only schedule). */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const exp = typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>)['exp'] : undefined;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
