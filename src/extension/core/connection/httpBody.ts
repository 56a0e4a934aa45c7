// Request bodies and query strings as exact bytes. A venue's signer signs what these return and
// the HTTP client sends exactly that, so nothing re-serialises a body between signing and sending.
import { encodeMultipart, MultipartForm } from './multipart';

export type JsonBody = { readonly [key: string]: unknown } | readonly unknown[];

/** A string (sent as UTF-8), raw bytes, a multipart form, or a JSON value (serialised once). */
export type HttpBody = string | Uint8Array | MultipartForm | JsonBody;

export interface EncodedBody {
  readonly bytes: Buffer;
  /** The content type this encoding implies; a caller's own Content-Type wins except for multipart. */
  readonly contentType: string;
  /** True when the content type carries a boundary that must match the bytes. */
  readonly fixedContentType: boolean;
}

export function encodeBody(body: HttpBody): EncodedBody {
  if (typeof body === 'string') return { bytes: Buffer.from(body, 'utf8'), contentType: 'text/plain; charset=utf-8', fixedContentType: false };
  if (body instanceof Uint8Array) return { bytes: Buffer.from(body.buffer, body.byteOffset, body.byteLength), contentType: 'application/octet-stream', fixedContentType: false };
  if (body instanceof MultipartForm) {
    const { bytes, contentType } = encodeMultipart(body);
    return { bytes, contentType, fixedContentType: true };
  }
  return { bytes: Buffer.from(JSON.stringify(body), 'utf8'), contentType: 'application/json', fixedContentType: false };
}

export type QueryValue = string | number | boolean | undefined;

// RFC 3986 unreserved characters stay; everything else is percent-encoded with uppercase hex.
// encodeURIComponent leaves !'()* alone, which WHATWG URL handling would re-encode in places.
function encodeComponent(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `a=1&b=x%20y` in the given order; undefined values are left out. */
export function encodeQueryParams(params: Readonly<Record<string, QueryValue>>): string {
  return Object.entries(params)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(String(v))}`)
    .join('&');
}
