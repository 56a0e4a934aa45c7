// What tests assert on: every REST call, upload and WebSocket upgrade, and every frame a client
// sent. Never a secret: the listenToken, the listenKey and pre-signed URL tokens are redacted.
import type { RequestRecordBase } from '../util/recordLog';

/**
 * `path` has a listenKey or upload id shortened to its last 6 characters; `rawQuery` is as
 * received but with `token=` and `X-Amz-Signature=` values redacted (`signature=` is no secret).
 */
export interface RequestRecord extends RequestRecordBase {
  readonly kind: 'rest' | 'upgrade' | 'upload' | 'media';
  readonly clientType: string | null;
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
