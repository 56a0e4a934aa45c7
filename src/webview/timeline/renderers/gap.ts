// A gap marks time during which the connection was down on a venue without history (MEXC): the
// messages sent to the user then cannot be fetched, and the reader must know they may be missing.
// On a venue with history it marks a hole the backfill is still reading back (or has read back).
import * as l10n from '@vscode/l10n';
import { el } from '../../dom';
import { icons } from '../../icons';
import { formatRange, formatSpan } from '../format';
import type { MessageRenderer } from './types';

export function gapText(from: number, to: number): string {
  const span = formatSpan(to - from);
  const range = formatRange(from, to);
  return span
    ? l10n.t({
        message: 'Connection lost {0} (lost connection for {1}) — this venue has no history, messages sent to you then may be missing',
        args: [range, span],
        comment: ['{0} is a time range such as 08:00–10:05, {1} a span of time such as 2 h 5 min'],
      })
    : l10n.t({ message: 'Connection lost {0} — this venue has no history, messages sent to you then may be missing', args: [range], comment: ['{0} is a time range such as 08:00–10:05'] });
}

/**
 * A hole in a venue with history, too long for one backfill: `filled` false while the next reads go
 * on, true once they reached the messages stored before it (nothing is missing then).
 */
export function historyHoleText(from: number, to: number, filled: boolean): string {
  return filled
    ? l10n.t({ message: "Messages from {0} were read back from the venue's history", args: [formatRange(from, to)], comment: ['{0} is a time range such as 08:00–10:05'] })
    : l10n.t({ message: "Reading the messages from {0} back from the venue's history…", args: [formatRange(from, to)], comment: ['{0} is a time range such as 08:00–10:05'] });
}

export const renderGap: MessageRenderer = (message) => {
  const from = message.gap?.from ?? message.time;
  const to = message.gap?.to ?? message.time;
  const filled = message.gap?.filled;
  if (filled !== undefined) return el('div', { className: 'content content--gap', attrs: { role: 'note' } }, [filled ? icons.check() : icons.clock(), el('span', { className: 'gap__text', text: historyHoleText(from, to, filled) })]);
  return el('div', { className: 'content content--gap', attrs: { role: 'note' } }, [icons.error(), el('span', { className: 'gap__text', text: gapText(from, to) })]);
};
