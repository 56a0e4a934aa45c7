// Opens, focuses and restores chat panels: one per conversation.
import * as vscode from 'vscode';
import { ChatPanel, type ChatPanelDeps, type ConversationTarget } from './chatPanel';
import { Views } from './constants';

export class ChatPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ChatPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: ChatPanelDeps) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(Views.chatPanel, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const target = targetFromState(state);
          if (!target) {
            panel.dispose();
            return;
          }
          this.adopt(panel, target);
        },
      }),
    );
  }

  open(target: ConversationTarget, preserveFocus = false): ChatPanel {
    const existing = this.panels.get(keyOf(target));
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(Views.chatPanel, vscode.l10n.t('Conversation'), { viewColumn: vscode.ViewColumn.Active, preserveFocus }, {
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

  private adopt(panel: vscode.WebviewPanel, target: ConversationTarget): ChatPanel {
    const chat = new ChatPanel(panel, target, this.deps);
    const key = keyOf(target);
    this.panels.set(key, chat);
    chat.onDidDispose(() => {
      if (this.panels.get(key) === chat) this.panels.delete(key);
    });
    return chat;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.panels.clear();
    for (const d of this.disposables) d.dispose();
  }
}

function keyOf(t: ConversationTarget): string {
  return `${t.accountId}\u0000${t.conversationId}`;
}

/** The webview keeps its conversation in its state (src/webview/uiState.ts); that is how a panel survives a window reload. */
function targetFromState(state: unknown): ConversationTarget | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const conversation = (state as { conversation?: unknown }).conversation;
  if (typeof conversation !== 'object' || conversation === null) return undefined;
  const { accountId, conversationId } = conversation as Record<string, unknown>;
  if (typeof accountId === 'string' && typeof conversationId === 'string') return { accountId, conversationId };
  return undefined;
}
