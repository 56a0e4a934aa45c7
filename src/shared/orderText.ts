// How an order reads, in the tree, the pane header and conversation subtitles: the same words
// everywhere. Plain TypeScript for both bundles; amounts are shown exactly as the venue wrote them.
import type { OrderContext, OrderState } from './model';

const STATE_WORDS: Readonly<Record<OrderState, string>> = {
  'awaiting-payment': 'Awaiting payment',
  paid: 'Paid',
  appeal: 'In appeal',
  'in-progress': 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
  expired: 'Expired',
  unknown: 'Unknown state',
};

/** The trade is still running (its chat matters now). */
export function isOrderOpen(state: OrderState): boolean {
  return state === 'awaiting-payment' || state === 'paid' || state === 'appeal' || state === 'in-progress';
}

/** The state in words; states without a word of their own carry the venue's. */
export function orderStateText(order: Pick<OrderContext, 'state' | 'venueState'>): string {
  const words = STATE_WORDS[order.state];
  return order.state === 'in-progress' || order.state === 'unknown' ? `${words} (${order.venueState})` : words;
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
  const verb = order.side === 'buy' ? 'You buy' : 'You sell';
  return quantity ? `${verb} ${quantity}` : verb;
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
  const trade = [side, fiat ? `for ${fiat}` : undefined, price ? `at ${price}` : undefined].filter(Boolean).join(' ');
  return [trade, orderStateText(order), `order ${order.orderNo}`].filter(Boolean).join(' · ');
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
