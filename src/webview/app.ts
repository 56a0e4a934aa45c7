// Wires the pane together: the RPC client, the header, notices, timeline and composer, the ready
// handshake and the UI state that survives hide/show and reload.
import * as l10n from '@vscode/l10n';
import type { NotificationParams } from '../shared/protocol';
import { Announcer } from './announcer';
import { Composer } from './composer/composer';
import { el } from './dom';
import { Header } from './header/header';
import { NoticeArea, type NoticeLevel } from './header/notices';
import { parseComposerCapabilities, parseConnectionState, parseConversation, parseVenueInfo } from './hostGuards';
import { type Disposable, DisposableStore, listen } from './lifecycle';
import { RpcClient, type NotificationHandlers } from './rpc';
import { Timeline } from './timeline/timeline';
import { registerToolkit } from './ui';
import { type ConversationRef, UiStateStore, conversationRefOf, sameConversation } from './uiState';
import type { WebviewApi } from './vscodeApi';

const NOTICE_LEVELS: readonly string[] = ['info', 'warning', 'error'];

export class ChatApp implements Disposable {
  private readonly disposables = new DisposableStore();
  private readonly rpc: RpcClient;
  private readonly state: UiStateStore;
  private readonly announcer = new Announcer();
  private readonly header: Header;
  private readonly notices = new NoticeArea();
  private readonly timeline: Timeline;
  private readonly composer: Composer;
  private readonly shell: HTMLElement;
  private readonly placeholder: HTMLElement;
  private conversation: ConversationRef | null = null;

  constructor(
    private readonly root: HTMLElement,
    api: WebviewApi,
  ) {
    registerToolkit();
    this.state = new UiStateStore(api);
    const handlers: NotificationHandlers = {
      'conversation/snapshot': (params) => this.onSnapshot(params),
      'conversation/update': (params) => this.onConversationUpdate(params),
      'message/upsert': (params) => this.timeline.upsert(Array.isArray(params.messages) ? params.messages : []),
      'connection/state': (params) => this.onConnectionState(params),
      'notice/show': (params) => this.onNotice(params),
      'composer/send': () => this.composer.send(),
      'composer/focus': (params) => this.onComposerFocus(params),
      'download/progress': (params) => this.timeline.downloadProgress(params),
      'upload/progress': (params) => {
        if (typeof params.clientMessageId === 'string' && typeof params.sent === 'number' && typeof params.total === 'number') this.timeline.uploadProgress(params.clientMessageId, params.sent, params.total);
      },
    };
    this.rpc = this.disposables.add(new RpcClient((envelope) => api.postMessage(envelope), handlers));
    this.header = this.disposables.add(new Header((text) => this.announcer.announce(text)));
    this.disposables.add(this.notices);
    this.disposables.add(this.announcer);
    this.timeline = this.disposables.add(
      new Timeline({
        rpc: this.rpc,
        showError: (message) => this.notices.show('error', message),
        announce: (text) => this.announcer.announce(text),
        onScrollPositionChange: (scroll) => {
          if (this.conversation) this.state.update({ scroll });
        },
        onReply: (message) => this.composer.replyTo(message),
      }),
    );
    this.composer = this.disposables.add(
      new Composer({ rpc: this.rpc, state: this.state, onAccepted: (clientMessageId) => this.timeline.expectOwnSend(clientMessageId) }),
    );

    // The conversation is not shown until the first snapshot: a half-filled pane would look like a
    // real, empty chat. The composer is there from the start, focused, so what the user types while
    // the host is still answering is kept (it joins the draft when the snapshot arrives).
    this.placeholder = el('div', { className: 'placeholder', attrs: { role: 'status' } }, [el('span', { text: l10n.t('Loading conversation…') })]);
    this.shell = el('div', { className: 'shell', attrs: { hidden: '' } }, [this.header.element, this.notices.element, this.timeline.element]);
    this.root.replaceChildren(this.placeholder, this.shell, this.composer.element, this.announcer.element);
    this.root.setAttribute('aria-busy', 'true');
  }

  /** Listens for the host, then tells it the pane is ready (the host posts nothing before that). */
  start(): void {
    this.disposables.add(listen(window, 'message', (event) => this.rpc.handleMessage(event.data)));
    // Focus as soon as the pane can take input, not when the history has arrived.
    this.composer.focus();
    this.disposables.add(
      listen(window, 'keydown', (event) => {
        // A character typed while nothing has focus (the pane was just clicked) goes to the composer:
        // moving focus during keydown makes the browser insert the character there.
        if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1) return;
        const active = document.activeElement;
        if (active === null || active === document.body || active === document.documentElement) this.composer.focus();
      }),
    );
    // The page can be torn down at any time (panel hidden, window reload): keep the draft.
    const saveNow = (): void => {
      this.composer.flushDraft();
      this.timeline.flushScrollPosition();
    };
    this.disposables.add(listen(window, 'pagehide', saveNow));
    this.disposables.add(
      listen(document, 'visibilitychange', () => {
        if (document.visibilityState === 'hidden') saveNow();
      }),
    );
    this.rpc.request('webview/ready', {}).catch((error: unknown) => {
      this.placeholder.replaceChildren(
        el('span', { className: 'placeholder__error', text: l10n.t({ message: 'The extension did not respond: {0}. Close and reopen the chat.', args: [error instanceof Error ? error.message : String(error)], comment: ['{0} is the error'] }) }),
      );
    });
  }

  private onSnapshot(params: NotificationParams['conversation/snapshot']): void {
    const conversation = parseConversation(params.conversation);
    if (!conversation) return;
    const ref = conversationRefOf(conversation);
    const saved = this.state.current;
    const sameAsShown = sameConversation(this.conversation, ref);
    const sameAsSaved = sameConversation(saved.conversation, ref);
    if (this.conversation !== null && !sameAsShown) this.composer.discardPendingDraftSave();

    // The webview's own copy is the newest draft (the host copy is debounced).
    const draft = sameAsSaved ? saved.draft : typeof params.draft === 'string' ? params.draft : '';
    this.conversation = ref;
    this.state.update({
      conversation: ref,
      draft,
      draftClientMessageId: sameAsSaved ? saved.draftClientMessageId : null,
      scroll: sameAsSaved ? saved.scroll : { atBottom: true },
    });

    this.header.setConversation(conversation);
    const connection = parseConnectionState(params.connection);
    this.header.setConnection(connection);
    this.composer.setConnection(connection);
    const capabilities = parseComposerCapabilities(params.composer);
    this.composer.open(conversation, capabilities, draft, sameAsShown);

    this.shell.hidden = false;
    this.placeholder.remove();
    this.root.removeAttribute('aria-busy');
    const messages = Array.isArray(params.messages) ? params.messages : [];
    const before = typeof params.before === 'string' ? params.before : undefined;
    this.timeline.setVenue(parseVenueInfo(params.venue, conversation.venue));
    this.timeline.setReplies(capabilities.replies === true);
    this.timeline.showSnapshot(ref, messages, before, sameAsShown ? 'keep' : sameAsSaved ? saved.scroll : { atBottom: true });
  }

  private onConversationUpdate(params: NotificationParams['conversation/update']): void {
    const conversation = parseConversation(params.conversation);
    if (conversation && sameConversation(this.conversation, conversationRefOf(conversation))) this.header.setConversation(conversation);
  }

  private onConnectionState(params: NotificationParams['connection/state']): void {
    const state = parseConnectionState(params.state);
    this.header.setConnection(state);
    this.composer.setConnection(state);
  }

  /** Reply to the latest unread (a command in VS Code): the quote starts when the message is loaded and can be answered. */
  private onComposerFocus(params: NotificationParams['composer/focus']): void {
    const key = params.replyTo?.key;
    const message = typeof key === 'string' ? this.timeline.messageByKey(key) : undefined;
    if (message) this.composer.replyTo(message);
    this.composer.focus();
  }

  private onNotice(params: NotificationParams['notice/show']): void {
    if (typeof params.message !== 'string') return;
    const level = (NOTICE_LEVELS.includes(params.level) ? params.level : 'info') as NoticeLevel;
    this.notices.show(level, params.message);
  }

  dispose(): void {
    this.composer.flushDraft();
    this.disposables.dispose();
  }
}
