import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { appendFile, mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../../src/extension/core/logger';
import { nextOutgoingStatus } from '../../../../src/extension/core/store/messageMerge';
import { checkForStore, MessageStore } from '../../../../src/extension/core/store/messageStore';
import { MAX_TEXT_LENGTH } from '../../../../src/shared/messageLimits';
import type { MergedDuplicate, MessageStoreOptions } from '../../../../src/extension/core/store/messageStore';
import { messageKey } from '../../../../src/shared/model';
import type { ChatMessage, OutgoingStatus } from '../../../../src/shared/model';
import { ACC, CONV, incoming, outgoing, logName } from './storeFixtures';
import { conversationLogName } from '../../../../src/extension/core/store/storeFileNames';
import { NO_WATERMARK } from '../../../../src/extension/core/store/messageStoreRecord';

function patch<O extends object, K extends keyof O>(target: O, name: K, make: (original: O[K]) => O[K]): () => void {
  const original = target[name];
  assert.ok(Reflect.set(target, name, make(original)), `could not patch ${String(name)}`);
  return () => {
    Reflect.set(target, name, original);
  };
}

describe('MessageStore', () => {
  let dir: string;
  const stores: MessageStore[] = [];
  const restores: (() => void)[] = [];

  async function openStore(options: MessageStoreOptions = {}): Promise<MessageStore> {
    const store = await MessageStore.open(dir, silentLogger, options);
    stores.push(store);
    return store;
  }

  /** Closes `store` and opens the directory again, as a restart would. */
  async function reopen(store: MessageStore, options: MessageStoreOptions = {}): Promise<MessageStore> {
    await store.close();
    return openStore(options);
  }

  const logFile = (accountId = ACC): string => join(dir, 'messages', logName(accountId));
  const logLines = async (accountId = ACC): Promise<unknown[]> =>
    (await readFile(logFile(accountId), 'utf8'))
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('{"h":'))
      .map((l): unknown => JSON.parse(l));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'venue-chat-store-'));
  });

  afterEach(async () => {
    for (const restore of restores.splice(0).reverse()) restore();
    await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
    await rm(dir, { recursive: true, force: true });
  });

  describe('upsert and merge rules', () => {
    it('stores new messages durably and returns them', async () => {
      const store = await openStore();
      const a = incoming('1', 1000);
      const b = incoming('2', 2000, { senderName: 'Bob' });
      assert.deepEqual(await store.upsert([a, b]), [a, b]);
      assert.deepEqual(store.get(a.key), a);
      const again = await reopen(store);
      assert.deepEqual(again.get(a.key), a);
      assert.deepEqual(again.get(b.key), b);
      assert.deepEqual(again.recovery, { messages: 2, skipped: 0, corrupt: 0, tornTails: 0, conflicts: 0, unavailable: [], problems: [] });
    });

    it('an identical upsert is a no-op: nothing returned, nothing appended', async () => {
      const store = await openStore();
      const a = incoming('1', 1000, { attachments: [{ kind: 'image', url: 'https://x/1.png', width: 4 }] });
      await store.upsert([a]);
      const size = (await stat(logFile())).size;
      // A fresh but equal object, with an explicitly undefined field and keys in another order.
      const same: ChatMessage = { ...a, attachments: [{ width: 4, url: 'https://x/1.png', kind: 'image' }], failure: undefined };
      assert.deepEqual(await store.upsert([same]), []);
      assert.equal((await stat(logFile())).size, size);
    });

    it('merges an update: defined incoming fields win, absent ones are kept', async () => {
      const store = await openStore();
      const a = incoming('1', 1000, { senderName: 'Bob', text: 'old' });
      await store.upsert([a]);
      const changed = await store.upsert([{ ...a, text: 'edited', edited: true, senderName: undefined }]);
      assert.deepEqual(changed, [{ ...a, text: 'edited', edited: true }]);
      assert.equal(store.get(a.key)?.senderName, 'Bob');
      assert.equal((await reopen(store)).get(a.key)?.text, 'edited');
    });

    it('status transitions follow queued < sending < sent < confirmed < delivered < read, with failed', () => {
      const order: OutgoingStatus[] = ['queued', 'sending', 'sent', 'confirmed', 'delivered', 'read', 'failed'];
      // Row: current status; columns: incoming status in `order`.
      const expected: Record<OutgoingStatus, OutgoingStatus[]> = {
        queued: ['queued', 'sending', 'sent', 'confirmed', 'delivered', 'read', 'failed'],
        // An attempt refused before it left (a rate limit, no connection) goes back to the queue.
        sending: ['queued', 'sending', 'sent', 'confirmed', 'delivered', 'read', 'failed'],
        sent: ['sent', 'sent', 'sent', 'confirmed', 'delivered', 'read', 'failed'],
        confirmed: ['confirmed', 'confirmed', 'confirmed', 'confirmed', 'delivered', 'read', 'confirmed'],
        delivered: ['delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'read', 'delivered'],
        read: ['read', 'read', 'read', 'read', 'read', 'read', 'read'],
        failed: ['queued', 'sending', 'sent', 'confirmed', 'delivered', 'read', 'failed'],
      };
      for (const current of order) {
        assert.deepEqual(order.map((next) => nextOutgoingStatus(current, next)), expected[current], `from ${current}`);
      }
      assert.equal(nextOutgoingStatus(undefined, 'sent'), 'sent');
      assert.equal(nextOutgoingStatus('sent', undefined), 'sent');
    });

    it('never moves a stored status backwards, and a late event is a no-op', async () => {
      const store = await openStore();
      const m = outgoing('c1', 1000, { status: 'sent' });
      await store.upsert([m]);
      assert.deepEqual(await store.upsert([{ ...m, status: 'sending' }]), []);
      assert.equal(store.get(m.key)?.status, 'sent');
      await store.upsert([{ ...m, status: 'delivered' }]);
      assert.deepEqual(await store.upsert([{ ...m, status: 'failed', failure: 'timeout' }]), []);
      assert.deepEqual(await store.upsert([{ ...m, status: 'confirmed' }]), []);
      const after = (await reopen(store)).get(m.key);
      assert.equal(after?.status, 'delivered');
      assert.equal(after?.failure, undefined);
    });

    it('failed is allowed before confirmation, and a retry goes from failed back to queued', async () => {
      const store = await openStore();
      const m = outgoing('c1', 1000);
      await store.upsert([m, { ...m, status: 'sending' }]);
      await store.upsert([{ ...m, status: 'failed', failure: 'timeout' }]);
      assert.equal(store.get(m.key)?.status, 'failed');
      assert.equal(store.get(m.key)?.failure, 'timeout');
      const [retried] = await store.upsert([{ ...m, status: 'queued' }]);
      assert.equal(retried?.status, 'queued');
      assert.equal(retried?.failure, undefined, 'a stale failure reason is dropped on retry');
      await store.upsert([{ ...m, status: 'failed', failure: 'again' }]);
      await store.upsert([{ ...m, status: 'sent' }]);
      assert.equal((await reopen(store)).get(m.key)?.status, 'sent');
    });

    it('applies the messages of one batch in order', async () => {
      const store = await openStore();
      const m = outgoing('c1', 1000);
      const changed = await store.upsert([m, { ...m, status: 'sending' }, { ...m, status: 'sent', venueMessageId: 'v1' }]);
      assert.equal(changed.length, 1, 'one message changed, reported once in its final state');
      assert.equal(changed[0]?.status, 'sent');
      assert.equal((await logLines()).length, 1, 'one line for the batch');
    });

    it('rejects an invalid message before writing anything', async () => {
      const store = await openStore();
      await assert.rejects(store.upsert([incoming('1', 1), incoming('2', Number.NaN)]), /message 1 is invalid: time/);
      await assert.rejects(store.upsert([incoming('3', 1, { venueMessageId: '' })]), /venueMessageId/);
      assert.equal(store.count(), 0);
      assert.equal(fs.existsSync(logFile()) ? (await stat(logFile())).size : 0, 0);
    });

    it('rejects a key that already belongs to another conversation', async () => {
      const store = await openStore();
      const a = incoming('1', 1);
      await store.upsert([a]);
      await assert.rejects(store.upsert([{ ...a, conversationId: 'order-2', venueMessageId: 'other' }]), /another account or conversation/);
      assert.deepEqual(store.get(a.key), a);
      assert.equal(store.count(ACC, 'order-2'), 0);
    });

    it('a failed write stores nothing and the store stays usable', async () => {
      const store = await openStore();
      await store.upsert([incoming('1', 1)]);
      const handle = await open(logFile(), 'r');
      const proto = Object.getPrototypeOf(handle) as FileHandle;
      await handle.close();
      let failures = 1;
      restores.push(
        patch(proto, 'datasync', (original) =>
          async function (this: FileHandle) {
            if (failures-- > 0) throw Object.assign(new Error('EIO: simulated'), { code: 'EIO' });
            return original.call(this);
          },
        ),
      );
      await assert.rejects(store.upsert([incoming('2', 2)]), /EIO/);
      assert.equal(store.get(incoming('2', 2).key), undefined, 'memory never shows what is not durable');
      await store.upsert([incoming('3', 3)]);
      const again = await reopen(store);
      assert.deepEqual(
        again.page(ACC, CONV, { limit: 10 }).messages.map((m) => m.venueMessageId),
        ['1', '3'],
      );
      assert.deepEqual(again.recovery.problems, []);
    });
  });

  describe('checked messages (the hub checks once, the store does not check again)', () => {
    it('checkForStore names the problem of an invalid message and copies a valid one without undefined fields', () => {
      assert.match(String(checkForStore({ ...incoming('1', 1), key: '' })), /^key /);
      assert.match(String(checkForStore({ ...incoming('1', 1), text: 'x'.repeat(MAX_TEXT_LENGTH + 1) })), /^text is longer than/);
      assert.match(String(checkForStore({ ...incoming('1', 1), extra: 1 } as unknown as ChatMessage)), /unknown field "extra"/);
      const original = incoming('1', 1, { senderName: undefined });
      const checked = checkForStore(original);
      assert.ok(typeof checked !== 'string');
      assert.notEqual(checked, original, 'a copy: the caller may reuse its object');
      assert.deepEqual(Object.keys(checked).includes('senderName'), false);
      const { senderName: _dropped, ...rest } = original;
      assert.deepEqual(checked, rest);
    });

    it('upsertChecked stores like upsert and says which changes were new to the store', async () => {
      const store = await openStore();
      const check = (m: ChatMessage) => {
        const c = checkForStore(m);
        assert.ok(typeof c !== 'string', String(c));
        return c;
      };
      const a = incoming('1', 1000);
      const first = await store.upsertChecked([check(a), check(incoming('2', 1001))]);
      assert.deepEqual(first.changed.map((m) => m.key), [a.key, incoming('2', 0).key]);
      assert.deepEqual([...first.added], [a.key, incoming('2', 0).key]);
      // A redelivery changes nothing; an update changes a stored message but adds none.
      assert.deepEqual(await store.upsertChecked([check(a)]), { changed: [], added: new Set() });
      const update = await store.upsertChecked([check({ ...a, senderName: 'Kate' })]);
      assert.deepEqual(update.changed.map((m) => m.senderName), ['Kate']);
      assert.equal(update.added.size, 0);
      // The same venue id under another key merges into the stored message: not new either.
      const sameId = await store.upsertChecked([check({ ...a, key: `${a.key}-other` })]);
      assert.deepEqual(sameId.changed.map((m) => m.key), [], 'nothing new to say about it');
      assert.equal(sameId.added.size, 0);
      // A contradicting repeat is kept as a conflict copy, which is a new record of its own.
      const conflict = await store.upsertChecked([check({ ...a, text: 'other text' })]);
      assert.equal(conflict.changed.length, 1);
      assert.equal(conflict.changed[0]?.conflictOf, a.key);
      assert.deepEqual([...conflict.added], [conflict.changed[0]?.key]);
      const again = await reopen(store);
      assert.equal(again.count(), 3);
      assert.equal(again.get(a.key)?.senderName, 'Kate');
    });
  });

  describe('de-duplication', () => {
    it('merges the venue echo (keyed by venue id) into our pending-keyed record', async () => {
      const store = await openStore();
      const pending = outgoing('c1', 1000);
      await store.upsert([pending]);
      // The send receipt gives the venue id; then the venue echoes the message without our client id.
      await store.upsert([{ ...pending, status: 'sent', venueMessageId: 'v9' }]);
      const echo = incoming('v9', 1005, { direction: 'out', text: 'sent c1' });
      const [merged] = await store.upsert([echo]);
      assert.equal(merged?.key, pending.key, 'the echo keeps the pending key');
      assert.equal(merged?.time, 1005, "the venue's time wins");
      assert.equal(merged?.status, 'sent');
      assert.equal(store.count(ACC, CONV), 1);
      assert.equal(store.findByVenueMessageId(ACC, CONV, 'v9')?.key, pending.key);
      assert.deepEqual(await store.upsert([echo]), [], 'a repeated echo is a no-op');
      const again = await reopen(store);
      assert.equal(again.count(), 1);
      assert.equal(again.findByVenueMessageId(ACC, CONV, 'v9')?.key, pending.key);
    });

    it('merges a message carrying our clientMessageId into the pending record', async () => {
      const store = await openStore();
      const pending = outgoing('c2', 1000, { status: 'sending' });
      await store.upsert([pending]);
      const echo = incoming('v10', 1001, { direction: 'out', clientMessageId: 'c2', status: 'confirmed' });
      const [merged] = await store.upsert([echo]);
      assert.equal(merged?.key, pending.key);
      assert.equal(merged?.status, 'confirmed');
      assert.equal(store.count(), 1);
      assert.equal(store.findByVenueMessageId(ACC, CONV, 'v10')?.key, pending.key);
      assert.equal(store.findByClientMessageId(ACC, CONV, 'c2')?.key, pending.key);
    });

    it('de-duplicates within a conversation only', async () => {
      const store = await openStore();
      await store.upsert([incoming('same', 1), incoming('same', 1, { conversationId: 'order-2' })]);
      assert.equal(store.count(), 2);
      assert.deepEqual(store.conversationIds(ACC).sort(), [CONV, 'order-2']);
    });

    it('merges an echo stored before the send receipt into the pending record and reports it', async () => {
      const store = await openStore();
      const pending = outgoing('c3', 1000, { status: 'sending' });
      const echo = incoming('v11', 1002, { direction: 'out', text: 'sent c3' });
      await store.upsert([pending]);
      await store.upsert([echo]);
      assert.equal(store.count(), 2, 'nothing links them yet');
      const reported: (readonly MergedDuplicate[])[] = [];
      store.onDidMergeDuplicates((m) => reported.push(m));
      const [merged] = await store.upsert([{ ...pending, status: 'sent', venueMessageId: 'v11' }]);
      assert.equal(merged?.key, pending.key);
      assert.equal(merged?.status, 'sent');
      assert.equal(store.count(), 1);
      assert.deepEqual(reported, [[{ accountId: ACC, conversationId: CONV, key: echo.key, into: pending.key }]]);
      assert.equal(store.get(echo.key)?.key, pending.key, 'the retired key leads to the survivor');
      assert.deepEqual(store.page(ACC, CONV, { limit: 10 }).messages.map((m) => m.key), [pending.key]);
      // Delivered again, the echo still merges into the survivor (its venue time wins), then is a no-op.
      assert.deepEqual((await store.upsert([echo])).map((m) => [m.key, m.time]), [[pending.key, 1002]]);
      assert.deepEqual(await store.upsert([echo]), []);
      assert.equal(store.count(), 1);

      const again = await reopen(store);
      assert.equal(again.count(), 1);
      assert.equal(again.get(echo.key)?.key, pending.key);
      assert.equal(again.findByVenueMessageId(ACC, CONV, 'v11')?.status, 'sent');
    });

    it('keeps identity ids once set, and a merged duplicate\'s venue id leads to the survivor after reopen', async () => {
      const warnings: string[] = [];
      const store = await MessageStore.open(dir, { ...silentLogger, warn: (m: string) => warnings.push(m) });
      stores.push(store);
      const pending = outgoing('c6', 1000);
      await store.upsert([pending]);
      await store.upsert([{ ...pending, status: 'sent', venueMessageId: 'v40' }]);
      // The stream reports the message under another id, first without our client id, then with it.
      const echo = incoming('v41', 1001, { direction: 'out' });
      await store.upsert([echo]);
      assert.equal(store.count(), 2);
      await store.upsert([{ ...echo, clientMessageId: 'c6' }]);
      assert.equal(store.count(), 1);
      assert.equal(store.get(pending.key)?.venueMessageId, 'v40', 'the stored venue id is kept');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', /kept the stored venueMessageId/);
      for (const s of [store, await reopen(store)]) {
        assert.equal(s.findByVenueMessageId(ACC, CONV, 'v40')?.key, pending.key);
        assert.equal(s.findByVenueMessageId(ACC, CONV, 'v41')?.key, pending.key);
        assert.equal(s.get(echo.key)?.key, pending.key);
      }
    });

    it('serialises concurrent upserts so a send and its echo become one message', async () => {
      const store = await openStore();
      const pending = outgoing('c4', 1000);
      const echo = incoming('v12', 1001, { direction: 'out', clientMessageId: 'c4' });
      await store.upsert([incoming('earlier', 1)]); // the account's log is open: no I/O before the merge
      await Promise.all([store.upsert([pending]), store.upsert([echo]), store.upsert([{ ...pending, status: 'sending' }])]);
      assert.equal(store.count(ACC, CONV), 2);
      assert.equal(store.get(pending.key)?.venueMessageId, 'v12');
      assert.equal(store.get(pending.key)?.status, 'sending');
    });
  });

  describe('queries', () => {
    it('pages oldest first by (time, insertion order), with opaque cursors and no cursor at the end', async () => {
      const store = await openStore();
      // Inserted in this order; several share a timestamp.
      const times: [string, number][] = [['a', 5], ['b', 1], ['c', 3], ['d', 3], ['e', 3], ['f', 9], ['g', 3]];
      for (const [id, time] of times) await store.upsert([incoming(id, time)]);
      const ids = (ms: readonly ChatMessage[]) => ms.map((m) => m.venueMessageId);

      const first = store.page(ACC, CONV, { limit: 3 });
      assert.deepEqual(ids(first.messages), ['g', 'a', 'f']);
      assert.equal(typeof first.before, 'string');
      const second = store.page(ACC, CONV, { limit: 3, before: first.before });
      assert.deepEqual(ids(second.messages), ['c', 'd', 'e']);
      const third = store.page(ACC, CONV, { limit: 3, before: second.before });
      assert.deepEqual(ids(third.messages), ['b']);
      assert.equal(third.before, undefined);
      assert.equal('before' in third, false);

      // A cursor stays valid across a restart (the insertion sequence is stored).
      const again = await reopen(store);
      assert.deepEqual(ids(again.page(ACC, CONV, { limit: 3, before: first.before }).messages), ['c', 'd', 'e']);
    });

    it('omits the cursor when a page ends exactly at the oldest message', async () => {
      const store = await openStore();
      await store.upsert(['a', 'b', 'c', 'd'].map((id) => incoming(id, 7)));
      const first = store.page(ACC, CONV, { limit: 2 });
      assert.deepEqual(first.messages.map((m) => m.venueMessageId), ['c', 'd']);
      const second = store.page(ACC, CONV, { limit: 2, before: first.before });
      assert.deepEqual(second.messages.map((m) => m.venueMessageId), ['a', 'b']);
      assert.equal(second.before, undefined);
      assert.deepEqual(store.page(ACC, 'nothing-here', { limit: 2 }), { messages: [] });
    });

    it('rejects a bad cursor or limit', async () => {
      const store = await openStore();
      await store.upsert([incoming('a', 1)]);
      assert.throws(() => store.page(ACC, CONV, { limit: 2, before: 'not-a-cursor' }), RangeError);
      assert.throws(() => store.page(ACC, CONV, { limit: 0 }), RangeError);
    });

    it('moves a message when an update changes its time', async () => {
      const store = await openStore();
      const pending = outgoing('c1', 100);
      await store.upsert([incoming('x', 50), pending, incoming('y', 150)]);
      assert.equal(store.latest(ACC, CONV)?.venueMessageId, 'y');
      await store.upsert([incoming('v1', 200, { direction: 'out', clientMessageId: 'c1' })]);
      assert.equal(store.latest(ACC, CONV)?.key, pending.key);
      assert.deepEqual(
        store.page(ACC, CONV, { limit: 10 }).messages.map((m) => m.time),
        [50, 150, 200],
      );
    });

    it('answers latest, conversationIds, count and unreadSince', async () => {
      const store = await openStore();
      await store.upsert([
        incoming('1', 100),
        incoming('2', 200),
        outgoing('c1', 250),
        incoming('3', 300),
        incoming('4', 300, { conversationId: 'order-2' }),
        incoming('5', 10, { accountId: 'acc-2' }),
      ]);
      assert.equal(store.latest(ACC, CONV)?.venueMessageId, '3');
      assert.equal(store.latest(ACC, 'none'), undefined);
      assert.deepEqual(store.conversationIds(ACC).sort(), [CONV, 'order-2']);
      assert.deepEqual(store.conversationIds('nobody'), []);
      assert.equal(store.count(), 6);
      assert.equal(store.count(ACC), 5);
      assert.equal(store.count(ACC, CONV), 4);
      assert.equal(store.unreadSince(ACC, CONV, 100), 2, 'incoming after t=100, not our own');
      assert.equal(store.unreadSince(ACC, CONV, 0), 3);
      assert.equal(store.unreadSince(ACC, CONV, 300), 0);
      assert.deepEqual(store.accountIds().sort(), [ACC, 'acc-2']);
    });
  });

  describe('files', () => {
    it('keeps each account in its own safely named directory, one file per conversation, and reads them back', async () => {
      const store = await openStore();
      const accounts = ['Acc', 'acc', '../../etc/passwd', 'con', 'a/b\\c:d*?"<>|', 'x'.repeat(300), 'имя'];
      await store.upsert(accounts.map((accountId, i) => incoming(`m${i}`, i, { accountId })));
      const names = await readdir(join(dir, 'messages'));
      assert.equal(names.length, accounts.length);
      for (const name of names) {
        assert.match(name, /^[a-z0-9_]{1,32}-[0-9a-f]{24}$/);
        assert.deepEqual(await readdir(join(dir, 'messages', name)), [conversationLogName(CONV)]);
      }
      assert.deepEqual((await readdir(dir)).sort(), ['messages']);
      const again = await reopen(store);
      for (const [i, accountId] of accounts.entries()) {
        assert.equal(again.count(accountId), 1, accountId);
        assert.equal(again.get(messageKey('mexc', accountId, CONV, `m${i}`))?.accountId, accountId);
      }
    });

    it('reports a torn tail in recovery and keeps working', async () => {
      const store = await openStore();
      await store.upsert([incoming('1', 1), incoming('2', 2)]);
      await store.close();
      await appendFile(logFile(), '{"s":7,"m":{"key":"mexc:acc');
      const again = await openStore();
      assert.equal(again.count(), 2, 'a read skips the torn tail');
      assert.equal(again.recovery.tornTails, 0, 'reads repair nothing');
      await again.load(ACC, CONV);
      assert.equal(again.recovery.tornTails, 1);
      assert.equal(again.recovery.skipped, 1);
      assert.match(again.recovery.problems[0] ?? '', new RegExp(`^${logName(ACC)}: torn tail`));
      await again.upsert([incoming('3', 3)]);
      const third = await reopen(again);
      assert.equal(third.count(), 3);
      assert.deepEqual(third.recovery.problems, []);
    });

    it('keeps a corrupt middle line and records of another account or conversation aside', async () => {
      const store = await openStore();
      await store.upsert([incoming('1', 1)]);
      await store.close();
      const stranger = incoming('9', 9, { accountId: 'someone-else' });
      await appendFile(logFile(), `garbage\n${JSON.stringify({ s: 5, m: stranger })}\n`);
      const again = await openStore();
      await again.upsert([incoming('2', 2)]);
      assert.equal(again.count(ACC), 2);
      assert.equal(again.count('someone-else'), 0);
      assert.equal(again.recovery.skipped, 2);
      assert.equal(again.recovery.corrupt, 2);
      assert.deepEqual(again.recovery.problems.map((p) => p.replace(/ \(.*\)$/, '')), [
        `${logName(ACC)}: 1 damaged line(s) kept aside in ${conversationLogName(CONV)}.corrupt`,
        `${logName(ACC)}: 1 record(s) of another conversation kept aside in ${conversationLogName(CONV)}.corrupt`,
      ]);
      assert.equal(await readFile(`${logFile()}.corrupt`, 'utf8'), `garbage\n${JSON.stringify({ s: 5, m: stranger })}\n`);
      assert.equal((await logLines()).length, 2, 'neither is in the log any more');
      assert.deepEqual((await reopen(again)).recovery.problems, []);
    });

    it('removeAccount deletes the log and forgets the messages', async () => {
      const store = await openStore();
      const keep = incoming('k', 1, { accountId: 'acc-2' });
      await store.upsert([incoming('1', 1), incoming('2', 2, { conversationId: 'order-2' }), keep]);
      await store.removeAccount(ACC);
      assert.equal(fs.existsSync(logFile()), false);
      assert.equal(store.count(ACC), 0);
      assert.deepEqual(store.conversationIds(ACC), []);
      assert.equal(store.get(incoming('1', 1).key), undefined);
      assert.equal(store.findByVenueMessageId(ACC, CONV, '1'), undefined);
      assert.deepEqual(store.page(ACC, CONV, { limit: 5 }), { messages: [] });
      assert.deepEqual(store.get(keep.key), keep);
      // The account can come back, starting empty.
      await store.upsert([incoming('3', 3)]);
      const again = await reopen(store);
      assert.equal(again.count(ACC), 1);
      assert.equal(again.count('acc-2'), 1);
    });

    it('close waits for queued upserts; later calls reject', async () => {
      const store = await openStore();
      const pending = store.upsert([incoming('1', 1)]);
      await store.close();
      await pending;
      await assert.rejects(store.upsert([incoming('2', 2)]), /closed/);
      const again = await openStore();
      assert.equal(again.count(), 1);
    });
  });

  describe('compaction', () => {
    const options: MessageStoreOptions = { compactMinSuperseded: 1 };

    it('rewrites a log holding superseded records down to exactly the live ones', async () => {
      const store = await openStore(options);
      const pending = outgoing('c1', 10, { status: 'sending' });
      const echo = incoming('v1', 11, { direction: 'out' });
      await store.upsert([incoming('a', 1), incoming('b', 2), pending, echo]);
      for (let i = 0; i < 10; i++) await store.upsert([incoming('a', 1, { text: `edit ${i}`, edited: true })]);
      await store.upsert([{ ...pending, venueMessageId: 'v1', status: 'sent' }]); // merges the echo
      const firstPage = store.page(ACC, CONV, { limit: 2 });
      assert.equal((await logLines()).length, 4 + 10 + 2);
      assert.equal(await store.compactIfNeeded(), 1);

      const lines = await logLines();
      assert.deepEqual(lines, [
        { s: 0, m: { ...incoming('a', 1), text: 'edit 9', edited: true }, w: NO_WATERMARK },
        { s: 1, m: incoming('b', 2), w: 1 },
        { s: 2, m: { ...pending, venueMessageId: 'v1', status: 'sent' }, w: 2 },
        { alias: echo.key, to: pending.key, v: 'v1' },
      ]);
      assert.equal(await store.compactIfNeeded(), 0, 'nothing left to compact');

      const again = await reopen(store, options);
      assert.equal(again.count(), 3);
      assert.equal(again.get(incoming('a', 1).key)?.text, 'edit 9');
      assert.equal(again.get(echo.key)?.key, pending.key);
      assert.deepEqual(again.page(ACC, CONV, { limit: 2 }), firstPage);
      assert.deepEqual(again.recovery.problems, []);
    });

    it('leaves small or mostly live logs alone', async () => {
      const store = await openStore({ compactMinSuperseded: 5 });
      await store.upsert([incoming('a', 1)]);
      for (let i = 0; i < 3; i++) await store.upsert([incoming('a', 1, { text: `edit ${i}`, edited: true })]);
      assert.equal(await store.compactIfNeeded(), 0, 'only 3 superseded lines');
      await store.upsert([incoming('b', 2), incoming('c', 3), incoming('d', 4), incoming('e', 5)]);
      for (let i = 0; i < 2; i++) await store.upsert([incoming('b', 2, { text: `edit ${i}`, edited: true })]);
      assert.equal((await logLines()).length, 10);
      assert.equal(await store.compactIfNeeded(), 0, '10 lines for 5 live ones is not more than 2x');
      await store.upsert([incoming('c', 3, { text: 'edit', edited: true })]);
      assert.equal(await store.compactIfNeeded(), 1);
      assert.equal((await logLines()).length, 5);
    });

    it('keeps upserts made while the compaction is running', async () => {
      const store = await openStore(options);
      await store.upsert(Array.from({ length: 50 }, (_, i) => incoming(`m${i}`, i)));
      await store.upsert(Array.from({ length: 50 }, (_, i) => incoming(`m${i}`, i, { text: 'edited', edited: true })));
      await store.upsert(Array.from({ length: 50 }, (_, i) => incoming(`m${i}`, i, { text: 'edited again', edited: true })));
      // Hold the compaction before it writes its snapshot until an upsert has gone through.
      let during: Promise<ChatMessage[]> | undefined;
      restores.push(
        patch(fs.promises, 'open', (original) =>
          async function (...args: Parameters<typeof fs.promises.open>) {
            if (String(args[0]).endsWith('.tmp') && !during) {
              during = store.upsert([incoming('late', 100), incoming('m0', 0, { text: 'edited twice', edited: true })]);
              await during;
            }
            return original(...args);
          },
        ),
      );
      assert.equal(await store.compactIfNeeded(), 1);
      assert.ok(during, 'an upsert ran during the compaction');
      assert.equal((await logLines()).length, 50 + 2);
      const again = await reopen(store, options);
      assert.equal(again.count(), 51);
      assert.equal(again.get(incoming('m0', 0).key)?.text, 'edited twice');
      assert.equal(again.latest(ACC, CONV)?.venueMessageId, 'late');
    });
  });
});
