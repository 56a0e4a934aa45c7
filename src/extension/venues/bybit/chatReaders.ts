// Reading and sending one order's chat through either Bybit chat API (docs/venue-protocols.md,
// Bybit: chat API generations). Both give pages newest first:
// - order-scoped: `order/message/listpage` by page number (cursor "p<N>"), send with `msgUuid`
//   = our client message id (idempotent: a resend is the same message at Bybit);
// - session: `chat/message/listpage` by `lastId` (the smallest id of the previous page), only the
//   messages of this order kept (sessionDirectory.ts), send without any client id.
import type { ChatMessage } from '../../../shared/model';
import type { BybitOrder, BybitOrderMessage, BybitSendInput, BybitSessionMessage } from './api';
import { fromOrderMessage, fromSessionMessage, toChatMessage, type BybitMessageFields, type Identity } from './messageMapping';
import { smallestId } from '../messageIds';
import { orderForMessage, type SessionDirectory } from './sessionDirectory';

export interface ChatPage {
  readonly items: ChatMessage[];
  /** Fields as listed, for read-back matching. */
  readonly raw: BybitMessageFields[];
  readonly next?: string;
  /** How many messages the venue returned (before keeping this order's). */
  readonly listed: number;
}

export interface ReaderContext {
  readonly accountId: string;
  readonly me: () => Identity;
  readonly baseUrl: string;
  readonly now: () => number;
  readonly problems: (conversationId: string, problems: readonly string[]) => void;
}

export interface ChatReader {
  page(order: BybitOrder, cursor: string | undefined, limit: number): Promise<ChatPage>;
  send(order: BybitOrder, clientMessageId: string, input: BybitSendInput): Promise<void>;
}

export interface OrderChatApi {
  orderMessages(orderId: string, currentPage: number, size: number): Promise<BybitOrderMessage[]>;
  sendOrderMessage(orderId: string, msgUuid: string, input: BybitSendInput): Promise<void>;
}

export interface SessionChatApi {
  sessionMessages(sessionId: string, lastId: string, limit: number): Promise<BybitSessionMessage[]>;
  sendSessionMessage(sessionId: string, orderId: string, input: BybitSendInput): Promise<void>;
}

function mapAll(fields: readonly BybitMessageFields[], order: BybitOrder, ctx: ReaderContext): ChatMessage[] {
  const problems: string[] = [];
  const now = ctx.now();
  const items = fields.map((f) => toChatMessage(f, { accountId: ctx.accountId, conversationId: order.id, me: ctx.me(), baseUrl: ctx.baseUrl, now, problems }));
  ctx.problems(order.id, problems);
  return items;
}

export class OrderChatReader implements ChatReader {
  constructor(
    private readonly api: OrderChatApi,
    private readonly ctx: ReaderContext,
  ) {}

  async page(order: BybitOrder, cursor: string | undefined, limit: number): Promise<ChatPage> {
    const pageNo = cursor && /^p\d+$/.test(cursor) ? Number(cursor.slice(1)) : 1;
    const rows = await this.api.orderMessages(order.id, pageNo, Math.min(limit, 50));
    const raw = rows.map(fromOrderMessage);
    return { items: mapAll(raw, order, this.ctx), raw, listed: rows.length, ...(rows.length >= Math.min(limit, 50) ? { next: `p${pageNo + 1}` } : {}) };
  }

  send(order: BybitOrder, clientMessageId: string, input: BybitSendInput): Promise<void> {
    return this.api.sendOrderMessage(order.id, clientMessageId, input);
  }
}

export class SessionChatReader implements ChatReader {
  constructor(
    private readonly api: SessionChatApi,
    private readonly sessions: SessionDirectory,
    /** Every known order with the same counterparty as `order` (itself included). */
    private readonly siblings: (order: BybitOrder) => BybitOrder[],
    private readonly ctx: ReaderContext,
  ) {}

  async page(order: BybitOrder, cursor: string | undefined, limit: number): Promise<ChatPage> {
    const sessionId = await this.sessions.sessionOf(order);
    const rows = await this.api.sessionMessages(sessionId, cursor ?? '0', Math.min(limit, 30));
    const problems: string[] = [];
    const all = rows.map((m) => fromSessionMessage(m, problems));
    this.ctx.problems(order.id, problems);
    const siblings = this.siblings(order);
    const raw = all.filter((f) => orderForMessage(siblings, f.createDate)?.id === order.id);
    const smallest = smallestId(rows.map((m) => m.id));
    return { items: mapAll(raw, order, this.ctx), raw, listed: rows.length, ...(rows.length >= Math.min(limit, 30) && smallest ? { next: smallest } : {}) };
  }

  async send(order: BybitOrder, _clientMessageId: string, input: BybitSendInput): Promise<void> {
    const sessionId = await this.sessions.sessionOf(order);
    await this.api.sendSessionMessage(sessionId, order.id, input);
  }
}
