// The message a reply quotes, above the reply. Its text is an excerpt; CSS clamps it to a few lines.
import type { QuotedMessage } from '../../../shared/model';
import { revealed } from '../../bidiReveal';
import { revealBidiControls } from '../../../shared/bidiControls';
import { el } from '../../dom';

export function quoteBlock(quote: QuotedMessage): HTMLElement {
  const who = quote.senderName ? `Reply to ${revealBidiControls(quote.senderName)}` : 'Reply';
  return el('div', { className: 'quote', attrs: { role: 'note', 'aria-label': who } }, [
    el('div', { className: 'quote__sender', attrs: { dir: 'auto' } }, revealed(quote.senderName ?? 'Reply to an earlier message')),
    quote.text ? el('div', { className: 'quote__text', attrs: { dir: 'auto' } }, revealed(quote.text)) : null,
  ]);
}
