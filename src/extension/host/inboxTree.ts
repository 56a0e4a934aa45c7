// The sidebar inbox: venue -> account -> conversations (running orders first, then by activity), unread counts in the
// descriptions and the total as the view badge, connection state per account.
import * as vscode from 'vscode';
import { revealBidiControls } from '../../shared/bidiControls';
import type { ConnectionState, Conversation, OrderContext, VenueId } from '../../shared/model';
import { fiatAmountText, orderRowText, orderSideText, orderStateText, priceText } from '../../shared/orderText';
import type { InboxHub } from '../core/inbox/inboxHub';
import { venueDescriptor } from '../venues/registry';
import { Commands } from './constants';
import type { NotificationMutes } from './notificationMutes';
import { describeState, type StateRedactor } from './stateText';

export type InboxNode =
  | { readonly kind: 'venue'; readonly venue: VenueId }
  | { readonly kind: 'account'; readonly accountId: string }
  | { readonly kind: 'conversation'; readonly accountId: string; readonly conversationId: string };

export class InboxTreeProvider implements vscode.TreeDataProvider<InboxNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<InboxNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private pending: NodeJS.Timeout | undefined;
  private lastSignature = '';
  /** The unread total the badge shows; undefined before it was first set. */
  private badgeTotal: number | undefined;
  readonly view: vscode.TreeView<InboxNode>;

  constructor(
    private readonly hub: InboxHub,
    private readonly redactor: StateRedactor,
    private readonly mutes: NotificationMutes,
  ) {
    this.view = vscode.window.createTreeView('venueChat.inbox', { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      hub.onDidChangeConversations(() => this.refreshSoon()),
      hub.onDidChangeState(() => this.refreshSoon()),
      mutes.onDidChange(() => this.refreshSoon()),
    );
    this.updateBadge();
  }

  /** The conversation selected in the tree (what a click or Enter on an item means). */
  selectedConversation(): { accountId: string; conversationId: string } | undefined {
    const node = this.view.selection.find((n) => n.kind === 'conversation');
    return node?.kind === 'conversation' ? { accountId: node.accountId, conversationId: node.conversationId } : undefined;
  }

  /** The account selected in the tree (a click on an account that needs pairing shows its code). */
  selectedAccount(): string | undefined {
    const node = this.view.selection.find((n) => n.kind === 'account');
    return node?.kind === 'account' ? node.accountId : undefined;
  }

  /** Every conversation in the order of its row, top to bottom (what "next unread" walks). */
  conversationsInOrder(): { accountId: string; conversationId: string }[] {
    const walk = (node?: InboxNode): InboxNode[] => this.getChildren(node).flatMap((child) => (child.kind === 'conversation' ? [child] : walk(child)));
    return walk().flatMap((n) => (n.kind === 'conversation' ? [{ accountId: n.accountId, conversationId: n.conversationId }] : []));
  }

  /** Selects a conversation's row (Next Unread moves the selection with it), without taking focus from the pane. */
  reveal(target: { accountId: string; conversationId: string }): void {
    if (!this.view.visible) return;
    this.view.reveal({ kind: 'conversation', ...target }, { select: true, focus: false }).then(undefined, () => {
      // A row that went away meanwhile (its account was removed): nothing to select.
    });
  }

  /** Coalesces bursts of events (a backlog arriving) into one repaint, and skips repaints that would change nothing. */
  refreshSoon(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      const signature = this.renderSignature();
      if (signature !== this.lastSignature) {
        this.lastSignature = signature;
        this.changed.fire(undefined);
      }
      this.updateBadge();
    }, 50);
  }

  private renderSignature(): string {
    return JSON.stringify(
      this.hub.listAccounts().map((a) => [a.id, a.label, describeState(this.hub.state(a.id), this.redactor, 0).short, this.hub.conversationsOf(a.id).map((c) => [c.conversationId, c.title, c.subtitle, c.unread, c.active, c.preview, c.order, relativeTime(c.lastActivity), this.hub.watchProblem(a.id, c.conversationId), this.mutes.isMuted(a.id, c.conversationId)])]),
    );
  }

  private updateBadge(): void {
    const total = this.hub.totalUnread();
    if (total === this.badgeTotal) return;
    this.badgeTotal = total;
    this.view.badge = total > 0 ? { value: total, tooltip: vscode.l10n.t('{0} unread messages', total) } : undefined;
  }

  getChildren(node?: InboxNode): InboxNode[] {
    if (!node) {
      const venues = [...new Set(this.hub.listAccounts().map((a) => a.venue))];
      return venues.map((venue) => ({ kind: 'venue', venue }));
    }
    if (node.kind === 'venue') {
      return this.hub
        .listAccounts()
        .filter((a) => a.venue === node.venue)
        .map((a) => ({ kind: 'account', accountId: a.id }));
    }
    if (node.kind === 'account') {
      return this.hub.conversationsOf(node.accountId).map((c) => ({ kind: 'conversation', accountId: c.accountId, conversationId: c.conversationId }));
    }
    return [];
  }

  getParent(node: InboxNode): InboxNode | undefined {
    if (node.kind === 'conversation') return { kind: 'account', accountId: node.accountId };
    if (node.kind === 'account') {
      const venue = this.hub.account(node.accountId)?.venue;
      return venue ? { kind: 'venue', venue } : undefined;
    }
    return undefined;
  }

  getTreeItem(node: InboxNode): vscode.TreeItem {
    switch (node.kind) {
      case 'venue': {
        const item = new vscode.TreeItem(venueDescriptor(node.venue).name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `venue:${node.venue}`;
        item.contextValue = 'venue';
        return item;
      }
      case 'account': {
        const info = this.hub.account(node.accountId);
        const state = this.hub.state(node.accountId);
        const unread = this.hub.conversationsOf(node.accountId).reduce((n, c) => n + c.unread, 0);
        const item = new vscode.TreeItem(info?.label ?? node.accountId, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `account:${node.accountId}`;
        item.iconPath = stateIcon(state);
        const words = describeState(state, this.redactor);
        // A message log that cannot be written is worse than any connection state: say so first.
        const storeProblem = this.hub.storeProblem(node.accountId);
        if (storeProblem) item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
        item.description = [storeProblem ? vscode.l10n.t('messages not saved') : words.short, unread > 0 ? vscode.l10n.t('{0} unread', unread) : ''].filter(Boolean).join(' · ');
        item.tooltip = [info?.label ?? node.accountId, words.long, storeProblem ? vscode.l10n.t('Messages cannot be saved: {0}', this.redactor.redact(storeProblem)) : ''].filter(Boolean).join('\n');
        item.contextValue = state.kind === 'pairing' ? 'account.pairing' : 'account';
        // A click on an account waiting to be paired shows its QR code. No arguments, as for
        // conversations below: the command reads the tree's selection.
        if (state.kind === 'pairing') item.command = { command: Commands.showPairing, title: vscode.l10n.t('Show Pairing Code') };
        return item;
      }
      case 'conversation': {
        const c = this.hub.conversation(node.accountId, node.conversationId);
        return conversationItem(node, c, { problem: this.hub.watchProblem(node.accountId, node.conversationId), muted: this.mutes.isMuted(node.accountId, node.conversationId) }, this.redactor);
      }
    }
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const d of this.disposables) d.dispose();
  }
}

/** `problem`: why the client cannot receive this conversation right now (shown on the row, never silent). */
function conversationItem(node: InboxNode & { kind: 'conversation' }, c: Conversation | undefined, row: { readonly problem: string | undefined; readonly muted: boolean }, redactor: StateRedactor): vscode.TreeItem {
  const { problem, muted } = row;
  // Counterparty text with its bidi controls made visible, so "\u202Eexe.fdp" cannot read "pdf.exe".
  const title = revealBidiControls(c?.title ?? node.conversationId);
  const item = new vscode.TreeItem(title, vscode.TreeItemCollapsibleState.None);
  item.id = `conversation:${node.accountId}:${node.conversationId}`;
  const unread = c?.unread ?? 0;
  // The order at a glance ("349.68 EUR · Paid"): venue-made words, never counterparty text.
  const order = c?.order ? orderRowText(c.order) : '';
  item.description = [problem !== undefined ? vscode.l10n.t('not receiving') : '', muted ? vscode.l10n.t('muted') : '', order, unread > 0 ? `● ${unread}` : '', c ? relativeTime(c.lastActivity) : ''].filter(Boolean).join(' · ');
  // Counterparty text is untrusted: a plain-string tooltip, never markdown.
  const problemLine = problem !== undefined ? vscode.l10n.t('Not receiving new messages: {0}', redactor.redact(problem)) : '';
  item.tooltip = [title, c?.order ? orderTooltip(c.order) : revealBidiControls(c?.subtitle ?? ''), revealBidiControls(c?.preview ?? ''), problemLine].filter(Boolean).join('\n');
  item.iconPath =
    problem !== undefined
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : new vscode.ThemeIcon(c?.active ? 'comment-discussion' : 'comment', unread > 0 ? new vscode.ThemeColor('notificationsInfoIcon.foreground') : undefined);
  // `conversation` or `conversation.muted`: menus match /^conversation/, Mute/Unmute the exact value.
  item.contextValue = muted ? 'conversation.muted' : 'conversation';
  // No arguments on purpose: VS Code caches a tree item's command arguments per render and drops
  // them when the tree refreshes, so a click that lands during a refresh (a busy inbox refreshes
  // often) would fail with "Actual command not found". The command opens the selection instead,
  // which VS Code updates before it runs an item's command.
  item.command = { command: Commands.openSelectedConversation, title: vscode.l10n.t('Open Conversation') };
  const label = order ? vscode.l10n.t('{0}, {1}, {2} unread', title, order, unread) : vscode.l10n.t('{0}, {1} unread', title, unread);
  item.accessibilityInformation = { label: problem !== undefined ? vscode.l10n.t('{0}, not receiving', label) : label };
  return item;
}

/** The full order context, one fact per line (all venue-made words). */
function orderTooltip(order: OrderContext): string {
  const fiat = fiatAmountText(order);
  const price = priceText(order);
  return [
    orderSideText(order),
    fiat ? vscode.l10n.t('Amount: {0}', fiat) : '',
    price ? vscode.l10n.t('Price: {0}', price) : '',
    vscode.l10n.t('State: {0}', orderStateText(order)),
    order.payBy !== undefined && order.state === 'awaiting-payment' ? vscode.l10n.t('Pay by {0}', new Date(order.payBy).toLocaleString()) : '',
    vscode.l10n.t('Order {0}', order.orderNo),
  ]
    .filter(Boolean)
    .join('\n');
}

function stateIcon(state: ConnectionState): vscode.ThemeIcon {
  switch (state.kind) {
    case 'online':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'connecting':
      return new vscode.ThemeIcon('sync~spin');
    case 'backoff':
    case 'stale':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'auth-error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case 'displaced':
      return new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'pairing':
      return new vscode.ThemeIcon('device-mobile', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'offline':
      return new vscode.ThemeIcon('circle-outline');
  }
}

function relativeTime(ms: number): string {
  if (!ms) return '';
  const diff = Date.now() - ms;
  if (diff < 60_000) return vscode.l10n.t('now');
  if (diff < 3_600_000) return vscode.l10n.t('{0} min', Math.floor(diff / 60_000));
  if (diff < 86_400_000) return vscode.l10n.t('{0} h', Math.floor(diff / 3_600_000));
  return new Date(ms).toLocaleDateString();
}
