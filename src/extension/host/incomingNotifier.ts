// A nudge when a counterparty writes in a conversation no pane is showing, so a trader working in
// another editor answers within seconds.
// - A burst is one nudge about its LATEST message ("+2 more"), shown a moment after the burst
//   starts; messages during the quiet period after a nudge come as one more nudge when it ends, so
//   the newest message is never left unannounced.
// - While the user is typing in a chat pane, a toast would cover its composer: the nudge goes to
//   the status bar instead (the tree's unread count shows it too).
// - Actions: Reply, Mute this chat, Notification settings. Counterparty text is plain text, shortened.
import * as vscode from 'vscode';
import type { ChatMessage } from '../../shared/model';
import type { InboxHub } from '../core/inbox/inboxHub';
import { Settings } from './constants';
import type { NotificationMutes } from './notificationMutes';
import { iconSafeText, notificationSafeText } from './untrustedLabels';

export type IncomingNotifications = 'all' | 'activeOrders' | 'off';

/** A burst's messages arrive within this of each other; the nudge waits for them. */
const BURST_MS = 600;
/** At most one nudge per conversation this often. */
const QUIET_MS = 10_000;
const STATUS_BAR_MS = 8000;

export interface IncomingNotifierDeps {
  readonly hub: InboxHub;
  readonly mutes: NotificationMutes;
  readonly open: (target: { accountId: string; conversationId: string }) => void;
  /** A chat pane has focus (its composer would be under a toast). */
  readonly paneFocused: () => boolean;
}

interface Pending {
  latest: ChatMessage;
  count: number;
  timer: NodeJS.Timeout;
}

export class IncomingNotifier implements vscode.Disposable {
  private readonly lastShown = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();
  private readonly subscription: vscode.Disposable;
  private shown = 0;

  constructor(private readonly deps: IncomingNotifierDeps) {
    this.subscription = deps.hub.onMessages((e) => this.onMessages(e.accountId, e.conversationId, e.messages));
  }

  /** Nudges shown so far (toasts and status bar messages; for the integration tests' checks). */
  get count(): number {
    return this.shown;
  }

  private onMessages(accountId: string, conversationId: string, messages: readonly ChatMessage[]): void {
    let newest: ChatMessage | undefined;
    let fresh = 0;
    for (const m of messages) {
      if (m.direction !== 'in' || Date.now() - m.time >= 5 * 60_000) continue;
      fresh++;
      if (!newest || m.time >= newest.time) newest = m;
    }
    if (!newest || !this.wanted(accountId, conversationId)) return;
    const key = keyOf(accountId, conversationId);
    const pending = this.pending.get(key);
    if (pending) {
      if (newest.time >= pending.latest.time) pending.latest = newest;
      pending.count += fresh;
      return;
    }
    const wait = Math.max(BURST_MS, (this.lastShown.get(key) ?? 0) + QUIET_MS - Date.now());
    const timer = setTimeout(() => this.flush(accountId, conversationId), wait);
    this.pending.set(key, { latest: newest, count: fresh, timer });
  }

  private wanted(accountId: string, conversationId: string): boolean {
    if (this.deps.hub.isVisible(accountId, conversationId) || this.deps.mutes.isMuted(accountId, conversationId)) return false;
    const mode = vscode.workspace.getConfiguration(Settings.section).get<IncomingNotifications>(Settings.notifyIncoming, 'all');
    return mode === 'all' || (mode === 'activeOrders' && this.deps.hub.conversation(accountId, conversationId)?.active === true);
  }

  private flush(accountId: string, conversationId: string): void {
    const key = keyOf(accountId, conversationId);
    const pending = this.pending.get(key);
    this.pending.delete(key);
    // Opened, muted or switched off while the burst gathered: nothing to say.
    if (!pending || !this.wanted(accountId, conversationId)) return;
    this.lastShown.set(key, Date.now());
    this.shown++;
    const { latest, count } = pending;
    const who = this.deps.hub.conversation(accountId, conversationId)?.title ?? latest.senderName ?? vscode.l10n.t('Counterparty');
    const text = (latest.text ?? '').replace(/\s+/g, ' ').trim();
    const body = text ? (text.length > 120 ? `${text.slice(0, 120)}…` : text) : `[${latest.kind}]`;
    const more = count > 1 ? ` ${vscode.l10n.t('(+{0} more)', count - 1)}` : '';
    // Counterparty text: its bidi controls made visible, so a name or amount cannot read reversed,
    // and neither an icon in the status bar nor a link in the toast (untrustedLabels.ts).
    const line = `${who}: ${body}${more}`;
    if (this.deps.paneFocused()) {
      vscode.window.setStatusBarMessage(`$(comment) ${iconSafeText(line)}`, STATUS_BAR_MS);
      return;
    }
    const reply = vscode.l10n.t('Reply');
    const mute = vscode.l10n.t('Mute this chat');
    const settings = vscode.l10n.t('Notification settings');
    void vscode.window.showInformationMessage(notificationSafeText(line), reply, mute, settings).then((choice) => {
      if (choice === reply) this.deps.open({ accountId, conversationId });
      else if (choice === mute) void this.deps.mutes.setMuted(accountId, conversationId, true);
      else if (choice === settings) void vscode.commands.executeCommand('workbench.action.openSettings', `${Settings.section}.notifications`);
    });
  }

  dispose(): void {
    this.subscription.dispose();
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }
}

function keyOf(accountId: string, conversationId: string): string {
  return `${accountId}\u0000${conversationId}`;
}
