// A reaction (WhatsApp): the emoji, and which message it answers when the venue says. An empty
// emoji means the sender withdrew their reaction.
import * as l10n from '@vscode/l10n';
import { revealed } from '../../bidiReveal';
import { el } from '../../dom';
import { labelledFallback } from './fallbackBlock';
import type { MessageRenderer } from './types';

export const renderReaction: MessageRenderer = (message) => {
  const payload = message.payload?.type === 'reaction' ? message.payload : undefined;
  if (!payload) return labelledFallback(message, 'content--reaction', l10n.t({ message: 'Reaction', comment: ['A message kind: an emoji answering a message'] }));
  return el('div', { className: 'content content--reaction' }, [
    payload.emoji
      ? el('span', { className: 'reaction__emoji', attrs: { 'aria-label': l10n.t({ message: 'Reacted with', comment: ['Read out before the emoji of a reaction'] }) } }, revealed(payload.emoji))
      : el('span', { className: 'reaction__removed', text: l10n.t('Reaction removed') }),
    el('span', { className: 'reaction__target', text: payload.emoji ? l10n.t({ message: 'reacted to a message', comment: ['Follows the emoji of a reaction'] }) : '' }),
  ]);
};
