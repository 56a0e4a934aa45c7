// Entry point VS Code calls for `extensionTestsPath`: runs the integration tests with mocha inside
// the real extension host and writes the results where the launcher (scripts/integration.mjs) reads
// them. Failing tests are results, not errors: run() rejects only when the harness itself breaks.
import Mocha from 'mocha';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname } from 'node:path';
import { driver } from '../driver';
import { loadScenarioPhase } from './scenarios';

interface TestResult {
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

// Explicit list: esbuild bundles each lazily, so they evaluate after the mocha globals exist.
async function loadTests(): Promise<void> {
  // One phase of a scenario that spans VS Code launches (scripts/lib/launchScenarios.mjs) runs alone.
  const scenario = process.env['VENUE_CHAT_TEST_SCENARIO'];
  if (scenario) {
    await loadScenarioPhase(scenario, process.env['VENUE_CHAT_TEST_PHASE'] ?? '');
    return;
  }
  await import('../smoke.test');
  await import('../inbox.test');
  await import('../settings.test');
  await import('../keyboard.test');
  await import('../accounts.test');
  await import('../deskScale.test');
  await import('../binance.test');
  await import('../bybit.test');
  await import('../multiwa.test');
  await import('../mixin.test');
  await import('../secrets.test');
}

// The extension host installs its own Error.prepareStackTrace, which bypasses Node's source-map
// support; so stack frames in this bundle are mapped back to the .ts sources here.
let bundleMap: SourceMap | null | undefined;
function originalPosition(line: number, column: number): string | undefined {
  if (bundleMap === undefined) {
    const file = `${__filename}.map`;
    bundleMap = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload) : null;
  }
  const entry = bundleMap?.findEntry(line - 1, column - 1);
  if (!entry || !('originalSource' in entry)) return undefined;
  const source = entry.originalSource.replace(/^(\.\.\/)+/, '');
  return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const stack = err.stack ?? `${err.name}: ${err.message}`;
  // Mocha shortens paths under the cwd, so match this bundle by its tail, absolute or not.
  return stack.replace(/[^\s()]*integration\/suite\/index\.js:(\d+):(\d+)/g, (frame, line: string, column: string) =>
    originalPosition(Number(line), Number(column)) ?? frame);
}

interface Summary {
  passed: number;
  failed: number;
  tests: TestResult[];
  /** Set when the suite itself could not run (e.g. a test module threw while loading). */
  harnessError?: string;
}

async function runMocha(): Promise<Summary> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false });
  // While working on one area: VENUE_CHAT_TEST_GREP=Mixin runs only the tests whose title matches.
  const grep = process.env['VENUE_CHAT_TEST_GREP'];
  if (grep) mocha.grep(grep);
  mocha.suite.emit('pre-require', globalThis, 'integration', mocha);
  // A picture of the workbench at the moment a test failed (test-results/failed-<title>.png).
  mocha.suite.afterEach(async function screenshotOnFailure(this: Mocha.Context) {
    const test = this.currentTest;
    if (test?.state !== 'failed' || !process.env['VENUE_CHAT_TEST_DRIVER']) return;
    const name = `failed-${test.fullTitle()}`.replace(/[^\w.-]+/g, '-').slice(0, 100);
    await driver.screenshot(name).catch((err: unknown) => console.error('screenshot failed', err));
  });
  await loadTests();

  const tests: TestResult[] = [];
  const record = (test: Mocha.Runnable, state: TestResult['state'], err?: unknown): void => {
    tests.push({
      title: test.title,
      fullTitle: test.fullTitle(),
      state,
      durationMs: test.duration ?? 0,
      ...(err === undefined ? {} : { error: errorText(err) }),
    });
  };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => record(test, 'passed'));
    // Also fires for failing hooks, which then count as one failed "test".
    runner.on('fail', (test, err) => record(test, 'failed', err));
    runner.on('pending', (test) => record(test, 'pending'));
  });
  return {
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    tests,
  };
}

function writeResults(file: string | undefined, summary: Summary): void {
  if (!file) {
    // Run by hand (e.g. from a launch config): the console is all we have.
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  // Write then rename, so the launcher never reads a half-written file.
  writeFileSync(`${file}.tmp`, JSON.stringify(summary, null, 2));
  renameSync(`${file}.tmp`, file);
}

export async function run(): Promise<void> {
  const resultsFile = process.env['VENUE_CHAT_TEST_RESULTS'];
  try {
    writeResults(resultsFile, await runMocha());
  } catch (err) {
    // Tell the launcher now rather than let it wait for its timeout; then fail the run.
    writeResults(resultsFile, { passed: 0, failed: 0, tests: [], harnessError: errorText(err) });
    throw err;
  }
  // A phase the launcher ends by killing VS Code: returning would let the workbench end the
  // extension host in order (deactivating the extension), which is not what a crash does.
  if (process.env['VENUE_CHAT_TEST_HOLD'] === '1') await new Promise<never>(() => undefined);
}
