// Files on Bybit's object store: what `/v5/p2p/oss/upload_file` took, what the counterparty sent
// and what the seed put in chats. Each is served at a RELATIVE url
// `/fiat/p2p/oss/showObj/otc/9001/<name>?e=<expiry epoch s>&token=<…>`, only with its token and
// only until its expiry (then 404), as the venue's links behave.
import type { MediaFile } from '../util/media';
import type { Random } from '../util/random';
import type { ContentType } from './store';

export const SHOW_OBJ_PREFIX = '/fiat/p2p/oss/showObj/otc/9001/';

/** The whitelist of upload_file, by extension: served type and message content type. */
export const UPLOAD_TYPES: Readonly<Record<string, { readonly mime: string; readonly contentType: ContentType; readonly type: string }>> = {
  jpg: { mime: 'image/jpeg', contentType: 'pic', type: 'IMAGE' },
  jpeg: { mime: 'image/jpeg', contentType: 'pic', type: 'IMAGE' },
  png: { mime: 'image/png', contentType: 'pic', type: 'IMAGE' },
  pdf: { mime: 'application/pdf', contentType: 'pdf', type: 'PDF' },
  mp4: { mime: 'video/mp4', contentType: 'video', type: 'VIDEO' },
};

export interface StoredObject {
  readonly name: string;
  readonly token: string;
  expiresAt: number;
  readonly file: MediaFile;
  /** The file name the uploader gave. */
  readonly fileName: string;
  readonly url: string;
}

export function extensionOf(fileName: string): string | undefined {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(fileName);
  const ext = m?.[1]?.toLowerCase();
  return ext !== undefined && ext in UPLOAD_TYPES ? ext : undefined;
}

export class ObjectStore {
  private readonly objects = new Map<string, StoredObject>();

  /** Stores a file under a new name from `r`; `ext` must be whitelisted. */
  put(r: Random, ext: string, file: MediaFile, fileName: string, expiresAt: number): StoredObject {
    const name = `${r.hex(32)}.${ext}`;
    const token = r.alnum(40);
    const url = `${SHOW_OBJ_PREFIX}${name}?e=${Math.floor(expiresAt / 1000)}&token=${token}`;
    const object: StoredObject = { name, token, expiresAt, file, fileName, url };
    this.objects.set(name, object);
    return object;
  }

  /** The file for a show path and token, if it exists, the token matches and it has not expired. */
  serve(name: string, token: string | null, now: number): MediaFile | undefined {
    const object = this.objects.get(name);
    if (!object || object.token !== token || object.expiresAt <= now) return undefined;
    return object.file;
  }

  /** Whether a message URL (relative, or absolute on this host) names a stored object. */
  byUrl(url: string): StoredObject | undefined {
    const at = url.indexOf(SHOW_OBJ_PREFIX);
    if (at < 0) return undefined;
    const name = url.slice(at + SHOW_OBJ_PREFIX.length).split('?')[0] ?? '';
    return this.objects.get(name);
  }

  /** Fault: every link stops working now. */
  expireAll(now: number): number {
    for (const object of this.objects.values()) object.expiresAt = Math.min(object.expiresAt, now);
    return this.objects.size;
  }

  get size(): number {
    return this.objects.size;
  }

  clear(): void {
    this.objects.clear();
  }
}
