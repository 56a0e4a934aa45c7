// Orders -> conversations for venues whose chats hang off P2P orders and whose order lists are
// polled (Binance, Bybit). Every poll reads every page of the orders in progress; the recent
// history is read in windows on the first sync, whenever an order leaves the in-progress list (to
// learn how it ended) and every `historyEvery` polls. The two lists may carry different fields
// (Binance's history rows have no payment deadline): a field a row leaves out keeps what an
// earlier row of the same order said. A conversation is announced only when it changed.
import type { Conversation } from '../../shared/model';
import type { Clock } from '../core/clock';
import { Emitter, type Disposable, type Event } from '../core/event';
import type { Logger } from '../core/logger';
import { Poller, type PollIntervals, type PollOutcome } from '../core/connection/poller';
import { sameValue } from '../core/store/messageMerge';
import type { Page } from './venue';

/** What a venue supplies: how to read its lists and how a row becomes a conversation. */
export interface OrderBookSource<Row extends object> {
  /** One page (1-based) of the orders in progress. */
  readActive(page: number, size: number): Promise<readonly Row[]>;
  /** One page of the orders created in [start, end] (ms), a window of at most `windowDays`. */
  readHistory(window: { readonly start: number; readonly end: number }, page: number, size: number): Promise<readonly Row[]>;
  idOf(row: Row): string;
  /** The conversation of a (merged) row; `previous` is what was announced before, if anything. */
  toConversation(row: Row, previous: Conversation | undefined): Conversation;
}

export interface OrderBookSyncOptions<Row extends object> {
  /** For the poller's name in the log ("Binance orders acc-1"). */
  readonly name: string;
  readonly source: OrderBookSource<Row>;
  readonly intervals: PollIntervals;
  readonly pageSize: number;
  /** How far back the first sync reads the history (default 30 days). */
  readonly historyDays?: number;
  /** The widest window one history call may ask for (default 30 days). */
  readonly windowDays?: number;
  /** How far back the later history reads go (default 2 days: what can have ended since). */
  readonly recentDays?: number;
  /** Re-read the history every this many polls (default 20). */
  readonly historyEvery?: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

const DAY = 24 * 60 * 60_000;
const MAX_PAGES = 50;

export class OrderBookSync<Row extends object> implements Disposable {
  readonly poller: Poller;
  private readonly conversations = new Map<string, Conversation>();
  private readonly rows = new Map<string, Row>();
  private readonly conversationEmitter = new Emitter<Conversation>();
  private polls = 0;
  private announced = 0;

  readonly onConversation: Event<Conversation> = this.conversationEmitter.event;

  constructor(private readonly options: OrderBookSyncOptions<Row>) {
    this.poller = new Poller({ name: options.name, run: (signal) => this.syncAll(signal), intervals: options.intervals, clock: options.clock, logger: options.logger });
  }

  conversation(id: string): Conversation | undefined {
    return this.conversations.get(id);
  }

  /** The latest (merged) row of an order. */
  row(id: string): Row | undefined {
    return this.rows.get(id);
  }

  /** Every order seen so far (merged rows). */
  allRows(): Row[] {
    return [...this.rows.values()];
  }

  isActive(id: string): boolean {
    return this.conversations.get(id)?.active === true;
  }

  activeIds(): string[] {
    return [...this.conversations.values()].filter((c) => c.active).map((c) => c.conversationId);
  }

  async listPage(cursor?: string): Promise<Page<Conversation>> {
    const page = cursor ? Number(cursor) : 1;
    const rows = await this.options.source.readActive(page, this.options.pageSize);
    const items = rows.map((r) => this.put(r));
    return { items, next: rows.length === this.options.pageSize ? String(page + 1) : undefined };
  }

  async syncAll(signal: AbortSignal): Promise<PollOutcome> {
    const before = this.announced;
    const wasActive = new Set(this.activeIds());
    const active = await this.readPages(signal, (page) => this.options.source.readActive(page, this.options.pageSize));
    const seen = new Set<string>();
    for (const row of active) {
      seen.add(this.options.source.idOf(row));
      this.put(row);
    }
    const ended = [...wasActive].some((id) => !seen.has(id));
    if (this.polls === 0 || ended || this.polls % (this.options.historyEvery ?? 20) === 0) {
      await this.readHistory(signal, this.polls === 0 ? (this.options.historyDays ?? 30) : (this.options.recentDays ?? 2));
    }
    this.polls++;
    return { activity: this.announced > before };
  }

  /** A change the venue pushed (an order state in a chat frame): the conversation follows at once. */
  update(id: string, change: (row: Row) => Row): void {
    const row = this.rows.get(id);
    if (row) this.put(change(row));
  }

  dispose(): void {
    this.poller.dispose();
    this.conversationEmitter.dispose();
  }

  private async readHistory(signal: AbortSignal, days: number): Promise<void> {
    const now = this.options.clock.now();
    const window = (this.options.windowDays ?? 30) * DAY;
    for (let end = now; end > now - days * DAY; end -= window) {
      const start = Math.max(end - window + 1, now - days * DAY);
      const rows = await this.readPages(signal, (page) => this.options.source.readHistory({ start, end }, page, this.options.pageSize));
      for (const row of rows) this.put(row);
    }
  }

  private async readPages(signal: AbortSignal, read: (page: number) => Promise<readonly Row[]>): Promise<Row[]> {
    const all: Row[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      if (signal.aborted) throw new Error('the order sync was stopped');
      const rows = await read(page);
      all.push(...rows);
      if (rows.length < this.options.pageSize) return all;
    }
    this.options.logger.warn(`more than ${MAX_PAGES} pages of orders; reading no further this time`);
    return all;
  }

  private put(incoming: Row): Conversation {
    const id = this.options.source.idOf(incoming);
    const row = mergeRows(this.rows.get(id), incoming);
    this.rows.set(id, row);
    const previous = this.conversations.get(id);
    const conversation = this.options.source.toConversation(row, previous);
    if (previous && sameValue(previous, conversation)) return previous;
    this.conversations.set(id, conversation);
    this.announced++;
    this.conversationEmitter.fire(conversation);
    return conversation;
  }
}

/** Fields the new row leaves out (undefined or null) keep what the known row said. */
function mergeRows<Row extends object>(known: Row | undefined, row: Row): Row {
  if (!known) return row;
  const merged: Record<string, unknown> = { ...(known as Record<string, unknown>) };
  for (const [field, value] of Object.entries(row)) if (value !== undefined && value !== null) merged[field] = value;
  return merged as Row;
}
