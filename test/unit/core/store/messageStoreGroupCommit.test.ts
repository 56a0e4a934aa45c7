import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../../src/extension/core/logger';
import { MessageStore } from '../../../../src/extension/core/store/messageStore';
import type { ChatMessage } from '../../../../src/shared/model';
import { ACC, CONV, gate, incoming, logFileProbe, outgoing, logName } from './storeFixtures';
import type { LogFileProbe } from './storeFixtures';

const OTHER = 'acc-2';

describe('MessageStore group commit', () => {
  let dir: string;
  let probe: LogFileProbe;
  const stores: MessageStore[] = [];

  async function openStore(): Promise<MessageStore> {
    const store = await MessageStore.open(dir, silentLogger, { openLogFile: probe.openLogFile });
    stores.push(store);
    return store;
  }

  const syncs = (accountId = ACC): number => probe.datasyncs.get(logName(accountId)) ?? 0;
  const logLines = async (accountId = ACC): Promise<unknown[]> =>
    (await readFile(join(dir, 'messages', logName(accountId)), 'utf8'))
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('{"h":'))
      .map((l): unknown => JSON.parse(l));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'venue-chat-group-commit-'));
    probe = logFileProbe();
  });

  afterEach(async () => {
    probe.hold = undefined;
    await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
    await rm(dir, { recursive: true, force: true });
  });

  it('one upsert is one fdatasync per account log, however many messages it holds', async () => {
    const store = await openStore();
    const batch = [
      ...Array.from({ length: 200 }, (_, i) => incoming(`m${i}`, i)),
      ...Array.from({ length: 50 }, (_, i) => incoming(`o${i}`, i, { accountId: OTHER })),
    ];
    assert.equal((await store.upsert(batch)).length, 250);
    assert.equal(syncs(ACC), 1);
    assert.equal(syncs(OTHER), 1);
    await store.upsert([incoming('m0', 0, { senderName: 'Bob' })]);
    assert.equal(syncs(ACC), 2);
    assert.equal(syncs(OTHER), 1, 'a log the batch does not touch is not synced');
    assert.deepEqual(await store.upsert([incoming('m1', 1)]), []);
    assert.equal(syncs(ACC), 2, 'a batch that changes nothing writes nothing');
  });

  it('upserts called together share one write and one fdatasync, each getting its own result', async () => {
    const store = await openStore();
    const [a, b, c] = await Promise.all([store.upsert([incoming('1', 1)]), store.upsert([incoming('2', 2), incoming('3', 3)]), store.upsert([incoming('1', 1)])]);
    assert.equal(syncs(), 1);
    assert.deepEqual(a, [incoming('1', 1)]);
    assert.deepEqual(b, [incoming('2', 2), incoming('3', 3)]);
    assert.deepEqual(c, [incoming('1', 1)], 'each caller hears of its message, stored by the shared write');
    assert.equal((await logLines()).length, 3, 'one line per message, not per call');
  });

  it('upserts queued behind a write in flight go out together in the next one', async () => {
    const store = await openStore();
    await store.upsert([incoming('first', 0)]);
    const held = gate();
    probe.hold = held.promise;
    const inFlight = store.upsert([incoming('x', 1)]);
    // Let the first write reach its fdatasync before the others are called.
    while (syncs() < 2) await new Promise((resolve) => setImmediate(resolve));

    const pending = outgoing('c1', 5);
    const queued: Promise<ChatMessage[]>[] = [
      store.upsert([pending]),
      store.upsert([incoming('y', 2)]),
      store.upsert([{ ...pending, status: 'sending' }]),
      store.upsert([incoming('z', 3, { accountId: OTHER })]),
    ];
    probe.hold = undefined;
    held.open();
    const [x, p1, y, p2, z] = await Promise.all([inFlight, ...queued]);

    assert.equal(syncs(ACC), 3, 'the held write plus one for the four queued calls');
    assert.equal(syncs(OTHER), 1);
    assert.deepEqual(x, [incoming('x', 1)]);
    assert.deepEqual(y, [incoming('y', 2)]);
    assert.deepEqual(z, [incoming('z', 3, { accountId: OTHER })]);
    // Both calls on the pending message see it as the shared write left it.
    assert.deepEqual(p1, [{ ...pending, status: 'sending' }]);
    assert.deepEqual(p2, [{ ...pending, status: 'sending' }]);
    assert.deepEqual(
      (await logLines()).map((l) => (l as { m: ChatMessage }).m.key),
      [incoming('first', 0).key, incoming('x', 1).key, pending.key, incoming('y', 2).key],
      'the queued calls wrote the final state of each message once',
    );
  });

  it('a call that cannot be applied fails alone and leaves no trace; the others in its group are stored', async () => {
    const store = await openStore();
    const a = incoming('a', 1);
    await store.upsert([a]);
    const [bad, good] = await Promise.allSettled([
      // Its second message claims a key of another conversation: the whole call is refused.
      store.upsert([incoming('n1', 2), { ...a, conversationId: 'order-2' }]),
      store.upsert([incoming('n2', 3)]),
    ]);
    assert.equal(bad.status, 'rejected');
    assert.match(String(bad.status === 'rejected' ? bad.reason : ''), /another account or conversation/);
    assert.deepEqual(good.status === 'fulfilled' ? good.value : undefined, [incoming('n2', 3)]);
    assert.equal(store.get(incoming('n1', 2).key), undefined, "the refused call's earlier message is not stored");
    assert.equal(syncs(), 2);
    await stores.pop()?.close();
    const again = await openStore();
    assert.deepEqual(again.page(ACC, CONV, { limit: 10 }).messages.map((m) => m.venueMessageId), ['a', 'n2']);
  });

  it('an upsert called after removeAccount is not moved ahead of it', async () => {
    const store = await openStore();
    const before = store.upsert([incoming('1', 1)]);
    const removed = store.removeAccount(ACC);
    const after = store.upsert([incoming('2', 2)]);
    await Promise.all([before, removed, after]);
    assert.deepEqual(store.page(ACC, CONV, { limit: 10 }).messages.map((m) => m.venueMessageId), ['2']);
  });
});
