// A reaction (WhatsApp): the emoji, and which message it answers when the venue says. An empty
// emoji means the sender withdrew their reaction.
import { revealed } from '../../bidiReveal';
import { el } from '../../dom';
import { labelledFallback } from './fallbackBlock';
import type { MessageRenderer } from './types';

export const renderReaction: MessageRenderer = (message) => {
  const payload = message.payload?.type === 'reaction' ? message.payload : undefined;
  if (!payload) return labelledFallback(message, 'content--reaction', 'Reaction');
  return el('div', { className: 'content content--reaction' }, [
    payload.emoji
      ? el('span', { className: 'reaction__emoji', attrs: { 'aria-label': 'Reacted with' } }, revealed(payload.emoji))
      : el('span', { className: 'reaction__removed', text: 'Reaction removed' }),
    el('span', { className: 'reaction__target', text: payload.emoji ? 'reacted to a message' : '' }),
  ]);
};
