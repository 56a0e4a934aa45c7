// Venue events from every account, handled one at a time in arrival order so store writes never
// race. Consecutive message batches (from any account) are handed over together, so a burst of
// pushes costs one durable write per account log instead of one per message (group commit).
import type { VenueEvent } from '../../venues/venue';

export type MessagesEvent = Extract<VenueEvent, { type: 'messages' }>;

export interface QueuedEvent {
  readonly accountId: string;
  readonly event: VenueEvent;
  /** Called once the event was handled, or dropped (account removed, queue closed). */
  readonly done?: () => void;
}

export interface QueuedMessages {
  readonly accountId: string;
  readonly event: MessagesEvent;
}

export interface VenueEventHandlers {
  /** Consecutive message batches, in order; resolves when they are durable and handled. */
  messages(batches: readonly QueuedMessages[]): Promise<void>;
  other(item: QueuedEvent): Promise<void>;
  failed(err: unknown): void;
}

/** At most this many messages go into one group commit. */
const MAX_GROUP = 5000;

export class VenueEventQueue {
  private readonly items: QueuedEvent[] = [];
  private pumping: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly handlers: VenueEventHandlers) {}

  push(accountId: string, event: VenueEvent): void {
    if (this.closed) return;
    this.items.push({ accountId, event });
    this.ensurePump();
  }

  /** Queues `event` and resolves when it has been handled (not when the whole queue is idle, which live traffic may postpone forever). */
  pushAndWait(accountId: string, event: VenueEvent): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((done) => {
      this.items.push({ accountId, event, done });
      this.ensurePump();
    });
  }

  private ensurePump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      // An event pushed after the loop's last look and before this line must not be stranded.
      if (this.items.length > 0 && !this.closed) this.ensurePump();
      else for (const w of this.idleWaiters.splice(0)) w();
    });
  }

  /** Drops queued events of an account that is being removed. */
  dropAccount(accountId: string): void {
    for (let i = this.items.length - 1; i >= 0; i--) {
      if (this.items[i]!.accountId === accountId) this.items.splice(i, 1)[0]!.done?.();
    }
  }

  get length(): number {
    return this.items.length;
  }

  /** Resolves when everything queued so far has been handled. */
  settled(): Promise<void> {
    if (!this.pumping && this.items.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const item of this.items.splice(0)) item.done?.();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async pump(): Promise<void> {
    // Yield once so events fired in the same tick join the first group.
    await Promise.resolve();
    while (this.items.length > 0 && !this.closed) {
      const head = this.items[0]!;
      try {
        if (head.event.type === 'messages') {
          // One splice for the whole group: shifting item by item is quadratic on a deep queue.
          let end = 0;
          let count = 0;
          while (end < this.items.length && this.items[end]!.event.type === 'messages' && (end === 0 || count < MAX_GROUP)) {
            count += (this.items[end]!.event as MessagesEvent).messages.length;
            end++;
          }
          const taken = this.items.splice(0, end);
          try {
            await this.handlers.messages(taken.map((item) => ({ accountId: item.accountId, event: item.event as MessagesEvent })));
          } finally {
            for (const item of taken) item.done?.();
          }
        } else {
          this.items.shift();
          try {
            await this.handlers.other(head);
          } finally {
            head.done?.();
          }
        }
      } catch (err) {
        this.handlers.failed(err);
      }
    }
  }
}
