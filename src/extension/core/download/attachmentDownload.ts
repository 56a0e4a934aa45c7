// Saving a stored message's attachment: where its bytes come from (the venue's fresh link, the
// stored link, or a file the adapter saved), streamed to disk with throttled progress. Plain
// TypeScript; the host adds the save dialog, the notification and the pane's progress
// (host/attachmentDownloads.ts).
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Attachment, ChatMessage } from '../../../shared/model';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../logger';
import type { VenueAdapter } from '../../venues/venue';
import { DownloadError } from './downloadError';
import { copyFile, downloadUrl } from './fileDownload';

/** At most ten progress reports a second. */
export const PROGRESS_INTERVAL_MS = 100;

export type DownloadSource = { readonly kind: 'url'; readonly url: string; readonly from: 'venue' | 'stored' } | { readonly kind: 'file'; readonly path: string };

export interface SourceContext {
  /** The account's adapter: asked for a fresh link where the venue's links expire. */
  readonly adapter?: Pick<VenueAdapter, 'attachmentUrl'>;
  /** The folder the account's adapter saves media in; file: links are copied only from under it. */
  readonly mediaDir?: string;
  readonly now: number;
  readonly logger?: Logger;
}

/** The attachment at `index` of a stored message, or `not-found`. */
export function attachmentAt(message: ChatMessage | undefined, index: number): Attachment {
  const attachment = message?.attachments?.[index];
  if (!message || !attachment || !Number.isInteger(index)) throw new DownloadError({ reason: 'not-found' });
  return attachment;
}

/** Where to read the attachment's bytes from. */
export async function downloadSourceOf(message: ChatMessage, attachment: Attachment, context: SourceContext): Promise<DownloadSource> {
  const stored = attachment.url;
  if (stored?.startsWith('file:')) return { kind: 'file', path: await mediaFilePath(stored, context.mediaDir) };
  const storedHttp = stored !== undefined && isHttpUrl(stored) ? stored : undefined;
  const lapsed = attachment.expiresAt !== undefined && attachment.expiresAt <= context.now;
  if (context.adapter?.attachmentUrl && (attachment.ref !== undefined || storedHttp !== undefined)) {
    try {
      const fresh = await context.adapter.attachmentUrl(message, attachment);
      if (isHttpUrl(fresh)) return { kind: 'url', url: fresh, from: 'venue' };
      throw new Error('the venue gave a link that is not http(s)');
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      // A stored link that has not lapsed still works while the venue cannot be asked.
      if (storedHttp === undefined || lapsed) throw new DownloadError({ reason: 'venue', detail });
      (context.logger ?? silentLogger).warn(`download: no fresh link from the venue (${detail}); using the stored one`);
    }
  }
  if (storedHttp !== undefined) {
    if (lapsed) throw new DownloadError({ reason: 'link-expired', expiredAt: attachment.expiresAt! });
    return { kind: 'url', url: storedHttp, from: 'stored' };
  }
  throw new DownloadError(stored === undefined ? { reason: 'no-link' } : { reason: 'unsupported-link' });
}

/** A file: link resolved (symbolic links too) and accepted only inside the media folder. */
async function mediaFilePath(url: string, mediaDir: string | undefined): Promise<string> {
  if (!mediaDir) throw new DownloadError({ reason: 'unsupported-link' });
  let path: string;
  let root: string;
  try {
    path = await realpath(fileURLToPath(url));
    root = await realpath(mediaDir);
  } catch {
    throw new DownloadError({ reason: 'not-found' });
  }
  const inside = relative(root, path);
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) throw new DownloadError({ reason: 'unsupported-link' });
  return path;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export interface DownloadBytes {
  readonly received: number;
  readonly total?: number;
}

export interface AttachmentDownloadRequest extends Omit<SourceContext, 'now'> {
  readonly message: ChatMessage;
  readonly index: number;
  /** The file to create (its folder must exist); written as `<target>.part` first. */
  readonly target: string;
  readonly signal: AbortSignal;
  /** Throttled to one report per PROGRESS_INTERVAL_MS; the last bytes always reported. */
  readonly onProgress?: (progress: DownloadBytes) => void;
}

export interface AttachmentDownloaderOptions {
  readonly maxBytes?: number;
  readonly maxRedirects?: number;
  readonly idleTimeoutMs?: number;
  readonly progressIntervalMs?: number;
  readonly clock?: Clock;
}

export interface SavedAttachment {
  readonly bytes: number;
  /** Where the bytes came from (for the log). */
  readonly source: 'venue-link' | 'stored-link' | 'media-file';
}

export class AttachmentDownloader {
  private readonly clock: Clock;

  constructor(private readonly options: AttachmentDownloaderOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  async download(request: AttachmentDownloadRequest): Promise<SavedAttachment> {
    const attachment = attachmentAt(request.message, request.index);
    if (request.signal.aborted) throw new DownloadError({ reason: 'cancelled' });
    const source = await downloadSourceOf(request.message, attachment, { ...request, now: this.clock.now() });
    if (request.signal.aborted) throw new DownloadError({ reason: 'cancelled' });
    const throttle = new ProgressThrottle(this.clock, this.options.progressIntervalMs ?? PROGRESS_INTERVAL_MS, request.onProgress);
    const stream = {
      signal: request.signal,
      onBytes: (received: number, total: number | undefined) => throttle.report({ received, ...(total !== undefined ? { total } : {}) }),
      ...(this.options.maxBytes !== undefined ? { maxBytes: this.options.maxBytes } : {}),
      ...(this.options.maxRedirects !== undefined ? { maxRedirects: this.options.maxRedirects } : {}),
      ...(this.options.idleTimeoutMs !== undefined ? { idleTimeoutMs: this.options.idleTimeoutMs } : {}),
    };
    const { bytes } = source.kind === 'file' ? await copyFile(source.path, request.target, stream) : await downloadUrl(source.url, request.target, stream);
    throttle.flush();
    return { bytes, source: source.kind === 'file' ? 'media-file' : source.from === 'venue' ? 'venue-link' : 'stored-link' };
  }
}

/** Passes on the first report, then at most one per interval; `flush` passes on the last one held back. */
export class ProgressThrottle {
  private last = -Infinity;
  private held: DownloadBytes | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly sink: ((progress: DownloadBytes) => void) | undefined,
  ) {}

  report(progress: DownloadBytes): void {
    const now = this.clock.now();
    if (now - this.last >= this.intervalMs) {
      this.last = now;
      this.held = undefined;
      this.sink?.(progress);
    } else {
      this.held = progress;
    }
  }

  flush(): void {
    if (!this.held) return;
    const held = this.held;
    this.held = undefined;
    this.last = this.clock.now();
    this.sink?.(held);
  }
}
