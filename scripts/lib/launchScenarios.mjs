// Integration scenarios that span several VS Code launches on one profile: the suite runs one phase
// per launch (VENUE_CHAT_TEST_SCENARIO, VENUE_CHAT_TEST_PHASE), VS Code is quit between phases and
// started again on the same user data, extensions and browser storage, and one sandbox, started
// here, lives across all of them so the venues remember what they received.
//
// Between phases the suite hands over through a JSON file (VENUE_CHAT_TEST_HANDOFF): anything the
// next phase needs, and `between`: sandbox control calls this harness makes after the quit and
// before the next start (e.g. clearing the fault switches that kept messages queued).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './codeServer.mjs';
import { freePort } from './processes.mjs';
import { startSandboxProcess } from './sandboxProcess.mjs';

/**
 * Each scenario names the suite's scenario module (test/integration/suite/scenarios.ts) and its
 * launches in order: the phase each runs and how VS Code is quit after it (none after the last):
 * - `orderly`: the phase's run() returns, the workbench ends the extension host as it does when a
 *   window closes (a terminate message: extensions deactivated), then the browser is closed and
 *   code-server stopped;
 * - `kill`: while the phase still runs (it holds after writing its results), code-server, the
 *   extension host and their helpers are SIGKILLed at once: nothing is deactivated or flushed.
 * Phases learn how the launch before them ended from VENUE_CHAT_TEST_QUIT_BEFORE, and how theirs
 * will end from VENUE_CHAT_TEST_QUIT.
 */
export const SCENARIOS = [
  {
    id: 'queuedSends',
    title: 'restart with queued sends',
    // One scenario covers both quits, three launches rather than two per quit.
    launches: [{ phase: 'queue', quit: 'orderly' }, { phase: 'resume-and-queue', quit: 'kill' }, { phase: 'resume' }],
  },
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The handoff's `between` calls: POSTs to the sandbox's control API only (loopback). */
async function callBetween(handoffFile, sandboxControl) {
  if (!existsSync(handoffFile)) return;
  const calls = JSON.parse(readFileSync(handoffFile, 'utf8')).between ?? [];
  for (const { path, body } of calls) {
    if (typeof path !== 'string' || !path.startsWith('/')) throw new Error(`a between-launch call must name a control path: ${JSON.stringify(path)}`);
    const res = await fetch(sandboxControl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
    if (!res.ok) throw new Error(`between launches, POST ${path} answered HTTP ${res.status}: ${await res.text()}`);
  }
}

/**
 * Runs every scenario whose title matches `grep` (all without one) and returns their tests' results,
 * each title prefixed with the scenario and its quit. Scenarios need code-server (the electron host
 * cannot be started again on a fixed profile by this harness yet), so they are skipped there.
 * @param {{ host: string, grep?: string, tmp: string, say: (line: string) => void,
 *           launchSuite: (launch: object) => Promise<{ results: { tests: object[] }, host: object }> }} options
 */
export async function runScenarios({ host, grep, tmp, say, launchSuite }) {
  const wanted = SCENARIOS.filter((s) => !grep || new RegExp(grep).test(s.title));
  if (wanted.length === 0) return [];
  if (host !== 'code-server') {
    say(`[integration] ${wanted.length} restart scenario(s) skipped: they need the code-server host`);
    return [];
  }
  const tests = [];
  for (const scenario of wanted) tests.push(...await runScenario(scenario, { tmp, say, launchSuite }));
  return tests;
}

async function runScenario(scenario, { tmp, say, launchSuite }) {
  const label = scenario.title;
  const dir = join(tmp, scenario.id);
  mkdirSync(dir, { recursive: true });
  const handoffFile = join(dir, 'handoff.json');
  const sandboxFile = join(dir, 'sandbox.json');
  // The workbench's own storage (globalState, SecretStorage) is per origin: same port every launch.
  const port = await freePort();
  const tests = [];
  const record = (launch, t) => tests.push({ ...t, fullTitle: `[${label}] ${t.fullTitle}`, phase: launch.phase });
  const started = Date.now();
  const sandbox = await startSandboxProcess({ root: repoRoot, args: ['--reply-delay-ms', '400'] });
  try {
    writeFileSync(sandboxFile, JSON.stringify(sandbox.info));
    for (const [i, launch] of scenario.launches.entries()) {
      const before = scenario.launches[i - 1]?.quit;
      say(`[integration] ${label}: ${launch.phase}${before ? ` (after a${before === 'orderly' ? 'n orderly quit' : ' kill'})` : ''}`);
      let launched;
      try {
        launched = await launchSuite({
          name: `${scenario.id}-${i + 1}-${launch.phase}`,
          dir,
          port,
          browserProfileDir: join(dir, 'browser'),
          env: {
            VENUE_CHAT_TEST_SCENARIO: scenario.id,
            VENUE_CHAT_TEST_PHASE: launch.phase,
            VENUE_CHAT_TEST_QUIT: launch.quit ?? '',
            VENUE_CHAT_TEST_QUIT_BEFORE: before ?? '',
            VENUE_CHAT_TEST_SANDBOX: sandboxFile,
            VENUE_CHAT_TEST_HANDOFF: handoffFile,
            VENUE_CHAT_TEST_HOLD: launch.quit === 'kill' ? '1' : '',
            // The grep chose the scenario; its phases run whole.
            VENUE_CHAT_TEST_GREP: '',
          },
        });
      } catch (err) {
        record(launch, { title: launch.phase, fullTitle: launch.phase, state: 'failed', durationMs: 0, error: `the harness could not run this phase: ${err.message}` });
        break;
      }
      const { results, host } = launched;
      for (const t of results.tests) record(launch, t);
      if (launch.quit === 'kill') {
        await host.kill();
      } else {
        // The extension host ends by itself after run() (deactivating the extension); give it time.
        await Promise.race([host.exited, sleep(15_000)]);
        await host.stop();
      }
      const rest = scenario.launches.slice(i + 1).map((l) => l.phase).join(', ');
      if (!rest) break;
      if (results.tests.length === 0 || results.tests.some((t) => t.state === 'failed')) {
        record(launch, { title: rest, fullTitle: rest, state: 'failed', durationMs: 0, error: `not run: phase ${launch.phase} ${results.tests.length === 0 ? 'ran no test' : 'failed'}` });
        break;
      }
      await callBetween(handoffFile, sandbox.info.control);
    }
  } finally {
    await sandbox.stop();
  }
  say(`[integration] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return tests;
}
