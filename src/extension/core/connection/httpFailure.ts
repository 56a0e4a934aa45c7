// How an HTTP failure maps onto the VenueError kinds the outbox and the connection machinery act
// on. The question that matters for a send is whether the request may have reached the venue: if
// it cannot have, a retry is safe; if it may have, the outbox checks whether it landed first.
// The table is documented in docs/architecture.md (Connections).
import { VenueError, type VenueErrorKind } from '../../venues/venue';
import { venueWords } from '../../venues/framePreview';
import { parseRetryAfter } from './retryAfter';

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
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA') return `host not found (${code})`;
  if (code && TLS_CODES.test(code)) return `TLS certificate rejected (${code})`;
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
    const tail = f.mayHaveLeft ? '; it may have reached the venue' : '';
    return new HttpRequestError(f.mayHaveLeft ? 'unknown-outcome' : 'unavailable', `${ctx.venue} ${what} was cancelled${tail}`, details);
  }
  if (f.timedOut) {
    return f.mayHaveLeft
      ? new HttpRequestError('unknown-outcome', `${ctx.venue} did not answer ${what} in time`, details)
      : new HttpRequestError('unavailable', `cannot reach ${ctx.venue} (${what}): no connection within ${f.timeoutMs} ms`, details);
  }
  return f.mayHaveLeft
    ? new HttpRequestError('unknown-outcome', `the connection to ${ctx.venue} failed during ${what} (${describeCause(f.cause)}); it may have reached the venue`, details)
    : new HttpRequestError('unavailable', `cannot reach ${ctx.venue} (${what}): ${describeCause(f.cause)}`, details);
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
    return new HttpRequestError('rate-limit', `${ctx.venue} rate limit: ${said || 'too many requests'}`, { ...base, retryAfterMs });
  }
  if (status >= 500 && status <= 599) {
    const detail = said ? ` (${said})` : '';
    return ctx.idempotent
      ? new HttpRequestError('unavailable', `${ctx.venue} ${what} failed with HTTP ${status}${detail}`, base)
      : new HttpRequestError('unknown-outcome', `${ctx.venue} ${what} failed with HTTP ${status}${detail}; it may have been carried out`, base);
  }
  return undefined;
}

/** A 2xx whose body is not what the venue speaks: the request was served, the answer is lost. */
export function garbledReply(ctx: FailureContext, res: HttpResponse): HttpRequestError {
  return new HttpRequestError('unknown-outcome', `${ctx.venue} sent an unreadable reply to ${ctx.method} ${ctx.path} (HTTP ${res.status})`, {
    mayHaveLeft: true,
    venueCode: res.status,
    response: res,
  });
}
