// What tests assert on: every REST call and WebSocket upgrade (never a secret), and every frame a
// client sent. Bounded so a long `npm start` session cannot grow without limit.

export interface RequestRecord {
  readonly seq: number;
  /** Venue clock (ms) when the request arrived. */
  readonly time: number;
  readonly kind: 'rest' | 'upgrade' | 'media';
  readonly method: string;
  readonly path: string;
  /** The query string as received (may include `signature=`; that is not a secret). */
  readonly rawQuery: string;
  readonly apiKey: string | null;
  /** null when the check did not run (unsigned route or rejected before it). */
  readonly signatureValid: boolean | null;
  readonly timestampValid: boolean | null;
  readonly httpStatus: number;
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

export { RecordLog } from '../util/recordLog';
