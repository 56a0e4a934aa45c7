// Binance orders -> conversations (docs/venue-protocols.md, Binance: orders), on the shared order
// book sync (orderBookSync.ts): the orders in progress come from listOrders, the recent history
// from listUserOrderHistory in 30-day windows. An order's chat is keyed by its order number. Order
// state frames on the chat socket update a conversation at once (`applyPushedStatus`).
import type { OrderContext, OrderSide, OrderState } from '../../../shared/model';
import { orderSummaryText } from '../../../shared/orderText';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { PollIntervals } from '../../core/connection/poller';
import { OrderBookSync, type OrderBookSource } from '../orderBookSync';
import { codeText, decimalText, withoutUndefinedFields } from '../orderContextFields';
import type { BinanceOrder } from './api';
import { lookupTable } from '../lookupTable';

export interface OrderApi {
  activeOrders(page: number, rows: number): Promise<BinanceOrder[]>;
  orderHistory(params: { startTimestamp: number; endTimestamp: number; page: number; rows: number }): Promise<BinanceOrder[]>;
}

export interface OrderSyncOptions {
  readonly accountId: string;
  readonly api: OrderApi;
  readonly intervals: PollIntervals;
  /** Rows per page (Binance allows up to 100). */
  readonly pageSize?: number;
  /** How far back the history is read (default 30 days: one window). */
  readonly historyDays?: number;
  /** Re-read the history every this many polls (default 20). */
  readonly historyEvery?: number;
  readonly clock: Clock;
  readonly logger: Logger;
}


/** Binance order statuses (string and numeric forms) in the model's words. */
const STATE_OF = lookupTable<OrderState>({
  PENDING: 'awaiting-payment',
  TRADING: 'awaiting-payment',
  '1': 'awaiting-payment',
  BUYER_PAYED: 'paid',
  '2': 'paid',
  DISTRIBUTING: 'in-progress',
  IN_APPEAL: 'appeal',
  APPEALING: 'appeal',
  '3': 'appeal',
  COMPLETED: 'completed',
  '4': 'completed',
  CANCELLED: 'cancelled',
  '6': 'cancelled',
  CANCELLED_BY_SYSTEM: 'expired',
  '7': 'expired',
});

const OPEN: ReadonlySet<OrderState> = new Set(['awaiting-payment', 'paid', 'appeal', 'in-progress']);

/**
 * The in-progress list says 1 where the history says TRADING (docs/venue-protocols.md, Binance:
 * orders). One state, one spelling: otherwise every history read would flip the conversations of
 * the orders in progress and back, announcing changes that are none. Only the unambiguous numbers
 * are spelled out; 5-7 are numbered differently by different sources and stay as the venue sent them.
 */
const WORD_OF_NUMBER = lookupTable<string>({ '1': 'TRADING', '2': 'BUYER_PAYED', '3': 'IN_APPEAL', '4': 'COMPLETED' });

export function binanceOrderState(status: string): OrderState {
  return STATE_OF[status] ?? 'unknown';
}

/** `tradeType` of the user's own order list is the user's side (docs/venue-protocols.md). */
export function binanceOrderSide(tradeType: string | null | undefined): OrderSide | undefined {
  const t = tradeType?.trim().toUpperCase();
  return t === 'BUY' ? 'buy' : t === 'SELL' ? 'sell' : undefined;
}

export function binanceOrderContext(order: BinanceOrder, status: string): OrderContext {
  const payBy = order.notifyPayEndTime;
  return withoutUndefinedFields({
    orderNo: order.orderNumber,
    side: binanceOrderSide(order.tradeType),
    asset: codeText(order.asset),
    quantity: decimalText(order.amount),
    fiat: codeText(order.fiat),
    fiatAmount: decimalText(order.totalPrice),
    price: decimalText(order.unitPrice),
    state: binanceOrderState(status),
    venueState: codeText(WORD_OF_NUMBER[status] ?? status) ?? 'UNKNOWN',
    payBy: typeof payBy === 'number' && Number.isSafeInteger(payBy) && payBy > order.createTime ? payBy : undefined,
  });
}

/** Binance's lists as an order book source: listOrders pages and listUserOrderHistory windows. */
export function binanceOrderSource(accountId: string, api: OrderApi): OrderBookSource<BinanceOrder> {
  return {
    readActive: (page, size) => api.activeOrders(page, size),
    readHistory: ({ start, end }, page, size) => api.orderHistory({ startTimestamp: start, endTimestamp: end, page, rows: Math.min(size, 100) }),
    idOf: (order) => order.orderNumber,
    toConversation: (order, previous) => {
      const context = binanceOrderContext(order, statusOf(order));
      return {
        venue: 'binance',
        accountId,
        conversationId: order.orderNumber,
        title: counterpartyName(order) ?? 'Counterparty',
        subtitle: orderSummaryText(context),
        lastActivity: Math.max(previous?.lastActivity ?? 0, order.createTime),
        unread: previous?.unread ?? 0,
        active: OPEN.has(context.state),
        ...(previous?.preview === undefined ? {} : { preview: previous.preview }),
        order: context,
      };
    },
  };
}

export type BinanceOrderSync = OrderBookSync<BinanceOrder>;

export function createBinanceOrderSync(options: OrderSyncOptions): BinanceOrderSync {
  return new OrderBookSync({
    name: `Binance orders ${options.accountId}`,
    source: binanceOrderSource(options.accountId, options.api),
    intervals: options.intervals,
    pageSize: options.pageSize ?? 50,
    historyDays: options.historyDays,
    historyEvery: options.historyEvery,
    clock: options.clock,
    logger: options.logger,
  });
}

/** An order status pushed on the chat socket (a system frame): the conversation follows at once. */
export function applyPushedStatus(sync: BinanceOrderSync, orderNo: string, status: string): void {
  sync.update(orderNo, (order) => ({ ...order, orderStatus: status }));
}

/** `counterPartNickName` (history), else the other side's nickname (listOrders), by the user's side. */
export function counterpartyName(order: BinanceOrder): string | undefined {
  const named = order.counterPartNickName?.trim();
  if (named) return named;
  const side = binanceOrderSide(order.tradeType);
  const other = side === 'buy' ? order.sellerNickname : side === 'sell' ? order.buyerNickname : undefined;
  return other?.trim() || undefined;
}

function statusOf(order: BinanceOrder): string {
  return order.orderStatus === undefined || order.orderStatus === null ? 'UNKNOWN' : String(order.orderStatus);
}
