// Push -> pane DOM in a real VS Code at 100 messages a second: the integration tier's MEXC test
// "keeps up with 100 messages a second" run alone (code-server, the real extension, the sandbox
// pushing over its chat socket), read back from test-results/integration-metrics.jsonl. A
// MutationObserver in the webview records when each message first appears; the baseline is 20
// messages at 2 per second into the same pane, measured just before.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PushRateResult } from '../test/integration/metrics';
import { type BenchRow, ms, verdict } from './report';

const METRIC = 'pushToPaneAt100PerSecond';
/** The MEXC suite's steps up to the measurement (a mocha grep, a regular expression). */
const STEPS = String.raw`\(MEXC sandbox\) (adds a sandbox account|shows the conversations in the tree|opens the chat pane from the tree|keeps up with 100 messages a second)`;

export function vscodePushRate(repoRoot: string): BenchRow[] {
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build for the integration run failed');
  const started = new Date().toISOString();
  const run = spawnSync(process.execPath, ['scripts/test.mjs', '--tier=integration', '--no-build'], {
    cwd: repoRoot,
    stdio: 'inherit',
    // The suite is one story: the test needs the account, the tree and the open pane of the steps before it.
    env: { ...process.env, VENUE_CHAT_TEST_GREP: STEPS },
  });
  if (run.status !== 0) throw new Error('the integration run failed');
  const lines = readFileSync(join(repoRoot, 'test-results', 'integration-metrics.jsonl'), 'utf8').trim().split('\n');
  const entry = lines
    .map((l) => JSON.parse(l) as { name: string; value: PushRateResult; at: string })
    .filter((e) => e.name === METRIC && e.at >= started)
    .at(-1);
  if (!entry) throw new Error(`the integration run recorded no ${METRIC}`);
  const m = entry.value;
  return [
    {
      id: 'vscode.pushToPane.100perSecond',
      what: `push -> pane DOM in a real VS Code at 100 msg/s (${m.sent} messages, ${m.lost} lost), p50 / p95`,
      goal: 'none lost',
      measured: `${ms(m.p50)} / ${ms(m.p95)}`,
      baseline: `2 msg/s ${ms(m.baselineP50)} / ${ms(m.baselineP95)}`,
      ratio: m.p50 / m.baselineP50,
      verdict: verdict(m.lost === 0),
      values: { ...m },
    },
  ];
}
