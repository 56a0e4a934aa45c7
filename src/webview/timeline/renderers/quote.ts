// The message a reply quotes, above the reply. Its text is an excerpt; CSS clamps it to a few lines.
// Where the quote names the venue's message, a "Show" button goes to it when it is loaded (the
// timeline finds it by key; nothing of the quote's own words is used to find it).
import * as l10n from '@vscode/l10n';
import type { QuotedMessage } from '../../../shared/model';
import { revealed } from '../../bidiReveal';
import { revealBidiControls } from '../../../shared/bidiControls';
import { el } from '../../dom';
import { icons } from '../../icons';

export const SHOW_QUOTED_ACTION = 'show-quoted';

export function quoteBlock(quote: QuotedMessage): HTMLElement {
  // Ours by the flag only: a counterparty named "You" shows as "You", never as "Your message".
  const own = quote.fromUs === true;
  const who = own
    ? l10n.t('Reply to your message')
    : quote.senderName
      ? l10n.t({ message: 'Reply to {0}', args: [revealBidiControls(quote.senderName)], comment: ['{0} is who wrote the quoted message'] })
      : l10n.t({ message: 'Reply', comment: ['A message that answers an earlier one'] });
  return el('div', { className: own ? 'quote quote--own' : 'quote', attrs: { role: 'note', 'aria-label': who } }, [
    own
      ? el('div', { className: 'quote__sender' }, [l10n.t('Your message')])
      : el('div', { className: 'quote__sender', attrs: { dir: 'auto' } }, revealed(quote.senderName ?? l10n.t('Reply to an earlier message'))),
    quote.text ? el('div', { className: 'quote__text', attrs: { dir: 'auto' } }, revealed(quote.text)) : null,
    quote.venueMessageId !== undefined
      ? el('button', { className: 'quote__show', attrs: { type: 'button', title: l10n.t('Show the quoted message'), 'aria-label': l10n.t('Show the quoted message') }, data: { action: SHOW_QUOTED_ACTION } }, [icons.arrowUp()])
      : null,
  ]);
}
