// WhatsApp through a MultiWA gateway in a real VS Code against the sandbox emulator: pair a
// profile through its QR code (the login account), then on the API-key account chat, reply with a
// quote from the pane, send a document from disk and a location, see received inline media shown
// from the account's media folder, and record push -> pane latency.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import type { VenueChatApi } from '../../src/extension/extension';
import { PDF, attachFromDisk } from './attachFromDisk';
import { driver, sendFromComposer } from './driver';
import { activateWithSandbox } from './extensionUnderTest';
import { measurePushToPane } from './metrics';
import { control, multiwaOf, until, type MultiwaSandbox, type SandboxReady } from './sandbox';

interface Row {
  id: string;
  direction: string;
  type: string;
  content: Record<string, unknown>;
  quotedMessageId: string | null;
  status: string;
}

interface ConversationRow {
  id: string;
  name: string;
}

describe('MultiWA (WhatsApp gateway) in a real VS Code (sandbox)', function () {
  this.timeout(180000);
  let api: VenueChatApi;
  let sandbox: { child: ChildProcess; info: SandboxReady };
  let multiwa: MultiwaSandbox;
  let root: string;
  let accountId: string | undefined;
  let chat: ConversationRow;

  const rows = () => control<Row[]>(multiwa.control, `/messages?conversationId=${chat.id}`);
  /** `discover`: no profile named; the gateway's only profile for the key is taken. */
  const add = (index: number, label: string, discover = false) => {
    const a = multiwa.accounts[index]!;
    return vscode.commands.executeCommand<string>('venueChat.addAccount', { venue: 'multiwa', label, credentials: a.credentials, endpoints: a.endpoints, ...(discover ? {} : { settings: a.settings }) });
  };

  before(async () => {
    ({ api, root, sandbox } = await activateWithSandbox());
    multiwa = multiwaOf(sandbox.info);
  });

  after(async () => {
    if (accountId && api.accounts().some((a) => a.id === accountId)) await vscode.commands.executeCommand('venueChat.removeAccount', { accountId });
    sandbox?.child.kill();
  });

  it('pairs a WhatsApp profile through its QR code: the pairing panel shows it, and the account comes online once scanned', async () => {
    const loginId = await add(1, 'Sandbox WhatsApp login');
    assert.ok(loginId);
    try {
      await until(() => api.accounts().find((a) => a.id === loginId)?.state.kind === 'pairing' || undefined, 'the pairing state');
      const pairing = await until(() => api.pairing(loginId)?.qrDataUrl, 'a QR code');
      assert.match(pairing, /^data:image\/png;base64,/);
      await until(() => api.pairingPanels().find((p) => p.accountId === loginId && p.showsCode), 'the pairing panel with the code');
      assert.equal((await driver.waitForText('Linked devices', { scope: 'webview', timeoutMs: 15000 })).found, true, 'instructions in the panel');
      assert.ok((await driver.count({ selector: 'img[alt="WhatsApp pairing QR code"]', scope: 'webview' })) >= 1, 'the QR image in the panel');
      await vscode.commands.executeCommand('workbench.view.extension.venueChat');
      assert.equal((await driver.waitForText('needs pairing', { scope: 'workbench', timeoutMs: 15000 })).found, true, 'the tree says so');
      // The phone scans the code.
      await control(multiwa.control, '/pair', { profileId: multiwa.accounts[1]!.settings.profileId });
      await until(() => api.accounts().find((a) => a.id === loginId)?.state.kind === 'online' || undefined, 'online once paired');
      await until(() => api.pairing(loginId)?.state === 'paired' || undefined, 'paired');
      await until(() => api.conversations(loginId).length > 0 || undefined, 'its chats');
      await until(() => !api.pairingPanels().some((p) => p.accountId === loginId) || undefined, 'the pairing panel closed by itself', 15000);
    } finally {
      await vscode.commands.executeCommand('venueChat.removeAccount', { accountId: loginId });
    }
  });

  it('adds the API-key account (its WhatsApp profile read from the gateway); chats with unread counts; the counterparty\'s reply arrives by itself', async () => {
    accountId = await add(0, 'Sandbox WhatsApp', true);
    assert.ok(accountId);
    assert.deepEqual(await vscode.commands.executeCommand('venueChat.accountSettings', { accountId, settings: {} }), { profileId: multiwa.accounts[0]!.settings.profileId, transport: 'auto' }, 'the profile the gateway lists for this key');
    await until(() => api.accounts().find((a) => a.id === accountId)?.state.kind === 'online' || undefined, 'online');
    const listed = await control<(ConversationRow & { unreadCount: number; jid: string })[]>(multiwa.control, '/conversations?account=0');
    chat = listed[0]!;
    await until(() => api.conversations(accountId!).find((c) => c.conversationId === chat.id), 'the chat in the inbox');
    // The gateway keeps unread counts; the inbox shows its numbers.
    const unread = listed.find((c) => c.unreadCount > 0 && c.id !== chat.id);
    if (unread) assert.equal(api.conversations(accountId!).find((c) => c.conversationId === unread.id)?.unread, unread.unreadCount, 'the gateway\'s unread count');
    await vscode.commands.executeCommand('venueChat.openConversation', { accountId, conversationId: chat.id });
    await until(() => api.openPanels().find((p) => p.conversationId === chat.id), 'the chat pane');
    // Opening the chat sends WhatsApp read receipts for it (not only the gateway's own counter).
    await until(async () => (await control<{ readReceipts: { chatId: string }[] }>(multiwa.control, '/state')).readReceipts.some((r) => r.chatId === listed[0]!.jid) || undefined, 'a WhatsApp read receipt');
    const text = `Your order ships today ${Date.now()}`;
    await sendFromComposer(text);
    await until(() => api.messages(accountId!, chat.id).find((m) => m.text === text && ['confirmed', 'delivered', 'read'].includes(m.status ?? '')), 'confirmed');
    assert.equal((await rows()).filter((r) => r.direction === 'outgoing' && r.content.text === text).length, 1, 'at the gateway once');
    await until(() => api.messages(accountId!, chat.id).find((m) => m.text === text && m.status === 'read'), 'read by the counterparty (acks)', 30000);
    // The scripted customer answers after reading (text, a photo, a contact… in turn): no click, no reload.
    const articles = await driver.count({ selector: '[role="article"]', scope: 'webview' });
    const reply = await until(async () => {
      const all = await rows();
      const mine = all.findIndex((r) => r.direction === 'outgoing' && r.content.text === text);
      return mine >= 0 ? all.slice(mine + 1).find((r) => r.direction === 'incoming') : undefined;
    }, 'the customer reply at the gateway', 30000);
    await until(() => api.messages(accountId!, chat.id).find((m) => m.venueMessageId === reply.id), 'the reply stored');
    if (reply.type === 'text') assert.equal((await driver.waitForText(String(reply.content.text).slice(0, 30), { scope: 'webview', timeoutMs: 15000 })).found, true, 'the reply shows in the pane');
    else await until(async () => (await driver.count({ selector: '[role="article"]', scope: 'webview' })) > articles || undefined, `the ${reply.type} reply in the pane`, 15000);
  });

  it('replies with a quote from the pane: Reply on a message, the quote shows, the gateway gets a reply to that row', async () => {
    const quotedText = `Which bank should I use? ${Date.now()}`;
    const injected = await control<Row>(multiwa.control, '/inject', { conversationId: chat.id, text: quotedText });
    assert.equal((await driver.waitForText(quotedText, { scope: 'webview', timeoutMs: 15000 })).found, true);
    await driver.click({ selector: `[role="article"]:has-text("${quotedText}") .msg__reply`, scope: 'webview', timeoutMs: 15000 });
    assert.equal((await driver.waitForText('Replying to', { scope: 'webview', timeoutMs: 10000 })).found, true, 'the reply bar');
    const answer = `BCA, account 123 ${Date.now()}`;
    await sendFromComposer(answer);
    const sent = await until(() => api.messages(accountId!, chat.id).find((m) => m.text === answer && ['confirmed', 'delivered', 'read'].includes(m.status ?? '')), 'the reply confirmed');
    assert.equal(sent.quote?.venueMessageId, injected.id, 'quoting the row');
    assert.match(sent.quote?.text ?? '', /Which bank/);
    const atGateway = (await rows()).filter((r) => r.direction === 'outgoing' && r.content.text === answer);
    assert.equal(atGateway.length, 1);
    assert.equal(atGateway[0]!.quotedMessageId, injected.id, 'sent as a reply to that row');
  });

  it('sends a document from disk and a location; received inline media shows from the account\'s media folder', async () => {
    await attachFromDisk('invoice-2026-12.pdf', PDF, async () => {
      const doc = await until(() => api.messages(accountId!, chat.id).find((m) => m.kind === 'file' && m.direction === 'out' && ['confirmed', 'delivered', 'read'].includes(m.status ?? '')), 'the document confirmed');
      const atGateway = (await rows()).filter((r) => r.direction === 'outgoing' && r.type === 'document' && r.content.filename === 'invoice-2026-12.pdf');
      assert.equal(atGateway.length, 1, 'one document at the gateway');
      const served = await fetch(String(atGateway[0]!.content.url));
      assert.equal(served.status, 200);
      assert.equal(doc.attachments?.[0]?.name, 'invoice-2026-12.pdf');
      assert.equal((await driver.waitForText('invoice-2026-12.pdf', { scope: 'webview', timeoutMs: 10000 })).found, true, 'shown as a file card');
    });

    const sent = await vscode.commands.executeCommand<{ key: string }>('venueChat.sendLocation', { accountId, conversationId: chat.id, latitude: -6.175392, longitude: 106.827153, name: 'Monas' });
    assert.ok(sent.key);
    await until(async () => (await rows()).find((r) => r.direction === 'outgoing' && r.type === 'location' && r.content.name === 'Monas'), 'the location at the gateway');
    assert.equal((await driver.waitForText('Monas', { scope: 'webview', timeoutMs: 10000 })).found, true, 'shown as a location');

    // The gateway stores received photos inline (a data: URL): the pane shows the saved copy.
    await control(multiwa.control, '/inject', { conversationId: chat.id, type: 'image', text: 'the transfer receipt' });
    const image = await until(() => api.messages(accountId!, chat.id).find((m) => m.kind === 'image' && m.text === 'the transfer receipt'), 'the photo stored');
    assert.match(image.attachments?.[0]?.url ?? '', /^file:/, 'saved in the media folder');
    await until(async () => (await driver.count({ selector: '[role="article"]:has-text("the transfer receipt") img.media--image', scope: 'webview' })) > 0 || undefined, 'the photo in the pane', 15000);
    // A blocked or missing image is swapped for a "could not be shown" note; give it time to fail.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await driver.count({ selector: '[role="article"]:has-text("the transfer receipt") .media-fallback', scope: 'webview' }), 0, 'the saved photo loads in the pane');
    assert.equal(await driver.count({ selector: '[role="article"]:has-text("the transfer receipt") img.media--image', scope: 'webview' }), 1);
  });

  it('a counterparty message reaches the open pane over the realtime channel (latency recorded)', async () => {
    await measurePushToPane(root, 'multiwa.pushToPaneDomMs', (text) => control(multiwa.control, '/inject', { conversationId: chat.id, text }), 'sandbox inject -> Socket.IO message event -> text visible in the webview DOM');
  });
});
