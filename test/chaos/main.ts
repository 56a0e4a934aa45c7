// Entry of dist/chaos.js. `node dist/chaos.js [--short] [--seed N] [--messages N] [--rate N]
// [--kills N] [--venues mexc,bybit] [--keep] [--json FILE]` runs the soak and prints the table; exit status 1 when anything was
// lost, duplicated, reordered or unhandled. With --desk it is the desk process the soak starts.
import { writeFileSync } from 'node:fs';
import { runChaos, type ChaosOptions } from './chaosRun';
import { DESK_FLAG } from './deskProtocol';
import { runDesk } from './desk';
import { chaosTable, failuresOf } from './chaosReport';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function numberFlag(name: string, fallback: number): number {
  const raw = flag(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} takes a number, not "${raw}"`);
  return n;
}

async function main(): Promise<number> {
  const deskAt = process.argv.indexOf(DESK_FLAG);
  if (deskAt >= 0) {
    await runDesk(process.argv[deskAt + 1]!);
    return -1;
  }
  const short = process.argv.includes('--short');
  const options: ChaosOptions = {
    seed: numberFlag('seed', Math.floor(Math.random() * 2 ** 31)),
    // MultiWA's gateway takes 2 sends a second per route (120 a minute): 2,000 messages need 17
    // minutes there, so the long soak drains for up to 25; the short one stays near two minutes.
    messages: numberFlag('messages', short ? 150 : 2_000),
    rate: numberFlag('rate', short ? 5 : 10),
    kills: numberFlag('kills', 3),
    faultEveryMs: numberFlag('fault-every-ms', 250),
    fullDiskMs: numberFlag('full-disk-ms', short ? 2_000 : 4_000),
    drainTimeoutMs: numberFlag('drain-timeout-ms', short ? 180_000 : 25 * 60_000),
    keep: process.argv.includes('--keep'),
    venues: (flag('venues') ?? '').split(',').filter(Boolean),
    script: __filename,
    log: (line) => console.log(`[chaos ${new Date().toISOString().slice(11, 23)}] ${line}`),
  };
  console.log(`chaos soak: seed ${options.seed} (replay with --seed ${options.seed}${short ? ' --short' : ''})`);
  const result = await runChaos(options);
  console.log(chaosTable(result));
  const json = flag('json');
  if (json) writeFileSync(json, JSON.stringify(result, null, 2));
  const failures = failuresOf(result);
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(failures.length === 0 ? 'chaos soak: 0 lost, 0 duplicated, 0 out of order, 0 unhandled' : `chaos soak FAILED (seed ${options.seed})`);
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(2);
  },
);
