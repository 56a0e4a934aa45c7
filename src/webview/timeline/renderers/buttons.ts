// A group of venue buttons, with the text that came with them.
import * as l10n from '@vscode/l10n';
import { el } from '../../dom';
import { actionButtons } from './actionButtons';
import { labelledFallback } from './fallbackBlock';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

export const renderButtons: MessageRenderer = (message) => {
  const payload = message.payload?.type === 'buttons' ? message.payload : undefined;
  if (!payload) return labelledFallback(message, 'content--buttons', l10n.t('Message with buttons (answer on the venue)'));
  return el('div', { className: 'content content--buttons' }, [message.text ? textBlock(message.text) : null, actionButtons(payload.buttons)]);
};
