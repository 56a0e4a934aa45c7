// Settings in a real VS Code (issue 13): a workspace's .vscode/settings.json cannot move uploads or
// widen the chat pane's CSP (those settings are application-scoped), and settings changed while a
// pane is open apply to it at once, without a reload or reopening the pane.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { VenueChatApi } from '../../src/extension/extension';
import { attachFromDisk } from './attachFromDisk';
import { activateWithSandbox } from './extensionUnderTest';
import { driver } from './driver';
import { control, until, type MexcSandbox, type SandboxOrder, type SandboxReady } from './sandbox';

const CSP = 'meta[http-equiv="Content-Security-Policy"]';

describe('settings in a real VS Code: user-only, applied live', function () {
  this.timeout(120000);
  let api: VenueChatApi;
  let sandbox: { child: ChildProcess; info: SandboxReady; mexc: MexcSandbox };
  let accountId: string;
  let conversationId: string;
  /** An upload target a cloned repository would name: it records every request that reaches it. */
  let foreign: Server;
  let foreignUrl: string;
  const foreignRequests: string[] = [];
  let workspaceSettings: string;

  before(async () => {
    ({ api, sandbox } = await activateWithSandbox());
    foreign = createServer((req, res) => {
      foreignRequests.push(`${req.method} ${req.url}`);
      req.resume();
      res.end();
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/repo-upload/{name}`;
    const account = sandbox.mexc.accounts[0]!;
    accountId = (await vscode.commands.executeCommand<string>('venueChat.addAccount', { venue: 'mexc', label: 'Settings MEXC', credentials: account.credentials, endpoints: { rest: sandbox.mexc.rest, ws: sandbox.mexc.ws } }))!;
    await until(() => api.accounts().find((a) => a.id === accountId)?.state.kind === 'online' || undefined, 'account online');
    const state = await control<{ orders: SandboxOrder[] }>(sandbox.mexc.control, '/state');
    const order = state.orders.find((o) => o.apiKey === account.credentials.apiKey && (o.state === 'PAID' || o.state === 'NOT_PAID'))!;
    conversationId = String(order.conversationId);
    await until(() => api.conversations(accountId).some((c) => c.conversationId === conversationId) || undefined, 'the conversation');
    workspaceSettings = join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, '.vscode', 'settings.json');
  });

  after(async () => {
    const config = vscode.workspace.getConfiguration('venueChat');
    await config.update('mediaUpload.putUrl', undefined, vscode.ConfigurationTarget.Global);
    await config.update('media.extraOrigins', undefined, vscode.ConfigurationTarget.Global);
    await rm(workspaceSettings, { force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (accountId) await vscode.commands.executeCommand('venueChat.removeAccount', { accountId });
    foreign?.close();
    sandbox?.child.kill();
  });

  it('ignores a workspace\'s upload target and media origins; the user\'s upload target, set while the pane is open, applies at once', async () => {
    // What a cloned repository could ship. editor.tabSize is the control: it shows VS Code read the file.
    await mkdir(join(workspaceSettings, '..'), { recursive: true });
    await writeFile(workspaceSettings, JSON.stringify({
      'editor.tabSize': 7,
      'venueChat.mediaUpload.putUrl': foreignUrl,
      'venueChat.mediaUpload.publicUrl': foreignUrl,
      'venueChat.media.extraOrigins': ['https://repo-media.example'],
    }));
    await until(() => vscode.workspace.getConfiguration('editor').inspect<number>('tabSize')?.workspaceValue === 7 || undefined, 'VS Code reads the workspace settings');
    const config = vscode.workspace.getConfiguration('venueChat');
    assert.equal(config.get('mediaUpload.putUrl'), '', 'the workspace value is not the upload target');
    assert.deepEqual(config.get('media.extraOrigins'), []);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('venueChat.openConversation', { accountId, conversationId });
    await until(async () => (await driver.count({ selector: '.composer__attach[hidden]', scope: 'webview' })) === 1 || undefined, 'MEXC without an upload target offers no attach button');
    assert.equal(await driver.count({ selector: `${CSP}[content*="repo-media.example"]`, scope: 'webview' }), 0, 'the workspace\'s origin is not in the pane\'s CSP');

    // The user sets the upload target with the pane open: the attach button appears, no reopening.
    await vscode.workspace.getConfiguration('venueChat').update('mediaUpload.putUrl', sandbox.mexc.upload, vscode.ConfigurationTarget.Global);
    await until(async () => (await driver.count({ selector: '.composer__attach:not([hidden])', scope: 'webview' })) === 1 || undefined, 'the attach button, live', 10000);

    const png = Buffer.from(await (await fetch(`${sandbox.mexc.media}/receipt.png`)).arrayBuffer());
    const frame = await attachFromDisk('settings-receipt.png', png, () =>
      until(async () => {
        const frames = await control<{ method: string | null; params: { type?: number; imageUrl?: string } }[]>(sandbox.mexc.control, `/frames?conversationId=${conversationId}`);
        return frames.find((f) => f.method === 'SEND_MESSAGE' && f.params.type === 2 && (f.params.imageUrl ?? '').includes('settings-receipt.png'));
      }, 'the image message at the sandbox'),
    );
    assert.ok(frame.params.imageUrl!.startsWith(sandbox.mexc.upload.split('{name}')[0]!), `sent the user's upload link, not the workspace's: ${frame.params.imageUrl}`);
    assert.equal((await fetch(frame.params.imageUrl!)).status, 200, 'the file went to the user\'s upload target');
    assert.deepEqual(foreignRequests, [], 'nothing reached the workspace\'s upload target');
  });

  it('rebuilds an open pane\'s CSP when the user adds a media origin, and keeps what is being typed', async () => {
    await vscode.commands.executeCommand('venueChat.openConversation', { accountId, conversationId });
    // The pane has its snapshot (the upload target set above shows the attach button) before typing.
    await until(async () => (await driver.count({ selector: '.composer__attach:not([hidden])', scope: 'webview' })) === 1 || undefined, 'the pane with its snapshot');
    await driver.fill({ selector: '.composer__box textarea', scope: 'webview', value: 'half-typed answer', timeoutMs: 20000 });
    // The draft is saved with the inbox (global state), not the workspace.
    const draftKey = `venueChat.draft.${accountId}.${conversationId}`;
    await until(() => api.mementos().globalState[draftKey] === 'half-typed answer' || undefined, 'the draft saved in global state');
    assert.equal(api.mementos().workspaceState[draftKey], undefined);
    assert.equal(await driver.count({ selector: `${CSP}[content*="https://user-media.example"]`, scope: 'webview' }), 0);
    await vscode.workspace.getConfiguration('venueChat').update('media.extraOrigins', ['https://user-media.example'], vscode.ConfigurationTarget.Global);
    await until(async () => (await driver.count({ selector: `${CSP}[content*="https://user-media.example"]`, scope: 'webview' })) === 1 || undefined, 'the origin in the open pane\'s CSP', 10000);
    assert.equal(await driver.count({ selector: `${CSP}[content*="repo-media.example"]`, scope: 'webview' }), 0, 'still not the workspace\'s origin');
    // The page was rebuilt: Send is enabled again only once the draft came back with the snapshot.
    await until(async () => (await driver.count({ selector: '.composer__send:not([disabled])', scope: 'webview' })) === 1 || undefined, 'the draft back in the rebuilt pane', 10000);
  });
});
