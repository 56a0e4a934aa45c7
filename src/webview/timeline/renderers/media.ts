// Media elements for attachments. The only place that sets a URL-bearing attribute (`src`), and
// only after parseHttpUrl (or, for a venue's inline thumbnail, parseInlineImage) accepted the value. When an element fails to load (host blocked by the
// CSP, offline, gone) the timeline's delegated error handler swaps it for a visible link.
import * as l10n from '@vscode/l10n';
import type { Attachment } from '../../../shared/model';
import { revealed, untrustedText } from '../../bidiReveal';
import { revealBidiControls } from '../../../shared/bidiControls';
import { el } from '../../dom';
import { formatDateTime, slot, withNodes } from '../../locale';
import { icons } from '../../icons';
import { formatBytes, formatDuration } from '../format';
import { linkElement } from '../links';
import { parseHttpUrl, parseInlineImage } from '../../safeUrl';
import { createButton } from '../../ui';
import { DOWNLOAD_ACTION, downloadArea } from '../downloads';

export const MEDIA_FALLBACK_LABEL_ATTRIBUTE = 'data-media-label';
const EXPIRES_ATTRIBUTE = 'data-media-expires';


function kindName(kind: Attachment['kind']): string {
  switch (kind) {
    case 'image':
      return l10n.t({ message: 'Image', comment: ['A kind of attachment, named when the attachment has no name of its own'] });
    case 'video':
      return l10n.t({ message: 'Video', comment: ['A kind of attachment, named when the attachment has no name of its own'] });
    case 'audio':
      return l10n.t({ message: 'Audio', comment: ['A kind of attachment, named when the attachment has no name of its own'] });
    case 'file':
      return l10n.t({ message: 'File', comment: ['A kind of attachment, named when the attachment has no name of its own'] });
  }
}

/** "Image “photo.jpg”": the kind and the name (the sender's words) of an attachment, for labels and notes. */
function kindAndName(kind: Attachment['kind'], name: string): string {
  switch (kind) {
    case 'image':
      return l10n.t({ message: 'Image “{0}”', args: [name], comment: ['{0} is the name of the attachment'] });
    case 'video':
      return l10n.t({ message: 'Video “{0}”', args: [name], comment: ['{0} is the name of the attachment'] });
    case 'audio':
      return l10n.t({ message: 'Audio “{0}”', args: [name], comment: ['{0} is the name of the attachment'] });
    case 'file':
      return l10n.t({ message: 'File “{0}”', args: [name], comment: ['{0} is the name of the attachment'] });
  }
}

/** A voice note is "Voice message" whatever file name the venue gave it (WhatsApp: a random one). */
export function voiceNoteLabel(): string {
  return l10n.t('Voice message');
}

function displayName(attachment: Attachment): string {
  if (attachment.kind === 'audio' && attachment.voiceNote === true) return voiceNoteLabel();
  return attachment.name ?? kindName(attachment.kind);
}

/** What to show when a URL is missing or not http(s): the kind, the name and the raw text, inert. */
function unsupportedUrl(attachment: Attachment): HTMLElement {
  const name = slot(0);
  let text: string;
  switch (attachment.kind) {
    case 'image':
      text = l10n.t({ message: 'Image “{0}” has no web address the pane can show', args: [name], comment: ['{0} is the name of the attachment'] });
      break;
    case 'video':
      text = l10n.t({ message: 'Video “{0}” has no web address the pane can show', args: [name], comment: ['{0} is the name of the attachment'] });
      break;
    case 'audio':
      text = l10n.t({ message: 'Audio “{0}” has no web address the pane can show', args: [name], comment: ['{0} is the name of the attachment'] });
      break;
    case 'file':
      text = l10n.t({ message: 'File “{0}” has no web address the pane can show', args: [name], comment: ['{0} is the name of the attachment'] });
      break;
  }
  return el('div', { className: 'media-unavailable', attrs: { dir: 'auto' } }, [
    el('span', {}, withNodes(text, [untrustedText(displayName(attachment))])),
    attachment.url ? el('span', { className: 'media-unavailable__url', attrs: { dir: 'ltr' } }, revealed(attachment.url)) : null,
  ]);
}

/** The venue's link stopped working (Bybit's media links carry an expiry): said plainly, no broken image. */
function expiredMedia(label: string, expiresAt: number): HTMLElement {
  const text = l10n.t({
    message: "{0} — the venue's link expired {1}; it can no longer be opened.",
    args: [slot(0), formatDateTime(expiresAt)],
    comment: ['{0} names the attachment, e.g. Image “photo.jpg”; {1} is a date and time'],
  });
  return el('div', { className: 'media-expired', attrs: { role: 'note', dir: 'auto' } }, [icons.clock(), el('span', {}, withNodes(text, [untrustedText(label)]))]);
}

function isExpired(expiresAt: number | undefined): expiresAt is number {
  return expiresAt !== undefined && expiresAt <= Date.now();
}

/** Replaces a media element that failed to load with a link to open it outside the pane. */
export function showMediaFallback(media: HTMLElement): void {
  const url = parseHttpUrl(media.getAttribute('data-media-url'));
  const label = media.getAttribute(MEDIA_FALLBACK_LABEL_ATTRIBUTE) ?? l10n.t({ message: 'Media', comment: ['A picture, video or sound with no other name'] });
  const expiresAt = Number(media.getAttribute(EXPIRES_ATTRIBUTE) ?? NaN);
  if (Number.isFinite(expiresAt) && isExpired(expiresAt)) {
    // It loaded fine once; the link has lapsed since (a pane left open past the expiry).
    (media.closest('.media-link') ?? media).replaceWith(expiredMedia(label, expiresAt));
    return;
  }
  if (!url) return;
  const fallback = el('div', { className: 'media-fallback', attrs: { role: 'note' } }, [
    // The label holds the counterparty's file name: an isolate with its controls shown, as everywhere.
    el('span', { className: 'media-fallback__reason' }, [
      ...withNodes(
        l10n.t({ message: '{0} could not be shown here (blocked or unavailable).', args: [slot(0)], comment: ['{0} names the attachment, e.g. Image “photo.jpg”'] }),
        [untrustedText(label)],
      ),
      ' ',
    ]),
    linkElement(url, url.href, 'link media-fallback__link'),
  ]);
  // A picture wrapped in an "open" link is replaced with its wrapper (no link inside a link).
  (media.closest('.media-link') ?? media).replaceWith(fallback);
}

function markMedia(media: HTMLElement, url: URL, label: string, expiresAt?: number): void {
  media.dataset.mediaUrl = url.href;
  media.setAttribute(MEDIA_FALLBACK_LABEL_ATTRIBUTE, label);
  if (expiresAt !== undefined) media.setAttribute(EXPIRES_ATTRIBUTE, String(expiresAt));
}

/**
 * The thumbnail the venue sent inline, while the picture has no link (Mixin's view link could not
 * be fetched): shown as what it is, a preview, with nothing to open.
 */
function inlineThumbnail(attachment: Attachment, source: string, className: string): HTMLElement {
  const img = el('img', { className: `${className} media--inline-thumbnail`, attrs: { alt: revealBidiControls(attachment.name ?? kindName('image')), title: l10n.t('Preview only: the full picture has no link yet') } });
  if (attachment.width && attachment.height && attachment.width > 0 && attachment.height > 0) {
    img.width = Math.round(attachment.width);
    img.height = Math.round(attachment.height);
  }
  img.decoding = 'async';
  img.src = source;
  return img;
}

export function imageElement(attachment: Attachment, className = 'media media--image'): HTMLElement {
  if (isExpired(attachment.expiresAt)) return expiredMedia(kindAndName('image', displayName(attachment)), attachment.expiresAt);
  const full = parseHttpUrl(attachment.url);
  const shown = parseHttpUrl(attachment.thumbUrl) ?? full;
  if (!shown) {
    const inline = parseInlineImage(attachment.thumbUrl);
    return inline ? inlineThumbnail(attachment, inline, className) : unsupportedUrl(attachment);
  }
  const img = el('img', { className, attrs: { alt: revealBidiControls(attachment.name ?? kindName('image')) } });
  // Reserve the space up front so a late load does not shift the list under the reader.
  if (attachment.width && attachment.height && attachment.width > 0 && attachment.height > 0) {
    img.width = Math.round(attachment.width);
    img.height = Math.round(attachment.height);
  }
  img.loading = 'lazy';
  img.decoding = 'async';
  img.referrerPolicy = 'no-referrer';
  markMedia(img, full ?? shown, kindAndName('image', displayName(attachment)), attachment.expiresAt);
  img.src = shown.href;
  if (!full) return img;
  // Clicking the picture opens the full-size original through the host.
  const frame = linkElement(full, '', 'media-link');
  frame.setAttribute('aria-label', l10n.t({ message: 'Open image {0}', args: [revealBidiControls(displayName(attachment))], comment: ['{0} is the name of the picture'] }));
  frame.append(img);
  return frame;
}

function timedMedia(tag: 'video' | 'audio', attachment: Attachment): HTMLElement {
  if (isExpired(attachment.expiresAt)) return expiredMedia(kindAndName(attachment.kind, displayName(attachment)), attachment.expiresAt);
  const url = parseHttpUrl(attachment.url);
  if (!url) return unsupportedUrl(attachment);
  const media = el(tag, { className: `media media--${tag}`, attrs: { title: revealBidiControls(displayName(attachment)) } });
  media.controls = true;
  media.preload = 'metadata';
  if (tag === 'video' && attachment.width && attachment.height) {
    (media as HTMLVideoElement).width = Math.round(attachment.width);
    (media as HTMLVideoElement).height = Math.round(attachment.height);
  }
  const poster = tag === 'video' ? (parseHttpUrl(attachment.thumbUrl)?.href ?? parseInlineImage(attachment.thumbUrl)) : undefined;
  if (poster) (media as HTMLVideoElement).poster = poster;
  markMedia(media, url, kindAndName(attachment.kind, displayName(attachment)), attachment.expiresAt);
  media.src = url.href;
  const duration = formatDuration(attachment.durationMs);
  return el('figure', { className: `media-figure media-figure--${tag}` }, [
    media,
    el('figcaption', { className: 'media-caption', attrs: { dir: 'auto' } }, [
      untrustedText(displayName(attachment)),
      duration ? el('span', { className: 'media-caption__extra', text: ` · ${duration}` }) : null,
    ]),
  ]);
}

export function videoElement(attachment: Attachment): HTMLElement {
  return timedMedia('video', attachment);
}

export function audioElement(attachment: Attachment): HTMLElement {
  return timedMedia('audio', attachment);
}

// Bidi controls and zero-width characters can disguise a file name ("invoice‮fdp.exe").
const DECEPTIVE_NAME = /[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/**
 * A file: its name, type and size, "Open" (the link, through the host) and "Save…" (the host saves
 * it, with progress, timeline/downloads.ts). `index` is its place in the message's attachments.
 */
export function fileCard(attachment: Attachment, index: number): HTMLElement {
  const url = parseHttpUrl(attachment.url);
  const name = displayName(attachment);
  const details = [attachment.mimeType, formatBytes(attachment.size)].filter((part) => part).join(' · ');
  const expired = isExpired(attachment.expiresAt);
  // The venue can give a fresh link where it names the file (`ref`); a lapsed link alone cannot be saved.
  const canSave = attachment.ref !== undefined || (url !== undefined && !expired);
  return el('div', { className: 'file-card', data: { attachmentIndex: String(index) } }, [
    icons.file(),
    el('div', { className: 'file-card__body' }, [
      el('div', { className: 'file-card__name', attrs: { dir: 'auto', title: revealBidiControls(name) } }, revealed(name)),
      DECEPTIVE_NAME.test(name)
        ? el('div', { className: 'file-card__warning', text: `⚠ ${l10n.t('The name contains invisible direction or spacing characters; the real extension may differ.')}` })
        : null,
      // The type is the sender's word too (a venue passes on what the sender's app declared).
      details ? el('div', { className: 'file-card__details', attrs: { dir: 'auto' } }, revealed(details)) : null,
      canSave ? downloadArea() : null,
    ]),
    el('div', { className: 'file-card__actions' }, [
      expired
        ? el('span', {
            className: 'media-expired file-card__expired',
            attrs: { role: 'note' },
            // Save… may still work: where the venue names the file (`ref`) the host can ask it for a fresh link.
            text: canSave
              ? l10n.t({ message: "The venue's link expired {0}.", args: [formatDateTime(attachment.expiresAt!)], comment: ['{0} is a date and time'] })
              : l10n.t({ message: "The venue's link expired {0}; it can no longer be opened.", args: [formatDateTime(attachment.expiresAt!)], comment: ['{0} is a date and time'] }),
          })
        : url
          ? linkElement(url, l10n.t({ message: 'Open', comment: ['Opens a file the venue sent'] }), 'link file-card__open')
          : el('span', { className: 'file-card__nolink', text: l10n.t('No download link') }),
      canSave
        ? createButton({
            label: l10n.t('Save…'),
            appearance: 'secondary',
            className: 'file-card__save',
            data: { action: DOWNLOAD_ACTION },
            ariaLabel: l10n.t({ message: 'Save {0}', args: [revealBidiControls(name)], comment: ['{0} is the name of the file'] }),
            title: l10n.t('Save the file on this computer'),
          })
        : null,
    ]),
  ]);
}

export function attachmentElement(attachment: Attachment, index: number): HTMLElement {
  switch (attachment.kind) {
    case 'image':
      return imageElement(attachment);
    case 'video':
      return videoElement(attachment);
    case 'audio':
      return audioElement(attachment);
    case 'file':
      return fileCard(attachment, index);
  }
}

export function attachmentsBlock(attachments: readonly Attachment[] | undefined): HTMLElement | null {
  if (!attachments || attachments.length === 0) return null;
  return el(
    'div',
    { className: 'attachments' },
    attachments.map((a, i) => attachmentElement(a, i)),
  );
}
