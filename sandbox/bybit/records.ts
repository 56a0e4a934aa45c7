// What tests assert on: every REST call, upload and media fetch. Never a secret: media tokens are
// redacted; the API key is no secret (it travels in a header) and the signature proves nothing alone.
export { RecordLog } from '../util/recordLog';

export interface RequestRecord {
  readonly seq: number;
  /** Venue clock (ms) when the request arrived. */
  readonly time: number;
  readonly kind: 'rest' | 'upload' | 'media';
  readonly method: string;
  readonly path: string;
  /** As received, `token=` redacted. */
  readonly rawQuery: string;
  readonly apiKey: string | null;
  /** null when the check did not run (unsigned route, or rejected before it). */
  readonly signatureValid: boolean | null;
  readonly timestampValid: boolean | null;
  readonly httpStatus: number;
  /** `ret_code` of an envelope reply, else the HTTP status. */
  readonly retCode: number;
  /** The JSON body as received (for sends: what was sent); null for uploads and media. */
  readonly body: unknown;
}

export function redactQuery(rawQuery: string): string {
  return rawQuery.replace(/(^|&)(token)=[^&]*/g, '$1$2=<redacted>');
}
