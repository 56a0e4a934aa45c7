// Venue buttons (Mixin APP_BUTTON_GROUP, card actions). An http(s) action is a link element: the
// timeline's delegated handler asks the host to open it, and the host shows the full URL and
// asks first. Any other action (an app scheme, a bot command) cannot work here: it is shown, inert.
import * as l10n from '@vscode/l10n';
import type { MessageButton } from '../../../shared/model';
import { revealed } from '../../bidiReveal';
import { el } from '../../dom';
import { parseHttpUrl } from '../../safeUrl';
import { linkElement } from '../links';

const COLOR = /^#[0-9a-fA-F]{6}$/;

function actionButton(button: MessageButton): HTMLElement {
  const url = parseHttpUrl(button.action);
  const element = url
    ? linkElement(url, button.label, 'action-button')
    : el(
        'span',
        {
          className: 'action-button action-button--inert',
          attrs: { title: l10n.t('This button works only in the venue’s app'), 'aria-disabled': 'true', dir: 'auto' },
        },
        revealed(button.label),
      );
  if (url) element.setAttribute('dir', 'auto');
  // Through the CSSOM (allowed by the CSP, unlike a style attribute), and only a checked colour.
  if (button.color && COLOR.test(button.color)) element.style.setProperty('--action-color', button.color);
  return element;
}

export function actionButtons(buttons: readonly MessageButton[]): HTMLElement | null {
  if (buttons.length === 0) return null;
  return el('div', { className: 'action-buttons', attrs: { role: 'group', 'aria-label': l10n.t('Message buttons') } }, buttons.map(actionButton));
}
