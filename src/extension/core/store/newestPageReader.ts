// Reads a conversation's newest messages from the end of its log, without reading the rest: the
// way a conversation that is not in memory opens in constant time. Lines are read backwards; the
// first line seen for a key is its latest state (a merge line retires it); each message line's
// watermark (see messageStoreRecord.ts) bounds the time of everything before it, so reading stops
// as soon as `limit` messages newer than that bound are in hand. Damaged lines and a torn tail are
// skipped here (loading the conversation sets them aside); nothing is written.
import * as fs from 'node:fs/promises';
import type { ChatMessage } from '../../../shared/model';
import { isHeaderRecord, isMessageRecord, parseStoreRecord } from './messageStoreRecord';

export interface NewestEntry {
  readonly seq: number;
  readonly msg: ChatMessage;
}

export interface NewestPage {
  /** Oldest first, ordered by (time, seq) like the conversation's timeline. */
  readonly entries: NewestEntry[];
  /** Older messages exist. */
  readonly more: boolean;
}

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * The newest `limit` messages of the log at `filePath`, or `undefined` when they cannot be told
 * apart from older ones within `maxBytes` read (a log whose lines lack watermarks, or whose newest
 * lines are mostly old messages written late): the caller then loads the conversation. A missing
 * file is an empty conversation.
 */
export async function readNewestPage(filePath: string, accountId: string, conversationId: string, limit: number, maxBytes: number): Promise<NewestPage | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(filePath, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], more: false };
    throw err;
  }
  try {
    const size = (await handle.stat()).size;
    const seen = new Set<string>();
    const found: NewestEntry[] = [];
    let end = size;
    /** Bytes of an unfinished line carried to the next (earlier) chunk. */
    let carry = Buffer.alloc(0);
    let first = true;
    let lowest = Infinity;
    while (end > 0) {
      if (size - end > maxBytes) return undefined;
      const start = Math.max(0, end - CHUNK_BYTES);
      const chunk = Buffer.alloc(end - start);
      await readExactly(handle, chunk, start);
      let data = carry.length > 0 ? Buffer.concat([chunk, carry]) : chunk;
      if (first) {
        // An unterminated last line is a torn write: never acknowledged, never read.
        const lastNewline = data.lastIndexOf(NEWLINE);
        data = data.subarray(0, lastNewline + 1);
        first = false;
      }
      // Complete lines are those after the first newline of the chunk (or all of it at the file start).
      const firstNewline = start === 0 ? -1 : data.indexOf(NEWLINE);
      if (start > 0 && firstNewline === -1) {
        carry = data;
        end = start;
        continue;
      }
      const lines = data.subarray(firstNewline + 1);
      carry = start === 0 ? Buffer.alloc(0) : data.subarray(0, firstNewline + 1);
      // Checked once per chunk, at the earliest line read so far: watermarks only fall going back.
      const watermark = scanBackwards(lines, accountId, conversationId, seen, found);
      if (watermark !== undefined) lowest = Math.min(lowest, watermark);
      if (lowest !== Infinity && newerThan(found, lowest) >= limit) return page(found, limit, true);
      end = start;
    }
    return page(found, limit, found.length > limit);
  } finally {
    await handle.close();
  }
}

/**
 * Reads the lines of `buf` from the last, adding each key's latest state to `found`; returns the
 * watermark of the earliest message line that has one.
 */
function scanBackwards(buf: Buffer, accountId: string, conversationId: string, seen: Set<string>, found: NewestEntry[]): number | undefined {
  let watermark: number | undefined;
  let lineEnd = buf.length;
  while (lineEnd > 0) {
    const lineStart = buf.lastIndexOf(NEWLINE, lineEnd - 2) + 1;
    const text = buf.toString('utf8', lineStart, lineEnd - 1);
    lineEnd = lineStart;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    const record = parseStoreRecord(value);
    if (!record || isHeaderRecord(record)) continue;
    if (!isMessageRecord(record)) {
      seen.add(record.alias);
      continue;
    }
    const m = record.m;
    if (m.accountId !== accountId || m.conversationId !== conversationId) continue;
    if (!seen.has(m.key)) {
      seen.add(m.key);
      found.push({ seq: record.s, msg: m });
    }
    if (record.w !== undefined) watermark = record.w;
  }
  return watermark;
}

function newerThan(found: readonly NewestEntry[], time: number): number {
  let n = 0;
  for (const e of found) if (e.msg.time > time) n++;
  return n;
}

function page(found: NewestEntry[], limit: number, more: boolean): NewestPage {
  found.sort((a, b) => a.msg.time - b.msg.time || a.seq - b.seq);
  return { entries: found.slice(Math.max(0, found.length - limit)), more: more || found.length > limit };
}

async function readExactly(handle: fs.FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await handle.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) throw new Error('log file shrank while it was read');
    done += bytesRead;
  }
}
