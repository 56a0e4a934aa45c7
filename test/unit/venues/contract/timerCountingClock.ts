// A real clock that counts the timers still pending, so a test can prove that stop() left none.
import { systemClock, type Clock } from '../../../../src/extension/core/clock';

export class TimerCountingClock implements Clock {
  private readonly live = new Set<object>();

  get pending(): number {
    return this.live.size;
  }

  now(): number {
    return systemClock.now();
  }

  random(): number {
    return systemClock.random();
  }

  setTimeout(fn: () => void, ms: number) {
    const token = {};
    this.live.add(token);
    const inner = systemClock.setTimeout(() => {
      this.live.delete(token);
      fn();
    }, ms);
    return {
      dispose: () => {
        this.live.delete(token);
        inner.dispose();
      },
    };
  }

  setInterval(fn: () => void, ms: number) {
    const token = {};
    this.live.add(token);
    const inner = systemClock.setInterval(fn, ms);
    return {
      dispose: () => {
        this.live.delete(token);
        inner.dispose();
      },
    };
  }
}
