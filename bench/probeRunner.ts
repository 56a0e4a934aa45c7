// What the activation and idle benches share: a production build of the extension in a temporary
// folder (laid out like the installed extension: <root>/dist/...), and running the probe
// (dist/benchProbe.js) in a fresh Node process against it.
import { execFile, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActivateResult, IdleResult, ProbeConfig, ProbeMessage } from './probe';

/** The repository root: this bundle is dist/bench.js. */
export const repoRoot = join(__dirname, '..');

export interface ProductionBuild {
  /** Plays the installed extension's folder (context.extensionUri). */
  readonly root: string;
  readonly bundle: string;
  dispose(): Promise<void>;
}

/**
 * `node esbuild.mjs --production` of the shipped extension bundles, into a temporary folder.
 * `sourceDir`: another checkout to build instead of this one (`--source=`, for before/after).
 */
export async function buildProduction(sourceDir = repoRoot): Promise<ProductionBuild> {
  const root = await mkdtemp(join(tmpdir(), 'venue-chat-bench-prod-'));
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, ['esbuild.mjs', '--production', '--only=extension,venues,libs', `--out=${join(root, 'dist')}`], { cwd: sourceDir }, (err, _stdout, stderr) => (err ? reject(new Error(`production build failed: ${stderr}`)) : resolve())),
  );
  return { root, bundle: join(root, 'dist', 'extension.js'), dispose: () => rm(root, { recursive: true, force: true }) };
}

export interface ProbeRun<R> {
  readonly result: Promise<R>;
  /** Resolves when an idle probe starts its quiet window. */
  readonly windowStarted: Promise<void>;
}

/** Runs the probe in a fresh process; `sourceMaps` only where call sites matter (source maps slow loading). */
export function runProbe<R extends ActivateResult | IdleResult>(config: ProbeConfig, options: { sourceMaps?: boolean } = {}): ProbeRun<R> {
  const child = fork(join(repoRoot, 'dist', 'benchProbe.js'), [], {
    env: { ...process.env, VENUE_CHAT_PROBE: JSON.stringify(config) },
    execArgv: options.sourceMaps ? ['--enable-source-maps'] : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let started!: () => void;
  const windowStarted = new Promise<void>((r) => (started = r));
  const result = new Promise<R>((resolve, reject) => {
    let settled = false;
    child.on('message', (m: ProbeMessage) => {
      if (m.type === 'window-start') return started();
      settled = true;
      if (m.type === 'error') reject(new Error(`probe: ${m.message}`));
      else resolve(m as R);
    });
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`probe exited with ${code} before reporting`));
    });
  });
  return { result, windowStarted };
}

/** A fresh storage folder per probe run (the extension's globalStorageUri). */
export async function withStorage<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'venue-chat-bench-storage-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
