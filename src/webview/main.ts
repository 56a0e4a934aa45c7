// Webview entry point (dist/webview.js). Acquires the VS Code API once, builds the pane, then
// posts `webview/ready`.
// First, so every module below reads its texts in VS Code's display language.
import './l10nSetup';
import { ChatApp } from './app';
import { vscodeApi } from './vscodeApi';

function boot(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const app = new ChatApp(root, vscodeApi());
  app.start();
  window.addEventListener('pagehide', () => app.dispose(), { once: true });
}

boot();
