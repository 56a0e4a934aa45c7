// A poll (WhatsApp): the question and its options, read-only (votes are cast on the phone).
import * as l10n from '@vscode/l10n';
import { revealed } from '../../bidiReveal';
import { el } from '../../dom';
import { labelledFallback } from './fallbackBlock';
import type { MessageRenderer } from './types';

const pollLabel = (): string => l10n.t({ message: 'Poll', comment: ['A message kind: a question with answers to vote for'] });

export const renderPoll: MessageRenderer = (message) => {
  const payload = message.payload?.type === 'poll' ? message.payload : undefined;
  if (!payload) return labelledFallback(message, 'content--poll', pollLabel());
  return el('div', { className: 'content content--poll' }, [
    el('div', { className: 'content__label', text: payload.allowMultipleAnswers ? l10n.t('Poll (several answers allowed)') : pollLabel() }),
    el('div', { className: 'poll__question', attrs: { dir: 'auto' } }, revealed(payload.question)),
    el('ol', { className: 'poll__options' }, payload.options.map((option) => el('li', { className: 'poll__option', attrs: { dir: 'auto' } }, revealed(option)))),
  ]);
};
