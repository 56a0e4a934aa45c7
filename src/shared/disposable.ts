// The one disposable kit for the extension host and the webview: every listener, timer, socket
// and view is registered somewhere that disposes it, once.

export interface Disposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** Owns a set of disposables; disposing the store disposes them in reverse order of registration, once. */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  /** Registers `item`; after the store is disposed, `item` is disposed at once. */
  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  /** Disposes one item early and forgets it. */
  delete(item: Disposable): void {
    if (this.items.delete(item)) item.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const list = [...this.items].reverse();
    this.items.clear();
    for (const item of list) {
      try {
        item.dispose();
      } catch {
        // One failing item must not keep the rest alive.
      }
    }
  }
}

/** A slot holding at most one disposable; assigning a new one disposes the old one. */
export class MutableDisposable implements Disposable {
  private current: Disposable | undefined;

  set value(next: Disposable | undefined) {
    if (this.current === next) return;
    this.current?.dispose();
    this.current = next;
  }

  get value(): Disposable | undefined {
    return this.current;
  }

  clear(): void {
    this.value = undefined;
  }

  dispose(): void {
    this.clear();
  }
}
