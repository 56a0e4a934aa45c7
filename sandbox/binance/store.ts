// The emulated Binance C2C back end: our merchant accounts, orders (each between a buyer and a
// seller, either of whom may be one of our accounts), and one chat per order. Plain data plus
// lookups; no I/O.
import { AccountBook } from '../util/accountBook';

/**
 * Order states the emulator plays: those with both a documented string (listUserOrderHistory) and
 * a documented number (listOrders). PENDING and DISTRIBUTING have no known number, so they are
 * not played.
 */
export type OrderStatus = 'TRADING' | 'BUYER_PAYED' | 'IN_APPEAL' | 'COMPLETED' | 'CANCELLED' | 'CANCELLED_BY_SYSTEM';
export const ORDER_STATUSES: readonly OrderStatus[] = ['TRADING', 'BUYER_PAYED', 'IN_APPEAL', 'COMPLETED', 'CANCELLED', 'CANCELLED_BY_SYSTEM'];
/** listOrders' numeric status (3 is "APPEALING" there, IN_APPEAL in the history). */
export const STATUS_CODE: Readonly<Record<OrderStatus, number>> = {
  TRADING: 1, BUYER_PAYED: 2, IN_APPEAL: 3, COMPLETED: 4, CANCELLED: 6, CANCELLED_BY_SYSTEM: 7,
};
export const ACTIVE_STATUSES: readonly OrderStatus[] = ['TRADING', 'BUYER_PAYED', 'IN_APPEAL'];

export type MessageType = 'text' | 'image' | 'system' | 'auto_reply' | 'card' | 'recall' | 'video';

export interface Party {
  readonly userId: string;
  readonly nickName: string;
}

export interface MerchantAccount extends Party {
  readonly index: number;
  readonly label: string;
  readonly apiKey: string;
  readonly secretKey: string;
  /** `c2c_<32hex>_v2`, one per user for every order's chat. */
  readonly listenKey: string;
}

export interface Order {
  readonly orderNo: string;
  readonly advNo: string;
  readonly buyer: Party;
  readonly seller: Party;
  /** The party who placed the ad (advertisementRole MAKER); the other is TAKER. */
  readonly makerUserId: string;
  readonly asset: string;
  readonly fiat: string;
  readonly fiatSymbol: string;
  /** Decimal strings, as Binance sends them. */
  readonly unitPrice: string;
  readonly amount: string;
  readonly totalPrice: string;
  readonly commission: string;
  status: OrderStatus;
  readonly createTime: number;
  updateTime: number;
  /** ms timestamp by which the buyer must pay (`notifyPayEndTime`). */
  readonly notifyPayEndTime: number;
  /** When the buyer marked it paid, if they did. */
  paidTime: number | undefined;
}

export interface MessageFields {
  readonly type: MessageType;
  readonly content: string;
  readonly imageUrl?: string;
  readonly thumbnailUrl?: string;
  readonly imageType?: string;
  readonly width?: number;
  readonly height?: number;
}

export interface StoredMessage extends MessageFields {
  readonly id: number;
  readonly orderNo: string;
  /** Client id of the sender (ours on our sends; generated for others). */
  readonly uuid: string;
  /** '' for system messages. */
  readonly fromUserId: string;
  readonly fromNickName: string;
  readonly createTime: number;
  /** Whether the recipient has read it (markOrderMessagesAsRead flips it). */
  status: 'read' | 'unread';
}

export type MessageDraft = Omit<StoredMessage, 'id' | 'status'> & { readonly status?: 'read' | 'unread' };

export class BinanceStore extends AccountBook<MerchantAccount> {
  private readonly orders = new Map<string, Order>();
  private readonly chats = new Map<string, StoredMessage[]>();
  private lastMessageId: number;

  constructor(firstMessageId: number) {
    super();
    this.lastMessageId = firstMessageId - 1;
  }

  accountByListenKey(listenKey: string): MerchantAccount | undefined {
    return this.accounts.find((a) => a.listenKey === listenKey);
  }

  addOrder(order: Order): void {
    this.orders.set(order.orderNo, order);
    this.chats.set(order.orderNo, []);
  }

  order(orderNo: string): Order | undefined {
    return this.orders.get(orderNo);
  }

  allOrders(): Order[] {
    return [...this.orders.values()];
  }

  /** Orders the user is buyer or seller of, newest first. */
  ordersOf(userId: string): Order[] {
    return this.allOrders()
      .filter((o) => isParty(o, userId))
      .sort((a, b) => b.createTime - a.createTime || (a.orderNo < b.orderNo ? 1 : -1));
  }

  /** Ids grow monotonically across all chats, as a single server sequence would. */
  addMessage(draft: MessageDraft): StoredMessage {
    const list = this.chats.get(draft.orderNo);
    if (!list) throw new Error(`unknown order ${draft.orderNo}`);
    this.lastMessageId += 1;
    const message: StoredMessage = { ...draft, id: this.lastMessageId, status: draft.status ?? 'unread' };
    list.push(message);
    return message;
  }

  messagesOf(orderNo: string): readonly StoredMessage[] {
    return this.chats.get(orderNo) ?? [];
  }
}

export function isParty(order: Order, userId: string): boolean {
  return order.buyer.userId === userId || order.seller.userId === userId;
}

/** The other side of the order for `userId`. */
export function counterpartOf(order: Order, userId: string): Party {
  return order.buyer.userId === userId ? order.seller : order.buyer;
}
