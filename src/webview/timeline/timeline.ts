// The message list: renders a snapshot, applies upserts in place (batched per animation frame),
// pages older history in ahead of the reader, and keeps the reader's place throughout. The list is
// virtualised (RowWindow): every loaded message is in the MessageStore, only the rows around the
// viewport are in the document.
import * as l10n from '@vscode/l10n';
import { formatNumber } from '../locale';
import type { ChatMessage } from '../../shared/model';
import { messageKey } from '../../shared/model';
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
import { MessageRow, canReplyTo } from './messageRow';
import { MessageStore, type TimelineEntry } from './messageStore';
import { ReadMarker } from './readMarker';
import { PrefetchDistance } from './prefetchDistance';
import { type RowDirection, listenForRowKeys } from './rowKeyboard';
import { RowWindow } from './rowWindow';
import { type ScrollAnchor, isAtBottom, scrollToBottom } from './scrollAnchor';
import { StringPool } from './stringPool';
import { TimelineActions } from './timelineActions';

/** How many pages to page in while looking for a restored scroll anchor. */
const MAX_SEEK_PAGES = 10;
/** Placing the window and the reader's place settles in a pass or two; never loop longer than this. */
const MAX_LAYOUT_PASSES = 4;

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
  const who = latest.senderName;
  // The preview never reads out a withdrawn message and names structured kinds ("[Card] Pay now").
  const preview = previewText(latest);
  const n = formatNumber(count);
  let text: string;
  if (count === 1) {
    if (who) text = preview ? l10n.t({ message: 'New message from {0}: {1}', args: [who, preview], comment: ['Read out by a screen reader: {0} is the sender, {1} the start of the message'] }) : l10n.t({ message: 'New message from {0}', args: [who], comment: ['Read out by a screen reader: {0} is the sender, {1} the start of the message'] });
    else text = preview ? l10n.t({ message: 'New message: {0}', args: [preview], comment: ['Read out by a screen reader: {0} is the start of the message'] }) : l10n.t('New message');
  } else if (who) {
    text = preview ? l10n.t({ message: '{0} new messages, latest from {1}: {2}', args: [n, who, preview], comment: ['Read out by a screen reader: {0} is how many, {1} the sender, {2} the start of the latest message'] }) : l10n.t({ message: '{0} new messages, latest from {1}', args: [n, who], comment: ['Read out by a screen reader: {0} is how many, {1} the sender, {2} the start of the latest message'] });
  } else {
    text = preview ? l10n.t({ message: '{0} new messages, latest: {1}', args: [n, preview], comment: ['Read out by a screen reader: {0} is how many, {1} the start of the latest message'] }) : l10n.t('{0} new messages', n);
  }
  return text.replace(/\s+/g, ' ').trim();
}

export class Timeline implements Disposable {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly rows: RowWindow;
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
  /** One copy of the short strings every message repeats. */
  private readonly strings = new StringPool();
  private readonly pager: HistoryPager;
  private readonly prefetch = new PrefetchDistance();
  private readonly disposables = new DisposableStore();
  private readonly frame = new MutableDisposable();
  /** A window update left for the next frame (rows cannot be mounted inside a resize observation). */
  private readonly relayout = new MutableDisposable();
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
   * loading, rows measured for the first time) it is put back where it was.
   */
  private readingAnchor: ScrollAnchor | undefined;
  /** Where the list's own scrolling left it: the scroll event that follows has nothing new to do. */
  private ownScrollTop = -1;

  constructor(private readonly deps: TimelineDeps) {
    this.historyStatus = el('div', { className: 'history-status', attrs: { 'aria-live': 'polite' } });
    this.scroller = el('div', { className: 'timeline__scroller', attrs: { role: 'log', 'aria-live': 'off', 'aria-label': l10n.t('Conversation messages'), tabindex: '0' } });
    this.rows = this.disposables.add(
      new RowWindow(this.scroller, this.store, {
        onRowsResized: () => this.onResize(),
        // Keep the keyboard in the list: the focused row is scrolled out of the window.
        onFocusedRowLeaving: () => this.scroller.focus({ preventScroll: true }),
        setSize: () => (this.pager.hasMore ? -1 : this.store.length),
      }),
    );
    this.scroller.append(this.historyStatus, this.rows.list);
    this.newPill = createButton({ label: l10n.t('New messages'), appearance: 'primary', className: 'new-pill', icon: icons.arrowDown() });
    this.newPill.hidden = true;
    this.element = el('section', { className: 'timeline', attrs: { 'aria-label': l10n.t({ message: 'Conversation', comment: ['The region of the pane showing the chat'] }) } }, [this.scroller, this.newPill]);

    this.pager = new HistoryPager({
      requestPage: (before, limit) => this.deps.rpc.request('history/page', { before, limit }),
      onPage: (messages, roundTripMs) => {
        this.prefetch.noteRoundTrip(roundTripMs);
        this.prependPage(messages);
      },
      onStateChange: (state) => this.renderHistoryStatus(state),
    });
    this.saveScroll = this.disposables.add(new Debouncer(() => this.deps.onScrollPositionChange(this.scrollPosition()), 150));
    this.readMarker = this.disposables.add(new ReadMarker(deps.rpc));
    this.disposables.add(this.frame);
    this.disposables.add(this.relayout);
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
        textExpanded: (key) => this.store.getByKey(key)?.row.noteTextExpanded(),
        showQuoted: (key) => this.showQuoted(key),
      }),
    );
    this.disposables.add(
      listenForRowKeys(this.scroller, {
        rowCount: () => this.store.length,
        indexOfRow: (element) => {
          const entry = element.classList.contains('msg') ? this.rows.entryFor(element) : undefined;
          return entry ? this.store.indexOf(entry) : -1;
        },
        firstInView: () => this.rows.indexAtViewportOffset(1),
        lastInView: () => this.rows.indexAtViewportOffset(this.scroller.clientHeight - 1),
        screenFrom: (index, direction) => this.screenFrom(index, direction),
        focusRow: (index) => this.focusRow(index),
        rowContaining: (element) => {
          const row = element.closest('.msg');
          const entry = row ? this.rows.entryFor(row) : undefined;
          return entry ? this.store.indexOf(entry) : -1;
        },
        reply: (index) => {
          const message = this.store.at(index)?.row.current;
          if (!message || !this.replies || !canReplyTo(message)) return false;
          deps.onReply(message);
          return true;
        },
      }),
    );

    this.disposables.add(listen(this.scroller, 'scroll', () => this.onScroll(), { passive: true }));
    this.disposables.add(listen(this.newPill, 'click', () => this.jumpToNewest()));
    this.disposables.add(listen(document, 'visibilitychange', () => this.maybeMarkRead()));
    // The viewport itself changing size (the pane, a taller composer): the rows are observed by RowWindow.
    const resizes = new ResizeObserver(() => this.onResize());
    resizes.observe(this.scroller);
    this.disposables.add(toDisposable(() => resizes.disconnect()));
  }

  /** Call before `showSnapshot`: an empty chat on a venue without history says why it is empty. */
  setVenue(venue: VenueInfo): void {
    this.emptyText = emptyChatText(venue);
  }

  /** Call before `showSnapshot` (which builds the rows): whether messages get a Reply button. */
  setReplies(enabled: boolean): void {
    this.replies = enabled;
  }

  /**
   * Replaces the list with a snapshot. `restore` is where the reader should land: a saved position
   * (after reload), or `keep` when the same conversation is re-sent and the current place stays.
   */
  showSnapshot(conversation: ConversationRef, rawMessages: readonly unknown[], before: string | undefined, restore: ScrollPosition | 'keep'): void {
    const keep = restore === 'keep' && sameConversation(this.conversation, conversation) ? this.scrollPosition() : undefined;
    if (!sameConversation(this.conversation, conversation)) this.downloads.clear();
    this.conversation = conversation;
    this.pending = [];
    this.frame.clear();
    this.relayout.clear();
    this.seek = null;
    this.expectedOwnSends.clear();
    this.readMarker.reset();
    this.setUnseen(0);
    this.store.clear();

    for (const checked of sanitizeChatMessages(rawMessages)) {
      if (!belongsTo(checked, conversation)) continue;
      const message = this.strings.pool(checked);
      const existing = this.store.find(message);
      if (existing) {
        // Nothing is mounted yet: only the store needs to hear of it.
        const previous = existing.row.current;
        existing.row.update(message);
        this.store.updated(existing, previous);
      } else this.store.insert({ row: new MessageRow(message, this.replies, this.downloads), seq: this.store.nextLiveSeq() });
    }
    this.grouping.all(this.rowSequence, Date.now());
    this.rows.reset();
    this.prefetch.reset();
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
      if (message) this.pending.push(this.strings.pool(message));
    }
    if (this.pending.length > 0 && this.frame.value === undefined) {
      this.frame.value = animationFrame(() => {
        this.frame.value = undefined;
        this.flush();
      });
    }
  }

  /** A `download/progress` notification: remembered, and shown on the file card if its row is mounted. */
  downloadProgress(raw: unknown): void {
    const progress = parseDownloadProgress(raw);
    if (!progress) return;
    const { key, index, ...state } = progress;
    this.setDownload(key, index, state);
  }

  private setDownload(key: string, index: number, state: CardDownload | undefined): void {
    this.downloads.set(key, index, state);
    // A row out of the window shows the remembered state when it is mounted again.
    const element = this.store.getByKey(key)?.row.element;
    const card = element ? fileCardOf(element, index) : null;
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

  /** Upload progress of one of our messages with a file (kept on the row whether it is mounted or not). */
  uploadProgress(clientMessageId: string, sent: number, total: number): void {
    this.store.getByClientId(clientMessageId)?.row.setUploadProgress(sent, total);
  }

  /** The loaded message shown under `key`, if any. */
  messageByKey(key: string): ChatMessage | undefined {
    return this.store.getByKey(key)?.row.current;
  }

  /**
   * The composer sent a message with this id: when it shows up, bring the list to the bottom. The
   * host may have pushed its row before answering the request (a file the host picked and queued):
   * then the list goes there now, or the new row could stay unmounted below a reader scrolled up.
   */
  expectOwnSend(clientMessageId: string): void {
    if (this.store.getByClientId(clientMessageId)) this.jumpToNewest();
    else this.expectedOwnSends.add(clientMessageId);
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
    const anchor = wasAtBottom ? undefined : (this.readingAnchor ?? this.rows.anchor());
    const wasEmpty = this.store.length === 0;
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
      this.rows.inserted(this.store.insert(entry), 1);
      changed.push(entry);
      if (message.direction === 'in' && message.kind !== 'gap') {
        newIncoming++;
        latestIncoming = message;
      }
      if (message.clientMessageId !== undefined && this.expectedOwnSends.delete(message.clientMessageId)) ownSendArrived = true;
    }
    this.regroup(changed);
    // "No messages yet." must give way to "No older messages." once the first message arrives.
    if (this.pager.state.kind === 'end' && wasEmpty && this.store.length > 0) renderHistoryStatusLine(this.historyStatus, this.pager.state, true, this.emptyText);
    if (latestIncoming) this.deps.announce(announcementFor(latestIncoming, newIncoming));

    if (wasAtBottom || ownSendArrived) {
      this.toBottom();
      this.setUnseen(0);
    } else {
      this.layout(anchor);
      this.noteReadingAnchor();
      if (newIncoming > 0) this.setUnseen(this.unseen + newIncoming);
    }
    this.saveScroll.schedule();
    this.maybeMarkRead();
  }

  /** A new version of a loaded message; `changed` gets the rows whose grouping it may have changed. */
  private updateEntry(entry: TimelineEntry, message: ChatMessage, changed?: TimelineEntry[]): void {
    const previous = entry.row.current;
    // Where it was, found by its old time; the row after it loses its neighbour if it moves.
    const from = previous.time !== message.time ? this.store.indexOf(entry) : -1;
    const follower = from >= 0 ? this.store.at(from + 1) : undefined;
    entry.row.update(message);
    const movedTo = this.store.updated(entry, previous);
    if (movedTo !== undefined && from >= 0) this.rows.moved(from, movedTo);
    this.rows.changed(entry);
    changed?.push(entry);
    if (follower) changed?.push(follower);
  }

  /** Regroups the rows of `changed` where they are now (and the row after each). */
  private regroup(changed: readonly TimelineEntry[]): void {
    const indices: number[] = [];
    for (const entry of changed) {
      const at = this.store.indexOf(entry);
      if (at < 0) continue;
      indices.push(at);
      // A day heading or a sender label coming or going changes a mounted row's height.
      const next = this.store.at(at + 1);
      this.rows.changed(entry);
      if (next) this.rows.changed(next);
    }
    this.grouping.around(this.rowSequence, indices, Date.now());
  }

  private prependPage(rawMessages: readonly unknown[]): void {
    const conversation = this.conversation;
    if (conversation === null) return;
    const messages = sanitizeChatMessages(rawMessages)
      .filter((m) => belongsTo(m, conversation))
      .map((m) => this.strings.pool(m));
    const wasAtBottom = this.stuckToBottom;
    const anchor = wasAtBottom ? undefined : (this.readingAnchor ?? this.rows.anchor());
    let seq = this.store.reserveHistorySeqs(messages.length);
    const fresh: TimelineEntry[] = [];
    for (const message of messages) {
      const entrySeq = seq++;
      // Whatever is already shown is newer than a stored page: upserts win over history.
      if (this.store.find(message)) continue;
      fresh.push({ row: new MessageRow(message, this.replies, this.downloads), seq: entrySeq });
    }
    // A page older than everything loaded goes in front in one step; anything else row by row.
    const inFront = this.store.prepend(fresh);
    if (inFront) this.rows.inserted(0, fresh.length);
    else for (const entry of fresh) this.rows.inserted(this.store.insert(entry), 1);
    this.regroup(fresh);
    if (wasAtBottom) this.toBottom();
    else this.layout(anchor);
    this.noteReadingAnchor();
    this.prefetch.rebase(this.rows.distanceFromOldest());
    this.continueSeek();
    // Still near the top (short page, tall viewport, a fast reader): keep going.
    this.maybeLoadOlder();
  }

  // ---- scrolling ------------------------------------------------------------------------------

  /**
   * Puts the rows the viewport needs in the document, then the reader back in place: at the bottom
   * while stuck there, else with `anchor`'s row at its offset. Measuring new rows can move the
   * anchor, which can bring other rows into view: a few passes settle it.
   */
  private layout(anchor: ScrollAnchor | undefined): void {
    for (let pass = 0; pass < MAX_LAYOUT_PASSES; pass++) {
      const scrolledFrom = this.scroller.scrollTop;
      const moved = this.rows.sync(this.stuckToBottom ? 'bottom' : 'scroll');
      if (this.stuckToBottom) scrollToBottom(this.scroller);
      else if (anchor) this.rows.restore(anchor);
      // Settled: the same rows, and the anchor where it was (a jump to an unmounted row moves it).
      if (!moved && this.scroller.scrollTop === scrolledFrom) break;
    }
    this.ownScrollTop = this.scroller.scrollTop;
  }

  /** Rows or the viewport changed size: the reader's place now, the window on the next frame. */
  private onResize(): void {
    if (this.stuckToBottom) scrollToBottom(this.scroller);
    else if (this.readingAnchor) this.rows.restore(this.readingAnchor);
    this.ownScrollTop = this.scroller.scrollTop;
    this.relayout.value ??= animationFrame(() => {
      this.relayout.value = undefined;
      this.layout(this.stuckToBottom ? undefined : (this.readingAnchor ?? this.rows.anchor()));
      this.noteReadingAnchor();
    });
  }

  private scrollPosition(): ScrollPosition {
    if (isAtBottom(this.scroller) || this.store.length === 0) return { atBottom: true };
    const anchor = this.rows.anchor();
    if (!anchor) return { atBottom: true };
    const message = anchor.entry.row.current;
    return { atBottom: false, anchorKey: message.key, anchorTime: message.time, offsetPx: Math.round(anchor.offset) };
  }

  private toBottom(): void {
    this.stuckToBottom = true;
    this.readingAnchor = undefined;
    this.layout(undefined);
  }

  /** After moving the list to a row: within reach of the end it sticks there, else that is the reader's place. */
  private settle(): void {
    if (isAtBottom(this.scroller)) this.toBottom();
    else {
      this.stuckToBottom = false;
      this.noteReadingAnchor();
    }
  }

  private noteReadingAnchor(): void {
    this.readingAnchor = this.stuckToBottom ? undefined : this.rows.anchor();
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
      this.layout(undefined);
      this.pager.loadOlder();
      return;
    }
    this.toBottom();
  }

  /** Scrolls so that the message `key` is `offset` px below the viewport's top. */
  private positionAt(key: string, offset: number): boolean {
    const entry = this.store.getByKey(key);
    if (!entry) return false;
    this.stuckToBottom = false;
    this.layout({ entry, offset });
    this.settle();
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
    // The list scrolled itself there and has already done what a scroll needs.
    if (this.scroller.scrollTop === this.ownScrollTop) return;
    this.prefetch.noteScroll(this.rows.distanceFromOldest(), performance.now());
    this.stuckToBottom = isAtBottom(this.scroller);
    // Mount what the new scroll position shows, keeping the row the reader scrolled to in place.
    this.layout(this.stuckToBottom ? undefined : this.rows.anchor());
    this.noteReadingAnchor();
    if (this.stuckToBottom) {
      this.setUnseen(0);
      this.maybeMarkRead();
    }
    this.maybeLoadOlder();
    this.saveScroll.schedule();
  }

  /** Asks for the next older page while the reader is still a few screens (more when scrolling fast) from the oldest loaded row. */
  private maybeLoadOlder(): void {
    if (this.conversation === null || this.pager.state.kind !== 'idle') return;
    if (this.rows.distanceFromOldest() <= this.prefetch.distance(this.scroller.clientHeight, performance.now())) this.pager.loadOlder();
  }

  // ---- moving to a row ------------------------------------------------------------------------

  /** Mounts row `index` if needed, scrolls it into view (the least that shows it whole) and focuses it. */
  private focusRow(index: number): void {
    const entry = this.store.at(index);
    if (!entry) return;
    const viewport = this.scroller.clientHeight;
    // Where the row should be: as it is when it is in view, else at the nearer edge of the viewport.
    const wanted = (top: number, height: number): number => (top < 0 || height >= viewport ? 0 : top + height > viewport ? viewport - height : top);
    const top = this.rows.rowTop(index);
    const offset = wanted(top, this.rows.rowHeight(index));
    if (entry.row.element === undefined || offset !== top) {
      this.stuckToBottom = false;
      this.layout({ entry, offset });
      // Mounted now, the row's real height is known: correct a guess that left part of it out of view.
      const element = entry.row.element;
      if (element) {
        const real = this.rows.rowTop(index);
        const settled = wanted(real, element.getBoundingClientRect().height);
        if (Math.abs(settled - real) > 0.5) this.layout({ entry, offset: settled });
      }
      this.settle();
    }
    entry.row.element?.focus({ preventScroll: true });
    this.maybeLoadOlder();
    this.saveScroll.schedule();
  }

  /** The row about a screen above or below row `index`. */
  private screenFrom(index: number, direction: RowDirection): number {
    const top = this.rows.rowTop(index);
    const target = direction === 'up' ? top - this.scroller.clientHeight + 1 : top + this.scroller.clientHeight;
    const found = this.rows.indexAtViewportOffset(target);
    return direction === 'up' ? Math.min(found, index - 1) : Math.max(found, index + 1);
  }

  /** "Show" on a quote: the quoted message, when it is loaded, is scrolled to and focused. */
  private showQuoted(replyKey: string): void {
    const reply = this.store.getByKey(replyKey)?.row.current;
    const quotedId = reply?.quote?.venueMessageId;
    if (!reply || quotedId === undefined) return;
    const quoted = this.store.getByKey(messageKey(reply.venue, reply.accountId, reply.conversationId, quotedId));
    const index = quoted ? this.store.indexOf(quoted) : -1;
    if (index < 0) {
      this.deps.announce(l10n.t('The quoted message is older than the messages loaded here.'));
      return;
    }
    this.focusRow(index);
  }

  private setUnseen(count: number): void {
    this.unseen = count;
    this.newPill.hidden = count === 0;
    if (count > 0) setButtonLabel(this.newPill, count === 1 ? l10n.t('1 new message') : l10n.t('{0} new messages', formatNumber(count)));
  }

  /** The status line sits above the list: changing its height must not move what the reader sees. */
  private renderHistoryStatus(state: PagerState): void {
    const anchor = this.stuckToBottom ? undefined : this.rows.anchor();
    renderHistoryStatusLine(this.historyStatus, state, this.store.length > 0, this.emptyText);
    this.rows.setBusy(state.kind === 'loading');
    if (anchor) {
      this.rows.restore(anchor);
      this.ownScrollTop = this.scroller.scrollTop;
    }
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
