// A minimal typed event emitter with the same shape as vscode.Event, for code that must not import 'vscode'.

import type { Disposable } from '../../shared/disposable';

export { DisposableStore, MutableDisposable, toDisposable, type Disposable } from '../../shared/disposable';

export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();
  private disposed = false;

  readonly event: Event<T> = (listener) => {
    if (this.disposed) return { dispose() {} };
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    // Listeners added while firing wait for the next event. One listener (the usual case on hot
    // paths such as socket frames) needs no snapshot.
    if (this.listeners.size === 1) {
      for (const listener of this.listeners) {
        call(listener, value);
        break;
      }
      return;
    }
    if (this.listeners.size === 0) return;
    for (const listener of [...this.listeners]) call(listener, value);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}

function call<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch (err) {
    // A failing listener must not stop the others nor the emitter's caller.
    queueMicrotask(() => {
      throw err;
    });
  }
}
