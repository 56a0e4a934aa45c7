#!/usr/bin/env node
// `npm start`: build, start the venue sandbox (every emulator in sandbox/registry.ts), and open VS
// Code with the extension under development wired to it (env VENUE_CHAT_SANDBOX = the sandbox's
// ready JSON; the extension adds the accounts of every venue it supports). Uses a desktop
// `code` when there is one, otherwise code-server on 127.0.0.1 (PORT, default 8080). Stays in the
// foreground until Ctrl+C / SIGTERM, then stops everything it started.
// Flags: --no-build. Env: VENUE_CHAT_START_HOST=code-server forces code-server.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureCodeServer, ensureDebianPackages, launchCodeServer, repoRoot, workbenchUrl } from './lib/codeServer.mjs';
import { freePort, killTree, portInUse, run } from './lib/processes.mjs';

const READY_PREFIX = 'VENUE_CHAT_SANDBOX_READY ';
const stateDir = join(repoRoot, '.cache', 'start'); // git-ignored; keeps settings between runs
// Overridable only to test this launcher without the real sandbox.
const sandboxScript = process.env.VENUE_CHAT_SANDBOX_SCRIPT ?? join(repoRoot, 'dist', 'sandbox.js');

const cleanups = [];
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  process.exit(code);
}

/** Starts the sandbox and resolves with its ready JSON (as sent, a string). */
function startSandbox() {
  if (!existsSync(sandboxScript)) {
    throw new Error(`${sandboxScript} does not exist: the sandbox (sandbox/main.ts) has not been built. Run \`node esbuild.mjs\` and check for errors.`);
  }
  // `npm start -- --active-orders=30` runs a merchant desk: arguments after `--` go to the sandbox.
  const child = spawn(process.execPath, [sandboxScript, '--port', '0', '--pair-after-ms', '40000', ...process.argv.slice(2).filter((a) => a !== '--no-build')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => killTree(child.pid));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the sandbox did not print its ready line within 30 s')), 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith(READY_PREFIX)) return void console.log(`[sandbox] ${line}`);
      const json = line.slice(READY_PREFIX.length).trim();
      try {
        JSON.parse(json);
      } catch {
        return reject(new Error(`the sandbox's ready line is not JSON: ${json}`));
      }
      clearTimeout(timer);
      resolve(json);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited (${code ?? signal})`));
      if (!stopping) {
        console.error(`[start] the sandbox exited (${code ?? signal}); stopping`);
        void shutdown(1);
      }
    });
  });
}

/** One line per emulator: `mexc (MEXC P2P, 2 accounts)`. */
function describeVenues(info) {
  const accounts = Array.isArray(info.accounts) ? info.accounts : [];
  return Object.entries(info.venues ?? {}).map(([id, v]) => {
    const n = accounts.filter((a) => a.venue === id).length;
    return `${id} (${v.name ?? id}, ${n} account${n === 1 ? '' : 's'})`;
  });
}

/** A desktop `code` on PATH, but not the remote CLI that VS Code puts in its own terminals. */
function desktopCode() {
  if (process.env.VENUE_CHAT_START_HOST === 'code-server') return null;
  const found = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
  const path = found.status === 0 ? found.stdout.trim() : '';
  if (!path) return null;
  return /remote-cli|code-server/.test(realpathSync(path)) ? null : path;
}

async function choosePort() {
  const wanted = Number(process.env.PORT) || 8080;
  if (!(await portInUse(wanted))) return wanted;
  const port = await freePort();
  console.log(`[start] port ${wanted} is busy, using ${port}`);
  return port;
}

function banner(lines) {
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  console.log(`\n${'='.repeat(width)}\n${lines.map((l) => `  ${l}`).join('\n')}\n${'='.repeat(width)}\n`);
}

async function main() {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  if (!process.argv.includes('--no-build')) {
    console.log('[start] building');
    await run(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, echo: true }).catch(() => {
      throw new Error('the build failed (errors above)');
    });
  }
  const sandboxJson = await startSandbox();
  const sandbox = JSON.parse(sandboxJson);
  const venues = describeVenues(sandbox);
  console.log(`[start] sandbox ready: ${venues.join('; ') || 'no venues'}`);
  console.log(`[start] sandbox control: ${sandbox.control ?? '(none)'} (GET /venues lists each venue's routes)`);
  const env = { VENUE_CHAT_SANDBOX: sandboxJson };
  const workspace = join(stateDir, 'workspace');
  mkdirSync(workspace, { recursive: true });

  const code = desktopCode();
  if (code) {
    // The CLI hands the window to the desktop app and returns; the sandbox keeps running here.
    await run(code, ['--new-window', `--extensionDevelopmentPath=${repoRoot}`, workspace], { env, echo: true });
    banner(['Venue Chat is running in a new VS Code window (Extension Development Host).',
      `Sandbox venues: ${venues.join('; ') || 'none'}`,
      `Sandbox control: ${sandbox.control ?? '(none)'}`, 'Press Ctrl+C here to stop the sandbox.']);
    return;
  }

  await ensureDebianPackages();
  await ensureCodeServer();
  const server = await launchCodeServer({
    port: await choosePort(),
    userDataDir: join(stateDir, 'user-data'),
    extensionsDir: join(stateDir, 'extensions'),
    folder: workspace,
    env,
    // The workspace sits inside this repository; don't offer to open the repo's git state.
    settings: { 'git.openRepositoryInParentFolders': 'never' },
    logFile: join(stateDir, 'code-server.log'),
    isolateDataHome: false,
  });
  cleanups.push(() => server.stop());
  server.child.on('exit', (c, signal) => {
    if (stopping) return;
    console.error(`[start] code-server exited (${c ?? signal}); see ${join(stateDir, 'code-server.log')}`);
    void shutdown(1);
  });
  banner([
    'Venue Chat is running in code-server (VS Code 1.100 in the browser). Open:',
    '',
    workbenchUrl({ url: server.url, port: server.port, folder: workspace, extensionPath: repoRoot }),
    '',
    `Sandbox venues: ${venues.join('; ') || 'none'}`,
    `Sandbox control: ${sandbox.control ?? '(none)'}`,
    `code-server log: ${join(stateDir, 'code-server.log')}`,
    'Press Ctrl+C to stop.',
  ]);
}

main().catch((err) => {
  console.error(`[start] ${err.message}`); // command output was already echoed
  void shutdown(1);
});
