// Stores what venues deliver: each message checked on its own (one bad message is bad input, not
// a lost batch), then written durably with one write per account log. A write that fails (disk
// full) is retried with back-off until it succeeds: an incoming message is never dropped, and
// the adapter is told `stored()` only after the write, so a venue that redelivers (Mixin) does.
import type { ChatMessage } from '../../../shared/model';
import { delay, type Clock } from '../clock';
import { Backoff } from '../connection/backoff';
import type { Logger } from '../logger';
import { checkForStore, type CheckedMessage, type MessageStore, type UpsertResult } from '../store/messageStore';

export interface StoreTrouble {
  readonly attempt: number;
  readonly error: string;
  /** The write succeeded after failing (the trouble is over). */
  readonly resolved: boolean;
}

export interface RejectedMessage {
  readonly accountId: string;
  readonly problem: string;
}

export class InboundStore {
  private readonly abort = new AbortController();
  private failures = 0;

  constructor(
    private readonly store: MessageStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onTrouble: (trouble: StoreTrouble) => void,
  ) {}

  /** Failed writes so far (each retried). */
  get failedWrites(): number {
    return this.failures;
  }

  /**
   * Splits `messages` into those fit to store (the store's checked copies, which it takes without
   * checking again) and the problems of the others.
   */
  check(accountId: string, venue: string, messages: readonly ChatMessage[]): { ok: CheckedMessage[]; rejected: RejectedMessage[] } {
    const ok: CheckedMessage[] = [];
    const rejected: RejectedMessage[] = [];
    for (const m of messages) {
      const checked = checkForStore(m);
      if (typeof checked === 'string') rejected.push({ accountId, problem: checked });
      else if (checked.accountId !== accountId || checked.venue !== venue) rejected.push({ accountId, problem: 'message names another account or venue' });
      else ok.push(checked);
    }
    return { ok, rejected };
  }

  /** Writes `messages` durably, retrying until it works; resolves with the stored changes. Rejects only on close. */
  async write(messages: readonly ChatMessage[]): Promise<ChatMessage[]> {
    if (messages.length === 0) return [];
    return this.retrying(messages.length, () => this.store.upsert(messages));
  }

  /** `write` for messages from `check`; also says which changes were new to the store. */
  writeChecked(messages: readonly CheckedMessage[]): Promise<UpsertResult> {
    return this.retrying(messages.length, () => this.store.upsertChecked(messages));
  }

  private async retrying<R>(count: number, attemptWrite: () => Promise<R>): Promise<R> {
    const backoff = new Backoff({ baseMs: 250, maxMs: 30_000, minMs: 100 }, this.clock.random);
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await attemptWrite();
        if (attempt > 1) this.onTrouble({ attempt, error: '', resolved: true });
        return result;
      } catch (err) {
        if (this.abort.signal.aborted) throw err;
        this.failures++;
        const error = err instanceof Error ? err.message : String(err);
        this.logger.error(`could not store ${count} incoming message(s) (attempt ${attempt}): ${error}; retrying`);
        this.onTrouble({ attempt, error, resolved: false });
        await delay(this.clock, backoff.next(), this.abort.signal);
      }
    }
  }

  close(): void {
    this.abort.abort();
  }
}
