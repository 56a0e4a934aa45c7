// Composition root: activate() wires the objects together and does nothing else.
// First, so every module below reads its texts in the display language (l10nSetup.ts).
import './l10nSetup';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ChatMessage, ConnectionState, Conversation } from '../shared/model';
import { openDeliveryCore } from './core/deliveryCore';
import { AccountService } from './host/accountService';
import { AttachmentDownloads } from './host/attachmentDownloads';
import { AccountRegistry } from './host/accounts';
import { ChatPanels, type PostedToPane } from './host/chatPanels';
import { registerCommands } from './host/commands';
import { ContextKeys, Settings } from './host/constants';
import { moveWorkspaceDrafts } from './host/draftMigration';
import { InboxTreeProvider } from './host/inboxTree';
import { integerIn, LiveSetting, stringList, trimmedString } from './host/liveSetting';
import { RedactingLog } from './host/log';
import { MediaUploader } from './host/mediaUploader';
import { IncomingNotifier } from './host/incomingNotifier';
import { NotificationMutes } from './host/notificationMutes';
import { PanelRestorer } from './host/panelRestorer';
import { PairingPanels } from './host/pairingPanels';
import { mediaOriginsFor } from './host/mediaOrigins';
import { SandboxLauncher } from './host/sandboxLauncher';
import { StatusBarIndicator } from './host/statusBar';
import { InboxOwnership } from './host/ownership';
import { forwardingApi } from './host/standby';
import { VenueLoader } from './venues/registry';

/** What the extension exports: read-only views for scripts and the integration tests. */
export interface VenueChatApi {
  readonly activationMs: number;
  readonly logFile: vscode.Uri;
  accounts(): { id: string; venue: string; label: string; state: ConnectionState }[];
  conversations(accountId: string): Conversation[];
  messages(accountId: string, conversationId: string, limit?: number): ChatMessage[];
  badInputCount(): number;
  /** Whether SecretStorage holds keys for the account (never the keys themselves). */
  hasCredentials(accountId: string): Promise<boolean>;
  rejectedWebviewRequests(): number;
  openPanels(): { accountId: string; conversationId: string; visible: boolean }[];
  /** The account's newest pairing state (WhatsApp: the QR code to scan while `needed`); undefined if it never needed pairing. */
  pairing(accountId: string): { state: 'needed' | 'paired'; qrDataUrl?: string } | undefined;
  /** Accounts with a "Pair WhatsApp" panel open, its state, and whether it shows a QR image. */
  pairingPanels(): { accountId: string; state: 'needed' | 'paired'; showsCode: boolean; html: string }[];
  /** Waits until every venue event received so far is stored. */
  settled(): Promise<void>;
  /** How many events the inbox hub fired since this window started the inbox, by kind (an idle inbox fires none). */
  eventCounts(): Readonly<Record<HubEventKind, number>>;
  /** Every message the host posts to a chat pane from now on (the secrets test scans what leaves the host). */
  onDidPostToWebview: vscode.Event<PostedToPane>;
  /** Every globalState and workspaceState entry the extension keeps (keys never live there; the test checks). */
  mementos(): { globalState: Record<string, unknown>; workspaceState: Record<string, unknown> };
  /** The folders the extension writes to (message store, outbox, conversations, media, lock). */
  readonly storageDirs: { readonly global: string; readonly workspace?: string };
}

export type HubEventKind = 'state' | 'conversations' | 'messages' | 'reset' | 'pairing' | 'badInput' | 'storeTrouble' | 'uploadProgress';

export async function activate(context: vscode.ExtensionContext): Promise<VenueChatApi> {
  const started = performance.now();
  const log = new RedactingLog();
  context.subscriptions.push(log);
  // One window owns the store and the connections; the others stand by (core/ownership/ownerLock.ts).
  const forwarding = forwardingApi(0);
  const restorer = new PanelRestorer();
  context.subscriptions.push(restorer);
  const ownership = new InboxOwnership(join(context.globalStorageUri.fsPath, 'owner.lock'), log, (subscriptions) => startInbox(context, log, started, subscriptions, restorer), forwarding);
  context.subscriptions.push(ownership);
  await ownership.begin();
  if (!forwarding.current) log.info('another VS Code window runs the Venue Chat inbox; this window stands by');
  return forwarding.api;
}

async function startInbox(context: vscode.ExtensionContext, log: RedactingLog, started: number, subscriptions: vscode.Disposable[], restorer: PanelRestorer): Promise<VenueChatApi> {
  const storageDir = context.globalStorageUri.fsPath;

  const core = await openDeliveryCore({ storageDir, logger: log });
  const { store, outbox, hub: inbox } = core;
  // Disposed last (subscriptions are disposed in reverse): the hub and outbox stop writing first.
  subscriptions.push({ dispose: () => void store.close() });
  // Repairs (a torn last record after a crash, a corrupt line) are never fatal, but the user hears of them.
  for (const problem of core.storeProblems) log.warn(`message store: ${problem}`);
  if (core.storeProblems.length > 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Venue Chat repaired its message store on startup ({0} problems). Details are in the log.', core.storeProblems.length));
  }
  // Conversations are read when first used, so a damaged log is found (and repaired) then.
  subscriptions.push(
    store.onDidRepair((problems) => {
      // Each problem is already in the log (written by the repair itself).
      void vscode.window.showWarningMessage(vscode.l10n.t('Venue Chat repaired a damaged chat log ({0} problems). Details are in the log.', problems.length));
    }),
  );
  for (const problem of core.outboxProblems) log.warn(`outbox: ${problem}`);
  // The last session's sends are checked against the store in the background (loading their
  // conversations takes time with long histories); nothing is sent before that check is done. If it
  // fails (a full disk) it is tried again until it works: the user hears once, and when it clears.
  subscriptions.push(
    outbox.onStartupTrouble((t) => {
      if (t.resolved) void vscode.window.showInformationMessage(vscode.l10n.t('Venue Chat checked the messages it was sending when it last stopped; sending resumes.'));
      else if (t.attempt === 1) void vscode.window.showErrorMessage(vscode.l10n.t('Venue Chat cannot check the messages it was sending when it last stopped ({0}), so it sends nothing yet. It keeps trying; details are in the log.', t.error ?? ''));
    }),
  );
  subscriptions.push(outbox, inbox);
  const eventCounts: Record<HubEventKind, number> = { state: 0, conversations: 0, messages: 0, reset: 0, pairing: 0, badInput: 0, storeTrouble: 0, uploadProgress: 0 };
  subscriptions.push(
    inbox.onDidChangeState(() => eventCounts.state++),
    inbox.onDidChangeConversations(() => eventCounts.conversations++),
    inbox.onMessages(() => eventCounts.messages++),
    inbox.onDidResetConversation(() => eventCounts.reset++),
    inbox.onPairing(() => eventCounts.pairing++),
    inbox.onBadInput(() => eventCounts.badInput++),
    inbox.onStoreTrouble(() => eventCounts.storeTrouble++),
    inbox.onUploadProgress(() => eventCounts.uploadProgress++),
  );
  // Superseded records (status updates) are compacted away in the background, never at activation.
  const compact = () => void store.compactIfNeeded().catch((err: unknown) => log.warn(`store compaction failed: ${String(err)}`));
  const firstCompaction = setTimeout(compact, 60_000);
  const hourlyCompaction = setInterval(compact, 60 * 60_000);
  subscriptions.push({ dispose: () => (clearTimeout(firstCompaction), clearInterval(hourlyCompaction)) });

  const registry = new AccountRegistry(context.globalState, context.secrets, log.redactor);
  // Before any pane can read a draft: this workspace's drafts from before they were global.
  const movedDrafts = await moveWorkspaceDrafts(context.workspaceState, context.globalState).catch((err: unknown) => (log.warn(`could not move this workspace's drafts: ${String(err)}`), 0));
  if (movedDrafts > 0) log.info(`moved ${movedDrafts} drafts from this workspace to the inbox`);
  const sandbox = new SandboxLauncher(context.extensionUri, log);
  const mediaRoot = join(storageDir, 'media');
  // Each venue's adapter code is its own bundle next to this one (dist/venues/<venue>.js), loaded when an account needs it.
  const venues = VenueLoader.fromDirectory(join(__dirname, 'venues'));
  // Settings that something built once depends on, kept current so a change applies without a
  // reload (the others are read at each use: notifications, the upload's size limit and URLs).
  const timezoneOffset = new LiveSetting(Settings.timezoneOffset, integerIn(-720, 840));
  const extraMediaOrigins = new LiveSetting(Settings.extraMediaOrigins, stringList);
  const uploadTarget = new LiveSetting(Settings.uploadPutUrl, trimmedString);
  subscriptions.push(timezoneOffset, extraMediaOrigins, uploadTarget);
  const accounts = new AccountService(registry, inbox, log, sandbox, venues, mediaRoot, () => timezoneOffset.value);
  const uploader = new MediaUploader(log);
  const downloads = new AttachmentDownloads({ hub: inbox, logger: log, mediaRoot });
  subscriptions.push(downloads);
  const panels = new ChatPanels({
    hub: inbox,
    extensionUri: context.extensionUri,
    logger: log,
    redactor: log.redactor,
    drafts: context.globalState,
    uploader,
    downloads,
    mediaOrigins: (accountId) => mediaOriginsFor(registry.get(accountId), extraMediaOrigins.value),
    localMediaRoot: vscode.Uri.file(mediaRoot),
  });
  subscriptions.push(restorer.attach((panel, target) => panels.adopt(panel, target)));
  subscriptions.push(extraMediaOrigins.onDidChange(() => panels.refreshMediaOrigins()), uploadTarget.onDidChange(() => panels.refreshComposers()));
  const pairingPanels = new PairingPanels(inbox, log);
  subscriptions.push(pairingPanels);
  const mutes = new NotificationMutes(context.globalState);
  const tree = new InboxTreeProvider(inbox, log.redactor, mutes);
  const notifier = new IncomingNotifier({ hub: inbox, mutes, open: (target) => panels.open(target), paneFocused: () => panels.all().some((p) => p.panel.active) });
  subscriptions.push(mutes, notifier);
  const status = new StatusBarIndicator(inbox, log.redactor);
  const updateContext = () => void vscode.commands.executeCommand('setContext', ContextKeys.hasAccounts, registry.list().length > 0);
  // Send Location / Contact / Sticker show in the palette only while some account can send them.
  const sendable = { location: false, contact: false, sticker: false, start: false };
  const sendContextKey = { location: ContextKeys.canSendLocation, contact: ContextKeys.canSendContact, sticker: ContextKeys.canSendSticker } as const;
  const updateSendContext = () => {
    const canStart = inbox.listAccounts().some((a) => inbox.adapter(a.id)?.startConversation !== undefined);
    if (canStart !== sendable.start) {
      sendable.start = canStart;
      void vscode.commands.executeCommand('setContext', ContextKeys.canStartConversation, canStart);
    }
    for (const kind of ['location', 'contact', 'sticker'] as const) {
      const can = inbox.listAccounts().some((a) => inbox.adapter(a.id)?.capabilities.sendKinds.includes(kind) === true);
      if (can === sendable[kind]) continue;
      sendable[kind] = can;
      void vscode.commands.executeCommand('setContext', sendContextKey[kind], can);
    }
  };
  subscriptions.push(inbox.onDidChangeState(updateSendContext), inbox.onDidChangeConversations(updateSendContext));
  // The chat pane's title bar offers Mute or Unmute, whichever applies to the pane in front.
  let activeChatMuted = false;
  const updateActiveChatContext = () => {
    const active = panels.active();
    const muted = active !== undefined && mutes.isMuted(active.target.accountId, active.target.conversationId);
    if (muted === activeChatMuted) return;
    activeChatMuted = muted;
    void vscode.commands.executeCommand('setContext', ContextKeys.activeChatMuted, muted);
  };
  subscriptions.push(panels.onDidChangeActive(updateActiveChatContext), mutes.onDidChange(updateActiveChatContext));
  subscriptions.push(registry, sandbox, panels, tree, status, registry.onDidChange(updateContext), ...registerCommands({ hub: inbox, accounts, panels, downloads, pairingPanels, log, mutes, selectedConversation: () => tree.selectedConversation(), selectedAccount: () => tree.selectedAccount(), inboxOrder: () => tree.conversationsInOrder(), revealInTree: (target) => tree.reveal(target) }));
  subscriptions.push(inbox.onBadInput((e) => log.warn(`bad input (${inbox.badInputCount} so far) on ${e.where}: ${e.detail}`)));
  subscriptions.push(
    inbox.onStoreTrouble((t) => {
      // Incoming messages wait in memory and are retried; say so once per episode, not per retry.
      if (!t.resolved && t.attempt === 1) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Venue Chat cannot save incoming messages ({0}). It keeps retrying; keep VS Code open until this clears.', t.error));
      } else if (t.resolved) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Venue Chat saves incoming messages again; nothing was lost.'));
      }
    }),
  );
  updateContext();

  // Connecting is not part of activation: it starts once activate() has returned, and only then
  // is each saved account's venue code loaded. The tree fills from saved metadata and updates live.
  const connecting = setImmediate(() =>
    void accounts.connectSaved().then(async () => {
      // `npm start` passes its sandbox in the environment: make sure the accounts of every venue it
      // runs exist (trySandbox skips those already added, so a newly supported venue joins too).
      if (process.env.VENUE_CHAT_SANDBOX) {
        await accounts.trySandbox().catch((err: unknown) => log.error(`sandbox accounts: ${String(err)}`));
      }
    }),
  );
  subscriptions.push({ dispose: () => clearImmediate(connecting) });

  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return {
    activationMs,
    logFile: vscode.Uri.joinPath(context.logUri, 'Venue Chat.log'),
    accounts: () => inbox.listAccounts().map((a) => ({ ...a, state: log.redactor.redactState(inbox.state(a.id)) })),
    conversations: (accountId) => inbox.conversationsOf(accountId),
    messages: (accountId, conversationId, limit = 200) => inbox.newestPage(accountId, conversationId, limit).messages,
    badInputCount: () => inbox.badInputCount,
    hasCredentials: async (accountId) => (await registry.credentials(accountId)) !== undefined,
    rejectedWebviewRequests: () => panels.all().reduce((n, p) => n + p.rejectedCount, 0),
    openPanels: () => panels.all().map((p) => ({ ...p.target, visible: p.panel.visible })),
    pairing: (accountId) => {
      const pairing = inbox.pairing(accountId);
      return pairing?.state === 'needed' ? { state: 'needed', ...(pairing.qrDataUrl ? { qrDataUrl: pairing.qrDataUrl } : {}) } : pairing;
    },
    pairingPanels: () => pairingPanels.open(),
    settled: () => inbox.settled(),
    eventCounts: () => ({ ...eventCounts }),
    onDidPostToWebview: panels.onDidPost,
    mementos: () => ({ globalState: mementoEntries(context.globalState), workspaceState: mementoEntries(context.workspaceState) }),
    storageDirs: { global: storageDir, ...(context.storageUri ? { workspace: context.storageUri.fsPath } : {}) },
  };
}

function mementoEntries(memento: vscode.Memento): Record<string, unknown> {
  return Object.fromEntries(memento.keys().map((key) => [key, memento.get<unknown>(key)]));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions (the ownership controller).
}
