// Requests older pages. Only the newest request counts: a reply to a request made before the
// conversation was replaced (or superseded by a later request) is dropped, so a slow reply can
// never splice another snapshot's history into the list.
import type { ChatMessage } from '../../shared/model';
import type { HistoryPage } from '../../shared/protocol';

/** The protocol's largest page (`history/page` limit 1..200): fewer round trips while scrolling back. */
export const HISTORY_PAGE_SIZE = 200;

export type PagerState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'end' };

export interface HistoryPagerDeps {
  requestPage(before: string, limit: number): Promise<HistoryPage>;
  /** A page arrived, `roundTripMs` after it was asked for. */
  onPage(messages: readonly ChatMessage[], roundTripMs: number): void;
  onStateChange(state: PagerState): void;
}

export class HistoryPager {
  private cursor: string | undefined;
  private latestTicket = 0;
  private loading = false;
  private currentState: PagerState = { kind: 'end' };

  constructor(private readonly deps: HistoryPagerDeps) {}

  get state(): PagerState {
    return this.currentState;
  }

  get hasMore(): boolean {
    return this.cursor !== undefined;
  }

  get isLoading(): boolean {
    return this.loading;
  }

  /** Starts over for a new snapshot; any request in flight becomes stale. */
  reset(cursor: string | undefined): void {
    this.latestTicket++;
    this.cursor = cursor;
    this.loading = false;
    this.setState(cursor === undefined ? { kind: 'end' } : { kind: 'idle' });
  }

  /** Asks for the page before the oldest loaded message, unless one is already on its way. */
  loadOlder(): void {
    const cursor = this.cursor;
    if (cursor === undefined || this.loading) return;
    const ticket = ++this.latestTicket;
    this.loading = true;
    this.setState({ kind: 'loading' });
    const asked = performance.now();
    this.deps.requestPage(cursor, HISTORY_PAGE_SIZE).then(
      (page) => {
        if (ticket !== this.latestTicket) return; // superseded: dropped
        this.loading = false;
        // A page without a cursor is the last one; a repeated cursor would loop forever.
        this.cursor = page.before !== undefined && page.before !== cursor ? page.before : undefined;
        this.setState(this.cursor === undefined ? { kind: 'end' } : { kind: 'idle' });
        this.deps.onPage(Array.isArray(page.messages) ? page.messages : [], performance.now() - asked);
      },
      (error: unknown) => {
        if (ticket !== this.latestTicket) return;
        this.loading = false;
        this.setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
  }

  private setState(state: PagerState): void {
    this.currentState = state;
    this.deps.onStateChange(state);
  }
}
