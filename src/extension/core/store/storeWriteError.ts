// How an upsert that could not be made durable fails, so the caller can tell a full disk (retry
// later, count it) from a log that cannot be used at all (report the account) without parsing
// error messages. The in-memory store never shows what failed to be written.
import type { ChatMessage } from '../../../shared/model';

export type StoreWriteFailure =
  /** Writing or syncing the account's log failed (disk full, I/O error); nothing of it was kept. */
  | 'write-failed'
  /** The account's log cannot be opened (another user's file, a directory in its place). */
  | 'log-unavailable';

export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';

  constructor(
    readonly failure: StoreWriteFailure,
    /** Accounts whose messages of this call were not stored. */
    readonly accountIds: readonly string[],
    /**
     * The condition usually passes on its own (full disk, I/O error, too many open files), so the
     * same call is worth retrying; false when the log stays unusable until a person fixes it.
     */
    readonly retryable: boolean,
    /** What the call did store (messages of other accounts), as a successful call would report it. */
    readonly stored: readonly ChatMessage[],
    detail: string,
    cause: unknown,
  ) {
    super(`${failure === 'write-failed' ? 'could not write' : 'cannot open'} the message log of ${accountIds.length} account(s): ${detail}`, { cause });
  }
}
