// Bybit P2P in a real VS Code against the sandbox emulator: add the account (HMAC key, order-scoped
// chat API), chat, upload a PDF, and see the counterparty's reply arrive by polling with no user
// action; counterparty message -> pane latency is recorded (median and worst).
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import type { VenueChatApi } from '../../src/extension/extension';
import { PDF, attachFromDisk } from './attachFromDisk';
import { activateWithSandbox } from './extensionUnderTest';
import { measurePushToPane } from './metrics';
import { driver, sendFromComposer } from './driver';
import { bybitOf, control, until, type BybitSandbox, type SandboxReady } from './sandbox';

interface BybitOrder {
  orderId: string;
  status: number;
  targetNickName: string;
}

interface BybitMessage {
  id: number;
  content: string;
  contentType: string;
  fromUserId: string;
  fromNickName: string;
  msgUuid: string;
}

describe('Bybit P2P in a real VS Code (sandbox)', function () {
  this.timeout(180000);
  let api: VenueChatApi;
  let sandbox: { child: ChildProcess; info: SandboxReady };
  let bybit: BybitSandbox;
  let accountId: string | undefined;
  let root: string;
  let order: BybitOrder;

  const stateOf = () => api.accounts().find((a) => a.id === accountId)?.state;
  const venueMessages = () => control<BybitMessage[]>(bybit.control, `/messages?orderId=${order.orderId}`);

  before(async () => {
    ({ api, root, sandbox } = await activateWithSandbox());
    bybit = bybitOf(sandbox.info);
    order = (await control<BybitOrder[]>(bybit.control, '/orders?account=0')).find((o) => o.status === 10)!;
    assert.ok(order, 'an order waiting for payment');
  });

  after(async () => {
    if (accountId && api.accounts().some((a) => a.id === accountId)) await vscode.commands.executeCommand('venueChat.removeAccount', { accountId });
    sandbox?.child.kill();
  });

  it('adds a Bybit sandbox account; its orders become conversations with order context', async () => {
    accountId = await vscode.commands.executeCommand<string>('venueChat.addAccount', { venue: 'bybit', label: 'Sandbox Bybit', credentials: bybit.accounts[0]!.credentials, endpoints: { rest: bybit.rest } });
    assert.ok(accountId);
    await until(() => stateOf()?.kind === 'online' || undefined, 'account online');
    const conversation = await until(() => api.conversations(accountId!).find((c) => c.conversationId === order.orderId), 'the order in the inbox');
    assert.equal(conversation.title, order.targetNickName);
    assert.equal(conversation.order?.state, 'awaiting-payment');
    assert.ok(conversation.order?.side && conversation.order.fiatAmount && conversation.order.payBy, `side, amount and the time left to pay: ${JSON.stringify(conversation.order)}`);
    await vscode.commands.executeCommand('workbench.view.extension.venueChat');
    assert.equal((await driver.waitForText(order.targetNickName, { scope: 'workbench', timeoutMs: 20000 })).found, true);
  });

  it('chats: a send is confirmed once, and the counterparty\'s reply arrives by itself', async () => {
    await vscode.commands.executeCommand('venueChat.openConversation', { accountId, conversationId: order.orderId });
    await until(() => api.openPanels().find((p) => p.conversationId === order.orderId), 'the chat pane');
    const text = `Please pay to the bank details in the order ${Date.now()}`;
    await sendFromComposer(text);
    const sent = await until(() => api.messages(accountId!, order.orderId).find((m) => m.text === text && m.status === 'confirmed'), 'confirmed by the read-back');
    const atVenue = (await venueMessages()).filter((m) => m.content === text);
    assert.equal(atVenue.length, 1, 'at the venue once');
    assert.equal(atVenue[0]!.msgUuid, sent.clientMessageId, 'sent with our client id as msgUuid');
    // The scripted buyer answers (and pays): no click, no reload, the poller brings it.
    const reply = await until(async () => {
      const all = await venueMessages();
      const mine = all.find((m) => m.content === text);
      return mine ? all.find((m) => m.id > mine.id && m.contentType.toLowerCase() === 'str' && m.fromNickName === order.targetNickName) : undefined;
    }, 'the counterparty reply at the venue');
    assert.equal((await driver.waitForText(reply.content.slice(0, 30), { scope: 'webview', timeoutMs: 15000 })).found, true, 'the reply shows in the pane');
    assert.equal(api.messages(accountId!, order.orderId).filter((m) => m.text === text).length, 1, 'shown once');
  });

  it('uploads a PDF from disk and sends it; confirmed and shown as a file', async () => {
    await attachFromDisk('payment-proof.pdf', PDF, async () => {
      const sent = await until(() => api.messages(accountId!, order.orderId).find((m) => m.kind === 'file' && m.direction === 'out' && m.status === 'confirmed'), 'the PDF confirmed');
      const atVenue = (await venueMessages()).filter((m) => m.contentType.toLowerCase() === 'pdf' && m.msgUuid === sent.clientMessageId);
      assert.equal(atVenue.length, 1, 'one pdf message at the venue, with our msgUuid');
      assert.match(atVenue[0]!.content, /^\/fiat\/p2p\/oss\/showObj\//, 'the relative URL Bybit returned is what the message carries');
      const served = await fetch(sent.attachments![0]!.url!);
      assert.equal(served.status, 200);
      assert.equal(served.headers.get('content-type'), 'application/pdf');
      assert.equal((await driver.waitForText('payment-proof.pdf', { scope: 'webview', timeoutMs: 10000 })).found, true, 'shown as a file card');
    });
  });

  it('an RSA-key account whose order chat API Bybit closed works through the session API', async () => {
    const rsaId = await vscode.commands.executeCommand<string>('venueChat.addAccount', { venue: 'bybit', label: 'Sandbox Bybit RSA', credentials: bybit.accounts[1]!.credentials, endpoints: { rest: bybit.rest } });
    assert.ok(rsaId);
    try {
      assert.equal(await api.hasCredentials(rsaId), true);
      await until(() => api.accounts().find((a) => a.id === rsaId)?.state.kind === 'online' || undefined, 'the RSA account online');
      const rsaOrder = (await control<BybitOrder[]>(bybit.control, '/orders?account=1')).find((o) => o.status === 10)!;
      await until(() => api.conversations(rsaId).find((c) => c.conversationId === rsaOrder.orderId), 'its order in the inbox');
      const text = `session chat ${Date.now()}`;
      await vscode.commands.executeCommand('venueChat.sendMessage', { accountId: rsaId, conversationId: rsaOrder.orderId, text });
      await until(() => api.messages(rsaId, rsaOrder.orderId).find((m) => m.text === text && m.status === 'confirmed'), 'confirmed by reading the session back');
      const atVenue = (await control<BybitMessage[]>(bybit.control, `/messages?orderId=${rsaOrder.orderId}`)).filter((m) => m.content === text);
      assert.equal(atVenue.length, 1, 'sent once');
      assert.equal(atVenue[0]!.msgUuid, '', 'through the session API (no msgUuid there)');
      const requests = await control<{ path: string; signatureValid: boolean | null; apiKey: string | null }[]>(bybit.control, '/requests?kind=rest');
      const signed = requests.filter((r) => r.apiKey === bybit.accounts[1]!.credentials.apiKey && r.signatureValid !== null);
      assert.ok(signed.length > 0 && signed.every((r) => r.signatureValid === true), 'every call RSA-signed correctly');
      assert.equal(api.messages(rsaId, rsaOrder.orderId).filter((m) => m.text === text).length, 1, 'shown once');
    } finally {
      await vscode.commands.executeCommand('venueChat.removeAccount', { accountId: rsaId });
    }
  });

  it('a counterparty message reaches the open pane within one polling interval (latency recorded)', async () => {
    await measurePushToPane(root, 'bybit.pushToPaneDomMs', (content) => control(bybit.control, '/inject', { orderId: order.orderId, content }), 'sandbox inject -> text visible in the webview DOM; the open chat is polled every ~1 s');
  });

  it('Account Settings switches the chat API in place: picked in the quick picks, the next send goes through sessions; back to automatic, through the order chat again', async () => {
    const sendAndRead = async (label: string) => {
      const text = `${label} ${Date.now()}`;
      await vscode.commands.executeCommand('venueChat.sendMessage', { accountId, conversationId: order.orderId, text });
      await until(() => api.messages(accountId!, order.orderId).find((m) => m.text === text && m.status === 'confirmed'), `"${label}" confirmed`);
      const atVenue = (await venueMessages()).filter((m) => m.content === text);
      assert.equal(atVenue.length, 1, `"${label}" at the venue once`);
      assert.equal(api.messages(accountId!, order.orderId).filter((m) => m.text === text).length, 1, `"${label}" shown once`);
      return atVenue[0]!;
    };
    // The palette path: the command asks which setting, then which value.
    const configured = Promise.resolve(vscode.commands.executeCommand<Record<string, unknown>>('venueChat.accountSettings', { accountId }));
    const row = '.quick-input-widget .quick-input-list .monaco-list-row';
    await driver.click({ selector: row, hasText: 'Chat API', scope: 'workbench', timeoutMs: 15000 });
    await driver.click({ selector: row, hasText: 'Session chat API', scope: 'workbench', timeoutMs: 15000 });
    assert.deepEqual(await configured, { chatMode: 'session' });
    await until(() => stateOf()?.kind === 'online' || undefined, 'the restarted adapter online');
    const viaSessions = await sendAndRead('forced session chat');
    assert.equal(viaSessions.msgUuid, '', 'sent through the session API (no msgUuid there)');
    const requests = await control<{ path: string; apiKey: string | null }[]>(bybit.control, '/requests?kind=rest');
    const mine = requests.filter((r) => r.apiKey === bybit.accounts[0]!.credentials.apiKey);
    assert.ok(mine.some((r) => /^\/v5\/p2p\/chat\/message\/send/.test(r.path)), 'the session send route was called');
    // Reading the same chat through the other API stores nothing twice (every text we sent is unique).
    const ours = api.messages(accountId!, order.orderId).filter((m) => m.direction === 'out').map((m) => m.text ?? m.attachments?.[0]?.name);
    assert.equal(new Set(ours).size, ours.length, `history not doubled by the switch: ${JSON.stringify(ours)}`);

    assert.deepEqual(await vscode.commands.executeCommand('venueChat.accountSettings', { accountId, settings: { chatMode: 'auto' } }), { chatMode: 'auto' });
    await until(() => stateOf()?.kind === 'online' || undefined, 'online again');
    const viaOrders = await sendAndRead('automatic again');
    assert.ok(viaOrders.msgUuid.length > 0, 'the order chat API again (sent with our msgUuid)');
  });
});
