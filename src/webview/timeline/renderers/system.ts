// Event lines: order events (paid, released, cancelled, appeal...) and other notices from the
// venue, centred in the timeline. The venue's text wins; without it the event says what happened.
import type { MessagePayload } from '../../../shared/model';
import { orderEventText } from '../../../shared/messagePreview';
import { revealed } from '../../bidiReveal';
import { el } from '../../dom';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

type SystemPayload = Extract<MessagePayload, { type: 'system' }>;

function eventDetails(payload: SystemPayload): string {
  return [payload.orderId ? `Order ${payload.orderId}` : '', payload.event, payload.state ?? ''].filter(Boolean).join(' · ');
}

export const renderSystem: MessageRenderer = (message) => {
  const payload = message.payload?.type === 'system' ? message.payload : undefined;
  const text = message.text || (payload ? orderEventText(payload) : '') || 'Event';
  return el('div', { className: 'content content--system' }, [
    textBlock(text, 'text system-text'),
    payload && message.text ? el('div', { className: 'system__details', attrs: { dir: 'auto' } }, revealed(eventDetails(payload))) : null,
  ]);
};
