// Binance C2C in a real VS Code against the sandbox emulator: add the account, open the order with
// the long chat and page back through 500+ messages, send text and an image (both confirmed by
// the echo of their uuid), measure push -> pane, and see a "Bye" shown as "taken over".
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import type { VenueChatApi } from '../../src/extension/extension';
import { attachFromDisk } from './attachFromDisk';
import { activateWithSandbox } from './extensionUnderTest';
import { measurePushToPane, recordMetric } from './metrics';
import { driver, sendFromComposer } from './driver';
import { binanceOf, control, until, type BinanceSandbox, type SandboxReady } from './sandbox';

interface BinanceOrder {
  orderNo: string;
  status: string;
  buyerNickName: string;
  sellerNickName: string;
  messages: number;
}

interface BinanceFrame {
  type: string | null;
  orderNo: string | null;
  uuid: string | null;
  outcome: string;
  raw: string;
}

describe('Binance C2C in a real VS Code (sandbox)', function () {
  this.timeout(180000);
  let api: VenueChatApi;
  let sandbox: { child: ChildProcess; info: SandboxReady };
  let binance: BinanceSandbox;
  let accountId: string | undefined;
  let root: string;
  let longChat: BinanceOrder;
  let ourNick: string;

  const counterpartyOf = (o: BinanceOrder) => (o.buyerNickName === ourNick ? o.sellerNickName : o.buyerNickName);
  const stateOf = () => api.accounts().find((a) => a.id === accountId)?.state;
  const stored = () => api.messages(accountId!, longChat.orderNo, 100_000);

  before(async () => {
    ({ api, root, sandbox } = await activateWithSandbox());
    binance = binanceOf(sandbox.info);
    const state = await control<{ accounts: { nickName: string }[] }>(binance.control, '/state');
    ourNick = state.accounts[0]!.nickName;
    const orders = await control<BinanceOrder[]>(binance.control, '/orders?account=0');
    longChat = orders.reduce((a, b) => (b.messages > a.messages ? b : a));
    assert.ok(longChat.messages >= 600, `the seeded long chat has ${longChat.messages} messages`);
  });

  after(async () => {
    if (accountId && api.accounts().some((a) => a.id === accountId)) await vscode.commands.executeCommand('venueChat.removeAccount', { accountId });
    sandbox?.child.kill();
  });

  it('adds a Binance sandbox account; its orders become conversations with order context', async () => {
    accountId = await vscode.commands.executeCommand<string>('venueChat.addAccount', {
      venue: 'binance',
      label: 'Sandbox Binance',
      credentials: binance.accounts[0]!.credentials,
      endpoints: { rest: binance.rest },
    });
    assert.ok(accountId);
    await until(() => stateOf()?.kind === 'online' || undefined, 'account online');
    const conversation = await until(() => api.conversations(accountId!).find((c) => c.conversationId === longChat.orderNo), 'the long chat in the inbox');
    assert.equal(conversation.order?.state, 'paid');
    assert.equal(conversation.order?.orderNo, longChat.orderNo);
    assert.equal(conversation.title, counterpartyOf(longChat));
    assert.ok(conversation.order?.side && conversation.order.fiatAmount && conversation.order.quantity && conversation.order.asset && conversation.order.price, `side, amounts, asset and price: ${JSON.stringify(conversation.order)}`);
    const trading = (await control<BinanceOrder[]>(binance.control, '/orders?account=0')).find((o) => o.status === 'TRADING')!;
    const awaiting = await until(() => api.conversations(accountId!).find((c) => c.conversationId === trading.orderNo), 'the unpaid order');
    assert.equal(awaiting.order?.state, 'awaiting-payment');
    assert.ok((awaiting.order?.payBy ?? 0) > Date.now() - 60 * 60_000, `the unpaid order has its pay-by deadline: ${JSON.stringify(awaiting.order)}`);
    await vscode.commands.executeCommand('workbench.view.extension.venueChat');
    assert.equal((await driver.waitForText(counterpartyOf(longChat), { scope: 'workbench', timeoutMs: 20000 })).found, true, 'the counterparty is in the tree');
  });

  it('opens the order chat and pages back through more than 500 messages by scrolling up', async () => {
    await vscode.commands.executeCommand('venueChat.openConversation', { accountId, conversationId: longChat.orderNo });
    await until(() => api.openPanels().find((p) => p.conversationId === longChat.orderNo), 'the chat pane');
    assert.equal((await driver.waitForText(counterpartyOf(longChat), { scope: 'webview', timeoutMs: 20000 })).found, true);
    await until(async () => (await driver.count({ selector: '.msg', scope: 'webview' })) > 0 || undefined, 'messages in the pane');
    const started = Date.now();
    let rounds = 0;
    // Home on the message list scrolls to the top, which asks for the next older page.
    while (stored().length < 520 && rounds < 60) {
      const before = stored().length;
      await driver.press({ selector: '.timeline__scroller', key: 'Home', scope: 'webview' });
      await until(() => stored().length > before || undefined, `an older page (after ${before})`, 10000).catch(() => undefined);
      rounds++;
    }
    const count = stored().length;
    assert.ok(count >= 520, `paged back to ${count} messages in ${rounds} scrolls`);
    const ids = stored().map((m) => m.venueMessageId);
    assert.equal(new Set(ids).size, ids.length, 'no message twice');
    await recordMetric(root, 'binance.pageBack500', { messages: count, scrolls: rounds, ms: Date.now() - started });
  });

  it('sends text from the composer: the frame carries our uuid and the echo confirms it', async () => {
    const text = `Binance text ${Date.now()}`;
    await sendFromComposer(text);
    const message = await until(() => api.messages(accountId!, longChat.orderNo).find((m) => m.text === text && m.status === 'confirmed'), 'confirmed');
    const frames = await control<BinanceFrame[]>(binance.control, `/frames?orderNo=${longChat.orderNo}`);
    const mine = frames.filter((f) => f.type === 'text' && f.raw.includes(text));
    assert.equal(mine.length, 1, 'one frame on the wire');
    assert.equal(mine[0]!.uuid, message.clientMessageId, 'the uuid is our client message id');
    assert.equal(api.messages(accountId!, longChat.orderNo).filter((m) => m.text === text).length, 1);
  });

  it('sends an image through the pre-signed URL: confirmed, shown inline', async () => {
    const receipt = Buffer.from(await (await fetch(`${binance.media}/receipt.png`)).arrayBuffer());
    const imagesBefore = api.messages(accountId!, longChat.orderNo).filter((m) => m.kind === 'image' && m.direction === 'out').length;
    await attachFromDisk('binance-receipt.png', receipt, async () => {
      const sent = await until(() => {
        const images = api.messages(accountId!, longChat.orderNo).filter((m) => m.kind === 'image' && m.direction === 'out');
        return images.length > imagesBefore && images.at(-1)?.status === 'confirmed' ? images.at(-1) : undefined;
      }, 'image confirmed');
      const frames = await control<BinanceFrame[]>(binance.control, `/frames?orderNo=${longChat.orderNo}`);
      assert.equal(frames.filter((f) => f.type === 'image' && f.uuid === sent.clientMessageId).length, 1, 'one image frame with our uuid');
      const url = sent.attachments?.[0]?.url;
      assert.ok(url, 'the message carries the uploaded image URL');
      const served = await fetch(url);
      assert.equal(served.status, 200, 'the counterparty can load it');
      await until(async () => (await driver.count({ selector: '.msg--out img', scope: 'webview' })) > 0 || undefined, 'the image inline in the pane');
    });
  });

  it('shows a pushed message in the pane DOM quickly (push -> pane)', async () => {
    await measurePushToPane(root, 'binance.pushToPaneDomMs', (content) => control(binance.control, '/inject', { orderNo: longChat.orderNo, content }), 'sandbox inject -> text visible in the webview DOM, incl. driver polling');
  });

  it('a "Bye" (another client took the session) shows the account as taken over in the tree and status bar, without a reconnect fight', async () => {
    const upgrades = async () => (await control<{ kind: string }[]>(binance.control, '/requests?kind=upgrade')).length;
    const before = await upgrades();
    await control(binance.control, '/faults', { bye: true });
    await until(() => stateOf()?.kind === 'displaced' || undefined, 'displaced');
    assert.equal((await driver.waitForText('taken over', { scope: 'workbench', timeoutMs: 10000 })).found, true, 'the tree says so');
    assert.ok((await driver.count({ selector: '.statusbar-item[aria-label*="taken over"]', scope: 'workbench' })) >= 1, 'the status bar says so');
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(await upgrades(), before, 'no reconnect on its own');
    assert.equal(await vscode.commands.executeCommand<number>('venueChat.reconnect', { accountId }), 1);
    await until(() => stateOf()?.kind === 'online' || undefined, 'online again after Reconnect');
  });
});
