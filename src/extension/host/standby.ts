// A window that does not own the inbox (another window does, see core/ownership/ownerLock.ts) shows why,
// answers its commands with that explanation, and takes over as soon as the owner goes away.
import * as vscode from 'vscode';
import type { ChatMessage, ConnectionState, Conversation } from '../../shared/model';
import type { Logger } from '../core/logger';
import { OwnerLock } from '../core/ownership/ownerLock';
import { Commands, ContextKeys, Views } from './constants';
import type { VenueChatApi } from '../extension';

export class Standby implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timer: NodeJS.Timeout;
  private done = false;

  constructor(
    private readonly lockFile: string,
    private readonly log: Logger,
    private readonly handlers: { acquired: (lock: OwnerLock) => Promise<void>; takeOver: () => Promise<void> },
  ) {
    const message = vscode.l10n.t('Venue Chat is running in another VS Code window. It moves here when that window closes, or now if you choose.');
    // An empty tree shows the standby welcome view (package.json viewsWelcome) with a take-over button.
    const view = vscode.window.createTreeView<never>(Views.inbox, { treeDataProvider: { getChildren: () => [], getTreeItem: (e) => e } });
    void vscode.commands.executeCommand('setContext', ContextKeys.standby, true);
    const item = vscode.window.createStatusBarItem('venueChat.status', vscode.StatusBarAlignment.Left, 50);
    item.text = `$(window) ${vscode.l10n.t('Venue Chat')}`;
    item.tooltip = message;
    item.command = Commands.takeOver;
    item.show();
    this.disposables.push(view, item);
    const useHere = vscode.l10n.t('Use Venue Chat in This Window');
    const explain = async () => {
      if ((await vscode.window.showInformationMessage(message, useHere)) === useHere) await this.takeOver();
    };
    for (const id of Object.values(Commands)) {
      this.disposables.push(vscode.commands.registerCommand(id, id === Commands.takeOver ? () => this.takeOver() : explain));
    }
    this.timer = setInterval(() => void this.poll(), 3000);
  }

  private async takeOver(): Promise<void> {
    if (this.done) return;
    this.done = true;
    clearInterval(this.timer);
    this.release();
    await this.handlers.takeOver();
  }

  private async poll(): Promise<void> {
    if (this.done) return;
    const lock = await OwnerLock.tryAcquire(this.lockFile);
    if (!lock || this.done) {
      lock?.dispose();
      return;
    }
    this.done = true;
    clearInterval(this.timer);
    this.log.info('the other window closed; this window now runs the inbox');
    this.release();
    await this.handlers.acquired(lock);
  }

  private release(): void {
    void vscode.commands.executeCommand('setContext', ContextKeys.standby, false);
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  dispose(): void {
    this.done = true;
    clearInterval(this.timer);
    this.release();
  }
}

/** The exported API of a standby window: empty until it takes over, then the real one. */
export function forwardingApi(activationMs: number): { api: VenueChatApi; current?: VenueChatApi } {
  const holder: { api: VenueChatApi; current?: VenueChatApi } = {
    api: {
      get activationMs() {
        return holder.current?.activationMs ?? activationMs;
      },
      get logFile() {
        return holder.current?.logFile ?? vscode.Uri.file('');
      },
      accounts: (): { id: string; venue: string; label: string; state: ConnectionState }[] => holder.current?.accounts() ?? [],
      conversations: (accountId: string): Conversation[] => holder.current?.conversations(accountId) ?? [],
      messages: (accountId: string, conversationId: string, limit?: number): ChatMessage[] => holder.current?.messages(accountId, conversationId, limit) ?? [],
      badInputCount: () => holder.current?.badInputCount() ?? 0,
      hasCredentials: async (accountId: string) => (await holder.current?.hasCredentials(accountId)) ?? false,
      rejectedWebviewRequests: () => holder.current?.rejectedWebviewRequests() ?? 0,
      openPanels: () => holder.current?.openPanels() ?? [],
      pairing: (accountId: string) => holder.current?.pairing(accountId),
      pairingPanels: () => holder.current?.pairingPanels() ?? [],
      settled: async () => holder.current?.settled(),
      eventCounts: () => holder.current?.eventCounts() ?? { state: 0, conversations: 0, messages: 0, reset: 0, pairing: 0, badInput: 0, storeTrouble: 0, uploadProgress: 0 },
      onDidPostToWebview: (listener, thisArgs, disposables) => holder.current?.onDidPostToWebview(listener, thisArgs, disposables) ?? new vscode.Disposable(() => undefined),
      mementos: () => holder.current?.mementos() ?? { globalState: {}, workspaceState: {} },
      get storageDirs() {
        return holder.current?.storageDirs ?? { global: '' };
      },
    },
  };
  return holder;
}
