// Figures a unit test observes (never asserted on: performance goes to the bench), one JSON line
// each in test-results/unit-metrics.jsonl, for closing notes and for people reading a run.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export function recordMeasurement(name: string, value: unknown): void {
  const dir = join(process.cwd(), 'test-results');
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, 'unit-metrics.jsonl'), `${JSON.stringify({ name, value, at: new Date().toISOString() })}\n`);
}
