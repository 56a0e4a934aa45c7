// A toast when a counterparty writes in a conversation no pane is showing, so a trader working in
// another editor answers within seconds. At most one per conversation every few seconds (a burst
// of messages is one nudge); counterparty text is shown as plain text, shortened.
import * as vscode from 'vscode';
import type { ChatMessage } from '../../shared/model';
import type { InboxHub } from '../core/inbox/inboxHub';
import { Settings } from './constants';

export type IncomingNotifications = 'all' | 'activeOrders' | 'off';

const QUIET_MS = 10_000;

export class IncomingNotifier implements vscode.Disposable {
  private readonly lastShown = new Map<string, number>();
  private readonly subscription: vscode.Disposable;
  private shown = 0;

  constructor(
    private readonly hub: InboxHub,
    private readonly open: (target: { accountId: string; conversationId: string }) => void,
  ) {
    this.subscription = hub.onMessages((e) => this.onMessages(e.accountId, e.conversationId, e.messages));
  }

  /** Toasts shown so far (for the integration tests' sanity checks). */
  get count(): number {
    return this.shown;
  }

  private onMessages(accountId: string, conversationId: string, messages: readonly ChatMessage[]): void {
    const incoming = messages.filter((m) => m.direction === 'in' && Date.now() - m.time < 5 * 60_000);
    const newest = incoming[incoming.length - 1];
    if (!newest || this.hub.isVisible(accountId, conversationId)) return;
    const mode = vscode.workspace.getConfiguration(Settings.section).get<IncomingNotifications>(Settings.notifyIncoming, 'all');
    const conversation = this.hub.conversation(accountId, conversationId);
    if (mode === 'off' || (mode === 'activeOrders' && !conversation?.active)) return;
    const key = `${accountId}\u0000${conversationId}`;
    const now = Date.now();
    if (now - (this.lastShown.get(key) ?? 0) < QUIET_MS) return;
    this.lastShown.set(key, now);
    this.shown++;
    const who = conversation?.title ?? newest.senderName ?? vscode.l10n.t('Counterparty');
    const text = (newest.text ?? '').replace(/\s+/g, ' ').trim();
    const body = text ? (text.length > 120 ? `${text.slice(0, 120)}…` : text) : `[${newest.kind}]`;
    const reply = vscode.l10n.t('Reply');
    void vscode.window.showInformationMessage(`${who}: ${body}`, reply).then((choice) => {
      if (choice === reply) this.open({ accountId, conversationId });
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
