// A Clock whose time moves only when a test says so, so timer-driven code (pollers, keep-alives,
// back-off) is tested deterministically. `advance(ms)` fires every timer due on the way, in order,
// and lets the promises they start settle before moving on; `tick(ms)` does the same synchronously
// (for code whose timers only flip state).
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

  constructor(start = Date.UTC(2025, 0, 26, 4, 0, 0), random?: number) {
    this.time = start;
    if (random !== undefined) this.randomValues = [random];
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
      const next = this.nextTimer(target);
      if (!next) break;
      this.fire(next);
      await settle();
    }
    this.time = target;
    await settle();
  }

  /** Moves time forward by `ms` at once, firing due timers in order (nothing awaited in between). */
  tick(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const next = this.nextTimer(target);
      if (!next) break;
      this.fire(next);
    }
    this.time = target;
  }

  private nextTimer(until: number): Timer | undefined {
    return [...this.timers.values()].filter((t) => t.due <= until).sort((a, b) => a.due - b.due || a.id - b.id)[0];
  }

  private fire(timer: Timer): void {
    this.time = Math.max(this.time, timer.due);
    if (timer.everyMs !== undefined) timer.due += timer.everyMs;
    else this.timers.delete(timer.id);
    timer.fn();
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
