// A Clock whose time moves only when a test says so, and which can tell which timers are still pending.
import type { Clock } from '../../../src/extension/core/clock';

interface Timer {
  readonly id: number;
  due: number;
  readonly every: number | undefined;
  readonly fn: () => void;
}

export class FakeClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();

  constructor(
    start = Date.UTC(2025, 0, 26, 4, 0, 0),
    private readonly randomValue = 0.5,
  ) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  random(): number {
    return this.randomValue;
  }

  setTimeout(fn: () => void, ms: number) {
    return this.add(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number) {
    return this.add(fn, ms, Math.max(1, ms));
  }

  /** Timers not yet fired or disposed (intervals count until disposed). */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = [...this.timers.values()].filter((t) => t.due <= end).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.time = next.due;
      if (next.every === undefined) this.timers.delete(next.id);
      else next.due += next.every;
      next.fn();
    }
    this.time = end;
  }

  private add(fn: () => void, ms: number, every: number | undefined) {
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.time + Math.max(0, ms), every, fn });
    return { dispose: () => void this.timers.delete(id) };
  }
}
