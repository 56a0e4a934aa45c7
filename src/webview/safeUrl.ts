// The only gate through which a counterparty-supplied URL reaches an element or the host:
// http(s) only, parseable, and no longer than the host accepts (protocol.ts `httpUrl`); the one
// exception is a venue's inline thumbnail picture (parseInlineImage), shown, never opened.
import { MAX_FIELD_LENGTH } from '../shared/messageLimits';

export const MAX_URL_LENGTH = 2048;

/** Returns the parsed URL when `raw` is an absolute http(s) URL the pane may show or open. */
export function parseHttpUrl(raw: unknown): URL | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) return undefined;
  // Checked on the raw text too: the URL parser silently strips tabs/newlines and leading spaces,
  // which would otherwise let " javascript:" or "java\nscript:" look different after parsing.
  if (!/^https?:\/\/[^\s]/i.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.hostname === '') return undefined;
  if (url.href.length > MAX_URL_LENGTH) return undefined;
  return url;
}

/**
 * A thumbnail a venue sends inline (Mixin's `thumbnail`): base64 PNG, JPEG, GIF or WebP bytes only.
 * Raster pictures in an <img> run nothing; SVG and every other type stay out. The length is the
 * stored field's cap (messageLimits.ts MAX_FIELD_LENGTH). Returned as the same string, checked.
 */
const INLINE_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

export function parseInlineImage(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_FIELD_LENGTH) return undefined;
  return INLINE_IMAGE.test(raw) ? raw : undefined;
}
