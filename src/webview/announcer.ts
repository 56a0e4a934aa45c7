// A visually hidden polite live region. The message list itself is not live (history pages and
// snapshots would be read out wholesale); only what deserves attention is announced here.
import { el } from './dom';
import { type Disposable, MutableDisposable, timeout } from './lifecycle';

export class Announcer implements Disposable {
  readonly element = el('div', { className: 'sr-only', attrs: { 'aria-live': 'polite', 'aria-atomic': 'true', role: 'status' } });
  private readonly clear = new MutableDisposable();

  announce(text: string): void {
    // Blank first so the same text twice is announced twice.
    this.element.textContent = '';
    this.clear.value = timeout(() => {
      this.element.textContent = text;
    }, 50);
  }

  dispose(): void {
    this.clear.dispose();
  }
}
