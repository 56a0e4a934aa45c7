// Palette commands. Every command that acts on an account or a conversation also takes its target
// as an argument object, for keybindings, scripts and tests.
import { randomUUID } from 'node:crypto';
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import type * as Z from 'zod';
import { lazy, zod } from '../../shared/lazyZod';
import type { InboxHub } from '../core/inbox/inboxHub';
import type { AccountService } from './accountService';
import type { AttachmentDownloads } from './attachmentDownloads';
import { accountArgsSchemas } from './accounts';
import type { ChatPanels } from './chatPanels';
import type { PairingPanels } from './pairingPanels';
import { contactMessage, locationMessage, stickerMessage, structuredSchemas, type StructuredMessage } from './structuredMessages';
import { askStructured, queueStructured } from './structuredPrompts';
import { fromEditorTitle, fromTreeSelection, isScripted } from './commandArgs';
import { Commands, Views } from './constants';
import type { RedactingLog } from './log';
import type { NotificationMutes } from './notificationMutes';
import { describeState } from './stateText';
import { UserFacingError } from './userFacingError';
import { conversationPickItem } from './untrustedLabels';
import { latestUnread, nextUnread, type ConversationRef, type UnreadCandidate } from './unreadNavigation';

const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The argument objects of the commands (scripts, keybindings, tree nodes); built on the first command. */
const argSchemas = lazy(() => {
  const z = zod();
  return {
    account: z.object({ accountId: z.string().min(1) }).passthrough(),
    startConversation: z.object({ accountId: z.string().min(1), userId: z.string().regex(USER_ID, 'a Mixin user id (UUID)') }).strict(),
    download: z
      .object({
        /** The stored message's key (`ChatMessage.key`). */
        key: z.string().min(1).max(1024),
        /** Which of its attachments (0-based). */
        index: z.number().int().min(0),
        /** The file to write, an absolute path (its folder must exist); without it the save dialog asks. */
        target: z.string().min(1).max(4096).refine((p) => isAbsolute(p), 'an absolute file path').optional(),
      })
      .strict(),
    conversation: z.object({ accountId: z.string().min(1), conversationId: z.string().min(1) }).passthrough(),
    send: z
      .object({
        accountId: z.string().min(1),
        conversationId: z.string().min(1),
        text: z.string().min(1).max(20000),
        /** `markdown` sends a post where the venue has them (Mixin PLAIN_POST). */
        kind: z.enum(['text', 'markdown']).default('text'),
        clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
        /** Key of the stored message this one answers (a quoted reply). */
        replyTo: z.string().min(1).max(1024).optional(),
      })
      .strict(),
  };
});

export interface CommandDeps {
  readonly hub: InboxHub;
  readonly accounts: AccountService;
  readonly panels: ChatPanels;
  readonly downloads: AttachmentDownloads;
  readonly pairingPanels: PairingPanels;
  readonly log: RedactingLog;
  readonly mutes: NotificationMutes;
  /** The conversation selected in the inbox tree. */
  readonly selectedConversation: () => { accountId: string; conversationId: string } | undefined;
  /** The account selected in the inbox tree. */
  readonly selectedAccount: () => string | undefined;
  /** Every conversation in the inbox tree's row order. */
  readonly inboxOrder: () => ConversationRef[];
  /** Selects a conversation's row in the tree (when the tree is shown). */
  readonly revealInTree: (target: ConversationRef) => void;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { hub, accounts, panels, downloads, pairingPanels, log, mutes, selectedConversation, selectedAccount, inboxOrder, revealInTree } = deps;

  const pickConversation = async (title = vscode.l10n.t('Open Conversation')): Promise<{ accountId: string; conversationId: string } | undefined> => {
    const items = hub.listAccounts().flatMap((a) =>
      hub.conversationsOf(a.id).map((c) => ({
        // Counterparty words: icon syntax escaped, bidi controls shown (untrustedLabels.ts).
        ...conversationPickItem(c, a.label),
        target: { accountId: a.id, conversationId: c.conversationId },
      })),
    );
    if (items.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No conversations yet. Add an account or try the sandbox.'));
      return undefined;
    }
    return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true }))?.target;
  };

  /**
   * The conversation a command acts on: the one it names (a script, a tree row's menu), the selected
   * row (the tree's keybinding), the active chat pane (its title bar, its keybindings, the palette
   * while it is in front), the selected row, else the one the person picks.
   */
  const conversationFrom = async (arg: unknown, title: string): Promise<ConversationRef | undefined> => {
    const parsed = argSchemas().conversation.safeParse(arg);
    if (parsed.success) return { accountId: parsed.data.accountId, conversationId: parsed.data.conversationId };
    if (fromTreeSelection(arg)) return selectedConversation() ?? (await pickConversation(title));
    return panels.active()?.target ?? selectedConversation() ?? (await pickConversation(title));
  };

  /** Every conversation in row order, with its unread count (from memory). */
  const unreadRows = (): UnreadCandidate[] =>
    inboxOrder().map((ref) => {
      const c = hub.conversation(ref.accountId, ref.conversationId);
      return { ...ref, unread: c?.unread ?? 0, lastActivity: c?.lastActivity ?? 0 };
    });

  /** The same, with when each unread one's newest incoming message came (its newest page read from the store). */
  const withNewestIncoming = async (rows: readonly UnreadCandidate[]): Promise<(UnreadCandidate & { newestIncomingKey?: string })[]> =>
    Promise.all(
      rows.map(async (row) => {
        if (row.unread <= 0) return row;
        const page = await hub.readNewestPage(row.accountId, row.conversationId, Math.min(200, row.unread + 20)).catch(() => undefined);
        const incoming = page?.messages.filter((m) => m.direction === 'in' && m.kind !== 'gap').at(-1);
        return incoming ? { ...row, newestIncoming: incoming.time, newestIncomingKey: incoming.key } : row;
      }),
    );

  const noUnread = (): undefined => {
    void vscode.window.showInformationMessage(vscode.l10n.t('No unread messages.'));
    return undefined;
  };

  const pickAccount = async (title: string): Promise<string | undefined> => {
    const items = hub.listAccounts().map((a) => ({ label: a.label, description: describeState(hub.state(a.id), log.redactor).short, id: a.id }));
    if (items.length === 0) return undefined;
    return (await vscode.window.showQuickPick(items, { title }))?.id;
  };

  /** Saved accounts, including ones not connected (keys missing from SecretStorage): Update Keys fixes those. */
  const pickSavedAccount = async (title: string): Promise<string | undefined> => {
    const items = accounts.list().map((a) => ({ label: a.label, description: hub.account(a.id) ? describeState(hub.state(a.id), log.redactor).short : vscode.l10n.t('not connected'), id: a.id }));
    if (items.length === 0) return undefined;
    return (await vscode.window.showQuickPick(items, { title }))?.id;
  };

  /** An account from a tree item or `{accountId}` (the tree passes its node, which has `kind`), else asked. */
  const accountFrom = async (arg: unknown, title: string): Promise<string | undefined> => {
    const parsed = argSchemas().account.safeParse(arg);
    return parsed.success ? parsed.data.accountId : pickSavedAccount(title);
  };

  const invalid = (command: string, issues: readonly { path: PropertyKey[]; message: string }[]): UserFacingError =>
    new UserFacingError('bad-request', vscode.l10n.t('{0}: invalid arguments: {1}', command, issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')));

  /**
   * Runs a command; failures are logged and shown once. They are re-thrown only to scripted callers
   * (an argument object that is not a tree node): VS Code shows a second toast for a UI invocation
   * that rejects.
   */
  const run =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R | undefined> => {
      try {
        return await fn(...args);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log.warn(`${name}: ${message}`);
        void vscode.window.showErrorMessage(message);
        if (isScripted(args[0])) throw err;
        return undefined;
      }
    };

  return [
    vscode.commands.registerCommand(Commands.addAccount, run('Add Account', (arg?: unknown) => accounts.add(arg))),
    vscode.commands.registerCommand(
      Commands.removeAccount,
      run('Remove Account', async (arg?: unknown) => {
        const parsed = argSchemas().account.safeParse(arg);
        const scripted = parsed.success && isScripted(arg);
        const accountId = parsed.success ? parsed.data.accountId : await pickAccount(vscode.l10n.t('Remove Account'));
        if (!accountId) return false;
        if (!scripted) {
          const label = hub.account(accountId)?.label ?? accountId;
          const remove = vscode.l10n.t('Remove');
          const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Remove "{0}"? Its keys and stored messages are deleted from this computer.', label), { modal: true }, remove);
          if (choice !== remove) return false;
        }
        // Its panes close first, so no pane is left on an account that no longer exists.
        const closed = panels.closeAccount(accountId);
        if (closed > 0) log.info(`closed ${closed} chat pane(s) of the account being removed`);
        await accounts.remove(accountId);
        await mutes.forgetAccount(accountId);
        return true;
      }),
    ),
    vscode.commands.registerCommand(
      Commands.updateKeys,
      run('Update Keys', async (arg?: unknown) => {
        if (typeof arg === 'object' && arg !== null && 'credentials' in arg) {
          const parsed = accountArgsSchemas().updateKeys.safeParse(arg);
          if (!parsed.success) throw invalid('Update Keys', parsed.error.issues);
          return accounts.updateKeys(parsed.data.accountId, parsed.data.credentials);
        }
        const accountId = await accountFrom(arg, vscode.l10n.t('Update Keys'));
        return accountId ? accounts.updateKeys(accountId) : false;
      }),
    ),
    vscode.commands.registerCommand(
      Commands.accountSettings,
      run('Account Settings', async (arg?: unknown) => {
        if (typeof arg === 'object' && arg !== null && 'settings' in arg) {
          const parsed = accountArgsSchemas().settings.safeParse(arg);
          if (!parsed.success) throw invalid('Account Settings', parsed.error.issues);
          return accounts.configure(parsed.data.accountId, parsed.data.settings);
        }
        const accountId = await accountFrom(arg, vscode.l10n.t('Account Settings'));
        return accountId ? accounts.configure(accountId) : undefined;
      }),
    ),
    vscode.commands.registerCommand(
      Commands.openConversation,
      run('Open Conversation', async (arg?: unknown) => {
        const parsed = argSchemas().conversation.safeParse(arg);
        const target = parsed.success ? { accountId: parsed.data.accountId, conversationId: parsed.data.conversationId } : await pickConversation();
        if (!target) return undefined;
        if (!hub.conversation(target.accountId, target.conversationId)) throw new UserFacingError('not-found', vscode.l10n.t('No such conversation.'));
        panels.open(target);
        return target;
      }),
    ),
    ...([
      [Commands.muteConversation, true],
      [Commands.unmuteConversation, false],
    ] as const).map(([command, muted]) =>
      vscode.commands.registerCommand(
        command,
        run(muted ? 'Mute' : 'Unmute', async (arg?: unknown) => {
          const target = await conversationFrom(arg, muted ? vscode.l10n.t('Mute Notifications') : vscode.l10n.t('Unmute Notifications'));
          if (!target) return false;
          await mutes.setMuted(target.accountId, target.conversationId, muted);
          log.info(`notifications ${muted ? 'muted' : 'unmuted'} for ${hub.conversation(target.accountId, target.conversationId)?.title ?? target.conversationId}`);
          return true;
        }),
      ),
    ),
    vscode.commands.registerCommand(
      Commands.markRead,
      run('Mark Read', async (arg?: unknown) => {
        const target = await conversationFrom(arg, vscode.l10n.t('Mark Conversation Read'));
        if (!target) return false;
        if (!hub.conversation(target.accountId, target.conversationId)) throw new UserFacingError('not-found', vscode.l10n.t('No such conversation.'));
        await hub.markRead(target.accountId, target.conversationId);
        return true;
      }),
    ),
    vscode.commands.registerCommand(
      Commands.nextUnread,
      run('Next Unread', async () => {
        // Unread counts are in memory: no message is read to find the next one.
        const target = nextUnread(unreadRows(), panels.active()?.target ?? selectedConversation());
        if (!target) return noUnread();
        panels.open(target);
        revealInTree(target);
        return target;
      }),
    ),
    vscode.commands.registerCommand(
      Commands.replyToLatestUnread,
      run('Reply to Latest Unread', async () => {
        const candidates = await withNewestIncoming(unreadRows());
        const target = latestUnread(candidates);
        if (!target) return noUnread();
        const key = candidates.find((c) => c.accountId === target.accountId && c.conversationId === target.conversationId)?.newestIncomingKey;
        // The pane quotes the message only where the venue has replies; elsewhere the composer just takes focus.
        panels.open(target).focusComposer(key);
        revealInTree(target);
        return { ...target, ...(key !== undefined ? { replyTo: key } : {}) };
      }),
    ),
    vscode.commands.registerCommand(Commands.focusInbox, () => vscode.commands.executeCommand(`${Views.inbox}.focus`)),
    vscode.commands.registerCommand(Commands.openSelectedConversation, () => {
      const target = selectedConversation();
      if (target && hub.conversation(target.accountId, target.conversationId)) panels.open(target);
    }),
    vscode.commands.registerCommand(
      Commands.sendMessage,
      run('Send Message', async (arg?: unknown) => {
        if (arg !== undefined) {
          const parsed = argSchemas().send.safeParse(arg);
          if (!parsed.success) throw new UserFacingError('bad-request', vscode.l10n.t('Send Message: invalid arguments: {0}', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
          const { accountId, conversationId, text, replyTo, kind } = parsed.data;
          const message = await hub.send({ accountId, conversationId, kind, text, clientMessageId: parsed.data.clientMessageId ?? randomUUID().replace(/-/g, ''), replyTo });
          return { key: message.key, clientMessageId: message.clientMessageId };
        }
        // In a chat pane (its Ctrl+Enter, the palette while it is in front): the pane sends what its
        // composer holds, through its Send button's own path.
        const pane = panels.active();
        if (pane) {
          pane.sendComposer();
          return undefined;
        }
        const target = await pickConversation(vscode.l10n.t('Send Message'));
        if (!target) return undefined;
        const text = await vscode.window.showInputBox({ title: vscode.l10n.t('Send Message'), prompt: hub.conversation(target.accountId, target.conversationId)?.title });
        if (!text?.trim()) return undefined;
        const message = await hub.send({ ...target, kind: 'text', text, clientMessageId: randomUUID().replace(/-/g, '') });
        return { key: message.key, clientMessageId: message.clientMessageId };
      }),
    ),
    ...([
      ['location', Commands.sendLocation, 'Send Location'],
      ['contact', Commands.sendContact, 'Send Contact'],
      ['sticker', Commands.sendSticker, 'Send Sticker'],
    ] as const).map(([kind, command, name]) =>
      vscode.commands.registerCommand(
        command,
        run(name, async (arg?: unknown) => {
          let target: { accountId: string; conversationId: string } | undefined;
          let composed: StructuredMessage | undefined;
          let options: { clientMessageId?: string; replyTo?: string } = {};
          if (isScripted(arg)) {
            const parsed = scriptedStructured(kind, arg);
            if (!parsed.ok) throw invalid(name, parsed.issues);
            ({ target, composed, options } = parsed);
          } else {
            target = await conversationFrom(undefined, name);
            if (!target) return undefined;
            const title = hub.conversation(target.accountId, target.conversationId)?.title ?? target.conversationId;
            composed = await askStructured(kind, hub.adapter(target.accountId), title);
            if (!composed) return undefined;
          }
          const message = await queueStructured(hub, target, composed, options);
          return { key: message.key, clientMessageId: message.clientMessageId };
        }),
      ),
    ),
    vscode.commands.registerCommand(
      Commands.showPairing,
      run('Show Pairing Code', async (arg?: unknown) => {
        const parsed = argSchemas().account.safeParse(arg);
        const waiting = hub.listAccounts().filter((a) => hub.state(a.id).kind === 'pairing' || hub.pairing(a.id)?.state === 'needed');
        const selected = selectedAccount();
        const accountId = parsed.success
          ? parsed.data.accountId
          : selected !== undefined && waiting.some((a) => a.id === selected)
            ? selected
            : waiting.length === 1
              ? waiting[0]!.id
              : (await vscode.window.showQuickPick(waiting.map((a) => ({ label: a.label, id: a.id })), { title: vscode.l10n.t('Show Pairing Code') }))?.id;
        if (!accountId) {
          if (waiting.length === 0) void vscode.window.showInformationMessage(vscode.l10n.t('No account is waiting to be paired.'));
          return false;
        }
        if (!hub.account(accountId)) throw new UserFacingError('not-found', vscode.l10n.t('No such account.'));
        if (!pairingPanels.show(accountId)) {
          void vscode.window.showInformationMessage(vscode.l10n.t('{0} is not waiting to be paired.', hub.account(accountId)?.label ?? accountId));
          return false;
        }
        return true;
      }),
    ),
    vscode.commands.registerCommand(
      Commands.startConversation,
      run('Start Conversation', async (arg?: unknown) => {
        const able = hub.listAccounts().filter((a) => hub.adapter(a.id)?.startConversation !== undefined);
        let accountId: string | undefined;
        let userId: string | undefined;
        if (isScripted(arg)) {
          const parsed = argSchemas().startConversation.safeParse(arg);
          if (!parsed.success) throw invalid('Start Conversation', parsed.error.issues);
          ({ accountId, userId } = parsed.data);
        } else {
          const selected = selectedAccount();
          accountId = selected !== undefined && able.some((a) => a.id === selected) ? selected : able.length === 1 ? able[0]!.id : (await vscode.window.showQuickPick(able.map((a) => ({ label: a.label, id: a.id })), { title: vscode.l10n.t('Start Conversation') }))?.id;
          if (!accountId) return undefined;
          userId = (await vscode.window.showInputBox({
            title: vscode.l10n.t('Start Conversation: the user\'s Mixin user id'),
            prompt: vscode.l10n.t('The user id is a UUID (the number shown in the app is the identity number).'),
            ignoreFocusOut: true,
            validateInput: (v) => (USER_ID.test(v.trim()) ? undefined : vscode.l10n.t('Enter a user id like 773e5e77-4107-45c2-b648-8fc722ed77f5')),
          }))?.trim();
          if (!userId) return undefined;
        }
        const adapter = hub.adapter(accountId);
        if (!adapter) throw new UserFacingError('not-found', vscode.l10n.t('No such account.'));
        if (!adapter.startConversation) throw new UserFacingError('unsupported', vscode.l10n.t('This venue cannot start conversations.'));
        const conversation = await adapter.startConversation(userId);
        await hub.settled();
        const target = { accountId, conversationId: conversation.conversationId };
        panels.open(target);
        return target;
      }),
    ),
    vscode.commands.registerCommand(
      Commands.downloadAttachment,
      run('Download Attachment', async (arg?: unknown) => {
        // Scripted only (the pane's Save… button is the way in for people): the message is named by key.
        const parsed = argSchemas().download.safeParse(arg);
        if (!parsed.success) throw invalid('Download Attachment', parsed.error.issues);
        const { key, index, target } = parsed.data;
        return downloads.download({ key, index, ...(target !== undefined ? { target } : {}) });
      }),
    ),
    vscode.commands.registerCommand(
      Commands.reconnect,
      run('Reconnect', async (...args: unknown[]) => {
        const parsed = argSchemas().account.safeParse(args[0]);
        // From a chat pane's title bar: that pane's account. From the palette or the inbox's title bar: all of them.
        const pane = fromEditorTitle(args) ? panels.active() : undefined;
        const ids = parsed.success ? [parsed.data.accountId] : pane ? [pane.target.accountId] : hub.listAccounts().map((a) => a.id);
        await Promise.all(ids.map((id) => hub.reconnect(id)));
        return ids.length;
      }),
    ),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
    vscode.commands.registerCommand(Commands.takeOver, () => void vscode.window.showInformationMessage(vscode.l10n.t('Venue Chat already runs in this window.'))),
    vscode.commands.registerCommand(Commands.trySandbox, run('Try the Sandbox', () => accounts.trySandbox())),
    vscode.commands.registerCommand(
      Commands.statusMenu,
      run('Venue Chat', async () => {
        type Item = vscode.QuickPickItem & { run?: () => unknown };
        const items: Item[] = [];
        for (const a of hub.listAccounts()) {
          const state = hub.state(a.id);
          items.push({ label: `$(debug-restart) ${vscode.l10n.t('Reconnect {0}', a.label)}`, description: describeState(state, log.redactor).long, run: () => hub.reconnect(a.id) });
        }
        items.push({ label: `$(comment-discussion) ${vscode.l10n.t('Open a Conversation…')}`, run: () => vscode.commands.executeCommand(Commands.openConversation) });
        items.push({ label: `$(output) ${vscode.l10n.t('Show Log')}`, run: () => log.show() });
        items.push({ label: `$(add) ${vscode.l10n.t('Add Account…')}`, run: () => vscode.commands.executeCommand(Commands.addAccount) });
        const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Venue Chat') });
        await pick?.run?.();
      }),
    ),
  ];
}

type ScriptedStructured =
  | { readonly ok: true; readonly target: { accountId: string; conversationId: string }; readonly composed: StructuredMessage; readonly options: { clientMessageId?: string; replyTo?: string } }
  | { readonly ok: false; readonly issues: readonly { path: PropertyKey[]; message: string }[] };

interface ScriptedTarget {
  readonly accountId: string;
  readonly conversationId: string;
  readonly clientMessageId?: string;
  readonly replyTo?: string;
}

function scripted<T extends ScriptedTarget>(parsed: Z.ZodSafeParseResult<T>, compose: (fields: T) => StructuredMessage): ScriptedStructured {
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  const { accountId, conversationId, clientMessageId, replyTo } = parsed.data;
  return { ok: true, target: { accountId, conversationId }, composed: compose(parsed.data), options: { clientMessageId, replyTo } };
}

/** The message a scripted `venueChat.sendLocation` / `sendContact` / `sendSticker` names. */
function scriptedStructured(kind: 'location' | 'contact' | 'sticker', arg: unknown): ScriptedStructured {
  switch (kind) {
    case 'location':
      return scripted(structuredSchemas().sendLocationArgs.safeParse(arg), locationMessage);
    case 'contact':
      return scripted(structuredSchemas().sendContactArgs.safeParse(arg), contactMessage);
    case 'sticker':
      return scripted(structuredSchemas().sendStickerArgs.safeParse(arg), stickerMessage);
  }
}
