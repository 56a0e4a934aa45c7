// Measurements of the integration tiers go to test-results/integration-metrics.jsonl (the extension
// host's console is not shown), one JSON line each.
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function recordMetric(root: string, name: string, value: unknown): Promise<void> {
  await mkdir(join(root, 'test-results'), { recursive: true });
  await appendFile(join(root, 'test-results', 'integration-metrics.jsonl'), `${JSON.stringify({ name, value, at: new Date().toISOString() })}\n`);
}
