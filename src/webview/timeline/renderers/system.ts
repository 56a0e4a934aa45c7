import { el } from '../../dom';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

export const renderSystem: MessageRenderer = (message) =>
  el('div', { className: 'content content--system' }, [textBlock(message.text ?? '', 'text system-text')]);
