// The store's per-conversation layout: nothing is read at open, a conversation is loaded when used
// and dropped again, the newest page comes from the end of a log, de-duplication stays exact across
// drops and restarts, and stores of the first layout (one log per account) are moved, resumably.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { appendFile, copyFile, mkdir, mkdtemp, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../../src/extension/core/logger';
import { MessageStore, type MessageStoreOptions } from '../../../../src/extension/core/store/messageStore';
import { readNewestPage } from '../../../../src/extension/core/store/newestPageReader';
import { LEGACY_CORRUPT_NAME } from '../../../../src/extension/core/store/legacyLogMigration';
import { accountDirName, conversationLogName, legacyAccountLogName } from '../../../../src/extension/core/store/storeFileNames';
import type { ChatMessage } from '../../../../src/shared/model';
import { ACC, CONV, incoming, outgoing } from './storeFixtures';

describe('message store: one log per conversation', () => {
  let dir: string;
  const stores: MessageStore[] = [];

  async function openStore(options: MessageStoreOptions = {}): Promise<MessageStore> {
    const store = await MessageStore.open(dir, silentLogger, options);
    stores.push(store);
    return store;
  }

  const messagesDir = (): string => join(dir, 'messages');
  const logFile = (accountId = ACC, conversationId = CONV): string => join(messagesDir(), accountDirName(accountId), conversationLogName(conversationId));

  /** Every page of a conversation, newest first, through `page` (the conversation loaded whole). */
  function allPages(store: MessageStore, conversationId: string, limit: number): { messages: ChatMessage[]; before?: string }[] {
    const pages = [];
    let before: string | undefined;
    do {
      const page = store.page(ACC, conversationId, { before, limit });
      pages.push(page);
      before = page.before;
    } while (before !== undefined);
    return pages;
  }

  /**
   * A long chat as a log really grows: messages in order, a pending send merged with its echo,
   * edits of recent messages, and older history backfilled late (appended after newer messages).
   */
  async function writeLongChat(store: MessageStore, count: number): Promise<void> {
    for (let i = 0; i < count; i += 250) {
      await store.upsert(Array.from({ length: Math.min(250, count - i) }, (_, j) => incoming(`m${i + j}`, 1_000_000 + (i + j) * 1000)));
    }
    const pending = outgoing('c1', 1_000_000 + count * 1000);
    await store.upsert([pending]);
    await store.upsert([incoming('echo', 1_000_000 + count * 1000 + 1, { direction: 'out', clientMessageId: 'c1', text: pending.text })]);
    await store.upsert([incoming(`m${count - 3}`, 1_000_000 + (count - 3) * 1000, { text: 'edited', edited: true })]);
    // Backfill: old messages, written last.
    await store.upsert(Array.from({ length: 40 }, (_, j) => incoming(`old${j}`, 500_000 + j)));
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'venue-chat-conversation-logs-'));
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
    await rm(dir, { recursive: true, force: true });
  });

  describe('reading only what is used', () => {
    it('opening the store opens no log and holds no message', async () => {
      const store = await openStore();
      await store.upsert([incoming('1', 1), incoming('2', 2, { conversationId: 'order-2' }), incoming('3', 3, { accountId: 'acc-2' })]);
      await store.close();
      const opened: string[] = [];
      const again = await openStore({ openLogFile: (file, flags) => (opened.push(file), open(file, flags)) });
      assert.deepEqual(opened, []);
      assert.equal(again.recovery.messages, 0);
      await again.upsert([incoming('4', 4)]);
      assert.deepEqual(opened, [logFile()], 'a write opens only its own conversation');
      assert.equal(again.recovery.messages, 2);
    });

    it('reads the newest page from the end of a long log: the same page, cursor and older pages a full load gives', async () => {
      const store = await openStore();
      await writeLongChat(store, 3000);
      const reference = allPages(store, CONV, 50);
      await store.close();

      const fresh = await openStore();
      const newest = await fresh.readPage(ACC, CONV, { limit: 50 });
      assert.deepEqual(newest, reference[0]);
      assert.equal(newest.messages.at(-1)?.key, outgoing('c1', 0).key, 'the merged send is the newest, once');
      assert.equal(newest.messages.find((m) => m.venueMessageId === 'm2997')?.text, 'edited', 'the latest version of an edited message');
      // Older pages continue from its cursor, through the conversation loaded meanwhile.
      let before = newest.before;
      for (const expected of reference.slice(1)) {
        const page = await fresh.readPage(ACC, CONV, { before, limit: 50 });
        assert.deepEqual(page, expected);
        before = page.before;
      }
      assert.equal(before, undefined);
    });

    it('finds the newest page within the last part of the file: the rest is never read', async () => {
      const store = await openStore();
      await writeLongChat(store, 3000);
      await store.close();
      const size = (await readFile(logFile())).length;
      const page = await readNewestPage(logFile(), ACC, CONV, 50, 64 * 1024);
      assert.ok(size > 8 * 64 * 1024, `the log (${size} bytes) is much longer than what is read`);
      assert.ok(page, 'decided within 64 KB');
      assert.equal(page.entries.length, 50);
      assert.equal(page.more, true);
      assert.equal(await readNewestPage(join(dir, 'nothing.jsonl'), ACC, CONV, 50, 1024).then((p) => p?.entries.length), 0, 'no log: an empty chat');
    });

    it('a log whose newest lines are old backfill is read further, and a torn tail is never read', async () => {
      const store = await openStore();
      await store.upsert(Array.from({ length: 100 }, (_, i) => incoming(`m${i}`, 10_000 + i)));
      await store.upsert(Array.from({ length: 500 }, (_, i) => incoming(`old${i}`, i)));
      const reference = store.page(ACC, CONV, { limit: 20 });
      await store.close();
      await appendFile(logFile(), '{"s":999,"m":{"key":"torn');
      const page = await readNewestPage(logFile(), ACC, CONV, 20, 1 << 20);
      assert.deepEqual(page?.entries.map((e) => e.msg), reference.messages);
      assert.equal(await readNewestPage(logFile(), ACC, CONV, 20, 1024), undefined, 'not decidable within 1 KB: the caller loads the log');
    });
  });

  describe('memory follows the conversations in use', () => {
    it('drops least recently used conversations over the budget, and de-duplicates exactly when they come back', async () => {
      const store = await openStore({ maxResidentConversations: 2 });
      for (let c = 0; c < 6; c++) await store.upsert([outgoing('c1', 1, { conversationId: `order-${c}` }), incoming('v1', 2, { conversationId: `order-${c}` })]);
      assert.ok(store.recovery.messages <= 2 * 2, `at most two conversations in memory (${store.recovery.messages} messages)`);
      // order-0 was dropped: its echo (our client id, a new venue id) still merges into the pending record.
      const merged = await store.upsert([incoming('v9', 3, { conversationId: 'order-0', direction: 'out', clientMessageId: 'c1', text: 'sent c1' })]);
      assert.equal(merged.length, 1);
      assert.equal(merged[0]?.key, outgoing('c1', 1, { conversationId: 'order-0' }).key);
      assert.equal(store.count(ACC, 'order-0'), 2);
      // A redelivery of a message stored before the drop is a no-op.
      assert.deepEqual(await store.upsert([incoming('v1', 2, { conversationId: 'order-1' })]), []);
      const again = await MessageStore.open(dir, silentLogger);
      stores.push(again);
      await store.close();
      assert.deepEqual(await again.upsert([incoming('v9', 3, { conversationId: 'order-0', direction: 'out', clientMessageId: 'c1', text: 'sent c1' })]), [], 'exact across a restart too');
      assert.equal(again.count(ACC), 6 * 2);
    });

    it('keeps the message budget: writing many conversations never holds them all', async () => {
      const store = await openStore({ maxResidentMessages: 100 });
      for (let c = 0; c < 20; c++) {
        await store.upsert(Array.from({ length: 40 }, (_, i) => incoming(`m${i}`, i, { conversationId: `order-${c}` })));
        assert.ok(store.recovery.messages <= 100 + 40, `${store.recovery.messages} messages in memory after ${c + 1} conversations`);
      }
      assert.equal(store.count(ACC), 20 * 40);
    });

    it('finds a message by key in a conversation that is not loaded, even with ":" in the ids', async () => {
      const store = await openStore();
      const m = incoming('id:with:colons', 5, { accountId: 'acc:x', conversationId: 'conv:y' });
      await store.upsert([m]);
      await store.close();
      const again = await openStore();
      assert.deepEqual(again.get(m.key), m);
      assert.equal(again.get('mexc:acc:x:conv:y:nothing'), undefined);
      assert.deepEqual(again.getIn('acc:x', 'conv:y', m.key), m);
      assert.equal(again.getIn('acc:x', 'other', m.key), undefined);
    });
  });

  describe('moving a store of the first layout', () => {
    /** Writes a log of the first layout: one file per account, records of all its conversations. */
    async function writeLegacyLog(lines: readonly string[]): Promise<string> {
      await mkdir(messagesDir(), { recursive: true });
      const file = join(messagesDir(), legacyAccountLogName(ACC));
      await writeFile(file, lines.join(''));
      return file;
    }

    const pending = outgoing('c1', 10, { status: 'sent' });
    const echo = incoming('v1', 11, { direction: 'out', clientMessageId: 'c1' });
    const legacyLines = [
      `${JSON.stringify({ s: 0, m: incoming('a', 1) })}\n`,
      `${JSON.stringify({ s: 1, m: incoming('b', 2, { conversationId: 'order-2' }) })}\n`,
      `${JSON.stringify({ s: 2, m: pending })}\n`,
      `${JSON.stringify({ s: 3, m: echo })}\n`,
      'not json\n',
      `${JSON.stringify({ s: 4, m: { ...incoming('a', 1), text: 'edited', edited: true } })}\n`,
      `${JSON.stringify({ s: 2, m: { ...pending, venueMessageId: 'v1' } })}\n`,
      `${JSON.stringify({ alias: echo.key, to: pending.key, v: 'v1', c: 'c1' })}\n`,
    ];

    function assertMoved(store: MessageStore): void {
      assert.equal(store.count(ACC, CONV), 2);
      assert.equal(store.count(ACC, 'order-2'), 1);
      assert.equal(store.get(incoming('a', 1).key)?.text, 'edited');
      assert.equal(store.get(echo.key)?.key, pending.key, 'the merge still leads to the survivor');
      assert.equal(store.findByVenueMessageId(ACC, CONV, 'v1')?.key, pending.key);
      assert.deepEqual(store.conversationIds(ACC).sort(), [CONV, 'order-2']);
    }

    it('moves every record to its conversation, keeps damage aside, and removes the old log', async () => {
      const legacy = await writeLegacyLog([...legacyLines, '{"s":9,"m":{"key":"torn']);
      const store = await openStore();
      assertMoved(store);
      assert.equal(existsSync(legacy), false, 'the old log is gone');
      assert.deepEqual((await readdir(messagesDir())).sort(), [accountDirName(ACC)]);
      assert.equal(await readFile(join(messagesDir(), accountDirName(ACC), LEGACY_CORRUPT_NAME), 'utf8'), 'not json\n', 'the damaged line kept aside, byte for byte');
      assert.equal(store.recovery.tornTails, 1);
      assert.equal(store.recovery.corrupt, 1);
      assert.equal(store.recovery.problems.length, 2);
      const lines = (await readFile(logFile(), 'utf8')).trim().split('\n').map((l): unknown => JSON.parse(l));
      assert.deepEqual(lines[0], { h: 2, a: ACC, c: CONV }, 'the new log names its conversation');
      await store.close();
      const again = await openStore();
      assertMoved(again);
      assert.deepEqual(again.recovery.problems, [], 'moved once');
    });

    it('an interrupted move before its commit is redone from the old log', async () => {
      const legacy = await writeLegacyLog(legacyLines);
      // What a crash mid-way leaves: a half-written staging directory beside the intact old log.
      const staging = join(messagesDir(), `${accountDirName(ACC)}.migrating`);
      await mkdir(staging);
      await writeFile(join(staging, conversationLogName(CONV)), `${JSON.stringify({ h: 2, a: ACC, c: CONV })}\n{"s":0,"m":`);
      const store = await openStore();
      assertMoved(store);
      assert.equal(existsSync(staging), false);
      assert.equal(existsSync(legacy), false);
    });

    it('an interrupted move after its commit only removes the old log', async () => {
      const legacy = await writeLegacyLog(legacyLines);
      await copyFile(legacy, `${legacy}.copy`);
      const store = await openStore();
      await store.close();
      // The crash came after the rename, before the old log was removed: the old log is back.
      await rename(`${legacy}.copy`, legacy);
      const again = await openStore();
      assertMoved(again);
      assert.equal(existsSync(legacy), false);
      assert.deepEqual(again.recovery.problems, []);
      assert.equal(again.count(ACC, CONV), 2, 'nothing doubled');
    });

    it('an old log whose move fails stays as it is and is moved at the next start', async () => {
      const legacy = await writeLegacyLog(legacyLines);
      // A file where the account's directory must go makes the commit (the rename) fail.
      const blocker = join(messagesDir(), accountDirName(ACC));
      await writeFile(blocker, 'in the way');
      const store = await openStore();
      assert.match(store.recovery.problems.join('\n'), /could not move to the per-conversation layout yet/);
      assert.equal(existsSync(legacy), true, 'the old log is untouched');
      await store.close();
      await rm(blocker);
      const again = await openStore();
      assertMoved(again);
    });
  });
});
