// `POST /uploads/media` as the gateway runs it: the first file part of a multipart body (whatever
// its field name: the server reads `request.file()`), its MIME checked against the whitelist (or an
// image/, video/, audio/ prefix), 16 MB for media and 20 MB for documents (the multipart plugin
// caps every file at 20 MB with a 413 first). Stored under `media/<uuid>.<ext>` with the extension
// derived from the MIME, and served without credentials at `/api/v1/uploads/file/media/<name>`
// with the headers that stop a browser executing it.
import type { MediaFile } from '../util/media';

export const MAX_MULTIPART_BYTES = 20 * 1024 * 1024;
const MB = 1024 * 1024;
const MAX_SIZES: Readonly<Record<Category, number>> = { image: 16 * MB, video: 16 * MB, audio: 16 * MB, document: 20 * MB };

type Category = 'image' | 'video' | 'audio' | 'document';

const ALLOWED: Readonly<Record<Category, readonly string[]>> = {
  image: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'],
  video: ['video/mp4', 'video/quicktime', 'video/webm'],
  audio: ['audio/mpeg', 'audio/ogg', 'audio/wav', 'audio/webm'],
  document: [
    'application/pdf', 'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-powerpoint',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'text/plain', 'application/zip',
  ],
};

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'video/mp4': 'mp4', 'video/quicktime': 'mov',
  'video/webm': 'webm', 'audio/mpeg': 'mp3', 'audio/ogg': 'ogg', 'audio/wav': 'wav', 'audio/webm': 'weba', 'application/pdf': 'pdf',
};

/** Types the file route echoes back; anything else is served as application/octet-stream. */
const SERVED_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm',
  mp3: 'audio/mpeg', ogg: 'audio/ogg', wav: 'audio/wav', weba: 'audio/webm', pdf: 'application/pdf',
};

export function categoryOf(mime: string): Category | undefined {
  for (const [category, list] of Object.entries(ALLOWED) as [Category, readonly string[]][]) if (list.includes(mime)) return category;
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return undefined;
}

export function extensionForMime(mime: string): string {
  return EXTENSIONS[mime.split(';')[0]!.trim().toLowerCase()] ?? 'bin';
}

export const fileTypeOf = (mime: string): 'IMAGE' | 'VIDEO' | 'AUDIO' | 'DOCUMENT' =>
  mime.startsWith('image/') ? 'IMAGE' : mime.startsWith('video/') ? 'VIDEO' : mime.startsWith('audio/') ? 'AUDIO' : 'DOCUMENT';

export type UploadVerdict = { readonly ok: true; readonly category: Category } | { readonly ok: false; readonly message: string };

export function checkUpload(mime: string, size: number): UploadVerdict {
  const category = categoryOf(mime);
  if (!category) return { ok: false, message: `Unsupported file type: ${mime}. Allowed: images, videos, audio, documents` };
  if (size > MAX_SIZES[category]) return { ok: false, message: `File too large. Max size for ${category}: ${MAX_SIZES[category] / MB}MB` };
  return { ok: true, category };
}

export const FILE_ROUTE_PREFIX = '/api/v1/uploads/file/';
const NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[a-z0-9]{1,5}$/;

export interface StoredUpload {
  readonly key: string;
  readonly file: MediaFile;
  readonly filename: string;
}

export class UploadStore {
  private readonly files = new Map<string, StoredUpload>();

  put(uuid: string, mime: string, body: Buffer, filename: string): StoredUpload {
    const key = `media/${uuid}.${extensionForMime(mime)}`;
    const stored = { key, file: { contentType: mime, body }, filename };
    this.files.set(key, stored);
    return stored;
  }

  /** The file at `/api/v1/uploads/file/<folder>/<name>`, if the shape is allowed and it exists. */
  serve(path: string): { readonly contentType: string; readonly body: Buffer; readonly name: string } | undefined {
    const rest = path.slice(FILE_ROUTE_PREFIX.length).split('/');
    if (rest.length !== 2 || rest[0] !== 'media' || !NAME.test(rest[1]!)) return undefined;
    const stored = this.files.get(`media/${rest[1]}`);
    if (!stored) return undefined;
    const ext = rest[1]!.split('.').pop()!;
    return { contentType: SERVED_TYPES[ext] ?? 'application/octet-stream', body: stored.file.body, name: rest[1]! };
  }

  byUrl(url: string): StoredUpload | undefined {
    const at = url.indexOf(FILE_ROUTE_PREFIX);
    return at < 0 ? undefined : this.files.get(url.slice(at + FILE_ROUTE_PREFIX.length));
  }

  get size(): number {
    return this.files.size;
  }

  clear(): void {
    this.files.clear();
  }
}
