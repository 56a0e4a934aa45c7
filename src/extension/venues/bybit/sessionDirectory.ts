// Orders <-> chat sessions for Bybit's session API (docs/venue-protocols.md, Bybit: sessions). A
// session is per counterparty, not per order: an order's session comes from its counterparty's mask
// id (`order/info` -> `targetUserMaskId` -> `getSessionId`), cached per counterparty. Messages of a
// session are shown in one order's conversation: the newest order with that counterparty created no
// later than the message (a message before all of them goes to the oldest), so two orders with the
// same trader never show the same message twice.
import type { BybitOrder } from './api';

export interface SessionLookup {
  orderInfo(orderId: string): Promise<BybitOrder>;
  sessionIdFor(userMaskId: string): Promise<string>;
}

export class SessionDirectory {
  /** sessionId by counterparty user id (or, without one, by nickname). */
  private readonly byCounterparty = new Map<string, string>();
  private readonly resolving = new Map<string, Promise<string>>();

  constructor(private readonly lookup: SessionLookup) {}

  /** The counterparty key of an order row. */
  static counterpartyOf(order: BybitOrder): string {
    return order.targetUserId ? `id:${order.targetUserId}` : `nick:${order.targetNickName ?? order.id}`;
  }

  known(order: BybitOrder): string | undefined {
    return this.byCounterparty.get(SessionDirectory.counterpartyOf(order));
  }

  /** The session of an order's counterparty, asking Bybit once per counterparty. */
  async sessionOf(order: BybitOrder): Promise<string> {
    const key = SessionDirectory.counterpartyOf(order);
    const cached = this.byCounterparty.get(key);
    if (cached) return cached;
    let pending = this.resolving.get(key);
    if (!pending) {
      pending = (async () => {
        const mask = order.targetUserMaskId ?? (await this.lookup.orderInfo(order.id)).targetUserMaskId;
        if (!mask) throw new Error(`Bybit gave no counterparty mask id for order ${order.id}`);
        const sessionId = await this.lookup.sessionIdFor(mask);
        this.byCounterparty.set(key, sessionId);
        return sessionId;
      })().finally(() => this.resolving.delete(key));
      this.resolving.set(key, pending);
    }
    return pending;
  }
}

/**
 * The order (of `orders`, all with one counterparty) a message at `time` belongs to: the newest
 * created at or before it, else the oldest.
 */
export function orderForMessage(orders: readonly BybitOrder[], time: number): BybitOrder | undefined {
  if (orders.length === 0) return undefined;
  const sorted = [...orders].sort((a, b) => a.createDate - b.createDate);
  let owner = sorted[0];
  for (const o of sorted) if (o.createDate <= time) owner = o;
  return owner;
}
