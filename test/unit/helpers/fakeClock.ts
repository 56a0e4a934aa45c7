// A Clock whose time moves only when a test says so, so timer-driven code (pollers, keep-alives)
// is tested deterministically: `advance(ms)` fires every timer due on the way, in order, and lets
// the promises they start settle before moving on.
import type { Clock } from '../../../src/extension/core/clock';
import type { Disposable } from '../../../src/extension/core/event';

interface Timer {
  readonly id: number;
  due: number;
  readonly fn: () => void;
  readonly everyMs?: number;
}

export class FakeClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();
  /** Values `random()` returns in turn (then repeats the last); default 0.5, i.e. no jitter. */
  randomValues: number[] = [];

  constructor(start = Date.UTC(2025, 0, 26, 4, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  random(): number {
    if (this.randomValues.length > 1) return this.randomValues.shift()!;
    return this.randomValues[0] ?? 0.5;
  }

  setTimeout(fn: () => void, ms: number): Disposable {
    return this.add({ id: this.nextId++, due: this.time + Math.max(0, ms), fn });
  }

  setInterval(fn: () => void, ms: number): Disposable {
    const every = Math.max(1, ms);
    return this.add({ id: this.nextId++, due: this.time + every, fn, everyMs: every });
  }

  /** Timers armed and not yet fired or disposed. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** When the earliest armed timer fires, if any. */
  get nextDue(): number | undefined {
    let due: number | undefined;
    for (const t of this.timers.values()) if (due === undefined || t.due < due) due = t.due;
    return due;
  }

  /** Moves time forward by `ms`, firing due timers in order and settling the work they start. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      const next = [...this.timers.values()].filter((t) => t.due <= target).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.time = Math.max(this.time, next.due);
      if (next.everyMs !== undefined) next.due += next.everyMs;
      else this.timers.delete(next.id);
      next.fn();
      await settle();
    }
    this.time = target;
    await settle();
  }

  private add(timer: Timer): Disposable {
    this.timers.set(timer.id, timer);
    return { dispose: () => this.timers.delete(timer.id) };
  }
}

/** Lets pending promise chains run to completion (several macrotask turns). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
