// Dismissible banners for `notice/show` and for problems the pane itself reports.
import * as l10n from '@vscode/l10n';
import { el } from '../dom';
import { icons } from '../icons';
import { type Disposable, DisposableStore, listen } from '../lifecycle';
import { createButton } from '../ui';

export type NoticeLevel = 'info' | 'warning' | 'error';

/** Older notices beyond this count are dropped so the banner area cannot push the chat away. */
const MAX_NOTICES = 3;

export class NoticeArea implements Disposable {
  readonly element = el('div', { className: 'notices' });
  private readonly disposables = new DisposableStore();

  constructor() {
    this.disposables.add(
      listen(this.element, 'click', (event) => {
        const target = event.target instanceof Element ? event.target.closest('[data-action="dismiss-notice"]') : null;
        target?.closest('.notice')?.remove();
      }),
    );
  }

  show(level: NoticeLevel, message: string): void {
    const dismiss = createButton({ appearance: 'icon', icon: icons.close(), ariaLabel: l10n.t('Dismiss'), title: l10n.t('Dismiss'), data: { action: 'dismiss-notice' } });
    const notice = el('div', { className: `notice notice--${level}`, attrs: { role: level === 'error' ? 'alert' : 'status' } }, [
      el('span', { className: 'notice__text', text: message, attrs: { dir: 'auto' } }),
      dismiss,
    ]);
    this.element.prepend(notice);
    while (this.element.childElementCount > MAX_NOTICES) this.element.lastElementChild?.remove();
  }

  get count(): number {
    return this.element.childElementCount;
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
