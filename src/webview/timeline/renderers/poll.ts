// A poll (WhatsApp): the question and its options, read-only (votes are cast on the phone).
import { revealed } from '../../bidiReveal';
import { el } from '../../dom';
import { labelledFallback } from './fallbackBlock';
import type { MessageRenderer } from './types';

export const renderPoll: MessageRenderer = (message) => {
  const payload = message.payload?.type === 'poll' ? message.payload : undefined;
  if (!payload) return labelledFallback(message, 'content--poll', 'Poll');
  return el('div', { className: 'content content--poll' }, [
    el('div', { className: 'content__label', text: payload.allowMultipleAnswers ? 'Poll (several answers allowed)' : 'Poll' }),
    el('div', { className: 'poll__question', attrs: { dir: 'auto' } }, revealed(payload.question)),
    el('ol', { className: 'poll__options' }, payload.options.map((option) => el('li', { className: 'poll__option', attrs: { dir: 'auto' } }, revealed(option)))),
  ]);
};
