// Event lines: order events (paid, released, cancelled, appeal...) and other notices from the
// venue, centred in the timeline. The venue's text wins; without it the event says what happened.
import * as l10n from '@vscode/l10n';
import type { MessagePayload } from '../../../shared/model';
import { orderEventText } from '../../../shared/messagePreview';
import { revealed } from '../../bidiReveal';
import { el } from '../../dom';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

type SystemPayload = Extract<MessagePayload, { type: 'system' }>;

function eventDetails(payload: SystemPayload): string {
  const order = payload.orderId ? l10n.t({ message: 'Order {0}', args: [payload.orderId], comment: ['{0} is the order number'] }) : '';
  return [order, payload.event, payload.state ?? ''].filter(Boolean).join(' · ');
}

export const renderSystem: MessageRenderer = (message) => {
  const payload = message.payload?.type === 'system' ? message.payload : undefined;
  const text = message.text || (payload ? orderEventText(payload) : '') || l10n.t({ message: 'Event', comment: ['A line in the chat about something that happened (an order event, a notice from the venue)'] });
  return el('div', { className: 'content content--system' }, [
    textBlock(text, 'text system-text'),
    payload && message.text ? el('div', { className: 'system__details', attrs: { dir: 'auto' } }, revealed(eventDetails(payload))) : null,
  ]);
};
