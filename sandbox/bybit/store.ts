// The emulated Bybit P2P back end: our accounts, the counterparties, orders (each between one of
// our accounts and a counterparty) and one stored chat per order. Both chat API generations read
// the same messages: the order-scoped one an order's chat, the session one every chat of the
// orders with that counterparty. Plain data plus lookups; no I/O.

/** Order statuses the emulator plays (Bybit's numeric codes). */
export const ORDER_STATUSES = [10, 20, 30, 40, 50, 80] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** What `/pending/simplifyList` returns: orders still running. */
export const PENDING_STATUSES: ReadonlySet<number> = new Set([10, 20, 30]);

export type ContentType = 'str' | 'pic' | 'pdf' | 'video';

export interface Party {
  readonly userId: string;
  readonly nickName: string;
  /** The id the session API knows a user by (order detail `targetUserMaskId`). */
  readonly maskId: string;
  /** The legacy list's `accountId` of this user's messages. */
  readonly accountId: string;
}

export type AccountKey =
  | { readonly keyType: 'hmac'; readonly apiKey: string; readonly secret: string }
  | { readonly keyType: 'rsa'; readonly apiKey: string; readonly privateKeyPem: string; readonly publicKeyPem: string };

export interface BybitAccount extends Party {
  readonly index: number;
  readonly label: string;
  readonly key: AccountKey;
}

export interface Order {
  readonly id: string;
  readonly account: BybitAccount;
  readonly other: Party;
  /** The account's side: 0 buy, 1 sell. */
  readonly side: 0 | 1;
  readonly tokenId: string;
  readonly currencyId: string;
  /** Decimal strings, as Bybit sends them. */
  readonly price: string;
  readonly quantity: string;
  readonly amount: string;
  status: OrderStatus;
  readonly createDate: number;
  /** When the buyer must have paid by (status 10). */
  readonly payDeadline: number;
  updateDate: number;
}

export interface MessageFields {
  readonly contentType: ContentType;
  /** Text, or the (relative) media URL. */
  readonly content: string;
  readonly fileName: string;
}

export interface StoredMessage extends MessageFields {
  readonly id: number;
  readonly orderId: string;
  /** '' for SYSTEM messages. */
  readonly fromUserId: string;
  readonly fromNickName: string;
  /** The legacy API's code: 0 system, 1 text, 2 image, 7 pdf, 8 video. */
  readonly msgType: number;
  /** System message code (legacy `msgCode`); 0 for user messages. */
  readonly msgCode: number;
  /** Client id of an order-scoped send ('' otherwise). */
  readonly msgUuid: string;
  readonly createDate: number;
  /** Whether the other side (our account for counterparty/system lines) has read it. */
  read: boolean;
}

export type MessageDraft = Omit<StoredMessage, 'id' | 'read' | 'msgType'> & { readonly read?: boolean };

export interface Session {
  /** Record id: the session list's cursor. */
  readonly id: number;
  readonly sessionId: string;
  readonly account: BybitAccount;
  readonly other: Party;
}

export const MSG_TYPE: Readonly<Record<ContentType, number>> = { str: 1, pic: 2, pdf: 7, video: 8 };

export class BybitStore {
  readonly accounts: BybitAccount[] = [];
  private readonly counterparties = new Map<string, Party>();
  private readonly orders = new Map<string, Order>();
  private readonly chats = new Map<string, StoredMessage[]>();
  private readonly sessions: Session[] = [];
  private lastMessageId: number;

  constructor(
    firstMessageId: number,
    private readonly makeSessionId: (account: BybitAccount, other: Party) => string,
  ) {
    this.lastMessageId = firstMessageId - 1;
  }

  addAccount(account: BybitAccount): void {
    this.accounts.push(account);
  }

  accountByApiKey(apiKey: string): BybitAccount | undefined {
    return this.accounts.find((a) => a.key.apiKey === apiKey);
  }

  /** Adds the order, and a session for (account, counterparty) the first time they trade. */
  addOrder(order: Order): void {
    this.orders.set(order.id, order);
    this.chats.set(order.id, []);
    this.counterparties.set(order.other.userId, order.other);
    if (!this.session(order.account, order.other.userId)) {
      this.sessions.push({ id: this.sessions.length + 101, sessionId: this.makeSessionId(order.account, order.other), account: order.account, other: order.other });
    }
  }

  order(id: string): Order | undefined {
    return this.orders.get(id);
  }

  allOrders(): Order[] {
    return [...this.orders.values()];
  }

  /** The account's orders, newest first. */
  ordersOf(account: BybitAccount): Order[] {
    return this.allOrders()
      .filter((o) => o.account === account)
      .sort((a, b) => b.createDate - a.createDate || (a.id < b.id ? 1 : -1));
  }

  counterpartyByMaskId(maskId: string): Party | undefined {
    return [...this.counterparties.values()].find((p) => p.maskId === maskId);
  }

  session(account: BybitAccount, otherUserId: string): Session | undefined {
    return this.sessions.find((s) => s.account === account && s.other.userId === otherUserId);
  }

  sessionById(account: BybitAccount, sessionId: string): Session | undefined {
    return this.sessions.find((s) => s.account === account && s.sessionId === sessionId);
  }

  sessionsOf(account: BybitAccount): Session[] {
    return this.sessions.filter((s) => s.account === account);
  }

  allSessions(): readonly Session[] {
    return this.sessions;
  }

  /** The orders a session spans: every order of that account with that counterparty, newest first. */
  ordersOfSession(session: Session): Order[] {
    return this.ordersOf(session.account).filter((o) => o.other.userId === session.other.userId);
  }

  /** Ids grow across all chats, as one server sequence would. */
  addMessage(draft: MessageDraft): StoredMessage {
    const list = this.chats.get(draft.orderId);
    if (!list) throw new Error(`unknown order ${draft.orderId}`);
    this.lastMessageId += 1;
    const msgType = draft.fromUserId === '' ? 0 : MSG_TYPE[draft.contentType];
    const message: StoredMessage = { ...draft, id: this.lastMessageId, msgType, read: draft.read ?? false };
    list.push(message);
    return message;
  }

  messagesOf(orderId: string): readonly StoredMessage[] {
    return this.chats.get(orderId) ?? [];
  }

  /** Every message of the session's orders, oldest first. */
  messagesOfSession(session: Session): StoredMessage[] {
    return this.ordersOfSession(session)
      .flatMap((o) => this.messagesOf(o.id))
      .sort((a, b) => a.id - b.id);
  }

  /** Messages our account has not read (the counterparty's and SYSTEM lines). */
  unreadCount(session: Session): number {
    return this.messagesOfSession(session).filter((m) => m.fromUserId !== session.account.userId && !m.read).length;
  }
}
