// The person's path in a real VS Code against the MEXC sandbox: add an account through the
// command, find the conversation in the tree, open the chat pane, send a message the sandbox
// receives correctly signed, and see the counterparty's reply in the pane's DOM.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { VenueChatApi } from '../../src/extension/extension';
import { orderRowText, orderSideText } from '../../src/shared/orderText';
import { activateWithSandbox } from './extensionUnderTest';
import { measurePushRate, measurePushToPane, recordMetric } from './metrics';
import { answerPrompt, driver, sendFromComposer } from './driver';
import { control, until, type MexcSandbox, type SandboxMessage, type SandboxOrder, type SandboxReady } from './sandbox';

describe('inbox in a real VS Code (MEXC sandbox)', function () {
  this.timeout(120000);
  let api: VenueChatApi;
  let sandbox: { child: ChildProcess; info: SandboxReady; mexc: MexcSandbox };
  let accountId: string;
  let order: SandboxOrder;
  let root: string;

  before(async () => {
    ({ api, root, sandbox } = await activateWithSandbox());
  });

  after(async () => {
    sandbox?.child.kill();
  });

  it('activates quickly', async () => {
    assert.ok(api.activationMs < 2000, `activation took ${api.activationMs.toFixed(0)} ms`);
    await recordMetric(root, 'activationMs', Number(api.activationMs.toFixed(1)));
  });

  it('rejects wrong keys with the venue\'s own message', async () => {
    const account = sandbox.mexc.accounts[0]!;
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('venueChat.addAccount', { venue: 'mexc', label: 'Wrong keys', credentials: { apiKey: account.credentials.apiKey, secretKey: 'wrong-secret-0000' }, endpoints: { rest: sandbox.mexc.rest, ws: sandbox.mexc.ws } })),
      /Signature for this request is not valid/,
    );
    assert.equal(api.accounts().length, 0, 'a rejected account is not saved');
  });

  it('adds a sandbox account through the command; the keys go to SecretStorage only', async () => {
    const account = sandbox.mexc.accounts[0]!;
    accountId = (await vscode.commands.executeCommand<string>('venueChat.addAccount', {
      venue: 'mexc',
      label: 'Sandbox MEXC',
      credentials: account.credentials,
      endpoints: { rest: sandbox.mexc.rest, ws: sandbox.mexc.ws },
    }))!;
    assert.ok(accountId);
    assert.equal(await api.hasCredentials(accountId), true);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('venueChat'));
    assert.ok(!settings.includes(account.credentials.secretKey) && !settings.includes(account.credentials.apiKey), 'keys never land in settings');
    await until(() => api.accounts().find((a) => a.id === accountId)?.state.kind === 'online' || undefined, 'account online');
  });

  it('shows the conversations in the tree and the connection in the status bar', async () => {
    const state = await control<{ orders: SandboxOrder[] }>(sandbox.mexc.control, '/state');
    const own = state.orders.filter((o) => o.apiKey === sandbox.mexc.accounts[0]!.credentials.apiKey);
    order = own.find((o) => o.state === 'PAID') ?? own[0]!;
    await until(() => api.conversations(accountId).length === own.length || undefined, 'conversations');
    await vscode.commands.executeCommand('workbench.view.extension.venueChat');
    const seen = await driver.waitForText(order.counterpartyNickName, { scope: 'workbench', timeoutMs: 20000 });
    assert.equal(seen.found, true, 'the counterparty appears in the Venue Chat tree');
    // The row carries the order at a glance: fiat amount and state in words ("349.68 EUR · Paid").
    const context = api.conversations(accountId).find((c) => c.conversationId === String(order.conversationId))?.order;
    assert.ok(context, 'the conversation has its order context');
    assert.equal(context.state, 'paid');
    assert.equal((await driver.waitForText(orderRowText(context), { scope: 'workbench', timeoutMs: 10000 })).found, true, 'the row shows amount and state');
    const status = await driver.waitForText('Venue Chat', { scope: 'workbench', timeoutMs: 10000 });
    assert.equal(status.found, true);
    assert.ok((await driver.count({ selector: '.statusbar-item[id*="venueChat.status"], .statusbar-item[id*="venue-chat"]', scope: 'workbench' })) >= 1, 'status bar item present');
  });

  it('opens the chat pane from the tree with the stored history', async () => {
    // A busy inbox refreshes the tree while the user clicks: keep another conversation busy meanwhile.
    const state = await control<{ orders: SandboxOrder[] }>(sandbox.mexc.control, '/state');
    const other = state.orders.find((o) => o.apiKey === order.apiKey && o.conversationId !== order.conversationId && o.state === 'NOT_PAID')!;
    let busy = true;
    let clickedAt = 0;
    let panelAt = 0;
    const burst = (async () => {
      for (let i = 0; busy && i < 100; i++) {
        await control(sandbox.mexc.control, '/inject', { conversationId: other.conversationId, content: `busy ${i}` });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      await new Promise((r) => setTimeout(r, 300));
      clickedAt = Date.now();
      await driver.click({ selector: '.monaco-list-row', hasText: order.counterpartyNickName, scope: 'workbench' });
      await until(() => api.openPanels().find((p) => p.conversationId === String(order.conversationId)) ?? undefined, 'chat panel');
      panelAt = Date.now();
    } finally {
      busy = false;
      await burst;
    }
    assert.deepEqual(api.openPanels().map((p) => p.conversationId), [String(order.conversationId)], 'exactly the clicked conversation opened');
    const history = await control<SandboxMessage[]>(sandbox.mexc.control, `/messages?conversationId=${order.conversationId}`);
    // The history the socket delivered before (seeded messages are not pushed: MEXC has no history API),
    // so the pane shows what the store holds: at least the composer and the header are there.
    const header = await driver.waitForText(order.counterpartyNickName, { scope: 'webview', timeoutMs: 20000 });
    assert.equal(header.found, true, 'the pane shows the conversation title');
    // The composer has focus once the pane shows: the user types straight away.
    await until(async () => (await driver.count({ selector: '.composer__box:focus, .composer__box:focus-within', scope: 'webview' })) > 0 || undefined, 'the composer focused', 5000);
    await recordMetric(root, 'pane.clickToPanelMs', panelAt - clickedAt);
    const context = api.conversations(accountId).find((c) => c.conversationId === String(order.conversationId))?.order;
    const side = context ? orderSideText(context) : undefined;
    assert.ok(side?.startsWith('You '), `the side from the user's point of view: ${side}`);
    assert.equal((await driver.waitForText(side ?? '', { scope: 'webview', timeoutMs: 10000 })).found, true, 'the header says who buys');
    assert.ok(Array.isArray(history));
  });

  it('sends from the composer: the sandbox receives it correctly signed, and the reply appears in the pane', async () => {
    const text = `Hello, please send the bank details ${Date.now()}`;
    await sendFromComposer(text);
    const frames = await until(async () => {
      const f = await control<{ method: string | null; params: { content?: string; type?: number; conversationId?: number } }[]>(sandbox.mexc.control, `/frames?conversationId=${order.conversationId}`);
      return f.find((x) => x.method === 'SEND_MESSAGE' && x.params.content === text) ? f : undefined;
    }, 'SEND_MESSAGE at the sandbox');
    const frame = frames.find((x) => x.method === 'SEND_MESSAGE' && x.params.content === text)!;
    assert.equal(frame.params.type, 1);
    assert.equal(frame.params.conversationId, order.conversationId);
    const requests = await control<{ kind: string; signatureValid: boolean | null }[]>(sandbox.mexc.control, '/requests');
    const signed = requests.filter((r) => r.kind === 'rest' && r.signatureValid !== null);
    assert.ok(signed.length > 0 && signed.slice(-5).every((r) => r.signatureValid === true), 'the last REST calls were correctly signed');
    // Our message shows once, confirmed by the venue's echo.
    await until(() => api.messages(accountId, String(order.conversationId)).find((m) => m.text === text && m.status === 'confirmed') ?? undefined, 'confirmed');
    assert.equal(api.messages(accountId, String(order.conversationId)).filter((m) => m.text === text).length, 1);
    // The counterparty answers; its text must appear in the webview DOM.
    const reply = await until(async () => {
      const msgs = await control<SandboxMessage[]>(sandbox.mexc.control, `/messages?conversationId=${order.conversationId}`);
      const mine = msgs.find((m) => m.content === text);
      return mine ? msgs.find((m) => !m.self && m.id > mine.id) : undefined;
    }, 'counterparty reply');
    const firstLine = reply.content.split('\n')[0]!.slice(0, 40);
    const shown = await driver.waitForText(firstLine, { scope: 'webview', timeoutMs: 20000 });
    assert.equal(shown.found, true, `reply "${firstLine}" shown in the pane`);
    await driver.screenshot('chat-pane');
  });

  it('shows a pushed message in the pane DOM quickly (push -> DOM)', async () => {
    await measurePushToPane(root, 'pushToPaneDomMs', (content) => control(sandbox.mexc.control, '/inject', { conversationId: order.conversationId, content }), 'sandbox inject -> text visible in the webview DOM, incl. driver polling');
  });

  it('keeps up with 100 messages a second: every one reaches the pane DOM (push -> DOM latency recorded)', async () => {
    const result = await measurePushRate(root, 'pushToPaneAt100PerSecond', (content) => control(sandbox.mexc.control, '/inject', { conversationId: order.conversationId, content }));
    assert.equal(result.lost, 0, `all ${result.sent} messages reached the pane (p50 ${result.p50} ms, p95 ${result.p95} ms)`);
  });

  it('renders hostile counterparty text as text', async () => {
    const hostile = `<img src=x onerror="document.title='pwned'">payload-${Date.now()}`;
    await control(sandbox.mexc.control, '/inject', { conversationId: order.conversationId, content: hostile });
    const seen = await driver.waitForText(hostile, { scope: 'webview', timeoutMs: 10000 });
    assert.equal(seen.found, true, 'the markup shows literally');
    assert.equal(await driver.count({ selector: 'img[onerror]', scope: 'webview' }), 0);
  });

  it('nudges about the latest message of a burst in a chat no pane shows, in the status bar while a pane has focus; not for the visible or a muted chat', async () => {
    // A new order: MEXC pushes no order events, so Reconnect (or the next order poll) finds it.
    const other = await control<SandboxOrder>(sandbox.mexc.control, '/orders', { counterpartyNickName: 'NewBuyer_7', state: 'NOT_PAID', account: 0 });
    await vscode.commands.executeCommand('venueChat.reconnect', { accountId });
    await until(() => api.conversations(accountId).find((c) => c.conversationId === String(other.conversationId)) ?? undefined, 'the new order in the inbox');
    // Reconnect renews every chat socket; MEXC keeps no history, so wait until both chats are live again.
    await until(async () => {
      const live = (await control<{ conversationId: number }[]>(sandbox.mexc.control, '/sockets')).map((x) => x.conversationId);
      return live.includes(other.conversationId) && live.includes(order.conversationId) && api.accounts().find((a) => a.id === accountId)?.state.kind === 'online' ? true : undefined;
    }, 'sockets for the new order and the open chat');
    const unreadBefore = api.conversations(accountId).find((c) => c.conversationId === String(other.conversationId))?.unread ?? 0;
    // The chat pane has focus: a toast would cover its composer, so the nudge goes to the status bar.
    assert.ok(api.openPanels().some((p) => p.visible), 'a chat pane is open');
    const stamp = Date.now();
    for (const n of [1, 2, 3]) await control(sandbox.mexc.control, '/inject', { conversationId: other.conversationId, content: `burst ${n} ${stamp}` });
    const nudge = await driver.waitForText(`${other.counterpartyNickName}: burst 3 ${stamp} (+2 more)`, { scope: 'workbench', timeoutMs: 10000 });
    assert.equal(nudge.found, true, 'one nudge names the counterparty and shows the LATEST message of the burst');
    const statusBar = (await driver.textContent({ selector: '.statusbar', scope: 'workbench' })).join(' ');
    assert.ok(statusBar.includes(`burst 3 ${stamp}`), 'in the status bar, not over the composer');
    const toasts = (await driver.textContent({ selector: '.notifications-toasts', scope: 'workbench' })).join(' ');
    assert.ok(!toasts.includes(`burst 1 ${stamp}`) && !toasts.includes(`burst 3 ${stamp}`), 'no toast while the pane has focus');
    await until(() => ((api.conversations(accountId).find((c) => c.conversationId === String(other.conversationId))?.unread ?? 0) >= unreadBefore + 3) || undefined, 'unread count');

    const visibleText = `visible pane ${Date.now()}`;
    await control(sandbox.mexc.control, '/inject', { conversationId: order.conversationId, content: visibleText });
    assert.equal((await driver.waitForText(visibleText, { scope: 'webview', timeoutMs: 10000 })).found, true);
    const mutedText = `muted chat ${Date.now()}`;
    assert.equal(await vscode.commands.executeCommand('venueChat.muteConversation', { accountId, conversationId: String(other.conversationId) }), true);
    await control(sandbox.mexc.control, '/inject', { conversationId: other.conversationId, content: mutedText });
    await until(() => api.messages(accountId, String(other.conversationId)).some((m) => m.text === mutedText) || undefined, 'the muted chat still receives');
    await new Promise((r) => setTimeout(r, 12_000)); // past the quiet period and the burst wait
    const workbench = (await driver.textContent({ selector: '.notifications-toasts, .statusbar', scope: 'workbench' })).join(' ');
    assert.ok(!workbench.includes(visibleText), 'no nudge for the conversation on screen');
    assert.ok(!workbench.includes(mutedText), 'no nudge for a muted chat');
    assert.equal(await vscode.commands.executeCommand('venueChat.unmuteConversation', { accountId, conversationId: String(other.conversationId) }), true);
    assert.equal(api.conversations(accountId).find((c) => c.conversationId === String(order.conversationId))?.unread, 0);
  });

  it('runs send, open and reconnect from argument objects (keybindings, scripts)', async () => {
    const conversationId = String(order.conversationId);
    const text = `scripted send ${Date.now()}`;
    const sent = await vscode.commands.executeCommand<{ key: string }>('venueChat.sendMessage', { accountId, conversationId, text });
    assert.ok(sent?.key);
    await until(async () => {
      const f = await control<{ method: string | null; params: { content?: string } }[]>(sandbox.mexc.control, `/frames?conversationId=${order.conversationId}`);
      return f.some((x) => x.method === 'SEND_MESSAGE' && x.params.content === text) || undefined;
    }, 'scripted message at the sandbox');
    const opened = await vscode.commands.executeCommand<{ conversationId: string }>('venueChat.openConversation', { accountId, conversationId });
    assert.equal(opened?.conversationId, conversationId);
    const before = (await control<{ id: number }[]>(sandbox.mexc.control, '/sockets')).map((x) => x.id);
    assert.equal(await vscode.commands.executeCommand<number>('venueChat.reconnect', { accountId }), 1);
    await until(async () => {
      const now = (await control<{ id: number }[]>(sandbox.mexc.control, '/sockets')).map((x) => x.id);
      return now.length > 0 && now.every((id) => !before.includes(id)) ? true : undefined;
    }, 'fresh sockets after reconnect');
    await until(() => api.accounts().find((a) => a.id === accountId)?.state.kind === 'online' || undefined, 'online again');
  });

  it('asks venue, label, keys (password boxes) and endpoints when run from the palette; wrong keys are asked again, the rest kept', async () => {
    const second = sandbox.mexc.accounts[1]!;
    // As the inbox's title-bar button runs it while a conversation is selected: with a tree node.
    const pending = Promise.resolve(vscode.commands.executeCommand<string>('venueChat.addAccount', { kind: 'venue', venue: 'mexc' }));
    const answer = answerPrompt;
    await answer('Add Account: venue', 'MEXC P2P');
    await answer('Add Account: label', 'Prompted MEXC');
    await answer('Add Account: API key (access key)', second.credentials.apiKey, true);
    await answer('Add Account: Secret key', 'a-wrong-secret-0000', true);
    await answer('Add Account: endpoints', 'Custom endpoints');
    await answer('Add Account: REST base URL', sandbox.mexc.rest);
    await answer('Add Account: Chat WebSocket URL', sandbox.mexc.ws);
    assert.equal((await driver.waitForText('did not accept these keys', { scope: 'workbench', timeoutMs: 15000 })).found, true, 'the venue\'s refusal is shown');
    // Only the keys are asked again; label and endpoints are kept.
    await answer('Add Account: API key (access key) (try again)', second.credentials.apiKey, true);
    await answer('Add Account: Secret key (try again)', second.credentials.secretKey, true);
    const promptedId = await pending;
    assert.ok(promptedId, 'the prompted account was added');
    await until(() => api.accounts().find((a) => a.id === promptedId && a.label === 'Prompted MEXC') ?? undefined, 'prompted account listed');
    assert.equal(await vscode.commands.executeCommand<boolean>('venueChat.removeAccount', { accountId: promptedId }), true);
  });

  it('sends a file from disk through the configured upload target, as a MEXC image link', async () => {
    const conversationId = String(order.conversationId);
    // The file dialog starts in the workspace folder: the file is picked there, as a person would.
    const dir = await mkdtemp(join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'upload-'));
    const file = join(dir, 'payment-receipt.png');
    await writeFile(file, Buffer.from(await (await fetch(`${sandbox.mexc.media}/receipt.png`)).arrayBuffer()));
    await vscode.workspace.getConfiguration('venueChat').update('mediaUpload.putUrl', sandbox.mexc.upload, vscode.ConfigurationTarget.Global);
    try {
      // The composer learns about the upload target from a fresh snapshot: reopen the pane.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('venueChat.openConversation', { accountId, conversationId });
      await driver.click({ selector: '.composer__attach', scope: 'webview', timeoutMs: 20000 });
      // code-server's file dialog is a quick input that takes a path.
      const row = '.quick-input-widget .quick-input-list .monaco-list-row';
      await driver.click({ selector: row, hasText: basename(dir), scope: 'workbench', timeoutMs: 15000 });
      await driver.click({ selector: row, hasText: 'payment-receipt.png', scope: 'workbench', timeoutMs: 15000 });
      const frame = await until(async () => {
        const f = await control<{ method: string | null; params: { type?: number; imageUrl?: string } }[]>(sandbox.mexc.control, `/frames?conversationId=${order.conversationId}`);
        return f.find((x) => x.method === 'SEND_MESSAGE' && x.params.type === 2 && (x.params.imageUrl ?? '').includes('payment-receipt.png'));
      }, 'image message at the sandbox');
      const uploaded = await fetch(frame.params.imageUrl!);
      assert.equal(uploaded.status, 200, 'the link the counterparty gets works');
      assert.equal(uploaded.headers.get('content-type'), 'image/png');
      await until(() => api.messages(accountId, conversationId).find((m) => m.kind === 'image' && m.status === 'confirmed') ?? undefined, 'image confirmed');
      assert.ok((await driver.count({ selector: '.msg img', scope: 'webview' })) >= 1, 'the image shows in the pane');
    } finally {
      await vscode.workspace.getConfiguration('venueChat').update('mediaUpload.putUrl', undefined, vscode.ConfigurationTarget.Global);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never writes keys, secrets or listen keys to the log', async () => {
    await new Promise((r) => setTimeout(r, 1500)); // the log channel flushes asynchronously
    const log = await readFile(api.logFile.fsPath, 'utf8');
    assert.ok(log.length > 0, 'the log has content');
    const { apiKey, secretKey } = sandbox.mexc.accounts[0]!.credentials;
    assert.ok(!log.includes(apiKey), 'api key leaked');
    assert.ok(!log.includes(secretKey), 'secret leaked');
    assert.ok(!/listenKey=[0-9a-f]{16,}/i.test(log), 'listen key leaked');
  });

  it('removes the account: metadata and keys are gone, its panes closed', async () => {
    await vscode.commands.executeCommand('venueChat.openConversation', { accountId, conversationId: String(order.conversationId) });
    await until(() => api.openPanels().some((p) => p.accountId === accountId) || undefined, 'a pane of the account');
    const removed = await vscode.commands.executeCommand<boolean>('venueChat.removeAccount', { accountId });
    assert.equal(removed, true);
    assert.equal(api.accounts().length, 0);
    assert.equal(await api.hasCredentials(accountId), false);
    assert.deepEqual(api.openPanels().filter((p) => p.accountId === accountId), [], 'no pane left on a removed account');
  });
});
