// The delivery status of our own messages: queued (clock), sending (spinner), sent (one check),
// confirmed (two checks), delivered and read (two checks, emphasised), failed (reason + actions).
import type { ChatMessage, OutgoingStatus } from '../../shared/model';
import { revealed } from '../bidiReveal';
import { el, srOnly } from '../dom';
import { icons } from '../icons';
import { createButton, createSpinner } from '../ui';

export const RETRY_ACTION = 'retry';
export const CANCEL_ACTION = 'cancel';

const STATUS_TEXT: Record<OutgoingStatus, string> = {
  queued: 'Queued: will be sent when the venue is reachable',
  sending: 'Sending',
  sent: 'Sent',
  confirmed: 'Confirmed by the venue',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not sent',
};

function statusIcon(status: OutgoingStatus): Element {
  switch (status) {
    case 'queued':
      return icons.clock();
    case 'sending':
      return createSpinner('Sending', 'spinner spinner--status');
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
  return el('span', { className: `status status--${status}`, attrs: { title: STATUS_TEXT[status] }, data: { status } }, [
    statusIcon(status),
    // delivered/read get a visible word: two checks alone would look like "confirmed".
    status === 'delivered' || status === 'read' ? el('span', { className: 'status__word', text: STATUS_TEXT[status], attrs: { 'aria-hidden': 'true' } }) : null,
    srOnly(STATUS_TEXT[status]),
  ]);
}

/** Reason and actions under a failed message, or a cancel action under a queued one. */
export function actionsElement(message: ChatMessage): HTMLElement | null {
  if (message.direction !== 'out') return null;
  const canAct = message.clientMessageId !== undefined;
  if (message.status === 'failed') {
    return el('div', { className: 'failure', attrs: { role: 'alert' } }, [
      el('div', { className: 'failure__reason', attrs: { dir: 'auto' } }, [
        el('span', { className: 'failure__label', text: 'Not sent: ' }),
        // The reason can be the venue's own words about counterparty text: controls are revealed.
        el('span', { className: 'failure__text' }, revealed(message.failure?.trim() || 'the venue did not accept the message')),
      ]),
      canAct
        ? el('div', { className: 'failure__actions' }, [
            createButton({ label: 'Retry', appearance: 'primary', data: { action: RETRY_ACTION }, title: 'Send this message again' }),
            createButton({ label: 'Discard', appearance: 'secondary', data: { action: CANCEL_ACTION }, title: 'Remove this message from the outbox' }),
          ])
        : el('div', { className: 'failure__hint', text: 'This message cannot be retried from here.' }),
    ]);
  }
  if (message.status === 'queued' && canAct) {
    const why = message.failure?.trim();
    return el('div', { className: 'queued-actions' }, [
      // Why it waits (a venue limit, a dropped connection): it is retried by itself.
      why ? el('div', { className: 'queued-actions__reason', attrs: { dir: 'auto', role: 'status' } }, [el('span', { text: 'Waiting: ' }), el('span', {}, revealed(why))]) : null,
      createButton({ label: 'Cancel', appearance: 'secondary', data: { action: CANCEL_ACTION }, title: 'Do not send this queued message' }),
    ]);
  }
  return null;
}
