// One "Pair WhatsApp" panel per account, opened when the account's venue session needs pairing
// (once per episode, beside the editor without taking focus), refreshed in place as new codes
// arrive, saying "Paired" and closing itself when the phone is linked. The user reopens it with
// venueChat.showPairing or by clicking the account in the tree.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { InboxHub } from '../core/inbox/inboxHub';
import type { PairingChange, PairingStatus } from '../core/inbox/pairingCode';
import type { Logger } from '../core/logger';
import { PairingEpisodes } from './pairingEpisodes';
import { pairingPageHtml, pairingTitle, qrImageSource } from './pairingHtml';

export const PAIRING_VIEW_TYPE = 'venueChat.pairing';
/** How long "Paired" stays on screen before the panel closes. */
const CLOSE_AFTER_PAIRED_MS = 4000;

interface OpenPanel {
  readonly panel: vscode.WebviewPanel;
  /** What the page shows (label and pairing state), to skip a rewrite that changes nothing. */
  shows: string;
  /** The page as last written. */
  html: string;
  closeTimer?: ReturnType<typeof setTimeout>;
}

export class PairingPanels implements vscode.Disposable {
  private readonly panels = new Map<string, OpenPanel>();
  private readonly episodes = new PairingEpisodes();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly hub: InboxHub,
    private readonly logger: Logger,
  ) {
    const sub = hub.onPairing((change) => this.onChange(change));
    this.subscription = new vscode.Disposable(() => sub.dispose());
  }

  /** Opens (or brings forward) the account's panel with its current pairing state. False when it never needed pairing. */
  show(accountId: string): boolean {
    // In the pairing state before the first code arrived: the panel says it is waiting for one.
    const pairing = this.hub.pairing(accountId) ?? (this.hub.state(accountId).kind === 'pairing' ? ({ state: 'needed' } as const) : undefined);
    if (!pairing) return false;
    this.render(accountId, pairing, { reveal: true, preserveFocus: false });
    return true;
  }

  /** Accounts with a pairing panel open, what it shows and its page (scripts and tests). */
  open(): { accountId: string; state: PairingStatus['state']; showsCode: boolean; html: string }[] {
    return [...this.panels].map(([accountId, open]) => {
      const pairing = this.hub.pairing(accountId);
      return { accountId, state: pairing?.state ?? 'paired', showsCode: pairing !== undefined && qrImageSource(pairing) !== undefined, html: open.html };
    });
  }

  dispose(): void {
    this.subscription.dispose();
    for (const open of [...this.panels.values()]) open.panel.dispose();
    this.panels.clear();
  }

  private onChange(change: PairingChange): void {
    const { accountId, pairing } = change;
    const open = this.panels.get(accountId);
    switch (this.episodes.decide(change, open !== undefined)) {
      case 'close':
        open?.panel.dispose();
        return;
      case 'paired':
        if (!open || !pairing) return;
        this.render(accountId, pairing, { reveal: false, preserveFocus: true });
        if (open.closeTimer === undefined) open.closeTimer = setTimeout(() => open.panel.dispose(), CLOSE_AFTER_PAIRED_MS);
        return;
      case 'refresh':
        if (pairing) this.render(accountId, pairing, { reveal: false, preserveFocus: true });
        return;
      case 'open':
        // Beside the editor, without taking focus from what the user is typing.
        if (pairing) this.render(accountId, pairing, { reveal: true, preserveFocus: true });
        return;
      case 'none':
        return;
    }
  }

  private render(accountId: string, pairing: PairingStatus, how: { reveal: boolean; preserveFocus: boolean }): void {
    const label = this.hub.account(accountId)?.label ?? accountId;
    if (pairing.state === 'needed' && pairing.qrDataUrl !== undefined && qrImageSource(pairing) === undefined) {
      this.logger.warn(`${label}: refused to show a pairing code that is not a base64 PNG/SVG data: URL`);
    }
    let open = this.panels.get(accountId);
    if (!open) {
      const panel = vscode.window.createWebviewPanel(PAIRING_VIEW_TYPE, pairingTitle(label), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: how.preserveFocus }, {
        enableScripts: false,
        enableCommandUris: false,
        localResourceRoots: [],
      });
      const created: OpenPanel = { panel, shows: '', html: '' };
      open = created;
      this.panels.set(accountId, created);
      panel.onDidDispose(() => {
        if (created.closeTimer !== undefined) clearTimeout(created.closeTimer);
        if (this.panels.get(accountId) === created) this.panels.delete(accountId);
      });
    } else if (how.reveal) {
      open.panel.reveal(undefined, how.preserveFocus);
    }
    if (pairing.state === 'needed' && open.closeTimer !== undefined) {
      // Needed again before the "Paired" panel closed: it stays.
      clearTimeout(open.closeTimer);
      open.closeTimer = undefined;
    }
    open.panel.title = pairingTitle(label);
    const html = pairingPageHtml({ nonce: randomBytes(16).toString('base64'), accountLabel: label, pairing, language: vscode.env.language });
    // Same content: leave the page alone (a rewrite reloads it). The nonce differs, so compare without it.
    const shows = JSON.stringify([label, pairing]);
    if (open.shows === shows) return;
    open.shows = shows;
    open.html = html;
    open.panel.webview.html = html;
  }
}
