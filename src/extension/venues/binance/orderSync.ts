// Binance orders -> conversations (docs/venue-protocols.md, Binance: orders). An order's chat is
// keyed by its order number. Every poll reads every page of the orders in progress (listOrders);
// the recent history (listUserOrderHistory, 30-day windows) is read on the first sync, when an
// order leaves the in-progress list (to learn how it ended), and every `historyEvery` polls.
// Order state frames on the chat socket update a conversation at once (`applyStatus`).
import type { Conversation, OrderContext, OrderSide, OrderState } from '../../../shared/model';
import { orderSummaryText } from '../../../shared/orderText';
import type { Clock } from '../../core/clock';
import { Emitter, type Disposable, type Event } from '../../core/event';
import type { Logger } from '../../core/logger';
import { Poller, type PollIntervals, type PollOutcome } from '../../core/connection/poller';
import { sameValue } from '../../core/store/messageMerge';
import { codeText, decimalText, withoutUndefinedFields } from '../orderContextFields';
import type { Page } from '../venue';
import type { BinanceOrder } from './api';

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

const DAY = 24 * 60 * 60_000;
const WINDOW = 30 * DAY;
const MAX_PAGES = 50;

/** Binance order statuses (string and numeric forms) in the model's words. */
const STATE_OF: Readonly<Record<string, OrderState>> = {
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
};

const OPEN: ReadonlySet<OrderState> = new Set(['awaiting-payment', 'paid', 'appeal', 'in-progress']);

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
    venueState: codeText(status) ?? 'UNKNOWN',
    payBy: typeof payBy === 'number' && Number.isSafeInteger(payBy) && payBy > order.createTime ? payBy : undefined,
  });
}

export class BinanceOrderSync implements Disposable {
  readonly poller: Poller;
  private readonly conversations = new Map<string, Conversation>();
  private readonly orders = new Map<string, BinanceOrder>();
  private readonly conversationEmitter = new Emitter<Conversation>();
  private polls = 0;
  private announced = 0;
  private readonly pageSize: number;

  readonly onConversation: Event<Conversation> = this.conversationEmitter.event;

  constructor(private readonly options: OrderSyncOptions) {
    this.pageSize = options.pageSize ?? 50;
    this.poller = new Poller({ name: `Binance orders ${options.accountId}`, run: (signal) => this.syncAll(signal), intervals: options.intervals, clock: options.clock, logger: options.logger });
  }

  conversation(orderNo: string): Conversation | undefined {
    return this.conversations.get(orderNo);
  }

  isActive(orderNo: string): boolean {
    return this.conversations.get(orderNo)?.active === true;
  }

  async listPage(cursor?: string): Promise<Page<Conversation>> {
    const page = cursor ? Number(cursor) : 1;
    const rows = await this.options.api.activeOrders(page, this.pageSize);
    const items = rows.map((o) => this.put(o, statusOf(o)));
    return { items, next: rows.length === this.pageSize ? String(page + 1) : undefined };
  }

  async syncAll(signal: AbortSignal): Promise<PollOutcome> {
    const before = this.announced;
    const wasActive = new Set([...this.conversations.values()].filter((c) => c.active).map((c) => c.conversationId));
    const active = await this.readPages(signal, (page) => this.options.api.activeOrders(page, this.pageSize));
    const seen = new Set<string>();
    for (const o of active) {
      seen.add(o.orderNumber);
      this.put(o, statusOf(o));
    }
    const ended = [...wasActive].some((id) => !seen.has(id));
    const everyN = this.options.historyEvery ?? 20;
    if (this.polls === 0 || ended || this.polls % everyN === 0) await this.readHistory(signal, this.polls === 0 ? (this.options.historyDays ?? 30) : 2);
    this.polls++;
    return { activity: this.announced > before };
  }

  /** An order status pushed on the chat socket (a system frame): the conversation follows at once. */
  applyStatus(orderNo: string, status: string): void {
    const order = this.orders.get(orderNo);
    if (order) this.put(order, status);
  }

  dispose(): void {
    this.poller.dispose();
    this.conversationEmitter.dispose();
  }

  private async readHistory(signal: AbortSignal, days: number): Promise<void> {
    const now = this.options.clock.now();
    for (let end = now; end > now - days * DAY; end -= WINDOW) {
      const start = Math.max(end - WINDOW + 1, now - days * DAY);
      const rows = await this.readPages(signal, (page) => this.options.api.orderHistory({ startTimestamp: start, endTimestamp: end, page, rows: Math.min(this.pageSize, 100) }));
      for (const o of rows) this.put(o, statusOf(o));
    }
  }

  private async readPages(signal: AbortSignal, read: (page: number) => Promise<BinanceOrder[]>): Promise<BinanceOrder[]> {
    const all: BinanceOrder[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      if (signal.aborted) throw new Error('the order sync was stopped');
      const rows = await read(page);
      all.push(...rows);
      if (rows.length < this.pageSize) return all;
    }
    this.options.logger.warn(`more than ${MAX_PAGES} pages of Binance orders; reading no further this time`);
    return all;
  }

  private put(row: BinanceOrder, status: string): Conversation {
    // The two lists carry different fields (history rows have no payment deadline): a field a row
    // leaves out keeps what an earlier row said.
    const order = mergeOrderRows(this.orders.get(row.orderNumber), row);
    this.orders.set(order.orderNumber, order);
    const previous = this.conversations.get(order.orderNumber);
    const context = binanceOrderContext(order, status);
    const conversation: Conversation = {
      venue: 'binance',
      accountId: this.options.accountId,
      conversationId: order.orderNumber,
      title: counterpartyName(order) ?? 'Counterparty',
      subtitle: orderSummaryText(context),
      lastActivity: Math.max(previous?.lastActivity ?? 0, order.createTime),
      unread: previous?.unread ?? 0,
      active: OPEN.has(context.state),
      ...(previous?.preview === undefined ? {} : { preview: previous.preview }),
      order: context,
    };
    if (previous && sameValue(previous, conversation)) return previous;
    this.conversations.set(order.orderNumber, conversation);
    this.announced++;
    this.conversationEmitter.fire(conversation);
    return conversation;
  }
}

/** `counterPartNickName` (history), else the other side's nickname (listOrders), by the user's side. */
export function counterpartyName(order: BinanceOrder): string | undefined {
  const named = order.counterPartNickName?.trim();
  if (named) return named;
  const side = binanceOrderSide(order.tradeType);
  const other = side === 'buy' ? order.sellerNickname : side === 'sell' ? order.buyerNickname : undefined;
  return other?.trim() || undefined;
}

function mergeOrderRows(known: BinanceOrder | undefined, row: BinanceOrder): BinanceOrder {
  if (!known) return row;
  const merged: Record<string, unknown> = { ...known };
  for (const [field, value] of Object.entries(row)) if (value !== undefined && value !== null) merged[field] = value;
  return merged as BinanceOrder;
}

function statusOf(order: BinanceOrder): string {
  return order.orderStatus === undefined || order.orderStatus === null ? 'UNKNOWN' : String(order.orderStatus);
}
