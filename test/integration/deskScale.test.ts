// A merchant desk in a real VS Code: one MEXC account with 30 orders in progress. Every order's
// chat receives (no message lost), a message in the newest order reaches the tree, and a send in
// one chat is confirmed while the others stay live. Figures go to test-results/integration-metrics.jsonl.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import type { VenueChatApi } from '../../src/extension/extension';
import { recordMetric } from './metrics';
import { orderRowText } from '../../src/shared/orderText';
import { driver } from './driver';
import { activateWithSandbox } from './extensionUnderTest';
import { control, until, type MexcSandbox, type SandboxMessage, type SandboxOrder, type SandboxReady } from './sandbox';

interface SandboxSocket {
  conversationId: number;
  listenKeyTail: string;
  state: string;
}

describe('a merchant desk: 30 active MEXC orders in a real VS Code', function () {
  this.timeout(180000);
  let api: VenueChatApi;
  let sandbox: { child: ChildProcess; info: SandboxReady; mexc: MexcSandbox };
  let accountId: string | undefined;
  let root: string;
  let newest: SandboxOrder;
  const account = () => sandbox.mexc.accounts[1]!;

  const liveSockets = async (ids: ReadonlySet<string>) => (await control<SandboxSocket[]>(sandbox.mexc.control, '/sockets')).filter((s) => s.state === 'live' && ids.has(String(s.conversationId)));
  const activeIds = () => new Set(api.conversations(accountId!).filter((c) => c.active).map((c) => c.conversationId));

  before(async () => {
    // 29 seeded orders in progress per account; the 30th is placed below with a name of its own.
    ({ api, root, sandbox } = await activateWithSandbox(['--active-orders', '29']));
    newest = await control<SandboxOrder>(sandbox.mexc.control, '/orders', { counterpartyNickName: 'DeskOrder30', state: 'NOT_PAID', account: 1 });
    accountId = await vscode.commands.executeCommand<string>('venueChat.addAccount', {
      venue: 'mexc',
      label: 'Desk MEXC',
      credentials: account().credentials,
      endpoints: { rest: sandbox.mexc.rest, ws: sandbox.mexc.ws },
    });
    assert.ok(accountId);
  });

  after(async () => {
    if (accountId && api.accounts().some((a) => a.id === accountId)) await vscode.commands.executeCommand('venueChat.removeAccount', { accountId });
    sandbox?.child.kill();
  });

  it('opens a live chat socket for every one of the 30 orders, 5 per listen key, no upgrade refused', async () => {
    await until(() => activeIds().size === 30 || undefined, '30 active orders in the inbox', 30000);
    const sockets = await until(async () => {
      const live = await liveSockets(activeIds());
      return live.length === 30 ? live : undefined;
    }, '30 live chat sockets', 60000);
    const perKey = new Map<string, number>();
    for (const s of sockets) perKey.set(s.listenKeyTail, (perKey.get(s.listenKeyTail) ?? 0) + 1);
    assert.ok([...perKey.values()].every((n) => n <= 5), `at most 5 sockets per key: ${JSON.stringify([...perKey])}`);
    const refused = (await control<{ kind: string; httpStatus: number; rawQuery: string }[]>(sandbox.mexc.control, '/requests?kind=upgrade')).filter((u) => u.httpStatus !== 101);
    assert.deepEqual(refused, [], 'no upgrade refused');
    await until(() => api.accounts().find((a) => a.id === accountId)?.state.kind === 'online' || undefined, 'account online');
    await recordMetric(root, 'desk.socketsAt30Orders', sockets.length);
    await recordMetric(root, 'desk.listenKeysAt30Orders', perKey.size);
  });

  it('a counterparty message in the 30th order reaches the tree', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.venueChat');
    const text = `desk order 30 paid ${Date.now()}`;
    const t0 = Date.now();
    await control(sandbox.mexc.control, '/inject', { conversationId: newest.conversationId, content: text });
    await until(() => api.messages(accountId!, String(newest.conversationId)).some((m) => m.text === text) || undefined, 'stored');
    const stored = Date.now() - t0;
    // The row's accessible name carries the order summary and the unread count.
    const context = api.conversations(accountId!).find((c) => c.conversationId === String(newest.conversationId))?.order;
    assert.ok(context);
    const seen = await driver.waitForText(`DeskOrder30, ${orderRowText(context)}, 1 unread`, { scope: 'workbench', timeoutMs: 15000 });
    const inTree = Date.now() - t0;
    assert.equal(seen.found, true, 'the row shows the unread message');
    await recordMetric(root, 'desk.message30ToStoreMs', stored);
    await recordMetric(root, 'desk.message30ToTreeMs', inTree);
  });

  it('a message in each of the 30 orders arrives: none lost', async () => {
    const ids = [...activeIds()];
    const stamp = Date.now();
    for (const id of ids) await control(sandbox.mexc.control, '/inject', { conversationId: Number(id), content: `desk ${id} ${stamp}` });
    await until(() => ids.every((id) => api.messages(accountId!, id).some((m) => m.text === `desk ${id} ${stamp}`)) || undefined, 'all 30 messages stored', 30000);
    const lost = ids.filter((id) => !api.messages(accountId!, id).some((m) => m.text === `desk ${id} ${stamp}`));
    assert.deepEqual(lost, []);
    for (const id of ids) assert.equal(api.messages(accountId!, id).filter((m) => m.text === `desk ${id} ${stamp}`).length, 1, `once in ${id}`);
    await recordMetric(root, 'desk.lostOf30', lost.length);
  });

  it('a send in one chat is confirmed while the other 29 stay live and receive', async () => {
    const ids = [...activeIds()];
    const target = ids[7]!;
    const text = `desk send ${Date.now()}`;
    const sending = vscode.commands.executeCommand<{ key: string }>('venueChat.sendMessage', { accountId, conversationId: target, text });
    const stamp = Date.now();
    const others = ids.filter((id) => id !== target);
    for (const id of others) await control(sandbox.mexc.control, '/inject', { conversationId: Number(id), content: `during send ${id} ${stamp}` });
    assert.ok((await sending)?.key);
    await until(() => api.messages(accountId!, target).find((m) => m.text === text && m.status === 'confirmed') ?? undefined, 'the send confirmed by its echo');
    const atVenue = await control<SandboxMessage[]>(sandbox.mexc.control, `/messages?conversationId=${target}`);
    assert.equal(atVenue.filter((m) => m.self && m.content === text).length, 1, 'sent exactly once');
    await until(() => others.every((id) => api.messages(accountId!, id).some((m) => m.text === `during send ${id} ${stamp}`)) || undefined, 'the other chats received meanwhile', 30000);
    assert.equal((await liveSockets(new Set(ids))).length, 30, 'every socket still live');
  });
});
