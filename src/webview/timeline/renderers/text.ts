import { el } from '../../dom';
import { attachmentsBlock } from './media';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

export const renderText: MessageRenderer = (message) =>
  el('div', { className: 'content content--text' }, [textBlock(message.text ?? ''), attachmentsBlock(message.attachments)]);
