// Stores what venues deliver: each message checked on its own (one bad message is bad input, not
// a lost batch), then written durably with one write per account log. A write that fails (disk
// full, a log that cannot be opened) is never dropped: that account's messages are parked and
// retried with back-off, later messages of the same account join them (order kept), and the other
// accounts carry on. The hub is told when parked messages are finally stored, and only then calls
// the adapter's `stored()`, so a venue that redelivers (Mixin) does.
import type { ChatMessage } from '../../../shared/model';
import type { Clock } from '../clock';
import { Backoff } from '../connection/backoff';
import type { Disposable } from '../event';
import type { Logger } from '../logger';
import type { CheckedMessage, MessageStore, UpsertResult } from '../store/messageStore';
import { checkInbound } from './inboundFit';
import { StoreWriteError } from '../store/storeWriteError';

export interface StoreTrouble {
  readonly accountId?: string;
  readonly attempt: number;
  readonly error: string;
  /** The write succeeded after failing (the trouble is over). */
  readonly resolved: boolean;
}

export interface RejectedMessage {
  readonly accountId: string;
  readonly problem: string;
}

export interface WriteResult {
  /** What the store changed, for the messages stored now. */
  readonly changed: ChatMessage[];
  /** Keys of `changed` that were new to the store. */
  readonly added: ReadonlySet<string>;
  /** Accounts whose messages of this write were parked (stored later, reported through `onLateWrite`). */
  readonly parkedAccounts: ReadonlySet<string>;
}

interface Parked {
  messages: ChatMessage[];
  error: string;
  attempt: number;
  readonly backoff: Backoff;
  timer: Disposable | undefined;
}

/** A log that stays unusable is retried at this pace (a person has to fix it). */
const UNUSABLE_RETRY_MS = 60_000;

export class InboundStore {
  private readonly parked = new Map<string, Parked>();
  private failures = 0;
  private closed = false;

  constructor(
    private readonly store: MessageStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onTrouble: (trouble: StoreTrouble) => void,
    /** Parked messages of an account are stored at last: `changed` as an upsert reports it. */
    private readonly onLateWrite: (accountId: string, messages: readonly ChatMessage[], changed: readonly ChatMessage[]) => void,
  ) {}

  /** The last write error of an account whose messages are parked. */
  problem(accountId: string): string | undefined {
    return this.parked.get(accountId)?.error;
  }

  /** Failed writes so far (each retried). */
  get failedWrites(): number {
    return this.failures;
  }

  /**
   * Splits `messages` into those fit to store (the store's checked copies, which it takes without
   * checking again) and the problems of the others.
   */
  check(accountId: string, venue: string, messages: readonly ChatMessage[]): { ok: CheckedMessage[]; rejected: RejectedMessage[]; fitted: string[] } {
    const ok: CheckedMessage[] = [];
    const rejected: RejectedMessage[] = [];
    const fitted: string[] = [];
    for (const m of messages) {
      const checked = checkInbound(m, fitted);
      if (typeof checked === 'string') rejected.push({ accountId, problem: checked });
      else if (checked.accountId !== accountId || checked.venue !== venue) rejected.push({ accountId, problem: 'message names another account or venue' });
      else ok.push(checked);
    }
    return { ok, rejected, fitted };
  }

  /** Writes `messages` durably where it can now; what cannot be written is parked and retried. Never rejects. */
  write(messages: readonly ChatMessage[]): Promise<WriteResult> {
    return this.writeWith(messages, async (now) => ({ changed: await this.store.upsert(now), added: new Set<string>() }));
  }

  /** `write` for messages from `check` (the store takes them without checking again); also says which changes were new. */
  writeChecked(messages: readonly CheckedMessage[]): Promise<WriteResult> {
    return this.writeWith(messages, (now) => this.store.upsertChecked(now));
  }

  private async writeWith<M extends ChatMessage>(messages: readonly M[], upsert: (now: M[]) => Promise<UpsertResult>): Promise<WriteResult> {
    const parkedAccounts = new Set<string>();
    const now: M[] = [];
    for (const m of messages) {
      // Behind messages already waiting: a later message must not be stored before them.
      const waiting = this.parked.get(m.accountId);
      if (waiting) {
        waiting.messages.push(m);
        parkedAccounts.add(m.accountId);
      } else {
        now.push(m);
      }
    }
    if (now.length === 0) return { changed: [], added: new Set(), parkedAccounts };
    try {
      const { changed, added } = await upsert(now);
      return { changed, added, parkedAccounts };
    } catch (err) {
      const failed = err instanceof StoreWriteError ? new Set(err.accountIds) : new Set(now.map((m) => m.accountId));
      const retryable = err instanceof StoreWriteError ? err.retryable : true;
      const error = err instanceof Error ? err.message : String(err);
      for (const accountId of failed) {
        this.park(accountId, now.filter((m) => m.accountId === accountId), error, retryable);
        parkedAccounts.add(accountId);
      }
      // What the failed call did store for other accounts: whether each was new is not reported, so
      // an incoming one counts as new (the rare cost: a redelivery during a disk error shows as unread).
      const stored = err instanceof StoreWriteError ? [...err.stored] : [];
      return { changed: stored, added: new Set(stored.filter((m) => m.direction === 'in').map((m) => m.key)), parkedAccounts };
    }
  }

  close(): void {
    this.closed = true;
    for (const p of this.parked.values()) p.timer?.dispose();
    if (this.parked.size > 0) this.logger.warn(`${[...this.parked.values()].reduce((n, p) => n + p.messages.length, 0)} incoming message(s) could not be stored before closing`);
    this.parked.clear();
  }

  private park(accountId: string, messages: ChatMessage[], error: string, retryable: boolean): void {
    this.failures++;
    const parked: Parked = { messages, error, attempt: 1, backoff: new Backoff({ baseMs: 250, maxMs: 30_000, minMs: 100 }, () => this.clock.random()), timer: undefined };
    this.parked.set(accountId, parked);
    this.logger.error(`could not store ${messages.length} incoming message(s) of account ${accountId}: ${error}; retrying`);
    this.onTrouble({ accountId, attempt: 1, error, resolved: false });
    this.schedule(accountId, parked, retryable);
  }

  private schedule(accountId: string, parked: Parked, retryable: boolean): void {
    if (this.closed) return;
    const wait = retryable ? parked.backoff.next() : UNUSABLE_RETRY_MS;
    parked.timer = this.clock.setTimeout(() => void this.retry(accountId, parked), wait);
  }

  private async retry(accountId: string, parked: Parked): Promise<void> {
    parked.timer = undefined;
    if (this.closed || this.parked.get(accountId) !== parked) return;
    const messages = parked.messages;
    parked.messages = [];
    try {
      const changed = await this.store.upsert(messages);
      // Messages that arrived during the write are still waiting: they go next, at once.
      if (parked.messages.length > 0) {
        this.onLateWrite(accountId, messages, changed);
        void this.retry(accountId, parked);
        return;
      }
      this.parked.delete(accountId);
      this.onTrouble({ accountId, attempt: parked.attempt + 1, error: '', resolved: true });
      this.onLateWrite(accountId, messages, changed);
    } catch (err) {
      parked.messages = [...messages, ...parked.messages];
      parked.attempt++;
      this.failures++;
      const error = err instanceof Error ? err.message : String(err);
      parked.error = error;
      this.logger.error(`could not store ${parked.messages.length} incoming message(s) of account ${accountId} (attempt ${parked.attempt}): ${error}; retrying`);
      this.onTrouble({ accountId, attempt: parked.attempt, error, resolved: false });
      this.schedule(accountId, parked, err instanceof StoreWriteError ? err.retryable : true);
    }
  }
}
