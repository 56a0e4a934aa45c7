// The message store (design.md §5): one crash-safe append-only log per account under
// `<dir>/messages/`, an in-memory index over all of it, de-duplication and status merging on every
// upsert, and background compaction. Plain Node: no 'vscode'.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ChatMessage } from '../../../shared/model';
import { accountLogFileName, ACCOUNT_LOG_EXTENSION } from './accountLogName';
import { AppendLog } from './appendLog';
import type { OpenedAppendLog } from './appendLog';
import { chatMessageProblem } from '../../../shared/messageValidator';
import { decodePageCursor, encodePageCursor } from './conversationTimeline';
import { makeDirectoryDurably, removeFileIfExists, syncDirectory } from './durableFs';
import { Emitter } from '../event';
import type { Disposable, Event } from '../event';
import type { Logger } from '../logger';
import { MessageIndex } from './messageIndex';
import { withoutUndefined, type MergeOptions } from './messageMerge';
import type { StoreRecord } from './messageStoreRecord';
import { isMessageRecord, parseStoreRecord } from './messageStoreRecord';
import { SerialQueue } from '../serialQueue';
import { UpsertPlan } from './upsertPlan';
import type { MergedDuplicate } from './upsertPlan';

export type { MergedDuplicate } from './upsertPlan';

export interface MessageStoreOptions {
  /**
   * A log is compacted only when it holds more than twice its live records AND at least this many
   * superseded lines, so small logs are not rewritten over and over. Default 1000.
   */
  readonly compactMinSuperseded?: number;
}

export interface MessageStoreRecovery {
  /** Live messages loaded. */
  readonly messages: number;
  /** Lines skipped (unreadable, unrecognised, torn, or filed under the wrong account). */
  readonly skipped: number;
  /** Logs whose last write had been torn by a crash (and was cut off). */
  readonly tornTails: number;
  /** One line per problem, prefixed with the log's file name; never message content. */
  readonly problems: readonly string[];
}

export interface PageRequest {
  /** Cursor from a previous page's `before`; absent for the newest page. */
  readonly before?: string;
  readonly limit: number;
}

export interface MessagePage {
  /** Oldest first. */
  readonly messages: ChatMessage[];
  /** Cursor for the next older page; absent when nothing older exists. */
  readonly before?: string;
}

interface AccountLog {
  readonly log: AppendLog<StoreRecord>;
}

export class MessageStore implements Disposable {
  private readonly index = new MessageIndex();
  private readonly logs = new Map<string, AccountLog>();
  private readonly queue = new SerialQueue();
  private readonly compacting = new Set<string>();
  private readonly mergedEmitter = new Emitter<readonly MergedDuplicate[]>();
  private readonly problems: string[] = [];
  private skipped = 0;
  private tornTails = 0;
  private closing: Promise<void> | undefined;
  private readonly compactMinSuperseded: number;

  /**
   * Fires (before the upsert that caused it resolves) when messages already stored were found to
   * be duplicates of another message and removed: views must drop `key` and show `into`.
   */
  readonly onDidMergeDuplicates: Event<readonly MergedDuplicate[]> = this.mergedEmitter.event;

  private constructor(
    private readonly dir: string,
    private readonly logger: Logger,
    options: MessageStoreOptions,
  ) {
    this.compactMinSuperseded = options.compactMinSuperseded ?? 1000;
  }

  /** Opens the store under `dir` (creating it) and loads every account's log. */
  static async open(dir: string, logger: Logger, options: MessageStoreOptions = {}): Promise<MessageStore> {
    const messagesDir = path.join(dir, 'messages');
    await makeDirectoryDurably(messagesDir);
    const names = new Set<string>();
    for (const name of await fs.readdir(messagesDir)) {
      if (name.endsWith(ACCOUNT_LOG_EXTENSION)) names.add(name);
      // A compaction file without its log: AppendLog.open restores it.
      else if (name.endsWith(`${ACCOUNT_LOG_EXTENSION}.tmp`)) names.add(name.slice(0, -'.tmp'.length));
    }
    const store = new MessageStore(messagesDir, logger, options);
    const sorted = [...names].sort();
    const opened = await Promise.allSettled(sorted.map((name) => AppendLog.open(path.join(messagesDir, name), { parse: parseStoreRecord, logger })));
    const failure = opened.find((o) => o.status === 'rejected');
    if (failure) {
      // Do not leave the logs that did open behind with open handles.
      await Promise.all(opened.map((o) => (o.status === 'fulfilled' ? o.value.log.close() : undefined)));
      throw failure.reason;
    }
    for (const [i, o] of opened.entries()) {
      if (o.status === 'fulfilled') await store.adopt(sorted[i] ?? '', o.value, undefined);
    }
    // Each log already logged its own problems; `recovery` has them all for the host to show.
    return store;
  }

  get recovery(): MessageStoreRecovery {
    return { messages: this.index.count(), skipped: this.skipped, tornTails: this.tornTails, problems: [...this.problems] };
  }

  /**
   * Stores `messages` (merging and de-duplicating, see messageMerge.ts) and resolves with those
   * that changed, after they are durable. Identical messages are no-ops. Calls are serialised.
   * An invalid message rejects the whole call before anything is written. If a log write fails the
   * call rejects; parts for other accounts may have been stored (a retry is a safe no-op for them).
   */
  upsert(messages: readonly ChatMessage[], options: MergeOptions = {}): Promise<ChatMessage[]> {
    if (this.closing) return Promise.reject(new Error('message store is closed'));
    const batch: ChatMessage[] = [];
    for (const [i, m] of messages.entries()) {
      const problem = chatMessageProblem(m);
      if (problem !== undefined) return Promise.reject(new TypeError(`upsert: message ${i} is invalid: ${problem}`));
      // Copied now: the caller may reuse its objects while this waits in the queue.
      batch.push(withoutUndefined(m));
    }
    if (batch.length === 0) return Promise.resolve([]);
    return this.queue.run(() => this.applyBatch(batch, options));
  }

  get(key: string): ChatMessage | undefined {
    return this.index.slotForKey(key)?.msg;
  }

  findByVenueMessageId(accountId: string, conversationId: string, venueMessageId: string): ChatMessage | undefined {
    return this.index.slotForId('venue', accountId, conversationId, venueMessageId)?.msg;
  }

  findByClientMessageId(accountId: string, conversationId: string, clientMessageId: string): ChatMessage | undefined {
    return this.index.slotForId('client', accountId, conversationId, clientMessageId)?.msg;
  }

  latest(accountId: string, conversationId: string): ChatMessage | undefined {
    return this.index.conversation(accountId, conversationId)?.timeline.latest()?.msg;
  }

  /** The newest message the venue itself delivered or acknowledged (it has a venue id); gaps and unsent drafts don't count. */
  latestFromVenue(accountId: string, conversationId: string): ChatMessage | undefined {
    const entries = this.index.conversation(accountId, conversationId)?.timeline.entries() ?? [];
    for (let i = entries.length - 1; i >= 0; i--) {
      const msg = entries[i]!.msg;
      if (msg.venueMessageId !== undefined && msg.kind !== 'gap') return msg;
    }
    return undefined;
  }

  /** Messages ordered by (time, insertion order); `before` pages backwards from the newest. */
  page(accountId: string, conversationId: string, request: PageRequest): MessagePage {
    if (!Number.isInteger(request.limit) || request.limit < 1) throw new RangeError(`page limit must be a positive integer, got ${request.limit}`);
    let before;
    if (request.before !== undefined) {
      before = decodePageCursor(request.before);
      if (!before) throw new RangeError('page cursor is not one this store issued');
    }
    const timeline = this.index.conversation(accountId, conversationId)?.timeline;
    if (!timeline) return { messages: [] };
    const page = timeline.page(before, request.limit);
    const messages = page.entries.map((slot) => slot.msg);
    return page.next ? { messages, before: encodePageCursor(page.next) } : { messages };
  }

  accountIds(): string[] {
    return this.index.accountIds().filter((id) => this.index.count(id) > 0);
  }

  conversationIds(accountId: string): string[] {
    return this.index.conversationIds(accountId);
  }

  count(accountId?: string, conversationId?: string): number {
    return this.index.count(accountId, conversationId);
  }

  /** Incoming messages newer than `sinceTime` (UTC ms, exclusive). */
  unreadSince(accountId: string, conversationId: string, sinceTime: number): number {
    const timeline = this.index.conversation(accountId, conversationId)?.timeline;
    return timeline ? timeline.countAfter(sinceTime, (slot) => slot.msg.direction === 'in') : 0;
  }

  /** Deletes the account's log and forgets its messages. Queued upserts run first. */
  removeAccount(accountId: string): Promise<void> {
    if (this.closing) return Promise.reject(new Error('message store is closed'));
    return this.queue.run(async () => {
      const entry = this.logs.get(accountId);
      this.logs.delete(accountId);
      this.index.removeAccount(accountId);
      await entry?.log.close();
      const file = path.join(this.dir, accountLogFileName(accountId));
      await removeFileIfExists(`${file}.tmp`);
      await removeFileIfExists(file);
      await syncDirectory(this.dir);
    });
  }

  /**
   * Rewrites each log holding more than twice its live records (superseded updates). The snapshot
   * is taken between upserts; the rewrite itself runs beside later upserts, whose appends are
   * carried into the new file. Resolves with the number of logs compacted; failures are logged
   * and leave the old log in use.
   */
  async compactIfNeeded(): Promise<number> {
    if (this.closing) return 0;
    const started = await this.queue.run(() => {
      const rewrites: Promise<boolean>[] = [];
      for (const [accountId, { log }] of this.logs) {
        if (this.compacting.has(accountId)) continue;
        const live = this.index.liveRecordCount(accountId);
        const superseded = log.recordCount - live;
        if (log.recordCount <= 2 * live || superseded < this.compactMinSuperseded) continue;
        this.compacting.add(accountId);
        const before = log.sizeBytes;
        // rewrite() registers its capture synchronously, inside the queue, so no append falls between.
        const rewrite = log.rewrite(this.index.snapshot(accountId)).then(
          () => {
            this.logger.info(`message store: compacted ${path.basename(log.filePath)} from ${before} to ${log.sizeBytes} bytes`);
            return true;
          },
          (err: unknown) => {
            this.logger.warn(`message store: compaction of ${path.basename(log.filePath)} failed: ${describe(err)}`);
            return false;
          },
        );
        rewrites.push(rewrite.finally(() => this.compacting.delete(accountId)));
      }
      return { rewrites };
    });
    const results = await Promise.all(started.rewrites);
    return results.filter(Boolean).length;
  }

  /** Waits for queued upserts and running compactions, then closes every log. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.queue.idle();
      const logs = [...this.logs.values()];
      this.logs.clear();
      await Promise.all(logs.map(({ log }) => log.close()));
      this.mergedEmitter.dispose();
    })();
    return this.closing;
  }

  dispose(): void {
    this.close().catch((err: unknown) => this.logger.error(`message store: close failed: ${describe(err)}`));
  }

  private async applyBatch(batch: readonly ChatMessage[], options: MergeOptions): Promise<ChatMessage[]> {
    for (const accountId of new Set(batch.map((m) => m.accountId))) await this.ensureAccount(accountId);
    const plan = new UpsertPlan(this.index);
    for (const m of batch) plan.observe(m, options);
    for (const warning of plan.warnings) this.logger.warn(`message store: ${warning}`);

    const outcomes = await Promise.all(
      plan.accountIds().map(async (accountId) => {
        const records = plan.records(accountId);
        const log = this.logs.get(accountId)?.log;
        if (records.length === 0 || !log) return { accountId, ok: true as const };
        try {
          await log.append(records);
          return { accountId, ok: true as const };
        } catch (error) {
          return { accountId, ok: false as const, error };
        }
      }),
    );

    const changed: ChatMessage[] = [];
    const merged: MergedDuplicate[] = [];
    let failure: { error: unknown } | undefined;
    for (const outcome of outcomes) {
      if (!outcome.ok) {
        failure ??= { error: outcome.error };
        continue;
      }
      const result = plan.commit(outcome.accountId);
      changed.push(...result.changed);
      merged.push(...result.merged);
    }
    if (merged.length > 0) this.mergedEmitter.fire(merged);
    if (failure) throw failure.error;
    return changed;
  }

  private async ensureAccount(accountId: string): Promise<void> {
    if (this.logs.has(accountId)) return;
    const name = accountLogFileName(accountId);
    const opened = await AppendLog.open(path.join(this.dir, name), { parse: parseStoreRecord, logger: this.logger });
    await this.adopt(name, opened, accountId);
  }

  /**
   * Takes over an opened log. The account is the one whose file name matches (names are hashes, so
   * they are learned from the records); lines filed under the wrong account are skipped.
   */
  private async adopt(fileName: string, opened: OpenedAppendLog<StoreRecord>, knownAccountId: string | undefined): Promise<void> {
    const { log, records, recovery } = opened;
    this.skipped += recovery.skipped;
    if (recovery.tornTail) this.tornTails++;
    for (const problem of recovery.problems) this.problems.push(`${fileName}: ${problem}`);

    let accountId = knownAccountId;
    if (accountId === undefined) {
      for (const record of records) {
        if (isMessageRecord(record) && accountLogFileName(record.m.accountId) === fileName) {
          accountId = record.m.accountId;
          break;
        }
      }
    }
    if (accountId === undefined) {
      // Nothing in it belongs to any account: leave the file as it is for a human to look at.
      if (records.length > 0) this.problems.push(`${fileName}: no record belongs to this file; left untouched`);
      await log.close();
      return;
    }

    const own = records.filter((r) => !isMessageRecord(r) || r.m.accountId === accountId);
    const foreign = records.length - own.length;
    if (foreign > 0) {
      this.skipped += foreign;
      this.problems.push(`${fileName}: ${foreign} record(s) of another account skipped`);
    }
    for (const problem of this.index.load(accountId, own)) this.problems.push(`${fileName}: ${problem}`);
    this.logs.set(accountId, { log });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
