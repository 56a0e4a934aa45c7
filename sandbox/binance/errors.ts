// The error replies of the emulated Binance gateway and C2C service, in one place so the README,
// the tests and the client author read the same table. Gateway errors are Binance's documented
// numeric codes with their documented messages; C2C business errors use the C2C envelope
// (`code` a string, `success: false`) and are sandbox choices where Binance documents none.

export interface BinanceErrorReply {
  readonly httpStatus: number;
  readonly body: Readonly<Record<string, unknown>>;
  /** Extra response headers (Retry-After on 429). */
  readonly headers?: Readonly<Record<string, string>>;
}

const gateway = (httpStatus: number, code: number, msg: string, headers?: Record<string, string>): BinanceErrorReply => ({
  httpStatus, body: { code, msg }, ...(headers ? { headers } : {}),
});

/** C2C envelope for a business error: HTTP 200 unless stated, string code, `success: false`. */
export const c2cError = (code: string, message: string, httpStatus = 200, headers?: Record<string, string>): BinanceErrorReply => ({
  httpStatus, body: { code, message, data: null, success: false }, ...(headers ? { headers } : {}),
});

export const BinanceErrors = {
  /** [DOC] X-MBX-APIKEY header missing or empty. */
  apiKeyFormat: gateway(400, -2014, 'API-key format invalid.'),
  /** [DOC] Unknown key, or a key without the permission for this route (C2C off). */
  rejectedKey: gateway(401, -2015, 'Invalid API-key, IP, or permissions for action.'),
  /** [DOC] */
  signatureInvalid: gateway(400, -1022, 'Signature for this request is not valid.'),
  /** [DOC] Also answered for a missing timestamp and a recvWindow above 60000. */
  timestampOutside: gateway(400, -1021, 'Timestamp for this request is outside of the recvWindow.'),
  /** [DOC] Too many requests for this key (or the `http429` fault); Retry-After in seconds. */
  tooManyRequests: (retryAfterSeconds: number, perMinute: number): BinanceErrorReply =>
    gateway(429, -1003, `Too many requests; current limit is ${perMinute} requests per minute.`, { 'Retry-After': String(retryAfterSeconds) }),
  /** [DOC] Binance's generic internal error (the `http5xx` fault): the outcome is unknown to the client. */
  internal: gateway(503, -1001, 'Internal error; unable to process your request. Please try again.'),
  /** [DOC] A mandatory parameter is absent. */
  mandatory: (name: string): BinanceErrorReply => gateway(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  /** [DOC] A parameter has a value the endpoint does not take (rows > 100, a span > 30 days, ...). */
  invalidValue: (name: string): BinanceErrorReply => gateway(400, -1130, `Data sent for parameter '${name}' is not valid.`),
  /** [DOC] Unknown path. */
  notFound: gateway(404, -1000, 'Not Found'),
  methodNotAllowed: gateway(405, -1000, 'Method Not Allowed'),
  /** Sandbox choice: the order does not exist or is not the caller's. */
  orderNotFound: c2cError('83229', 'Order does not exist.'),
  /** [DOC 36 a minute per user] Sandbox choice of shape: HTTP 429 with Retry-After in the C2C envelope. */
  imageRateLimit: (retryAfterSeconds: number): BinanceErrorReply =>
    c2cError('83050', 'Too many image upload requests, limited to 36 per minute.', 429, { 'Retry-After': String(retryAfterSeconds) }),
} as const;

/** Refusals of the chat WebSocket handshake (plain HTTP answers, JSON bodies). */
export const UpgradeErrors = {
  /** Token unknown, already used, expired, or not this listenKey's; or the `rejectUpgrades` fault. */
  tokenRejected: gateway(401, 401, 'Unauthorized: invalid or used token'),
  /** Path is not `/chat/<listenKey>` with a known listenKey. */
  unknownListenKey: gateway(401, 401, 'Unauthorized: unknown listenKey'),
  notFound: gateway(404, 404, 'Not Found'),
} as const;
