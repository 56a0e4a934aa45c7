// "12.3 of 40 MB": how much of a file has arrived, in the unit of its total (binary multiples,
// as the pane's file sizes), shared by the host's notification and the pane's file card.
import * as l10n from '@vscode/l10n';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

function unitFor(size: number): number {
  let unit = 0;
  while (size >= 1024 && unit < UNITS.length - 1) {
    size /= 1024;
    unit++;
  }
  return unit;
}

function inUnit(size: number, unit: number): string {
  if (unit === 0) return String(Math.round(size));
  const value = size / 1024 ** unit;
  const text = value.toFixed(value < 100 ? 1 : 0);
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** "12.3 of 40 MB", or "12.3 MB" when the total is not known. */
export function formatByteProgress(received: number, total?: number): string {
  const r = Number.isFinite(received) && received > 0 ? received : 0;
  if (total === undefined || !Number.isFinite(total) || total <= 0) {
    const unit = unitFor(r);
    return `${inUnit(r, unit)} ${UNITS[unit]}`;
  }
  const unit = unitFor(total);
  return l10n.t({
    message: '{0} of {1} {2}',
    args: [inUnit(Math.min(r, total), unit), inUnit(total, unit), UNITS[unit]],
    comment: ['How much of a file has arrived, e.g. "12.3 of 40 MB": {2} is the unit (B, KB, MB, GB, TB)'],
  });
}
