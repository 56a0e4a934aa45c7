// Every timer the sandbox starts goes through one registry so close() can prove nothing is left
// behind (mocha must exit on its own, and a stray timer would keep the process alive).

export type TimerHandle = ReturnType<typeof setTimeout>;

export class TimerRegistry {
  private readonly timeouts = new Set<TimerHandle>();
  private readonly intervals = new Set<ReturnType<typeof setInterval>>();

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const handle = setTimeout(() => {
      this.timeouts.delete(handle);
      callback();
    }, Math.max(0, ms));
    this.timeouts.add(handle);
    return handle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    clearTimeout(handle);
    this.timeouts.delete(handle);
  }

  setInterval(callback: () => void, ms: number): ReturnType<typeof setInterval> {
    const handle = setInterval(callback, ms);
    this.intervals.add(handle);
    return handle;
  }

  clearInterval(handle: ReturnType<typeof setInterval> | undefined): void {
    if (handle === undefined) return;
    clearInterval(handle);
    this.intervals.delete(handle);
  }

  /** Number of pending timers (tests assert it drops to 0 after close). */
  get size(): number {
    return this.timeouts.size + this.intervals.size;
  }

  clearAll(): void {
    for (const handle of this.timeouts) clearTimeout(handle);
    for (const handle of this.intervals) clearInterval(handle);
    this.timeouts.clear();
    this.intervals.clear();
  }
}

/** Timeouts of one registry that are cancelled together (the scripted counterparty's pending replies). */
export class TimerGroup {
  private readonly handles = new Set<TimerHandle>();

  constructor(private readonly timers: TimerRegistry) {}

  setTimeout(callback: () => void, ms: number): void {
    const handle = this.timers.setTimeout(() => {
      this.handles.delete(handle);
      callback();
    }, ms);
    this.handles.add(handle);
  }

  cancelAll(): void {
    for (const handle of this.handles) this.timers.clearTimeout(handle);
    this.handles.clear();
  }
}
