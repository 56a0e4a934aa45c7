// A MEXC order-list row -> the venue-neutral OrderContext (docs/venue-protocols.md, MEXC: Order
// context). Amounts stay the decimal text MEXC sent; the side is the account's own; the deadline is
// `payTimeLimit` when it is a plausible moment of this order.
import type { Conversation, OrderContext, OrderSide, OrderState } from '../../../shared/model';
import { orderSummaryText } from '../../../shared/orderText';
import { codeText as code, decimalText, withoutUndefinedFields } from '../orderContextFields';
import { ACTIVE_ORDER_STATES, type MexcOrder } from './api';
import { lookupTable } from '../lookupTable';

/** MEXC's `state` values (OrderDealState) in the model's words. */
const STATE_OF = lookupTable<OrderState>({
  NOT_PAID: 'awaiting-payment',
  PAID: 'paid',
  APPEAL: 'appeal',
  APPEALING: 'appeal',
  IN_APPEAL: 'appeal',
  DONE: 'completed',
  CANCEL: 'cancelled',
  TIMEOUT: 'expired',
});

export function mexcOrderState(venueState: string): OrderState {
  const known = STATE_OF[venueState];
  if (known) return known;
  return ACTIVE_ORDER_STATES.has(venueState) ? 'in-progress' : 'unknown';
}

/**
 * MEXC's `side` is the direction of the account that lists its orders (the docs list "the
 * merchant's orders as both maker and taker", with the counterparty in userInfo/merchantInfo).
 */
export function mexcOrderSide(side: string | null | undefined): OrderSide | undefined {
  const s = side?.trim().toUpperCase();
  return s === 'BUY' ? 'buy' : s === 'SELL' ? 'sell' : undefined;
}

/**
 * `payTimeLimit` is documented as a ms timestamp. Anything that is not a moment after the order
 * was created (a duration in minutes, zero) is left out: no countdown beats a wrong one.
 */
function paymentDeadline(order: MexcOrder): number | undefined {
  const limit = order.payTimeLimit;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit)) return undefined;
  return limit > order.createTime ? limit : undefined;
}

export function mexcOrderContext(order: MexcOrder): OrderContext {
  const venueState = code(order.state) ?? 'UNKNOWN';
  const context: OrderContext = {
    orderNo: order.advOrderNo,
    side: mexcOrderSide(order.side),
    asset: code(order.coinName),
    quantity: decimalText(order.tradableQuantity),
    fiat: code(order.fiatUnit),
    fiatAmount: decimalText(order.amount),
    price: decimalText(order.price),
    state: mexcOrderState(venueState),
    venueState,
    payBy: paymentDeadline(order),
  };
  return withoutUndefinedFields(context);
}

/**
 * The conversation of an order's chat: the counterparty's nickname as its title (their own words:
 * every surface shows it as untrusted text), the order summary in venue-made words as subtitle.
 */
export function mexcOrderConversation(accountId: string, conversationId: string, order: MexcOrder, previous: Conversation | undefined): Conversation {
  const state = order.state ?? 'UNKNOWN';
  const context = mexcOrderContext(order);
  return {
    venue: 'mexc',
    accountId,
    conversationId,
    title: order.userInfo?.nickName ?? order.merchantInfo?.nickName ?? 'Counterparty',
    subtitle: orderSummaryText(context),
    lastActivity: Math.max(previous?.lastActivity ?? 0, order.updateTime ?? order.createTime),
    unread: previous?.unread ?? 0,
    active: ACTIVE_ORDER_STATES.has(state),
    preview: previous?.preview,
    order: context,
  };
}
