// The bench's result table: every bench returns rows in this shape; main prints them side by side
// (goal, measured, baseline, ratio, verdict) and writes them to bench/results.json.
import { writeFileSync } from 'node:fs';

/** `failed`: the bench itself could not run (its error is in `measured`). */
export type Verdict = 'met' | 'not met' | 'info' | 'failed';

export interface BenchRow {
  /** Stable id, e.g. `store.open.100k` (results.json is compared across runs by it). */
  readonly id: string;
  /** What was measured, in words. */
  readonly what: string;
  /** The target, in words ("< 50 ms"); empty for an informational row. */
  readonly goal: string;
  /** The measurement, with unit ("31.2 ms", "1,840 rows"). */
  readonly measured: string;
  /** The baseline measured in the same run, with unit, when the row has one. */
  readonly baseline?: string;
  /** measured / baseline (or the ratio the goal is stated in). */
  readonly ratio?: number;
  readonly verdict: Verdict;
  /** Raw numbers behind the row (ms, bytes, counts) for results.json. */
  readonly values?: Readonly<Record<string, number>>;
}

/** `met` when `ok`, else `not met`. */
export function verdict(ok: boolean): Verdict {
  return ok ? 'met' : 'not met';
}

export function ms(n: number): string {
  return `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')} ms`;
}

export function bytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(0)} KB`;
  return `${n} B`;
}

export function printTable(rows: readonly BenchRow[]): void {
  const header = ['what', 'goal', 'measured', 'baseline', 'ratio', 'verdict'];
  const cells = rows.map((r) => [r.what, r.goal, r.measured, r.baseline ?? '', r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`, r.verdict]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((s, i) => s.padEnd(widths[i]!)).join(' │ ');
  console.log('\n' + line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const c of cells) console.log(line(c));
}

export function writeResults(file: string, rows: readonly BenchRow[], meta: Readonly<Record<string, string>>): void {
  writeFileSync(file, JSON.stringify({ ...meta, rows }, null, 2) + '\n');
}
