// Delegated input handling for the whole list: one listener per event type instead of one per
// message. Links open through the host, Retry/Cancel act on our own messages by client id,
// Save… asks the host to save a file, "Show all" expands long texts, a quote's "Show" goes to the
// quoted message, and media that fail to load are swapped for a link.
import * as l10n from '@vscode/l10n';
import { type Disposable, DisposableStore, listen } from '../lifecycle';
import type { RpcClient } from '../rpc';
import { isButtonDisabled, setButtonDisabled } from '../ui';
import { linkTargetOf } from './links';
import { showMediaFallback } from './renderers/media';
import { EXPAND_TEXT_ACTION, expandText } from './renderers/textBlock';
import { CANCEL_ACTION, RETRY_ACTION } from './status';
import { REPLY_ACTION } from './messageRow';
import { DOWNLOAD_ACTION } from './downloads';
import { SHOW_QUOTED_ACTION } from './renderers/quote';

export const HISTORY_RETRY_ACTION = 'history-retry';

export interface TimelineActionDeps {
  readonly rpc: Pick<RpcClient, 'request'>;
  showError(message: string): void;
  /** The client message id of the message shown under `key`, if it is one of ours. */
  clientMessageIdOf(key: string): string | undefined;
  retryHistory(): void;
  /** Reply was chosen on the message shown under `key`. */
  reply(key: string): void;
  /** Save… was chosen on attachment `index` of the message shown under `key`. */
  download(key: string, index: number): void;
  /** "Show all" expanded a long text of the message shown under `key`. */
  textExpanded(key: string): void;
  /** The quote above the reply shown under `key` was chosen: show the quoted message. */
  showQuoted(key: string): void;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class TimelineActions implements Disposable {
  private readonly disposables = new DisposableStore();

  constructor(
    root: HTMLElement,
    private readonly deps: TimelineActionDeps,
  ) {
    this.disposables.add(listen(root, 'click', (event) => this.onClick(event)));
    this.disposables.add(listen(root, 'keydown', (event) => this.onKeyDown(event)));
    // Media load errors do not bubble; one capturing listener covers every image, video and audio.
    this.disposables.add(listen(root, 'error', (event) => this.onMediaError(event), { capture: true }));
  }

  private onClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const link = target.closest('[data-link-url]');
    if (link) {
      event.preventDefault();
      this.openLink(link);
      return;
    }
    const actionElement = target.closest<HTMLElement>('[data-action]');
    if (!actionElement || isButtonDisabled(actionElement)) return;
    const action = actionElement.dataset.action;
    if (action === EXPAND_TEXT_ACTION) {
      expandText(actionElement);
      const key = actionElement.closest<HTMLElement>('.msg')?.dataset.key;
      if (key !== undefined) this.deps.textExpanded(key);
    } else if (action === SHOW_QUOTED_ACTION) {
      const key = actionElement.closest<HTMLElement>('.msg')?.dataset.key;
      if (key !== undefined) this.deps.showQuoted(key);
    } else if (action === HISTORY_RETRY_ACTION) this.deps.retryHistory();
    else if (action === RETRY_ACTION || action === CANCEL_ACTION) this.runMessageAction(actionElement, action);
    else if (action === DOWNLOAD_ACTION) {
      const key = actionElement.closest<HTMLElement>('.msg')?.dataset.key;
      const index = Number(actionElement.closest<HTMLElement>('.file-card')?.dataset.attachmentIndex);
      if (key !== undefined && Number.isInteger(index) && index >= 0) this.deps.download(key, index);
    } else if (action === REPLY_ACTION) {
      const key = actionElement.closest<HTMLElement>('.msg')?.dataset.key;
      if (key !== undefined) this.deps.reply(key);
    }
  }

  private onKeyDown(event: KeyboardEvent): void {
    // Link elements have no href (navigation is the host's job), so Enter is wired here.
    if (event.key !== 'Enter' || !(event.target instanceof Element)) return;
    const link = event.target.closest('[data-link-url]');
    if (!link) return;
    event.preventDefault();
    this.openLink(link);
  }

  private openLink(link: Element): void {
    const url = linkTargetOf(link);
    if (!url) return;
    this.deps.rpc.request('link/open', { url: url.href }).catch((error: unknown) => this.deps.showError(l10n.t({ message: 'Could not open the link: {0}', args: [errorText(error)], comment: ['{0} is why'] })));
  }

  private runMessageAction(button: HTMLElement, action: typeof RETRY_ACTION | typeof CANCEL_ACTION): void {
    const key = button.closest<HTMLElement>('.msg')?.dataset.key;
    const clientMessageId = key !== undefined ? this.deps.clientMessageIdOf(key) : undefined;
    if (clientMessageId === undefined) return;
    // Disabled until the host answers: a double click must not retry twice.
    setButtonDisabled(button, true);
    const request =
      action === RETRY_ACTION
        ? this.deps.rpc.request('message/retry', { clientMessageId }).then(() => undefined)
        : this.deps.rpc.request('message/cancel', { clientMessageId }).then((result) => {
            if (!result.cancelled) this.deps.showError(l10n.t('The message could not be cancelled: it is already on its way.'));
          });
    request
      .catch((error: unknown) =>
        this.deps.showError(
          action === RETRY_ACTION
            ? l10n.t({ message: 'Retry failed: {0}', args: [errorText(error)], comment: ['{0} is why'] })
            : l10n.t({ message: 'Cancel failed: {0}', args: [errorText(error)], comment: ['{0} is why'] }),
        ),
      )
      // The host answers with an upsert that rebuilds the actions; re-enable in case it does not.
      .finally(() => setButtonDisabled(button, false));
  }

  private onMediaError(event: Event): void {
    const target = event.target;
    if (target instanceof HTMLImageElement || target instanceof HTMLVideoElement || target instanceof HTMLAudioElement) {
      // The timeline's resize observer keeps the reader's place (or the bottom) as the size changes.
      showMediaFallback(target);
    }
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
