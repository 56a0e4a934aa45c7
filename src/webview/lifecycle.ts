// Disposables for everything the webview registers (listeners, timers, frames), so each part can
// be torn down on its own and tests can prove nothing leaks.

export interface Disposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** Owns a set of disposables; disposing the store disposes them in reverse order of registration. */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
      return item;
    }
    this.items.add(item);
    return item;
  }

  /** Disposes one item early and forgets it. */
  delete(item: Disposable): void {
    if (this.items.delete(item)) item.dispose();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const list = [...this.items].reverse();
    this.items.clear();
    for (const item of list) item.dispose();
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

export function listen<K extends keyof HTMLElementEventMap>(
  target: HTMLElement,
  type: K,
  handler: (event: HTMLElementEventMap[K]) => void,
  options?: AddEventListenerOptions,
): Disposable;
export function listen<K extends keyof WindowEventMap>(
  target: Window,
  type: K,
  handler: (event: WindowEventMap[K]) => void,
  options?: AddEventListenerOptions,
): Disposable;
export function listen<K extends keyof DocumentEventMap>(
  target: Document,
  type: K,
  handler: (event: DocumentEventMap[K]) => void,
  options?: AddEventListenerOptions,
): Disposable;
export function listen(target: EventTarget, type: string, handler: (event: Event) => void, options?: AddEventListenerOptions): Disposable;
export function listen(target: EventTarget, type: string, handler: (event: never) => void, options?: AddEventListenerOptions): Disposable {
  const listener = handler as EventListener;
  target.addEventListener(type, listener, options);
  return toDisposable(() => target.removeEventListener(type, listener, options));
}

export function timeout(fn: () => void, ms: number): Disposable {
  const handle = setTimeout(fn, ms);
  return toDisposable(() => clearTimeout(handle));
}

export function interval(fn: () => void, ms: number): Disposable {
  const handle = setInterval(fn, ms);
  return toDisposable(() => clearInterval(handle));
}

export function animationFrame(fn: () => void): Disposable {
  const handle = requestAnimationFrame(fn);
  return toDisposable(() => cancelAnimationFrame(handle));
}

/**
 * Runs `fn` once `ms` after the last `schedule()`. `flush()` runs a pending call now (used before
 * the page goes away so a debounced save is not lost).
 */
export class Debouncer implements Disposable {
  private readonly pending = new MutableDisposable();
  private armed = false;

  constructor(
    private readonly fn: () => void,
    private readonly ms: number,
  ) {}

  schedule(): void {
    this.armed = true;
    this.pending.value = timeout(() => this.run(), this.ms);
  }

  flush(): void {
    if (this.armed) this.run();
  }

  cancel(): void {
    this.armed = false;
    this.pending.clear();
  }

  private run(): void {
    this.armed = false;
    this.pending.clear();
    this.fn();
  }

  dispose(): void {
    this.cancel();
  }
}
