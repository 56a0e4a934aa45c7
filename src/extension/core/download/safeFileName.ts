// A counterparty's file name as a default for the save dialog: it must name one file in the
// folder the user picks, look like what it is, and be accepted by Windows, macOS and Linux.
import type { Attachment } from '../../../shared/model';

/** Path separators and the characters Windows refuses in names. */
const UNSAFE = /[/\\<>:"|?*]/g;

/** C0 and C1 controls and DEL (by code, so no control character sits in a pattern). */
function withoutControls(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    out += code < 0x20 || (code >= 0x7f && code <= 0x9f) ? '_' : char;
  }
  return out;
}
/** Direction and zero-width characters that can disguise an extension ("invoice\u202Efdp.exe"). */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** Device names Windows reserves, with or without an extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/** Most file systems allow 255 bytes per name; UTF-8 names are cut well below that. */
const MAX_NAME_BYTES = 200;

export function safeFileName(name: string | undefined, fallback = 'attachment'): string {
  let cleaned = withoutControls((name ?? '').normalize('NFC').replace(INVISIBLE, '')).replace(UNSAFE, '_').trim();
  // Leading dots hide a file (or make ".."), trailing dots and spaces are dropped by Windows.
  cleaned = cleaned.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (!cleaned) cleaned = fallback;
  if (RESERVED.test(cleaned)) cleaned = `_${cleaned}`;
  return clipKeepingExtension(cleaned);
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function clipKeepingExtension(name: string): string {
  if (utf8Length(name) <= MAX_NAME_BYTES) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const stem = [...name.slice(0, name.length - ext.length)];
  while (stem.length > 1 && utf8Length(stem.join('') + ext) > MAX_NAME_BYTES) stem.pop();
  return stem.join('') + ext;
}

/** Extensions for nameless attachments of common types (a voice note, a photo). */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': '.png', 'image/jpeg': '.jpg', 'image/gif': '.gif', 'image/webp': '.webp', 'video/mp4': '.mp4', 'video/quicktime': '.mov', 'audio/ogg': '.ogg',
  'audio/mpeg': '.mp3', 'audio/mp4': '.m4a', 'application/pdf': '.pdf', 'text/plain': '.txt', 'application/zip': '.zip',
};

/** The save dialog's proposed name: the attachment's own name made safe, else its kind and type ("image.png"). */
export function defaultFileName(attachment: Pick<Attachment, 'name' | 'kind' | 'mimeType'>): string {
  const mime = attachment.mimeType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return safeFileName(attachment.name, `${attachment.kind}${EXTENSIONS[mime] ?? ''}`);
}
