// How an order reads, in the tree, the pane header and conversation subtitles: the same words
// everywhere. Plain TypeScript for both bundles; amounts are shown exactly as the venue wrote them.
// The words are translated when asked for (@vscode/l10n), never at module load.
import * as l10n from '@vscode/l10n';
import type { OrderContext, OrderState } from './model';

function stateWords(state: Exclude<OrderState, 'in-progress' | 'unknown'>): string {
  switch (state) {
    case 'awaiting-payment':
      return l10n.t({ message: 'Awaiting payment', comment: ['An order\'s state, in the inbox and the chat header.'] });
    case 'paid':
      return l10n.t({ message: 'Paid', comment: ['An order\'s state, in the inbox and the chat header.'] });
    case 'appeal':
      return l10n.t({ message: 'In appeal', comment: ['An order\'s state, in the inbox and the chat header.'] });
    case 'completed':
      return l10n.t({ message: 'Completed', comment: ['An order\'s state, in the inbox and the chat header.'] });
    case 'cancelled':
      return l10n.t({ message: 'Cancelled', comment: ['An order\'s state, in the inbox and the chat header.'] });
    case 'expired':
      return l10n.t({ message: 'Expired', comment: ['An order\'s state, in the inbox and the chat header.'] });
  }
}

/** The trade is still running (its chat matters now). */
export function isOrderOpen(state: OrderState): boolean {
  return state === 'awaiting-payment' || state === 'paid' || state === 'appeal' || state === 'in-progress';
}

/** The state in words; states without a word of their own carry the venue's. */
export function orderStateText(order: Pick<OrderContext, 'state' | 'venueState'>): string {
  if (order.state === 'in-progress') return l10n.t({ message: 'In progress ({0})', args: [order.venueState], comment: ['An order\'s state, in the inbox and the chat header.', "{0} is the venue's own state code."] });
  if (order.state === 'unknown') return l10n.t({ message: 'Unknown state ({0})', args: [order.venueState], comment: ['An order\'s state, in the inbox and the chat header.', "{0} is the venue's own state code."] });
  return stateWords(order.state);
}

function amount(value: string | undefined, unit: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return unit ? `${value} ${unit}` : value;
}

/** "349.68 EUR" (or undefined when the venue gave no fiat amount). */
export function fiatAmountText(order: OrderContext): string | undefined {
  return amount(order.fiatAmount, order.fiat);
}

/** "You buy 375.99 USDT" / "You sell 375.99 USDT"; without a side, just the quantity. */
export function orderSideText(order: OrderContext): string | undefined {
  const quantity = amount(order.quantity, order.asset) ?? order.asset;
  if (order.side === undefined) return quantity;
  if (order.side === 'buy') return quantity ? l10n.t({ message: 'You buy {0}', args: [quantity], comment: ['{0} is an amount and its asset, e.g. 375.99 USDT.'] }) : l10n.t('You buy');
  return quantity ? l10n.t({ message: 'You sell {0}', args: [quantity], comment: ['{0} is an amount and its asset, e.g. 375.99 USDT.'] }) : l10n.t('You sell');
}

/** "0.93 EUR/USDT". */
export function priceText(order: OrderContext): string | undefined {
  if (order.price === undefined) return undefined;
  return order.fiat && order.asset ? `${order.price} ${order.fiat}/${order.asset}` : order.price;
}

/** The tree row's words: "349.68 EUR · Paid". */
export function orderRowText(order: OrderContext): string {
  return [fiatAmountText(order) ?? amount(order.quantity, order.asset), orderStateText(order)].filter(Boolean).join(' · ');
}

/** One line with everything: "You sell 375.99 USDT for 349.68 EUR at 0.93 EUR/USDT · Paid · order 123". */
export function orderSummaryText(order: OrderContext): string {
  const side = orderSideText(order);
  const fiat = fiatAmountText(order);
  const price = priceText(order);
  return [tradeText(side, fiat, price), orderStateText(order), l10n.t({ message: 'order {0}', args: [order.orderNo], comment: ['{0} is the venue\'s order number.'] })].filter(Boolean).join(' · ');
}

/** "for 349.68 EUR at 0.93 EUR/USDT" (what the trade costs; the chat header shows it beside the side), or undefined when the venue gave neither. */
export function tradeTermsText(order: OrderContext): string | undefined {
  return tradeText(undefined, fiatAmountText(order), priceText(order)) || undefined;
}

/** "You sell 375.99 USDT for 349.68 EUR at 0.93 EUR/USDT", one message for each combination of what is known. */
function tradeText(side: string | undefined, fiat: string | undefined, price: string | undefined): string {
  if (side) {
    if (fiat && price) return l10n.t({ message: '{0} for {1} at {2}', args: [side, fiat, price], comment: ['{0} is "You sell 375.99 USDT" (or just the amount), {1} the fiat amount ("349.68 EUR"), {2} the price ("0.93 EUR/USDT").'] });
    if (fiat) return l10n.t({ message: '{0} for {1}', args: [side, fiat], comment: ['{0} is "You sell 375.99 USDT" (or just the amount), {1} the fiat amount ("349.68 EUR"), {2} the price ("0.93 EUR/USDT").'] });
    if (price) return l10n.t({ message: '{0} at {1}', args: [side, price], comment: ['{0} is "You sell 375.99 USDT" (or just the amount), {1} the price ("0.93 EUR/USDT").'] });
    return side;
  }
  if (fiat && price) return l10n.t({ message: 'for {0} at {1}', args: [fiat, price], comment: ['{0} is the fiat amount ("349.68 EUR"), {1} the price ("0.93 EUR/USDT").'] });
  if (fiat) return l10n.t({ message: 'for {0}', args: [fiat], comment: ['{0} is the fiat amount ("349.68 EUR").'] });
  if (price) return l10n.t({ message: 'at {0}', args: [price], comment: ['{0} is the price ("0.93 EUR/USDT").'] });
  return '';
}

/** Time left as mm:ss under an hour ("04:05", "14:59"), else h:mm:ss ("1:02:03"); whole seconds, rounded up. */
export function countdownText(msLeft: number): string {
  const total = Math.max(0, Math.ceil(msLeft / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = String(minutes).padStart(2, '0');
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}
