// The message store (docs/architecture.md, Delivery): one crash-safe append-only log per
// conversation under `<dir>/messages/<account>/`, loaded into memory only while the conversation is
// in use (read or written) and dropped again least-recently-used first, so opening the store reads
// no history and memory follows the conversations in use. De-duplication, conflict keeping and
// status merging on every upsert against the conversation's full state; group commit (upserts that
// queue up while a write is in flight share the next write and one fdatasync per log); background
// compaction. A log that cannot be opened makes only its own conversation unavailable. Stores of the
// first layout (one log per account) are moved on open (legacyLogMigration.ts). Plain Node: no 'vscode'.
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ChatMessage } from '../../../shared/model';
import { AppendLog, corruptFilePath } from './appendLog';
import type { OpenedAppendLog, OpenLogFile } from './appendLog';
import { decodePageCursor, encodePageCursor } from './conversationTimeline';
import { appendFileDurably, errorCode, isTransientFsError, makeDirectoryDurably, syncDirectory } from './durableFs';
import { Emitter } from '../event';
import type { Disposable, Event } from '../event';
import { scanJsonLines } from './jsonLinesScan';
import { migrateLegacyLogs } from './legacyLogMigration';
import type { Logger } from '../logger';
import { MessageIndex } from './messageIndex';
import type { ConversationState } from './messageIndex';
import { checkForStore, type CheckedMessage } from './checkedMessage';
import type { MergeOptions } from './messageMerge';
import type { StoreRecord } from './messageStoreRecord';
import { NO_WATERMARK, conversationHeader, isHeaderRecord, isMessageRecord, parseStoreRecord, withWatermarks } from './messageStoreRecord';
import { readNewestPage } from './newestPageReader';
import { GroupCommitQueue } from './groupCommitQueue';
import type { GroupMember } from './groupCommitQueue';
import { StoreWriteError } from './storeWriteError';
import { accountDirName, conversationLogName, LOG_EXTENSION } from './storeFileNames';
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
  /** Opens each conversation's log file; tests pass one that counts or fails calls. Default `fs.open`. */
  readonly openLogFile?: OpenLogFile;
  /** Conversations kept in memory at most (least recently used dropped first). Default 500. */
  readonly maxResidentConversations?: number;
  /** Messages kept in memory at most, over all conversations (the ones in use stay). Default 300,000. */
  readonly maxResidentMessages?: number;
}

/** A log that could not be opened; its conversation's upserts fail until it can be. */
export interface UnavailableLog {
  /** Path under `messages/`: `<account>/<conversation>.jsonl`. */
  readonly file: string;
  readonly accountId: string;
  readonly conversationId: string;
  /** The fs error, e.g. `EISDIR: illegal operation on a directory`. */
  readonly reason: string;
}

export interface MessageStoreRecovery {
  /** Live messages in memory (the loaded conversations). */
  readonly messages: number;
  /** Lines skipped (unreadable, unrecognised, torn, or filed under the wrong conversation), in logs read so far. */
  readonly skipped: number;
  /** Complete lines that could not be read, moved to `<log>.corrupt` files. */
  readonly corrupt: number;
  /** Logs whose last write had been torn by a crash (and was cut off). */
  readonly tornTails: number;
  /** Conflict copies in memory: messages whose venue id repeated a stored one with other content. */
  readonly conflicts: number;
  /** Logs that cannot be opened right now. */
  readonly unavailable: readonly UnavailableLog[];
  /** One line per problem, prefixed with the log's path under `messages/`; never message content. */
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

/** A conversation loaded in memory; `log` is open once it was loaded for writing (or read asynchronously). */
interface Resident {
  readonly accountId: string;
  readonly conversationId: string;
  log: AppendLog<StoreRecord> | undefined;
  /** The log file has no header line yet (it was just created). */
  needsHeader: boolean;
}

/** Upserts that queue up behind a write share the next one, up to this many messages. */
const MAX_GROUP_MESSAGES = 10_000;
/** How far back the newest page of a conversation that is not loaded is looked for before loading it whole. */
const NEWEST_PAGE_MAX_BYTES = 4 << 20;
/** A header line is an account and a conversation id: far shorter than this. */
const HEADER_READ_BYTES = 16 * 1024;

export class MessageStore implements Disposable {
  private readonly index = new MessageIndex();
  /** Loaded conversations by `residentKey`, least recently used first. */
  private readonly residents = new Map<string, Resident>();
  /** Conversations being loaded asynchronously (one load each). */
  private readonly loading = new Map<string, Promise<void>>();
  /** Conversations that must not be dropped now: in the group being written, or being compacted. */
  private readonly pinned = new Map<string, number>();
  private readonly closingLogs = new Set<Promise<void>>();
  private readonly queue = new GroupCommitQueue<UpsertCall, UpsertResult>((members) => this.applyGroup(members), MAX_GROUP_MESSAGES);
  private readonly compacting = new Set<string>();
  private readonly mergedEmitter = new Emitter<readonly MergedDuplicate[]>();
  private readonly repairedEmitter = new Emitter<readonly string[]>();
  private readonly problems: string[] = [];
  private readonly unavailable = new Map<string, UnavailableLog>();
  private skipped = 0;
  private corrupt = 0;
  private tornTails = 0;
  private closing: Promise<void> | undefined;
  private readonly compactMinSuperseded: number;
  private readonly openLogFile: OpenLogFile | undefined;
  private readonly maxResidentConversations: number;
  private readonly maxResidentMessages: number;

  /**
   * Fires (before the upsert that caused it resolves) when messages already stored were found to
   * be duplicates of another message and removed: views must drop `key` and show `into`.
   */
  readonly onDidMergeDuplicates: Event<readonly MergedDuplicate[]> = this.mergedEmitter.event;
  /** Fires with the problems found when a conversation's log was repaired as it was loaded (after `open`). */
  readonly onDidRepair: Event<readonly string[]> = this.repairedEmitter.event;

  private constructor(
    private readonly dir: string,
    private readonly logger: Logger,
    options: MessageStoreOptions,
  ) {
    this.compactMinSuperseded = options.compactMinSuperseded ?? 1000;
    this.openLogFile = options.openLogFile;
    this.maxResidentConversations = Math.max(1, options.maxResidentConversations ?? 500);
    this.maxResidentMessages = Math.max(1, options.maxResidentMessages ?? 300_000);
  }

  /**
   * Opens the store under `dir` (creating it). Reads no messages: a conversation is read when it is
   * first needed. Stores of the first layout are moved to the current one first (once); what that
   * found is in `recovery`. Only a `messages` directory that cannot be read or created rejects.
   */
  static async open(dir: string, logger: Logger, options: MessageStoreOptions = {}): Promise<MessageStore> {
    const messagesDir = path.join(dir, 'messages');
    await makeDirectoryDurably(messagesDir);
    const store = new MessageStore(messagesDir, logger, options);
    const migration = await migrateLegacyLogs(messagesDir, logger, options.openLogFile);
    store.skipped += migration.skipped;
    store.corrupt += migration.corrupt;
    store.tornTails += migration.tornTails;
    store.problems.push(...migration.problems);
    return store;
  }

  get recovery(): MessageStoreRecovery {
    return {
      messages: this.index.residentMessages(),
      skipped: this.skipped,
      corrupt: this.corrupt,
      tornTails: this.tornTails,
      conflicts: this.index.conflictCount(),
      unavailable: [...this.unavailable.values()],
      problems: [...this.problems],
    };
  }

  /** Why one of the account's logs cannot be used right now, or `undefined` when none is known to fail. */
  unavailableReason(accountId: string): string | undefined {
    for (const u of this.unavailable.values()) if (u.accountId === accountId) return u.reason;
    return undefined;
  }

  /**
   * Stores `messages` (merging and de-duplicating, see messageMerge.ts) and resolves with those
   * that changed, after they are durable. Identical messages are no-ops. Calls apply in call
   * order; calls made while a write is in flight are written together, with one fdatasync per
   * conversation log (each still gets its own result, in the final state of the shared write).
   * An invalid message rejects the whole call before anything is written. If a conversation's log
   * cannot be opened or written the call rejects with a StoreWriteError and memory keeps none of
   * that conversation's part; parts for other conversations are stored (the error lists them as
   * `stored`, and a retry is a safe no-op for them).
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

  /**
   * Loads a conversation into memory ahead of use, without blocking the extension host: reads that
   * find it loaded are answered from memory. (A read of a conversation that is not loaded loads it
   * on the spot, synchronously; call this first on paths that can wait.) A log that cannot be read
   * rejects.
   */
  load(accountId: string, conversationId: string): Promise<void> {
    if (this.closing) return Promise.reject(new Error('message store is closed'));
    return this.ensureLoaded(accountId, conversationId, false);
  }

  /**
   * `page`, for a caller that can wait: the newest page of a conversation that is not loaded is read
   * from the end of its log (constant time however long the history), and the conversation is then
   * loaded in the background for the pages and writes that follow.
   */
  async readPage(accountId: string, conversationId: string, request: PageRequest): Promise<MessagePage> {
    checkLimit(request.limit);
    if (request.before === undefined && !this.index.conversation(accountId, conversationId) && !this.loading.has(residentKey(accountId, conversationId))) {
      const file = this.logPath(accountId, conversationId);
      const newest = await readNewestPage(file, accountId, conversationId, request.limit, NEWEST_PAGE_MAX_BYTES).catch(() => undefined);
      if (newest && !this.index.conversation(accountId, conversationId)) {
        if (newest.entries.length > 0) {
          this.load(accountId, conversationId).catch((err: unknown) => this.logger.warn(`message store: loading ${this.relativePath(accountId, conversationId)} failed: ${describe(err)}`));
        }
        const messages = newest.entries.map((e) => e.msg);
        const oldest = newest.entries[0];
        return newest.more && oldest ? { messages, before: encodePageCursor({ time: oldest.msg.time, seq: oldest.seq }) } : { messages };
      }
    }
    await this.load(accountId, conversationId);
    return this.page(accountId, conversationId, request);
  }

  /**
   * The message with `key` (or the one it was merged into). Keys name their conversation
   * (`venue:account:conversation:id`): a conversation that is not loaded is found from the key.
   */
  get(key: string): ChatMessage | undefined {
    const resident = this.index.slotForKey(key);
    if (resident) return resident.msg;
    for (const [accountId, conversationId] of conversationsNamedBy(key)) {
      const slot = this.loadedSync(accountId, conversationId) ? this.index.slotForKey(key) : undefined;
      if (slot) return slot.msg;
    }
    return undefined;
  }

  /** The message with `key` in a known conversation (or the one it was merged into). */
  getIn(accountId: string, conversationId: string, key: string): ChatMessage | undefined {
    const conversation = this.loadedSync(accountId, conversationId);
    const slot = conversation ? this.index.slotForKey(key) : undefined;
    return slot && slot.msg.accountId === accountId && slot.msg.conversationId === conversationId ? slot.msg : undefined;
  }

  /** Ids are compared in canonical form (see canonicalId.ts): `'00123'` finds `'123'`. */
  findByVenueMessageId(accountId: string, conversationId: string, venueMessageId: string): ChatMessage | undefined {
    if (!this.loadedSync(accountId, conversationId)) return undefined;
    return this.index.slotForId('venue', accountId, conversationId, venueMessageId)?.msg;
  }

  /** Ids are compared in canonical form (see canonicalId.ts). */
  findByClientMessageId(accountId: string, conversationId: string, clientMessageId: string): ChatMessage | undefined {
    if (!this.loadedSync(accountId, conversationId)) return undefined;
    return this.index.slotForId('client', accountId, conversationId, clientMessageId)?.msg;
  }

  latest(accountId: string, conversationId: string): ChatMessage | undefined {
    return this.loadedSync(accountId, conversationId)?.timeline.latest()?.msg;
  }

  /** The newest message the venue itself delivered or acknowledged (it has a venue id); gaps and unsent drafts don't count. */
  latestFromVenue(accountId: string, conversationId: string): ChatMessage | undefined {
    const entries = this.loadedSync(accountId, conversationId)?.timeline.entries() ?? [];
    for (let i = entries.length - 1; i >= 0; i--) {
      const msg = entries[i]!.msg;
      if (msg.venueMessageId !== undefined && msg.kind !== 'gap') return msg;
    }
    return undefined;
  }

  /** Holes a backfill marked and has not yet read back (`gap.filled` false), oldest first. */
  openHistoryHoles(accountId: string, conversationId: string): ChatMessage[] {
    const entries = this.loadedSync(accountId, conversationId)?.timeline.entries() ?? [];
    return entries.map((e) => e.msg).filter((m) => m.kind === 'gap' && m.gap?.filled === false);
  }

  /** Messages ordered by (time, insertion order); `before` pages backwards from the newest. */
  page(accountId: string, conversationId: string, request: PageRequest): MessagePage {
    checkLimit(request.limit);
    let before;
    if (request.before !== undefined) {
      before = decodePageCursor(request.before);
      if (!before) throw new RangeError('page cursor is not one this store issued');
    }
    const timeline = this.loadedSync(accountId, conversationId)?.timeline;
    if (!timeline) return { messages: [] };
    const page = timeline.page(before, request.limit);
    const messages = page.entries.map((slot) => slot.msg);
    return page.next ? { messages, before: encodePageCursor(page.next) } : { messages };
  }

  /** Accounts with a message log (read from the logs' first lines: for tools and tests, not hot paths). */
  accountIds(): string[] {
    const ids = new Set<string>();
    for (const dir of this.accountDirs()) {
      const first = this.logNames(dir)[0];
      const header = first === undefined ? undefined : this.headerOf(path.join(this.dir, dir, first));
      if (header) ids.add(header.accountId);
    }
    return [...ids];
  }

  /** Conversations of the account with a message log (read from the logs' first lines). */
  conversationIds(accountId: string): string[] {
    const dir = accountDirName(accountId);
    const ids: string[] = [];
    for (const name of this.logNames(dir)) {
      const header = this.headerOf(path.join(this.dir, dir, name));
      if (header?.accountId === accountId && (this.index.conversation(accountId, header.conversationId)?.timeline.size ?? 1) > 0) ids.push(header.conversationId);
    }
    return ids;
  }

  /**
   * Messages of one conversation (loading it if needed). Without a conversation, of every
   * conversation of the account (or of every account), which loads them all: for tools and tests.
   */
  count(accountId?: string, conversationId?: string): number {
    if (accountId === undefined) return this.accountIds().reduce((n, a) => n + this.count(a), 0);
    if (conversationId === undefined) return this.conversationIds(accountId).reduce((n, c) => n + this.count(accountId, c), 0);
    return this.loadedSync(accountId, conversationId)?.timeline.size ?? 0;
  }

  /** Incoming messages newer than `sinceTime` (UTC ms, exclusive). */
  unreadSince(accountId: string, conversationId: string, sinceTime: number): number {
    const timeline = this.loadedSync(accountId, conversationId)?.timeline;
    return timeline ? timeline.countAfter(sinceTime, (slot) => slot.msg.direction === 'in') : 0;
  }

  /** Deletes the account's logs (and their kept-aside damage) and forgets its messages. Queued upserts run first. */
  removeAccount(accountId: string): Promise<void> {
    if (this.closing) return Promise.reject(new Error('message store is closed'));
    return this.queue.runAlone(async () => {
      // Loads under way finish first, so none brings the account back after it is gone.
      await Promise.allSettled(this.loading.values());
      const logs: Promise<void>[] = [];
      for (const [key, r] of this.residents) {
        if (r.accountId !== accountId) continue;
        this.residents.delete(key);
        if (r.log) logs.push(r.log.close());
      }
      this.index.removeAccount(accountId);
      await Promise.all(logs);
      const accountDir = path.join(this.dir, accountDirName(accountId));
      await fs.rm(accountDir, { recursive: true, force: true });
      for (const [file, u] of this.unavailable) if (u.accountId === accountId) this.unavailable.delete(file);
      await syncDirectory(this.dir);
    });
  }

  /**
   * Rewrites each loaded log holding more than twice its live records (superseded updates). The
   * snapshot is taken between upserts; the rewrite itself runs beside later upserts, whose appends
   * are carried into the new file. Resolves with the number of logs compacted; failures are logged
   * and leave the old log in use.
   */
  async compactIfNeeded(): Promise<number> {
    if (this.closing) return 0;
    const started = await this.queue.runAlone(() => {
      const rewrites: Promise<boolean>[] = [];
      for (const [key, r] of this.residents) {
        const log = r.log;
        if (!log || this.compacting.has(key)) continue;
        const live = this.index.liveRecordCount(r.accountId, r.conversationId);
        // The header line is neither live nor superseded.
        const records = log.recordCount - (r.needsHeader ? 0 : 1);
        const superseded = records - live;
        if (records <= 2 * live || superseded < this.compactMinSuperseded) continue;
        this.compacting.add(key);
        this.pin(key);
        const before = log.sizeBytes;
        // rewrite() registers its capture synchronously, inside the queue, so no append falls between.
        const rewrite = log.rewrite(this.index.snapshot(r.accountId, r.conversationId)).then(
          () => {
            r.needsHeader = false;
            this.logger.info(`message store: compacted ${this.relativePath(r.accountId, r.conversationId)} from ${before} to ${log.sizeBytes} bytes`);
            return true;
          },
          (err: unknown) => {
            this.logger.warn(`message store: compaction of ${this.relativePath(r.accountId, r.conversationId)} failed: ${describe(err)}`);
            return false;
          },
        );
        rewrites.push(
          rewrite.finally(() => {
            this.compacting.delete(key);
            this.unpin(key);
          }),
        );
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
      await Promise.allSettled(this.loading.values());
      const logs = [...this.residents.values()].flatMap((r) => (r.log ? [r.log] : []));
      this.residents.clear();
      await Promise.all([...logs.map((log) => log.close()), ...this.closingLogs]);
      this.mergedEmitter.dispose();
      this.repairedEmitter.dispose();
    })();
    return this.closing;
  }

  dispose(): void {
    this.close().catch((err: unknown) => this.logger.error(`message store: close failed: ${describe(err)}`));
  }

  /**
   * One group commit: the members' conversations are loaded, their batches planned in call order,
   * written with one append (one fdatasync) per conversation log, applied to memory for the logs
   * that were written, and each member settled on its own. fs errors settle members; anything
   * thrown (a bug) makes the queue reject every member.
   */
  private async applyGroup(members: readonly PendingUpsert[]): Promise<void> {
    const touched = conversationsOf(members);
    for (const key of touched.keys()) this.pin(key);
    try {
      await this.writeGroup(members, touched);
    } finally {
      for (const key of touched.keys()) this.unpin(key);
      this.evictIfOverBudget();
    }
  }

  private async writeGroup(members: readonly PendingUpsert[], touched: ReadonlyMap<string, readonly [string, string]>): Promise<void> {
    /** Conversations whose log could not be opened, by resident key. */
    const unavailable = new Map<string, unknown>();
    await Promise.all(
      [...touched].map(async ([key, [accountId, conversationId]]) => {
        try {
          await this.ensureLoaded(accountId, conversationId, true);
        } catch (err) {
          unavailable.set(key, err);
        }
      }),
    );

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
      plan.conversations().map(async ([accountId, conversationId]) => {
        const key = residentKey(accountId, conversationId);
        const resident = this.residents.get(key);
        const records = plan.records(accountId, conversationId);
        if (records.length === 0 || !resident?.log) return;
        try {
          await resident.log.append(this.stamped(resident, records));
          resident.needsHeader = false;
        } catch (err) {
          writeErrors.set(key, err);
        }
      }),
    );

    const merged: MergedDuplicate[] = [];
    for (const [accountId, conversationId] of plan.conversations()) {
      if (!writeErrors.has(residentKey(accountId, conversationId))) merged.push(...plan.commit(accountId, conversationId));
    }
    if (merged.length > 0) this.mergedEmitter.fire(merged);
    for (const [key, err] of writeErrors) this.logger.error(`message store: could not write ${this.relativePathOfKey(key, touched)}: ${describe(err)}`);

    for (const member of live) {
      const changed = plan.resultFor(touches.get(member) ?? []);
      const own = [...conversationsOf([member]).keys()];
      const notOpened = own.filter((k) => unavailable.has(k));
      const notWritten = own.filter((k) => writeErrors.has(k));
      if (notOpened.length === 0 && notWritten.length === 0) member.resolve(changed);
      else if (notWritten.length === 0) member.reject(this.writeError('log-unavailable', notOpened, unavailable, touched, changed.changed));
      else member.reject(this.writeError('write-failed', [...notWritten, ...notOpened], new Map([...unavailable, ...writeErrors]), touched, changed.changed));
    }
  }

  /** The records with their watermarks (and the header first when the log is new). */
  private stamped(resident: Resident, records: readonly StoreRecord[]): StoreRecord[] {
    const maxTime = this.index.conversation(resident.accountId, resident.conversationId)?.maxTime ?? NO_WATERMARK;
    const lines = withWatermarks(records, maxTime);
    return resident.needsHeader ? [conversationHeader(resident.accountId, resident.conversationId), ...lines] : lines;
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
        for (const m of member.item.batch) if (!unavailable.has(residentKey(m.accountId, m.conversationId))) own.push(plan.observe(m, member.item.options));
      } catch (error) {
        return { member, error };
      }
      touches.set(member, own);
    }
    return undefined;
  }

  private writeError(
    failure: 'write-failed' | 'log-unavailable',
    keys: readonly string[],
    errors: ReadonlyMap<string, unknown>,
    touched: ReadonlyMap<string, readonly [string, string]>,
    stored: readonly ChatMessage[],
  ): StoreWriteError {
    const first = errors.get(keys[0] ?? '');
    const retryable = keys.every((k) => isTransientFsError(errors.get(k)));
    const accountIds = [...new Set(keys.map((k) => touched.get(k)?.[0] ?? ''))];
    return new StoreWriteError(failure, accountIds, retryable, stored, describe(first), first);
  }

  /**
   * Makes the conversation resident, with its log open when `forWrite` (creating it if new) or when
   * it exists. One load per conversation at a time. A log that cannot be opened is marked
   * unavailable (and retried next time) and rejects.
   */
  private ensureLoaded(accountId: string, conversationId: string, forWrite: boolean): Promise<void> {
    const key = residentKey(accountId, conversationId);
    const resident = this.residents.get(key);
    if (resident?.log && this.index.conversation(accountId, conversationId)) {
      this.touch(key, resident);
      return Promise.resolve();
    }
    const running = this.loading.get(key);
    if (running) return forWrite ? running.then(() => this.ensureLoaded(accountId, conversationId, true)) : running;
    const load = this.openConversation(accountId, conversationId, forWrite).finally(() => this.loading.delete(key));
    this.loading.set(key, load);
    return load;
  }

  private async openConversation(accountId: string, conversationId: string, forWrite: boolean): Promise<void> {
    const key = residentKey(accountId, conversationId);
    const file = this.logPath(accountId, conversationId);
    if (!forWrite && !existsSync(file)) return;
    let opened: OpenedAppendLog<StoreRecord>;
    try {
      await makeDirectoryDurably(path.dirname(file));
      opened = await AppendLog.open(file, { parse: parseStoreRecord, logger: this.logger, ...(this.openLogFile ? { openFile: this.openLogFile } : {}) });
    } catch (err) {
      this.markUnavailable(accountId, conversationId, err);
      throw err;
    }
    const relative = this.relativePath(accountId, conversationId);
    if (this.unavailable.delete(relative)) this.logger.info(`message store: ${relative} can be opened again`);
    const { log, records, recovery } = opened;
    const problems = recovery.problems.map((p) => `${relative}: ${p}`);
    this.skipped += recovery.skipped;
    this.corrupt += recovery.corrupt;
    if (recovery.tornTail) this.tornTails++;

    const own = await this.setAsideForeign(log, records, accountId, conversationId, relative, problems);
    if (this.index.conversation(accountId, conversationId)) {
      // Read synchronously meanwhile: the same records (damage and a torn tail are skipped there too).
    } else {
      for (const problem of this.index.load(accountId, conversationId, own)) problems.push(`${relative}: ${problem}`);
    }
    const existing = this.residents.get(key);
    if (existing?.log) await existing.log.close();
    const resident: Resident = { accountId, conversationId, log, needsHeader: records.length === 0 && log.sizeBytes === 0 };
    this.touch(key, resident);
    if (problems.length > 0) {
      this.problems.push(...problems);
      this.repairedEmitter.fire(problems);
    }
    this.evictIfOverBudget();
  }

  /** Records filed under another conversation are kept aside like damage and dropped from the log. */
  private async setAsideForeign(log: AppendLog<StoreRecord>, records: readonly StoreRecord[], accountId: string, conversationId: string, relative: string, problems: string[]): Promise<StoreRecord[]> {
    const isOwn = (r: StoreRecord): boolean =>
      isHeaderRecord(r) ? r.a === accountId && r.c === conversationId : !isMessageRecord(r) || (r.m.accountId === accountId && r.m.conversationId === conversationId);
    const own = records.filter(isOwn);
    const foreign = records.filter((r) => !isOwn(r));
    if (foreign.length === 0) return own;
    this.skipped += foreign.length;
    try {
      await appendFileDurably(corruptFilePath(log.filePath), Buffer.from(foreign.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8'));
      await log.rewrite(own[0] !== undefined && isHeaderRecord(own[0]) ? own : [conversationHeader(accountId, conversationId), ...own]);
      this.corrupt += foreign.length;
      problems.push(`${relative}: ${foreign.length} record(s) of another conversation kept aside in ${path.basename(log.filePath)}.corrupt`);
    } catch (err) {
      problems.push(`${relative}: ${foreign.length} record(s) of another conversation skipped (could not keep them aside: ${describe(err)})`);
    }
    return own;
  }

  /**
   * The conversation's state, loading it synchronously if it is not in memory (reads that cannot
   * wait; hot paths call `load` first). Reads only: damage and a torn tail are skipped here and
   * repaired when the log is next opened for writing. `undefined` when it has no log.
   */
  private loadedSync(accountId: string, conversationId: string): ConversationState | undefined {
    const key = residentKey(accountId, conversationId);
    const state = this.index.conversation(accountId, conversationId);
    if (state) {
      const resident = this.residents.get(key);
      if (resident) this.touch(key, resident);
      return state;
    }
    const file = this.logPath(accountId, conversationId);
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') this.markUnavailable(accountId, conversationId, err);
      return undefined;
    }
    const records = scanJsonLines(data, parseStoreRecord).records.filter((r) =>
      isHeaderRecord(r) ? r.a === accountId && r.c === conversationId : !isMessageRecord(r) || (r.m.accountId === accountId && r.m.conversationId === conversationId),
    );
    this.index.load(accountId, conversationId, records);
    this.touch(key, this.residents.get(key) ?? { accountId, conversationId, log: undefined, needsHeader: false });
    this.evictIfOverBudget(key);
    return this.index.conversation(accountId, conversationId);
  }

  /** Marks the conversation most recently used. */
  private touch(key: string, resident: Resident): void {
    this.residents.delete(key);
    this.residents.set(key, resident);
  }

  private pin(key: string): void {
    this.pinned.set(key, (this.pinned.get(key) ?? 0) + 1);
  }

  private unpin(key: string): void {
    const n = (this.pinned.get(key) ?? 1) - 1;
    if (n <= 0) this.pinned.delete(key);
    else this.pinned.set(key, n);
  }

  /** Drops least recently used conversations while memory is over budget; never a pinned one or `keep`. */
  private evictIfOverBudget(keep?: string): void {
    for (const [key, r] of this.residents) {
      if (this.residents.size <= this.maxResidentConversations && this.index.residentMessages() <= this.maxResidentMessages) return;
      if (key === keep || this.pinned.has(key) || this.loading.has(key)) continue;
      this.residents.delete(key);
      this.index.evict(r.accountId, r.conversationId);
      if (r.log) {
        const closing = r.log.close().catch((err: unknown) => this.logger.warn(`message store: closing ${this.relativePath(r.accountId, r.conversationId)} failed: ${describe(err)}`));
        this.closingLogs.add(closing);
        void closing.finally(() => this.closingLogs.delete(closing));
      }
    }
  }

  private markUnavailable(accountId: string, conversationId: string, err: unknown): void {
    const file = this.relativePath(accountId, conversationId);
    const known = this.unavailable.get(file);
    const reason = describe(err);
    this.unavailable.set(file, { file, accountId, conversationId, reason });
    if (known?.reason === reason) return;
    const problem = `${file}: cannot be opened (${errorCode(err) ?? reason}); its conversation is unavailable, the others work`;
    this.problems.push(problem);
    this.logger.error(`message store: ${problem}`);
  }

  private logPath(accountId: string, conversationId: string): string {
    return path.join(this.dir, accountDirName(accountId), conversationLogName(conversationId));
  }

  private relativePath(accountId: string, conversationId: string): string {
    return `${accountDirName(accountId)}/${conversationLogName(conversationId)}`;
  }

  private relativePathOfKey(key: string, touched: ReadonlyMap<string, readonly [string, string]>): string {
    const pair = touched.get(key);
    return pair ? this.relativePath(pair[0], pair[1]) : key;
  }

  private accountDirs(): string[] {
    try {
      return readdirSync(this.dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && !e.name.endsWith('.migrating'))
        .map((e) => e.name);
    } catch {
      return [];
    }
  }

  private logNames(accountDir: string): string[] {
    try {
      return readdirSync(path.join(this.dir, accountDir)).filter((n) => n.endsWith(LOG_EXTENSION));
    } catch {
      return [];
    }
  }

  /** The account and conversation a log's first line names (only the start of the file is read). */
  private headerOf(file: string): { accountId: string; conversationId: string } | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      const head = Buffer.alloc(HEADER_READ_BYTES);
      const read = readSync(fd, head, 0, head.length, 0);
      const end = head.subarray(0, read).indexOf(0x0a);
      if (end === -1) return undefined;
      const record = parseStoreRecord(JSON.parse(head.toString('utf8', 0, end)));
      return record && isHeaderRecord(record) ? { accountId: record.a, conversationId: record.c } : undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

function residentKey(accountId: string, conversationId: string): string {
  return `${accountId}\u0000${conversationId}`;
}

/** The conversations the members' messages belong to, by resident key, in first-seen order. */
function conversationsOf(members: readonly PendingUpsert[]): Map<string, readonly [string, string]> {
  const conversations = new Map<string, readonly [string, string]>();
  for (const member of members) {
    for (const m of member.item.batch) {
      const key = residentKey(m.accountId, m.conversationId);
      if (!conversations.has(key)) conversations.set(key, [m.accountId, m.conversationId]);
    }
  }
  return conversations;
}

/**
 * The (account, conversation) pairs a key `venue:account:conversation:id` can name: ids may
 * contain ':' themselves, so every split is a candidate (the caller checks which has a log).
 */
function conversationsNamedBy(key: string): [string, string][] {
  const parts = key.split(':');
  const pairs: [string, string][] = [];
  for (let i = 2; i < parts.length - 1; i++) {
    for (let j = i + 1; j < parts.length; j++) pairs.push([parts.slice(1, i).join(':'), parts.slice(i, j).join(':')]);
  }
  return pairs;
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`page limit must be a positive integer, got ${limit}`);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
