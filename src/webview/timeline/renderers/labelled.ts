// Contact, location, card, buttons and live messages. The shared model carries them as text plus
// attachments (adapters flatten the venue's structure into readable text), so they render as a
// labelled block: what kind of thing it is, the text, and any attachments.
import type { ChatMessage } from '../../../shared/model';
import { el } from '../../dom';
import { attachmentsBlock } from './media';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

function labelled(message: ChatMessage, kindClass: string, label: string): HTMLElement {
  return el('div', { className: `content content--labelled ${kindClass}` }, [
    el('div', { className: 'content__label', text: label }),
    message.text ? textBlock(message.text) : null,
    attachmentsBlock(message.attachments),
  ]);
}

export const renderContact: MessageRenderer = (message) => labelled(message, 'content--contact', 'Contact');
export const renderLocation: MessageRenderer = (message) => labelled(message, 'content--location', 'Location');
export const renderCard: MessageRenderer = (message) => labelled(message, 'content--card', 'Card');
/** Venue buttons are shown, not pressable: the protocol has no way to answer them yet. */
export const renderButtons: MessageRenderer = (message) => labelled(message, 'content--buttons', 'Message with buttons (answer on the venue)');
export const renderLive: MessageRenderer = (message) => labelled(message, 'content--live', 'Live');
