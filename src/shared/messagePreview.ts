// One line that stands for a message in the conversation list (tree descriptions, notifications).
// Structured kinds say what they are when they have no text; a withdrawn message never shows its
// original text there either.
// The labels are translated (@vscode/l10n), read when asked for, never kept in a constant.
import * as l10n from '@vscode/l10n';
import type { ChatMessage, MessageKind, MessagePayload } from './model';

export const PREVIEW_LENGTH = 80;


function kindLabel(kind: MessageKind | string): string {
  switch (kind) {
    case 'text':
    case 'markdown':
      return '';
    case 'image':
      return l10n.t({ message: '[Image]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    case 'video':
      return l10n.t({ message: '[Video]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    case 'audio':
      return l10n.t({ message: '[Audio]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    case 'file':
      return l10n.t({ message: '[File]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    case 'sticker':
      return l10n.t({ message: '[Sticker]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    case 'contact':
      return l10n.t({ message: '[Contact]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    case 'location':
      return l10n.t({ message: '[Location]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    case 'card':
      return l10n.t({ message: '[Card]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    case 'buttons':
      return l10n.t({ message: '[Buttons]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    case 'live':
      return l10n.t({ message: '[Live stream]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    case 'reaction':
      return l10n.t({ message: '[Reaction]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    case 'poll':
      return l10n.t({ message: '[Poll]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    case 'system':
      return l10n.t({ message: '[Event]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    case 'recall':
      return l10n.t({ message: '[Message withdrawn]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    case 'gap':
      return l10n.t({ message: '[Connection gap]', comment: ['Stands for a message of this kind in a one-line preview, e.g. "[Image] holiday.jpg"'] });
    default:
      return `[${kind}]`;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string): string {
  // Array.from counts code points, so an emoji is never cut in half.
  const points = Array.from(text);
  return points.length > PREVIEW_LENGTH ? `${points.slice(0, PREVIEW_LENGTH).join('')}…` : text;
}

function durationText(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  const seconds = Math.round(ms / 1000);
  return ` ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** What a payload says when the message has no text of its own. */
function payloadText(payload: MessagePayload): string {
  switch (payload.type) {
    case 'contact': {
      const first = payload.contacts[0];
      const name = first?.name ?? first?.phone ?? first?.email ?? '';
      if (!name) return '';
      return payload.contacts.length > 1 ? l10n.t({ message: '{0} +{1}', args: [name, payload.contacts.length - 1], comment: ['A contact card\'s name and how many more contacts came with it, e.g. "Bob +2"'] }) : name;
    }
    case 'location':
      return payload.name ?? payload.address ?? `${payload.latitude.toFixed(5)}, ${payload.longitude.toFixed(5)}`;
    case 'sticker':
      return payload.name ?? '';
    case 'card':
      return payload.title;
    case 'buttons':
      return payload.buttons.map((b) => b.label).join(' · ');
    case 'reaction':
      return payload.emoji || l10n.t({ message: 'removed', comment: ['After "[Reaction]": the sender withdrew their reaction'] });
    case 'poll':
      return payload.question;
    case 'live':
    case 'recall':
      return '';
    case 'system':
      return orderEventText(payload);
  }
}

/** An order or system event as a sentence: "Order 42: paid (BUYER_PAYED)". */
export function orderEventText(payload: Extract<MessagePayload, { type: 'system' }>): string {
  // The event and state are the venue's words; only the frame is translated.
  const event = [payload.event, payload.state ? `(${payload.state})` : ''].filter(Boolean).join(' ');
  return payload.orderId ? l10n.t({ message: 'Order {0}: {1}', args: [payload.orderId, event], comment: ['{0} is the order number, {1} the event in the venue\'s words, e.g. "paid (BUYER_PAYED)"'] }).trim() : event;
}

/**
 * A post's words without its Markdown marks, for a one-line preview: headings, list and quote
 * markers, emphasis and code marks go; a link or picture keeps its text. (The pane renders the
 * post itself with markdown-it; this only has to read well in a list.)
 */
export function markdownPreview(text: string): string {
  return text
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+)/gm, '')
    .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
    .replace(/(\*\*|__|~~|`+)(?=\S)([^\n]*?\S)\1/g, '$2')
    .replace(/(^|[\s(])[*_](?=\S)([^*_\n]*?\S)[*_](?=$|[\s).,;:!?])/gm, '$1$2')
    .replace(/^\s{0,3}(?:[-*_]\s*){3,}$/gm, '');
}

/** A short single-line preview of `message` ('' for an empty text message). */
export function previewText(message: ChatMessage): string {
  if (message.recalled || message.kind === 'recall') return kindLabel('recall');
  const label = kindLabel(String(message.kind));
  const text = oneLine(message.kind === 'markdown' ? markdownPreview(message.text ?? '') : (message.text ?? ''));
  const structured = message.payload && message.payload.type === message.kind ? oneLine(payloadText(message.payload)) : '';
  let body = text || structured;
  if (message.kind === 'audio' && !body) body = durationText(message.attachments?.find((a) => a.kind === 'audio')?.durationMs).trim();
  if (!body) body = message.attachments?.find((a) => a.name)?.name ?? '';
  if (!body) return label;
  // Text and event lines read as they are; other kinds keep their label ("[Card] Pay now").
  return clip(label === '' || message.kind === 'system' ? body : l10n.t({ message: '{0} {1}', args: [label, body], comment: ['A message preview: {0} is its kind, e.g. "[Card]", {1} its words, e.g. "Pay now"'] }));
}
