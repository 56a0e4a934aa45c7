// Shared contacts (WhatsApp vCards, Mixin PLAIN_CONTACT). Phone numbers and e-mail addresses are
// shown as text: the pane opens nothing but http(s).
import * as l10n from '@vscode/l10n';
import { formatNumber, slot, withNodes } from '../../locale';
import type { ContactCard } from '../../../shared/model';
import { revealed } from '../../bidiReveal';
import { el } from '../../dom';
import { icons } from '../../icons';
import { labelledFallback } from './fallbackBlock';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

/** A labelled detail ("Phone: {0}"): the label styled, the value the contact's own words. */
function detail(label: string, value: string | undefined): HTMLElement | null {
  if (!value) return null;
  return el('div', { className: 'contact__detail' }, withNodes(label, [el('span', { attrs: { dir: 'auto' } }, revealed(value))], (words) => el('span', { className: 'contact__key', text: words })));
}

const contactLabel = (): string => l10n.t({ message: 'Contact', comment: ['A message kind: a shared contact card'] });

function contactCard(contact: ContactCard): HTMLElement {
  const name = contact.name || contact.phone || contact.email || contact.userId || contactLabel();
  return el('div', { className: 'contact' }, [
    icons.person(),
    el('div', { className: 'contact__body' }, [
      el('div', { className: 'contact__name', attrs: { dir: 'auto' } }, revealed(name)),
      contact.name ? detail(l10n.t({ message: 'Phone: {0}', args: [slot(0)], comment: ['{0} is a phone number'] }), contact.phone) : null,
      contact.name || contact.phone ? detail(l10n.t({ message: 'E-mail: {0}', args: [slot(0)], comment: ['{0} is an e-mail address'] }), contact.email) : null,
      detail(l10n.t({ message: 'User ID: {0}', args: [slot(0)], comment: ['{0} is the contact\'s user id on the venue'] }), contact.userId !== name ? contact.userId : undefined),
    ]),
  ]);
}

export const renderContact: MessageRenderer = (message) => {
  const payload = message.payload?.type === 'contact' ? message.payload : undefined;
  if (!payload) return labelledFallback(message, 'content--contact', contactLabel());
  return el('div', { className: 'content content--contact' }, [
    el('div', { className: 'content__label', text: payload.contacts.length === 1 ? contactLabel() : l10n.t('{0} contacts', formatNumber(payload.contacts.length)) }),
    ...payload.contacts.map(contactCard),
    message.text ? textBlock(message.text, 'text caption') : null,
  ]);
};
