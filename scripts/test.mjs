#!/usr/bin/env node
// `npm test`: every tier — typecheck, lint, build, unit, chaos (the short soak), webview,
// integration, package — with a per-tier summary and one last line `N passed, N failed`. A failing
// tier does not stop the later ones (a failed build does: nothing left to test).
// `--tier=unit,webview` runs a subset; the test tiers still build first unless `--no-build`. Exit
// status 1 when anything failed.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, ensureDebianPackages, repoRoot } from './lib/codeServer.mjs';
import { runIntegration } from './integration.mjs';
import { checkVsix } from './lib/vsixCheck.mjs';

const ALL_TIERS = ['typecheck', 'lint', 'build', 'unit', 'chaos', 'webview', 'integration', 'package'];
/** A tier run beside another (its host) when both are selected: see main(). Its runner takes the stdio to write to. */
const BESIDE = { lint: 'typecheck', chaos: 'webview' };
const order = (tier) => (tier === 'setup' ? -1 : ALL_TIERS.indexOf(tier));
const TEST_TIERS = ['unit', 'chaos', 'webview', 'integration'];
const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const reporter = join(repoRoot, 'scripts', 'lib', 'statsReporter.cjs');

function selectedTiers(argv) {
  const flag = argv.find((a) => a.startsWith('--tier='));
  if (!flag) return ALL_TIERS;
  const wanted = flag.slice('--tier='.length).split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((t) => !ALL_TIERS.includes(t));
  if (unknown.length) throw new Error(`unknown tier(s): ${unknown.join(', ')} (known: ${ALL_TIERS.join(', ')})`);
  const tiers = ALL_TIERS.filter((t) => wanted.includes(t));
  // Tests against a stale dist/ prove nothing, so test tiers imply a build.
  if (!argv.includes('--no-build') && tiers.some((t) => TEST_TIERS.includes(t)) && !tiers.includes('build')) {
    tiers.splice(tiers.findIndex((t) => TEST_TIERS.includes(t)), 0, 'build');
  }
  return tiers;
}

/** Runs a command with inherited output; resolves with its exit code (never rejects). */
function exec(cmd, args, env = {}, stdio = 'inherit') {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio, env: { ...process.env, ...env } });
    child.on('error', (err) => { console.error(err.message); resolve(1); });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const passFail = async (cmd, args, stdio = 'inherit') => ((await exec(cmd, args, {}, stdio)) === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });

function hasTests(dir) {
  if (!existsSync(dir)) return false;
  return readdirSync(dir).some((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? hasTests(full) : name.endsWith('.test.js');
  });
}

/** Runs mocha with the stats reporter; a crash before the reporter wrote its stats counts as 1 failure. */
async function mochaTier(extraArgs) {
  const dir = mkdtempSync(join(tmpdir(), 'venue-chat-mocha-'));
  const statsFile = join(dir, 'stats.json');
  try {
    const code = await exec(bin('mocha'), ['--reporter', reporter, ...extraArgs], { VENUE_CHAT_MOCHA_STATS: statsFile });
    if (!existsSync(statsFile)) return { passed: 0, failed: 1, note: `mocha exited ${code} without results` };
    const stats = JSON.parse(readFileSync(statsFile, 'utf8'));
    // Mocha can exit non-zero with no failed test (e.g. an uncaught error after the run).
    const failed = stats.failed || (code === 0 ? 0 : 1);
    return { passed: stats.passed, failed, note: stats.pending ? `${stats.pending} pending` : '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs a tier with its output going to a file (it runs beside another tier, whose output stays
 * live); the whole log is printed as one block when it ends.
 */
async function runBeside(tier, host) {
  const dir = mkdtempSync(join(tmpdir(), `venue-chat-${tier}-`));
  const logFile = join(dir, `${tier}.log`);
  const out = openSync(logFile, 'w');
  const started = Date.now();
  try {
    const result = await runners[tier](['ignore', out, out]);
    const log = readFileSync(logFile, 'utf8');
    // A passing soak prints its table only (its log is a line per fault).
    const shown = tier === 'chaos' && result.failed === 0 ? log.slice(Math.max(0, log.indexOf('\nvenue '))) : log;
    return { tier, ms: Date.now() - started, note: '', ...result, log: shown, host };
  } finally {
    closeSync(out);
    rmSync(dir, { recursive: true, force: true });
  }
}

const runners = {
  typecheck: () => passFail(bin('tsc'), ['-p', '.', '--noEmit']),
  lint: (stdio) => passFail(bin('eslint'), ['.'], stdio),
  build: () => passFail(process.execPath, ['esbuild.mjs']),
  unit: async () => {
    if (!hasTests(join(repoRoot, 'dist/test/unit'))) return { passed: 0, failed: 0, note: 'no tests' };
    // Spec and options from .mocharc.json. Most unit tests wait on sockets and timers (a file uses
    // about a quarter of one core), so six files run at once: under 2 minutes instead of 5 (three
    // at once took 140-160 s, eight about 100 s but with the cores saturated).
    return mochaTier(['--parallel', '--jobs', '6']);
  },
  webview: async () => {
    if (!hasTests(join(repoRoot, 'dist/test/webview'))) return { passed: 0, failed: 0, note: 'no tests' };
    // --no-config: .mocharc.json's unit spec would be added to ours (mocha concatenates specs).
    return mochaTier(['--no-config', '--timeout', '30000', '--enable-source-maps', '--exit', 'dist/test/webview/**/*.test.js']);
  },
  package: () => checkVsix(),
  // The short chaos soak (`npm run chaos` is the long one): one check per venue (nothing lost,
  // doubled or reordered) and one for the run (drained, nothing unhandled).
  chaos: async (stdio = 'inherit') => {
    const dir = mkdtempSync(join(tmpdir(), 'venue-chat-chaos-'));
    const json = join(dir, 'result.json');
    try {
      // A fixed seed, so a failure here replays exactly (`npm run chaos -- --short --seed 3`);
      // `npm run chaos` draws a new seed every run. VENUE_CHAT_CHAOS_SEED picks another.
      const seed = process.env.VENUE_CHAT_CHAOS_SEED ?? '3';
      const code = await exec(process.execPath, ['--enable-source-maps', join(repoRoot, 'dist', 'chaos.js'), '--short', '--seed', seed, '--json', json], {}, stdio);
      if (!existsSync(json)) return { passed: 0, failed: 1, note: `the soak exited ${code} without a result` };
      const result = JSON.parse(readFileSync(json, 'utf8'));
      const clean = result.verdicts.filter((v) => v.lost === 0 && v.duplicated === 0 && v.outOfOrder === 0).length;
      const runClean = result.drained && result.unhandled.length === 0 ? 1 : 0;
      return { passed: clean + runClean, failed: result.verdicts.length - clean + (1 - runClean), note: `seed ${result.seed}` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  integration: async () => {
    try {
      const { passed, failed } = await runIntegration({ quiet: true });
      return { passed, failed };
    } catch (err) {
      console.error(`[integration] harness failed: ${err.stack ?? err}`);
      return { passed: 0, failed: 1, note: 'harness failed' };
    }
  },
};

/** Debian packages and code-server, so a fresh machine needs nothing but `npm ci && npm test`. */
async function setup(tiers) {
  const needsBrowser = tiers.includes('webview') || tiers.includes('integration') || tiers.includes('package');
  const needsVsCode = tiers.includes('package') || (tiers.includes('integration') && (process.env.VENUE_CHAT_TEST_HOST ?? 'code-server') === 'code-server');
  if (!needsBrowser && !needsVsCode) return null;
  try {
    await ensureDebianPackages();
    if (needsVsCode) await ensureCodeServer();
    return null;
  } catch (err) {
    console.error(`[setup] ${err.message}`);
    return err;
  }
}

function printSummary(rows) {
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(12) : String(c).padStart(i === 3 ? 9 : 7))).join(' ');
  console.log('\n' + line(['tier', 'passed', 'failed', 'time']) + '  note');
  for (const r of rows) console.log(line([r.tier, r.passed, r.failed, `${(r.ms / 1000).toFixed(1)} s`]) + (r.note ? `  ${r.note}` : ''));
}

async function main() {
  const tiers = selectedTiers(process.argv.slice(2));
  const rows = [];
  const t0 = Date.now();
  const setupError = await setup(tiers);
  if (setupError) rows.push({ tier: 'setup', passed: 0, failed: 1, ms: Date.now() - t0, note: setupError.message.split('\n')[0] });

  let buildFailed = false;
  // Independent tiers share the two cores where that costs no reliability: lint beside typecheck
  // (one core each), and the chaos soak (it waits on sockets and timers most of its time) beside
  // the webview tier. The unit tier runs alone (six of its files at a time): beside the webview
  // tier a timing test of its own and the integration tier's push-rate test failed under the load in CI.
  // Alone (--tier=chaos) a tier runs in the open.
  const hostOf = (tier) => (BESIDE[tier] && tiers.includes(BESIDE[tier]) ? BESIDE[tier] : undefined);
  const skipReason = (tier) => {
    if (buildFailed && TEST_TIERS.includes(tier)) return 'skipped: build failed';
    if (setupError && (tier === 'integration' || tier === 'package')) return 'skipped: setup failed';
    return undefined;
  };
  for (const tier of tiers) {
    if (hostOf(tier)) continue; // started with its host tier
    const skipped = skipReason(tier);
    if (skipped) {
      rows.push({ tier, passed: 0, failed: 0, ms: 0, note: skipped });
      continue;
    }
    const besides = tiers.filter((t) => hostOf(t) === tier).map((t) => {
      const skippedBeside = skipReason(t);
      return skippedBeside ? Promise.resolve({ tier: t, passed: 0, failed: 0, ms: 0, note: skippedBeside }) : runBeside(t, tier);
    });
    const names = tiers.filter((t) => hostOf(t) === tier);
    console.log(`\n=== ${tier}${names.length ? ` (${names.join(', ')} running beside it; output after it)` : ''} ===`);
    const started = Date.now();
    const result = await runners[tier]();
    rows.push({ tier, ms: Date.now() - started, note: '', ...result });
    if (tier === 'build' && result.failed) buildFailed = true;
    for (const beside of await Promise.all(besides)) {
      if (beside.log !== undefined) console.log(`\n=== ${beside.tier} (ran beside the ${beside.host} tier) ===\n${beside.log.trimEnd()}`);
      const { log: _log, host: _host, ...row } = beside;
      rows.push(row);
    }
  }
  rows.sort((a, b) => order(a.tier) - order(b.tier));

  printSummary(rows);
  const passed = rows.reduce((n, r) => n + r.passed, 0);
  const failed = rows.reduce((n, r) => n + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

try {
  await main();
} catch (err) {
  // A harness bug still ends with the summary line the CI log promises.
  console.error(err.stack ?? String(err));
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
}
