// Small fs helpers for crash safety: full writes, directory fsync (so a create or rename survives
// power loss) and a rename that copes with Windows' transient sharing errors.
import * as fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';

/** `FileHandle.write` may write fewer bytes than asked; loop until all of `data` is written. */
export async function writeAll(handle: FileHandle, data: Uint8Array, position: number | null = null): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const pos = position === null ? null : position + offset;
    const { bytesWritten } = await handle.write(data, offset, data.length - offset, pos);
    if (bytesWritten <= 0) throw new Error('write made no progress');
    offset += bytesWritten;
  }
}

/** The error's `code` (e.g. `ENOSPC`), if it has one. */
export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

export function isNotFound(err: unknown): boolean {
  return errorCode(err) === 'ENOENT';
}

/**
 * Makes the directory entry changes (create, rename, unlink) inside `dir` durable. Windows cannot
 * open a directory for fsync (NTFS journals the metadata itself), and a few file systems refuse it;
 * neither is an error worth failing a write for.
 */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = errorCode(err);
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR') throw err;
  } finally {
    await handle?.close();
  }
}

/**
 * Atomically replaces `to` with `from`. On Windows a virus scanner or indexer holding the target
 * briefly makes the rename fail with EPERM/EACCES/EBUSY, so retry a few times there.
 */
export async function renameReplacing(from: string, to: string): Promise<void> {
  const retryable = process.platform === 'win32' ? new Set(['EPERM', 'EACCES', 'EBUSY']) : new Set<string>();
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (err) {
      const code = errorCode(err);
      if (attempt >= 8 || code === undefined || !retryable.has(code)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** Math.min(attempt, 4)));
    }
  }
}

/** True when `op` succeeded, false when the file was not there; other errors propagate. */
async function unlessMissing(op: () => Promise<unknown>): Promise<boolean> {
  try {
    await op();
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

export function removeFileIfExists(file: string): Promise<boolean> {
  return unlessMissing(() => fs.unlink(file));
}

export function fileExists(file: string): Promise<boolean> {
  return unlessMissing(() => fs.stat(file));
}

/**
 * `mkdir -p` whose result survives power loss: the entry of every directory it created is synced
 * in its parent, or a crash could take a new log's directory (and the log) with it.
 */
export async function makeDirectoryDurably(dir: string): Promise<void> {
  const first = await fs.mkdir(dir, { recursive: true });
  if (first === undefined) return;
  for (let created = path.resolve(dir); ; created = path.dirname(created)) {
    await syncDirectory(path.dirname(created));
    if (created === path.resolve(first) || path.dirname(created) === created) break;
  }
}

/** Appends `data` to `file` (creating it) and returns once the bytes and the file's entry are on disk. */
export async function appendFileDurably(file: string, data: Uint8Array): Promise<void> {
  const existed = await fileExists(file);
  const handle = await fs.open(file, 'a');
  try {
    await writeAll(handle, data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  if (!existed) await syncDirectory(path.dirname(file));
}

/**
 * Atomically replaces `file` with `data` through `<file>.tmp` (write, fsync, rename, fsync the
 * directory): a crash leaves the old or the new content, never a mix.
 */
export async function replaceFileDurably(file: string, data: Uint8Array): Promise<void> {
  const tmpPath = `${file}.tmp`;
  const tmp = await fs.open(tmpPath, 'w');
  try {
    await writeAll(tmp, data);
    await tmp.sync();
  } catch (err) {
    await tmp.close().catch(() => undefined);
    await removeFileIfExists(tmpPath).catch(() => undefined);
    throw err;
  }
  await tmp.close();
  await renameReplacing(tmpPath, file);
  await syncDirectory(path.dirname(file));
}

const TRANSIENT_CODES = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EINTR', 'ETIMEDOUT']);

/**
 * True for failures that are a passing condition of the disk or the process (full disk, I/O error,
 * too many open files): the same write may succeed later. False for a file that cannot be used at
 * all (no permission, a directory in its place, a read-only file system) until a person fixes it.
 */
export function isTransientFsError(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && TRANSIENT_CODES.has(code);
}
