import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../../../sandbox';
import { InboxHub } from '../../../../src/extension/core/inbox/inboxHub';
import { silentLogger } from '../../../../src/extension/core/logger';
import { MessageStore } from '../../../../src/extension/core/store/messageStore';
import { Outbox } from '../../../../src/extension/core/delivery/outbox';
import { MexcAdapter } from '../../../../src/extension/venues/mexc/adapter';
import { until } from '../../helpers/until';


/** The whole delivery path: hub + durable store + outbox + the real MEXC adapter + the sandbox. */
describe('inbox hub end to end (MEXC sandbox)', function () {
  this.timeout(30000);
  let sandbox: Sandbox;
  let dir: string;
  let store: MessageStore;
  let outbox: Outbox;
  let hub: InboxHub;

  async function openHub(): Promise<void> {
    store = await MessageStore.open(join(dir, 'store'), silentLogger);
    const late: { hub?: InboxHub } = {};
    ({ outbox } = await Outbox.open(join(dir, 'outbox.jsonl'), { store, adapterFor: (id) => late.hub?.adapter(id), isReady: (id) => late.hub?.isReady(id) ?? false }));
    hub = new InboxHub({ store, outbox, conversationsFile: join(dir, 'conversations.json') });
    late.hub = hub;
    await hub.load();
    const account = sandbox.venue('mexc').accounts()[0]!;
    await hub.addAccount(
      { id: 'acc', venue: 'mexc', label: 'Sandbox' },
      new MexcAdapter({ accountId: 'acc', credentials: account.credentials, endpoints: account.endpoints, heartbeatMs: 200 }),
    );
  }

  async function closeHub(): Promise<void> {
    await hub.settled();
    await hub.close();
    outbox.dispose();
    await store.close();
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-'));
    sandbox = await startSandbox({ counterpartyReplyDelayMs: 30, heartbeatTimeoutMs: 2000 });
    await openHub();
  });
  afterEach(async () => {
    await closeHub();
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  const activeOrder = () => sandbox.venue('mexc').state().orders.find((o) => o.apiKey === sandbox.venue('mexc').accounts()[0]!.credentials.apiKey && o.state === 'PAID')!;

  it('lists conversations by last activity and goes online', async () => {
    await until(() => hub.state('acc').kind === 'online', 6000, 'online');
    const list = hub.conversationsOf('acc');
    assert.ok(list.length >= 2);
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.lastActivity >= list[i]!.lastActivity);
  });

  it('sends once, shows one message confirmed by the echo, and stores the reply with an unread count', async () => {
    const order = activeOrder();
    const conversationId = String(order.conversationId);
    await until(() => hub.state('acc').kind === 'online', 6000, 'online');
    const sent = await hub.send({ accountId: 'acc', conversationId, clientMessageId: 'hubsend001', kind: 'text', text: 'I have paid, please check' });
    assert.equal(sent.status, 'queued');
    await until(() => store.findByClientMessageId('acc', conversationId, 'hubsend001')?.status === 'confirmed', 6000, 'confirmed');
    await until(() => store.page('acc', conversationId, { limit: 200 }).messages.some((m) => m.direction === 'in' && m.time >= sent.time - 60_000 && /bank|Thanks|check/i.test(m.text ?? '')), 6000, 'reply');
    await hub.settled();
    const page = store.page('acc', conversationId, { limit: 200 }).messages;
    const ours = page.filter((m) => m.text === 'I have paid, please check');
    assert.equal(ours.length, 1, 'the echo merged into our message: shown once');
    assert.equal(ours[0]!.key, sent.key);
    assert.equal(sandbox.venue('mexc').messages(order.conversationId).filter((m) => m.content === 'I have paid, please check').length, 1, 'sent once');
    assert.ok((hub.conversation('acc', conversationId)?.unread ?? 0) >= 1);
    await hub.markRead('acc', conversationId);
    assert.equal(hub.conversation('acc', conversationId)?.unread, 0);
  });

  it('an open pane keeps unread at zero', async () => {
    const order = activeOrder();
    const conversationId = String(order.conversationId);
    const view = hub.openConversation('acc', conversationId);
    await until(() => sandbox.venue('mexc').sockets().some((s) => s.conversationId === order.conversationId), 6000, 'socket');
    sandbox.venue('mexc').inject({ conversationId: order.conversationId, content: 'are you there?' });
    await until(() => store.page('acc', conversationId, { limit: 200 }).messages.some((m) => m.text === 'are you there?'), 6000, 'message');
    await hub.settled();
    assert.equal(hub.conversation('acc', conversationId)?.unread, 0);
    view.dispose();
  });

  it('after a drop it stores a gap marker, and messages survive a restart without duplicates', async () => {
    const order = activeOrder();
    const conversationId = String(order.conversationId);
    await until(() => sandbox.venue('mexc').sockets().some((s) => s.conversationId === order.conversationId), 6000, 'socket');
    sandbox.venue('mexc').inject({ conversationId: order.conversationId, content: 'before the outage' });
    await until(() => store.page('acc', conversationId, { limit: 200 }).messages.some((m) => m.text === 'before the outage'), 6000, 'message');
    sandbox.venue('mexc').applyFaults({ dropAll: true });
    await until(() => store.page('acc', conversationId, { limit: 200 }).messages.some((m) => m.kind === 'gap'), 8000, 'gap');
    await closeHub();
    await openHub();
    const page = store.page('acc', conversationId, { limit: 200 }).messages;
    assert.equal(page.filter((m) => m.text === 'before the outage').length, 1);
    assert.equal(page.filter((m) => m.kind === 'gap').length, 1);
    assert.ok(hub.conversation('acc', conversationId), 'conversation metadata was saved');
  });

  it('a message composed while offline is queued and delivered after reconnect, once', async () => {
    const order = activeOrder();
    const conversationId = String(order.conversationId);
    await until(() => hub.state('acc').kind === 'online', 6000, 'online');
    sandbox.venue('mexc').applyFaults({ rejectUpgrades: 3, dropAll: true });
    const queued = await hub.send({ accountId: 'acc', conversationId, clientMessageId: 'offline001', kind: 'text', text: 'sent during the outage' });
    await until(() => store.get(queued.key)?.status === 'confirmed', 15000, 'delivered after reconnect');
    assert.equal(sandbox.venue('mexc').messages(order.conversationId).filter((m) => m.content === 'sent during the outage').length, 1);
  });
});

describe('inbox hub: merged duplicates', () => {
  it('asks views to reload a conversation whose stored records were merged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hub-merge-'));
    const store = await MessageStore.open(join(dir, 'store'), silentLogger);
    const { outbox } = await Outbox.open(join(dir, 'outbox.jsonl'), { store, adapterFor: () => undefined, isReady: () => false });
    const hub = new InboxHub({ store, outbox, conversationsFile: join(dir, 'conversations.json') });
    try {
      const resets: { accountId: string; conversationId: string }[] = [];
      hub.onDidResetConversation((e) => resets.push(e));
      const base = { venue: 'mexc' as const, accountId: 'acc', conversationId: '7', direction: 'out' as const, kind: 'text' as const, text: 'pay to IBAN …' };
      const pending = { ...base, key: 'mexc:acc:7:c:client0001', clientMessageId: 'client0001', time: 1000, status: 'sending' as const };
      const echo = { ...base, key: 'mexc:acc:7:901', venueMessageId: '901', time: 1002, status: 'confirmed' as const };
      await store.upsert([pending]);
      await store.upsert([echo]); // stored before anything linked it to our send
      assert.deepEqual(resets, []);
      await store.upsert([{ ...pending, venueMessageId: '901', status: 'sent' }]);
      assert.deepEqual(resets, [{ accountId: 'acc', conversationId: '7' }]);
      assert.equal(store.page('acc', '7', { limit: 10 }).messages.length, 1);
    } finally {
      hub.dispose();
      outbox.dispose();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
