// The one HTTP client for venue REST calls (docs/architecture.md, Connections). axios does the
// HTTP; this adds what every venue needs and none should re-invent:
// - a signing hook that sees the exact query and body bytes that go out (nothing re-serialises
//   after signing, and the request target is sent byte for byte, not re-encoded by URL parsing);
// - failures classified by whether the request may have left (see httpFailure.ts);
// - a token bucket per endpoint that a 429 / Retry-After penalises, with the wait capped;
// - upload progress, cancellation, and one deadline per request;
// - its own connection pool, closed by dispose().
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import axios, { type AxiosInstance } from 'axios';
import { systemClock, type Clock } from '../clock';
import type { Disposable } from '../event';
import { silentLogger, type Logger } from '../logger';
import { encodeBody, encodeQueryParams, type HttpBody, type QueryValue } from './httpBody';
import { HttpRequestError, transportFailure, type FailureContext, type HttpResponse } from './httpFailure';
import { replyFailure, replyOf } from './httpReply';
import { DEFAULT_RETRY_AFTER_CAP_MS } from './retryAfter';
import { SendTracker } from './sendTracker';
import { TokenBucket } from './tokenBucket';
import * as l10n from '@vscode/l10n';

export type { HttpResponse } from './httpFailure';
export { HttpRequestError } from './httpFailure';

export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a venue's signer sees: the request exactly as it will be sent. */
export interface SignInput {
  readonly method: HttpMethod;
  /** The path as the server sees it (a base URL's path prefix included), without the query. */
  readonly path: string;
  /** The query string exactly as it would be sent, without '?' ('' when none). */
  readonly query: string;
  /** The body bytes exactly as they will be sent (empty when none). */
  readonly body: Buffer;
  /** UTC ms, taken after any rate-limit wait so the signature is fresh. */
  readonly timestamp: number;
}

export interface SignOutput {
  /** Headers to add (API key, signature, timestamp, ...). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The query string to send instead of `SignInput.query`, exactly (e.g. with `&signature=` appended). */
  readonly query?: string;
}

export type RequestSigner = (req: SignInput) => SignOutput | Promise<SignOutput>;

export interface BucketLimit {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

export interface HttpClientOptions {
  /** Origin plus an optional path prefix, e.g. `https://api.mexc.com` or `http://127.0.0.1:8080/gw`. */
  readonly baseUrl: string;
  /** The venue's name as users know it, for error messages ("cannot reach MEXC ..."). */
  readonly venue: string;
  readonly sign?: RequestSigner;
  /** Sent with every request (a request's own headers win). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Deadline for one request, from the first byte of connecting to the last byte of the reply. Default 10 s. */
  readonly timeoutMs?: number;
  /** Longest wait a Retry-After can impose. Default 5 min. */
  readonly retryAfterCapMs?: number;
  /** Wait after a 429 without a readable Retry-After. Default 1 s. */
  readonly defaultRetryAfterMs?: number;
  /** The bucket for requests without an `endpoint` of their own. Default 10 requests/s. */
  readonly rateLimit?: BucketLimit;
  /** Buckets for endpoints with limits of their own, by `HttpRequest.endpoint`. */
  readonly endpointLimits?: Readonly<Record<string, BucketLimit>>;
  /** A request that would wait longer than this for its bucket fails as `rate-limit` at once. Default 10 s. */
  readonly maxQueueWaitMs?: number;
  /** Replies larger than this fail (as unknown outcome). Default 16 MiB. */
  readonly maxResponseBytes?: number;
  /** Pulls the venue's own message out of an error reply, for messages of core-classified failures. */
  readonly errorDetail?: (res: HttpResponse) => string | undefined;
  /** An extra trusted CA certificate, PEM, on top of the built-in roots (a self-hosted gateway with its own CA). */
  readonly ca?: string | Buffer;
  /** Host name resolution (defaults to the system resolver). */
  readonly lookup?: LookupFunction;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface HttpRequest {
  readonly method: HttpMethod;
  /** Path under the base URL (starting with '/'), or an absolute http(s) URL (pre-signed upload targets). */
  readonly path: string;
  /** Sent exactly as given when a string; params are encoded in order (RFC 3986). */
  readonly query?: string | Readonly<Record<string, QueryValue>>;
  readonly body?: HttpBody;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Repeating the request does no harm (a read, a keep-alive). Decides what a 5xx means: unknown
   * outcome for a non-idempotent request. Default: true for GET, HEAD and OPTIONS only.
   */
  readonly idempotent?: boolean;
  /** Run the client's signer (default true when it has one); false for e.g. a pre-signed URL. */
  readonly signed?: boolean;
  /** Which rate-limit bucket to use (see `HttpClientOptions.endpointLimits`). */
  readonly endpoint?: string;
  /** A 2xx reply must be JSON (default true, except for HEAD); when it is not, the outcome is unknown. */
  readonly expectJson?: boolean;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Bytes of the body handed to the connection so far; the last call is (total, total). */
  readonly onUploadProgress?: (sent: number, total: number) => void;
}

const DEFAULT_LIMIT: BucketLimit = { capacity: 10, refillPerSecond: 10 };
const UPLOAD_CHUNK = 64 * 1024;
// Printable ASCII only: anything else must be percent-encoded by the caller before signing, since
// Node would send it as latin1 and a URL parser would re-encode it, either way not what was signed.
const REQUEST_TARGET = /^[\x21-\x7e]*$/;
const ABSOLUTE_URL = /^(https?:\/\/[^/?#]+)([^?#]*)(?:\?([^#]*))?/i;

interface Target {
  readonly origin: string;
  readonly path: string;
  readonly query: string;
}

export class HttpClient implements Disposable {
  private readonly axios: AxiosInstance;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly defaultBucket: TokenBucket;
  private readonly disposal = new AbortController();

  constructor(private readonly options: HttpClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    const base = new URL(options.baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error(`not an http(s) base URL: ${options.baseUrl}`);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    const limit = options.rateLimit ?? DEFAULT_LIMIT;
    this.defaultBucket = new TokenBucket(limit.capacity, limit.refillPerSecond, this.clock);
    for (const [name, l] of Object.entries(options.endpointLimits ?? {})) this.buckets.set(name, new TokenBucket(l.capacity, l.refillPerSecond, this.clock));
    // Keep-alive saves a TLS handshake per poll; idle sockets close after 15 s, below the idle
    // timeouts of common servers and load balancers, so a reused socket is rarely one the server
    // is closing at that moment.
    this.httpAgent = new http.Agent({ keepAlive: true, timeout: 15_000, maxSockets: 8 });
    // Node's `ca` replaces the built-in roots; an extra CA must come on top of them.
    const ca = options.ca === undefined ? undefined : [...rootCertificates, options.ca.toString()];
    this.httpsAgent = new https.Agent({ keepAlive: true, timeout: 15_000, maxSockets: 8, ca });
    this.axios = axios.create({
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      proxy: false,
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'arraybuffer',
      // Bodies are bytes already; axios must not touch them either way.
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
      maxContentLength: options.maxResponseBytes ?? 16 * 1024 * 1024,
      maxBodyLength: -1,
      decompress: true,
    });
  }

  /** Sends one request. Resolves with any status the core does not classify itself; throws HttpRequestError. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const target = this.resolve(req);
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS');
    const ctx: FailureContext = { venue: this.options.venue, method: req.method, path: target.path, idempotent };
    const notSent = (kind: 'unavailable' | 'rate-limit' | 'rejected', message: string, extra: { aborted?: boolean; retryAfterMs?: number; cause?: unknown } = {}) =>
      new HttpRequestError(kind, message, { mayHaveLeft: false, ...extra });

    if (this.disposal.signal.aborted) throw notSent('unavailable', l10n.t('{0} {1} {2}: the client is closed', ctx.venue, req.method, target.path), { aborted: true });
    const body = req.body === undefined ? undefined : encodeBody(req.body);
    const bodyBytes = body?.bytes ?? Buffer.alloc(0);

    const bucket = this.bucketFor(req.endpoint);
    const wait = bucket.waitTime();
    const maxWait = this.options.maxQueueWaitMs ?? 10_000;
    if (wait > maxWait) throw notSent('rate-limit', l10n.t('{0} rate limit: waiting {1} s before {2} {3}', ctx.venue, Math.ceil(wait / 1000), req.method, target.path), { retryAfterMs: wait });
    try {
      await bucket.take(anySignal([req.signal, this.disposal.signal]));
    } catch (err) {
      throw notSent('unavailable', l10n.t('{0} {1} {2} was cancelled', ctx.venue, req.method, target.path), { aborted: true, cause: err });
    }

    let query = target.query;
    const headers: Record<string, string> = { ...this.options.headers, ...req.headers };
    if (body) {
      const own = Object.keys(headers).find((h) => h.toLowerCase() === 'content-type');
      if (own === undefined || body.fixedContentType) {
        if (own !== undefined) delete headers[own];
        headers['Content-Type'] = body.contentType;
      }
    }
    if (this.options.sign && req.signed !== false) {
      const signed = await this.options.sign({ method: req.method, path: target.path, query, body: bodyBytes, timestamp: this.clock.now() });
      if (signed.query !== undefined) query = signed.query;
      Object.assign(headers, signed.headers);
    }
    const requestTarget = query ? `${target.path}?${query}` : target.path;
    if (!REQUEST_TARGET.test(requestTarget)) throw notSent('rejected', l10n.t('{0} {1} {2}: the request target must be percent-encoded', ctx.venue, req.method, target.path));

    return this.send(req, ctx, target.origin, requestTarget, headers, bodyBytes, bucket);
  }

  private async send(req: HttpRequest, ctx: FailureContext, origin: string, requestTarget: string, headers: Record<string, string>, bytes: Buffer, bucket: TokenBucket): Promise<HttpResponse> {
    const tracker = new SendTracker();
    const controller = new AbortController();
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs ?? 10_000;
    let timedOut = false;
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      controller.abort();
    };
    const cancelSignals = [req.signal, this.disposal.signal].filter((s): s is AbortSignal => s !== undefined);
    for (const s of cancelSignals) s.addEventListener('abort', onAbort, { once: true });
    const deadline = this.clock.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    if (cancelSignals.some((s) => s.aborted)) onAbort();

    const progress = req.onUploadProgress;
    let data: Buffer | Readable | undefined = bytes.length > 0 ? bytes : undefined;
    if (progress && bytes.length > 0) {
      // A stream so progress follows the bytes the connection takes; axios then sends no length.
      data = Readable.from(uploadChunks(bytes, progress));
      headers['Content-Length'] = String(bytes.length);
    }
    const transport = {
      request: (options: http.RequestOptions, onResponse: (res: http.IncomingMessage) => void): http.ClientRequest => {
        // Send the target exactly as signed; axios's URL parsing may re-encode characters.
        const exact: http.RequestOptions = { ...options, path: requestTarget, lookup: this.options.lookup ?? options.lookup };
        const r = options.protocol === 'https:' ? https.request(exact, onResponse) : http.request(exact, onResponse);
        tracker.watch(r);
        if (progress && bytes.length > 0) r.once('finish', () => progress(bytes.length, bytes.length));
        return r;
      },
    };

    let res: HttpResponse;
    try {
      const reply = await this.axios.request<Buffer>({
        url: origin + requestTarget,
        method: req.method,
        headers,
        data,
        signal: controller.signal,
        transport,
      });
      res = replyOf(reply.status, flattenHeaders(reply.headers), Buffer.isBuffer(reply.data) ? reply.data : Buffer.from(reply.data ?? ''));
    } catch (err) {
      const failure = transportFailure(ctx, { mayHaveLeft: tracker.mayHaveLeft, timedOut: timedOut && !aborted, timeoutMs, aborted, cause: plainCause(err) });
      this.logger.debug(`${ctx.venue} ${req.method} ${ctx.path} failed: ${failure.kind} (${failure.message})`);
      throw failure;
    } finally {
      deadline.dispose();
      for (const s of cancelSignals) s.removeEventListener('abort', onAbort);
    }

    this.logger.debug(`${ctx.venue} ${req.method} ${ctx.path} -> HTTP ${res.status}`);
    const policy = {
      now: this.clock.now(),
      retryAfterCapMs: this.options.retryAfterCapMs ?? DEFAULT_RETRY_AFTER_CAP_MS,
      defaultRetryAfterMs: this.options.defaultRetryAfterMs ?? 1000,
      detail: this.options.errorDetail?.(res),
    };
    const failure = replyFailure(ctx, res, policy, req.expectJson ?? req.method !== 'HEAD');
    if (failure) {
      if (failure.kind === 'rate-limit' && failure.retryAfterMs !== undefined) bucket.penalise(failure.retryAfterMs);
      throw failure;
    }
    return res;
  }

  /** Closes pooled connections and cancels requests in flight (they fail as aborted). */
  dispose(): void {
    this.disposal.abort();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private bucketFor(endpoint: string | undefined): TokenBucket {
    return (endpoint !== undefined ? this.buckets.get(endpoint) : undefined) ?? this.defaultBucket;
  }

  private resolve(req: HttpRequest): Target {
    const abs = ABSOLUTE_URL.exec(req.path);
    let target: Target;
    if (abs) {
      target = { origin: new URL(abs[1]!).origin, path: abs[2] || '/', query: abs[3] ?? '' };
    } else {
      if (!req.path.startsWith('/')) throw new Error(`a request path starts with '/': ${req.path}`);
      const q = req.path.indexOf('?');
      target = q < 0 ? { origin: this.origin, path: this.basePath + req.path, query: '' } : { origin: this.origin, path: this.basePath + req.path.slice(0, q), query: req.path.slice(q + 1) };
    }
    if (req.query === undefined) return target;
    if (target.query) throw new Error('give the query either in the path or as `query`, not both');
    return { ...target, query: typeof req.query === 'string' ? req.query : encodeQueryParams(req.query) };
  }
}

/** Body chunks for a streamed upload; progress is reported as the connection asks for more. */
function* uploadChunks(bytes: Buffer, progress: (sent: number, total: number) => void): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += UPLOAD_CHUNK) {
    const end = Math.min(bytes.length, offset + UPLOAD_CHUNK);
    yield bytes.subarray(offset, end);
    // The last chunk is reported when the request has finished writing (the 'finish' event).
    if (end < bytes.length) progress(end, bytes.length);
  }
}

/**
 * The underlying error's code and message only: an axios error holds the request (sockets, and a
 * URL whose query may carry a signature or a listen key), which must not travel with the error.
 */
function plainCause(err: unknown): Error {
  const source = err instanceof Error ? err : new Error(String(err));
  const code = (source as { code?: unknown }).code;
  return Object.assign(new Error(source.message), typeof code === 'string' ? { code } : {});
}

function anySignal(signals: readonly (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
}

function flattenHeaders(headers: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  }
  return out;
}
