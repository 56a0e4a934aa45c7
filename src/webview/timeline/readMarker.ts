// Tells the host how far the user has read: the newest incoming message, once it has been on
// screen (list at the bottom, pane visible) for a moment. Debounced so a burst is one request.
import type { Disposable } from '../lifecycle';
import { Debouncer } from '../lifecycle';
import type { RpcClient } from '../rpc';

const READ_DELAY_MS = 400;

export class ReadMarker implements Disposable {
  private marked = 0;
  private candidate = 0;
  private readonly debouncer: Debouncer;

  constructor(private readonly rpc: Pick<RpcClient, 'request'>) {
    this.debouncer = new Debouncer(() => this.send(), READ_DELAY_MS);
  }

  /** A new conversation: nothing is marked yet. */
  reset(): void {
    this.marked = 0;
    this.candidate = 0;
    this.debouncer.cancel();
  }

  /** `newestIncoming` (UTC ms) is what the user can see now. */
  seen(newestIncoming: number): void {
    const upTo = Math.max(0, Math.floor(newestIncoming));
    if (upTo <= this.marked) return;
    this.candidate = upTo;
    this.debouncer.schedule();
  }

  private send(): void {
    const upTo = this.candidate;
    if (upTo <= this.marked) return;
    this.marked = upTo;
    this.rpc.request('conversation/markRead', { upTo }).catch(() => {
      // Best effort; the next message tries again.
      this.marked = 0;
    });
  }

  dispose(): void {
    this.debouncer.dispose();
  }
}
