// The replies of the emulated Bybit gateway and P2P service, in one place so the README, the tests
// and the client author read the same table. Business and auth errors are HTTP 200 with a non-zero
// `ret_code` in the P2P envelope; only the gateway's own refusals (wrong environment, region block,
// 429, 5xx) are HTTP errors, and those bodies are not the envelope.

export interface BybitReply {
  readonly httpStatus: number;
  /** JSON body, or raw text for gateway refusals. */
  readonly body: unknown;
  readonly text?: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** `time_now` as Bybit writes it: seconds with six decimals. */
export function timeNow(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000`;
}

/** The P2P envelope. */
export function envelope(now: number, retCode: number, retMsg: string, result: unknown): Record<string, unknown> {
  return { ret_code: retCode, ret_msg: retMsg, result, ext_code: '', ext_info: {}, time_now: timeNow(now) };
}

export interface BybitError {
  readonly code: number;
  readonly msg: string;
}

export const BybitErrors = {
  /** [DOC] A parameter is missing or malformed. */
  params: (detail: string): BybitError => ({ code: 10001, msg: `params error: ${detail}` }),
  /** [DOC] Timestamp outside [server - recvWindow, server + 1000). */
  timestamp: (ts: string, server: number, recvWindow: string): BybitError => ({
    code: 10002, msg: `invalid request, please check your server timestamp or recv_window param. req_timestamp[${ts}],server_timestamp[${server}],recv_window[${recvWindow}]`,
  }),
  /** [DOC] Unknown (or missing) API key. */
  apiKey: { code: 10003, msg: 'API key is invalid.' },
  /** [DOC] Signature mismatch (or missing). */
  sign: { code: 10004, msg: 'Error sign, please check your signature generation algorithm.' },
  /** [DOC] Per-user rate limit. */
  rateLimit: { code: 10006, msg: 'Too many visits. Exceeded the API Rate Limit.' },
  /** Sandbox choice of code: the order does not exist or is not the caller's. */
  orderNotFound: { code: 912100002, msg: 'order not exist' },
  /** [OBS] The order-scoped chat API is switched off for the account. */
  legacyClosed: { code: 912200387, msg: 'chat open api close, pls chat with new open api' },
  /** [OBS] Session list page size above the cap. */
  pageSize: { code: 913100009, msg: 'page size error' },
  /** Sandbox choice of code: unknown userMaskId or sessionId. */
  sessionNotFound: { code: 913100001, msg: 'session not exist' },
} as const;

export const gatewayReplies = {
  /** A key of the other environment (testnet key on mainnet): HTTP 401, no envelope. */
  wrongEnvironment: { httpStatus: 401, body: null, text: '401 Unauthorized', contentType: 'text/plain' },
  /** A blocked region (US, mainland China): CloudFront answers HTTP 403 with an HTML page. */
  geoBlocked: {
    httpStatus: 403, body: null, contentType: 'text/html',
    text: '<html><head><title>403 Forbidden</title></head><body><h1>403 ERROR</h1><p>The Amazon CloudFront distribution is configured to block access from your country.</p></body></html>',
  },
  tooManyRequests: { httpStatus: 429, body: null, text: '429 Too Many Requests', contentType: 'text/plain' },
  badGateway: { httpStatus: 502, body: null, text: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' },
  notFound: { httpStatus: 404, body: null, text: '404 page not found', contentType: 'text/plain' },
} as const satisfies Record<string, BybitReply>;
