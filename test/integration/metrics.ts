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

export interface PushRateResult {
  readonly sent: number;
  readonly lost: number;
  readonly p50: number;
  readonly p95: number;
  readonly baselineP50: number;
  readonly baselineP95: number;
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/**
 * Counterparty messages pushed at `rate` per second (`count` of them) -> first time each is in the
 * pane's DOM (a MutationObserver in the webview records it, see driver.watchTexts), after a
 * baseline of 20 messages at 2 per second in the same pane. Records p50/p95 of both under `name`
 * and returns them with how many never arrived.
 */
export async function measurePushRate(root: string, name: string, inject: (text: string) => Promise<unknown>, rate = 100, count = 300): Promise<PushRateResult> {
  const run = async (prefix: string, n: number, perSecond: number): Promise<{ latencies: number[]; lost: number }> => {
    await driver.watchTexts(prefix);
    const sentAt = new Map<string, number>();
    const sends: Promise<unknown>[] = [];
    const t0 = Date.now();
    for (let i = 0; i < n; i++) {
      const due = t0 + (i * 1000) / perSecond;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const token = `${prefix}${i}`;
      sentAt.set(token, Date.now());
      sends.push(inject(`${token} `));
    }
    await Promise.all(sends);
    const deadline = Date.now() + 30_000;
    let seen: Record<string, number> = {};
    while (Date.now() < deadline) {
      seen = await driver.collectTexts(prefix);
      if (Object.keys(seen).length >= n) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const latencies = [...sentAt].flatMap(([token, at]) => (seen[token] === undefined ? [] : [seen[token]! - at])).sort((a, b) => a - b);
    return { latencies, lost: n - latencies.length };
  };
  const stamp = Date.now().toString(36);
  const baseline = await run(`base${stamp}x`, 20, 2);
  const loaded = await run(`rate${stamp}x`, count, rate);
  const result: PushRateResult = {
    sent: count,
    lost: loaded.lost + baseline.lost,
    p50: percentile(loaded.latencies, 0.5),
    p95: percentile(loaded.latencies, 0.95),
    baselineP50: percentile(baseline.latencies, 0.5),
    baselineP95: percentile(baseline.latencies, 0.95),
  };
  await recordMetric(root, name, { ...result, rate, note: 'sandbox inject -> first time in the webview DOM (MutationObserver), baseline 20 at 2/s' });
  return result;
}
