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
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        // A failing listener must not stop the others nor the emitter's caller.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}
