// Runs async tasks one at a time, in the order they were queued. The append log and the store use
// it so that writes hit the disk in call order and no two read-modify-write cycles interleave.

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `task` behind everything queued before; its result (or error) is the caller's alone. */
  run<R>(task: () => Promise<R> | R): Promise<R> {
    const result = this.tail.then(task);
    // A failed task must not stall or poison the tasks queued after it.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
