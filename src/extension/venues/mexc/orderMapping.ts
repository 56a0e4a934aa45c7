// A MEXC order-list row -> the venue-neutral OrderContext (docs/venue-protocols.md, MEXC: Order
// context). Amounts stay the decimal text MEXC sent; the side is the account's own; the deadline is
// `payTimeLimit` when it is a plausible moment of this order.
import type { OrderContext, OrderSide, OrderState } from '../../../shared/model';
import { DECIMAL_PATTERN } from '../../../shared/conversationValidator';
import { ACTIVE_ORDER_STATES, type MexcOrder } from './api';

/** MEXC's `state` values (OrderDealState) in the model's words. */
const STATE_OF: Readonly<Record<string, OrderState>> = {
  NOT_PAID: 'awaiting-payment',
  PAID: 'paid',
  APPEAL: 'appeal',
  APPEALING: 'appeal',
  IN_APPEAL: 'appeal',
  DONE: 'completed',
  CANCEL: 'cancelled',
  TIMEOUT: 'expired',
};

const CODE = /^[A-Za-z0-9._-]{1,32}$/;

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
 * A decimal amount exactly as written. Strings pass unchanged when they are plain decimals; a
 * number (MEXC writes BigDecimal as a JSON number; the REST client keeps non-integers as text, so
 * only integers arrive as numbers) is written out without an exponent.
 */
export function decimalText(value: string | number | null | undefined): string | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    if (DECIMAL_PATTERN.test(text)) return text;
    // "1.5E+2", as a BigDecimal may print itself.
    return /^\d+(\.\d+)?[eE][+-]?\d+$/.test(text) ? expandExponent(text) : undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    const text = String(value);
    return DECIMAL_PATTERN.test(text) ? text : expandExponent(text);
  }
  return undefined;
}

/** "1.5e-7" -> "0.00000015", "1.5E+2" -> "150", digit by digit (no float arithmetic). */
function expandExponent(text: string): string | undefined {
  const m = /^(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/.exec(text);
  if (!m) return undefined;
  const [, intPart = '', fracPart = '', expText = '0'] = m;
  const exp = Number(expText);
  if (Math.abs(exp) > 60) return undefined;
  const digits = intPart + fracPart;
  const point = intPart.length + exp;
  let result: string;
  if (point <= 0) result = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) result = digits + '0'.repeat(point - digits.length);
  else result = `${digits.slice(0, point)}.${digits.slice(point)}`;
  result = result.replace(/^0+(?=\d)/, '');
  if (result.includes('.')) result = result.replace(/0+$/, '').replace(/\.$/, '');
  return DECIMAL_PATTERN.test(result) ? result : undefined;
}

function code(value: string | null | undefined): string | undefined {
  const text = value?.trim();
  return text && CODE.test(text) ? text : undefined;
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
  // No undefined fields: the conversation list is compared and saved as it is.
  return Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined)) as unknown as OrderContext;
}
