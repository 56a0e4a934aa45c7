// The error replies of the emulated MEXC gateway, in one place so the report, the tests and the
// client author read the same table. Codes tagged [DOC] come from MEXC's spot-v3 error list;
// the others are sandbox choices (MEXC documents none for these P2P cases).

export interface MexcErrorReply {
  readonly httpStatus: number;
  readonly body: { readonly code: number; readonly msg: string };
}

const reply = (httpStatus: number, code: number, msg: string): MexcErrorReply => ({ httpStatus, body: { code, msg } });

export const MexcErrors = {
  /** [DOC] X-MEXC-APIKEY header missing. */
  apiKeyRequired: reply(400, 400, 'api key required'),
  /** [DOC] Unknown api key. */
  apiKeyInvalid: reply(401, 10072, 'Api key info invalid'),
  /** [DOC] HTTP 429 on rate limit (20 req/s per key here). */
  tooManyRequests: reply(429, 429, 'Too many requests'),
  /** [DOC] */
  signatureInvalid: reply(400, 700002, 'Signature for this request is not valid.'),
  /** [DOC] Also used for a missing/invalid timestamp and a recvWindow above 60000. */
  timestampOutsideRecvWindow: reply(400, 700003, 'Timestamp for this request is outside of the recvWindow.'),
  /** Sandbox choice: PUT/DELETE of an unknown, expired or foreign listenKey. */
  listenKeyNotFound: reply(400, 730001, 'listenKey does not exist'),
  /** Sandbox choice: more than 60 live listen keys for one api key (spot rule). */
  listenKeyLimit: reply(400, 730003, 'listenKey limit reached'),
  /** Sandbox choice (MEXC's spot "Parameter error"): a malformed or missing parameter. */
  parameterError: reply(400, 33333, 'Parameter error'),
  /**
   * Sandbox choice: unknown order, or an order of another account. Answered with HTTP 200 and a
   * non-zero code, as the P2P endpoints wrap business errors in the `{code,msg}` envelope.
   */
  orderNotFound: reply(200, 10097, 'order not found'),
  notFound: reply(404, 404, 'Not Found'),
  methodNotAllowed: reply(405, 405, 'Method Not Allowed'),
  serviceUnavailable: reply(503, 503, 'Service Unavailable'),
} as const;

/** WebSocket upgrade refusals (plain HTTP answers to the handshake). */
export const UpgradeErrors = {
  /** listenKey unknown, expired or deleted. */
  listenKeyInvalid: reply(401, 401, 'listenKey invalid or expired'),
  /** conversationId missing or not a number. */
  badConversation: reply(400, 400, 'conversationId required'),
  /** The conversation does not belong to the listenKey's account. */
  conversationForbidden: reply(403, 403, 'No authority for this conversation'),
  /** Already maxConnectionsPerListenKey live sockets on this listenKey. */
  tooManyConnections: reply(429, 429, 'Too many connections for this listenKey'),
  /** Fault switch `rejectUpgrades`. */
  unavailable: reply(503, 503, 'Service Unavailable'),
  notFound: reply(404, 404, 'Not Found'),
} as const;
