// Reads a JSON-lines buffer the way a crash-safe log must: keep every readable record, skip and
// report the rest, and tell where the clean part of the file ends so a torn tail can be cut off.

const NEWLINE = 0x0a;

export interface JsonLinesScan<T> {
  readonly records: T[];
  /** Lines dropped: unreadable JSON, rejected by `parse`, or part of the torn tail. */
  readonly skipped: number;
  readonly problems: string[];
  /** Byte length of the file without its torn tail; appends must continue from here. */
  readonly cleanLength: number;
  /** The file ended in a partial write (no final newline, or unreadable lines at the very end). */
  readonly tornTail: boolean;
}

/**
 * Splits `data` into lines and parses each. A run of unreadable lines at the end, including an
 * unterminated last line, is the torn tail of a write that never completed (every completed append
 * ends with a newline and was fsynced before the next began). An unreadable line followed by a
 * readable one is corruption in the middle: skipped and reported, never fatal. Lines that are valid
 * JSON but rejected by `parse` are kept in the file (a newer version may understand them).
 */
export function scanJsonLines<T>(data: Uint8Array, parse: (value: unknown) => T | undefined): JsonLinesScan<T> {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const records: T[] = [];
  const problems: string[] = [];
  let skipped = 0;
  let cleanLength = 0;
  // Unreadable lines not yet followed by a readable one: torn tail if nothing readable follows.
  let unreadable: number[] = [];
  let start = 0;
  let lineNo = 0;

  while (start < buf.length) {
    lineNo++;
    const newline = buf.indexOf(NEWLINE, start);
    if (newline === -1) {
      // The last write stopped before its newline: whatever is here was never acknowledged.
      unreadable.push(lineNo);
      break;
    }
    const text = buf.toString('utf8', start, newline);
    start = newline + 1;

    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (text.trim() === '') {
        // Blank lines carry nothing; they neither end nor start a torn tail.
        if (unreadable.length === 0) cleanLength = start;
        continue;
      }
      unreadable.push(lineNo);
      continue;
    }

    for (const n of unreadable) problems.push(`line ${n}: not valid JSON, skipped`);
    skipped += unreadable.length;
    unreadable = [];
    cleanLength = start;

    let record: T | undefined;
    try {
      record = parse(value);
    } catch {
      record = undefined;
    }
    if (record === undefined) {
      skipped++;
      problems.push(`line ${lineNo}: record not recognised, skipped`);
    } else {
      records.push(record);
    }
  }

  const tornTail = unreadable.length > 0;
  if (tornTail) {
    skipped += unreadable.length;
    const lines = unreadable.length === 1 ? `line ${unreadable[0]}` : `lines ${unreadable[0]}-${unreadable[unreadable.length - 1]}`;
    problems.push(`torn tail (${lines}, ${buf.length - cleanLength} bytes): an unfinished write, cut off`);
  }
  return { records, skipped, problems, cleanLength, tornTail };
}
