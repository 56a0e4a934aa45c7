// A live stream (Mixin PLAIN_LIVE): its thumbnail and a link that opens the stream in the browser
// through the host. The pane never plays it (media-src is limited to the venue's media hosts).
import * as l10n from '@vscode/l10n';
import { slot, withNodes } from '../../locale';
import { revealed } from '../../bidiReveal';
import { el } from '../../dom';
import { icons } from '../../icons';
import { parseHttpUrl } from '../../safeUrl';
import { linkElement } from '../links';
import { labelledFallback } from './fallbackBlock';
import { imageElement } from './media';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

export const renderLive: MessageRenderer = (message) => {
  const payload = message.payload?.type === 'live' ? message.payload : undefined;
  if (!payload) return labelledFallback(message, 'content--live', l10n.t({ message: 'Live', comment: ['A message kind: a live stream'] }));
  const url = parseHttpUrl(payload.url);
  return el('div', { className: 'content content--live' }, [
    el('div', { className: 'content__label live__label' }, [icons.live(), ` ${l10n.t('Live stream')}`]),
    payload.thumbUrl ? imageElement({ kind: 'image', thumbUrl: payload.thumbUrl, name: l10n.t('Live stream'), width: payload.width, height: payload.height }) : null,
    url
      ? linkElement(url, l10n.t('Open the live stream'), 'link live__open')
      : el(
          'div',
          { className: 'media-unavailable' },
          withNodes(
            l10n.t({ message: 'The stream has no web address the pane can open: {0}', args: [slot(0)], comment: ['{0} is the address the venue gave'] }),
            [el('span', { className: 'media-unavailable__url', attrs: { dir: 'ltr' } }, revealed(payload.url))],
            (words) => el('span', { text: words }),
          ),
        ),
    message.text ? textBlock(message.text, 'text caption') : null,
  ]);
};
