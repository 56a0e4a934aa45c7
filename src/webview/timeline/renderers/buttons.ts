// A group of venue buttons, with the text that came with them.
import { el } from '../../dom';
import { actionButtons } from './actionButtons';
import { labelledFallback } from './fallbackBlock';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

export const renderButtons: MessageRenderer = (message) => {
  const payload = message.payload?.type === 'buttons' ? message.payload : undefined;
  if (!payload) return labelledFallback(message, 'content--buttons', 'Message with buttons (answer on the venue)');
  return el('div', { className: 'content content--buttons' }, [message.text ? textBlock(message.text) : null, actionButtons(payload.buttons)]);
};
