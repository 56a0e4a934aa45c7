// Saving a file attachment through the host: the file card's Save… button asks the host
// (`attachment/download`, the message by key and the attachment by index, never a link), and the
// host's `download/progress` drives what the card shows: a progress bar with "12.3 of 40 MB" while
// running, then "Saved" or why not. States are kept per message key and attachment index, so a
// rebuilt row (or a reloaded pane that hears of a download still running) shows where it is.
import * as l10n from '@vscode/l10n';
import type { DownloadProgress, DownloadState } from '../../shared/protocol';
import { formatByteProgress } from '../../shared/byteProgress';
import { el } from '../dom';
import { setButtonDisabled } from '../ui';

export const DOWNLOAD_ACTION = 'download-attachment';
/** The pane waits this long for the host's answer: the user may take a while in the save dialog. */
export const DOWNLOAD_REQUEST_TIMEOUT_MS = 10 * 60_000;
/** Downloads remembered per pane (the oldest is forgotten first). */
const MAX_REMEMBERED = 200;

/** `asking`: the request is out and the host has not started (its save dialog may be open). */
export type CardDownload = { readonly state: 'asking' } | (Omit<DownloadProgress, 'key' | 'index'> & { readonly state: DownloadState });

const STATES: readonly string[] = ['running', 'done', 'failed', 'cancelled'];

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Checks a `download/progress` notification field by field (the host is trusted, its shapes less so). */
export function parseDownloadProgress(raw: unknown): DownloadProgress | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const p = raw as Record<string, unknown>;
  if (typeof p.key !== 'string' || !Number.isInteger(p.index) || !isCount(p.index) || !isCount(p.received) || typeof p.state !== 'string' || !STATES.includes(p.state)) return undefined;
  return {
    key: p.key,
    index: p.index,
    received: p.received,
    state: p.state as DownloadState,
    ...(isCount(p.total) && p.total > 0 ? { total: p.total } : {}),
    ...(typeof p.message === 'string' ? { message: p.message.slice(0, 2000) } : {}),
  };
}

/** What the pane knows of each download, by message key and attachment index. */
export class DownloadBook {
  private readonly states = new Map<string, CardDownload>();

  private static id(key: string, index: number): string {
    return `${index}:${key}`;
  }

  get(key: string, index: number): CardDownload | undefined {
    return this.states.get(DownloadBook.id(key, index));
  }

  set(key: string, index: number, state: CardDownload | undefined): void {
    const id = DownloadBook.id(key, index);
    this.states.delete(id);
    if (state === undefined) return;
    this.states.set(id, state);
    if (this.states.size > MAX_REMEMBERED) this.states.delete(this.states.keys().next().value!);
  }

  clear(): void {
    this.states.clear();
  }

  /** Shows every remembered download of `key` on the cards under `root` (a freshly built row). */
  applyTo(root: HTMLElement, key: string): void {
    for (const card of root.querySelectorAll<HTMLElement>('.file-card[data-attachment-index]')) {
      const state = this.get(key, Number(card.dataset.attachmentIndex));
      if (state) showDownload(card, state);
    }
  }
}

/** The file card of attachment `index` in a message row, if it shows one. */
export function fileCardOf(row: HTMLElement, index: number): HTMLElement | null {
  return row.querySelector<HTMLElement>(`.file-card[data-attachment-index="${index}"]`);
}

/** The empty download area of a file card: a progress line and a polite live status. */
export function downloadArea(): HTMLElement {
  return el('div', { className: 'file-card__download' }, [
    el('div', { className: 'file-card__progress', attrs: { hidden: '' } }, [
      el('progress', { attrs: { 'aria-label': l10n.t('Download progress') } }),
      el('span', { className: 'file-card__progress-text' }),
    ]),
    // Only state changes are written here, so a screen reader hears each once, not every tick.
    el('div', { className: 'file-card__status', attrs: { role: 'status', 'aria-live': 'polite' } }),
  ]);
}

function statusText(download: CardDownload): string {
  switch (download.state) {
    case 'asking':
      return l10n.t('Choose where to save it in VS Code…');
    case 'running':
      return l10n.t('Downloading…');
    case 'done':
      return l10n.t({ message: 'Saved', comment: ['A file the user chose to save has been saved'] });
    case 'failed':
      return download.message ? l10n.t({ message: 'Not saved: {0}', args: [download.message], comment: ['{0} is why'] }) : l10n.t('Not saved');
    case 'cancelled':
      return l10n.t('Download cancelled');
  }
}

/** Renders `download` into `card` (built by fileCard, with its download area and Save… button); none: the plain card. */
export function showDownload(card: HTMLElement, download: CardDownload | undefined): void {
  const progressLine = card.querySelector<HTMLElement>('.file-card__progress');
  const bar = card.querySelector('progress');
  const amount = card.querySelector('.file-card__progress-text');
  const status = card.querySelector<HTMLElement>('.file-card__status');
  const save = card.querySelector<HTMLElement>('.file-card__save');
  const busy = download?.state === 'asking' || download?.state === 'running';
  if (save) setButtonDisabled(save, busy);
  card.classList.toggle('file-card--busy', busy);
  if (progressLine && bar && amount) {
    progressLine.hidden = download?.state !== 'running';
    if (download?.state === 'running') {
      if (download.total !== undefined) {
        bar.max = download.total;
        bar.value = Math.min(download.received, download.total);
      } else {
        // No length from the server: an indeterminate bar and the bytes so far.
        bar.removeAttribute('value');
      }
      amount.textContent = formatByteProgress(download.received, download.total);
    }
  }
  if (status) {
    const text = download ? statusText(download) : '';
    if (status.textContent !== text) status.textContent = text;
    status.classList.toggle('file-card__status--error', download?.state === 'failed');
  }
}
