import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { appendFile, chmod, mkdir, mkdtemp, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../../src/extension/core/logger';
import { silentLogger } from '../../../../src/extension/core/logger';
import { MessageStore, StoreWriteError } from '../../../../src/extension/core/store/messageStore';
import type { MessageStoreOptions } from '../../../../src/extension/core/store/messageStore';
import { ACC, CONV, incoming, logFileProbe, outgoing, logName } from './storeFixtures';
import { conversationLogName } from '../../../../src/extension/core/store/storeFileNames';

const OTHER = 'acc-2';

describe('MessageStore failures', () => {
  let dir: string;
  const stores: MessageStore[] = [];

  async function openStore(options: MessageStoreOptions = {}, logger: Logger = silentLogger): Promise<MessageStore> {
    const store = await MessageStore.open(dir, logger, options);
    stores.push(store);
    return store;
  }

  const logFile = (accountId = ACC): string => join(dir, 'messages', logName(accountId));
  const lineCount = async (accountId = ACC): Promise<number> => (await readFile(logFile(accountId), 'utf8')).split('\n').filter((l) => l !== '' && !l.startsWith('{"h":')).length;

  /** Asserts `promise` rejects with a StoreWriteError and returns it. */
  async function storeWriteError(promise: Promise<unknown>): Promise<StoreWriteError> {
    let caught: unknown;
    await promise.then(
      () => assert.fail('expected a StoreWriteError'),
      (err: unknown) => {
        caught = err;
      },
    );
    assert.ok(caught instanceof StoreWriteError, `expected a StoreWriteError, got ${String(caught)}`);
    return caught;
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'venue-chat-store-failures-'));
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
    await chmod(logFile(), 0o600).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  describe('damaged lines', () => {
    it('keeps complete unreadable lines at the end of a log aside, reports them without content, and never cuts them', async () => {
      const store = await openStore();
      await store.upsert([incoming('1', 1), incoming('2', 2)]);
      await store.close();
      // A record-shaped line whose message is invalid, then a line that is not JSON at all.
      const unreadable = `${JSON.stringify({ s: 9, m: { key: 'k', text: 'secret text' } })}\nnot json with secret\n`;
      await appendFile(logFile(), unreadable);

      const again = await openStore();
      const name = logName(ACC);
      assert.equal(again.recovery.problems.length, 0, 'opening the store reads no conversation');
      const repaired: string[] = [];
      again.onDidRepair((problems) => repaired.push(...problems));
      await again.load(ACC, CONV);
      assert.equal(again.count(), 2);
      assert.equal(again.recovery.corrupt, 2);
      assert.equal(again.recovery.tornTails, 0, 'complete lines are not an unfinished write');
      const problem = `${name}: 2 damaged line(s) kept aside in ${conversationLogName(CONV)}.corrupt (line 4 not a record, 5 not JSON)`;
      assert.deepEqual(again.recovery.problems, [problem]);
      assert.deepEqual(repaired, [problem], 'the host hears of a repair made after startup');
      assert.ok(again.recovery.problems.every((p) => !p.includes('secret')), 'problems never carry message content');
      assert.equal(await readFile(`${logFile()}.corrupt`, 'utf8'), unreadable, 'kept byte for byte');
      assert.equal(await lineCount(), 2);

      await again.upsert([incoming('3', 3)]);
      await again.close();
      const third = await openStore();
      assert.equal(third.count(), 3);
      assert.deepEqual(third.recovery.problems, []);
      assert.equal(await readFile(`${logFile()}.corrupt`, 'utf8'), unreadable);
    });

    it('removeAccount deletes the kept-aside damage with the log', async () => {
      const store = await openStore();
      await store.upsert([incoming('1', 1)]);
      await store.close();
      await appendFile(logFile(), 'garbage\n');
      const again = await openStore();
      await again.load(ACC, CONV);
      assert.equal(fs.existsSync(`${logFile()}.corrupt`), true);
      await again.removeAccount(ACC);
      assert.equal(fs.existsSync(`${logFile()}.corrupt`), false);
      assert.equal(fs.existsSync(logFile()), false);
    });
  });

  describe('a log that cannot be opened', () => {
    it('a directory in place of one log: the other conversations open and work, that one is reported and its upserts fail clearly', async () => {
      const store = await openStore();
      await store.upsert([incoming('1', 1), incoming('o1', 1, { accountId: OTHER })]);
      await store.close();
      // Keep the real log aside and put a directory where it was.
      await rename(logFile(), `${logFile()}.aside`);
      await mkdir(logFile());

      const errors: string[] = [];
      const again = await openStore({}, { ...silentLogger, error: (m: string | Error) => errors.push(String(m)) });
      const name = logName(ACC);
      assert.equal(again.count(OTHER), 1);
      await assert.rejects(again.load(ACC, CONV), /EISDIR/);
      assert.equal(again.count(ACC), 0);
      assert.equal(again.recovery.unavailable.length, 1);
      assert.deepEqual(again.recovery.unavailable[0] && { ...again.recovery.unavailable[0], reason: '' }, { file: name, accountId: ACC, conversationId: CONV, reason: '' });
      assert.deepEqual(again.recovery.problems, [`${name}: cannot be opened (EISDIR); its conversation is unavailable, the others work`]);
      assert.equal(errors.length, 1);
      assert.match(again.unavailableReason(ACC) ?? '', /EISDIR/);
      assert.equal(again.unavailableReason(OTHER), undefined);

      const err = await storeWriteError(again.upsert([incoming('2', 2)]));
      assert.equal(err.failure, 'log-unavailable');
      assert.equal(err.retryable, false, 'a directory does not go away by itself');
      assert.deepEqual(err.accountIds, [ACC]);
      assert.deepEqual(err.stored, []);
      assert.equal(again.recovery.problems.length, 1, 'the same failure is reported once');

      // The other account keeps working, alone or in a batch with the broken one.
      assert.deepEqual(await again.upsert([incoming('o2', 2, { accountId: OTHER })]), [incoming('o2', 2, { accountId: OTHER })]);
      const mixed = await storeWriteError(again.upsert([incoming('3', 3), incoming('o3', 3, { accountId: OTHER })]));
      assert.deepEqual(mixed.accountIds, [ACC]);
      assert.deepEqual(mixed.stored, [incoming('o3', 3, { accountId: OTHER })]);
      assert.equal(again.count(OTHER), 3);
      assert.equal(again.count(ACC), 0, 'memory holds nothing of the account that was not written');

      // Fixed by hand: the next upsert opens the log and loads what it held.
      await rmdir(logFile());
      await rename(`${logFile()}.aside`, logFile());
      assert.deepEqual(await again.upsert([incoming('2', 2)]), [incoming('2', 2)]);
      assert.equal(again.count(ACC), 2);
      assert.equal(again.unavailableReason(ACC), undefined);
      assert.deepEqual(again.recovery.unavailable, []);
    });

    it('a log without read permission is reported and the others run', async function () {
      // chmod does not stop root, so the case cannot be produced there (the directory case covers it).
      if (process.getuid?.() === 0 || process.platform === 'win32') this.skip();
      const store = await openStore();
      await store.upsert([incoming('1', 1), incoming('o1', 1, { accountId: OTHER })]);
      await store.close();
      await chmod(logFile(), 0o000);
      const again = await openStore();
      assert.equal(again.count(OTHER), 1);
      await assert.rejects(again.load(ACC, CONV));
      assert.match(again.unavailableReason(ACC) ?? '', /EACCES|EPERM/);
      const err = await storeWriteError(again.upsert([incoming('2', 2)]));
      assert.equal(err.failure, 'log-unavailable');
      assert.equal(err.retryable, false);
      await again.upsert([incoming('o2', 2, { accountId: OTHER })]);
      assert.equal(again.count(OTHER), 2);
    });

    it('a new account whose log cannot be created fails alone, with its account id reported', async () => {
      const store = await openStore();
      await store.upsert([incoming('o1', 1, { accountId: OTHER })]);
      await mkdir(logFile(), { recursive: true });
      const err = await storeWriteError(store.upsert([incoming('1', 1)]));
      assert.equal(err.failure, 'log-unavailable');
      assert.deepEqual(store.recovery.unavailable, [{ file: logName(ACC), accountId: ACC, conversationId: CONV, reason: store.unavailableReason(ACC) }]);
      assert.equal(store.get(incoming('1', 1).key), undefined);
      await store.upsert([incoming('o2', 2, { accountId: OTHER })]);
      assert.equal(store.count(OTHER), 2);
    });
  });

  describe('a write that fails', () => {
    it('rejects with a retryable StoreWriteError, leaves memory unchanged, and the same batch succeeds once space is back', async () => {
      const probe = logFileProbe();
      const store = await openStore({ openLogFile: probe.openLogFile });
      const pending = outgoing('c1', 10, { status: 'sending' });
      const echo = incoming('v1', 11, { direction: 'out', text: 'sent c1' });
      await store.upsert([incoming('a', 1), pending, echo]);
      const lines = await lineCount();

      // The send receipt links the echo to our record: a merge, plus a new message.
      const batch = [{ ...pending, status: 'sent' as const, venueMessageId: 'v1' }, incoming('b', 2)];
      probe.failWrites = 1;
      const err = await storeWriteError(store.upsert(batch));
      assert.equal(err.failure, 'write-failed');
      assert.equal(err.retryable, true, 'a full disk is worth retrying');
      assert.deepEqual(err.accountIds, [ACC]);
      assert.deepEqual(err.stored, []);
      assert.match(err.message, /ENOSPC/);
      assert.equal(store.count(), 3);
      assert.equal(store.get(incoming('b', 2).key), undefined, 'memory never shows what is not durable');
      assert.equal(store.get(pending.key)?.status, 'sending');
      assert.equal(store.get(echo.key)?.key, echo.key, 'the echo was not merged');
      assert.equal(await lineCount(), lines, 'the half-written line was cut');

      const changed = await store.upsert(batch);
      assert.deepEqual(changed.map((m) => [m.key, m.status]), [[pending.key, 'sent'], [incoming('b', 2).key, undefined]]);
      assert.equal(store.count(), 3);
      assert.equal(store.get(echo.key)?.key, pending.key);
      await store.close();
      const again = await openStore();
      assert.equal(again.count(), 3);
      assert.equal(again.get(echo.key)?.key, pending.key);
      assert.deepEqual(again.recovery.problems, []);
    });

    it('a failed write of one account rejects the call but stores and reports the other account\'s part', async () => {
      const probe = logFileProbe();
      const store = await openStore({ openLogFile: probe.openLogFile });
      await store.upsert([incoming('a', 1), incoming('o', 1, { accountId: OTHER })]);
      probe.failOnly = (name) => name === logName(ACC);
      probe.failWrites = 1;
      probe.failCode = 'EIO';
      const batch = [incoming('b', 2), incoming('p', 2, { accountId: OTHER })];
      const err = await storeWriteError(store.upsert(batch));
      assert.deepEqual(err.accountIds, [ACC]);
      assert.equal(err.retryable, true);
      assert.deepEqual(err.stored, [incoming('p', 2, { accountId: OTHER })]);
      assert.equal(store.get(incoming('b', 2).key), undefined);
      assert.deepEqual(store.get(incoming('p', 2, { accountId: OTHER }).key), incoming('p', 2, { accountId: OTHER }));
      assert.deepEqual(await store.upsert(batch), [incoming('b', 2)], 'the retry stores the rest; the stored part is a no-op');
      assert.equal(store.count(ACC, CONV), 2);
    });

    it('a permission error is not marked retryable', async () => {
      const probe = logFileProbe();
      const store = await openStore({ openLogFile: probe.openLogFile });
      await store.upsert([incoming('a', 1)]);
      probe.failWrites = 1;
      probe.failCode = 'EACCES';
      const err = await storeWriteError(store.upsert([incoming('b', 2)]));
      assert.equal(err.retryable, false);
      assert.deepEqual(await store.upsert([incoming('b', 2)]), [incoming('b', 2)]);
    });
  });
});
