// The outbox (docs/architecture.md, Delivery): every outgoing message is written durably before any
// network call, survives reload and crash, resumes by itself, retries with back-off, and is never
// sent twice: after an unknown outcome it asks the venue whether the message landed before
// resending, and where the venue cannot tell it stops and asks the user (Retry) instead of
// guessing.
//
// An entry moves queued → (uploading →) sending → sent → done, or to failed / cancelled:
// - uploading: a file goes through the venue's upload API first; the uploaded reference is
//   written before the message is sent, so a reload never uploads or sends it twice;
// - sent: the venue accepted it; it is finished only on venue evidence (echo, ack) or a landed
//   check, and a venue-reported failure reopens it for Retry.
import * as path from 'node:path';
import type { Attachment, ChatMessage } from '../../../shared/model';
import { pendingKey } from '../../../shared/model';
import { isVenueError, VenueError, type OutboundMessage, type SendReceipt, type VenueAdapter } from '../../venues/venue';
import { AppendLog } from '../store/appendLog';
import { Backoff } from '../connection/backoff';
import { systemClock, type Clock } from '../clock';
import { Emitter, type Disposable } from '../event';
import { silentLogger, type Logger } from '../logger';
import type { MergeOptions } from '../store/messageMerge';
import type { MessageStore } from '../store/messageStore';
import { OutboxFiles } from './outboxFiles';
import { parseOutboxEntry, type ComposeInput, type OutboxEntry, type OutboxState } from './outboxEntry';
import * as l10n from '@vscode/l10n';

export type { ComposeInput, OutboxEntry, OutboxState } from './outboxEntry';

export interface UploadProgressEvent {
  readonly accountId: string;
  readonly conversationId: string;
  readonly clientMessageId: string;
  readonly sent: number;
  readonly total: number;
}

export interface OutboxDeps {
  readonly store: MessageStore;
  /** The adapter for an account, if it is running and ready to send. */
  readonly adapterFor: (accountId: string) => VenueAdapter | undefined;
  readonly isReady: (accountId: string) => boolean;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** How long to wait for venue evidence (an echo) after an unanswered send before checking. */
  readonly evidenceWaitMs?: number;
  /** How long a `sent` message waits for venue evidence before the outbox reads the chat back. */
  readonly confirmWaitMs?: number;
}

const TERMINAL: ReadonlySet<OutboxState> = new Set(['done', 'cancelled']);
/** Venue errors that pass with time: a send or a landed check failing so is tried again, not given up. */
const PASSING_ERRORS: ReadonlySet<VenueError['kind']> = new Set(['unavailable', 'rate-limit', 'auth', 'unknown-outcome']);
/** Back-off of the startup check while it fails (doubling from the first to the last). */
const STARTUP_RETRY_BASE_MS = 1_000;
const STARTUP_RETRY_MAX_MS = 30_000;
/** A lane stopped by a failed write (a full disk) runs again after this. */
const LANE_RETRY_MS = 5_000;

/** The startup check failed (`error`, on every attempt) or, after failing, worked (`resolved`). */
export interface OutboxStartupTrouble {
  readonly resolved: boolean;
  readonly attempt: number;
  readonly error?: string;
}
const CONFIRMED_STATUSES: ReadonlySet<string> = new Set(['confirmed', 'delivered', 'read']);

export class Outbox implements Disposable {
  private readonly entries = new Map<string, OutboxEntry>();
  /** `again`: a kick arrived while the lane was running (it may have been about to stop); run once more. */
  private readonly lanes = new Map<string, { running: boolean; again?: boolean; timer?: Disposable }>();
  private readonly evidenceTimers = new Map<string, Disposable>();
  private readonly uploads = new Map<string, AbortController>();
  /** Messages whose adapter.send() is running now (it may be about to write, even if not yet in flight). */
  private readonly sendsRunning = new Set<string>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly changed = new Emitter<ChatMessage[]>();
  private readonly progress = new Emitter<UploadProgressEvent>();
  private readonly startupTrouble = new Emitter<OutboxStartupTrouble>();
  /** The wait before the startup check is tried again, while it fails. */
  private startupRetry: Disposable | undefined;
  private disposed = false;
  /** The check of the last session's entries (see open); set by open before anything can use the outbox. */
  private startup: Promise<void> = Promise.resolve();
  /** Messages the outbox changed in the store (the hub forwards them to views). */
  readonly onMessages = this.changed.event;
  /** Bytes uploaded so far for a message with a file. */
  readonly onUploadProgress = this.progress.event;
  /** The check of the last session's messages failed and is tried again, or works again. */
  readonly onStartupTrouble = this.startupTrouble.event;

  private constructor(
    private readonly log: AppendLog<OutboxEntry>,
    private readonly files: OutboxFiles,
    private readonly deps: OutboxDeps,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
  }

  /**
   * Reads the outbox log and returns at once (`problems`: what reading it repaired). Checking the
   * entries kept from the last session against the store loads their conversations, which takes
   * time with long histories, so it runs in the background (`whenReady`); until it is done nothing
   * is sent and every change to the outbox waits, so a message the store knows was sent is never
   * sent again.
   */
  static async open(filePath: string, deps: OutboxDeps): Promise<{ outbox: Outbox; problems: string[] }> {
    const { log, records, recovery } = await AppendLog.open<OutboxEntry>(filePath, { parse: parseOutboxEntry, logger: deps.logger ?? silentLogger });
    const files = new OutboxFiles(path.join(path.dirname(filePath), `${path.basename(filePath)}.files`));
    const outbox = new Outbox(log, files, deps);
    for (const r of records) outbox.entries.set(r.clientMessageId, r);
    outbox.startup = outbox.startUp(records.length);
    // Each waiter handles the failure; this keeps it from also surfacing as an unhandled rejection.
    outbox.startup.catch(() => undefined);
    return { outbox, problems: [...recovery.problems] };
  }

  /**
   * Settles once the entries kept from the last session agree with the store (problems found are
   * logged). Rejects if that check failed: nothing is sent then, the log says why.
   */
  whenReady(): Promise<void> {
    return this.startup;
  }

  /**
   * The check of the last session's entries, tried again with back-off until it works: what makes
   * it fail (a full disk, a log that cannot be read yet) passes, and giving up would leave every
   * message the user queues from then on unsent until a restart. Nothing is sent meanwhile.
   */
  private async startUp(recordCount: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        for (const problem of await this.reconcile()) this.logger.warn(problem);
        // Keep the log small: drop finished entries once they are no longer needed.
        const live = [...this.entries.values()].filter((e) => !TERMINAL.has(e.state));
        if (live.length < recordCount / 2 && recordCount > 50) await this.log.rewrite(live);
        await this.files.prune(new Set(live.filter((e) => e.upload).map((e) => e.clientMessageId)));
        for (const e of live) if (e.state === 'sent') this.scheduleEvidenceCheck(e);
        if (attempt > 1) {
          this.logger.info(`outbox: the last session's messages are checked (attempt ${attempt}); sending resumes`);
          this.startupTrouble.fire({ resolved: true, attempt });
        }
        return;
      } catch (err) {
        if (this.disposed) throw err;
        const error = err instanceof Error ? err.message : String(err);
        const waitMs = Math.min(STARTUP_RETRY_MAX_MS, STARTUP_RETRY_BASE_MS * 2 ** Math.min(attempt - 1, 10));
        this.logger.error(`outbox: could not check the last session's messages against the store (${error}); nothing is sent until it can; trying again in ${waitMs} ms`);
        this.startupTrouble.fire({ resolved: false, attempt, error });
        await new Promise<void>((resolve) => {
          const timer = this.clock.setTimeout(resolve, waitMs);
          // Closing the outbox ends the wait (and so the check).
          this.startupRetry = { dispose: () => (timer.dispose(), resolve()) };
        });
        this.startupRetry = undefined;
        if (this.disposed) throw new Error('the outbox was closed before it could check the last session\'s messages');
      }
    }
  }



  /** Durably queues a message and returns its store record; sending starts right after. */
  async enqueue(input: ComposeInput): Promise<ChatMessage> {
    await this.startup;
    const existing = this.entries.get(input.clientMessageId);
    // The same client id twice (a double click, a replayed request) is one message, whatever became
    // of it: queued again under a new compose time, one already under way would go twice.
    if (existing) return this.recordOf(existing) ?? (await this.storeCopy({ ...toMessage(existing), status: statusForState(existing) }));
    const now = this.clock.now();
    const { file, ...rest } = input;
    const upload = file ? { source: { ...file, path: await this.files.keep(input.clientMessageId, file.path) } } : undefined;
    const entry: OutboxEntry = { ...rest, upload, composedAt: now, attempts: 0, state: 'queued', updatedAt: now };
    try {
      await this.persist(entry);
    } catch (err) {
      // Not queued (a full disk): the caller is told so, and persist() left nothing of it to send.
      if (upload) await this.files.release(entry.clientMessageId).catch(() => undefined);
      throw err;
    }
    const record = await this.storeCopy(toMessage(entry));
    this.kickLane(entry);
    return record;
  }

  /**
   * Stores the copy of a queued message the timeline shows. Its outbox line is written already, so
   * the message is queued whatever happens here: the lane sends it and a restart resumes it. A store
   * that cannot take the copy now (a full disk) takes it with the next change of its status; saying
   * "not queued" instead would have the user send it again, and it would go twice.
   */
  private async storeCopy(message: ChatMessage): Promise<ChatMessage> {
    let record: ChatMessage | undefined;
    try {
      const [changed] = await this.deps.store.upsert([message]);
      record = changed ?? this.deps.store.get(pendingKey(message.venue, message.accountId, message.conversationId, message.clientMessageId!));
    } catch (err) {
      this.logger.warn(`outbox: message ${message.clientMessageId} is queued, but its copy in the message store could not be written yet: ${err instanceof Error ? err.message : String(err)}`);
    }
    const shown = record ?? message;
    this.changed.fire([shown]);
    return shown;
  }

  /** User's Retry: a failed (or stuck) message goes back in the queue, consenting to a resend. */
  async retry(clientMessageId: string): Promise<ChatMessage | undefined> {
    await this.startup;
    const entry = this.entries.get(clientMessageId);
    if (!entry || TERMINAL.has(entry.state) || entry.state === 'sent') return undefined;
    const next: OutboxEntry = { ...entry, state: 'queued', inFlight: false, failure: undefined, nextAttemptAt: undefined, updatedAt: this.clock.now() };
    await this.persist(next);
    await this.publish(next, { status: 'queued', failure: undefined });
    this.kickLane(next);
    return this.recordOf(next);
  }

  /** Cancels a message not yet handed to the venue (an upload in progress is aborted). */
  async cancel(clientMessageId: string): Promise<boolean> {
    await this.startup;
    const entry = this.entries.get(clientMessageId);
    if (!entry || TERMINAL.has(entry.state) || entry.state === 'sent' || (entry.state === 'sending' && (entry.inFlight || this.sendsRunning.has(clientMessageId)))) return false;
    this.uploads.get(clientMessageId)?.abort();
    const next: OutboxEntry = { ...entry, state: 'cancelled', updatedAt: this.clock.now() };
    await this.persist(next);
    await this.publish(next, { status: 'failed', failure: l10n.t('Cancelled: not sent') });
    await this.files.release(clientMessageId);
    return true;
  }

  /** Venue evidence (an echo or ack) arrived for one of our messages. */
  async confirm(clientMessageId: string): Promise<void> {
    await this.startup;
    const entry = this.entries.get(clientMessageId);
    if (!entry || entry.state === 'done' || entry.state === 'cancelled') return;
    await this.finish(entry);
  }

  /** The venue reported that a message it had accepted failed: it shows failed and Retry sends it again. */
  async reopen(clientMessageId: string, failure: string): Promise<void> {
    await this.startup;
    const entry = this.entries.get(clientMessageId);
    if (!entry || entry.state === 'cancelled') return;
    this.clearEvidenceTimer(clientMessageId);
    const next: OutboxEntry = { ...entry, state: 'failed', inFlight: false, failure, updatedAt: this.clock.now() };
    await this.persist(next);
    // The venue's word overrides an earlier confirmation, so the status is set, not merged.
    await this.publish(next, { status: 'failed', failure }, { overrideStatus: true });
  }

  /** An account became ready: resume its lanes. */
  kick(accountId?: string): void {
    for (const entry of this.entries.values()) {
      if ((accountId === undefined || entry.accountId === accountId) && (entry.state === 'queued' || entry.state === 'sending')) this.kickLane(entry);
    }
  }

  get(clientMessageId: string): OutboxEntry | undefined {
    return this.entries.get(clientMessageId);
  }

  pending(accountId?: string): OutboxEntry[] {
    return [...this.entries.values()].filter((e) => (accountId === undefined || e.accountId === accountId) && !TERMINAL.has(e.state));
  }

  async removeAccount(accountId: string): Promise<void> {
    await this.startup;
    for (const [id, entry] of this.entries) {
      if (entry.accountId !== accountId) continue;
      this.entries.delete(id);
      this.uploads.get(id)?.abort();
      this.clearEvidenceTimer(id);
      await this.files.release(id);
    }
    await this.log.rewrite([...this.entries.values()]);
  }

  dispose(): void {
    this.disposed = true;
    this.startupRetry?.dispose();
    for (const lane of this.lanes.values()) lane.timer?.dispose();
    this.lanes.clear();
    for (const t of this.evidenceTimers.values()) t.dispose();
    this.evidenceTimers.clear();
    for (const u of this.uploads.values()) u.abort();
    this.changed.dispose();
    this.progress.dispose();
    this.startupTrouble.dispose();
    void this.log.close();
  }

  // ---- crash recovery -------------------------------------------------------------------------

  /**
   * After a crash the outbox log and the store can disagree (one was written, the other not, or a
   * garbled tail lost the newest outbox lines). The store's evidence that a message left wins, so
   * nothing is sent twice; otherwise the outbox's state is written back to the store.
   */
  private async reconcile(): Promise<string[]> {
    const problems: string[] = [];
    // The conversations of the entries kept (the last session's sends) are loaded together,
    // without blocking; the lookups below then read memory. A failure shows in the upserts.
    const conversations = new Map<string, OutboxEntry>();
    for (const e of this.entries.values()) conversations.set(`${e.accountId}\u0000${e.conversationId}`, e);
    await Promise.all([...conversations.values()].map((e) => this.deps.store.load(e.accountId, e.conversationId).catch(() => undefined)));
    for (const entry of [...this.entries.values()]) {
      const record = this.recordOf(entry);
      if (!record) {
        if (!TERMINAL.has(entry.state)) {
          problems.push(`outbox: message ${entry.clientMessageId} was missing from the store; restored`);
          await this.deps.store.upsert([{ ...toMessage(entry), status: statusForState(entry), failure: entry.state === 'failed' ? entry.failure : undefined }]);
        }
        continue;
      }
      const leftTheClient = record.venueMessageId !== undefined || record.status === 'sent' || CONFIRMED_STATUSES.has(record.status ?? '');
      if ((entry.state === 'queued' || entry.state === 'sending') && leftTheClient) {
        // The store knows it was sent; the outbox line saying so was lost. Never send again.
        problems.push(`outbox: message ${entry.clientMessageId} was already sent; not sending it again`);
        const next: OutboxEntry = { ...entry, state: CONFIRMED_STATUSES.has(record.status ?? '') ? 'done' : 'sent', inFlight: false, sentAt: entry.sentAt ?? entry.updatedAt, updatedAt: this.clock.now() };
        await this.persist(next);
        continue;
      }
      const want = statusForState(entry);
      // A finished entry leaves later venue evidence alone, and a venue-reported failure stands.
      const settled = entry.state === 'done' && (CONFIRMED_STATUSES.has(record.status ?? '') || record.status === 'failed');
      if (want !== record.status && !settled) {
        await this.deps.store.upsert([{ ...record, status: want, failure: want === 'failed' ? (entry.failure ?? 'Cancelled: not sent') : undefined }]);
      }
    }
    return problems;
  }

  // ---- lanes: one per conversation, strictly in compose order ---------------------------------

  private laneKey(e: { accountId: string; conversationId: string }): string {
    return `${e.accountId}\u0000${e.conversationId}`;
  }

  private kickLane(e: { accountId: string; conversationId: string }): void {
    if (this.disposed) return;
    const key = this.laneKey(e);
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { running: false };
      this.lanes.set(key, lane);
    }
    if (lane.running) {
      lane.again = true;
      return;
    }
    lane.timer?.dispose();
    lane.timer = undefined;
    lane.running = true;
    lane.again = false;
    void this.runLane(key, e.accountId, e.conversationId)
      .catch((err: unknown) => {
        // A write that failed (a full disk): the lane goes on by itself once it may have passed,
        // rather than waiting for the next message or reconnect to kick it.
        this.logger.error(`outbox lane failed, trying again in ${LANE_RETRY_MS / 1000} s: ${String(err)}`);
        this.schedule(key, e.accountId, e.conversationId, LANE_RETRY_MS);
      })
      .finally(() => {
        const l = this.lanes.get(key);
        if (!l) return;
        l.running = false;
        // Without this, an account that became ready just as its lane gave up would wait for the next kick.
        if (l.again) this.kickLane(e);
      });
  }

  private async runLane(key: string, accountId: string, conversationId: string): Promise<void> {
    // Nothing leaves before the last session's entries are checked (a failed check is logged).
    if (!(await this.startup.then(() => true, () => false))) return;
    while (!this.disposed) {
      const lane = this.laneEntries(accountId, conversationId);
      const next = lane[0];
      if (!next) return;
      const now = this.clock.now();
      if (next.nextAttemptAt !== undefined && next.nextAttemptAt > now) {
        this.schedule(key, accountId, conversationId, next.nextAttemptAt - now);
        return;
      }
      const adapter = this.deps.adapterFor(accountId);
      if (!adapter || !this.deps.isReady(accountId)) return; // kick() resumes when the account is ready
      const batch = adapter.sendBatch ? this.batchFrom(lane, adapter.capabilities.maxBatch ?? 1, now) : [];
      if (batch.length > 1) await this.processBatch(batch, adapter);
      else await this.process(next, adapter);
    }
  }

  /** A conversation's unfinished messages, in compose order. */
  private laneEntries(accountId: string, conversationId: string): OutboxEntry[] {
    return [...this.entries.values()]
      .filter((e) => e.accountId === accountId && e.conversationId === conversationId && (e.state === 'queued' || e.state === 'sending'))
      .sort((a, b) => a.composedAt - b.composedAt);
  }

  /**
   * The lane's head, and the messages right behind it, that can go in one venue call: fresh sends
   * only (nothing in flight to check first, no upload to make, no back-off to wait out).
   */
  private batchFrom(lane: readonly OutboxEntry[], max: number, now: number): OutboxEntry[] {
    const batch: OutboxEntry[] = [];
    for (const e of lane) {
      const ready = e.state === 'queued' && !e.inFlight && (!e.upload || e.upload.attachment !== undefined) && (e.nextAttemptAt === undefined || e.nextAttemptAt <= now);
      if (!ready || batch.length >= max) break;
      batch.push(e);
    }
    return batch;
  }

  /** Several fresh sends of one lane in one venue call (in compose order); each is then settled as `process` settles one. */
  private async processBatch(entries: readonly OutboxEntry[], adapter: VenueAdapter): Promise<void> {
    const now = this.clock.now();
    const sending = entries.map((e): OutboxEntry => ({ ...e, state: 'sending', inFlight: true, attempts: e.attempts + 1, nextAttemptAt: undefined, updatedAt: now }));
    for (const e of sending) this.entries.set(e.clientMessageId, e);
    await this.log.append(sending); // durable before the network call, in one write
    for (const e of sending) await this.publish(e, { status: 'sending', failure: undefined });
    let receipts: readonly SendReceipt[];
    try {
      receipts = await adapter.sendBatch!(sending.map(toOutbound));
      if (receipts.length !== sending.length) throw new VenueError('unknown-outcome', l10n.t('the venue answered {0} of {1} messages', receipts.length, sending.length));
    } catch (err) {
      if (isVenueError(err) && err.kind === 'rejected') {
        // The venue refused the batch as a whole (one bad message does that): nothing of it was
        // sent, so each goes again on its own, in order, and only the bad one fails.
        this.logger.warn(`outbox: a batch of ${sending.length} was refused (${err.message}); sending them one by one`);
        for (const e of sending) {
          const single: OutboxEntry = { ...e, state: 'queued', inFlight: false, updatedAt: this.clock.now() };
          await this.persist(single);
          await this.process(single, adapter);
        }
        return;
      }
      for (const e of sending) await this.onSendError(e, err);
      return;
    }
    for (const [i, e] of sending.entries()) await this.settle(e, receipts[i]!);
  }

  private schedule(key: string, accountId: string, conversationId: string, ms: number): void {
    const lane = this.lanes.get(key);
    if (!lane) return;
    lane.timer?.dispose();
    lane.timer = this.clock.setTimeout(() => this.kickLane({ accountId, conversationId }), ms);
  }

  private async process(entry: OutboxEntry, adapter: VenueAdapter): Promise<void> {
    if (entry.state === 'sending' && entry.inFlight) {
      // A previous attempt may have reached the venue (crash, reload, timeout): never resend blindly.
      const landed = await this.checkLanded(entry, adapter);
      if (landed === 'landed') return;
      if (typeof landed === 'object') {
        // The venue could not be asked (down, rate-limited): ask again later, never guess.
        await this.checkLater(entry, landed.couldNotAsk);
        return;
      }
      if (landed === 'unknown' && !adapter.capabilities.idempotentSend) {
        await this.fail(entry, l10n.t('The venue did not confirm this message and cannot tell whether it arrived. Check the chat; Retry sends it again.'));
        return;
      }
    }
    let current = entry;
    if (current.upload && !current.upload.attachment) {
      const uploaded = await this.upload(current, adapter);
      if (!uploaded) return;
      current = uploaded;
    }
    // In flight (maybe at the venue, so checked before any resend) from the moment it can leave:
    // at once, or where the adapter says so (it may first wait for a connection; a quit meanwhile
    // leaves the message queued, see Capabilities.announcesWire).
    const announced = adapter.capabilities.announcesWire === true;
    const sending: OutboxEntry = { ...current, state: 'sending', inFlight: !announced, attempts: current.attempts + 1, nextAttemptAt: undefined, landedChecks: undefined, updatedAt: this.clock.now() };
    await this.persist(sending); // durable before the network call
    await this.publish(sending, { status: 'sending', failure: undefined });
    let receipt: SendReceipt;
    this.sendsRunning.add(sending.clientMessageId);
    try {
      receipt = await adapter.send(toOutbound(sending), announced ? { beforeWire: () => this.markInFlight(sending.clientMessageId) } : undefined);
    } catch (err) {
      await this.onSendError(sending, err);
      return;
    } finally {
      this.sendsRunning.delete(sending.clientMessageId);
    }
    await this.settle(sending, receipt);
  }

  /** The adapter is about to write the message: from now on it may be at the venue. Durable before it returns. */
  private async markInFlight(clientMessageId: string): Promise<void> {
    const latest = this.entries.get(clientMessageId);
    if (!latest || latest.state !== 'sending' || latest.inFlight) return;
    await this.persist({ ...latest, inFlight: true, updatedAt: this.clock.now() });
  }

  /** The venue's answer to a send: confirmed (done), or sent and waiting for evidence. */
  private async settle(sending: OutboxEntry, receipt: SendReceipt): Promise<void> {
    const latest = this.entries.get(sending.clientMessageId) ?? sending;
    if (latest.state === 'done' || latest.state === 'failed') return; // evidence or a venue failure overtook the reply
    if (receipt.status === 'confirmed') {
      await this.publish(latest, { status: 'confirmed', venueMessageId: receipt.venueMessageId });
      await this.finish(latest);
      return;
    }
    const sent: OutboxEntry = { ...latest, state: 'sent', inFlight: false, sentAt: this.clock.now(), venueMessageId: receipt.venueMessageId, updatedAt: this.clock.now() };
    await this.persist(sent);
    await this.publish(sent, { status: 'sent', venueMessageId: receipt.venueMessageId });
    await this.files.release(sent.clientMessageId);
    this.scheduleEvidenceCheck(sent);
  }

  /** The upload stage: the reference is durable before the message is sent. Returns the entry to send, or undefined. */
  private async upload(entry: OutboxEntry, adapter: VenueAdapter): Promise<OutboxEntry | undefined> {
    const upload = entry.upload;
    if (!upload) return entry;
    if (!adapter.capabilities.upload) {
      await this.fail(entry, l10n.t('This venue has no upload API; send the file as a link.'));
      return undefined;
    }
    const started: OutboxEntry = { ...entry, upload: { ...upload, startedAt: this.clock.now() }, updatedAt: this.clock.now() };
    await this.persist(started);
    const controller = new AbortController();
    this.uploads.set(entry.clientMessageId, controller);
    let attachment: Attachment;
    let lastReport = -Infinity;
    const report = (sent: number, total: number) => {
      // At most ten reports a second reach the views, and always the last one.
      const now = this.clock.now();
      if (sent < total && now - lastReport < 100) return;
      lastReport = now;
      this.progress.fire({ accountId: entry.accountId, conversationId: entry.conversationId, clientMessageId: entry.clientMessageId, sent, total });
    };
    try {
      attachment = await adapter.upload(upload.source, report, controller.signal);
    } catch (err) {
      if (controller.signal.aborted) return undefined; // cancelled: cancel() wrote the state
      // An upload never sends a message, so any failure here is "not sent": retry or fail.
      const kind = isVenueError(err) ? err.kind : undefined;
      if (kind === 'rejected') await this.fail(started, l10n.t('Upload refused: {0}', err instanceof Error ? err.message : String(err)));
      else await this.retryLater(started, err);
      return undefined;
    } finally {
      this.uploads.delete(entry.clientMessageId);
    }
    const latest = this.entries.get(entry.clientMessageId);
    if (!latest || latest.state !== started.state) return undefined; // cancelled meanwhile
    const uploaded: OutboxEntry = { ...started, upload: { ...upload, attachment }, updatedAt: this.clock.now() };
    await this.persist(uploaded); // the reference is durable before the send
    await this.publish(uploaded, { attachments: [attachment] });
    return uploaded;
  }

  /**
   * Whether a send whose outcome is unknown reached the venue: `unknown` when the venue cannot tell
   * (no history), `{ couldNotAsk }` when the question itself failed in a way that passes (the venue
   * down or rate-limited), which is a reason to ask again, not to give up.
   */
  private async checkLanded(entry: OutboxEntry, adapter: VenueAdapter): Promise<'landed' | 'not-landed' | 'unknown' | { couldNotAsk: VenueError }> {
    const record = this.recordOf(entry);
    if (record?.venueMessageId || CONFIRMED_STATUSES.has(record?.status ?? '')) {
      await this.finish(entry);
      return 'landed';
    }
    try {
      const check = await adapter.checkLanded(toOutbound(entry));
      if (check.landed === true) {
        await this.publish(entry, { status: 'confirmed', venueMessageId: check.venueMessageId });
        await this.finish(entry);
        return 'landed';
      }
      return check.landed === false ? 'not-landed' : 'unknown';
    } catch (err) {
      this.logger.warn(`outbox: landed check for ${entry.clientMessageId} failed: ${String(err)}`);
      return isVenueError(err) && PASSING_ERRORS.has(err.kind) ? { couldNotAsk: err } : 'unknown';
    }
  }

  /** A `sent` message with no venue evidence after a while: read the chat back. */
  private scheduleEvidenceCheck(entry: OutboxEntry): void {
    if (this.disposed) return;
    this.clearEvidenceTimer(entry.clientMessageId);
    const wait = Math.max(0, (entry.sentAt ?? entry.updatedAt) + (this.deps.confirmWaitMs ?? 30_000) - this.clock.now());
    this.evidenceTimers.set(
      entry.clientMessageId,
      this.clock.setTimeout(() => {
        this.evidenceTimers.delete(entry.clientMessageId);
        void this.checkSent(entry.clientMessageId).catch((err: unknown) => this.logger.warn(`outbox: check of ${entry.clientMessageId} failed: ${String(err)}`));
      }, wait),
    );
  }

  private async checkSent(clientMessageId: string): Promise<void> {
    const entry = this.entries.get(clientMessageId);
    if (!entry || entry.state !== 'sent') return;
    const adapter = this.deps.adapterFor(entry.accountId);
    if (!adapter || !this.deps.isReady(entry.accountId)) {
      this.scheduleEvidenceCheck({ ...entry, sentAt: this.clock.now() });
      return;
    }
    const result = await this.checkLanded(entry, adapter);
    if (typeof result === 'object') {
      // The venue could not be asked now: ask again after the usual wait.
      this.scheduleEvidenceCheck({ ...entry, sentAt: this.clock.now() });
    } else if (result === 'not-landed') {
      await this.fail(entry, l10n.t('The venue accepted this message, but it is not in the chat. Retry sends it again.'));
    } else if (result === 'unknown') {
      // The venue cannot tell (no history): it accepted the message, and that is all we can know.
      await this.persist({ ...entry, state: 'done', updatedAt: this.clock.now() });
    }
  }

  private async onSendError(entry: OutboxEntry, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    if (!isVenueError(err)) {
      this.logger.error(`outbox: unexpected error sending ${entry.clientMessageId}: ${message}`);
      await this.fail(entry, l10n.t('Unexpected error: {0}', message));
      return;
    }
    switch (err.kind) {
      case 'unavailable':
      case 'rate-limit':
      case 'auth':
        // Not sent: wait and try again (auth waits for the account to be fixed, via kick()).
        await this.retryLater(entry, err);
        return;
      case 'rejected':
        await this.fail(entry, message);
        return;
      case 'unknown-outcome': {
        // Give the venue's evidence (an echo) a moment, then check before any resend.
        const next: OutboxEntry = { ...entry, state: 'sending', inFlight: true, nextAttemptAt: this.clock.now() + (this.deps.evidenceWaitMs ?? 5000), failure: message, updatedAt: this.clock.now() };
        await this.persist(next);
        this.logger.warn(`outbox: outcome of ${entry.clientMessageId} unknown (${message}); checking before any resend`);
        return;
      }
    }
  }

  private async retryLater(entry: OutboxEntry, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    const backoff = new Backoff({ baseMs: 1000, maxMs: 30_000, minMs: 500 }, this.clock.random);
    let wait = 0;
    for (let i = 0; i < Math.max(1, entry.attempts); i++) wait = backoff.next();
    wait = Math.max(wait, isVenueError(err) ? (err.retryAfterMs ?? 0) : 0);
    const next: OutboxEntry = { ...entry, state: 'queued', inFlight: false, nextAttemptAt: this.clock.now() + wait, failure: message, updatedAt: this.clock.now() };
    await this.persist(next);
    // On a queued message `failure` is why it waits (a rate limit, a connection down): the pane says so.
    await this.publish(next, { status: 'queued', failure: message });
    this.logger.info(`outbox: ${entry.clientMessageId} not sent (${message}); next try in ${wait} ms`);
    this.kickLane(next);
  }

  /** A landed check that could not ask the venue: the entry stays in flight and is checked again after a back-off. */
  private async checkLater(entry: OutboxEntry, err: VenueError): Promise<void> {
    const checks = (entry.landedChecks ?? 0) + 1;
    const backoff = new Backoff({ baseMs: 1000, maxMs: 30_000, minMs: 500 }, this.clock.random);
    let wait = 0;
    for (let i = 0; i < checks; i++) wait = backoff.next();
    wait = Math.max(wait, err.retryAfterMs ?? 0);
    const next: OutboxEntry = { ...entry, state: 'sending', inFlight: true, landedChecks: checks, nextAttemptAt: this.clock.now() + wait, updatedAt: this.clock.now() };
    await this.persist(next);
    this.logger.info(`outbox: could not ask whether ${entry.clientMessageId} arrived (${err.message}); asking again in ${wait} ms`);
    this.kickLane(next);
  }

  private clearEvidenceTimer(clientMessageId: string): void {
    this.evidenceTimers.get(clientMessageId)?.dispose();
    this.evidenceTimers.delete(clientMessageId);
  }

  private async finish(entry: OutboxEntry): Promise<void> {
    this.clearEvidenceTimer(entry.clientMessageId);
    await this.persist({ ...entry, state: 'done', inFlight: false, failure: undefined, updatedAt: this.clock.now() });
    await this.files.release(entry.clientMessageId);
  }

  private async fail(entry: OutboxEntry, reason: string): Promise<void> {
    const next: OutboxEntry = { ...entry, state: 'failed', inFlight: false, failure: reason, updatedAt: this.clock.now() };
    await this.persist(next);
    await this.publish(next, { status: 'failed', failure: reason });
  }

  /** The entry's new state, in memory at once and durable when this returns; a failed write leaves the state as it was. */
  private async persist(entry: OutboxEntry): Promise<void> {
    const id = entry.clientMessageId;
    const before = this.entries.get(id);
    this.entries.set(id, entry);
    this.logger.debug(`outbox: ${id} ${before ? `${before.state}${before.inFlight ? ' (in flight)' : ''}` : 'new'} -> ${entry.state}${entry.inFlight ? ' (in flight)' : ''}`);
    try {
      await this.log.append([entry]);
    } catch (err) {
      // Left in memory, a state the log does not hold would be acted on: a refused compose sent
      // anyway (and doubled by the user's "send again"), a send taken for in flight that never left.
      if (this.entries.get(id) === entry) {
        if (before) this.entries.set(id, before);
        else this.entries.delete(id);
      }
      throw err;
    }
  }

  private recordOf(entry: OutboxEntry): ChatMessage | undefined {
    return this.deps.store.findByClientMessageId(entry.accountId, entry.conversationId, entry.clientMessageId);
  }

  private async publish(entry: OutboxEntry, patch: Partial<Pick<ChatMessage, 'status' | 'failure' | 'venueMessageId' | 'attachments'>>, options?: MergeOptions): Promise<void> {
    const base = this.recordOf(entry) ?? toMessage(entry);
    const changed = await this.deps.store.upsert([{ ...base, ...patch }], options);
    if (changed.length > 0) this.changed.fire(changed);
  }
}

/** The store status that matches an outbox state. */
function statusForState(entry: OutboxEntry): NonNullable<ChatMessage['status']> {
  switch (entry.state) {
    case 'queued':
      return 'queued';
    case 'sending':
      return 'sending';
    case 'sent':
    case 'done':
      return 'sent';
    case 'failed':
    case 'cancelled':
      return 'failed';
  }
}

function toMessage(entry: OutboxEntry): ChatMessage {
  const attachment = entry.upload?.attachment ?? entry.attachment ?? (entry.upload ? { kind: entry.upload.source.kind, name: entry.upload.source.name, mimeType: entry.upload.source.mimeType, size: entry.upload.source.size } : undefined);
  return {
    key: pendingKey(entry.venue, entry.accountId, entry.conversationId, entry.clientMessageId),
    venue: entry.venue,
    accountId: entry.accountId,
    conversationId: entry.conversationId,
    clientMessageId: entry.clientMessageId,
    direction: 'out',
    kind: entry.kind,
    text: entry.text,
    attachments: attachment ? [attachment] : undefined,
    payload: entry.payload,
    quote: entry.quote,
    time: entry.composedAt,
    status: 'queued',
  };
}

function toOutbound(entry: OutboxEntry): OutboundMessage {
  return {
    clientMessageId: entry.clientMessageId,
    conversationId: entry.conversationId,
    kind: entry.kind,
    text: entry.text,
    attachment: entry.upload?.attachment ?? entry.attachment,
    payload: entry.payload,
    quote: entry.quote,
    attempt: Math.max(0, entry.attempts - 1),
    composedAt: entry.composedAt,
  };
}
