// Measurements of the integration tiers go to test-results/integration-metrics.jsonl (the extension
// host's console is not shown), one JSON line each.
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { driver } from './driver';

export async function recordMetric(root: string, name: string, value: unknown): Promise<void> {
  await mkdir(join(root, 'test-results'), { recursive: true });
  await appendFile(join(root, 'test-results', 'integration-metrics.jsonl'), `${JSON.stringify({ name, value, at: new Date().toISOString() })}\n`);
}

/**
 * Counterparty message -> text visible in the pane, five times: `inject(text)` makes the venue
 * (the sandbox) deliver it. Records median, worst and the samples under `name`.
 */
export async function measurePushToPane(root: string, name: string, inject: (text: string) => Promise<unknown>, note: string): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const text = `${name} probe ${i} ${Date.now()}`;
    const t0 = Date.now();
    await inject(text);
    const seen = await driver.waitForText(text, { scope: 'webview', timeoutMs: 10000 });
    if (!seen.found) throw new Error(`"${text}" never reached the pane`);
    samples.push(Date.now() - t0);
  }
  samples.sort((a, b) => a - b);
  await recordMetric(root, name, { median: samples[2], max: samples[4], samples, note });
}
