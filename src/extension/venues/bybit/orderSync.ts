// Bybit orders -> conversations on the shared order book sync (orderBookSync.ts): the orders in
// progress from `pending/simplifyList`, the recent history from `simplifyList` in 30-day windows.
// An order's chat is keyed by its order id. The payment deadline is counted from the seconds left
// when a row is read; it is kept steady across polls (a deadline that moved by a few hundred ms of
// network time is not a change worth repainting).
import type { Conversation } from '../../../shared/model';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { PollIntervals } from '../../core/connection/poller';
import { OrderBookSync } from '../orderBookSync';
import type { BybitOrder } from './api';
import { bybitOrderContext, bybitOrderConversation } from './orderMapping';

export interface BybitOrderApi {
  pendingOrders(page: number, size: number): Promise<{ items: BybitOrder[] }>;
  orders(params: { page: number; size: number; beginTime?: number; endTime?: number }): Promise<{ items: BybitOrder[] }>;
}

/** A recomputed deadline within this of the announced one is the same deadline. */
const DEADLINE_SLACK_MS = 5000;

export type BybitOrderSync = OrderBookSync<BybitOrder>;

export function createBybitOrderSync(options: { accountId: string; api: BybitOrderApi; intervals: PollIntervals; clock: Clock; logger: Logger; pageSize?: number }): BybitOrderSync {
  const { accountId, api, clock } = options;
  return new OrderBookSync<BybitOrder>({
    name: `Bybit orders ${accountId}`,
    pageSize: options.pageSize ?? 30,
    intervals: options.intervals,
    clock,
    logger: options.logger,
    source: {
      readActive: async (page, size) => (await api.pendingOrders(page, size)).items,
      readHistory: async ({ start, end }, page, size) => (await api.orders({ page, size, beginTime: start, endTime: end })).items,
      idOf: (order) => order.id,
      toConversation: (order, previous): Conversation => {
        let context = bybitOrderContext(order, clock.now());
        const announced = previous?.order?.payBy;
        if (context.payBy !== undefined && announced !== undefined && Math.abs(context.payBy - announced) < DEADLINE_SLACK_MS) context = { ...context, payBy: announced };
        return bybitOrderConversation(accountId, order, context, previous);
      },
    },
  });
}
