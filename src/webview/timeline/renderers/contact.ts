// Shared contacts (WhatsApp vCards, Mixin PLAIN_CONTACT). Phone numbers and e-mail addresses are
// shown as text: the pane opens nothing but http(s).
import type { ContactCard } from '../../../shared/model';
import { revealed } from '../../bidiReveal';
import { el } from '../../dom';
import { icons } from '../../icons';
import { labelledFallback } from './fallbackBlock';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

function detail(label: string, value: string | undefined): HTMLElement | null {
  if (!value) return null;
  return el('div', { className: 'contact__detail' }, [el('span', { className: 'contact__key', text: `${label}: ` }), el('span', { attrs: { dir: 'auto' } }, revealed(value))]);
}

function contactCard(contact: ContactCard): HTMLElement {
  const name = contact.name || contact.phone || contact.email || contact.userId || 'Contact';
  return el('div', { className: 'contact' }, [
    icons.person(),
    el('div', { className: 'contact__body' }, [
      el('div', { className: 'contact__name', attrs: { dir: 'auto' } }, revealed(name)),
      contact.name ? detail('Phone', contact.phone) : null,
      contact.name || contact.phone ? detail('E-mail', contact.email) : null,
      detail('User ID', contact.userId !== name ? contact.userId : undefined),
    ]),
  ]);
}

export const renderContact: MessageRenderer = (message) => {
  const payload = message.payload?.type === 'contact' ? message.payload : undefined;
  if (!payload) return labelledFallback(message, 'content--contact', 'Contact');
  return el('div', { className: 'content content--contact' }, [
    el('div', { className: 'content__label', text: payload.contacts.length === 1 ? 'Contact' : `${payload.contacts.length} contacts` }),
    ...payload.contacts.map(contactCard),
    message.text ? textBlock(message.text, 'text caption') : null,
  ]);
};
