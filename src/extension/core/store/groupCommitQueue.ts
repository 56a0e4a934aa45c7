// Serialises the store's work and lets writes that queue up share one commit. Items submitted
// while no group is waiting start one; items submitted before that group starts join it, so while
// a write is in flight everything behind it goes out in the next write (group commit). Any other
// task closes the waiting group first, so nothing submitted after it can run before it.
import { SerialQueue } from '../serialQueue';

/** One submitted item and how to settle its caller. */
export interface GroupMember<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (err: unknown) => void;
}

export class GroupCommitQueue<T, R> {
  private readonly queue = new SerialQueue();
  private waiting: { readonly members: GroupMember<T, R>[]; size: number } | undefined;

  /**
   * @param commit settles every member of a group; it must not reject.
   * @param maxSize a group takes no more items once their sizes add up to this.
   */
  constructor(
    private readonly commit: (members: readonly GroupMember<T, R>[]) => Promise<void>,
    private readonly maxSize: number,
  ) {}

  /** Queues `item` (of `size`, e.g. its message count) into the waiting group, or a new one. */
  submit(item: T, size: number): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const member: GroupMember<T, R> = { item, resolve, reject };
      const waiting = this.waiting;
      if (waiting && waiting.size + size <= this.maxSize) {
        waiting.members.push(member);
        waiting.size += size;
        return;
      }
      const group = { members: [member], size };
      this.waiting = group;
      void this.queue.run(async () => {
        // Started: later items form the next group.
        if (this.waiting === group) this.waiting = undefined;
        try {
          await this.commit(group.members);
        } catch (err) {
          for (const m of group.members) m.reject(err);
        }
      });
    });
  }

  /** Runs `task` after everything submitted so far, and before anything submitted later. */
  runAlone<X>(task: () => Promise<X> | X): Promise<X> {
    this.waiting = undefined;
    return this.queue.run(task);
  }

  /** Resolves once everything queued so far has settled. */
  idle(): Promise<void> {
    return this.queue.idle();
  }
}
