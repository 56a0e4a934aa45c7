// Opens, focuses and restores chat panels: one per conversation.
import * as vscode from 'vscode';
import { ChatPanel, PANE_LOAD_TIMEOUT_MS, type ChatPanelDeps, type ConversationTarget } from './chatPanel';
import { Views } from './constants';

/** One message the host posted to a chat pane. */
export interface PostedToPane {
  readonly target: ConversationTarget;
  readonly message: object;
}

export class ChatPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ChatPanel>();
  private readonly postEmitter = new vscode.EventEmitter<PostedToPane>();
  private readonly activeEmitter = new vscode.EventEmitter<void>();
  /** A pane became, or stopped being, the active editor (or closed). */
  readonly onDidChangeActive = this.activeEmitter.event;
  /** Every message posted to any pane (the exported API offers it to tests; nothing in the product listens). */
  readonly onDidPost = this.postEmitter.event;
  private readonly deps: ChatPanelDeps;
  /** Panes opened anew because the page of the one before never loaded; a pane leaves once its page loads. */
  private readonly reopened = new WeakSet<ChatPanel>();

  constructor(deps: ChatPanelDeps) {
    this.deps = { ...deps, onPost: (target, message) => this.postEmitter.fire({ target, message }) };
  }

  open(target: ConversationTarget, preserveFocus = false, viewColumn: vscode.ViewColumn = vscode.ViewColumn.Active): ChatPanel {
    const existing = this.panels.get(keyOf(target));
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(Views.chatPanel, vscode.l10n.t('Conversation'), { viewColumn, preserveFocus }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      enableFindWidget: true,
    });
    return this.adopt(panel, target);
  }

  get(target: ConversationTarget): ChatPanel | undefined {
    return this.panels.get(keyOf(target));
  }

  all(): ChatPanel[] {
    return [...this.panels.values()];
  }

  /** The pane that is the active editor: what the pane's title-bar actions and keybindings act on. */
  active(): ChatPanel | undefined {
    return this.all().find((p) => p.panel.active);
  }

  /** Takes over a panel VS Code created (a new one, or one restored after a reload). */
  adopt(panel: vscode.WebviewPanel, target: ConversationTarget): ChatPanel {
    const chat = new ChatPanel(panel, target, this.deps);
    const key = keyOf(target);
    this.panels.set(key, chat);
    const viewState = panel.onDidChangeViewState(() => this.activeEmitter.fire());
    const notLoaded = chat.onDidNotLoad(() => this.reopenBlank(chat));
    const loaded = chat.onDidLoad(() => this.reopened.delete(chat));
    chat.onDidDispose(() => {
      viewState.dispose();
      notLoaded.dispose();
      loaded.dispose();
      if (this.panels.get(key) === chat) this.panels.delete(key);
      this.activeEmitter.fire();
    });
    return chat;
  }

  /**
   * A shown pane's page never said ready (VS Code web can leave a new webview blank for good): the
   * pane is closed and opened again where it was, once; a second blank page is reported instead of
   * opened again without end. Nothing is lost: a page that never loaded holds no draft.
   */
  private reopenBlank(chat: ChatPanel): void {
    const where = `${chat.target.accountId}/${chat.target.conversationId}`;
    const seconds = (this.deps.loadTimeoutMs ?? PANE_LOAD_TIMEOUT_MS) / 1000;
    if (this.reopened.has(chat)) {
      this.deps.logger.error(`chat pane ${where}: the page did not load within ${seconds} s, again after it was opened anew`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The chat pane stayed blank, also when opened again. Close it and open the conversation again, or reload the window (Developer: Reload Window).'));
      return;
    }
    this.deps.logger.warn(`chat pane ${where}: the page did not load within ${seconds} s (the webview stayed blank); opening the pane again`);
    const column = chat.panel.viewColumn ?? vscode.ViewColumn.Active;
    const preserveFocus = !chat.panel.active;
    chat.panel.dispose();
    this.reopened.add(this.open(chat.target, preserveFocus, column));
  }

  /** `venueChat.media.extraOrigins` changed: open panes rebuild their CSP (those whose origins changed). */
  refreshMediaOrigins(): void {
    for (const p of this.panels.values()) p.refreshMediaOrigins();
  }

  /** The upload target changed: open panes' composers learn whether they can attach files now. */
  refreshComposers(): void {
    for (const p of this.panels.values()) p.refreshComposer();
  }

  /** Closes the account's panels (Remove Account): their connections go with them. Returns how many. */
  closeAccount(accountId: string): number {
    const closing = [...this.panels.values()].filter((p) => p.target.accountId === accountId);
    for (const p of closing) p.panel.dispose();
    return closing.length;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.panels.clear();
    this.postEmitter.dispose();
    this.activeEmitter.dispose();
  }
}

function keyOf(t: ConversationTarget): string {
  return `${t.accountId}\u0000${t.conversationId}`;
}
