// multipart/form-data built as bytes by us, not by a form library: some venues sign the entire
// multipart body (Bybit's upload), so the signer must see exactly the bytes that go out.
import { randomBytes } from 'node:crypto';

export interface MultipartField {
  readonly name: string;
  readonly value: string;
}

export interface MultipartFile {
  readonly name: string;
  readonly filename: string;
  readonly contentType: string;
  readonly data: Uint8Array;
}

export type MultipartPart = MultipartField | MultipartFile;

/** A form to send as a request body; the HTTP client encodes it (see `encodeMultipart`). */
export class MultipartForm {
  constructor(readonly parts: readonly MultipartPart[]) {}
}

export interface EncodedMultipart {
  readonly bytes: Buffer;
  readonly contentType: string;
}

const CRLF = '\r\n';

// Names and file names are escaped the way browsers do it (WHATWG HTML, "multipart/form-data
// encoding algorithm"): a quote or a line break would otherwise end the header early.
function escapeName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function isFile(part: MultipartPart): part is MultipartFile {
  return 'data' in part;
}

/** The part's content as a Buffer view (no copy of file data). */
function contentOf(part: MultipartPart): Buffer {
  return isFile(part) ? Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength) : Buffer.from(part.value, 'utf8');
}

function partHeader(part: MultipartPart): string {
  if (!isFile(part)) return `Content-Disposition: form-data; name="${escapeName(part.name)}"${CRLF}${CRLF}`;
  if (/[\r\n]/.test(part.contentType)) throw new Error('a multipart content type must be one line');
  return `Content-Disposition: form-data; name="${escapeName(part.name)}"; filename="${escapeName(part.filename)}"${CRLF}Content-Type: ${part.contentType}${CRLF}${CRLF}`;
}

function encodeWith(form: MultipartForm, boundary: string): Buffer {
  const chunks: Buffer[] = [];
  for (const part of form.parts) {
    chunks.push(Buffer.from(`--${boundary}${CRLF}${partHeader(part)}`, 'utf8'));
    chunks.push(contentOf(part));
    chunks.push(Buffer.from(CRLF, 'ascii'));
  }
  chunks.push(Buffer.from(`--${boundary}--${CRLF}`, 'ascii'));
  return Buffer.concat(chunks);
}

/** Encodes the form; the boundary is random and never occurs inside a part. */
export function encodeMultipart(form: MultipartForm, boundary?: string): EncodedMultipart {
  for (;;) {
    const b = boundary ?? `----VenueChatBoundary${randomBytes(12).toString('hex')}`;
    const clash = form.parts.some((p) => contentOf(p).includes(b));
    if (clash) {
      if (boundary !== undefined) throw new Error('the multipart boundary occurs inside a part');
      continue;
    }
    return { bytes: encodeWith(form, b), contentType: `multipart/form-data; boundary=${b}` };
  }
}
