// App cards (Mixin APP_CARD, Binance order cards): cover, icon and title, description and action buttons.
// The cover loads like any picture (http(s) only, the CSP limits it to the venue's media hosts,
// and a blocked one turns into a link).
import * as l10n from '@vscode/l10n';
import { revealed } from '../../bidiReveal';
import { el } from '../../dom';
import { actionButtons } from './actionButtons';
import { labelledFallback } from './fallbackBlock';
import { imageElement } from './media';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

const cardLabel = (): string => l10n.t({ message: 'Card', comment: ['A message kind: an app card with a title, a picture and buttons'] });

export const renderCard: MessageRenderer = (message) => {
  const payload = message.payload?.type === 'card' ? message.payload : undefined;
  if (!payload) return labelledFallback(message, 'content--card', cardLabel());
  const title = payload.title || message.text || cardLabel();
  return el('div', { className: 'content content--card' }, [
    el('div', { className: 'card' }, [
      // Only as a thumbnail: a click on the cover opens nothing.
      payload.coverUrl ? imageElement({ kind: 'image', thumbUrl: payload.coverUrl, name: l10n.t({ message: 'Cover of {0}', args: [title], comment: ['{0} is the title of an app card'] }) }, 'media card__cover') : null,
      el('div', { className: 'card__head' }, [
        // The app's icon beside the title (a picture only, like the cover).
        payload.iconUrl ? imageElement({ kind: 'image', thumbUrl: payload.iconUrl, name: l10n.t({ message: 'Icon of {0}', args: [title], comment: ['{0} is the title of an app card'] }) }, 'media card__icon') : null,
        el('div', { className: 'card__title', attrs: { dir: 'auto' } }, revealed(title)),
      ]),
      payload.description ? textBlock(payload.description, 'text card__description') : null,
      actionButtons(payload.actions),
    ]),
    message.text && message.text !== title ? textBlock(message.text, 'text caption') : null,
  ]);
};
