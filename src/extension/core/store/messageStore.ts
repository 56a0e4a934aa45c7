// The message store (docs/architecture.md, Delivery): one crash-safe append-only log per account under
// `<dir>/messages/`, an in-memory index over all of it, de-duplication, conflict keeping and status
// merging on every upsert, group commit (upserts that queue up while a write is in flight share the
// next write and fdatasync), and background compaction. A log that cannot be opened makes only its
// own account unavailable. Plain Node: no 'vscode'.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ChatMessage } from '../../../shared/model';
import { accountLogFileName, ACCOUNT_LOG_EXTENSION } from './accountLogName';
import { AppendLog, corruptFilePath } from './appendLog';
import type { OpenedAppendLog, OpenLogFile } from './appendLog';
import { decodePageCursor, encodePageCursor } from './conversationTimeline';
import { appendFileDurably, errorCode, isTransientFsError, makeDirectoryDurably, removeFileIfExists, syncDirectory } from './durableFs';
import { Emitter } from '../event';
import type { Disposable, Event } from '../event';
import type { Logger } from '../logger';
import { MessageIndex } from './messageIndex';
import { checkForStore, type CheckedMessage } from './checkedMessage';
import type { MergeOptions } from './messageMerge';
import type { StoreRecord } from './messageStoreRecord';
import { isMessageRecord, parseStoreRecord } from './messageStoreRecord';
import { GroupCommitQueue } from './groupCommitQueue';
import type { GroupMember } from './groupCommitQueue';
import { StoreWriteError } from './storeWriteError';
import { UpsertPlan } from './upsertPlan';
import type { MergedDuplicate, PlanTouch } from './upsertPlan';

export type { MergedDuplicate } from './upsertPlan';
export type { CheckedMessage } from './checkedMessage';
export { checkForStore } from './checkedMessage';
export { StoreWriteError } from './storeWriteError';

export interface MessageStoreOptions {
  /**
   * A log is compacted only when it holds more than twice its live records AND at least this many
   * superseded lines, so small logs are not rewritten over and over. Default 1000.
   */
  readonly compactMinSuperseded?: number;
  /** Opens each account's log file; tests pass one that counts or fails calls. Default `fs.open`. */
  readonly openLogFile?: OpenLogFile;
}

/** An account log that could not be opened; its account's upserts fail until it can be. */
export interface UnavailableLog {
  /** File name under `messages/`. */
  readonly file: string;
  /** Known once an upsert for it was attempted (file names are hashes of the account id). */
  readonly accountId?: string;
  /** The fs error, e.g. `EISDIR: illegal operation on a directory`. */
  readonly reason: string;
}

export interface MessageStoreRecovery {
  /** Live messages loaded. */
  readonly messages: number;
  /** Lines skipped (unreadable, unrecognised, torn, or filed under the wrong account). */
  readonly skipped: number;
  /** Complete lines that could not be read, moved to `<log>.corrupt` files. */
  readonly corrupt: number;
  /** Logs whose last write had been torn by a crash (and was cut off). */
  readonly tornTails: number;
  /** Conflict copies stored: messages whose venue id repeated a stored one with other content. */
  readonly conflicts: number;
  /** Logs that cannot be opened right now. */
  readonly unavailable: readonly UnavailableLog[];
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

/** One caller's upsert, waiting for (or taking part in) a group commit. */
interface UpsertCall {
  readonly batch: readonly CheckedMessage[];
  readonly options: MergeOptions;
}

/** What one upsert did. */
export interface UpsertResult {
  /** The messages that changed, in their final state, each once (what `upsert` resolves with). */
  readonly changed: ChatMessage[];
  /** Keys of the changed messages that were not stored at all before (none of their keys or ids was known). */
  readonly added: ReadonlySet<string>;
}

type PendingUpsert = GroupMember<UpsertCall, UpsertResult>;

/** Upserts that queue up behind a write share the next one, up to this many messages. */
const MAX_GROUP_MESSAGES = 10_000;

export class MessageStore implements Disposable {
  private readonly index = new MessageIndex();
  private readonly logs = new Map<string, AccountLog>();
  private readonly queue = new GroupCommitQueue<UpsertCall, UpsertResult>((members) => this.applyGroup(members), MAX_GROUP_MESSAGES);
  private readonly compacting = new Set<string>();
  private readonly mergedEmitter = new Emitter<readonly MergedDuplicate[]>();
  private readonly problems: string[] = [];
  private readonly unavailable = new Map<string, UnavailableLog>();
  private skipped = 0;
  private corrupt = 0;
  private tornTails = 0;
  private closing: Promise<void> | undefined;
  private readonly compactMinSuperseded: number;
  private readonly openLogFile: OpenLogFile | undefined;

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
    this.openLogFile = options.openLogFile;
  }

  /**
   * Opens the store under `dir` (creating it) and loads every account's log. A log that cannot be
   * opened is reported in `recovery` (problems and `unavailable`) and the others load; only a
   * `messages` directory that cannot be read or created rejects.
   */
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
    const opened = await Promise.allSettled(sorted.map((name) => store.openLog(name)));
    for (const [i, o] of opened.entries()) {
      const name = sorted[i] ?? '';
      if (o.status === 'fulfilled') await store.adopt(name, o.value, undefined);
      else store.markUnavailable(name, undefined, o.reason);
    }
    // Each log already logged its own problems; `recovery` has them all for the host to show.
    return store;
  }

  get recovery(): MessageStoreRecovery {
    return {
      messages: this.index.count(),
      skipped: this.skipped,
      corrupt: this.corrupt,
      tornTails: this.tornTails,
      conflicts: this.index.conflictCount(),
      unavailable: [...this.unavailable.values()],
      problems: [...this.problems],
    };
  }

  /** Why the account's log cannot be used right now, or `undefined` when it can (or is not known to fail). */
  unavailableReason(accountId: string): string | undefined {
    return this.unavailable.get(accountLogFileName(accountId))?.reason;
  }

  /**
   * Stores `messages` (merging and de-duplicating, see messageMerge.ts) and resolves with those
   * that changed, after they are durable. Identical messages are no-ops. Calls apply in call
   * order; calls made while a write is in flight are written together, with one fdatasync per
   * account log (each still gets its own result, in the final state of the shared write).
   * An invalid message rejects the whole call before anything is written. If an account's log
   * cannot be opened or written the call rejects with a StoreWriteError and memory keeps none of
   * that account's part; parts for other accounts are stored (the error lists them as `stored`,
   * and a retry is a safe no-op for them).
   */
  upsert(messages: readonly ChatMessage[], options: MergeOptions = {}): Promise<ChatMessage[]> {
    if (this.closing) return Promise.reject(new Error('message store is closed'));
    const batch: CheckedMessage[] = [];
    for (let i = 0; i < messages.length; i++) {
      const checked = checkForStore(messages[i]!);
      if (typeof checked === 'string') return Promise.reject(new TypeError(`upsert: message ${i} is invalid: ${checked}`));
      batch.push(checked);
    }
    if (batch.length === 0) return Promise.resolve([]);
    return this.queue.submit({ batch, options }, batch.length).then((result) => result.changed);
  }

  /**
   * `upsert` for messages the caller has already passed through `checkForStore` (the inbox hub
   * checks each incoming message to report the bad ones): they are not checked again. Resolves
   * with what changed and which of those were new to the store.
   */
  upsertChecked(messages: readonly CheckedMessage[], options: MergeOptions = {}): Promise<UpsertResult> {
    if (this.closing) return Promise.reject(new Error('message store is closed'));
    if (messages.length === 0) return Promise.resolve({ changed: [], added: new Set() });
    // The list is copied (the caller may reuse it); the messages are the caller's checked copies.
    return this.queue.submit({ batch: messages.slice(), options }, messages.length);
  }

  get(key: string): ChatMessage | undefined {
    return this.index.slotForKey(key)?.msg;
  }

  /** Ids are compared in canonical form (see canonicalId.ts): `'00123'` finds `'123'`. */
  findByVenueMessageId(accountId: string, conversationId: string, venueMessageId: string): ChatMessage | undefined {
    return this.index.slotForId('venue', accountId, conversationId, venueMessageId)?.msg;
  }

  /** Ids are compared in canonical form (see canonicalId.ts). */
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

  /** Deletes the account's log (and its kept-aside damage) and forgets its messages. Queued upserts run first. */
  removeAccount(accountId: string): Promise<void> {
    if (this.closing) return Promise.reject(new Error('message store is closed'));
    return this.queue.runAlone(async () => {
      const entry = this.logs.get(accountId);
      this.logs.delete(accountId);
      this.index.removeAccount(accountId);
      await entry?.log.close();
      const name = accountLogFileName(accountId);
      const file = path.join(this.dir, name);
      await removeFileIfExists(`${file}.tmp`);
      await removeFileIfExists(corruptFilePath(file));
      await removeFileIfExists(file);
      this.unavailable.delete(name);
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
    const started = await this.queue.runAlone(() => {
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

  /**
   * One group commit: the members' batches are planned in call order, written with one append
   * (one fdatasync) per account log, applied to memory for the logs that were written, and each
   * member settled on its own. fs errors settle members; anything thrown (a bug) makes the queue
   * reject every member.
   */
  private async applyGroup(members: readonly PendingUpsert[]): Promise<void> {
    const unavailable = new Map<string, unknown>();
    for (const accountId of accountsOf(members)) {
      try {
        await this.ensureAccount(accountId);
      } catch (err) {
        unavailable.set(accountId, err);
      }
    }

    // A member whose batch cannot be planned (a key of another conversation) fails alone: the
    // plan is rebuilt without it, so its earlier messages leave no trace either.
    let live = [...members];
    let plan: UpsertPlan;
    let touches: Map<PendingUpsert, PlanTouch[]>;
    for (;;) {
      plan = new UpsertPlan(this.index);
      touches = new Map();
      const failed = this.planMembers(plan, live, unavailable, touches);
      if (!failed) break;
      failed.member.reject(failed.error);
      live = live.filter((m) => m !== failed.member);
    }
    for (const warning of plan.warnings) this.logger.warn(`message store: ${warning}`);

    const writeErrors = new Map<string, unknown>();
    await Promise.all(
      plan.accountIds().map(async (accountId) => {
        const records = plan.records(accountId);
        const log = this.logs.get(accountId)?.log;
        if (records.length === 0 || !log) return;
        try {
          await log.append(records);
        } catch (err) {
          writeErrors.set(accountId, err);
        }
      }),
    );

    const merged: MergedDuplicate[] = [];
    for (const accountId of plan.accountIds()) if (!writeErrors.has(accountId)) merged.push(...plan.commit(accountId));
    if (merged.length > 0) this.mergedEmitter.fire(merged);
    for (const [accountId, err] of writeErrors) this.logger.error(`message store: could not write ${accountLogFileName(accountId)}: ${describe(err)}`);

    for (const member of live) {
      const changed = plan.resultFor(touches.get(member) ?? []);
      const accounts = [...accountsOf([member])];
      const notOpened = accounts.filter((a) => unavailable.has(a));
      const notWritten = accounts.filter((a) => writeErrors.has(a));
      if (notOpened.length === 0 && notWritten.length === 0) member.resolve(changed);
      else if (notWritten.length === 0) member.reject(this.writeError('log-unavailable', notOpened, unavailable, changed.changed));
      else member.reject(this.writeError('write-failed', [...notWritten, ...notOpened], new Map([...unavailable, ...writeErrors]), changed.changed));
    }
  }

  /** Observes the members' messages in order; returns the first member that threw, if any. */
  private planMembers(
    plan: UpsertPlan,
    members: readonly PendingUpsert[],
    unavailable: ReadonlyMap<string, unknown>,
    touches: Map<PendingUpsert, PlanTouch[]>,
  ): { member: PendingUpsert; error: unknown } | undefined {
    for (const member of members) {
      const own: PlanTouch[] = [];
      try {
        for (const m of member.item.batch) if (!unavailable.has(m.accountId)) own.push(plan.observe(m, member.item.options));
      } catch (error) {
        return { member, error };
      }
      touches.set(member, own);
    }
    return undefined;
  }

  private writeError(failure: 'write-failed' | 'log-unavailable', accountIds: readonly string[], errors: ReadonlyMap<string, unknown>, stored: readonly ChatMessage[]): StoreWriteError {
    const first = errors.get(accountIds[0] ?? '');
    const retryable = accountIds.every((a) => isTransientFsError(errors.get(a)));
    return new StoreWriteError(failure, accountIds, retryable, stored, describe(first), first);
  }

  private openLog(fileName: string): Promise<OpenedAppendLog<StoreRecord>> {
    return AppendLog.open(path.join(this.dir, fileName), {
      parse: parseStoreRecord,
      logger: this.logger,
      ...(this.openLogFile ? { openFile: this.openLogFile } : {}),
    });
  }

  /** Opens the account's log if it is not open; a failure marks it unavailable (retried next time). */
  private async ensureAccount(accountId: string): Promise<void> {
    if (this.logs.has(accountId)) return;
    const name = accountLogFileName(accountId);
    let opened: OpenedAppendLog<StoreRecord>;
    try {
      opened = await this.openLog(name);
    } catch (err) {
      this.markUnavailable(name, accountId, err);
      throw err;
    }
    if (this.unavailable.delete(name)) this.logger.info(`message store: ${name} can be opened again`);
    await this.adopt(name, opened, accountId);
  }

  private markUnavailable(fileName: string, accountId: string | undefined, err: unknown): void {
    const known = this.unavailable.get(fileName);
    const reason = describe(err);
    const id = accountId ?? known?.accountId;
    this.unavailable.set(fileName, id === undefined ? { file: fileName, reason } : { file: fileName, accountId: id, reason });
    if (known?.reason === reason) return;
    const problem = `${fileName}: cannot be opened (${errorCode(err) ?? reason}); its account is unavailable, the others work`;
    this.problems.push(problem);
    this.logger.error(`message store: ${problem}`);
  }

  /**
   * Takes over an opened log. The account is the one whose file name matches (names are hashes, so
   * they are learned from the records); lines filed under the wrong account are skipped.
   */
  private async adopt(fileName: string, opened: OpenedAppendLog<StoreRecord>, knownAccountId: string | undefined): Promise<void> {
    const { log, records, recovery } = opened;
    this.skipped += recovery.skipped;
    this.corrupt += recovery.corrupt;
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

    const isOwn = (r: StoreRecord): boolean => !isMessageRecord(r) || r.m.accountId === accountId;
    const own = records.filter(isOwn);
    const foreign = records.filter((r) => !isOwn(r));
    if (foreign.length > 0) {
      this.skipped += foreign.length;
      try {
        // Kept aside like damage and then dropped from the log, so no compaction loses them unseen.
        await appendFileDurably(corruptFilePath(log.filePath), Buffer.from(foreign.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8'));
        await log.rewrite(own);
        this.corrupt += foreign.length;
        this.problems.push(`${fileName}: ${foreign.length} record(s) of another account kept aside in ${fileName}.corrupt`);
      } catch (err) {
        this.problems.push(`${fileName}: ${foreign.length} record(s) of another account skipped (could not keep them aside: ${describe(err)})`);
      }
    }
    for (const problem of this.index.load(accountId, own)) this.problems.push(`${fileName}: ${problem}`);
    this.logs.set(accountId, { log });
  }
}

/** The accounts the members' messages belong to, in first-seen order. */
function accountsOf(members: readonly PendingUpsert[]): Set<string> {
  const accounts = new Set<string>();
  for (const member of members) for (const m of member.item.batch) accounts.add(m.accountId);
  return accounts;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
