// The pane's history paging (docs/architecture.md, The inbox hub): one opaque cursor that walks the
// store first and then, where the venue has server history, falls through to the venue's own pages.
// Pages read from the venue are stored (as backfill) before they are shown, so the next visit reads
// them from disk.
import type { ChatMessage } from '../../../shared/model';
import type { MessagePage, MessageStore } from '../store/messageStore';
import type { VenueAdapter } from '../../venues/venue';

export interface HistoryPage {
  /** Oldest first. */
  readonly messages: ChatMessage[];
  readonly before?: string;
}

interface Anchor {
  readonly key?: string;
  readonly id?: string;
  readonly t: number;
}

type Cursor = { readonly s: string } | { readonly v?: string; readonly a?: Anchor };

const PREFIX = 'h1.';
/** Venue pages skipped while looking for messages older than the anchor (venues that cannot page from an id). */
const MAX_SKIPPED_PAGES = 20;

export interface HistoryPagerDeps {
  readonly store: MessageStore;
  readonly ingest: (accountId: string, messages: readonly ChatMessage[]) => Promise<void>;
}

export class HistoryPager {
  constructor(private readonly deps: HistoryPagerDeps) {}

  /**
   * The newest stored page (the pane's first paint), read without blocking the host; its cursor
   * continues into the venue where it has history.
   */
  readNewest(accountId: string, conversationId: string, limit: number, adapter: VenueAdapter | undefined): Promise<HistoryPage> {
    return this.fromStore(accountId, conversationId, undefined, limit, adapter?.capabilities.serverHistory === true);
  }

  /** `readNewest` at once, for scripts and tests (loads the conversation synchronously if it is not in memory). */
  newest(accountId: string, conversationId: string, limit: number, adapter: VenueAdapter | undefined): HistoryPage {
    return continued(this.deps.store.page(accountId, conversationId, { limit }), adapter?.capabilities.serverHistory === true);
  }

  async page(accountId: string, conversationId: string, before: string | undefined, limit: number, adapter: VenueAdapter | undefined): Promise<HistoryPage> {
    const cursor = before === undefined ? undefined : decodeCursor(before);
    if (before !== undefined && !cursor) throw new RangeError('history cursor is not one this client issued');
    const serverHistory = adapter?.capabilities.serverHistory === true;
    if (!cursor || 's' in cursor) {
      const local = await this.fromStore(accountId, conversationId, cursor?.s, limit, serverHistory);
      // The store holds nothing (older): the same request goes on to the venue.
      if (local.messages.length === 0 && serverHistory) return this.fromVenue(accountId, conversationId, {}, limit, adapter);
      return local;
    }
    if (!serverHistory) return { messages: [] };
    return this.fromVenue(accountId, conversationId, cursor, limit, adapter);
  }

  /** A page from the store; when the store runs out, the cursor goes on into the venue's history (if it has one). */
  private async fromStore(accountId: string, conversationId: string, before: string | undefined, limit: number, serverHistory: boolean): Promise<HistoryPage> {
    // Read without blocking the host: the newest page of a long history comes from the end of its log.
    return continued(await this.deps.store.readPage(accountId, conversationId, { before, limit }), serverHistory);
  }

  private async fromVenue(accountId: string, conversationId: string, cursor: { v?: string; a?: Anchor }, limit: number, adapter: VenueAdapter | undefined): Promise<HistoryPage> {
    if (!adapter) return { messages: [] };
    const anchor = cursor.a;
    let venueCursor = cursor.v;
    for (let skipped = 0; skipped <= MAX_SKIPPED_PAGES; skipped++) {
      const page = await adapter.history(conversationId, {
        before: venueCursor,
        olderThan: venueCursor === undefined && anchor ? { venueMessageId: anchor.id, time: anchor.t } : undefined,
        limit,
      });
      if (page.items.length > 0) await this.deps.ingest(accountId, page.items);
      // Show the stored versions (merged with anything we knew), oldest first.
      const stored = page.items
        .map((m) => this.deps.store.getIn(accountId, conversationId, m.key) ?? (m.venueMessageId ? this.deps.store.findByVenueMessageId(accountId, conversationId, m.venueMessageId) : undefined) ?? m)
        .filter((m) => !anchor || (m.time <= anchor.t && m.key !== anchor.key))
        .sort((a, b) => a.time - b.time);
      const unique = [...new Map(stored.map((m) => [m.key, m])).values()];
      if (unique.length > 0 || !page.next) {
        const nextAnchor = anchorOf(unique) ?? anchor;
        return page.next ? { messages: unique, before: encodeCursor({ v: page.next, a: nextAnchor }) } : { messages: unique };
      }
      venueCursor = page.next; // a whole page newer than the anchor: keep looking
    }
    return { messages: [] };
  }
}

/** A store page with its cursor: on through the store, then on into the venue's history (if it has one). */
function continued(local: MessagePage, serverHistory: boolean): HistoryPage {
  if (local.before) return { messages: local.messages, before: encodeCursor({ s: local.before }) };
  if (!serverHistory) return { messages: local.messages };
  return { messages: local.messages, before: encodeCursor({ a: anchorOf(local.messages) }) };
}

/** The oldest of `messages` (oldest first) as an anchor: older pages start below it. */
function anchorOf(messages: readonly ChatMessage[]): Anchor | undefined {
  const oldest = messages[0];
  if (!oldest) return undefined;
  return { key: oldest.key, id: messages.find((m) => m.venueMessageId !== undefined)?.venueMessageId, t: oldest.time };
}

export function encodeCursor(cursor: Cursor): string {
  return PREFIX + Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): Cursor | undefined {
  if (!text.startsWith(PREFIX)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Record<string, unknown>;
  if (typeof c.s === 'string') return { s: c.s };
  if (c.v !== undefined && typeof c.v !== 'string') return undefined;
  let a: Anchor | undefined;
  if (c.a !== undefined) {
    if (typeof c.a !== 'object' || c.a === null) return undefined;
    const r = c.a as Record<string, unknown>;
    if (typeof r.t !== 'number' || (r.key !== undefined && typeof r.key !== 'string') || (r.id !== undefined && typeof r.id !== 'string')) return undefined;
    a = { t: r.t, key: r.key as string | undefined, id: r.id as string | undefined };
  }
  return { v: c.v as string | undefined, a };
}
