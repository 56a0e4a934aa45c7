// Smoke test: the extension loads and activates in a real VS Code, and the driver can see the
// workbench and reach into a webview the way a person would.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from './driver';

const EXTENSION_ID = 'venue-chat.venue-chat';

describe('smoke', () => {
  it('activates the extension', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('shows "Venue Chat" in the workbench', async () => {
    const result = await driver.waitForText('Venue Chat', { scope: 'workbench', timeoutMs: 20000 });
    assert.equal(result.found, true, 'the text "Venue Chat" never appeared in the workbench');
  });

  // Guards the harness itself: later tests rely on reaching webview DOM through nested iframes.
  it('reaches the DOM inside a webview', async () => {
    const panel = vscode.window.createWebviewPanel('venueChat.smokeProbe', 'Smoke probe', vscode.ViewColumn.One, { enableScripts: true });
    try {
      const clicked = new Promise<unknown>((resolve) => panel.webview.onDidReceiveMessage(resolve));
      const nonce = Math.random().toString(36).slice(2);
      panel.webview.html = `<!DOCTYPE html><html><head>
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';">
        </head><body><p id="probe">driver probe ${nonce}</p><button id="ping">ping</button>
        <script nonce="${nonce}">
          const vscode = acquireVsCodeApi();
          document.getElementById('ping').addEventListener('click', () => vscode.postMessage({ pong: true }));
        </script></body></html>`;
      const seen = await driver.waitForText(`driver probe ${nonce}`, { scope: 'webview', timeoutMs: 20000 });
      assert.equal(seen.found, true, 'probe text not found in any webview frame');
      assert.equal(await driver.count({ selector: '#probe', scope: 'workbench' }), 0, 'webview DOM leaked into the workbench scope');
      await driver.click({ selector: '#ping', scope: 'webview' });
      assert.deepEqual(await clicked, { pong: true });
    } finally {
      panel.dispose();
    }
  });
});
