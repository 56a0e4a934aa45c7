// A Bybit order row -> the venue-neutral OrderContext (docs/venue-protocols.md, Bybit: orders).
// Status codes are numbers (sent as strings); `side` is the account's own (0 buy, 1 sell); `amount`
// is the fiat amount, `notifyTokenQuantity` (or `quantity`) the token quantity; the payment time
// left (`transferLastSeconds`) becomes a deadline counted from when the row was read.
import type { Conversation, OrderContext, OrderSide, OrderState } from '../../../shared/model';
import { orderSummaryText } from '../../../shared/orderText';
import { codeText, decimalText, withoutUndefinedFields } from '../orderContextFields';
import type { BybitOrder } from './api';

const STATE_OF: Readonly<Record<number, OrderState>> = {
  5: 'in-progress', // waiting for the chain (web3 orders)
  10: 'awaiting-payment',
  20: 'paid', // waiting for the seller to release
  30: 'appeal',
  40: 'cancelled',
  50: 'completed',
  60: 'in-progress', // paying
  70: 'in-progress', // payment failed, the buyer may pay again
  80: 'cancelled', // cancelled by an exception
  90: 'in-progress', // waiting for the buyer to select a token
  100: 'appeal', // objection raised
  110: 'appeal', // waiting for the objection
};

/** States in which the order still runs: its chat is polled fast and it sorts above closed ones. */
export const ACTIVE_BYBIT_STATES: ReadonlySet<number> = new Set([5, 10, 20, 30, 60, 70, 90, 100, 110]);

export function bybitOrderState(status: number): OrderState {
  return STATE_OF[status] ?? 'unknown';
}

export function bybitOrderSide(side: number | null | undefined): OrderSide | undefined {
  return side === 0 ? 'buy' : side === 1 ? 'sell' : undefined;
}

export function bybitOrderContext(order: BybitOrder, readAt: number): OrderContext {
  const left = order.transferLastSeconds;
  const payBy = order.status === 10 && typeof left === 'number' && left > 0 && left < 24 * 3600 ? readAt + left * 1000 : undefined;
  return withoutUndefinedFields({
    orderNo: order.id,
    side: bybitOrderSide(order.side),
    asset: codeText(order.tokenId),
    quantity: decimalText(order.notifyTokenQuantity ?? order.quantity),
    fiat: codeText(order.currencyId),
    fiatAmount: decimalText(order.amount),
    price: decimalText(order.price),
    state: bybitOrderState(order.status),
    venueState: String(order.status),
    payBy,
  });
}

/** The conversation of an order's chat: the counterparty's nickname as title (untrusted text), `context` as the order. */
export function bybitOrderConversation(accountId: string, order: BybitOrder, context: OrderContext, previous: Conversation | undefined): Conversation {
  return {
    venue: 'bybit',
    accountId,
    conversationId: order.id,
    title: order.targetNickName?.trim() || 'Counterparty',
    subtitle: orderSummaryText(context),
    lastActivity: Math.max(previous?.lastActivity ?? 0, order.createDate),
    unread: previous?.unread ?? 0,
    active: ACTIVE_BYBIT_STATES.has(order.status),
    ...(previous?.preview === undefined ? {} : { preview: previous.preview }),
    order: context,
  };
}
