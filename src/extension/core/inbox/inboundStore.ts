// Stores what venues deliver: each message checked on its own (one bad message is bad input, not
// a lost batch), then written durably with one write per account log. A write that fails (disk
// full) is retried with back-off until it succeeds: an incoming message is never dropped, and
// the adapter is told `stored()` only after the write, so a venue that redelivers (Mixin) does.
import type { ChatMessage } from '../../../shared/model';
import { chatMessageProblem } from '../../../shared/messageValidator';
import { delay, type Clock } from '../clock';
import { Backoff } from '../connection/backoff';
import type { Logger } from '../logger';
import type { MessageStore } from '../store/messageStore';

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

  /** Splits `messages` into those fit to store and the problems of the others. */
  check(accountId: string, venue: string, messages: readonly ChatMessage[]): { ok: ChatMessage[]; rejected: RejectedMessage[] } {
    const ok: ChatMessage[] = [];
    const rejected: RejectedMessage[] = [];
    for (const m of messages) {
      const problem = chatMessageProblem(m) ?? (m.accountId !== accountId || m.venue !== venue ? 'message names another account or venue' : undefined);
      if (problem) rejected.push({ accountId, problem });
      else ok.push(m);
    }
    return { ok, rejected };
  }

  /** Writes `messages` durably, retrying until it works; resolves with the stored changes. Rejects only on close. */
  async write(messages: readonly ChatMessage[]): Promise<ChatMessage[]> {
    if (messages.length === 0) return [];
    const backoff = new Backoff({ baseMs: 250, maxMs: 30_000, minMs: 100 }, this.clock.random);
    for (let attempt = 1; ; attempt++) {
      try {
        const changed = await this.store.upsert(messages);
        if (attempt > 1) this.onTrouble({ attempt, error: '', resolved: true });
        return changed;
      } catch (err) {
        if (this.abort.signal.aborted) throw err;
        this.failures++;
        const error = err instanceof Error ? err.message : String(err);
        this.logger.error(`could not store ${messages.length} incoming message(s) (attempt ${attempt}): ${error}; retrying`);
        this.onTrouble({ attempt, error, resolved: false });
        await delay(this.clock, backoff.next(), this.abort.signal);
      }
    }
  }

  close(): void {
    this.abort.abort();
  }
}
