// The delivery status of our own messages: queued (clock), sending (spinner), sent (one check),
// confirmed (two checks), delivered and read (two checks, emphasised), failed (reason + actions).
import * as l10n from '@vscode/l10n';
import { slot, withNodes } from '../locale';
import type { ChatMessage, OutgoingStatus } from '../../shared/model';
import { revealed } from '../bidiReveal';
import { el, srOnly } from '../dom';
import { icons } from '../icons';
import { createButton, createSpinner } from '../ui';

export const RETRY_ACTION = 'retry';
export const CANCEL_ACTION = 'cancel';

function statusText(status: OutgoingStatus): string {
  switch (status) {
    case 'queued':
      return l10n.t({ message: 'Queued: will be sent when the venue is reachable', comment: ['The delivery state of a message the user sent'] });
    case 'sending':
      return l10n.t({ message: 'Sending', comment: ['The delivery state of a message the user sent'] });
    case 'sent':
      return l10n.t({ message: 'Sent', comment: ['The delivery state of a message the user sent'] });
    case 'confirmed':
      return l10n.t({ message: 'Confirmed by the venue', comment: ['The delivery state of a message the user sent'] });
    case 'delivered':
      return l10n.t({ message: 'Delivered', comment: ['The delivery state of a message the user sent'] });
    case 'read':
      return l10n.t({ message: 'Read', comment: ['The delivery state of a message the user sent'] });
    case 'failed':
      return l10n.t({ message: 'Not sent', comment: ['The delivery state of a message the user sent'] });
  }
}

function statusIcon(status: OutgoingStatus): Element {
  switch (status) {
    case 'queued':
      return icons.clock();
    case 'sending':
      return createSpinner(statusText('sending'), 'spinner spinner--status');
    case 'sent':
      return icons.check();
    case 'confirmed':
    case 'delivered':
    case 'read':
      return icons.doubleCheck();
    case 'failed':
      return icons.error();
  }
}

export function statusElement(status: OutgoingStatus): HTMLElement {
  const text = statusText(status);
  return el('span', { className: `status status--${status}`, attrs: { title: text }, data: { status } }, [
    statusIcon(status),
    // delivered/read get a visible word: two checks alone would look like "confirmed".
    status === 'delivered' || status === 'read' ? el('span', { className: 'status__word', text, attrs: { 'aria-hidden': 'true' } }) : null,
    srOnly(text),
  ]);
}

/** Reason and actions under a failed message, or a cancel action under a queued one. */
export function actionsElement(message: ChatMessage): HTMLElement | null {
  if (message.direction !== 'out') return null;
  const canAct = message.clientMessageId !== undefined;
  if (message.status === 'failed') {
    return el('div', { className: 'failure', attrs: { role: 'alert' } }, [
      el(
        'div',
        { className: 'failure__reason', attrs: { dir: 'auto' } },
        withNodes(
          l10n.t({ message: 'Not sent: {0}', args: [slot(0)], comment: ['{0} is why, often in the venue\'s own words'] }),
          // The reason can be the venue's own words about counterparty text: controls are revealed.
          [el('span', { className: 'failure__text' }, revealed(message.failure?.trim() || l10n.t({ message: 'the venue did not accept the message', comment: ['After "Not sent:"'] })))],
          (words) => el('span', { className: 'failure__label', text: words }),
        ),
      ),
      canAct
        ? el('div', { className: 'failure__actions' }, [
            createButton({ label: l10n.t('Retry'), appearance: 'primary', data: { action: RETRY_ACTION }, title: l10n.t('Send this message again') }),
            createButton({ label: l10n.t('Discard'), appearance: 'secondary', data: { action: CANCEL_ACTION }, title: l10n.t('Remove this message from the outbox') }),
          ])
        : el('div', { className: 'failure__hint', text: l10n.t('This message cannot be retried from here.') }),
    ]);
  }
  if (message.status === 'queued' && canAct) {
    const why = message.failure?.trim();
    return el('div', { className: 'queued-actions' }, [
      // Why it waits (a venue limit, a dropped connection): it is retried by itself.
      why ? el('div', { className: 'queued-actions__reason', attrs: { dir: 'auto', role: 'status' } }, withNodes(l10n.t({ message: 'Waiting: {0}', args: [slot(0)], comment: ['{0} is why a queued message waits, often in the venue\'s own words'] }), [el('span', {}, revealed(why))])) : null,
      createButton({ label: l10n.t('Cancel'), appearance: 'secondary', data: { action: CANCEL_ACTION }, title: l10n.t('Do not send this queued message') }),
    ]);
  }
  return null;
}
