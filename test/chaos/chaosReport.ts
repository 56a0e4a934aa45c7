// The soak's table (one row per venue) and the list of what failed it.
import type { ChaosResult } from './chaosRun';

const COLUMNS = ['venue', 'sent', 'at venue', 'said', 'stored', 'lost', 'missed', 'dup', 'order', 'unhandled', 'errors', 'faults', 'refused', 'asked', 'catch-up s'] as const;

export function chaosTable(result: ChaosResult): string {
  const rows = result.verdicts.map((v) => [v.venue, v.sent, v.receivedByVenue, v.said, v.receivedByUs, v.lost, v.missed, v.duplicated, v.outOfOrder, v.unhandled, v.errorsLogged, v.faults, v.refusedAtCompose, v.askedUser, (v.worstCatchUpMs / 1000).toFixed(1)].map(String));
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    '',
    line(COLUMNS),
    ...rows.map(line),
    '',
    `seed ${result.seed} · ${result.kills} kills, ${result.restarts} restarts from disk · full disk: ${result.fullDisk} · ${(result.elapsedMs / 1000).toFixed(0)} s${result.drained ? '' : ' · NOT DRAINED'}`,
    'sent: accepted into the outbox · at venue: ours the venue holds · said/stored: the counterparty\'s, and stored by us · missed: said while no socket of ours was live at a venue that keeps no history (MEXC: the pane shows a gap) · dup: either way · order: arrivals after a later message · errors: error lines in the log · refused: sends refused at compose (full disk), sent again · asked: ours marked failed for the user to retry (outcome unknowable: no history, no idempotency), retried · catch-up: worst delay from accepted/said to arrived',
    ...result.verdicts.flatMap((v) => v.problems.map((p) => `  ${v.venue}: ${p}`)),
    ...result.unhandled.map((u) => `  unhandled: ${u.split('\n')[0]}`),
  ].join('\n');
}

export function failuresOf(result: ChaosResult): string[] {
  const failures: string[] = [];
  for (const v of result.verdicts) {
    if (v.lost) failures.push(`${v.venue}: ${v.lost} lost`);
    if (v.duplicated) failures.push(`${v.venue}: ${v.duplicated} duplicated`);
    if (v.outOfOrder) failures.push(`${v.venue}: ${v.outOfOrder} out of order`);
  }
  if (result.unhandled.length) failures.push(`${result.unhandled.length} unhandled errors`);
  if (!result.drained) failures.push('not everything arrived before the drain timeout');
  return failures;
}
