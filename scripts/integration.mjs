#!/usr/bin/env node
// Runs the integration suite (test/integration) inside a real VS Code and reports its results.
// CLI: `node scripts/integration.mjs [--no-build]` (builds the extension + suite first by default).
// Library: `runIntegration({ quiet })` → { passed, failed, tests }; throws only if the harness broke.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureCodeServer, ensureDebianPackages, repoRoot } from './lib/codeServer.mjs';
import { startDriverServer } from './lib/driverServer.mjs';
import { startCodeServerHost, startElectronHost } from './lib/hosts.mjs';
import { run } from './lib/processes.mjs';

const resultsDir = join(repoRoot, 'test-results');
const testsPath = join(repoRoot, 'dist/test/integration/suite/index.js');
const DEFAULT_TIMEOUT_MS = Number(process.env.VENUE_CHAT_INTEGRATION_TIMEOUT_MS) || 6 * 60_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls for the suite's results file; rejects if the host goes away or time runs out. */
async function waitForResults(file, exited, timeoutMs) {
  let gone = null;
  exited.then((why) => { gone = why; });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const results = JSON.parse(readFileSync(file, 'utf8'));
      if (results.harnessError) throw new Error(`the suite could not run: ${results.harnessError}`);
      return results;
    }
    if (gone) throw new Error(`${gone} before the suite wrote its results`);
    await sleep(500);
  }
  throw new Error(`no results after ${Math.round(timeoutMs / 1000)} s (the suite never finished; see test-results/integration-*.log)`);
}

function printResults(results) {
  for (const t of results.tests) {
    const mark = t.state === 'passed' ? '✓' : t.state === 'failed' ? '✗' : '-';
    console.log(`  ${mark} ${t.fullTitle} (${t.durationMs} ms)`);
    if (t.error) console.log(t.error.split('\n').slice(0, 6).map((l) => `      ${l}`).join('\n'));
  }
}

/**
 * @param {{ quiet?: boolean, timeoutMs?: number, host?: 'code-server'|'electron', extensionPath?: string }} options
 *   extensionPath: the extension under test (default: this repository).
 * @returns {Promise<{ passed: number, failed: number, tests: object[] }>}
 */
export async function runIntegration({
  quiet = false,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  host = process.env.VENUE_CHAT_TEST_HOST || 'code-server',
  extensionPath = repoRoot,
} = {}) {
  if (!existsSync(testsPath)) throw new Error(`${testsPath} is missing: build first (node esbuild.mjs)`);
  if (!existsSync(join(extensionPath, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: build first (node esbuild.mjs)');
  if (host === 'code-server') {
    await ensureDebianPackages();
    await ensureCodeServer();
  } else if (host !== 'electron') {
    throw new Error(`unknown VENUE_CHAT_TEST_HOST "${host}" (code-server or electron)`);
  }
  mkdirSync(resultsDir, { recursive: true });
  // Drop the previous run's pictures and logs (only ours: other tiers write here too).
  for (const name of readdirSync(resultsDir)) {
    if (/^(integration-|failed-)/.test(name)) rmSync(join(resultsDir, name), { force: true });
  }
  const tmp = mkdtempSync(join(tmpdir(), 'venue-chat-it-'));
  const resultsFile = join(tmp, 'results.json');
  const logFile = join(tmp, 'vscode.log');
  const consoleLines = [];
  const say = (line) => { if (!quiet) console.log(line); };

  let page = null;
  const driver = await startDriverServer({
    getPage: () => {
      if (!page) throw new Error('the workbench page is not open yet');
      return page;
    },
    resultsDir,
    log: quiet ? undefined : (line) => console.log(`  [${line.slice(0, 300)}]`),
  });
  let vscodeHost = null;
  const started = Date.now();
  try {
    say(`[integration] starting VS Code (${host}); tests: ${testsPath}`);
    vscodeHost = await (host === 'electron' ? startElectronHost : startCodeServerHost)({
      workspace: join(tmp, 'workspace'),
      userDataDir: join(tmp, 'user-data'),
      extensionsDir: join(tmp, 'extensions'),
      extensionPath,
      testsPath,
      // The suite reads these in the extension host (VS Code's server passes its env on).
      env: { VENUE_CHAT_TEST_RESULTS: resultsFile, VENUE_CHAT_TEST_DRIVER: driver.url },
      logFile,
      onConsole: (line) => consoleLines.push(line),
    });
    page = vscodeHost.page;
    const results = await waitForResults(resultsFile, vscodeHost.exited, timeoutMs);
    await page.screenshot({ path: join(resultsDir, 'integration-end.png') }).catch(() => {});
    printResults(results);
    console.log(`[integration] ${results.passed} passed, ${results.failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return results;
  } catch (err) {
    console.error(`[integration] logs: test-results/integration-vscode.log, test-results/integration-browser.log`);
    await page?.screenshot({ path: join(resultsDir, 'integration-failure.png') }).catch(() => {});
    throw err;
  } finally {
    await vscodeHost?.stop();
    await driver.close();
    // The logs outlive the temp folder, for the post-mortem.
    writeFileSync(join(resultsDir, 'integration-browser.log'), consoleLines.join('\n') + '\n');
    if (existsSync(logFile)) copyFileSync(logFile, join(resultsDir, 'integration-vscode.log'));
    if (process.env.VENUE_CHAT_KEEP_TEMP) say(`[integration] temp folder kept: ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  if (!process.argv.includes('--no-build')) {
    await run(process.execPath, ['esbuild.mjs', '--only=extension,integration'], { cwd: repoRoot, echo: true });
  }
  try {
    const { passed, failed } = await runIntegration();
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  } catch (err) {
    console.error(`[integration] harness failed: ${err.stack ?? err}`);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
