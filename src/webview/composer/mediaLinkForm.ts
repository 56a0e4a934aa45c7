// "Send media link…": for venues that take media only as a URL (MEXC). A small inline form with
// the kind, the URL (http/https only, checked before anything is sent) and an optional caption.
import * as l10n from '@vscode/l10n';
import { el } from '../dom';
import { formatNumber } from '../locale';
import { type Disposable, DisposableStore, listen } from '../lifecycle';
import { MAX_URL_LENGTH, parseHttpUrl } from '../safeUrl';
import { createButton, setButtonDisabled } from '../ui';

export type MediaLinkKind = 'image' | 'video' | 'file';

export interface MediaLinkRequest {
  readonly kind: MediaLinkKind;
  readonly url: string;
  readonly caption: string;
  readonly fileName?: string;
}

function kindLabel(kind: MediaLinkKind): string {
  switch (kind) {
    case 'image':
      return l10n.t({ message: 'Image', comment: ['A kind of media the user sends as a link'] });
    case 'video':
      return l10n.t({ message: 'Video', comment: ['A kind of media the user sends as a link'] });
    case 'file':
      return l10n.t({ message: 'File', comment: ['A kind of media the user sends as a link'] });
  }
}

/** Checks a pasted media URL; returns the error to show, or the normalised URL. */
export function validateMediaUrl(raw: string): { readonly ok: true; readonly url: string } | { readonly ok: false; readonly error: string } {
  const text = raw.trim();
  if (text === '') return { ok: false, error: l10n.t('Paste the address of the file (starting with https://).') };
  if (text.length > MAX_URL_LENGTH) return { ok: false, error: l10n.t('The address is too long (over {0} characters).', formatNumber(MAX_URL_LENGTH)) };
  const url = parseHttpUrl(text);
  if (!url) return { ok: false, error: l10n.t('Only web addresses starting with http:// or https:// can be sent.') };
  return { ok: true, url: url.href };
}

/** The last path segment, as a file name for `file` sends. */
function fileNameFrom(url: string): string | undefined {
  try {
    const segment = new URL(url).pathname.split('/').filter(Boolean).pop();
    if (!segment) return undefined;
    return decodeURIComponent(segment).slice(0, 255);
  } catch {
    return undefined;
  }
}

export class MediaLinkForm implements Disposable {
  readonly element: HTMLElement;
  private readonly kind: HTMLSelectElement;
  private readonly url: HTMLInputElement;
  private readonly caption: HTMLInputElement;
  private readonly error: HTMLElement;
  private readonly explanation: HTMLElement;
  private readonly send: HTMLElement;
  private readonly disposables = new DisposableStore();
  private busy = false;

  constructor(
    private readonly submit: (request: MediaLinkRequest) => Promise<void>,
    private readonly onClose: () => void,
  ) {
    this.kind = el('select', { className: 'field__control', attrs: { id: 'media-link-kind' } });
    this.url = el('input', {
      className: 'field__control',
      attrs: { id: 'media-link-url', type: 'url', placeholder: 'https://…', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'media-link-error media-link-explain' },
    });
    this.caption = el('input', { className: 'field__control', attrs: { id: 'media-link-caption', type: 'text', placeholder: l10n.t({ message: 'Optional', comment: ['Placeholder of the caption field'] }), autocomplete: 'off' } });
    this.error = el('div', { className: 'form-error', attrs: { id: 'media-link-error', role: 'alert' } });
    this.explanation = el('p', { className: 'media-link-form__explain', attrs: { id: 'media-link-explain' } });
    this.send = createButton({ label: l10n.t('Send link'), appearance: 'primary', className: 'media-link-form__send' });
    const cancel = createButton({ label: l10n.t('Cancel'), appearance: 'secondary', className: 'media-link-form__cancel' });

    const field = (id: string, label: string, control: HTMLElement): HTMLElement =>
      el('div', { className: 'field' }, [el('label', { className: 'field__label', text: label, attrs: { for: id } }), control]);

    this.element = el('div', { className: 'media-link-form', attrs: { role: 'group', 'aria-label': l10n.t('Send media link'), hidden: '' } }, [
      this.explanation,
      el('div', { className: 'media-link-form__fields' }, [
        field('media-link-kind', l10n.t({ message: 'Kind', comment: ['Label of the field choosing image, video or file'] }), this.kind),
        field('media-link-url', l10n.t({ message: 'URL', comment: ['Label of the web address field'] }), this.url),
        field('media-link-caption', l10n.t('Caption'), this.caption),
      ]),
      this.error,
      el('div', { className: 'media-link-form__actions' }, [this.send, cancel]),
    ]);

    this.disposables.add(listen(this.send, 'click', () => void this.trySubmit()));
    this.disposables.add(listen(cancel, 'click', () => this.close()));
    this.disposables.add(
      listen(this.element, 'keydown', (event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          this.close();
        } else if (event.key === 'Enter' && event.target instanceof HTMLInputElement && !event.isComposing) {
          event.preventDefault();
          void this.trySubmit();
        }
      }),
    );
    this.disposables.add(listen(this.url, 'input', () => this.clearError()));
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  configure(venueLabel: string, kinds: readonly MediaLinkKind[]): void {
    this.explanation.textContent = l10n.t({ message: '{0} takes media as a link; paste a URL.', args: [venueLabel], comment: ['{0} is the venue, e.g. MEXC'] });
    const selected = this.kind.value;
    this.kind.replaceChildren(
      ...kinds.map((kind) => {
        const option = el('option', { text: kindLabel(kind) });
        option.value = kind;
        return option;
      }),
    );
    if (kinds.includes(selected as MediaLinkKind)) this.kind.value = selected;
  }

  open(): void {
    this.element.hidden = false;
    this.clearError();
    this.url.focus();
  }

  close(): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    this.clearError();
    this.onClose();
  }

  private clearError(): void {
    this.error.textContent = '';
    this.url.removeAttribute('aria-invalid');
  }

  private showError(message: string): void {
    this.error.textContent = message;
    this.url.setAttribute('aria-invalid', 'true');
  }

  private async trySubmit(): Promise<void> {
    if (this.busy) return;
    const checked = validateMediaUrl(this.url.value);
    if (!checked.ok) {
      this.showError(checked.error);
      this.url.focus();
      return;
    }
    const kind = this.kind.value as MediaLinkKind;
    this.busy = true;
    setButtonDisabled(this.send, true);
    try {
      await this.submit({ kind, url: checked.url, caption: this.caption.value.trim(), fileName: kind === 'file' ? fileNameFrom(checked.url) : undefined });
      this.url.value = '';
      this.caption.value = '';
      this.close();
    } catch (error) {
      this.error.textContent = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
      setButtonDisabled(this.send, false);
    }
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
