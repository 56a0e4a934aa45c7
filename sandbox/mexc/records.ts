// What tests assert on: every REST call and WebSocket upgrade (never a secret), and every frame a
// client sent. Bounded so a long `npm start` session cannot grow without limit.

import type { RequestRecordBase } from '../util/recordLog';

/** `rawQuery` is the query string as received (may include `signature=`; that is not a secret). */
export interface RequestRecord extends RequestRecordBase {
  readonly kind: 'rest' | 'upgrade' | 'media';
  /** The `code` of a JSON reply, else the HTTP status. */
  readonly responseCode: number;
}

export interface FrameRecord {
  readonly seq: number;
  readonly time: number;
  readonly socketId: number;
  readonly conversationId: number;
  /** The text frame exactly as received. */
  readonly raw: string;
  readonly method: string | null;
  /** `params` decoded from its JSON string (or as sent, if it was not a string). */
  readonly params: unknown;
  /** What the server answered, if it answered. */
  readonly reply: { readonly success: boolean; readonly msg: string } | null;
}
