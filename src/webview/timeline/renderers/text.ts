import { el } from '../../dom';
import { attachmentsBlock } from './media';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

export const renderText: MessageRenderer = (message) =>
  el('div', { className: 'content content--text' }, [textBlock(message.text ?? ''), attachmentsBlock(message.attachments)]);

/**
 * Markdown is shown as its plain source text for now: that is always safe and readable. A real
 * renderer must keep raw HTML disabled (design §8) and route links through `linkElement`.
 */
export const renderMarkdown: MessageRenderer = (message) =>
  el('div', { className: 'content content--markdown', attrs: { title: 'Formatted text, shown as plain text' } }, [
    textBlock(message.text ?? ''),
    attachmentsBlock(message.attachments),
  ]);
