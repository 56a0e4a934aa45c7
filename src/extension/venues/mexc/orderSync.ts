// MEXC pushes no order events, so new orders (and their chats) are found by polling the order list
// on the core poller. Every poll follows every page through the scroll cursor
// (docs/venue-protocols.md: the next page starts after the last row's createTime + advOrderNo),
// maps each order to its chat conversation through retrieveChatConversation (cached: an order's
// conversation never changes) and announces conversations that appeared or changed.
import type { Conversation } from '../../../shared/model';
import type { Clock } from '../../core/clock';
import { Emitter, type Disposable, type Event } from '../../core/event';
import type { Logger } from '../../core/logger';
import { Poller, type PollIntervals, type PollOutcome } from '../../core/connection/poller';
import { sameValue } from '../../core/store/messageMerge';
import { isVenueError, type Page } from '../venue';
import type { MexcOrder } from './api';
import { mexcOrderConversation } from './orderMapping';

/** The part of the REST client the order sync needs. */
export interface OrderApi {
  listOrders(params: { limit: number; lastCreateTime?: number; lastId?: string }): Promise<MexcOrder[]>;
  conversationId(orderNo: string): Promise<number>;
}

export interface OrderSyncOptions {
  readonly accountId: string;
  readonly api: OrderApi;
  readonly intervals: PollIntervals;
  /** Rows per order-list request (default 20). */
  readonly pageSize?: number;
  /** A poll reads at most this many pages (a venue ignoring the cursor must not loop forever). */
  readonly maxPages?: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

interface OrderCursor {
  readonly lastCreateTime: number;
  readonly lastId: string;
}

const ABORTED = 'the order sync was stopped';

export class OrderSync implements Disposable {
  readonly poller: Poller;
  private readonly pageSize: number;
  private readonly maxPages: number;
  /** Order number -> its chat conversation id (never changes, so asked once). */
  private readonly conversationOfOrder = new Map<string, string>();
  /** Orders MEXC said have no chat, with the state they were in (asked again when it changes). */
  private readonly chatless = new Map<string, string>();
  private readonly conversations = new Map<string, Conversation>();
  /** Conversation events fired so far (a sync that fired none was quiet). */
  private announced = 0;
  private readonly conversationEmitter = new Emitter<Conversation>();
  private readonly syncedEmitter = new Emitter<readonly Conversation[]>();

  /** A conversation appeared or its order changed. */
  readonly onConversation: Event<Conversation> = this.conversationEmitter.event;
  /** After every complete sync: the conversations of every order listed, newest order first. */
  readonly onSynced: Event<readonly Conversation[]> = this.syncedEmitter.event;

  constructor(private readonly options: OrderSyncOptions) {
    this.pageSize = options.pageSize ?? 20;
    this.maxPages = options.maxPages ?? 100;
    this.poller = new Poller({
      name: `MEXC orders ${options.accountId}`,
      run: (signal) => this.syncAll(signal),
      intervals: options.intervals,
      clock: options.clock,
      logger: options.logger,
    });
  }

  conversation(conversationId: string): Conversation | undefined {
    return this.conversations.get(conversationId);
  }

  isActive(conversationId: string): boolean {
    return this.conversations.get(conversationId)?.active === true;
  }

  /** One page of conversations; `next` is the scroll cursor of the page's last order. */
  async listPage(cursor?: string): Promise<Page<Conversation>> {
    const rows = await this.options.api.listOrders({ limit: this.pageSize, ...parseCursor(cursor) });
    const items: Conversation[] = [];
    for (const order of rows) {
      const conversation = await this.conversationForOrder(order);
      if (conversation) items.push(conversation);
    }
    const last = rows[rows.length - 1];
    return { items, next: rows.length === this.pageSize && last ? `${last.createTime}:${last.advOrderNo}` : undefined };
  }

  /** Reads every page of the order list; fires `onSynced` with all of them when complete. */
  async syncAll(signal: AbortSignal): Promise<PollOutcome> {
    const seen: Conversation[] = [];
    const announcedBefore = this.announced;
    let cursor: OrderCursor | undefined;
    for (let page = 0; ; page++) {
      if (page === this.maxPages) {
        this.options.logger.warn(`the MEXC order list has more than ${this.maxPages} pages of ${this.pageSize}; reading no further this time`);
        break;
      }
      throwIfAborted(signal);
      const rows = await this.options.api.listOrders({ limit: this.pageSize, ...cursor });
      for (const order of rows) {
        throwIfAborted(signal);
        const conversation = await this.conversationForOrder(order);
        if (conversation) seen.push(conversation);
      }
      const last = rows[rows.length - 1];
      if (rows.length < this.pageSize || !last) break;
      if (cursor && cursor.lastCreateTime === last.createTime && cursor.lastId === last.advOrderNo) {
        this.options.logger.warn('MEXC returned the same order page twice; the scroll cursor did not advance');
        break;
      }
      cursor = { lastCreateTime: last.createTime, lastId: last.advOrderNo };
    }
    throwIfAborted(signal);
    this.syncedEmitter.fire(seen);
    // New orders or orders that moved: the poller keeps its pace instead of backing off.
    return { activity: this.announced > announcedBefore };
  }

  dispose(): void {
    this.poller.dispose();
    this.conversationEmitter.dispose();
    this.syncedEmitter.dispose();
  }

  private async conversationForOrder(order: MexcOrder): Promise<Conversation | undefined> {
    const state = order.state ?? 'UNKNOWN';
    let conversationId = this.conversationOfOrder.get(order.advOrderNo);
    if (!conversationId) {
      if (this.chatless.get(order.advOrderNo) === state) return undefined;
      try {
        conversationId = String(await this.options.api.conversationId(order.advOrderNo));
      } catch (err) {
        if (isVenueError(err) && err.kind === 'rejected') {
          this.options.logger.info(`order ${order.advOrderNo} has no chat: ${err.message}`);
          this.chatless.set(order.advOrderNo, state);
          return undefined;
        }
        throw err;
      }
      this.chatless.delete(order.advOrderNo);
      this.conversationOfOrder.set(order.advOrderNo, conversationId);
    }
    const previous = this.conversations.get(conversationId);
    const conversation = mexcOrderConversation(this.options.accountId, conversationId, order, previous);
    if (previous && !changed(previous, conversation)) return previous;
    this.conversations.set(conversationId, conversation);
    this.announced++;
    this.conversationEmitter.fire(conversation);
    return conversation;
  }
}

function changed(a: Conversation, b: Conversation): boolean {
  return a.title !== b.title || a.subtitle !== b.subtitle || a.active !== b.active || a.lastActivity !== b.lastActivity || !sameValue(a.order, b.order);
}

function parseCursor(cursor: string | undefined): Partial<OrderCursor> {
  if (!cursor) return {};
  const [lastCreateTime, lastId] = cursor.split(':');
  return lastCreateTime && lastId ? { lastCreateTime: Number(lastCreateTime), lastId } : {};
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Error(ABORTED);
}
