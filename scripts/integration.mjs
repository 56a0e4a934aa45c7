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
import { runScenarios } from './lib/launchScenarios.mjs';

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
  const consoleLines = [];
  const logFiles = [];
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

  /**
   * One VS Code launch that runs the suite (or one phase of a scenario) and waits for its results.
   * The caller ends it: `host.stop()` (orderly) or `host.kill()`. On failure the host is stopped.
   * @param {{ name: string, dir: string, env?: Record<string,string>, port?: number, browserProfileDir?: string }} launch
   *   dir: the profile (user data, extensions, workspace); the same dir means the same VS Code profile.
   */
  const launchSuite = async ({ name, dir, env = {}, port, browserProfileDir }) => {
    const resultsFile = join(tmp, `results-${name}.json`);
    const logFile = join(tmp, `vscode-${name}.log`);
    logFiles.push({ name, logFile });
    consoleLines.push(`---- ${name} ----`);
    let vscodeHost = null;
    try {
      vscodeHost = await (host === 'electron' ? startElectronHost : startCodeServerHost)({
        workspace: join(dir, 'workspace'),
        userDataDir: join(dir, 'user-data'),
        extensionsDir: join(dir, 'extensions'),
        extensionPath,
        testsPath,
        // The suite reads these in the extension host (VS Code's server passes its env on).
        env: { VENUE_CHAT_TEST_RESULTS: resultsFile, VENUE_CHAT_TEST_DRIVER: driver.url, ...env },
        logFile,
        onConsole: (line) => consoleLines.push(line),
        port,
        browserProfileDir,
      });
      page = vscodeHost.page;
      const results = await waitForResults(resultsFile, vscodeHost.exited, timeoutMs);
      await page.screenshot({ path: join(resultsDir, name === 'suite' ? 'integration-end.png' : `integration-end-${name}.png`) }).catch(() => {});
      return { results, host: vscodeHost };
    } catch (err) {
      await page?.screenshot({ path: join(resultsDir, name === 'suite' ? 'integration-failure.png' : `integration-failure-${name}.png`) }).catch(() => {});
      await vscodeHost?.stop();
      throw err;
    } finally {
      page = null;
    }
  };

  const started = Date.now();
  try {
    say(`[integration] starting VS Code (${host}); tests: ${testsPath}`);
    const { results, host: vscodeHost } = await launchSuite({ name: 'suite', dir: join(tmp, 'suite') });
    await vscodeHost.stop();
    const scenarios = await runScenarios({ host, grep: process.env.VENUE_CHAT_TEST_GREP, tmp, launchSuite, say });
    const tests = [...results.tests, ...scenarios];
    const all = { passed: tests.filter((t) => t.state === 'passed').length, failed: tests.filter((t) => t.state === 'failed').length, tests };
    printResults(all);
    console.log(`[integration] ${all.passed} passed, ${all.failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return all;
  } catch (err) {
    console.error(`[integration] logs: test-results/integration-vscode*.log, test-results/integration-browser.log`);
    throw err;
  } finally {
    await driver.close();
    // The logs outlive the temp folder, for the post-mortem.
    writeFileSync(join(resultsDir, 'integration-browser.log'), consoleLines.join('\n') + '\n');
    for (const { name, logFile } of logFiles) {
      if (existsSync(logFile)) copyFileSync(logFile, join(resultsDir, name === 'suite' ? 'integration-vscode.log' : `integration-vscode-${name}.log`));
    }
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
