// A shared location: its name and address, the coordinates, and a map link that opens in the
// browser through the host (after the user confirms, like every link).
import * as l10n from '@vscode/l10n';
import { revealed } from '../../bidiReveal';
import { el } from '../../dom';
import { icons } from '../../icons';
import { linkElement } from '../links';
import { labelledFallback } from './fallbackBlock';
import { textBlock } from './textBlock';
import type { MessageRenderer } from './types';

/** OpenStreetMap needs no account or API key; the host opens it in the user's browser. */
export function mapUrl(latitude: number, longitude: number): URL {
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  return new URL(`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`);
}

export function coordinatesText(latitude: number, longitude: number): string {
  return `${latitude.toFixed(5)}, ${longitude.toFixed(5)}`;
}

const locationLabel = (): string => l10n.t({ message: 'Location', comment: ['A message kind: a shared place on a map'] });

export const renderLocation: MessageRenderer = (message) => {
  const payload = message.payload?.type === 'location' ? message.payload : undefined;
  if (!payload) return labelledFallback(message, 'content--location', locationLabel());
  const { latitude, longitude, name, address } = payload;
  return el('div', { className: 'content content--location' }, [
    el('div', { className: 'location' }, [
      icons.pin(),
      el('div', { className: 'location__body' }, [
        el('div', { className: 'content__label', text: locationLabel() }),
        name ? el('div', { className: 'location__name', attrs: { dir: 'auto' } }, revealed(name)) : null,
        address ? el('div', { className: 'location__address', attrs: { dir: 'auto' } }, revealed(address)) : null,
        el('div', { className: 'location__coordinates', text: coordinatesText(latitude, longitude) }),
        linkElement(mapUrl(latitude, longitude), l10n.t('Open in map'), 'link location__map'),
      ]),
    ]),
    message.text ? textBlock(message.text, 'text caption') : null,
  ]);
};
