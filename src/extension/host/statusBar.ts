// One status bar item: the connection summary (spinning while connecting, warning when degraded,
// error on authentication failure) and the unread total, with a tooltip line per account.
import * as vscode from 'vscode';
import type { ConnectionState } from '../../shared/model';
import type { InboxHub } from '../core/inbox/inboxHub';
import { Commands } from './constants';
import { describeState, type StateRedactor } from './stateText';

const HIDDEN = 'hidden';

export class StatusBarIndicator implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  /** What the item shows now (HIDDEN, or its rendered content); undefined before the first update. */
  private shown: string | undefined;

  constructor(
    private readonly hub: InboxHub,
    private readonly redactor: StateRedactor,
  ) {
    this.item = vscode.window.createStatusBarItem('venueChat.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('Venue Chat');
    this.item.command = Commands.statusMenu;
    this.disposables.push(this.item, hub.onDidChangeState(() => this.update()), hub.onDidChangeConversations(() => this.update()));
    this.update();
  }

  /** Repaints only when what the item shows changed: every property set is a round trip to the workbench. */
  update(): void {
    const accounts = this.hub.listAccounts();
    if (accounts.length === 0) {
      if (this.shown !== HIDDEN) this.item.hide();
      this.shown = HIDDEN;
      return;
    }
    const states = accounts.map((a) => ({ account: a, state: this.hub.state(a.id) }));
    const unread = this.hub.totalUnread();
    const icon = summaryIcon(states.map((s) => s.state));
    const text = `${icon} ${vscode.l10n.t('Venue Chat')}${unread > 0 ? ` ${unread}` : ''}`;
    const tooltipLines = [unread > 0 ? vscode.l10n.t('{0} unread', unread) : vscode.l10n.t('No unread messages'), ...states.map(({ account, state }) => `${account.label}: ${describeState(state, this.redactor).long}`)];
    const worst = states.map((s) => s.state.kind);
    const background = worst.includes('auth-error') ? 'statusBarItem.errorBackground' : worst.some((k) => k === 'backoff' || k === 'displaced' || k === 'stale' || k === 'pairing') ? 'statusBarItem.warningBackground' : undefined;
    const label = `${vscode.l10n.t('Venue Chat')}: ${states.map((s) => `${s.account.label} ${describeState(s.state, this.redactor).short}`).join(', ')}; ${unread} unread`;
    const view = JSON.stringify([text, tooltipLines, background, label]);
    if (view === this.shown) return;
    this.shown = view;
    this.item.text = text;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    tooltip.appendText(tooltipLines[0]!);
    for (const line of tooltipLines.slice(1)) {
      tooltip.appendMarkdown('\n\n');
      tooltip.appendText(line);
    }
    this.item.tooltip = tooltip;
    this.item.backgroundColor = background ? new vscode.ThemeColor(background) : undefined;
    this.item.accessibilityInformation = { label };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function summaryIcon(states: readonly ConnectionState[]): string {
  const kinds = states.map((s) => s.kind);
  if (kinds.includes('auth-error')) return '$(error)';
  if (kinds.some((k) => k === 'backoff' || k === 'displaced' || k === 'stale' || k === 'pairing')) return '$(warning)';
  if (kinds.includes('connecting')) return '$(sync~spin)';
  if (kinds.every((k) => k === 'offline')) return '$(circle-slash)';
  return '$(comment-discussion)';
}
