// Registers the few @vscode/webview-ui-toolkit components the pane uses. The toolkit is deprecated
// upstream, so it is imported only inside this folder: swapping it means rewriting these wrappers,
// nothing else. `vscode-badge` is deliberately not used: its template carries a `style` attribute
// that a strict CSP (no 'unsafe-inline') reports as a violation; a plain styled span does the job.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing, vsCodeTextArea } from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTextArea(), vsCodeProgressRing());
}
