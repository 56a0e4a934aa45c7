// Image, video, audio and sticker messages: their attachments of the matching kind, then any
// caption text. A message of a media kind without a usable attachment still shows its text.
import * as l10n from '@vscode/l10n';
import type { Attachment, ChatMessage } from '../../../shared/model';
import { el } from '../../dom';
import { parseHttpUrl } from '../../safeUrl';
import { formatDuration } from '../format';
import { attachmentElement, imageElement, voiceNoteLabel } from './media';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';
import { waveformElement } from './waveform';

function mediaMessage(message: ChatMessage, className: string, render: (a: Attachment, index: number) => HTMLElement): HTMLElement {
  const attachments = message.attachments ?? [];
  const caption = message.text ? textBlock(message.text, 'text caption') : null;
  const media = attachments.length > 0 ? el('div', { className: 'attachments' }, attachments.map((a, i) => render(a, i))) : null;
  const missing = attachments.length === 0 && !caption ? el('div', { className: 'media-unavailable', text: l10n.t('The attachment is not available.') }) : null;
  return el('div', { className: `content ${className}` }, [media, caption, missing]);
}

/**
 * Audio: the player (or why there is none), its waveform, and its length even when it cannot play.
 * A voice note (WhatsApp PTT) is labelled "Voice message" with its length, played or not.
 */
function audioAttachment(attachment: Attachment, index: number): HTMLElement {
  if (attachment.kind !== 'audio') return attachmentElement(attachment, index);
  const playable = parseHttpUrl(attachment.url) !== undefined;
  const duration = formatDuration(attachment.durationMs);
  const voiceNote = attachment.voiceNote === true;
  // A playable one shows its label and length in the player's caption already.
  const label = !playable && (duration || voiceNote) ? [voiceNoteLabel(), duration].filter(Boolean).join(' · ') : '';
  return el('div', { className: voiceNote ? 'audio audio--voice-note' : 'audio' }, [
    attachmentElement(attachment, index),
    attachment.waveform ? waveformElement(attachment.waveform, attachment.durationMs) : null,
    label ? el('div', { className: 'audio__duration', text: label }) : null,
  ]);
}

export const renderImage: MessageRenderer = (message) => mediaMessage(message, 'content--image', attachmentElement);
export const renderVideo: MessageRenderer = (message) => mediaMessage(message, 'content--video', attachmentElement);
export const renderAudio: MessageRenderer = (message) => mediaMessage(message, 'content--audio', audioAttachment);

/**
 * Stickers are small pictures without a bubble: the payload's picture, else image attachments,
 * else the text (often an emoji) or the sticker's name.
 */
export const renderSticker: MessageRenderer = (message) => {
  const payload = message.payload?.type === 'sticker' ? message.payload : undefined;
  const name = payload?.name ?? l10n.t({ message: 'Sticker', comment: ['A message kind: a small picture'] });
  const images: Attachment[] = payload?.url ? [{ kind: 'image', thumbUrl: payload.url, name }] : (message.attachments ?? []).filter((a) => a.kind === 'image');
  if (images.length > 0) return el('div', { className: 'content content--sticker' }, images.map((a) => imageElement(a, 'media media--sticker')));
  if (!message.text && payload?.name) return el('div', { className: 'content content--sticker' }, [textBlock(l10n.t({ message: 'Sticker “{0}”', args: [payload.name], comment: ['{0} is the sticker\'s name'] }), 'text sticker-name')]);
  return el('div', { className: 'content content--sticker' }, [textBlock(message.text || '🙂', 'text sticker-text')]);
};
