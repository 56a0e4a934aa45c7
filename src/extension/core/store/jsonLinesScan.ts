// Reads a JSON-lines buffer the way a crash-safe log must: keep every readable record, and tell
// apart the two ways a line can be unreadable. Every completed append ends with a newline and was
// fdatasync'd before the next began, so only the last line can be an unfinished write (torn: no
// newline). A newline-terminated line that cannot be read is damage, wherever it is: the caller
// keeps it aside, never cuts it away.

const NEWLINE = 0x0a;

/** A complete line that could not be read: its bytes (with the newline) are `[start, end)`. */
export interface DamagedLine {
  /** 1-based line number. */
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly reason: 'not JSON' | 'not a record';
}

export interface JsonLinesScan<T> {
  readonly records: T[];
  /** Byte ranges `[start, end)` of the lines that produced `records`, in file order. */
  readonly recordRanges: readonly (readonly [number, number])[];
  readonly damaged: readonly DamagedLine[];
  /** The unterminated last line, if the file does not end in a newline. */
  readonly torn: { readonly line: number; readonly start: number } | undefined;
}

/**
 * Splits `data` into lines and parses each. Blank lines carry nothing and are ignored. A line that
 * is valid JSON but rejected by `parse` (or `parse` throws) is damage like unreadable JSON: this
 * version cannot use it, and keeping it aside preserves it for a person or a newer version.
 */
export function scanJsonLines<T>(data: Uint8Array, parse: (value: unknown) => T | undefined): JsonLinesScan<T> {
  const scanner = new JsonLinesScanner(data, parse);
  while (!scanner.step(Infinity));
  return scanner.result;
}

/** `scanJsonLines` in slices of about `sliceMs`, yielding to the event loop between them (a long log does not block the host). */
export async function scanJsonLinesYielding<T>(data: Uint8Array, parse: (value: unknown) => T | undefined, sliceMs = 10): Promise<JsonLinesScan<T>> {
  const scanner = new JsonLinesScanner(data, parse);
  for (;;) {
    const until = performance.now() + sliceMs;
    let done = false;
    while (!done && performance.now() < until) done = scanner.step(500);
    if (done) return scanner.result;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

class JsonLinesScanner<T> {
  readonly result: { records: T[]; recordRanges: (readonly [number, number])[]; damaged: DamagedLine[]; torn: JsonLinesScan<T>['torn'] } = {
    records: [],
    recordRanges: [],
    damaged: [],
    torn: undefined,
  };
  private readonly buf: Buffer;
  private start = 0;
  private line = 0;

  constructor(
    data: Uint8Array,
    private readonly parse: (value: unknown) => T | undefined,
  ) {
    this.buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }

  /** Reads up to `maxLines` lines; true when the data is read to its end. */
  step(maxLines: number): boolean {
    const { buf, result } = this;
    for (let n = 0; n < maxLines; n++) {
      if (this.start >= buf.length) return true;
      this.line++;
      const newline = buf.indexOf(NEWLINE, this.start);
      if (newline === -1) {
        // The last write stopped before its newline: whatever is here was never acknowledged.
        result.torn = { line: this.line, start: this.start };
        this.start = buf.length;
        return true;
      }
      const lineStart = this.start;
      const text = buf.toString('utf8', this.start, newline);
      this.start = newline + 1;
      if (text.trim() === '') continue;

      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        result.damaged.push({ line: this.line, start: lineStart, end: this.start, reason: 'not JSON' });
        continue;
      }
      let record: T | undefined;
      try {
        record = this.parse(value);
      } catch {
        record = undefined;
      }
      if (record === undefined) {
        result.damaged.push({ line: this.line, start: lineStart, end: this.start, reason: 'not a record' });
      } else {
        result.records.push(record);
        result.recordRanges.push([lineStart, this.start]);
      }
    }
    return this.start >= buf.length;
  }
}

/** One problem line for the damaged lines of a file: counts and line numbers, never content. */
export function describeDamage(damaged: readonly DamagedLine[], keptIn: string): string {
  const shown = damaged.slice(0, 10).map((d) => `${d.line} ${d.reason}`);
  if (damaged.length > shown.length) shown.push(`${damaged.length - shown.length} more`);
  return `${damaged.length} damaged line(s) kept aside in ${keptIn} (line ${shown.join(', ')})`;
}
