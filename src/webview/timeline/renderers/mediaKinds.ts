// Image, video, audio and sticker messages: their attachments of the matching kind, then any
// caption text. A message of a media kind without a usable attachment still shows its text.
import type { Attachment, ChatMessage } from '../../../shared/model';
import { el } from '../../dom';
import { attachmentElement, imageElement } from './media';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

function mediaMessage(message: ChatMessage, className: string, render: (a: Attachment) => HTMLElement): HTMLElement {
  const attachments = message.attachments ?? [];
  const caption = message.text ? textBlock(message.text, 'text caption') : null;
  const media = attachments.length > 0 ? el('div', { className: 'attachments' }, attachments.map(render)) : null;
  const missing = attachments.length === 0 && !caption ? el('div', { className: 'media-unavailable', text: 'The attachment is not available.' }) : null;
  return el('div', { className: `content ${className}` }, [media, caption, missing]);
}

export const renderImage: MessageRenderer = (message) => mediaMessage(message, 'content--image', attachmentElement);
export const renderVideo: MessageRenderer = (message) => mediaMessage(message, 'content--video', attachmentElement);
export const renderAudio: MessageRenderer = (message) => mediaMessage(message, 'content--audio', attachmentElement);

/** Stickers are small pictures without a bubble; a sticker without an image shows its text (often an emoji). */
export const renderSticker: MessageRenderer = (message) => {
  const images = (message.attachments ?? []).filter((a) => a.kind === 'image');
  if (images.length === 0) return el('div', { className: 'content content--sticker' }, [textBlock(message.text ?? '🙂', 'text sticker-text')]);
  return el('div', { className: 'content content--sticker' }, images.map((a) => imageElement(a, 'media media--sticker')));
};
