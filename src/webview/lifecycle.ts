// Disposables for everything the webview registers (listeners, timers, frames), so each part can
// be torn down on its own and tests can prove nothing leaks.

import type { Disposable } from '../shared/disposable';
import { MutableDisposable, toDisposable } from '../shared/disposable';

export { DisposableStore, MutableDisposable, toDisposable, type Disposable } from '../shared/disposable';

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
