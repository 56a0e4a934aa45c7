// The message a reply quotes, above the reply. Its text is an excerpt; CSS clamps it to a few lines.
import type { QuotedMessage } from '../../../shared/model';
import { el } from '../../dom';

export function quoteBlock(quote: QuotedMessage): HTMLElement {
  const who = quote.senderName ? `Reply to ${quote.senderName}` : 'Reply';
  return el('div', { className: 'quote', attrs: { role: 'note', 'aria-label': who } }, [
    el('div', { className: 'quote__sender', text: quote.senderName ?? 'Reply to an earlier message', attrs: { dir: 'auto' } }),
    quote.text ? el('div', { className: 'quote__text', text: quote.text, attrs: { dir: 'auto' } }) : null,
  ]);
}
