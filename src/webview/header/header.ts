import * as l10n from '@vscode/l10n';
import { revealBidiControls } from '../../shared/bidiControls';
import { revealed } from '../bidiReveal';
import type { ConnectionState, Conversation, VenueId } from '../../shared/model';
import { el } from '../dom';
import { VENUE_LABELS } from '../hostGuards';
import type { Disposable } from '../lifecycle';
import { ConnectionBadge } from './connectionBadge';
import { OrderSummary } from './orderSummary';

const ORDER_VENUES: ReadonlySet<VenueId> = new Set<VenueId>(['mexc', 'binance', 'bybit']);

export class Header implements Disposable {
  readonly element: HTMLElement;
  private readonly title = el('h1', { className: 'header__title', attrs: { dir: 'auto' } });
  private readonly subtitle = el('div', { className: 'header__subtitle', attrs: { dir: 'auto' } });
  private readonly badge: ConnectionBadge;
  private readonly order: OrderSummary;

  constructor(announce: (text: string) => void) {
    this.badge = new ConnectionBadge(announce);
    this.order = new OrderSummary(announce);
    this.element = el('header', { className: 'header' }, [el('div', { className: 'header__titles' }, [this.title, this.subtitle, this.order.element]), this.badge.element]);
  }

  setConversation(conversation: Conversation): void {
    // Counterparty-chosen names: bidi controls shown as tokens, never able to reorder the header.
    this.title.replaceChildren(...revealed(conversation.title));
    this.title.title = revealBidiControls(conversation.title);
    // With an order, the order line below says it all; the subtitle names venue and order number.
    const { order } = conversation;
    // On the order venues an active chat is an order in progress; on WhatsApp and Mixin it only means recent.
    const inProgress = conversation.active && ORDER_VENUES.has(conversation.venue);
    const detail = order
      ? [l10n.t({ message: 'Order {0}', args: [order.orderNo], comment: ['{0} is the order number'] })]
      : [conversation.subtitle, inProgress ? l10n.t({ message: 'order in progress', comment: ['In the pane header after the venue name and the trade, separated by ·'] }) : undefined];
    const parts = [VENUE_LABELS[conversation.venue], ...detail].filter(
      (part): part is string => typeof part === 'string' && part.length > 0,
    );
    this.subtitle.replaceChildren(...revealed(parts.join(' · ')));
    this.order.set(order);
    document.title = revealBidiControls(conversation.title);
  }

  setConnection(state: ConnectionState): void {
    this.badge.set(state);
  }

  dispose(): void {
    this.order.dispose();
    this.badge.dispose();
  }
}
