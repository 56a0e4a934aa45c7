#!/usr/bin/env node
// `npm start` and `npm test` must work on a fresh checkout: install the locked dependencies first
// when they are missing (or older than package-lock.json), then run the real script.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  console.log('[venue-chat] installing dependencies (npm ci)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[venue-chat] npm ci failed');
    process.exit(result.status ?? 1);
  }
}
const [target, ...args] = process.argv.slice(2);
if (!target) {
  console.error('usage: node scripts/withDependencies.mjs <script.mjs> [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(root, target), ...args];
await import(pathToFileURL(resolve(root, target)).href);
