// What the Mixin emulator records of each HTTP request, Blaze handshake and Blaze frame (never a
// token: only the claims' uid, sid and jti, and whether they verified).

export const REQUEST_KINDS = ['rest', 'upload', 'view', 'blaze'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export interface RequestRecord {
  readonly seq: number;
  /** Venue clock (ms) when the request arrived. */
  readonly time: number;
  readonly kind: RequestKind;
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly requestId: string | null;
  /** The token's verdict: 'ok', the reason it failed, or null where none is needed. */
  readonly auth: string | null;
  readonly jti: string | null;
  /** HTTP status sent (101 for an accepted handshake). */
  readonly httpStatus: number;
  /** Mixin's error code when the reply was an error envelope. */
  readonly errorCode: number | null;
}

export interface FrameRecord {
  readonly seq: number;
  readonly time: number;
  readonly socket: number;
  readonly direction: 'in' | 'out';
  readonly action: string;
  readonly id: string;
  readonly errorCode: number | null;
}
