// The outbox (design.md §5): every outgoing message is written durably before any network call,
// survives reload and crash, resumes by itself, retries with back-off, and is never sent twice:
// after an unknown outcome it asks the venue whether the message landed before resending, and
// where the venue cannot tell it stops and asks the user (Retry) instead of guessing.
import type { Attachment, ChatMessage, MessageKind, VenueId } from '../../../shared/model';
import { pendingKey } from '../../../shared/model';
import { isVenueError, type OutboundMessage, type SendReceipt, type VenueAdapter } from '../../venues/venue';
import { AppendLog } from '../store/appendLog';
import { Backoff } from '../connection/backoff';
import { systemClock, type Clock } from '../clock';
import { Emitter, type Disposable } from '../event';
import { silentLogger, type Logger } from '../logger';
import type { MessageStore } from '../store/messageStore';

export type OutboxState = 'queued' | 'sending' | 'failed' | 'done' | 'cancelled';

export interface ComposeInput {
  readonly clientMessageId: string;
  readonly venue: VenueId;
  readonly accountId: string;
  readonly conversationId: string;
  readonly kind: MessageKind;
  readonly text: string;
  readonly attachment?: Attachment;
}

export interface OutboxEntry extends ComposeInput {
  readonly composedAt: number;
  readonly attempts: number;
  readonly state: OutboxState;
  /** A send is in flight or its outcome is unknown (set before the network call). */
  readonly inFlight?: boolean;
  readonly failure?: string;
  readonly nextAttemptAt?: number;
  readonly updatedAt: number;
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
}

const TERMINAL: ReadonlySet<OutboxState> = new Set(['done', 'cancelled']);

export class Outbox implements Disposable {
  private readonly entries = new Map<string, OutboxEntry>();
  private readonly lanes = new Map<string, { running: boolean; timer?: Disposable }>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly changed = new Emitter<ChatMessage[]>();
  private disposed = false;
  /** Messages the outbox changed in the store (the hub forwards them to views). */
  readonly onMessages = this.changed.event;

  private constructor(
    private readonly log: AppendLog<OutboxEntry>,
    private readonly deps: OutboxDeps,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
  }

  static async open(filePath: string, deps: OutboxDeps): Promise<{ outbox: Outbox; problems: string[] }> {
    const { log, records, recovery } = await AppendLog.open<OutboxEntry>(filePath, { parse: parseEntry, logger: deps.logger ?? silentLogger });
    const outbox = new Outbox(log, deps);
    for (const r of records) outbox.entries.set(r.clientMessageId, r);
    // Keep the log small: drop finished entries once they are no longer needed.
    const live = [...outbox.entries.values()].filter((e) => !TERMINAL.has(e.state));
    if (live.length < records.length / 2 && records.length > 50) await log.rewrite(live);
    return { outbox, problems: recovery.problems };
  }

  /** Durably queues a message and returns its store record; sending starts right after. */
  async enqueue(input: ComposeInput): Promise<ChatMessage> {
    const existing = this.entries.get(input.clientMessageId);
    if (existing) {
      // The same client id twice (a double click, a replayed request) is one message.
      const record = this.deps.store.findByClientMessageId(existing.accountId, existing.conversationId, existing.clientMessageId);
      if (record) return record;
    }
    const now = this.clock.now();
    const entry: OutboxEntry = { ...input, composedAt: now, attempts: 0, state: 'queued', updatedAt: now };
    await this.persist(entry);
    const [message] = await this.deps.store.upsert([toMessage(entry)]);
    const record = message ?? this.deps.store.get(pendingKey(entry.venue, entry.accountId, entry.conversationId, entry.clientMessageId));
    if (record) this.changed.fire([record]);
    this.kickLane(entry);
    if (!record) throw new Error('the outbox could not store the message');
    return record;
  }

  /** User's Retry: a failed (or stuck) message goes back in the queue, consenting to a resend. */
  async retry(clientMessageId: string): Promise<ChatMessage | undefined> {
    const entry = this.entries.get(clientMessageId);
    if (!entry || TERMINAL.has(entry.state)) return undefined;
    const next: OutboxEntry = { ...entry, state: 'queued', inFlight: false, failure: undefined, nextAttemptAt: undefined, updatedAt: this.clock.now() };
    await this.persist(next);
    await this.publish(next, { status: 'queued', failure: undefined });
    this.kickLane(next);
    return this.recordOf(next);
  }

  async cancel(clientMessageId: string): Promise<boolean> {
    const entry = this.entries.get(clientMessageId);
    if (!entry || TERMINAL.has(entry.state) || (entry.state === 'sending' && entry.inFlight)) return false;
    const next: OutboxEntry = { ...entry, state: 'cancelled', updatedAt: this.clock.now() };
    await this.persist(next);
    await this.publish(next, { status: 'failed', failure: 'Cancelled: not sent' });
    return true;
  }

  /** Venue evidence (an echo or ack) arrived for one of our messages. */
  async confirm(clientMessageId: string): Promise<void> {
    const entry = this.entries.get(clientMessageId);
    if (!entry || entry.state === 'done') return;
    await this.persist({ ...entry, state: 'done', inFlight: false, failure: undefined, updatedAt: this.clock.now() });
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
    for (const [id, entry] of this.entries) if (entry.accountId === accountId) this.entries.delete(id);
    await this.log.rewrite([...this.entries.values()]);
  }

  dispose(): void {
    this.disposed = true;
    for (const lane of this.lanes.values()) lane.timer?.dispose();
    this.lanes.clear();
    this.changed.dispose();
    void this.log.close();
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
    if (lane.running) return;
    lane.timer?.dispose();
    lane.timer = undefined;
    lane.running = true;
    void this.runLane(key, e.accountId, e.conversationId)
      .catch((err: unknown) => this.logger.error(`outbox lane failed: ${String(err)}`))
      .finally(() => {
        const l = this.lanes.get(key);
        if (l) l.running = false;
      });
  }

  private async runLane(key: string, accountId: string, conversationId: string): Promise<void> {
    while (!this.disposed) {
      const next = [...this.entries.values()]
        .filter((e) => e.accountId === accountId && e.conversationId === conversationId && (e.state === 'queued' || e.state === 'sending'))
        .sort((a, b) => a.composedAt - b.composedAt)[0];
      if (!next) return;
      const now = this.clock.now();
      if (next.nextAttemptAt !== undefined && next.nextAttemptAt > now) {
        this.schedule(key, accountId, conversationId, next.nextAttemptAt - now);
        return;
      }
      const adapter = this.deps.adapterFor(accountId);
      if (!adapter || !this.deps.isReady(accountId)) return; // kick() resumes when the account is ready
      await this.process(next, adapter);
    }
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
      if (landed === 'unknown' && !adapter.capabilities.idempotentSend) {
        await this.fail(entry, 'The venue did not confirm this message and cannot tell whether it arrived. Check the chat; Retry sends it again.');
        return;
      }
    }
    const sending: OutboxEntry = { ...entry, state: 'sending', inFlight: true, attempts: entry.attempts + 1, nextAttemptAt: undefined, updatedAt: this.clock.now() };
    await this.persist(sending); // durable before the network call
    await this.publish(sending, { status: 'sending', failure: undefined });
    let receipt: SendReceipt;
    try {
      receipt = await adapter.send(toOutbound(sending));
    } catch (err) {
      await this.onSendError(sending, err);
      return;
    }
    const current = this.entries.get(sending.clientMessageId) ?? sending;
    await this.persist({ ...current, state: 'done', inFlight: false, updatedAt: this.clock.now() });
    await this.publish(current, { status: receipt.status, venueMessageId: receipt.venueMessageId });
  }

  private async checkLanded(entry: OutboxEntry, adapter: VenueAdapter): Promise<'landed' | 'not-landed' | 'unknown'> {
    const record = this.recordOf(entry);
    if (record?.venueMessageId || record?.status === 'confirmed' || record?.status === 'delivered' || record?.status === 'read') {
      await this.persist({ ...entry, state: 'done', inFlight: false, updatedAt: this.clock.now() });
      return 'landed';
    }
    try {
      const check = await adapter.checkLanded(toOutbound(entry));
      if (check.landed === true) {
        await this.persist({ ...entry, state: 'done', inFlight: false, updatedAt: this.clock.now() });
        await this.publish(entry, { status: 'confirmed', venueMessageId: check.venueMessageId });
        return 'landed';
      }
      return check.landed === false ? 'not-landed' : 'unknown';
    } catch (err) {
      this.logger.warn(`outbox: landed check for ${entry.clientMessageId} failed: ${String(err)}`);
      return 'unknown';
    }
  }

  private async onSendError(entry: OutboxEntry, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    if (!isVenueError(err)) {
      this.logger.error(`outbox: unexpected error sending ${entry.clientMessageId}: ${message}`);
      await this.fail(entry, `Unexpected error: ${message}`);
      return;
    }
    switch (err.kind) {
      case 'unavailable':
      case 'rate-limit':
      case 'auth': {
        // Not sent: wait and try again (auth waits for the account to be fixed, via kick()).
        const backoff = new Backoff({ baseMs: 1000, maxMs: 30_000, minMs: 500 }, this.clock.random);
        let wait = 0;
        for (let i = 0; i < entry.attempts; i++) wait = backoff.next();
        wait = Math.max(wait, err.retryAfterMs ?? 0);
        const next: OutboxEntry = { ...entry, state: 'queued', inFlight: false, nextAttemptAt: this.clock.now() + wait, failure: message, updatedAt: this.clock.now() };
        await this.persist(next);
        await this.publish(next, { status: 'queued', failure: undefined });
        this.logger.info(`outbox: ${entry.clientMessageId} not sent (${message}); next try in ${wait} ms`);
        return;
      }
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

  private async fail(entry: OutboxEntry, reason: string): Promise<void> {
    const next: OutboxEntry = { ...entry, state: 'failed', inFlight: false, failure: reason, updatedAt: this.clock.now() };
    await this.persist(next);
    await this.publish(next, { status: 'failed', failure: reason });
  }

  private async persist(entry: OutboxEntry): Promise<void> {
    this.entries.set(entry.clientMessageId, entry);
    await this.log.append([entry]);
  }

  private recordOf(entry: OutboxEntry): ChatMessage | undefined {
    return this.deps.store.findByClientMessageId(entry.accountId, entry.conversationId, entry.clientMessageId);
  }

  private async publish(entry: OutboxEntry, patch: Partial<Pick<ChatMessage, 'status' | 'failure' | 'venueMessageId'>>): Promise<void> {
    const base = this.recordOf(entry) ?? toMessage(entry);
    const changed = await this.deps.store.upsert([{ ...base, ...patch }]);
    if (changed.length > 0) this.changed.fire(changed);
  }
}

function toMessage(entry: OutboxEntry): ChatMessage {
  return {
    key: pendingKey(entry.venue, entry.accountId, entry.conversationId, entry.clientMessageId),
    venue: entry.venue,
    accountId: entry.accountId,
    conversationId: entry.conversationId,
    clientMessageId: entry.clientMessageId,
    direction: 'out',
    kind: entry.kind,
    text: entry.text,
    attachments: entry.attachment ? [entry.attachment] : undefined,
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
    attachment: entry.attachment,
    attempt: Math.max(0, entry.attempts - 1),
    composedAt: entry.composedAt,
  };
}

function parseEntry(value: unknown): OutboxEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const ok =
    typeof v.clientMessageId === 'string' &&
    typeof v.venue === 'string' &&
    typeof v.accountId === 'string' &&
    typeof v.conversationId === 'string' &&
    typeof v.kind === 'string' &&
    typeof v.text === 'string' &&
    typeof v.composedAt === 'number' &&
    typeof v.attempts === 'number' &&
    typeof v.state === 'string' &&
    ['queued', 'sending', 'failed', 'done', 'cancelled'].includes(v.state);
  return ok ? (value as OutboxEntry) : undefined;
}
