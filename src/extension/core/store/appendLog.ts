// A crash-safe JSON-lines log (docs/architecture.md, Delivery): every append is one write followed
// by fdatasync, a torn tail left by a crash is cut off on open, complete lines that cannot be read
// are moved to `<file>.corrupt` (never cut away), and compaction replaces the file atomically
// (write `<file>.tmp`, fsync, rename, fsync the directory).
import * as fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import {
  appendFileDurably,
  fileExists,
  makeDirectoryDurably,
  removeFileIfExists,
  renameReplacing,
  replaceFileDurably,
  syncDirectory,
  writeAll,
} from './durableFs';
import { describeDamage, scanJsonLinesYielding } from './jsonLinesScan';
import type { Logger } from '../logger';
import { SerialQueue } from '../serialQueue';

/** Opens the log file itself; tests pass one that counts or fails calls on the handle. */
export type OpenLogFile = (filePath: string, flags: 'a+') => Promise<FileHandle>;

export interface AppendLogOptions<T> {
  /** Turns one parsed JSON line into a record, or `undefined` for a line this version cannot use (kept aside). */
  readonly parse: (value: unknown) => T | undefined;
  readonly logger: Logger;
  /** Default: `fs.open`. */
  readonly openFile?: OpenLogFile;
}

/** Where the damaged lines of `filePath` are kept. */
export function corruptFilePath(filePath: string): string {
  return `${filePath}.corrupt`;
}

export interface AppendLogRecovery {
  /** Records read and accepted by `parse`. */
  records: number;
  /** Lines not loaded: the damaged ones plus a torn tail. */
  skipped: number;
  /** Complete lines that could not be read (bad JSON, rejected by `parse`), moved to the `.corrupt` file. */
  corrupt: number;
  /** The file ended in an unfinished write, which was cut off. */
  tornTail: boolean;
  /** Human-readable, one per problem; never contains record content. */
  problems: string[];
}

export interface OpenedAppendLog<T> {
  log: AppendLog<T>;
  records: T[];
  recovery: AppendLogRecovery;
}

/** Appends that complete while a rewrite is in progress; they are carried into the new file. */
interface RewriteCapture {
  chunks: Buffer[];
  records: number;
}

/** How much serialised text a rewrite buffers before writing (and yielding to the event loop). */
const REWRITE_CHUNK_CHARS = 1 << 20;

export class AppendLog<T> {
  private readonly queue = new SerialQueue();
  private readonly captures = new Set<RewriteCapture>();
  private rewrites: Promise<void> = Promise.resolve();
  /** Opened lazily after a rewrite or a failed reopen; closed while a rewrite renames the file. */
  private handle: FileHandle | undefined;
  /** Bytes of completed appends. Anything beyond is debris of a failed write. */
  private size: number;
  private count: number;
  /** A write failed part-way: bytes past `size` must be cut before the next append. */
  private debris = false;
  private closing: Promise<void> | undefined;

  private constructor(
    readonly filePath: string,
    private readonly logger: Logger,
    private readonly openFile: OpenLogFile,
    handle: FileHandle,
    size: number,
    count: number,
  ) {
    this.handle = handle;
    this.size = size;
    this.count = count;
  }

  /**
   * Opens (creating directories and the file as needed) and reads the log. Content problems are
   * reported in `recovery` and logged, never thrown; only fs errors reject. Damaged lines are
   * appended to `<file>.corrupt` (and synced) before the log is rewritten without them: a crash
   * in between at worst keeps them aside twice.
   */
  static async open<T>(filePath: string, options: AppendLogOptions<T>): Promise<OpenedAppendLog<T>> {
    const dir = path.dirname(filePath);
    const tmpPath = `${filePath}.tmp`;
    const problems: string[] = [];
    await makeDirectoryDurably(dir);

    let existed = await fileExists(filePath);
    if (await fileExists(tmpPath)) {
      if (existed) {
        // The rename is the commit point of a rewrite, so a leftover .tmp is an unfinished one
        // and the log beside it is intact.
        await removeFileIfExists(tmpPath);
        problems.push('removed the file of an unfinished compaction');
      } else {
        // Only reachable if the log itself was deleted: the .tmp is the best copy there is.
        await renameReplacing(tmpPath, filePath);
        existed = true;
        problems.push('log file was missing; restored it from a compaction file');
      }
      await syncDirectory(dir);
    }

    const openFile = options.openFile ?? defaultOpenFile;
    let handle: FileHandle | undefined = await openFile(filePath, 'a+');
    try {
      if (!existed) await syncDirectory(dir);
      const data = await handle.readFile();
      // In slices: a long log is read without blocking the host for the whole of it.
      const scan = await scanJsonLinesYielding(data, options.parse);
      let size = data.length;
      if (scan.damaged.length > 0) {
        const corruptPath = corruptFilePath(filePath);
        await appendFileDurably(corruptPath, Buffer.concat(scan.damaged.map((d) => data.subarray(d.start, d.end))));
        problems.push(describeDamage(scan.damaged, path.basename(corruptPath)));
        // Safe elsewhere now; without them in the log they are neither reported again at every
        // start nor silently dropped by a compaction.
        const kept = Buffer.concat(scan.recordRanges.map(([start, end]) => data.subarray(start, end)));
        const closing = handle;
        handle = undefined;
        await closing.close(); // Windows cannot rename over an open file
        await replaceFileDurably(filePath, kept);
        handle = await openFile(filePath, 'a+');
        size = kept.length;
      } else if (scan.torn) {
        // Cut the torn tail so the next append starts on a clean line.
        await handle.truncate(scan.torn.start);
        await handle.datasync();
        size = scan.torn.start;
      }
      if (scan.torn) problems.push(`torn tail (line ${scan.torn.line}, ${data.length - scan.torn.start} bytes): an unfinished write, cut off`);
      for (const problem of problems) options.logger.warn(`${filePath}: ${problem}`);
      const log = new AppendLog<T>(filePath, options.logger, openFile, handle, size, scan.records.length);
      const corrupt = scan.damaged.length;
      return {
        log,
        records: scan.records,
        recovery: { records: scan.records.length, skipped: corrupt + (scan.torn ? 1 : 0), corrupt, tornTail: scan.torn !== undefined, problems },
      };
    } catch (err) {
      await handle?.close();
      throw err;
    }
  }

  /** Bytes in the log file (completed appends only). */
  get sizeBytes(): number {
    return this.size;
  }

  /** Records in the log file, superseded ones included (lines skipped on open are not counted). */
  get recordCount(): number {
    return this.count;
  }

  /**
   * Appends `records` in one write and resolves after fdatasync. Calls are applied in call order.
   * A failed write rejects this call only: its partial bytes are cut off and the log stays usable.
   */
  append(records: readonly T[]): Promise<void> {
    if (this.closing) return Promise.reject(new Error(`append log is closed: ${this.filePath}`));
    let data: Buffer;
    try {
      // Serialise now: the caller may reuse its objects as soon as this returns.
      data = Buffer.from(records.map((r) => encodeLine(r) + '\n').join(''), 'utf8');
    } catch (err) {
      return Promise.reject(err);
    }
    return this.queue.run(() => this.writeLines(data, records.length));
  }

  /**
   * Compaction: atomically replaces the file with `records` followed by every append that completes
   * after this call (appends keep running while the snapshot is written; they are blocked only for
   * the short final step). A crash at any point leaves either the old or the new file intact.
   */
  rewrite(records: readonly T[]): Promise<void> {
    if (this.closing) return Promise.reject(new Error(`append log is closed: ${this.filePath}`));
    const snapshot = [...records];
    // Registered synchronously: an append that completes from now on is not in `records`.
    const capture: RewriteCapture = { chunks: [], records: 0 };
    this.captures.add(capture);
    const done = this.rewrites
      .then(() => this.writeReplacement(snapshot, capture))
      .finally(() => this.captures.delete(capture));
    this.rewrites = done.catch(() => undefined);
    return done;
  }

  /** Waits for queued appends and rewrites, then closes the file. Further calls reject. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.rewrites;
      await this.queue.idle();
      await this.closeHandle();
    })();
    return this.closing;
  }

  private async writeLines(data: Buffer, records: number): Promise<void> {
    if (data.length === 0) return;
    const handle = await this.writableHandle();
    try {
      await writeAll(handle, data);
      await handle.datasync();
    } catch (err) {
      this.debris = true;
      try {
        await this.cutDebris(handle);
      } catch (repairErr) {
        // Retried before the next append; until it succeeds appends reject rather than corrupt.
        this.logger.warn(`${this.filePath}: could not cut a failed write yet: ${describe(repairErr)}`);
      }
      throw err;
    }
    this.size += data.length;
    this.count += records;
    for (const capture of this.captures) {
      capture.chunks.push(data);
      capture.records += records;
    }
  }

  private async writableHandle(): Promise<FileHandle> {
    this.handle ??= await this.openFile(this.filePath, 'a+');
    if (this.debris) await this.cutDebris(this.handle);
    return this.handle;
  }

  private async cutDebris(handle: FileHandle): Promise<void> {
    await handle.truncate(this.size);
    await handle.datasync();
    this.debris = false;
  }

  private async writeReplacement(snapshot: readonly T[], capture: RewriteCapture): Promise<void> {
    const tmpPath = `${this.filePath}.tmp`;
    const tmp = await fs.open(tmpPath, 'w');
    let tmpOpen = true;
    let renamed = false;
    try {
      let written = 0;
      let parts: string[] = [];
      let chars = 0;
      const flush = async (): Promise<void> => {
        if (parts.length === 0) return;
        const buf = Buffer.from(parts.join(''), 'utf8');
        parts = [];
        chars = 0;
        await writeAll(tmp, buf);
        written += buf.length;
      };
      for (const record of snapshot) {
        const line = encodeLine(record) + '\n';
        parts.push(line);
        chars += line.length;
        if (chars >= REWRITE_CHUNK_CHARS) await flush();
      }
      await flush();

      await this.queue.run(async () => {
        // No append runs from here until the new file is in place, so none can be lost between
        // copying the captured tail and the rename.
        this.captures.delete(capture);
        const tail = Buffer.concat(capture.chunks);
        await writeAll(tmp, tail);
        await tmp.sync();
        tmpOpen = false;
        await tmp.close();
        // Windows cannot rename over a file that is open; the next append reopens it.
        await this.closeHandle();
        await renameReplacing(tmpPath, this.filePath);
        renamed = true;
        this.size = written + tail.length;
        this.count = snapshot.length + capture.records;
        this.debris = false;
        // Until the directory is synced a crash could bring back the old file without the appends
        // that follow, so keep the queue blocked until it is.
        await syncDirectory(path.dirname(this.filePath));
      });
    } catch (err) {
      if (tmpOpen) await tmp.close().catch(() => undefined);
      if (!renamed) await removeFileIfExists(tmpPath).catch(() => undefined);
      throw err;
    }
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}

function defaultOpenFile(filePath: string, flags: 'a+'): Promise<FileHandle> {
  return fs.open(filePath, flags);
}

function encodeLine(record: unknown): string {
  const json = JSON.stringify(record);
  // JSON.stringify escapes newlines inside strings, so one record is always one line.
  if (typeof json !== 'string') throw new TypeError('record cannot be serialised as JSON');
  return json;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
