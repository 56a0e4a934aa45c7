// The emulated MEXC back end: our merchant accounts, their P2P orders, one chat conversation per
// order, and the messages of each conversation. Plain data plus lookups; no I/O.
import { AccountBook } from '../util/accountBook';

export type OrderState = 'NOT_PAID' | 'PAID' | 'DONE' | 'CANCEL' | 'TIMEOUT' | 'APPEAL';
export const ORDER_STATES: readonly OrderState[] = ['NOT_PAID', 'PAID', 'DONE', 'CANCEL', 'TIMEOUT', 'APPEAL'];
export const ACTIVE_ORDER_STATES: readonly OrderState[] = ['NOT_PAID', 'PAID', 'APPEAL'];

export type MessageType = 1 | 2 | 3 | 4;

export interface MerchantAccount {
  readonly label: string;
  readonly apiKey: string;
  readonly secretKey: string;
  /** `fromUserId` of our own messages (equal to imId). */
  readonly userId: string;
  readonly memberId: string;
  readonly imId: string;
  readonly nickName: string;
}

export interface Counterparty {
  /** `fromUserId` of their messages (equal to imId, as in order detail `userInfo.imId`). */
  readonly userId: string;
  readonly memberId: string;
  readonly imId: string;
  readonly nickName: string;
  readonly realName: string;
  readonly countryCode: string;
}

export interface PaymentMethod {
  readonly id: number;
  readonly payMethod: number;
  readonly bankName: string;
  readonly account: string;
  readonly bankAddress: string;
  readonly payee: string;
}

export interface Order {
  readonly advOrderNo: string;
  readonly advNo: string;
  readonly accountUserId: string;
  readonly counterparty: Counterparty;
  /** Direction from our account's point of view. */
  readonly side: 'BUY' | 'SELL';
  readonly coinName: string;
  readonly fiatUnit: string;
  readonly price: number;
  readonly tradableQuantity: number;
  readonly amount: number;
  state: OrderState;
  readonly createTime: number;
  updateTime: number;
  /** Payment deadline, ms timestamp (the doc's `payTimeLimit`). */
  readonly payTimeLimit: number;
  readonly paymentInfo: readonly PaymentMethod[];
  readonly conversationId: number;
}

export interface Conversation {
  readonly id: number;
  readonly orderNo: string;
  readonly accountUserId: string;
}

/** What a chat message carries, whoever sends it (the fields of SEND_MESSAGE). */
export interface MessageContent {
  readonly content: string;
  readonly type: MessageType;
  readonly imageUrl: string;
  readonly imageThumbUrl: string;
  readonly videoUrl: string;
  readonly fileUrl: string;
}

export interface StoredMessage extends MessageContent {
  readonly id: number;
  readonly conversationId: number;
  /** Server time (ms) the message was stored; rendered as `createTime` in the venue's zone. */
  readonly time: number;
  readonly fromUserId: string;
  readonly fromNickName: string;
}

export type MessageDraft = Omit<StoredMessage, 'id' | 'time'>;

export class MexcStore extends AccountBook<MerchantAccount> {
  private readonly orders = new Map<string, Order>();
  private readonly conversations = new Map<number, Conversation>();
  private readonly messages = new Map<number, StoredMessage[]>();
  private lastMessageId: number;
  private lastConversationId: number;

  constructor(firstMessageId: number, firstConversationId: number) {
    super();
    this.lastMessageId = firstMessageId - 1;
    this.lastConversationId = firstConversationId - 1;
  }

  nextConversationId(): number {
    this.lastConversationId += 1;
    return this.lastConversationId;
  }

  addOrder(order: Order): void {
    this.orders.set(order.advOrderNo, order);
    this.conversations.set(order.conversationId, { id: order.conversationId, orderNo: order.advOrderNo, accountUserId: order.accountUserId });
    this.messages.set(order.conversationId, []);
  }

  order(advOrderNo: string): Order | undefined {
    return this.orders.get(advOrderNo);
  }

  allOrders(): Order[] {
    return [...this.orders.values()];
  }

  ordersOf(accountUserId: string): Order[] {
    return this.allOrders().filter((o) => o.accountUserId === accountUserId);
  }

  conversation(id: number): Conversation | undefined {
    return this.conversations.get(id);
  }

  allConversations(): Conversation[] {
    return [...this.conversations.values()];
  }

  /** Stores a message with the next id: ids grow monotonically across all conversations. */
  addMessage(draft: MessageDraft, time: number): StoredMessage {
    const list = this.messages.get(draft.conversationId);
    if (!list) throw new Error(`unknown conversation ${draft.conversationId}`);
    this.lastMessageId += 1;
    const message: StoredMessage = { ...draft, id: this.lastMessageId, time };
    list.push(message);
    return message;
  }

  messagesOf(conversationId: number): readonly StoredMessage[] {
    return this.messages.get(conversationId) ?? [];
  }
}
