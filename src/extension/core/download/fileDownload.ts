// Streams bytes into a file that appears under its real name only when complete: everything goes to
// `<target>.part`, which is synced and renamed at the end and removed on any failure or cancel.
// Sources: an http(s) URL (axios, one request per hop, redirects followed here so each hop is
// checked: http(s) only, a limited number) or a file on disk (a venue's saved media).
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { lazyAxios } from '../lazyAxios';
import { DownloadError } from './downloadError';
import * as l10n from '@vscode/l10n';

/** Default cap: 2 GiB. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 2 * 1024 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
/** Waiting this long for the reply's headers, or for the next bytes, gives up. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export interface StreamOptions {
  readonly signal: AbortSignal;
  readonly maxBytes?: number;
  readonly maxRedirects?: number;
  readonly idleTimeoutMs?: number;
  /** Every chunk; `total` when known (the caller throttles). */
  readonly onBytes?: (received: number, total: number | undefined) => void;
}

export interface Downloaded {
  readonly bytes: number;
}

export const partPath = (target: string): string => `${target}.part`;

/** Downloads `url` (http or https) into `target`. */
export async function downloadUrl(url: string, target: string, options: StreamOptions): Promise<Downloaded> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const idle = new IdleWatch(idleMs, options.signal);
  try {
    const response = await openFollowingRedirects(url, options.maxRedirects ?? DEFAULT_MAX_REDIRECTS, idle);
    const total = contentLength(response);
    if (total !== undefined && total > maxBytes) {
      response.destroy();
      throw new DownloadError({ reason: 'too-large', limit: maxBytes, size: total });
    }
    return await writeAtomically(response, target, { maxBytes, total, idle, ...(options.onBytes ? { onBytes: options.onBytes } : {}) });
  } finally {
    idle.dispose();
  }
}

/** Copies a file on disk into `target` the same way (progress, cap, .part then rename). */
export async function copyFile(source: string, target: string, options: StreamOptions): Promise<Downloaded> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  let size: number;
  try {
    size = (await stat(source)).size;
  } catch (err) {
    throw new DownloadError({ reason: 'write-failed', detail: l10n.t('cannot read the saved file: {0}', errorText(err)) });
  }
  if (size > maxBytes) throw new DownloadError({ reason: 'too-large', limit: maxBytes, size });
  // A local read never stalls for long; the watch only carries the cancel signal here.
  const idle = new IdleWatch(0, options.signal);
  try {
    return await writeAtomically(createReadStream(source), target, { maxBytes, total: size, idle, ...(options.onBytes ? { onBytes: options.onBytes } : {}) });
  } finally {
    idle.dispose();
  }
}

/**
 * Aborts when the caller cancels or when nothing arrives for `idleMs` (0: never). One controller
 * per download, so a timeout and a cancel end the request and the stream the same way.
 */
class IdleWatch {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private readonly onCancel = () => this.controller.abort();

  constructor(
    private readonly idleMs: number,
    private readonly cancel: AbortSignal,
  ) {
    if (cancel.aborted) this.controller.abort();
    else cancel.addEventListener('abort', this.onCancel, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    if (this.idleMs <= 0 || this.controller.signal.aborted) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.idleMs);
  }

  /** Why the signal fired, as the download's error. */
  failure(err: unknown): DownloadError {
    if (err instanceof DownloadError) return err;
    if (this.cancel.aborted) return new DownloadError({ reason: 'cancelled' });
    if (this.timedOut) return new DownloadError({ reason: 'network', detail: l10n.t('nothing arrived for {0} s', Math.round(this.idleMs / 1000)) });
    return new DownloadError({ reason: 'network', detail: errorText(err) });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.cancel.removeEventListener('abort', this.onCancel);
  }
}

async function openFollowingRedirects(url: string, maxRedirects: number, idle: IdleWatch): Promise<IncomingMessage> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const parsed = httpUrl(current);
    let response: IncomingMessage;
    let status: number;
    try {
      const res = await lazyAxios().get<IncomingMessage>(parsed.href, {
        responseType: 'stream',
        maxRedirects: 0,
        validateStatus: () => true,
        // The saved bytes must be the file itself, not a compressed transfer of it.
        decompress: false,
        headers: { 'Accept-Encoding': 'identity' },
        signal: idle.signal,
        proxy: false,
      });
      response = res.data;
      status = res.status;
    } catch (err) {
      throw idle.failure(err);
    }
    idle.touch();
    if (status >= 300 && status < 400 && status !== 304) {
      const location = response.headers.location;
      response.destroy();
      if (!location) throw new DownloadError({ reason: 'http-status', status });
      if (hop >= maxRedirects) throw new DownloadError({ reason: 'too-many-redirects', limit: maxRedirects });
      current = new URL(location, parsed).href;
      continue;
    }
    if (status < 200 || status >= 300) {
      response.destroy();
      throw new DownloadError({ reason: 'http-status', status });
    }
    return response;
  }
}

function httpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DownloadError({ reason: 'unsupported-link' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DownloadError({ reason: 'unsupported-link' });
  return url;
}

function contentLength(response: IncomingMessage): number | undefined {
  const raw = response.headers['content-length'];
  if (typeof raw !== 'string' || !/^\d{1,16}$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

/** Counts bytes, enforces the cap while streaming and keeps the idle watch awake. */
class ByteMeter extends Transform {
  received = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly total: number | undefined,
    private readonly idle: IdleWatch,
    private readonly onBytes: ((received: number, total: number | undefined) => void) | undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    this.idle.touch();
    if (this.received > this.maxBytes) {
      callback(new DownloadError({ reason: 'too-large', limit: this.maxBytes }));
      return;
    }
    this.onBytes?.(this.received, this.total);
    callback(null, chunk);
  }
}

async function writeAtomically(source: Readable, target: string, options: { maxBytes: number; total: number | undefined; idle: IdleWatch; onBytes?: (received: number, total: number | undefined) => void }): Promise<Downloaded> {
  const part = partPath(target);
  const meter = new ByteMeter(options.maxBytes, options.total, options.idle, options.onBytes);
  try {
    try {
      await pipeline(source, meter, createWriteStream(part), { signal: options.idle.signal });
    } catch (err) {
      if (isWriteError(err)) throw new DownloadError({ reason: 'write-failed', detail: errorText(err) });
      throw options.idle.failure(err);
    }
    if (options.total !== undefined && meter.received !== options.total) {
      throw new DownloadError({ reason: 'network', detail: l10n.t('the transfer ended after {0} of {1} bytes', meter.received, options.total) });
    }
    try {
      await syncFile(part);
      await rename(part, target);
    } catch (err) {
      throw new DownloadError({ reason: 'write-failed', detail: errorText(err) });
    }
    return { bytes: meter.received };
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  } finally {
    source.destroy();
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** File system errors on our side (the .part file), as opposed to the connection's. */
function isWriteError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ENOSPC', 'EACCES', 'EPERM', 'EROFS', 'ENOENT', 'EISDIR', 'ENOTDIR', 'EDQUOT', 'EEXIST', 'EMFILE'].includes(code) && (err as { syscall?: unknown }).syscall !== 'connect';
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
