import * as l10n from '@vscode/l10n';
import { el } from '../../dom';
import { fileCard } from './media';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

export const renderFile: MessageRenderer = (message) => {
  const files = message.attachments ?? [];
  return el('div', { className: 'content content--file' }, [
    files.length > 0 ? el('div', { className: 'attachments' }, files.map((a, i) => fileCard(a, i))) : null,
    message.text ? textBlock(message.text, 'text caption') : null,
    files.length === 0 && !message.text ? el('div', { className: 'media-unavailable', text: l10n.t('The file is not available.') }) : null,
  ]);
};
