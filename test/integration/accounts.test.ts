// Update Keys in a real VS Code against the MEXC sandbox: new keys are checked with a signed call
// before anything changes; wrong keys change nothing; accepted keys restart the account's adapter
// on them while the account id and its stored messages stay. Also the palette path (password
// boxes), Account Settings' argument checks, and no key of either pair in the log.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { VenueChatApi } from '../../src/extension/extension';
import { answerPrompt } from './driver';
import { activateWithSandbox } from './extensionUnderTest';
import { control, until, type MexcSandbox, type SandboxOrder, type SandboxReady } from './sandbox';

interface SandboxSocket {
  id: number;
  conversationId: number;
}

interface SandboxRequest {
  seq: number;
  kind: string;
  apiKey: string | null;
  signatureValid: boolean | null;
}

describe('Update Keys in a real VS Code (MEXC sandbox)', function () {
  this.timeout(120000);
  let api: VenueChatApi;
  let sandbox: { child: ChildProcess; info: SandboxReady; mexc: MexcSandbox };
  let accountId: string | undefined;
  let kept: { conversationId: string; text: string };

  const ordersOf = async (apiKey: string): Promise<SandboxOrder[]> => (await control<{ orders: SandboxOrder[] }>(sandbox.mexc.control, '/state')).orders.filter((o) => o.apiKey === apiKey);
  const stateOf = () => api.accounts().find((a) => a.id === accountId)?.state.kind;
  const lastSeq = async () => Math.max(0, ...(await control<SandboxRequest[]>(sandbox.mexc.control, '/requests')).map((r) => r.seq));

  before(async () => {
    ({ api, sandbox } = await activateWithSandbox());
  });

  after(async () => {
    if (accountId && api.accounts().some((a) => a.id === accountId)) await vscode.commands.executeCommand('venueChat.removeAccount', { accountId });
    sandbox?.child.kill();
  });

  it('adds an account and stores a message in one of its conversations', async () => {
    const first = sandbox.mexc.accounts[0]!;
    accountId = await vscode.commands.executeCommand<string>('venueChat.addAccount', {
      venue: 'mexc',
      label: 'Rekeyed MEXC',
      credentials: first.credentials,
      endpoints: { rest: sandbox.mexc.rest, ws: sandbox.mexc.ws },
    });
    assert.ok(accountId);
    await until(() => stateOf() === 'online' || undefined, 'account online');
    const order = (await ordersOf(first.credentials.apiKey)).find((o) => o.state === 'PAID' || o.state === 'NOT_PAID')!;
    kept = { conversationId: String(order.conversationId), text: `before the new keys ${Date.now()}` };
    await until(async () => {
      const live = await control<SandboxSocket[]>(sandbox.mexc.control, '/sockets');
      return live.some((s) => s.conversationId === order.conversationId) || undefined;
    }, 'a chat socket for the active order');
    await control(sandbox.mexc.control, '/inject', { conversationId: order.conversationId, content: kept.text });
    await until(() => api.messages(accountId!, kept.conversationId).find((m) => m.text === kept.text) ?? undefined, 'the message stored');
  });

  it('refuses keys the venue rejects, with its message, and changes nothing', async () => {
    const first = sandbox.mexc.accounts[0]!;
    const socketsBefore = (await control<SandboxSocket[]>(sandbox.mexc.control, '/sockets')).map((s) => s.id).sort();
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('venueChat.updateKeys', { accountId, credentials: { apiKey: first.credentials.apiKey, secretKey: 'wrong-secret-0000' } })),
      /Signature for this request is not valid/,
    );
    assert.equal(stateOf(), 'online', 'the account keeps running on its old keys');
    const socketsAfter = (await control<SandboxSocket[]>(sandbox.mexc.control, '/sockets')).map((s) => s.id).sort();
    for (const id of socketsBefore) assert.ok(socketsAfter.includes(id), 'the adapter was not restarted');
    assert.equal(await api.hasCredentials(accountId!), true);
  });

  it('refuses malformed arguments with what is wrong', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('venueChat.updateKeys', { accountId, credentials: { apiKey: 'mx0vgl12345678' } })), /Secret key is required/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('venueChat.updateKeys', { accountId, credentials: { apiKey: 'mx0vgl12345678', secretKey: 'abcdef0123456789', extra: 'x' } })), /no credential field "extra"/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('venueChat.updateKeys', { accountId: 'no-such-account', credentials: sandbox.mexc.accounts[1]!.credentials })), /No such account/);
    assert.equal(stateOf(), 'online');
  });

  it('replaces the keys after a signed check: same account and history, adapter restarted on the new keys', async () => {
    const second = sandbox.mexc.accounts[1]!;
    const socketsBefore = (await control<SandboxSocket[]>(sandbox.mexc.control, '/sockets')).map((s) => s.id);
    const seq = await lastSeq();
    const replaced = await vscode.commands.executeCommand<boolean>('venueChat.updateKeys', { accountId, credentials: second.credentials });
    assert.equal(replaced, true);
    const since = (await control<SandboxRequest[]>(sandbox.mexc.control, '/requests')).filter((r) => r.seq > seq && r.kind === 'rest');
    assert.ok(since.some((r) => r.apiKey === second.credentials.apiKey && r.signatureValid === true), 'the new keys were checked with a signed call');
    // The restarted adapter lists the new keys' orders and opens their sockets; the old sockets close.
    const secondOrders = (await ordersOf(second.credentials.apiKey)).map((o) => o.conversationId);
    await until(async () => {
      const live = await control<SandboxSocket[]>(sandbox.mexc.control, '/sockets');
      return live.length > 0 && live.every((s) => !socketsBefore.includes(s.id) && secondOrders.includes(s.conversationId)) ? true : undefined;
    }, 'sockets on the new keys only');
    await until(() => stateOf() === 'online' || undefined, 'online on the new keys');
    await until(() => api.conversations(accountId!).some((c) => secondOrders.map(String).includes(c.conversationId)) || undefined, 'the new keys\' conversations');
    const account = api.accounts().find((a) => a.id === accountId);
    assert.equal(account?.label, 'Rekeyed MEXC', 'same account');
    assert.equal(api.accounts().filter((a) => a.label === 'Rekeyed MEXC').length, 1, 'no second account');
    assert.ok(api.messages(accountId!, kept.conversationId).some((m) => m.text === kept.text), 'the stored history is kept');
    assert.equal(await api.hasCredentials(accountId!), true);
  });

  it('asks the new keys in password boxes when run from the palette', async () => {
    const first = sandbox.mexc.accounts[0]!;
    const pending = Promise.resolve(vscode.commands.executeCommand<boolean>('venueChat.updateKeys'));
    const answer = answerPrompt;
    await answer('Update Keys', 'Rekeyed MEXC');
    await answer('Update Keys (Rekeyed MEXC): API key (access key)', first.credentials.apiKey, true);
    await answer('Update Keys (Rekeyed MEXC): Secret key', first.credentials.secretKey, true);
    assert.equal(await pending, true);
    const firstOrders = (await ordersOf(first.credentials.apiKey)).map((o) => o.conversationId);
    await until(async () => {
      const live = await control<SandboxSocket[]>(sandbox.mexc.control, '/sockets');
      return live.length > 0 && live.every((s) => firstOrders.includes(s.conversationId)) ? true : undefined;
    }, 'sockets on the first keys again');
    assert.ok(api.messages(accountId!, kept.conversationId).some((m) => m.text === kept.text), 'the stored history is kept');
  });

  it('Account Settings: MEXC accounts have none, and a change is refused', async () => {
    assert.deepEqual(await vscode.commands.executeCommand('venueChat.accountSettings', { accountId, settings: {} }), {});
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('venueChat.accountSettings', { accountId, settings: { chatMode: 'session' } })), /no settings of their own/);
  });

  it('never writes either pair of keys, or the rejected secret, to the log', async () => {
    await new Promise((r) => setTimeout(r, 1500)); // the log channel flushes asynchronously
    const log = await readFile(api.logFile.fsPath, 'utf8');
    assert.ok(log.includes('updated the keys of MEXC P2P account "Rekeyed MEXC"'), 'the update is logged');
    for (const { credentials } of sandbox.mexc.accounts.slice(0, 2)) {
      assert.ok(!log.includes(credentials.apiKey), 'api key leaked');
      assert.ok(!log.includes(credentials.secretKey), 'secret leaked');
    }
    assert.ok(!log.includes('wrong-secret-0000'), 'a rejected secret is still a secret');
  });

  it('removes the account with its keys', async () => {
    assert.equal(await vscode.commands.executeCommand<boolean>('venueChat.removeAccount', { accountId }), true);
    assert.equal(await api.hasCredentials(accountId!), false);
    assert.equal(api.accounts().some((a) => a.id === accountId), false);
  });
});
