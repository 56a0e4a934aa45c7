// A gap marks time during which the connection was down on a venue without history (MEXC): the
// messages sent to the user then cannot be fetched, and the reader must know they may be missing.
// On a venue with history it marks a hole the backfill is still reading back (or has read back).
import { el } from '../../dom';
import { icons } from '../../icons';
import { formatRange, formatSpan } from '../format';
import type { MessageRenderer } from './types';

export function gapText(from: number, to: number): string {
  const span = formatSpan(to - from);
  const duration = span ? ` (lost connection for ${span})` : '';
  return `Connection lost ${formatRange(from, to)}${duration} — this venue has no history, messages sent to you then may be missing`;
}

/**
 * A hole in a venue with history, too long for one backfill: `filled` false while the next reads go
 * on, true once they reached the messages stored before it (nothing is missing then).
 */
export function historyHoleText(from: number, to: number, filled: boolean): string {
  return filled ? `Messages from ${formatRange(from, to)} were read back from the venue's history` : `Reading the messages from ${formatRange(from, to)} back from the venue's history…`;
}

export const renderGap: MessageRenderer = (message) => {
  const from = message.gap?.from ?? message.time;
  const to = message.gap?.to ?? message.time;
  const filled = message.gap?.filled;
  if (filled !== undefined) return el('div', { className: 'content content--gap', attrs: { role: 'note' } }, [filled ? icons.check() : icons.clock(), el('span', { className: 'gap__text', text: historyHoleText(from, to, filled) })]);
  return el('div', { className: 'content content--gap', attrs: { role: 'note' } }, [icons.error(), el('span', { className: 'gap__text', text: gapText(from, to) })]);
};
