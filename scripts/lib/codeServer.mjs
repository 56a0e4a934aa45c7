// A real VS Code on machines without access to VS Code's own downloads: code-server from the npm
// registry carries the full VS Code (web workbench + server + Node extension host). Its npm
// postinstall cannot finish offline, so it is installed by hand into a git-ignored cache folder
// (the steps are the functions below; docs/architecture.md, Tests).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, killTree, outputTail, run } from './processes.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CODE_SERVER_VERSION = '4.100.3'; // = VS Code 1.100.3, runs on Node 20
export const codeServerDir = join(repoRoot, '.cache', 'code-server', CODE_SERVER_VERSION);
// Written last, so its presence means every step below succeeded.
const markerFile = join(codeServerDir, '.venue-chat-install-complete');

const log = (msg) => console.log(`[code-server] ${msg}`);

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Installs chromium (with the fonts its pages were measured with), ripgrep and the Kerberos headers (for code-server's native `kerberos`) when missing. */
export async function ensureDebianPackages() {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!onPath('rg')) missing.push('ripgrep');
  if (!existsSync('/usr/include/krb5.h') || !existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages: ${missing.join(', ')}. Install them as root: ` +
      'apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation libkrb5-dev ripgrep');
  }
  log(`installing Debian packages (missing: ${missing.join(', ')})`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env, echo: true });
  await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-liberation', 'libkrb5-dev', 'ripgrep'], { env, echo: true });
}

// npm prints a warning about the (intended) `nodedir` user config on every call; it is noise.
const npm = (args, cwd, env) => run('npm', args, { cwd, env: { npm_config_loglevel: 'error', ...env } });

const steps = (cs, tgzDir) => [
  ['download code-server tarball (npm pack)', () => npm(['pack', `code-server@${CODE_SERVER_VERSION}`, '--pack-destination', tgzDir], tgzDir)],
  ['unpack', () => run('tar', ['-xzf', join(tgzDir, `code-server-${CODE_SERVER_VERSION}.tgz`), '--strip-components=1', '-C', cs])],
  ['lib/vscode: npm install', () => npm(['install', '--omit=dev', '--ignore-scripts'], join(cs, 'lib/vscode'))],
  // Only these carry native code the server needs; rebuilt against Node's headers (npm config nodedir=/usr).
  ['lib/vscode: npm rebuild native modules', () => npm(
    ['rebuild', 'kerberos', 'native-watchdog', 'node-pty', '@parcel/watcher', '@vscode/deviceid', '@vscode/spdlog'],
    join(cs, 'lib/vscode'), { npm_config_yes: 'true' })],
  ['lib/vscode: link Debian ripgrep', () => {
    // @vscode/ripgrep's postinstall would download rg from GitHub; use the system one instead.
    const bin = join(cs, 'lib/vscode/node_modules/@vscode/ripgrep/bin');
    mkdirSync(bin, { recursive: true });
    rmSync(join(bin, 'rg'), { force: true });
    symlinkSync('/usr/bin/rg', join(bin, 'rg'));
    // The server resolves some modules through `node_modules.asar` (as in a packaged VS Code).
    rmSync(join(cs, 'lib/vscode/node_modules.asar'), { force: true });
    symlinkSync('node_modules', join(cs, 'lib/vscode/node_modules.asar'));
  }],
  ['lib/vscode/extensions: npm install', () => npm(['install', '--omit=dev', '--ignore-scripts'], join(cs, 'lib/vscode/extensions'))],
  ['code-server: npm install', () => npm(['install', '--omit=dev', '--ignore-scripts'], cs)],
  ['code-server: npm rebuild argon2', () => npm(['rebuild', 'argon2'], cs, { npm_config_yes: 'true' })],
];

/**
 * Installs code-server into `.cache/code-server/<version>/` once; later calls return at once.
 * A half-finished install (no marker) is wiped and redone, since npm leaves no reliable state.
 * @returns the install folder (contains out/node/entry.js)
 */
export async function ensureCodeServer() {
  if (existsSync(markerFile)) return codeServerDir;
  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} into ${codeServerDir} (takes a few minutes, once)`);
  rmSync(codeServerDir, { recursive: true, force: true });
  mkdirSync(codeServerDir, { recursive: true });
  const tgzDir = join(repoRoot, '.cache', 'code-server', 'download');
  rmSync(tgzDir, { recursive: true, force: true });
  mkdirSync(tgzDir, { recursive: true });
  for (const [name, step] of steps(codeServerDir, tgzDir)) {
    const t0 = Date.now();
    log(`${name} ...`);
    try {
      await step();
    } catch (err) {
      const tail = String(err.output ?? '').trim().split('\n').slice(-30).join('\n');
      throw new Error(`code-server install failed at step "${name}": ${err.message}\n--- output tail ---\n${tail}`);
    }
    log(`${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  rmSync(tgzDir, { recursive: true, force: true });
  writeFileSync(markerFile, JSON.stringify({ version: CODE_SERVER_VERSION, installedAt: new Date().toISOString() }) + '\n');
  log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return codeServerDir;
}

function writeSettings(userDataDir, extra) {
  const file = join(userDataDir, 'User', 'settings.json');
  mkdirSync(dirname(file), { recursive: true });
  let existing = {};
  try { existing = JSON.parse(readFileSync(file, 'utf8')); } catch { /* none yet */ }
  const settings = {
    ...existing,
    'security.workspace.trust.enabled': false, // the trust dialog would block extension activation
    'workbench.startupEditor': 'none',
    ...extra,
  };
  writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
}

async function waitForHttp(url, child, tail, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before answering\n${tail.text}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms\n${tail.text}`);
}

/**
 * Starts code-server on loopback and resolves once it answers HTTP.
 * @param {{port?: number, userDataDir: string, extensionsDir: string, folder: string,
 *          env?: Record<string,string>, settings?: object, logFile?: string, echo?: boolean,
 *          timeoutMs?: number, isolateDataHome?: boolean, locale?: string}} options
 *   settings: merged into User/settings.json; isolateDataHome: see below (default true);
 *   locale: VS Code's display language (`--locale`), e.g. `qps-ploc` for the pseudo-language.
 * @returns {Promise<{url: string, port: number, child: import('node:child_process').ChildProcess, stop: () => Promise<void>, kill: () => Promise<void>}>}
 */
export async function launchCodeServer({
  port, userDataDir, extensionsDir, folder, env = {}, settings = {}, logFile, echo = false, timeoutMs = 60_000, isolateDataHome = true, locale,
}) {
  const cs = codeServerDir;
  if (!existsSync(markerFile)) throw new Error('code-server is not installed: call ensureCodeServer() first');
  const chosenPort = port || await freePort();
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(folder, { recursive: true });
  writeSettings(userDataDir, settings);
  const args = [
    join(cs, 'out/node/entry.js'),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${chosenPort}`,
    '--disable-telemetry',
    '--disable-update-check', // no internet here; avoids a failing call to GitHub
    // Keep code-server's own config (it writes a default one) out of ~/.config.
    '--config', join(userDataDir, 'code-server.yaml'),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...(locale ? ['--locale', locale] : []),
    folder,
  ];
  // code-server keeps logs and a heartbeat file under XDG_DATA_HOME (default ~/.local/share); tests
  // keep them in their temp folder. Off for interactive use: terminals would inherit the variable.
  const childEnv = { ...process.env, ...(isolateDataHome ? { XDG_DATA_HOME: join(userDataDir, 'xdg-data') } : {}), ...env };
  // Own process group, so stop() can signal the server and all its forks at once.
  const child = spawn(process.execPath, args, { env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = outputTail(8000);
  const logStream = logFile ? createWriteStream(logFile) : null;
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      tail.push(chunk.toString());
      logStream?.write(chunk);
      if (echo) process.stdout.write(chunk);
    });
  }
  let stopped;
  const endLog = () => new Promise((r) => (logStream ? logStream.end(r) : r()));
  const stop = () => (stopped ??= killTree(child.pid).then(endLog));
  // As if the machine pulled the plug on VS Code: server, extension host and helpers SIGKILLed at once.
  const kill = () => (stopped ??= killTree(child.pid, { hard: true }).then(endLog));
  const url = `http://127.0.0.1:${chosenPort}`;
  try {
    await waitForHttp(`${url}/healthz`, child, tail, timeoutMs);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port: chosenPort, child, stop, kill, output: () => tail.text };
}

/**
 * The workbench URL that opens `folder` with the extension at `extensionPath` under development,
 * and (optionally) runs the extension tests at `testsPath`. Paths are absolute, on the server.
 */
export function workbenchUrl({ url, port, folder, extensionPath = repoRoot, testsPath, host = '127.0.0.1' }) {
  const remote = (p) => `vscode-remote://${host}:${port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(extensionPath)]];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  return `${url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

