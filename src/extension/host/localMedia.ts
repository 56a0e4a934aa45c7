// Media an adapter saved on disk (MultiWA sends received photos, voice notes and documents inline
// as data: URLs; the adapter writes them to the account's media folder as file: URLs). The pane
// cannot load file: URLs: only files under the media root are rewritten to webview resource URLs,
// anything else on disk is dropped from the message, never exposed.
import { fileURLToPath } from 'node:url';
import { relative, isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import type { ChatMessage } from '../../shared/model';

export function paneMessages(messages: readonly ChatMessage[], webview: vscode.Webview, root: vscode.Uri | undefined): ChatMessage[] {
  return messages.map((m) => (m.attachments?.some((a) => a.url?.startsWith('file:')) ? { ...m, attachments: m.attachments.map((a) => (a.url?.startsWith('file:') ? withPaneUrl(a, webview, root) : a)) } : m));
}

function withPaneUrl<T extends { readonly url?: string }>(attachment: T, webview: vscode.Webview, root: vscode.Uri | undefined): T {
  const { url, ...rest } = attachment;
  const path = url ? safePath(url) : undefined;
  if (!root || !path) return rest as T;
  const inside = relative(root.fsPath, path);
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) return rest as T;
  return { ...rest, url: webview.asWebviewUri(vscode.Uri.file(path)).toString() } as T;
}

function safePath(url: string): string | undefined {
  try {
    return fileURLToPath(url);
  } catch {
    return undefined;
  }
}
