// Withdrawn messages. A message the sender recalled shows that it was withdrawn, never what it
// said (it may have been a wrong payment detail); a `recall` event is a centred line.
import { el } from '../../dom';
import { icons } from '../../icons';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

export const WITHDRAWN_TEXT = 'Message withdrawn';

export const renderRecalled: MessageRenderer = () =>
  el('div', { className: 'content content--recalled', attrs: { role: 'note' } }, [icons.withdrawn(), el('span', { className: 'recalled__text', text: WITHDRAWN_TEXT })]);

export const renderRecall: MessageRenderer = (message) => {
  const who = message.senderName ? `${message.senderName} withdrew a message` : 'A message was withdrawn';
  return el('div', { className: 'content content--system content--recall' }, [textBlock(message.text || who, 'text system-text')]);
};
