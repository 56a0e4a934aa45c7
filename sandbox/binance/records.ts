// What tests assert on: every REST call, upload and WebSocket upgrade, and every frame a client
// sent. Never a secret: the listenToken, the listenKey and pre-signed URL tokens are redacted.
export { RecordLog } from '../util/recordLog';

export interface RequestRecord {
  readonly seq: number;
  /** Venue clock (ms) when the request arrived. */
  readonly time: number;
  readonly kind: 'rest' | 'upgrade' | 'upload' | 'media';
  readonly method: string;
  /** With a listenKey or upload id shortened to its last 6 characters. */
  readonly path: string;
  /** As received, but `token=` and `X-Amz-Signature=` values redacted (`signature=` is no secret). */
  readonly rawQuery: string;
  readonly apiKey: string | null;
  /** null when the check did not run (unsigned route, or rejected before it). */
  readonly signatureValid: boolean | null;
  readonly timestampValid: boolean | null;
  readonly clientType: string | null;
  readonly httpStatus: number;
  /** The `code` of a JSON reply (number or C2C string), else the HTTP status. */
  readonly responseCode: number | string;
}

export interface FrameRecord {
  readonly seq: number;
  readonly time: number;
  readonly socketId: number;
  readonly userId: string;
  /** The text frame exactly as received. */
  readonly raw: string;
  readonly type: string | null;
  readonly orderNo: string | null;
  readonly uuid: string | null;
  /** accepted (stored), error (ILLEGAL_PARAM answered), pong, ignored. */
  readonly outcome: 'accepted' | 'error' | 'pong' | 'ignored';
  /** Why an error was answered (the frame only says ILLEGAL_PARAM). */
  readonly reason: string | null;
}

/** Hides the secrets a URL may carry before it is recorded or logged. */
export function redactQuery(rawQuery: string): string {
  return rawQuery.replace(/(^|&)(token|X-Amz-Signature)=[^&]*/g, '$1$2=<redacted>');
}

export function redactChatPath(path: string): string {
  return path.replace(/^\/chat\/(.+)$/, (_m, key: string) => `/chat/…${key.slice(-6)}`);
}
