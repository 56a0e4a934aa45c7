// What the MultiWA emulator records of each REST call and realtime handshake (never a secret: API
// keys and tokens appear only as their last 6 characters).

export const REQUEST_KINDS = ['rest', 'auth', 'upload', 'media', 'socket.io', 'ws'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export interface RequestRecord {
  readonly seq: number;
  /** Venue clock (ms) when the request arrived. */
  readonly time: number;
  readonly kind: RequestKind;
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  /** How the caller authenticated (null: no credential accepted or none needed). */
  readonly auth: 'apiKey' | 'jwt' | null;
  /** Last 6 characters of the key or token presented. */
  readonly credentialTail: string | null;
  /** 0 when the reply was lost on purpose (loseReplies). */
  readonly httpStatus: number;
}

export function redactQuery(rawQuery: string): string {
  return rawQuery.replace(/((?:apiKey|token)=)([^&]*)/g, (_m, name: string, value: string) => `${name}…${value.slice(-6)}`);
}
