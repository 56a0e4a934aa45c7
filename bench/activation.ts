// `npm run bench -- activate`: module load + activate() of the production bundle, each run in a
// fresh Node process (the probe) with the `vscode` stand-in and an empty store: with no accounts,
// and with one saved sandbox account per venue (and with 100k and 1M messages stored, no accounts); for those also the time until the account's
// adapter is in the hub (after activation: connecting loads its venue code). Each case twice:
// host-like (the Node built-ins and undici the extension host has loaded before any extension are
// preloaded; the goal) and in a cold Node process. Also the bytes of JS loaded. Baselines, in the
// same processes: `require` of an empty module and of the `ws` package.
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/index';
import type { OutboxEntry } from '../src/extension/core/delivery/outboxEntry';
import { VENUE_IDS, type VenueId } from '../src/shared/model';
import type { ActivateResult, ProbeAccount } from './probe';
import { buildProduction, repoRoot, runProbe, withStorage } from './probeRunner';
import { type BenchRow, bytes, ms, verdict } from './report';
import { HISTORY_ACCOUNT, LONGEST_CHAT, writeHistory } from './storeOpen';
import { stats } from './stats';

const GOAL_MS = 50;
const GOAL_BYTES = 500 * 1024;

/** The first sandbox account of a venue, as a saved account record with its keys. */
export function sandboxAccount(info: { accounts: readonly { venue: string; label: string; credentials: Readonly<Record<string, string>>; endpoints: Readonly<Record<string, string>>; settings?: Readonly<Record<string, string>> }[] }, venue: VenueId): ProbeAccount {
  const account = info.accounts.find((a) => a.venue === venue);
  if (!account) throw new Error(`the sandbox has no ${venue} account`);
  return {
    record: { id: `bench-${venue}`, venue, label: account.label, endpoints: account.endpoints, ...(account.settings ? { settings: account.settings } : {}), createdAt: 1 },
    credentials: account.credentials,
  };
}

interface Case {
  readonly id: string;
  readonly label: string;
  readonly account?: ProbeAccount;
  /** Messages stored before activation (store/messages written as years of use leave it). */
  readonly history?: number;
  /** The outbox log keeps a send of the last session in the longest stored chat (checked against the store at start). */
  readonly lastSessionSend?: boolean;
}

/** A finished send of the last session in the longest chat `writeHistory` writes, as the outbox log keeps it. */
function lastSessionSend(): OutboxEntry {
  return { clientMessageId: 'bench-last-send', venue: 'mexc', accountId: HISTORY_ACCOUNT, conversationId: LONGEST_CHAT, kind: 'text', text: 'paid, reference 1234', composedAt: 1, attempts: 1, state: 'done', updatedAt: 2 };
}

/** A storage directory holding `history` stored messages, made once and used by every run of its case. */
async function withHistory<T>(c: Case, run: (dir: string) => Promise<T>): Promise<T> {
  const history = c.history;
  if (history === undefined) return withStorage(run);
  const dir = await mkdtemp(join(tmpdir(), 'venue-chat-bench-history-'));
  try {
    await writeHistory(join(dir, 'store'), history, Math.min(history, 100_000));
    if (c.lastSessionSend) await writeFile(join(dir, 'outbox.jsonl'), `${JSON.stringify(lastSessionSend())}\n`);
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function activationBench(runs: number, sourceDir?: string): Promise<BenchRow[]> {
  const build = await buildProduction(sourceDir);
  const sandbox = await startSandbox({ counterparty: false });
  const emptyModule = join(build.root, 'empty.js');
  writeFileSync(emptyModule, 'module.exports = {};\n');
  const wsModule = require.resolve('ws', { paths: [repoRoot] });
  const rows: BenchRow[] = [];
  try {
    const cases: Case[] = [
      { id: 'none', label: 'no accounts' },
      ...VENUE_IDS.map((venue) => ({ id: venue, label: `one ${venue} account`, account: sandboxAccount(sandbox.info, venue) })),
      { id: 'history100k', label: 'no accounts, 100k messages stored', history: 100_000 },
      { id: 'history1M', label: 'no accounts, 1M messages stored', history: 1_000_000 },
      { id: 'history100kSend', label: 'no accounts, 100k messages stored, a send of the last session kept in the 100k-message chat', history: 100_000, lastSessionSend: true },
    ];
    for (const c of cases) {
      // Host-like (the goal): Node built-ins and undici preloaded as in the extension host. Cold: a bare Node process.
      for (const hostPreload of c.history === undefined ? [true, false] : [true]) {
        const results = await withHistory(c, async (historyDir) => {
          const out: ActivateResult[] = [];
          for (let i = 0; i < runs; i++) {
            const probe = (storageDir: string) =>
              runProbe<ActivateResult>({ mode: 'activate', bundle: build.bundle, storageDir, extensionDir: build.root, emptyModule, wsModule, hostPreload, ...(c.account ? { account: c.account } : {}) }).result;
            out.push(c.history === undefined ? await withStorage(probe) : await probe(historyDir));
          }
          return out;
        });
        const total = stats(results.map((r) => r.requireMs + r.activateMs));
        const cpu = stats(results.map((r) => r.cpuMs));
        const load = stats(results.map((r) => r.requireMs));
        const activate = stats(results.map((r) => r.activateMs));
        const ws = stats(results.map((r) => r.wsMs));
        const empty = stats(results.map((r) => r.emptyModuleMs));
        const mode = hostPreload ? 'host-like' : 'cold Node';
        const last = results[results.length - 1]!;
        const sum = (files: readonly { bytes: number }[]) => files.reduce((n, f) => n + f.bytes, 0);
        const names = (files: readonly { file: string }[]) => files.map((f) => f.file.replace(`${build.root}/dist/`, '')).join(', ');
        const ready = c.account ? stats(results.map((r) => r.accountReadyMs!)) : undefined;
        const readyCpu = c.account ? stats(results.map((r) => r.accountReadyCpuMs!)) : undefined;
        console.log(
          `activate (${c.label}, ${mode}, median of ${runs})  require + activate() ${ms(total.p50)} (CPU ${ms(cpu.p50)}): require ${ms(load.p50)}, activate() ${ms(activate.p50)}, loads ${bytes(sum(last.loaded))} (${names(last.loaded)})` +
            (ready ? ` | until the adapter runs ${ms(ready.p50)} (CPU ${ms(readyCpu!.p50)}), loads ${bytes(sum(last.loadedUntilReady))} (${names(last.loadedUntilReady)})` : '') +
            ` | require('ws') ${ms(ws.p50)}, empty module ${ms(empty.p50)}`,
        );
        const values = { ms: total.p50, p95: total.p95, cpuMs: cpu.p50, requireMs: load.p50, activateMs: activate.p50, wsMs: ws.p50, emptyModuleMs: empty.p50 };
        rows.push({
          id: hostPreload ? `activate.${c.id}` : `activate.${c.id}.cold`,
          what: `module load + activate(), ${c.label} (${mode}), median of ${runs}`,
          goal: hostPreload ? `< ${GOAL_MS} ms` : '',
          measured: `${ms(total.p50)} (CPU ${ms(cpu.p50)})`,
          baseline: `require('ws') ${ms(ws.p50)}`,
          ratio: total.p50 / ws.p50,
          verdict: hostPreload ? verdict(total.p50 < GOAL_MS) : 'info',
          values,
        });
        if (!hostPreload) continue;
        rows.push({
          id: `activate.bytes.${c.id}`,
          what: `JS loaded by module load + activate(), ${c.label}: ${names(last.loaded)}`,
          goal: `< ${bytes(GOAL_BYTES)}`,
          measured: bytes(sum(last.loaded)),
          verdict: verdict(sum(last.loaded) < GOAL_BYTES),
          values: { bytes: sum(last.loaded), files: last.loaded.length },
        });
        if (!ready) continue;
        // After activation: connecting the saved account loads its venue code and the libraries it uses.
        rows.push({
          id: `activate.${c.id}.ready`,
          what: `until the ${c.id} account's adapter runs (after activate(): ${names(last.loadedUntilReady.filter((f) => !last.loaded.some((l) => l.file === f.file)))})`,
          goal: '',
          measured: `${ms(ready.p50)} (CPU ${ms(readyCpu!.p50)}), ${bytes(sum(last.loadedUntilReady))} loaded`,
          baseline: `require('ws') ${ms(ws.p50)}`,
          ratio: ready.p50 / ws.p50,
          verdict: 'info',
          values: { ms: ready.p50, p95: ready.p95, cpuMs: readyCpu!.p50, bytes: sum(last.loadedUntilReady), files: last.loadedUntilReady.length },
        });
      }
    }
  } finally {
    await sandbox.close();
    await build.dispose();
  }
  return rows;
}
