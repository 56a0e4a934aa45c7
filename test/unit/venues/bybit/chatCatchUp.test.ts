// The Bybit chat poll against the emulator when more than a page (30) of messages comes between two
// reads: while running, across a restart (the adapter hears from the hub what is stored, as
// `stored()`), and across the switch to the session chat API. Found by the chaos soak (seed 3):
// the poll read only the newest page, so everything older than it and newer than what was stored
// was never delivered.
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../../sandbox/index';
import type { BybitEmulator } from '../../../../sandbox/bybit/emulator';
import type { ChatMessage } from '../../../../src/shared/model';
import { BybitAdapter } from '../../../../src/extension/venues/bybit/adapter';
import type { BybitKey } from '../../../../src/extension/venues/bybit/signing';
import type { AccountStateStore } from '../../../../src/extension/venues/descriptor';
import { until } from '../../helpers/until';

function memoryState(): AccountStateStore {
  const values = new Map<string, unknown>();
  return { get: (k) => structuredClone(values.get(k)), set: async (k, v) => void values.set(k, structuredClone(v)), delete: async (k) => void values.delete(k) };
}

describe('Bybit chat poll: more than a page between two reads', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let bybit: BybitEmulator;
  let orderId: string;
  const adapters: BybitAdapter[] = [];

  /** An adapter whose messages are collected, and acknowledged as stored the way the hub does. */
  function start(state: AccountStateStore, options: { poll?: boolean; chatMode?: 'session' } = {}): { adapter: BybitAdapter; received: ChatMessage[] } {
    const info = bybit.accounts()[0]!;
    const c = info.credentials;
    const key: BybitKey = c.keyType === 'rsa' ? { kind: 'rsa', apiKey: c.apiKey, privateKeyPem: c.privateKey } : { kind: 'hmac', apiKey: c.apiKey, secret: c.secret };
    const adapter = new BybitAdapter({ accountId: 'a', key, endpoints: info.endpoints, state, chatPollFastMs: 100, chatPollIdleMs: 300, orderPollMs: 1000, ...(options.chatMode ? { chatMode: options.chatMode } : {}) });
    adapters.push(adapter);
    const received: ChatMessage[] = [];
    adapter.events((e) => {
      if (e.type !== 'messages') return;
      received.push(...e.messages);
      adapter.stored(e.messages);
    });
    if (options.poll !== false) void adapter.start();
    return { adapter, received };
  }

  const sessionOfOrder = () => bybit.sessions(0).find((s) => s.orderIds.includes(orderId))!;
  const texts = (received: readonly ChatMessage[]) => new Set(received.filter((m) => m.conversationId === orderId).map((m) => m.text));
  const say = (n: number, tag: string) => Array.from({ length: n }, (_, i) => bybit.inject({ orderId, content: `${tag} ${i}` }).content);

  async function allArrive(received: readonly ChatMessage[], said: readonly (string | undefined)[]): Promise<void> {
    await until(() => said.every((t) => texts(received).has(t)), 8_000, 'every message delivered').catch(() => {
      const missing = said.filter((t) => !texts(received).has(t));
      assert.fail(`${missing.length} of ${said.length} never delivered, e.g. ${missing.slice(0, 3).join(', ')}`);
    });
  }

  /** A session that reads the chat once (so a mark is stored) and is then closed. */
  async function sessionThatReadOnce(state: AccountStateStore): Promise<void> {
    const first = start(state);
    await until(() => texts(first.received).size > 0, 8_000, 'first read of the chat');
    first.adapter.dispose();
  }

  beforeEach(async () => {
    sandbox = await startSandbox({ counterparty: false, venues: { bybit: { sendPerSecond: 50, listPerSecond: 100 } } });
    bybit = sandbox.venue('bybit');
    orderId = bybit.orders(0).find((o) => o.status === 10)!.orderId;
  });

  afterEach(async () => {
    for (const a of adapters.splice(0)) a.dispose();
    await sandbox.close();
  });

  it('45 messages between two polls: the poll pages back to the last one it saw', async () => {
    const { received } = start(memoryState());
    await until(() => texts(received).size > 0, 8_000, 'first read of the chat');
    await allArrive(received, say(45, 'burst'));
  });

  it('45 messages while VS Code was closed: the first poll after the restart reads back to what was stored', async () => {
    const state = memoryState();
    await sessionThatReadOnce(state);
    const said = say(45, 'while closed');
    const second = start(state);
    await allArrive(second.received, said);
  });

  it('400 messages between two polls, past one poll\'s page budget: the next polls read the rest of the hole, none lost', async () => {
    // The long chaos soak: polls held back by faults for minutes, the read stopped after 10 pages
    // (300 messages), and the hub's backfill (which stops at the newest stored message) never read
    // what lay between; 1,561 of 2,000 were lost.
    const { adapter, received } = start(memoryState(), { poll: false });
    await adapter.start();
    await until(() => texts(received).size > 0, 8_000, 'first read of the chat');
    await adapter.stop();
    const said = say(400, 'long hole');
    void adapter.start();
    await allArrive(received, said);
  });

  it('400 messages while VS Code was closed: read over the first polls after the restart, none lost, also when killed again mid-hole', async () => {
    const state = memoryState();
    await sessionThatReadOnce(state);
    const said = say(400, 'closed long');
    // The second session reads the newest 300 and is killed before it reads the rest.
    const second = start(state);
    await until(() => said.filter((t) => texts(second.received).has(t)).length >= 300, 8_000, 'the newest pages');
    second.adapter.dispose();
    const third = start(state);
    const all = new Set([...texts(second.received), ...texts(third.received)]);
    await until(() => {
      for (const t of texts(third.received)) all.add(t);
      return said.every((t) => all.has(t));
    }, 8_000, 'every message, across the two sessions').catch(() => assert.fail(`${said.filter((t) => !all.has(t)).length} of 400 never delivered`));
  });

  it('100 messages, then the hub pages the newest history first: the poll still reads all of them', async () => {
    // The long soak (seed 310278294): the hub's backfill read the newest pages, history() moved the
    // poll's mark to their newest, the backfill stopped at its page budget, and nothing read the rest.
    const { adapter, received } = start(memoryState(), { poll: false });
    await adapter.start();
    await until(() => texts(received).size > 0, 8_000, 'first read of the chat');
    await adapter.stop();
    const said = say(100, 'under the history page');
    await adapter.history(orderId, { limit: 30 });
    void adapter.start();
    await allArrive(received, said);
  });

  it('45 messages before the first read of a chat (nothing stored yet, say a kill before the first store): all arrive', async () => {
    // Chaos soak seed 3 on a loaded machine: the desk was killed before it stored anything of the
    // chat, the restart read only the newest page, and the first 14 messages were never read.
    const said = say(45, 'before any read');
    const { received } = start(memoryState());
    await allArrive(received, said);
  });

  it('400 messages before the first read of a chat: past one poll\'s page budget, the rest is read over the next polls', async () => {
    // A chat with nothing stored read only its newest 10 pages, and nothing ever read the rest.
    const said = say(400, 'long before any read');
    const { received } = start(memoryState());
    await allArrive(received, said);
  });

  it('45 messages around the switch to the session chat API: the first session reads page back by time', async () => {
    const { adapter, received } = start(memoryState());
    await until(() => texts(received).size > 0, 8_000, 'first read of the chat');
    bybit.applyFaults({ legacyChatClosed: [0] });
    const said = say(45, 'around the switch');
    await allArrive(received, said);
    assert.equal(adapter.chatGeneration, 'session');
  });

  it('two calls in flight when the order chat API closes: the second goes on over sessions too', async () => {
    const { adapter } = start(memoryState(), { poll: false });
    await adapter.verify();
    bybit.applyFaults({ legacyChatClosed: [0] });
    // Both ask the order-scoped API and both hear 912200387; one switches, the other must not give up.
    const pages = await Promise.all([adapter.history(orderId, { limit: 30 }), adapter.history(orderId, { limit: 30 })]);
    assert.deepEqual(pages.map((p) => p.items.length > 0), [true, true]);
    assert.equal(adapter.chatGeneration, 'session');
  });

  it('session API: messages our own landed check marked read at Bybit still arrive (the unread list no longer names the chat)', async () => {
    // The long chaos soak: a landed check (or the hub's history paging) reads the session, which
    // resets its unread count at Bybit, and the poll, which read only chats the unread list named,
    // never read what had come in; 1,395 of 2,000 were lost.
    const { adapter, received } = start(memoryState(), { poll: false, chatMode: 'session' });
    await adapter.start();
    await until(() => texts(received).size > 0, 8_000, 'first read of the chat');
    await adapter.stop();
    const message = { clientMessageId: 'c-2', conversationId: orderId, kind: 'text' as const, text: 'ours, then theirs', attempt: 0, composedAt: Date.now() };
    await adapter.send(message);
    const said = say(12, 'read by our check');
    assert.equal((await adapter.checkLanded(message)).landed, true);
    assert.equal(sessionOfOrder().unreadCount, 0, 'the check marked the session read at Bybit');
    // No turn to fall back on: the watched-free, read-back-free poll must still read this chat.
    void adapter.start();
    await allArrive(received, said);
  });

  it('session API: messages another client read first (the Bybit app) arrive by the poll\'s turn', async () => {
    const { adapter, received } = start(memoryState(), { poll: false, chatMode: 'session' });
    await adapter.start();
    await until(() => texts(received).size > 0, 8_000, 'first read of the chat');
    const said = say(5, 'read on the phone');
    // The trader's phone reads the session: Bybit's unread list no longer names it.
    const phone = start(memoryState(), { poll: false, chatMode: 'session' });
    await phone.adapter.history(orderId, { limit: 30 });
    assert.equal(sessionOfOrder().unreadCount, 0);
    await allArrive(received, said);
  });

  it('session API: 25 traders writing at once, more than one page of the unread session list, all arrive', async function () {
    // A desk with 10-30 live orders: list_v1 gives 20 sessions a page; the rest were never read
    // but by the turn, one chat a run. Reading 25 chats takes a few seconds at Bybit's 10 list calls a second.
    this.timeout(60_000);
    const orders = Array.from({ length: 25 }, (_, i) => bybit.createOrder({ counterpartyNickName: `Trader${i}` }).orderId);
    const { adapter, received } = start(memoryState(), { poll: false, chatMode: 'session' });
    await adapter.start();
    await until(() => orders.every((id) => received.some((m) => m.conversationId === id)), 20_000, 'first read of every chat');
    const said = orders.map((id) => bybit.inject({ orderId: id, content: `news for ${id}` }).content!);
    const before = bybit.requests().length;
    await until(() => said.every((t) => received.some((m) => m.text === t)), 10_000, 'every trader\'s news').catch(() => {
      assert.fail(`${said.filter((t) => !received.some((m) => m.text === t)).length} of 25 not delivered within 10 s`);
    });
    const listCalls = bybit.requests().slice(before).filter((r) => r.path.endsWith('/session/list_v1'));
    const cursors = listCalls.map((r) => String((r.body as { lastId?: unknown }).lastId));
    assert.ok(cursors.some((c) => c !== '0'), `the unread list was paged (cursors ${[...new Set(cursors)].join(', ')})`);
  });

  it('session API, after a restart: a landed check finds our send behind 1,600 newer messages, and the poll\'s read-back carries its client id', async function () {
    // The long soak (seed 1029024282): a send left unsettled by a kill was checked after the rest
    // of the run; 50 pages did not reach it, the user was asked, and its read-back, with the
    // memory of the send gone with the process, was stored beside the failed entry.
    // 54 pages at Bybit's 10 list calls a second: ~25 s alone, longer on a loaded machine.
    this.timeout(90_000);
    const first = start(memoryState(), { poll: false, chatMode: 'session' });
    const message = { clientMessageId: 'c-3', conversationId: orderId, kind: 'text' as const, text: 'sent just before a kill', attempt: 0, composedAt: Date.now() };
    await first.adapter.send(message);
    first.adapter.dispose();
    say(1_600, 'after the kill');
    const second = start(memoryState(), { poll: false, chatMode: 'session' });
    const check = await second.adapter.checkLanded(message);
    assert.equal(check.landed, true, 'found 54 pages back');
    void second.adapter.start();
    await until(() => second.received.some((m) => m.text === message.text), 15_000, 'our message read back by the poll');
    const ours = second.received.filter((m) => m.text === message.text);
    assert.deepEqual(ours.map((m) => m.clientMessageId), ['c-3'], 'one message, with our client id');
  });

  it('a landed check with 45 messages since the send pages back and finds it (session API, no client id)', async () => {
    const { adapter } = start(memoryState(), { poll: false, chatMode: 'session' });
    const message = { clientMessageId: 'c-1', conversationId: orderId, kind: 'text' as const, text: 'sent before a busy minute', attempt: 0, composedAt: Date.now() };
    await adapter.send(message);
    say(45, 'after our send');
    const check = await adapter.checkLanded(message);
    assert.equal(check.landed, true, 'our message is there, a page further back');
  });
});
