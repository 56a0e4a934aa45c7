// Server history after every (re)connect and when a pane opens (docs/architecture.md, The inbox
// hub): pages newest-first from the venue until a page overlaps what the store already holds, so
// messages sent while the connection was down are not missed. A conversation the store knows
// nothing of gets its newest page only (older pages come when the user scrolls). A hole longer than
// one go of pages is marked in the timeline and read on after a pause, until the pages overlap;
// the mark (kept in the store) makes a backfill after a restart read below it too. After the live
// feed broke, the pages must reach back to before the break: messages pushed live after the
// reconnect are stored too, and overlapping with those would leave the hole below them unread
// (found by the long chaos soak, Binance). The same after a restart, where no break was seen: the
// first live messages stored in a conversation before its backfill read its history would hide
// what was said while the extension was not running, so the newest message stored before them is
// kept as the floor the pages must reach.
import type { ChatMessage } from '../../../shared/model';
import { delay, type Clock } from '../clock';
import type { Logger } from '../logger';
import type { MessageStore } from '../store/messageStore';
import { isVenueError, type VenueAdapter } from '../../venues/venue';
import { conversationKey } from './conversationBook';

export interface HistoryBackfillDeps {
  readonly store: MessageStore;
  /** Stores a page through the inbound path as `backfill`; resolves when it is durable. */
  readonly ingest: (accountId: string, messages: readonly ChatMessage[]) => Promise<void>;
  /** The pages did not reach what the store holds yet: `from`..`to` is being read back (`filled` false), or could not be. */
  readonly onHole: (accountId: string, conversationId: string, from: number, to: number) => Promise<void>;
  /** The pages reached what the store held before these holes: they are read back. */
  readonly onHolesFilled: (accountId: string, conversationId: string, holes: readonly ChatMessage[]) => Promise<void>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly maxPages?: number;
  readonly pageLimit?: number;
  /** Backfills of one account running at once. */
  readonly parallel?: number;
  /**
   * The account's adapter now (another after a key update; none once removed): a backfill the
   * venue failed (5xx, timeouts) is tried again on it later, so the hole does not wait for the
   * next reconnect, which may never come.
   */
  readonly adapterFor?: (accountId: string) => VenueAdapter | undefined;
}

type Outcome = 'done' | 'failed' | 'refused';

interface Run {
  again: boolean;
  /** The account's adapter of the latest request (another after a key update or a restart of the account). */
  adapter: VenueAdapter;
  done: Promise<void>;
}

const ATTEMPTS = 3;
/** A failed backfill is tried again after 10 s, then 30 s, 90 s, … up to 5 minutes apart. */
const RETRY_FIRST_MS = 10_000;
const RETRY_MAX_MS = 5 * 60_000;
/** Venue clocks differ from ours: a break is read back from this much before it. */
const BREAK_MARGIN_MS = 60_000;
/**
 * A backfill reads `maxPages` pages, then pauses this long before the next as many, up to
 * MAX_CHUNKS times (50,000 messages at 50 a page): a long hole is read back whole, without
 * holding the venue's rate limit from everything else.
 */
const CHUNK_PAUSE_MS = 1_000;
const MAX_CHUNKS = 50;

export class HistoryBackfill {
  private readonly runs = new Map<string, Run>();
  private readonly slots = new Map<string, { busy: number; waiting: (() => void)[] }>();
  private readonly abort = new AbortController();
  /**
   * By conversation key: our clock when its live feed broke, until a backfill has read back past
   * that (a second break before then keeps the first's time).
   */
  private readonly brokenSince = new Map<string, number>();
  /** Failed backfills waiting to be tried again, by conversation key: how many failed in a row. */
  private readonly retries = new Map<string, number>();
  /**
   * Conversations whose reach is settled since this process started (or their feed last broke):
   * a backfill has measured it, or live messages were stored after `liveFloors` kept what came before.
   */
  private readonly measured = new Set<string>();
  /**
   * By conversation key: the time of the newest venue message stored before live messages were
   * stored ahead of any backfill (null: there was none), until a backfill has read back past it.
   */
  private readonly liveFloors = new Map<string, number | null>();

  constructor(private readonly deps: HistoryBackfillDeps) {}

  /** Backfills one conversation; a request while one runs makes it run once more afterwards. */
  request(adapter: VenueAdapter, conversationId: string): Promise<void> {
    if (!adapter.capabilities.serverHistory || this.abort.signal.aborted) return Promise.resolve();
    const key = conversationKey(adapter.accountId, conversationId);
    const running = this.runs.get(key);
    if (running) {
      running.again = true;
      running.adapter = adapter;
      return running.done;
    }
    const run: Run = { again: false, adapter, done: Promise.resolve() };
    run.done = (async () => {
      try {
        let outcome: Outcome;
        do {
          run.again = false;
          outcome = await this.withSlot(adapter.accountId, () => this.backfill(run.adapter, conversationId));
        } while (run.again && !this.abort.signal.aborted);
        if (outcome === 'failed') this.retryLater(adapter.accountId, conversationId, key);
        else this.retries.delete(key);
      } finally {
        this.runs.delete(key);
      }
    })();
    this.runs.set(key, run);
    return run.done;
  }

  /**
   * The account's live feed broke (it left the online state): the next backfill of each of these
   * conversations reads back to before now, whatever was stored since.
   */
  feedBroke(accountId: string, conversationIds: Iterable<string>): void {
    const now = this.deps.clock.now();
    for (const id of conversationIds) {
      const key = conversationKey(accountId, id);
      if (!this.brokenSince.has(key)) this.brokenSince.set(key, now);
      this.measured.delete(key); // what is stored before the first live message after the break is a floor again
    }
  }

  /**
   * Live messages are about to be stored in these conversations. In one no backfill has measured
   * since the start (or the last break), the newest message stored now is what its next backfill
   * must read back to. Resolves with those of them that held messages and no backfill is running
   * for: the caller requests one.
   */
  async beforeLive(adapter: VenueAdapter, conversationIds: Iterable<string>): Promise<string[]> {
    if (!adapter.capabilities.serverHistory || this.abort.signal.aborted) return [];
    const accountId = adapter.accountId;
    const unmeasured = [...new Set(conversationIds)].filter((id) => !this.measured.has(conversationKey(accountId, id)));
    if (unmeasured.length === 0) return [];
    await Promise.all(unmeasured.map((id) => this.deps.store.load(accountId, id).catch(() => undefined)));
    const owed: string[] = [];
    for (const id of unmeasured) {
      const key = conversationKey(accountId, id);
      if (this.measured.has(key)) continue; // a backfill measured it meanwhile
      this.measured.add(key);
      const floor = this.deps.store.latestFromVenue(accountId, id)?.time ?? null;
      this.liveFloors.set(key, floor);
      // Below stored history there may be a hole; a chat new to the store gets its page when a pane opens it.
      if (floor !== null && !this.runs.has(key)) owed.push(id);
    }
    return owed;
  }

  /** The account was removed with its data: nothing of it is owed any more. */
  forget(accountId: string): void {
    const prefix = conversationKey(accountId, '');
    for (const map of [this.brokenSince, this.retries, this.liveFloors]) for (const key of [...map.keys()]) if (key.startsWith(prefix)) map.delete(key);
    for (const key of [...this.measured]) if (key.startsWith(prefix)) this.measured.delete(key);
  }

  /** Resolves when every running backfill is done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.runs.size > 0) await Promise.all([...this.runs.values()].map((r) => r.done));
  }

  dispose(): void {
    this.abort.abort();
  }

  private retryLater(accountId: string, conversationId: string, key: string): void {
    const failures = (this.retries.get(key) ?? 0) + 1;
    this.retries.set(key, failures);
    const wait = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 3 ** (failures - 1));
    this.deps.logger.info(`history of ${conversationId}: trying again in ${Math.round(wait / 1000)} s`);
    delay(this.deps.clock, wait, this.abort.signal).then(
      () => {
        const adapter = this.deps.adapterFor?.(accountId);
        if (!adapter) this.retries.delete(key); // the account is gone
        else if (!this.runs.has(key)) void this.request(adapter, conversationId);
      },
      () => undefined, // disposed
    );
  }

  private async backfill(adapter: VenueAdapter, conversationId: string): Promise<Outcome> {
    const { store } = this.deps;
    const accountId = adapter.accountId;
    // Loaded without blocking the host (a failure shows in the writes that follow).
    await store.load(accountId, conversationId).catch(() => undefined);
    const key = conversationKey(accountId, conversationId);
    const floor = this.liveFloors.get(key);
    this.measured.add(key);
    // Live messages stored ahead of this backfill into a conversation the store knew nothing of: it is still new.
    const newest = floor === null ? undefined : store.latestFromVenue(accountId, conversationId);
    const since = this.brokenSince.get(key);
    // Holes an earlier backfill (maybe before a restart) left to read: the pages go back below them.
    const holes = newest === undefined ? [] : store.openHistoryHoles(accountId, conversationId);
    // What the pages must reach: the newest stored message, or what was stored before the break, before live messages, or the oldest hole.
    const reach = newest === undefined ? undefined : Math.min(newest.time, floor ?? Infinity, since !== undefined ? since - BREAK_MARGIN_MS : Infinity, ...holes.map((h) => h.gap?.from ?? h.time));
    const limit = Math.min(this.deps.pageLimit ?? 50, adapter.capabilities.historyPageLimit ?? 50);
    const chunk = this.deps.maxPages ?? 20;
    const budget = newest ? chunk * MAX_CHUNKS : 1;
    let before: string | undefined;
    let oldestFetched: number | undefined;
    let marked = false;
    for (let page = 0; page < budget; page++) {
      if (this.abort.signal.aborted) return 'done';
      if (page > 0 && page % chunk === 0) {
        // A long hole: say so in the timeline (and so to a restart, which reads it again) and read on after a pause.
        if (!marked && reach !== undefined && oldestFetched !== undefined && oldestFetched > reach) {
          this.deps.logger.warn(`history of ${conversationId}: ${chunk} pages did not reach the stored messages; reading on`);
          await this.deps.onHole(accountId, conversationId, reach, oldestFetched);
          marked = true;
        }
        try {
          await delay(this.deps.clock, CHUNK_PAUSE_MS, this.abort.signal);
        } catch {
          return 'done'; // disposed
        }
      }
      const result = await this.fetch(adapter, conversationId, before, limit);
      if (result === 'failed' || result === 'refused') return result; // logged; a failure is tried again later
      const items = result.items;
      const overlaps = reach !== undefined && items.some((m) => m.time < reach || (m.time <= reach && isKnown(store, accountId, conversationId, m)));
      if (items.length > 0) {
        await this.deps.ingest(accountId, items);
        oldestFetched = Math.min(oldestFetched ?? Infinity, ...items.map((m) => m.time));
      }
      if (overlaps || !result.next || items.length === 0) {
        this.readPast(key);
        // The holes open at the start, and the one this run marked if any (the store is read again only then).
        const filled = marked ? store.openHistoryHoles(accountId, conversationId) : holes;
        if (filled.length > 0) {
          if (marked) this.deps.logger.info(`history of ${conversationId}: read back to the stored messages after ${page + 1} pages`);
          await this.deps.onHolesFilled(accountId, conversationId, filled);
        }
        return 'done';
      }
      before = result.next;
    }
    // A conversation new to the store gets its newest page only (older ones come as the user scrolls);
    // a hole past the whole budget stays marked, and the next backfill reads below it.
    if (reach !== undefined && oldestFetched !== undefined && oldestFetched > reach) {
      this.deps.logger.warn(`history of ${conversationId}: ${budget} pages did not reach the stored messages; the next backfill reads on`);
      if (!marked) await this.deps.onHole(accountId, conversationId, reach, oldestFetched);
    }
    this.readPast(key);
    return 'done';
  }

  /** The pages reached what they had to (or a hole marks what they did not): no break or floor is owed. */
  private readPast(key: string): void {
    this.brokenSince.delete(key);
    this.liveFloors.delete(key);
  }

  /** A page, or why not: `failed` (the venue failed three times: tried again later), `refused` (keys or request refused). */
  private async fetch(adapter: VenueAdapter, conversationId: string, before: string | undefined, limit: number) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await adapter.history(conversationId, { before, limit });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        // Refused keys wait for the account to be fixed (a reconnect backfills again); a refused request would be refused again.
        if (isVenueError(err) && (err.kind === 'auth' || err.kind === 'rejected')) {
          this.deps.logger.warn(`history of ${conversationId} could not be read: ${message}`);
          return 'refused' as const;
        }
        if (attempt === ATTEMPTS) {
          this.deps.logger.warn(`history of ${conversationId} could not be read: ${message}`);
          return 'failed' as const;
        }
        const wait = Math.max(1000 * 2 ** (attempt - 1), isVenueError(err) ? (err.retryAfterMs ?? 0) : 0);
        try {
          await delay(this.deps.clock, Math.min(wait, 60_000), this.abort.signal);
        } catch {
          return 'refused' as const; // disposed
        }
      }
    }
  }

  private async withSlot<T>(accountId: string, task: () => Promise<T>): Promise<T> {
    const limit = this.deps.parallel ?? 3;
    let slot = this.slots.get(accountId);
    if (!slot) {
      slot = { busy: 0, waiting: [] };
      this.slots.set(accountId, slot);
    }
    const s = slot;
    while (s.busy >= limit) await new Promise<void>((resolve) => s.waiting.push(resolve));
    s.busy++;
    try {
      return await task();
    } finally {
      s.busy--;
      s.waiting.shift()?.();
    }
  }
}

function isKnown(store: MessageStore, accountId: string, conversationId: string, m: ChatMessage): boolean {
  return (m.venueMessageId !== undefined && store.findByVenueMessageId(accountId, conversationId, m.venueMessageId) !== undefined) || store.get(m.key) !== undefined;
}
