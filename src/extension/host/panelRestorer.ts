// Restores chat panels after a window reload. The serializer is registered at activation whatever
// the window's role: VS Code asks for restored panels right away, possibly while this window still
// stands by (the previous window's extension host has not let go yet). Such panels wait with a
// short explanation and are adopted as soon as the inbox runs here.
import * as vscode from 'vscode';
import { pageLanguage } from '../../shared/chatHtml';
import type { ConversationTarget } from './chatPanel';
import { Views } from './constants';

export type AdoptPanel = (panel: vscode.WebviewPanel, target: ConversationTarget) => void;

export class PanelRestorer implements vscode.Disposable {
  private adopt: AdoptPanel | undefined;
  private readonly waiting: { panel: vscode.WebviewPanel; target: ConversationTarget; sub: vscode.Disposable }[] = [];
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.window.registerWebviewPanelSerializer(Views.chatPanel, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const target = targetFromState(state);
        if (!target) {
          panel.dispose();
          return;
        }
        if (this.adopt) {
          this.adopt(panel, target);
          return;
        }
        panel.webview.options = { enableScripts: false };
        panel.webview.html = waitingHtml();
        const sub = panel.onDidDispose(() => {
          const i = this.waiting.findIndex((w) => w.panel === panel);
          if (i >= 0) this.waiting.splice(i, 1);
        });
        this.waiting.push({ panel, target, sub });
      },
    });
  }

  /** The inbox runs in this window: adopt waiting panels now and restored ones from now on. */
  attach(adopt: AdoptPanel): vscode.Disposable {
    this.adopt = adopt;
    for (const w of this.waiting.splice(0)) {
      w.sub.dispose();
      adopt(w.panel, w.target);
    }
    return { dispose: () => (this.adopt = this.adopt === adopt ? undefined : this.adopt) };
  }

  dispose(): void {
    this.registration.dispose();
    for (const w of this.waiting.splice(0)) w.sub.dispose();
  }
}

/** The webview keeps its conversation in its state (src/webview/uiState.ts). */
export function targetFromState(state: unknown): ConversationTarget | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const conversation = (state as { conversation?: unknown }).conversation;
  if (typeof conversation !== 'object' || conversation === null) return undefined;
  const { accountId, conversationId } = conversation as Record<string, unknown>;
  if (typeof accountId === 'string' && typeof conversationId === 'string') return { accountId, conversationId };
  return undefined;
}

function waitingHtml(): string {
  const text = vscode.l10n.t('Venue Chat is running in another window. This conversation opens here when the inbox moves to this window.')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
  return `<!DOCTYPE html><html lang="${pageLanguage(vscode.env.language)}"><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body style="font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 1em">${text}</body></html>`;
}
