// The message list: renders a snapshot, applies upserts in place (batched per animation frame),
// pages older history in when the reader nears the top, and keeps the reader's place throughout.
import type { ChatMessage } from '../../shared/model';
import { NO_ANSWER, RpcError, type RpcClient } from '../rpc';
import type { ConversationRef, ScrollPosition } from '../uiState';
import { sameConversation } from '../uiState';
import { el } from '../dom';
import { icons } from '../icons';
import { Debouncer, type Disposable, DisposableStore, MutableDisposable, animationFrame, listen, toDisposable } from '../lifecycle';
import { createButton, setButtonLabel } from '../ui';
import { Grouping, type RowSequence } from './grouping';
import { HistoryPager, type PagerState } from './historyPager';
import { NO_MESSAGES_YET, emptyChatText, renderHistoryStatusLine } from './historyStatusLine';
import type { VenueInfo } from '../../shared/protocol';
import { previewText } from '../../shared/messagePreview';
import { sanitizeChatMessage, sanitizeChatMessages } from '../../shared/messageValidator';
import { DOWNLOAD_REQUEST_TIMEOUT_MS, DownloadBook, type CardDownload, fileCardOf, parseDownloadProgress, showDownload } from './downloads';
import { MessageRow } from './messageRow';
import { MessageStore, type TimelineEntry } from './messageStore';
import { ReadMarker } from './readMarker';
import { RowChunks } from './rowChunks';
import { type ScrollAnchor, captureAnchor, isAtBottom, restoreAnchor, scrollToBottom } from './scrollAnchor';
import { TimelineActions } from './timelineActions';

/** Start loading older messages when the reader is this close to the top. */
const NEAR_TOP_PX = 400;
/** How many pages to page in while looking for a restored scroll anchor. */
const MAX_SEEK_PAGES = 10;

export interface TimelineDeps {
  readonly rpc: Pick<RpcClient, 'request'>;
  /** A problem the user should see (a failed retry, ...). */
  showError(message: string): void;
  /** Polite screen-reader announcement. */
  announce(text: string): void;
  onScrollPositionChange(position: ScrollPosition): void;
  /** The user chose Reply on a message (the composer shows what it answers). */
  onReply(message: ChatMessage): void;
}

interface AnchorSeek {
  readonly key: string;
  readonly time: number;
  readonly offset: number;
  pagesLeft: number;
}

function belongsTo(message: ChatMessage, conversation: ConversationRef): boolean {
  return message.venue === conversation.venue && message.accountId === conversation.accountId && message.conversationId === conversation.conversationId;
}

/** One announcement per batch: the count, and the latest message's sender and start of its text. */
function announcementFor(latest: ChatMessage, count: number): string {
  const who = latest.senderName ? `from ${latest.senderName}` : '';
  // The preview never reads out a withdrawn message and names structured kinds ("[Card] Pay now").
  const preview = previewText(latest);
  const what = preview ? `: ${preview}` : '';
  const head = count === 1 ? `New message ${who}` : `${count} new messages, latest ${who}`;
  return `${head}${what}`.replace(/\s+/g, ' ').trim();
}

export class Timeline implements Disposable {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly list: HTMLElement;
  private readonly rows: RowChunks;
  private readonly historyStatus: HTMLElement;
  private readonly newPill: HTMLElement;
  private readonly store = new MessageStore();
  private readonly grouping = new Grouping();
  /** The loaded rows by index, as the grouping reads them. */
  private readonly rowSequence: RowSequence = {
    count: () => this.store.length,
    rowAt: (index) => this.store.at(index)?.row,
  };
  private readonly downloads = new DownloadBook();
  private readonly pager: HistoryPager;
  private readonly disposables = new DisposableStore();
  private readonly frame = new MutableDisposable();
  private readonly saveScroll: Debouncer;
  private readonly readMarker: ReadMarker;
  private conversation: ConversationRef | null = null;
  /** What an empty chat says once history is exhausted (the venue may keep none: MEXC). */
  private emptyText = NO_MESSAGES_YET;
  /** The venue sends quoted replies: rows get a Reply button. */
  private replies = false;
  private pending: ChatMessage[] = [];
  private unseen = 0;
  private seek: AnchorSeek | null = null;
  private readonly expectedOwnSends = new Set<string>();
  /** The reader is at the newest message: growth (late images, a taller composer) keeps them there. */
  private stuckToBottom = true;
  /**
   * Otherwise, the row the reader is looking at. When rows above it change size later (images
   * loading, off-screen rows getting their real height) it is put back where it was.
   */
  private readingAnchor: ScrollAnchor | undefined;

  constructor(private readonly deps: TimelineDeps) {
    this.historyStatus = el('div', { className: 'history-status', attrs: { 'aria-live': 'polite' } });
    this.list = el('div', { className: 'timeline__list' });
    this.rows = new RowChunks(this.list);
    this.scroller = el('div', { className: 'timeline__scroller', attrs: { role: 'log', 'aria-live': 'off', 'aria-label': 'Messages', tabindex: '0' } }, [
      this.historyStatus,
      this.list,
    ]);
    this.newPill = createButton({ label: 'New messages', appearance: 'primary', className: 'new-pill', icon: icons.arrowDown() });
    this.newPill.hidden = true;
    this.element = el('section', { className: 'timeline', attrs: { 'aria-label': 'Conversation' } }, [this.scroller, this.newPill]);

    this.pager = new HistoryPager({
      requestPage: (before, limit) => this.deps.rpc.request('history/page', { before, limit }),
      onPage: (messages) => this.prependPage(messages),
      onStateChange: (state) => this.renderHistoryStatus(state),
    });
    this.saveScroll = this.disposables.add(new Debouncer(() => this.deps.onScrollPositionChange(this.scrollPosition()), 150));
    this.readMarker = this.disposables.add(new ReadMarker(deps.rpc));
    this.disposables.add(this.frame);
    this.disposables.add(
      new TimelineActions(this.scroller, {
        rpc: deps.rpc,
        showError: (message) => deps.showError(message),
        clientMessageIdOf: (key) => this.store.getByKey(key)?.row.current.clientMessageId,
        retryHistory: () => this.pager.loadOlder(),
        download: (key, index) => this.requestDownload(key, index),
        reply: (key) => {
          const message = this.store.getByKey(key)?.row.current;
          if (message) deps.onReply(message);
        },
      }),
    );

    this.disposables.add(listen(this.scroller, 'scroll', () => this.onScroll(), { passive: true }));
    this.disposables.add(listen(this.newPill, 'click', () => this.jumpToNewest()));
    this.disposables.add(listen(document, 'visibilitychange', () => this.maybeMarkRead()));
    // Resize observations arrive after layout and before paint, so corrections never flash.
    const resizes = new ResizeObserver(() => {
      if (this.stuckToBottom) scrollToBottom(this.scroller);
      else if (this.readingAnchor) restoreAnchor(this.scroller, this.readingAnchor);
    });
    resizes.observe(this.list);
    resizes.observe(this.scroller);
    this.disposables.add(toDisposable(() => resizes.disconnect()));
  }

  /**
   * Replaces the list with a snapshot. `restore` is where the reader should land: a saved position
   * (after reload), or `keep` when the same conversation is re-sent and the current place stays.
   */
  /** Call before `showSnapshot`: an empty chat on a venue without history says why it is empty. */
  setVenue(venue: VenueInfo): void {
    this.emptyText = emptyChatText(venue);
  }

  /** Call before `showSnapshot` (which builds the rows): whether messages get a Reply button. */
  setReplies(enabled: boolean): void {
    this.replies = enabled;
  }

  showSnapshot(conversation: ConversationRef, rawMessages: readonly unknown[], before: string | undefined, restore: ScrollPosition | 'keep'): void {
    const keep = restore === 'keep' && sameConversation(this.conversation, conversation) ? this.scrollPosition() : undefined;
    if (!sameConversation(this.conversation, conversation)) this.downloads.clear();
    this.conversation = conversation;
    this.pending = [];
    this.frame.clear();
    this.seek = null;
    this.expectedOwnSends.clear();
    this.readMarker.reset();
    this.setUnseen(0);
    this.store.clear();

    for (const message of sanitizeChatMessages(rawMessages)) {
      if (!belongsTo(message, conversation)) continue;
      const existing = this.store.find(message);
      if (existing) this.updateEntry(existing, message);
      else this.store.insert({ row: new MessageRow(message, this.replies, this.downloads), seq: this.store.nextLiveSeq() });
    }
    // One DOM write for the whole list.
    this.rows.reset(this.store.all().map((entry) => entry.row.element));
    this.grouping.all(this.rowSequence, Date.now());
    this.pager.reset(before);

    const target = keep ?? (restore === 'keep' ? ({ atBottom: true } as const) : restore);
    this.restorePosition(target);
    this.maybeLoadOlder();
    this.maybeMarkRead();
  }

  /** Queues messages from `message/upsert`; they are applied together on the next animation frame. */
  upsert(rawMessages: readonly unknown[]): void {
    if (this.conversation === null) return; // nothing renders before the snapshot
    for (const raw of rawMessages) {
      const message = sanitizeChatMessage(raw);
      if (message) this.pending.push(message);
    }
    if (this.pending.length > 0 && this.frame.value === undefined) {
      this.frame.value = animationFrame(() => {
        this.frame.value = undefined;
        this.flush();
      });
    }
  }

  /** A `download/progress` notification: remembered, and shown on the file card if its row is here. */
  downloadProgress(raw: unknown): void {
    const progress = parseDownloadProgress(raw);
    if (!progress) return;
    const { key, index, ...state } = progress;
    this.setDownload(key, index, state);
  }

  private setDownload(key: string, index: number, state: CardDownload | undefined): void {
    this.downloads.set(key, index, state);
    const row = this.store.getByKey(key)?.row;
    const card = row ? fileCardOf(row.element, index) : null;
    if (card) showDownload(card, state);
  }

  /** Save… on a file card: the host asks where, then reports progress; its answer settles what progress did not. */
  private requestDownload(key: string, index: number): void {
    const current = this.downloads.get(key, index)?.state;
    if (current === 'asking' || current === 'running') return;
    this.setDownload(key, index, { state: 'asking' });
    this.deps.rpc.request('attachment/download', { key, index }, { timeoutMs: DOWNLOAD_REQUEST_TIMEOUT_MS }).then(
      (result) => {
        const now = this.downloads.get(key, index);
        // Dismissed dialog: back to the plain card. A cancel or the end already came as progress.
        if (!result.saved && now?.state === 'asking') this.setDownload(key, index, undefined);
        else if (result.saved && now?.state !== 'done') this.setDownload(key, index, { state: 'done', received: 0 });
      },
      (error: unknown) => {
        const now = this.downloads.get(key, index);
        // The host's own failure report (or a download still running past the pane's wait) says more.
        if (now && now.state !== 'asking' && (now.state !== 'running' || (error instanceof RpcError && error.code === NO_ANSWER))) return;
        this.setDownload(key, index, { state: 'failed', received: 0, message: error instanceof Error ? error.message : String(error) });
      },
    );
  }

  /** Upload progress of one of our messages with a file (the newest rows are searched first). */
  uploadProgress(clientMessageId: string, sent: number, total: number): void {
    const entries = this.store.all();
    for (let i = entries.length - 1, seen = 0; i >= 0 && seen < 1000; i--, seen++) {
      const row = entries[i]!.row;
      if (row.current.clientMessageId === clientMessageId) {
        row.setUploadProgress(sent, total);
        return;
      }
    }
  }

  /** The composer sent a message with this id: when it shows up, bring the list to the bottom. */
  expectOwnSend(clientMessageId: string): void {
    this.expectedOwnSends.add(clientMessageId);
  }

  /** Saves the reading position now (the page is being hidden or torn down). */
  flushScrollPosition(): void {
    this.saveScroll.flush();
  }

  jumpToNewest(): void {
    this.toBottom();
    this.setUnseen(0);
    this.saveScroll.schedule();
    this.maybeMarkRead();
  }

  dispose(): void {
    this.disposables.dispose();
    this.pending = [];
  }

  // ---- applying changes -----------------------------------------------------------------------

  private flush(): void {
    const conversation = this.conversation;
    const batch = this.pending;
    this.pending = [];
    if (conversation === null || batch.length === 0) return;

    const wasAtBottom = this.stuckToBottom || isAtBottom(this.scroller);
    const anchor = wasAtBottom ? undefined : this.captureAnchor();
    let newIncoming = 0;
    let latestIncoming: ChatMessage | undefined;
    let ownSendArrived = false;
    const oldest = this.store.oldest();
    const changed: TimelineEntry[] = [];

    for (const message of batch) {
      if (!belongsTo(message, conversation)) continue;
      const existing = this.store.find(message);
      if (existing) {
        this.updateEntry(existing, message, changed);
        continue;
      }
      // Older than everything loaded while more history exists: it will arrive with its page.
      if (oldest && message.time < oldest.row.current.time && this.pager.hasMore) continue;
      const entry: TimelineEntry = { row: new MessageRow(message, this.replies, this.downloads), seq: this.store.nextLiveSeq() };
      this.placeRow(entry, this.store.insert(entry));
      changed.push(entry);
      if (message.direction === 'in' && message.kind !== 'gap') {
        newIncoming++;
        latestIncoming = message;
      }
      if (message.clientMessageId !== undefined && this.expectedOwnSends.delete(message.clientMessageId)) ownSendArrived = true;
    }
    this.regroup(changed);
    // "No messages yet." must give way to "No older messages." once the first message arrives.
    if (this.pager.state.kind === 'end') renderHistoryStatusLine(this.historyStatus, this.pager.state, this.store.length > 0, this.emptyText);
    if (latestIncoming) this.deps.announce(announcementFor(latestIncoming, newIncoming));

    if (wasAtBottom || ownSendArrived) {
      this.toBottom();
      this.setUnseen(0);
    } else {
      if (anchor) restoreAnchor(this.scroller, anchor);
      this.noteReadingAnchor();
      if (newIncoming > 0) this.setUnseen(this.unseen + newIncoming);
    }
    this.saveScroll.schedule();
    this.maybeMarkRead();
  }

  /** A new version of a loaded message; `changed` gets the rows whose grouping it may have changed. */
  private updateEntry(entry: TimelineEntry, message: ChatMessage, changed?: TimelineEntry[]): void {
    const previous = entry.row.current;
    // The row after it loses its neighbour if the message moves (its time changed).
    const follower = previous.time !== message.time ? this.store.at(this.store.indexOf(entry) + 1) : undefined;
    entry.row.update(message);
    const movedTo = this.store.updated(entry, previous);
    if (movedTo !== undefined) this.placeRow(entry, movedTo);
    changed?.push(entry);
    if (follower) changed?.push(follower);
  }

  /** Regroups the rows of `changed` where they are now (and the row after each). */
  private regroup(changed: readonly TimelineEntry[]): void {
    const indices: number[] = [];
    for (const entry of changed) {
      const at = this.store.indexOf(entry);
      if (at >= 0) indices.push(at);
    }
    this.grouping.around(this.rowSequence, indices, Date.now());
  }

  /** Puts a row's element at `index` in the list (insert or move; the element keeps its identity). */
  private placeRow(entry: TimelineEntry, index: number): void {
    this.rows.place(entry.row.element, this.store.at(index + 1)?.row.element ?? null);
  }

  private prependPage(rawMessages: readonly unknown[]): void {
    const conversation = this.conversation;
    if (conversation === null) return;
    const messages = sanitizeChatMessages(rawMessages).filter((m) => belongsTo(m, conversation));
    const wasAtBottom = this.stuckToBottom;
    const anchor = wasAtBottom ? undefined : this.captureAnchor();
    let seq = this.store.reserveHistorySeqs(messages.length);
    const added: TimelineEntry[] = [];
    for (const message of messages) {
      const entrySeq = seq++;
      // Whatever is already shown is newer than a stored page: upserts win over history.
      if (this.store.find(message)) continue;
      const entry: TimelineEntry = { row: new MessageRow(message, this.replies, this.downloads), seq: entrySeq };
      this.placeRow(entry, this.store.insert(entry));
      added.push(entry);
    }
    this.regroup(added);
    if (wasAtBottom) this.toBottom();
    else if (anchor) restoreAnchor(this.scroller, anchor);
    this.noteReadingAnchor();
    this.continueSeek();
    // Still near the top (short page, tall viewport): keep going.
    this.maybeLoadOlder();
  }


  // ---- scrolling ------------------------------------------------------------------------------

  private captureAnchor(): ScrollAnchor | undefined {
    return captureAnchor(this.scroller, this.rows.chunks);
  }

  private scrollPosition(): ScrollPosition {
    if (isAtBottom(this.scroller) || this.store.length === 0) return { atBottom: true };
    const anchor = this.captureAnchor();
    const key = anchor?.element.dataset.key;
    const entry = key !== undefined ? this.store.getByKey(key) : undefined;
    if (!anchor || !entry) return { atBottom: true };
    return { atBottom: false, anchorKey: entry.row.current.key, anchorTime: entry.row.current.time, offsetPx: Math.round(anchor.offset) };
  }

  private toBottom(): void {
    scrollToBottom(this.scroller);
    this.stuckToBottom = true;
    this.readingAnchor = undefined;
  }

  private noteReadingAnchor(): void {
    this.readingAnchor = this.stuckToBottom ? undefined : this.captureAnchor();
  }

  private restorePosition(position: ScrollPosition): void {
    if (position.atBottom) {
      this.toBottom();
      return;
    }
    if (this.positionAt(position.anchorKey, position.offsetPx)) return;
    const oldest = this.store.oldest();
    if (oldest && position.anchorTime < oldest.row.current.time && this.pager.hasMore) {
      // The anchor is in older history: page back (a bounded number of pages) to find it.
      this.seek = { key: position.anchorKey, time: position.anchorTime, offset: position.offsetPx, pagesLeft: MAX_SEEK_PAGES };
      this.stuckToBottom = false;
      this.pager.loadOlder();
      return;
    }
    this.toBottom();
  }

  private positionAt(key: string, offset: number): boolean {
    const entry = this.store.getByKey(key);
    if (!entry) return false;
    const element = entry.row.element;
    const current = element.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top;
    this.scroller.scrollTop += current - offset;
    this.stuckToBottom = isAtBottom(this.scroller);
    this.noteReadingAnchor();
    return true;
  }

  private continueSeek(): void {
    const seek = this.seek;
    if (!seek) return;
    if (this.positionAt(seek.key, seek.offset)) {
      this.seek = null;
      return;
    }
    seek.pagesLeft--;
    const oldest = this.store.oldest();
    if (seek.pagesLeft > 0 && this.pager.hasMore && oldest && seek.time < oldest.row.current.time) {
      this.pager.loadOlder();
      return;
    }
    // The message is gone or too far back: land on the newest instead of somewhere arbitrary.
    this.seek = null;
    this.toBottom();
  }

  private onScroll(): void {
    this.stuckToBottom = isAtBottom(this.scroller);
    this.noteReadingAnchor();
    if (this.stuckToBottom) {
      this.setUnseen(0);
      this.maybeMarkRead();
    }
    this.maybeLoadOlder();
    this.saveScroll.schedule();
  }

  private maybeLoadOlder(): void {
    if (this.conversation === null || this.pager.state.kind !== 'idle') return;
    if (this.scroller.scrollTop <= NEAR_TOP_PX) this.pager.loadOlder();
  }

  private setUnseen(count: number): void {
    this.unseen = count;
    this.newPill.hidden = count === 0;
    if (count > 0) setButtonLabel(this.newPill, count === 1 ? '1 new message' : `${count} new messages`);
  }

  /** The status line sits above the list: changing its height must not move what the reader sees. */
  private renderHistoryStatus(state: PagerState): void {
    const anchor = this.stuckToBottom ? undefined : this.captureAnchor();
    renderHistoryStatusLine(this.historyStatus, state, this.store.length > 0, this.emptyText);
    if (anchor) restoreAnchor(this.scroller, anchor);
  }

  // ---- reading --------------------------------------------------------------------------------

  private maybeMarkRead(): void {
    if (document.visibilityState !== 'visible' || !isAtBottom(this.scroller)) return;
    const all = this.store.all();
    for (let i = all.length - 1; i >= 0; i--) {
      const message = all[i]?.row.current;
      if (message && message.direction === 'in') {
        this.readMarker.seen(message.time);
        return;
      }
    }
  }
}
