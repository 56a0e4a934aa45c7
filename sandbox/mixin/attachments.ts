// Attachment storage the way Mixin fronts S3: POST /attachments hands out a pre-signed PUT URL and
// a pre-signed view URL (both HMAC-signed with an expiry); the upload and view routes check them
// and answer S3's XML errors.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export type UrlVerb = 'PUT' | 'GET';

export class UrlSigner {
  constructor(private readonly secret: string) {}

  sign(verb: UrlVerb, id: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${verb}\n${id}\n${expires}`).digest('hex');
  }

  /** `?sig=&expires=` for `verb` on `id`, valid until `expires` (ms). */
  query(verb: UrlVerb, id: string, expires: number): string {
    return `sig=${this.sign(verb, id, expires)}&expires=${expires}`;
  }

  /** null when the query carries a valid, unexpired signature; otherwise S3's error code. */
  check(verb: UrlVerb, id: string, query: URLSearchParams, now: number): 'AccessDenied' | 'SignatureDoesNotMatch' | 'ExpiredToken' | null {
    const sig = query.get('sig');
    const expiresText = query.get('expires');
    if (!sig || !expiresText || !/^\d{1,15}$/.test(expiresText)) return 'AccessDenied';
    const expected = Buffer.from(this.sign(verb, id, Number(expiresText)), 'utf8');
    const given = Buffer.from(sig, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'SignatureDoesNotMatch';
    if (Number(expiresText) < now) return 'ExpiredToken';
    return null;
  }
}

export function sendS3Error(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
