// Media elements for attachments. The only place that sets a URL-bearing attribute (`src`), and
// only after parseHttpUrl (or, for a venue's inline thumbnail, parseInlineImage) accepted the value. When an element fails to load (host blocked by the
// CSP, offline, gone) the timeline's delegated error handler swaps it for a visible link.
import type { Attachment } from '../../../shared/model';
import { revealed, untrustedText } from '../../bidiReveal';
import { revealBidiControls } from '../../../shared/bidiControls';
import { el } from '../../dom';
import { icons } from '../../icons';
import { formatBytes, formatDuration } from '../format';
import { linkElement } from '../links';
import { parseHttpUrl, parseInlineImage } from '../../safeUrl';
import { createButton } from '../../ui';
import { DOWNLOAD_ACTION, downloadArea } from '../downloads';

export const MEDIA_FALLBACK_LABEL_ATTRIBUTE = 'data-media-label';
const EXPIRES_ATTRIBUTE = 'data-media-expires';

const KIND_NAMES: Record<Attachment['kind'], string> = { image: 'Image', video: 'Video', audio: 'Audio', file: 'File' };

/** A voice note is "Voice message" whatever file name the venue gave it (WhatsApp: a random one). */
export const VOICE_NOTE_LABEL = 'Voice message';

function displayName(attachment: Attachment): string {
  if (attachment.kind === 'audio' && attachment.voiceNote === true) return VOICE_NOTE_LABEL;
  return attachment.name ?? KIND_NAMES[attachment.kind];
}

/** What to show when a URL is missing or not http(s): the kind, the name and the raw text, inert. */
function unsupportedUrl(attachment: Attachment): HTMLElement {
  return el('div', { className: 'media-unavailable', attrs: { dir: 'auto' } }, [
    el('span', {}, [`${KIND_NAMES[attachment.kind]} “`, untrustedText(displayName(attachment)), '” has no web address the pane can show']),
    attachment.url ? el('span', { className: 'media-unavailable__url', attrs: { dir: 'ltr' } }, revealed(attachment.url)) : null,
  ]);
}

/** The venue's link stopped working (Bybit's media links carry an expiry): said plainly, no broken image. */
function expiredMedia(label: string, expiresAt: number): HTMLElement {
  return el('div', { className: 'media-expired', attrs: { role: 'note', dir: 'auto' } }, [
    icons.clock(),
    el('span', {}, [untrustedText(label), ` — the venue's link expired ${new Date(expiresAt).toLocaleString()}; it can no longer be opened.`]),
  ]);
}

function isExpired(expiresAt: number | undefined): expiresAt is number {
  return expiresAt !== undefined && expiresAt <= Date.now();
}

/** Replaces a media element that failed to load with a link to open it outside the pane. */
export function showMediaFallback(media: HTMLElement): void {
  const url = parseHttpUrl(media.getAttribute('data-media-url'));
  const label = media.getAttribute(MEDIA_FALLBACK_LABEL_ATTRIBUTE) ?? 'Media';
  const expiresAt = Number(media.getAttribute(EXPIRES_ATTRIBUTE) ?? NaN);
  if (Number.isFinite(expiresAt) && isExpired(expiresAt)) {
    // It loaded fine once; the link has lapsed since (a pane left open past the expiry).
    (media.closest('.media-link') ?? media).replaceWith(expiredMedia(label, expiresAt));
    return;
  }
  if (!url) return;
  const fallback = el('div', { className: 'media-fallback', attrs: { role: 'note' } }, [
    // The label holds the counterparty's file name: an isolate with its controls shown, as everywhere.
    el('span', { className: 'media-fallback__reason' }, [untrustedText(label), ' could not be shown here (blocked or unavailable). ']),
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
  const img = el('img', { className: `${className} media--inline-thumbnail`, attrs: { alt: revealBidiControls(attachment.name ?? 'Image'), title: 'Preview only: the full picture has no link yet' } });
  if (attachment.width && attachment.height && attachment.width > 0 && attachment.height > 0) {
    img.width = Math.round(attachment.width);
    img.height = Math.round(attachment.height);
  }
  img.decoding = 'async';
  img.src = source;
  return img;
}

export function imageElement(attachment: Attachment, className = 'media media--image'): HTMLElement {
  if (isExpired(attachment.expiresAt)) return expiredMedia(`Image “${displayName(attachment)}”`, attachment.expiresAt);
  const full = parseHttpUrl(attachment.url);
  const shown = parseHttpUrl(attachment.thumbUrl) ?? full;
  if (!shown) {
    const inline = parseInlineImage(attachment.thumbUrl);
    return inline ? inlineThumbnail(attachment, inline, className) : unsupportedUrl(attachment);
  }
  const img = el('img', { className, attrs: { alt: revealBidiControls(attachment.name ?? 'Image') } });
  // Reserve the space up front so a late load does not shift the list under the reader.
  if (attachment.width && attachment.height && attachment.width > 0 && attachment.height > 0) {
    img.width = Math.round(attachment.width);
    img.height = Math.round(attachment.height);
  }
  img.loading = 'lazy';
  img.decoding = 'async';
  img.referrerPolicy = 'no-referrer';
  markMedia(img, full ?? shown, `Image “${displayName(attachment)}”`, attachment.expiresAt);
  img.src = shown.href;
  if (!full) return img;
  // Clicking the picture opens the full-size original through the host.
  const frame = linkElement(full, '', 'media-link');
  frame.setAttribute('aria-label', `Open image ${revealBidiControls(displayName(attachment))}`);
  frame.append(img);
  return frame;
}

function timedMedia(tag: 'video' | 'audio', attachment: Attachment): HTMLElement {
  if (isExpired(attachment.expiresAt)) return expiredMedia(`${KIND_NAMES[attachment.kind]} “${displayName(attachment)}”`, attachment.expiresAt);
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
  markMedia(media, url, `${KIND_NAMES[attachment.kind]} “${displayName(attachment)}”`, attachment.expiresAt);
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
        ? el('div', { className: 'file-card__warning', text: '⚠ The name contains invisible direction or spacing characters; the real extension may differ.' })
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
            text: `The venue's link expired ${new Date(attachment.expiresAt!).toLocaleString()}${canSave ? '.' : '; it can no longer be opened.'}`,
          })
        : url
          ? linkElement(url, 'Open', 'link file-card__open')
          : el('span', { className: 'file-card__nolink', text: 'No download link' }),
      canSave
        ? createButton({ label: 'Save…', appearance: 'secondary', className: 'file-card__save', data: { action: DOWNLOAD_ACTION }, ariaLabel: `Save ${revealBidiControls(name)}`, title: 'Save the file on this computer' })
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
