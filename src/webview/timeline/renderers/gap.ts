// A gap marks time during which the connection was down on a venue without history (MEXC): the
// messages sent to the user then cannot be fetched, and the reader must know they may be missing.
import { el } from '../../dom';
import { icons } from '../../icons';
import { formatRange, formatSpan } from '../format';
import type { MessageRenderer } from './types';

export function gapText(from: number, to: number): string {
  const span = formatSpan(to - from);
  const duration = span ? ` (lost connection for ${span})` : '';
  return `Connection lost ${formatRange(from, to)}${duration} — this venue has no history, messages sent to you then may be missing`;
}

export const renderGap: MessageRenderer = (message) => {
  const from = message.gap?.from ?? message.time;
  const to = message.gap?.to ?? message.time;
  return el('div', { className: 'content content--gap', attrs: { role: 'note' } }, [icons.error(), el('span', { className: 'gap__text', text: gapText(from, to) })]);
};
