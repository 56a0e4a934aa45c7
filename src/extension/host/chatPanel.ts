// One editor-area webview panel per conversation. The webview is a view: it renders what the host
// posts and sends typed requests back, each validated here (docs/architecture.md: Host ⇄ webview
// protocol, Trust boundaries).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { revealBidiControls } from '../../shared/bidiControls';
import { countCharacters } from '../../shared/characterCount';
import type { Attachment, ChatMessage, ComposerCapabilities } from '../../shared/model';
import { chatPanelHtml } from '../../shared/chatHtml';
import {
  parseRequest,
  type NotificationMethod,
  type NotificationParams,
  type RequestMethod,
  type RequestResults,
  type ValidRequestParams,
} from '../../shared/protocol';
import type { HistoryPage } from '../core/inbox/historyPager';
import type { InboxHub } from '../core/inbox/inboxHub';
import type { Logger } from '../core/logger';
import { ReplyError } from '../core/inbox/replyQuote';
import { venueDescriptor } from '../venues/registry';
import { paneMessages } from './localMedia';
import type { AttachmentDownloads } from './attachmentDownloads';
import type { MediaUploader } from './mediaUploader';
import type { StateRedactor } from './stateText';
import { draftKey } from './draftMigration';
import { UserFacingError } from './userFacingError';
import { pickFilesForUpload } from './venueUploadPicker';
import { askStructured, queueStructured } from './structuredPrompts';

export interface ConversationTarget {
  readonly accountId: string;
  readonly conversationId: string;
}

export interface ChatPanelDeps {
  readonly hub: InboxHub;
  readonly extensionUri: vscode.Uri;
  readonly logger: Logger;
  /** Connection-state reasons reach the pane redacted, as in the tree and the status bar. */
  readonly redactor: StateRedactor;
  /** Where composer drafts are kept: the global state, with the inbox (draftMigration.ts). */
  readonly drafts: vscode.Memento;
  readonly uploader: MediaUploader;
  /** Saves attachments through the host (`attachment/download`) and reports their progress. */
  readonly downloads: AttachmentDownloads;
  /** Origins the CSP lets media load from for this account (the venue's media hosts). */
  readonly mediaOrigins: (accountId: string) => string[];
  /** Where adapters keep media they saved (file: URLs under it are shown through the webview). */
  readonly localMediaRoot?: vscode.Uri;
  /** Hears every message the host posts to the pane (the secrets test scans them); set by ChatPanels. */
  readonly onPost?: (target: ConversationTarget, message: object) => void;
  /** How long a shown pane may take to say `webview/ready` (PANE_LOAD_TIMEOUT_MS unless a test sets it). */
  readonly loadTimeoutMs?: number;
}

/**
 * How long a shown pane's page may take to say `webview/ready` before it counts as not loaded. It
 * takes well under a second; VS Code web sometimes leaves a new webview's frame blank for good
 * (its service worker never takes control), and ChatPanels then opens the pane again.
 */
export const PANE_LOAD_TIMEOUT_MS = 15_000;


export class ChatPanel implements vscode.Disposable {
  private ready = false;
  /** Counts snapshots started (and hides): a snapshot whose read was overtaken is not sent. */
  private snapshotGeneration = 0;
  /** While a snapshot's page is read: live messages that arrive meanwhile, sent right after it. */
  private heldBack: (readonly ChatMessage[])[] | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly onDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDisposeEmitter.event;
  private rejected = 0;
  /** The media origins the pane's CSP was built with (a changed list rebuilds the page). */
  private cspOrigins: readonly string[] = [];
  /** A composer focus asked for before the pane was ready: sent after the snapshot (the quote needs the messages). */
  private pendingFocus: NotificationParams['composer/focus'] | undefined;
  /** Runs while the shown page has not said `webview/ready` since it was set or shown. */
  private loadWatch: ReturnType<typeof setTimeout> | undefined;
  /** The page now shown said `webview/ready` (the snapshot may still be on its way: `ready` is later). */
  private pageLoaded = false;
  private readonly notLoadedEmitter = new vscode.EventEmitter<void>();
  /** The pane was shown and its page did not say ready within the load timeout (the webview stayed blank). */
  readonly onDidNotLoad = this.notLoadedEmitter.event;
  private readonly loadedEmitter = new vscode.EventEmitter<void>();
  /** The pane's page said `webview/ready`. */
  readonly onDidLoad = this.loadedEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly target: ConversationTarget,
    private readonly deps: ChatPanelDeps,
  ) {
    const { hub } = deps;
    panel.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, 'dist'), vscode.Uri.joinPath(deps.extensionUri, 'media'), ...(deps.localMediaRoot ? [deps.localMediaRoot] : [])],
    };
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'venue-chat.svg');
    this.updateTitle();
    panel.webview.html = this.html();
    this.watchLoad();
    const view = hub.openConversation(target.accountId, target.conversationId);
    view.setVisible(panel.visible);
    this.disposables.push(
      view,
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onRequest(raw)),
      panel.onDidChangeViewState(() => {
        // Without retainContextWhenHidden the webview is torn down when hidden; it says ready again when shown.
        if (!panel.visible) {
          this.ready = false;
          this.snapshotGeneration++;
          this.heldBack = undefined;
          this.pageLoaded = false;
          this.stopLoadWatch();
        } else if (!this.pageLoaded && this.loadWatch === undefined) {
          this.watchLoad(); // shown again: the page is built anew
        }
        view.setVisible(panel.visible);
        if (panel.active) void hub.markRead(target.accountId, target.conversationId);
      }),
      hub.onMessages((e) => {
        if (e.accountId !== target.accountId || e.conversationId !== target.conversationId) return;
        if (this.heldBack) this.heldBack.push(e.messages);
        else this.notify('message/upsert', { messages: this.forPane(e.messages) });
      }),
      hub.onDidResetConversation((e) => {
        // Two stored records became one: a fresh snapshot drops the retired row (scroll and draft are kept).
        if (this.ready && e.accountId === target.accountId && e.conversationId === target.conversationId) void this.sendSnapshot();
      }),
      hub.onUploadProgress((e) => {
        if (e.accountId === target.accountId && e.conversationId === target.conversationId) this.notify('upload/progress', { clientMessageId: e.clientMessageId, sent: e.sent, total: e.total });
      }),
      deps.downloads.onProgress(({ accountId, conversationId, ...progress }) => {
        if (accountId === target.accountId && conversationId === target.conversationId) this.notify('download/progress', progress);
      }),
      hub.onDidChangeState((e) => {
        if (e.accountId === target.accountId) this.notify('connection/state', { state: deps.redactor.redactState(e.state) });
      }),
      hub.onDidChangeConversations(() => {
        const conversation = hub.conversation(target.accountId, target.conversationId);
        if (conversation) this.notify('conversation/update', { conversation });
        this.updateTitle();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Number of webview requests rejected by validation (bad shape or unknown method). */
  get rejectedCount(): number {
    return this.rejected;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /**
   * The origins media may load from changed (`venueChat.media.extraOrigins`): a CSP is fixed when a
   * page loads, so the page is built again. It says ready again and gets a fresh snapshot; the
   * draft is saved as the old page goes (`pagehide`) and comes back with it.
   */
  refreshMediaOrigins(): void {
    const origins = this.deps.mediaOrigins(this.target.accountId);
    if (JSON.stringify(origins) === JSON.stringify(this.cspOrigins)) return;
    this.ready = false;
    this.snapshotGeneration++;
    this.heldBack = undefined;
    this.panel.webview.html = this.html();
    this.watchLoad();
  }

  /**
   * What the composer offers changed (an upload target was set or cleared): a snapshot of the same
   * conversation carries the new capabilities and leaves what the user is typing alone.
   */
  refreshComposer(): void {
    if (this.ready) void this.sendSnapshot();
  }

  /**
   * Sends what the pane's composer holds, through the pane's own Send (the Send Message keybinding):
   * the pane checks, numbers and queues it exactly as for its Send button. A pane still loading
   * sends nothing, as its Send button would not.
   */
  sendComposer(): void {
    this.notify('composer/send', {});
  }

  /** Focuses the composer and starts a quoted reply to the message under `replyToKey` where the venue has replies. */
  focusComposer(replyToKey?: string): void {
    const params = replyToKey !== undefined ? { replyTo: { key: replyToKey } } : {};
    if (this.ready) this.notify('composer/focus', params);
    else this.pendingFocus = params;
  }

  dispose(): void {
    this.stopLoadWatch();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.onDisposeEmitter.fire();
    this.onDisposeEmitter.dispose();
    this.notLoadedEmitter.dispose();
    this.loadedEmitter.dispose();
  }

  /** Starts (again) the wait for the shown page's `webview/ready`. */
  private watchLoad(): void {
    this.stopLoadWatch();
    this.pageLoaded = false;
    if (!this.panel.visible) return;
    this.loadWatch = setTimeout(() => {
      this.loadWatch = undefined;
      if (this.panel.visible) this.notLoadedEmitter.fire();
    }, this.deps.loadTimeoutMs ?? PANE_LOAD_TIMEOUT_MS);
  }

  private stopLoadWatch(): void {
    if (this.loadWatch !== undefined) clearTimeout(this.loadWatch);
    this.loadWatch = undefined;
  }

  private updateTitle(): void {
    const c = this.deps.hub.conversation(this.target.accountId, this.target.conversationId);
    // A tab title is a plain-string surface: bidi controls in counterparty text are shown, not obeyed.
    this.panel.title = c ? revealBidiControls(c.title) : vscode.l10n.t('Conversation');
  }

  private html(): string {
    const webview = this.panel.webview;
    const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, ...p)).toString();
    this.cspOrigins = this.deps.mediaOrigins(this.target.accountId);
    return chatPanelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: asset('dist', 'webview.js'),
      styleUris: [asset('media', 'chat.css')],
      mediaOrigins: this.cspOrigins,
      localMedia: this.deps.localMediaRoot !== undefined,
      title: this.panel.title,
      language: vscode.env.language,
      l10nBundle: vscode.l10n.bundle,
    });
  }

  private forPane(messages: readonly ChatMessage[]): ChatMessage[] {
    return paneMessages(messages, this.panel.webview, this.deps.localMediaRoot);
  }

  private notify<M extends NotificationMethod>(method: M, params: NotificationParams[M]): void {
    if (!this.ready) return; // the snapshot sent on ready covers anything missed
    void this.post({ method, params });
  }

  /** Every message to the webview goes through here, so the whole outflow can be observed in one place. */
  private post(message: object): Thenable<boolean> {
    this.deps.onPost?.(this.target, message);
    return this.panel.webview.postMessage(message);
  }

  private async onRequest(raw: unknown): Promise<void> {
    const parsed = parseRequest(raw);
    if (!parsed.ok) {
      this.rejected++;
      this.deps.logger.warn(`chat panel: rejected a webview message: ${parsed.error.message}`);
      if (parsed.id !== undefined) void this.post({ id: parsed.id, ok: false, error: parsed.error });
      return;
    }
    try {
      const result = await this.handle(parsed.method, parsed.params);
      const reply = this.post({ id: parsed.id, ok: true, result });
      // The snapshot follows the ready reply at once (messages keep their order): waiting for the
      // reply's delivery cost the pane a round trip before it could show anything.
      if (parsed.method === 'webview/ready') {
        this.pageLoaded = true;
        this.stopLoadWatch();
        this.loadedEmitter.fire();
        void this.sendSnapshot();
      }
      await reply;
    } catch (err) {
      const code = err instanceof UserFacingError || err instanceof ReplyError ? err.code : 'internal';
      const message = err instanceof Error ? err.message : String(err);
      if (code === 'internal') this.deps.logger.error(`chat panel: ${parsed.method} failed: ${message}`);
      void this.post({ id: parsed.id, ok: false, error: { code, message } });
    }
  }

  /**
   * Reads the newest page (from the end of the conversation's log when it is not in memory, so a
   * long history opens as fast as a short one) and sends it. Live messages stored while the page is
   * read are held back and sent right after the snapshot, so none falls between the two.
   */
  private async sendSnapshot(): Promise<void> {
    const { hub } = this.deps;
    const { accountId, conversationId } = this.target;
    const generation = ++this.snapshotGeneration;
    const conversation = hub.conversation(accountId, conversationId);
    if (!conversation) {
      this.ready = true;
      this.notify('notice/show', { level: 'error', message: vscode.l10n.t('This conversation is not known (was its account removed?).') });
      return;
    }
    this.heldBack ??= [];
    let page: HistoryPage;
    try {
      page = await hub.readNewestPage(accountId, conversationId, 50);
    } catch (err) {
      if (generation !== this.snapshotGeneration) return;
      this.heldBack = undefined;
      this.ready = true;
      const reason = err instanceof Error ? err.message : String(err);
      this.deps.logger.error(`chat panel: could not read the stored messages: ${reason}`);
      this.notify('notice/show', { level: 'error', message: vscode.l10n.t('Could not read the stored messages of this chat: {0}', reason) });
      return;
    }
    if (generation !== this.snapshotGeneration) return; // a later snapshot (or a hide) took over
    const heldBack = this.heldBack ?? [];
    this.heldBack = undefined;
    this.ready = true;
    this.notify('conversation/snapshot', {
      conversation: hub.conversation(accountId, conversationId) ?? conversation,
      messages: this.forPane(page.messages),
      before: page.before,
      connection: this.deps.redactor.redactState(hub.state(accountId)),
      composer: this.composerCapabilities(),
      // The pane explains an empty chat by what the venue keeps (MEXC keeps no history).
      venue: { name: venueDescriptor(conversation.venue).name, serverHistory: hub.adapter(accountId)?.capabilities.serverHistory ?? true },
      draft: this.deps.drafts.get<string>(this.draftKey()),
    });
    for (const messages of heldBack) this.notify('message/upsert', { messages: this.forPane(messages) });
    if (this.pendingFocus) {
      this.notify('composer/focus', this.pendingFocus);
      this.pendingFocus = undefined;
    }
  }

  private composerCapabilities(): ComposerCapabilities {
    const caps = this.deps.hub.adapter(this.target.accountId)?.capabilities;
    return {
      sendKinds: caps?.sendKinds ?? ['text'],
      mediaByUrl: caps?.mediaByUrl ?? false,
      canUpload: caps?.upload !== undefined || this.deps.uploader.configured,
      venueUpload: caps?.upload !== undefined,
      maxTextLength: caps?.maxTextLength ?? 2000,
      replies: caps?.replies === true,
    };
  }

  private draftKey(): string {
    return draftKey(this.target.accountId, this.target.conversationId);
  }

  private async handle(method: RequestMethod, params: unknown): Promise<RequestResults[RequestMethod]> {
    const { hub } = this.deps;
    const { accountId, conversationId } = this.target;
    switch (method) {
      case 'webview/ready':
        return { accepted: true };
      case 'history/page': {
        const p = params as ValidRequestParams<'history/page'>;
        const page = await hub.page(accountId, conversationId, p.before, p.limit);
        return { ...page, messages: this.forPane(page.messages) };
      }
      case 'message/send': {
        const p = params as ValidRequestParams<'message/send'>;
        const caps = this.composerCapabilities();
        if (!caps.sendKinds.includes(p.kind)) throw new UserFacingError('unsupported', vscode.l10n.t('This venue cannot send {0} messages.', p.kind));
        if (countCharacters(p.text) > caps.maxTextLength) throw new UserFacingError('bad-request', vscode.l10n.t('Message is longer than {0} characters.', caps.maxTextLength));
        const attachment: Attachment | undefined = p.kind === 'text' || p.kind === 'markdown' || !p.url ? undefined : { kind: p.kind, url: p.url, name: p.fileName };
        const message = await hub.send({ clientMessageId: p.clientMessageId, accountId, conversationId, kind: p.kind, text: p.text, attachment, replyTo: p.replyTo?.key });
        await this.deps.drafts.update(this.draftKey(), undefined);
        return { key: message.key };
      }
      case 'message/retry': {
        const p = params as ValidRequestParams<'message/retry'>;
        const message = await hub.retry(p.clientMessageId);
        if (!message) throw new UserFacingError('not-found', vscode.l10n.t('That message can no longer be retried.'));
        return { key: message.key };
      }
      case 'message/cancel': {
        const p = params as ValidRequestParams<'message/cancel'>;
        return { cancelled: await hub.cancel(p.clientMessageId) };
      }
      case 'attachment/pick':
        return { attachment: await this.deps.uploader.pickAndUpload(accountId) };
      case 'attachment/upload': {
        const p = params as ValidRequestParams<'attachment/upload'>;
        const capability = hub.adapter(accountId)?.capabilities.upload;
        if (!capability) throw new UserFacingError('unsupported', vscode.l10n.t('This venue has no upload API; send files as links.'));
        const picked = await pickFilesForUpload(capability);
        const queued = [];
        try {
          for (const [i, file] of picked.files.entries()) {
            // The caption (and the reply, if any) goes with the first file, as chat apps do.
            const clientMessageId = randomBytes(12).toString('base64url');
            const message = await hub.send({ clientMessageId, accountId, conversationId, kind: file.kind, text: i === 0 ? p.caption : '', file, replyTo: i === 0 ? p.replyTo?.key : undefined });
            queued.push({ key: message.key, clientMessageId, name: file.name, size: file.size });
          }
        } finally {
          // Queued files are in the outbox's own copies by now.
          await picked.release();
        }
        return { queued };
      }
      case 'compose/structured': {
        const p = params as ValidRequestParams<'compose/structured'>;
        if (!this.composerCapabilities().sendKinds.includes(p.kind)) throw new UserFacingError('unsupported', vscode.l10n.t('This venue cannot send {0} messages.', p.kind));
        const title = revealBidiControls(hub.conversation(accountId, conversationId)?.title ?? conversationId);
        const composed = await askStructured(p.kind, hub.adapter(accountId), title);
        if (!composed) return {};
        const message = await queueStructured(hub, this.target, composed, { replyTo: p.replyTo?.key });
        return { queued: { key: message.key, clientMessageId: message.clientMessageId ?? '' } };
      }
      case 'conversation/markRead':
        return { unread: await hub.markRead(accountId, conversationId) };
      case 'link/open': {
        const p = params as ValidRequestParams<'link/open'>;
        return { opened: await openLinkWithConfirmation(p.url) };
      }
      case 'attachment/download': {
        const p = params as ValidRequestParams<'attachment/download'>;
        const { saved } = await this.deps.downloads.download({ key: p.key, index: p.index, within: this.target });
        return { saved };
      }
      case 'draft/save': {
        const p = params as ValidRequestParams<'draft/save'>;
        await this.deps.drafts.update(this.draftKey(), p.text || undefined);
        return { saved: true };
      }
    }
  }
}

/** Links from counterparties open only as http(s), and only after the user saw the full URL. */
async function openLinkWithConfirmation(url: string): Promise<boolean> {
  let parsed: vscode.Uri;
  try {
    parsed = vscode.Uri.parse(url, true);
  } catch {
    return false;
  }
  if (parsed.scheme !== 'http' && parsed.scheme !== 'https') return false;
  const open = vscode.l10n.t('Open Link');
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Open this link from the chat in your browser?'), { modal: true, detail: url }, open);
  if (choice !== open) return false;
  return vscode.env.openExternal(parsed);
}

