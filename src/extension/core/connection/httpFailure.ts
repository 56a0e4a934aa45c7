// How an HTTP failure maps onto the VenueError kinds the outbox and the connection machinery act
// on. The question that matters for a send is whether the request may have reached the venue: if
// it cannot have, a retry is safe; if it may have, the outbox checks whether it landed first.
// The table is documented in docs/architecture.md (Connections).
import { VenueError, type VenueErrorKind } from '../../venues/venue';
import { venueWords } from '../../venues/framePreview';
import { parseRetryAfter } from './retryAfter';
import * as l10n from '@vscode/l10n';

export interface HttpResponse {
  readonly status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyBytes: Buffer;
  readonly bodyText: string;
  /** The body parsed as JSON; absent when it is empty or not JSON. */
  readonly json?: unknown;
}

export interface HttpRequestErrorDetails {
  /** The request may have reached the server (its connection was up when it failed). */
  readonly mayHaveLeft: boolean;
  /** The caller's signal (or the client's disposal) ended the request. */
  readonly aborted?: boolean;
  readonly venueCode?: string | number;
  readonly retryAfterMs?: number;
  /** The reply, when the failure is about one. */
  readonly response?: HttpResponse;
  readonly cause?: unknown;
}

/** A VenueError from the HTTP client, with what it knows about whether the request left. */
export class HttpRequestError extends VenueError {
  static override readonly brand: string = 'HttpRequestError';
  readonly mayHaveLeft: boolean;
  readonly aborted: boolean;
  readonly response?: HttpResponse;

  constructor(kind: VenueErrorKind, message: string, details: HttpRequestErrorDetails) {
    super(kind, message, details.venueCode, details.retryAfterMs);
    this.name = 'HttpRequestError';
    this.mayHaveLeft = details.mayHaveLeft;
    this.aborted = details.aborted ?? false;
    this.response = details.response;
    if (details.cause !== undefined) this.cause = details.cause;
  }
}

/** Who is asking, for messages and for the 5xx rule. */
export interface FailureContext {
  /** The venue's name as users know it ("MEXC"). */
  readonly venue: string;
  readonly method: string;
  /** The path without its query (a query can carry a signature). */
  readonly path: string;
  readonly idempotent: boolean;
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH|ERR_OSSL)/;

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (err as { cause?: unknown }).cause;
  return cause !== err ? errorCode(cause) : undefined;
}

function describeCause(err: unknown): string {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ECONNREFUSED') return l10n.t('connection refused');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA') return l10n.t('host not found ({0})', code);
  if (code && TLS_CODES.test(code)) return l10n.t('TLS certificate rejected ({0})', code);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

export interface TransportFailure {
  readonly mayHaveLeft: boolean;
  /** The client's own deadline fired. */
  readonly timedOut: boolean;
  readonly timeoutMs: number;
  /** The caller aborted (signal or disposal). */
  readonly aborted: boolean;
  readonly cause: unknown;
}

/** A request that got no usable reply: refused, DNS, TLS, timeout, reset, garbled HTTP, cancelled. */
export function transportFailure(ctx: FailureContext, f: TransportFailure): HttpRequestError {
  const what = `${ctx.method} ${ctx.path}`;
  const details = { mayHaveLeft: f.mayHaveLeft, aborted: f.aborted, cause: f.cause };
  if (f.aborted) {
    return f.mayHaveLeft
      ? new HttpRequestError('unknown-outcome', l10n.t('{0} {1} was cancelled; it may have reached the venue', ctx.venue, what), details)
      : new HttpRequestError('unavailable', l10n.t('{0} {1} was cancelled', ctx.venue, what), details);
  }
  if (f.timedOut) {
    return f.mayHaveLeft
      ? new HttpRequestError('unknown-outcome', l10n.t('{0} did not answer {1} in time', ctx.venue, what), details)
      : new HttpRequestError('unavailable', l10n.t('cannot reach {0} ({1}): no connection within {2} ms', ctx.venue, what, f.timeoutMs), details);
  }
  return f.mayHaveLeft
    ? new HttpRequestError('unknown-outcome', l10n.t('the connection to {0} failed during {1} ({2}); it may have reached the venue', ctx.venue, what, describeCause(f.cause)), details)
    : new HttpRequestError('unavailable', l10n.t('cannot reach {0} ({1}): {2}', ctx.venue, what, describeCause(f.cause)), details);
}

export interface StatusPolicy {
  readonly now: number;
  readonly retryAfterCapMs: number;
  /** The wait for a 429 without a readable Retry-After. */
  readonly defaultRetryAfterMs: number;
  /** The venue's own words from the body, if the venue client can find them. */
  readonly detail?: string;
}

/**
 * The statuses the core decides on its own: 429 (and 503 with Retry-After) is a rate limit, any
 * other 5xx is unknown on a non-idempotent request and plain unavailability on an idempotent one.
 * Everything else goes back to the venue client, which knows its envelope.
 */
export function statusFailure(ctx: FailureContext, res: HttpResponse, policy: StatusPolicy): HttpRequestError | undefined {
  const { status } = res;
  const what = `${ctx.method} ${ctx.path}`;
  // The venue's words come from the body, which can be any size: a line of them at most.
  const said = policy.detail ? venueWords(policy.detail) : '';
  const retryAfter = parseRetryAfter(res.headers['retry-after'], policy.now, policy.retryAfterCapMs);
  const base = { mayHaveLeft: true, venueCode: status, response: res };
  if (status === 429 || (status === 503 && retryAfter !== undefined)) {
    const retryAfterMs = retryAfter ?? Math.min(policy.defaultRetryAfterMs, policy.retryAfterCapMs);
    return new HttpRequestError('rate-limit', said ? l10n.t({ message: '{0} rate limit: {1}', args: [ctx.venue, said], comment: ['{0} is the venue\'s name, {1} its own words.'] }) : l10n.t('{0} rate limit: too many requests', ctx.venue), { ...base, retryAfterMs });
  }
  if (status >= 500 && status <= 599) {
    if (said) {
      return ctx.idempotent
        ? new HttpRequestError('unavailable', l10n.t({ message: '{0} {1} failed with HTTP {2} ({3})', args: [ctx.venue, what, status, said], comment: ['{1} is the request (method and path), {3} the venue\'s own words.'] }), base)
        : new HttpRequestError('unknown-outcome', l10n.t({ message: '{0} {1} failed with HTTP {2} ({3}); it may have been carried out', args: [ctx.venue, what, status, said], comment: ['{1} is the request (method and path), {3} the venue\'s own words.'] }), base);
    }
    return ctx.idempotent
      ? new HttpRequestError('unavailable', l10n.t('{0} {1} failed with HTTP {2}', ctx.venue, what, status), base)
      : new HttpRequestError('unknown-outcome', l10n.t('{0} {1} failed with HTTP {2}; it may have been carried out', ctx.venue, what, status), base);
  }
  return undefined;
}

/** A 2xx whose body is not what the venue speaks: the request was served, the answer is lost. */
export function garbledReply(ctx: FailureContext, res: HttpResponse): HttpRequestError {
  return new HttpRequestError('unknown-outcome', l10n.t('{0} sent an unreadable reply to {1} {2} (HTTP {3})', ctx.venue, ctx.method, ctx.path, res.status), {
    mayHaveLeft: true,
    venueCode: res.status,
    response: res,
  });
}
