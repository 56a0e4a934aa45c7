// The message a reply quotes, above the reply. Its text is an excerpt; CSS clamps it to a few lines.
// Where the quote names the venue's message, a "Show" button goes to it when it is loaded (the
// timeline finds it by key; nothing of the quote's own words is used to find it).
import type { QuotedMessage } from '../../../shared/model';
import { revealed } from '../../bidiReveal';
import { revealBidiControls } from '../../../shared/bidiControls';
import { el } from '../../dom';
import { icons } from '../../icons';

export const SHOW_QUOTED_ACTION = 'show-quoted';

export function quoteBlock(quote: QuotedMessage): HTMLElement {
  // Ours by the flag only: a counterparty named "You" shows as "You", never as "Your message".
  const own = quote.fromUs === true;
  const who = own ? 'Reply to your message' : quote.senderName ? `Reply to ${revealBidiControls(quote.senderName)}` : 'Reply';
  return el('div', { className: own ? 'quote quote--own' : 'quote', attrs: { role: 'note', 'aria-label': who } }, [
    own
      ? el('div', { className: 'quote__sender' }, ['Your message'])
      : el('div', { className: 'quote__sender', attrs: { dir: 'auto' } }, revealed(quote.senderName ?? 'Reply to an earlier message')),
    quote.text ? el('div', { className: 'quote__text', attrs: { dir: 'auto' } }, revealed(quote.text)) : null,
    quote.venueMessageId !== undefined
      ? el('button', { className: 'quote__show', attrs: { type: 'button', title: 'Show the quoted message', 'aria-label': 'Show the quoted message' }, data: { action: SHOW_QUOTED_ACTION } }, [icons.arrowUp()])
      : null,
  ]);
}
