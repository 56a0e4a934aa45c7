// Withdrawn messages. A message the sender recalled shows that it was withdrawn, never what it
// said (it may have been a wrong payment detail); a `recall` event is a centred line.
import * as l10n from '@vscode/l10n';
import { el } from '../../dom';
import { icons } from '../../icons';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

/** What a withdrawn message shows instead of its content (a module constant: l10nSetup.ts has run). */
export const WITHDRAWN_TEXT = l10n.t('Message withdrawn');

export const renderRecalled: MessageRenderer = () =>
  el('div', { className: 'content content--recalled', attrs: { role: 'note' } }, [icons.withdrawn(), el('span', { className: 'recalled__text', text: WITHDRAWN_TEXT })]);

export const renderRecall: MessageRenderer = (message) => {
  const who = message.senderName ? l10n.t({ message: '{0} withdrew a message', args: [message.senderName], comment: ['{0} is who'] }) : l10n.t('A message was withdrawn');
  return el('div', { className: 'content content--system content--recall' }, [textBlock(message.text || who, 'text system-text')]);
};
