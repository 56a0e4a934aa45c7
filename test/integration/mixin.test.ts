// A Mixin bot in a real VS Code against the sandbox emulator: the account added from a keystore
// file on disk, the showcase of received categories rendered, every category the pane can send
// (text, a post, an image, a file, a sticker, a contact card, a location) reaching Mixin once, with
// receipts to read, and a file the counterparty sent saved to disk through the host byte for byte.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { VenueChatApi } from '../../src/extension/extension';
import { PDF, attachFromDisk } from './attachFromDisk';
import { answerPrompt, driver, sendFromComposer } from './driver';
import { activateWithSandbox } from './extensionUnderTest';
import { control, mixinOf, until, type ListedSandbox, type SandboxReady } from './sandbox';

interface View {
  message_id: string;
  user_id: string;
  category: string;
  data?: string;
  data_base64?: string;
}

/** A minimal 2x3 PNG (the header says its size, which an image message must state). */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000002000000030806000000a3a0b95f0000001049444154789c63f8ffff3f0305600000a6ff07f9a9f1ab0e0000000049454e44ae426082', 'hex');

describe('Mixin Messenger bot in a real VS Code (sandbox)', function () {
  this.timeout(180000);
  let api: VenueChatApi;
  let sandbox: { child: ChildProcess; info: SandboxReady };
  let mixin: ListedSandbox;
  let accountId: string | undefined;
  let conversationId: string;
  let appId: string;

  const views = () => control<View[]>(mixin.control, `/messages?conversationId=${conversationId}`);
  const ours = async (category: string) => (await views()).filter((v) => v.user_id === appId && v.category === category);

  before(async () => {
    ({ api, sandbox } = await activateWithSandbox());
    mixin = mixinOf(sandbox.info);
  });

  after(async () => {
    if (accountId && api.accounts().some((a) => a.id === accountId)) await vscode.commands.executeCommand('venueChat.removeAccount', { accountId });
    sandbox?.child.kill();
  });

  it('adds the bot from its keystore file; pending messages arrive and are acknowledged only once stored', async () => {
    const file = join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'mixin-keystore.json');
    await writeFile(file, mixin.accounts[0]!.credentials.keystore!);
    const keystore = await readFile(file, 'utf8');
    appId = (JSON.parse(keystore) as { app_id: string }).app_id;
    accountId = await vscode.commands.executeCommand<string>('venueChat.addAccount', { venue: 'mixin', label: 'Sandbox Mixin bot', credentials: { keystore }, endpoints: mixin.accounts[0]!.endpoints });
    assert.ok(accountId);
    await until(() => api.accounts().find((a) => a.id === accountId)?.state.kind === 'online' || undefined, 'online');
    const conversation = await until(() => api.conversations(accountId!)[0], 'a conversation learnt from a pending message');
    conversationId = conversation.conversationId;
    await until(async () => ((await control<unknown[]>(mixin.control, '/pending')).length === 0) || undefined, 'every pending message acknowledged');
    const acks = await control<{ messageId: string }[]>(mixin.control, '/acks');
    assert.ok(acks.length > 0);
    for (const ack of acks) {
      const inStore = api.conversations(accountId!).some((c) => api.messages(accountId!, c.conversationId).some((m) => m.venueMessageId === ack.messageId));
      assert.ok(inStore, `acknowledged ${ack.messageId} is stored`);
    }
  });

  it('sends text, an image, a file and a location; each reaches Mixin once and reads back as read', async () => {
    await vscode.commands.executeCommand('venueChat.openConversation', { accountId, conversationId });
    await until(() => api.openPanels().find((p) => p.conversationId === conversationId), 'the pane');
    const text = `Terima kasih ${Date.now()}`;
    await sendFromComposer(text);
    await until(() => api.messages(accountId!, conversationId).find((m) => m.text === text && ['confirmed', 'delivered', 'read'].includes(m.status ?? '')), 'text confirmed');
    await attachFromDisk('receipt.png', PNG, () => until(async () => (await ours('PLAIN_IMAGE')).length === 1 || undefined, 'the image at Mixin'));
    await attachFromDisk('invoice.pdf', PDF, () => until(async () => (await ours('PLAIN_DATA')).length === 1 || undefined, 'the file at Mixin'));
    await vscode.commands.executeCommand('venueChat.sendLocation', { accountId, conversationId, latitude: 1.2834, longitude: 103.8607, name: 'Marina Bay' });
    await until(async () => (await ours('PLAIN_LOCATION')).length === 1 || undefined, 'the location at Mixin');
    assert.equal((await ours('PLAIN_TEXT')).filter((v) => Buffer.from(v.data ?? '', 'base64').toString('utf8') === text).length, 1, 'the text once');
    await until(() => api.messages(accountId!, conversationId).find((m) => m.text === text && m.status === 'read'), 'read receipt', 30000);
  });

  it('sends a post, a sticker and a contact card from the pane; each reaches Mixin once in its category', async () => {
    await vscode.commands.executeCommand('venueChat.openConversation', { accountId, conversationId });
    await until(() => api.openPanels().find((p) => p.conversationId === conversationId), 'the pane');
    const decoded = (v: View) => Buffer.from(v.data ?? v.data_base64 ?? '', 'base64').toString('utf8');

    // A post: the Post toggle, then Enter; it shows as markdown in the pane.
    const stamp = Date.now();
    const post = `## Invoice ${stamp}\n\n- 500 USDT\n- **pay by 18:00**`;
    await driver.click({ selector: '.composer__post', scope: 'webview' });
    await sendFromComposer(post);
    await until(async () => (await ours('PLAIN_POST')).some((v) => decoded(v) === post) || undefined, 'the post at Mixin');
    await until(async () => (await driver.textContent({ selector: '.content--markdown .md-heading', scope: 'webview' })).some((t) => t.includes(`Invoice ${stamp}`)) || undefined, 'the post rendered as markdown');
    await driver.click({ selector: '.composer__post', scope: 'webview' });

    // A sticker the counterparty sent is offered in the picker; picked, it goes back once.
    const counterparty = (await views()).find((v) => v.user_id !== appId)!.user_id;
    const received = await control<View>(mixin.control, '/inject', { conversationId, category: 'PLAIN_STICKER', data: { sticker_id: '5a0f1e3c-7d2b-4c8e-9f61-2b3c4d5e6f70', name: 'thumbs-up' } });
    await until(() => api.messages(accountId!, conversationId).some((m) => m.venueMessageId === received.message_id && m.payload?.type === 'sticker' && m.payload.url) || undefined, 'the sticker with its picture');
    await driver.click({ selector: '.composer__sticker', scope: 'webview' });
    await answerPrompt('Send Sticker', 'thumbs-up');
    await until(async () => (await ours('PLAIN_STICKER')).some((v) => JSON.parse(decoded(v)).sticker_id === '5a0f1e3c-7d2b-4c8e-9f61-2b3c4d5e6f70') || undefined, 'the sticker at Mixin');

    // A contact card names a Mixin user by id (the box refuses a phone number).
    await driver.click({ selector: '.composer__contact', scope: 'webview' });
    await answerPrompt('Send Contact', counterparty);
    await until(async () => (await ours('PLAIN_CONTACT')).some((v) => JSON.parse(decoded(v)).user_id === counterparty) || undefined, 'the contact card at Mixin');

    for (const category of ['PLAIN_POST', 'PLAIN_STICKER', 'PLAIN_CONTACT']) assert.equal((await ours(category)).length, 1, `one ${category}`);
  });

  it('saves a file the counterparty sent through venueChat.downloadAttachment: the very bytes Mixin holds, via a fresh link', async () => {
    const sent = await control<Record<string, string>>(mixin.control, '/inject', { conversationId, category: 'PLAIN_DATA' });
    const stored = await until(() => api.messages(accountId!, conversationId).find((m) => m.venueMessageId === sent['message_id'] && m.attachments?.[0]?.ref), 'the file stored');
    const attachment = stored.attachments![0]!;
    assert.equal(attachment.name, 'invoice-4411.pdf');
    const dir = await mkdtemp(join(tmpdir(), 'venue-chat-saved-'));
    try {
      const target = join(dir, 'invoice-4411.pdf');
      const result = await vscode.commands.executeCommand<{ saved: boolean; path?: string; bytes?: number }>('venueChat.downloadAttachment', { key: stored.key, index: 0, target });
      assert.equal(result.saved, true);
      assert.equal(result.path, target);
      const bytes = await readFile(target);
      const atMixin = (await control<{ attachmentId: string; size: number; sha256: string }[]>(mixin.control, '/attachments')).find((a) => a.attachmentId === attachment.ref);
      assert.ok(atMixin, 'the attachment is at Mixin');
      assert.equal(bytes.length, atMixin.size);
      assert.equal(result.bytes, atMixin.size);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), atMixin.sha256, 'byte for byte');
      assert.deepEqual(await readdir(dir), ['invoice-4411.pdf'], 'no .part left behind');
      const asked = await control<{ path: string }[]>(mixin.control, '/requests?kind=rest');
      assert.ok(asked.some((r) => r.path === `/attachments/${attachment.ref}`), 'a fresh view link was asked for');
      // The conversation's open pane heard of it: its file card has Save… and says Saved.
      const card = `.msg[data-key="${stored.key}"] .file-card[data-attachment-index="0"]`;
      await until(async () => (await driver.count({ selector: `${card} .file-card__save`, scope: 'webview' })) === 1 || undefined, 'Save… on the pane\'s file card');
      await until(async () => (await driver.textContent({ selector: `${card} .file-card__status`, scope: 'webview' })).some((t) => t.trim() === 'Saved') || undefined, 'Saved on the pane\'s file card');

      // An attachment the message does not have is a clear error, and nothing is written.
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('venueChat.downloadAttachment', { key: stored.key, index: 3, target: join(dir, 'nothing.pdf') })),
        /no attachment 3/,
      );
      assert.deepEqual(await readdir(dir), ['invoice-4411.pdf']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
