// The readable fallback of a structured kind whose payload is missing or unusable: what kind of
// thing it is, then the text and attachments the venue sent with it.
import type { ChatMessage } from '../../../shared/model';
import { el } from '../../dom';
import { attachmentsBlock } from './media';
import { textBlock } from './textBlock';

export function labelledFallback(message: ChatMessage, kindClass: string, label: string): HTMLElement {
  return el('div', { className: `content content--labelled ${kindClass}` }, [
    el('div', { className: 'content__label', text: label }),
    message.text ? textBlock(message.text) : null,
    attachmentsBlock(message.attachments),
  ]);
}
