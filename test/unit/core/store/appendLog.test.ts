import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppendLog } from '../../../../src/extension/core/store/appendLog';
import type { AppendLogOptions } from '../../../../src/extension/core/store/appendLog';
import { silentLogger } from '../../../../src/extension/core/logger';

interface Rec {
  readonly n: number;
}

const parse = (value: unknown): Rec | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const n = (value as { n?: unknown }).n;
  return typeof n === 'number' && n >= 0 ? { n } : undefined;
};

const options: AppendLogOptions<Rec> = { parse, logger: silentLogger };
const recs = (...ns: number[]): Rec[] => ns.map((n) => ({ n }));
const lines = (...ns: number[]): string => ns.map((n) => `{"n":${n}}\n`).join('');

/** Replaces a method on an object (a prototype or a module) until the returned function is called. */
function patch<O extends object, K extends keyof O>(target: O, name: K, make: (original: O[K]) => O[K]): () => void {
  const original = target[name];
  assert.ok(Reflect.set(target, name, make(original)), `could not patch ${String(name)}`);
  return () => {
    Reflect.set(target, name, original);
  };
}

async function fileHandlePrototype(file: string): Promise<FileHandle> {
  const handle = await open(file, 'a');
  const proto = Object.getPrototypeOf(handle) as FileHandle;
  await handle.close();
  return proto;
}

describe('AppendLog', () => {
  let dir: string;
  let file: string;
  const restores: (() => void)[] = [];
  const logs: AppendLog<Rec>[] = [];

  async function openLog(path = file) {
    const opened = await AppendLog.open(path, options);
    logs.push(opened.log);
    return opened;
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'venue-chat-appendlog-'));
    file = join(dir, 'log.jsonl');
  });

  afterEach(async () => {
    for (const restore of restores.splice(0).reverse()) restore();
    await Promise.all(logs.splice(0).map((log) => log.close().catch(() => undefined)));
    await rm(dir, { recursive: true, force: true });
  });

  it('creates missing directories and an empty file', async () => {
    const nested = join(dir, 'a', 'b', 'log.jsonl');
    const { records, recovery, log } = await openLog(nested);
    assert.deepEqual(records, []);
    assert.deepEqual(recovery, { records: 0, skipped: 0, corrupt: 0, tornTail: false, problems: [] });
    assert.equal((await stat(nested)).size, 0);
    assert.equal(log.sizeBytes, 0);
    assert.equal(log.recordCount, 0);
  });

  it('an append that resolved is seen by a fresh open', async () => {
    const { log } = await openLog();
    await log.append(recs(1, 2));
    await log.append(recs(3));
    // A second, independent open of the same file: what a restart after a crash would read.
    const fresh = await openLog();
    assert.deepEqual(fresh.records, recs(1, 2, 3));
    assert.equal(fresh.recovery.skipped, 0);
    assert.equal(log.recordCount, 3);
    assert.equal(log.sizeBytes, (await stat(file)).size);
    assert.equal(await readFile(file, 'utf8'), lines(1, 2, 3));
  });

  it('resolves an append only after fdatasync completed', async () => {
    const { log } = await openLog();
    const events: string[] = [];
    const proto = await fileHandlePrototype(file);
    restores.push(
      patch(proto, 'datasync', (original) =>
        async function (this: FileHandle) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          await original.call(this);
          events.push('datasync');
        },
      ),
    );
    await log.append(recs(1)).then(() => events.push('resolved'));
    assert.deepEqual(events, ['datasync', 'resolved']);
  });

  it('cuts a torn last line, reports it, and appends cleanly afterwards', async () => {
    await writeFile(file, `${lines(1, 2)}{"n":`);
    const { log, records, recovery } = await openLog();
    assert.deepEqual(records, recs(1, 2));
    assert.equal(recovery.tornTail, true);
    assert.equal(recovery.skipped, 1);
    assert.equal(recovery.problems.length, 1);
    assert.match(recovery.problems[0] ?? '', /torn tail \(line 3/);
    assert.equal(await readFile(file, 'utf8'), lines(1, 2), 'the torn bytes are truncated away');
    await log.append(recs(3));
    const again = await openLog();
    assert.deepEqual(again.records, recs(1, 2, 3));
    assert.deepEqual(again.recovery, { records: 3, skipped: 0, corrupt: 0, tornTail: false, problems: [] });
    assert.equal(fs.existsSync(`${file}.corrupt`), false, 'a torn write is not damage');
  });

  it('keeps a complete unreadable line at the end aside and cuts only the unterminated one', async () => {
    // After power loss a file can hold zero bytes where data never reached the disk: a complete
    // line of them is damage (kept), the unterminated last line an unfinished write (cut).
    await writeFile(file, `${lines(1)}\0\0\0\0\n{"n":9`);
    const { records, recovery } = await openLog();
    assert.deepEqual(records, recs(1));
    assert.equal(recovery.tornTail, true);
    assert.equal(recovery.corrupt, 1);
    assert.equal(recovery.skipped, 2);
    assert.equal(await readFile(file, 'utf8'), lines(1));
    assert.equal(await readFile(`${file}.corrupt`, 'utf8'), '\0\0\0\0\n', 'the damaged line is kept byte for byte; the torn write is not');
  });

  it('never cuts complete unreadable lines at the end: they move to the .corrupt file and are reported', async () => {
    await writeFile(file, `${lines(1, 2)}secret words{\n{"n":"x"}\n`);
    const { log, records, recovery } = await openLog();
    assert.deepEqual(records, recs(1, 2));
    assert.equal(recovery.tornTail, false, 'newline-terminated lines are not an unfinished write');
    assert.equal(recovery.corrupt, 2);
    assert.equal(recovery.skipped, 2);
    assert.deepEqual(recovery.problems, ['2 damaged line(s) kept aside in log.jsonl.corrupt (line 3 not JSON, 4 not a record)']);
    assert.equal(await readFile(`${file}.corrupt`, 'utf8'), 'secret words{\n{"n":"x"}\n');
    assert.equal(await readFile(file, 'utf8'), lines(1, 2));
    assert.equal(log.sizeBytes, (await stat(file)).size);
    await log.append(recs(3));
    const again = await openLog();
    assert.deepEqual(again.records, recs(1, 2, 3));
    assert.deepEqual(again.recovery.problems, [], 'damage is reported once, when it is kept aside');
  });

  it('moves corrupt middle lines aside too, so no later compaction can drop them', async () => {
    await writeFile(file, `${lines(1)}xx{garbage\n${lines(3)}[1,2]\n${lines(4)}`);
    const { log, records, recovery } = await openLog();
    assert.deepEqual(records, recs(1, 3, 4));
    assert.equal(recovery.tornTail, false);
    assert.equal(recovery.corrupt, 2);
    assert.deepEqual(recovery.problems, ['2 damaged line(s) kept aside in log.jsonl.corrupt (line 2 not JSON, 4 not a record)']);
    assert.equal(await readFile(file, 'utf8'), lines(1, 3, 4));
    assert.equal(log.recordCount, 3);
    await log.rewrite(recs(4));
    assert.equal(await readFile(`${file}.corrupt`, 'utf8'), 'xx{garbage\n[1,2]\n');
  });

  it('appends later damage to the .corrupt file instead of replacing what it holds', async () => {
    await writeFile(file, `${lines(1)}first\n`);
    await (await openLog()).log.close();
    await writeFile(file, `${lines(1)}second\n${lines(2)}`);
    const { records } = await openLog();
    assert.deepEqual(records, recs(1, 2));
    assert.equal(await readFile(`${file}.corrupt`, 'utf8'), 'first\nsecond\n');
  });

  it('leaves the log untouched and fails the open when the damage cannot be kept aside', async () => {
    const content = `${lines(1)}garbage\n`;
    await writeFile(file, content);
    fs.mkdirSync(`${file}.corrupt`);
    await assert.rejects(AppendLog.open(file, options), /EISDIR/);
    assert.equal(await readFile(file, 'utf8'), content, 'nothing is cut before it is safe elsewhere');
  });

  it('a crash between keeping damage aside and rewriting the log loses nothing', async () => {
    await writeFile(file, `${lines(1)}garbage\n${lines(2)}`);
    restores.push(
      patch(fs.promises, 'rename', () => async () => {
        throw Object.assign(new Error('EIO: simulated crash before the rename'), { code: 'EIO' });
      }),
    );
    await assert.rejects(AppendLog.open(file, options), /EIO/);
    restores.pop()?.();
    assert.equal(await readFile(file, 'utf8'), `${lines(1)}garbage\n${lines(2)}`);
    const { records, recovery } = await openLog();
    assert.deepEqual(records, recs(1, 2));
    assert.equal(recovery.corrupt, 1);
    assert.equal(await readFile(`${file}.corrupt`, 'utf8'), 'garbage\ngarbage\n', 'kept aside twice, never lost');
    assert.equal(await readFile(file, 'utf8'), lines(1, 2));
  });

  it('opens the log through an injected openFile and syncs once per append', async () => {
    let datasyncs = 0;
    const counting = async (path: string, flags: 'a+'): Promise<FileHandle> => {
      const handle = await open(path, flags);
      return new Proxy(handle, {
        get(target, prop) {
          if (prop === 'datasync') {
            return () => {
              datasyncs++;
              return target.datasync();
            };
          }
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    };
    const opened = await AppendLog.open(file, { ...options, openFile: counting });
    logs.push(opened.log);
    await opened.log.append(recs(...Array.from({ length: 100 }, (_, i) => i)));
    assert.equal(datasyncs, 1, 'one fdatasync for a 100-record append');
    await opened.log.append(recs(100));
    assert.equal(datasyncs, 2);
  });

  it('serialises concurrent appends in call order', async () => {
    const { log } = await openLog();
    const proto = await fileHandlePrototype(file);
    // Random delays before each write would reorder the writes if they were not queued.
    restores.push(
      patch(proto, 'write', (original) =>
        async function (this: FileHandle, ...args: unknown[]) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
          return Reflect.apply(original, this, args) as ReturnType<FileHandle['write']>;
        } as FileHandle['write'],
      ),
    );
    const resolved: number[] = [];
    await Promise.all(Array.from({ length: 40 }, (_, i) => log.append(recs(2 * i, 2 * i + 1)).then(() => resolved.push(i))));
    assert.deepEqual(resolved, Array.from({ length: 40 }, (_, i) => i));
    const { records } = await openLog();
    assert.deepEqual(records, recs(...Array.from({ length: 80 }, (_, i) => i)));
  });

  it('a failed write rejects that append only and leaves no partial line behind', async () => {
    const { log } = await openLog();
    await log.append(recs(1));
    const proto = await fileHandlePrototype(file);
    let failures = 1;
    restores.push(
      patch(proto, 'write', (original) =>
        async function (this: FileHandle, ...args: unknown[]) {
          if (failures-- > 0) {
            // Half the bytes reach the file, then the disk is full.
            const [data] = args as [Buffer];
            await Reflect.apply(original, this, [data, 0, Math.floor(data.length / 2), null]);
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          }
          return Reflect.apply(original, this, args) as ReturnType<FileHandle['write']>;
        } as FileHandle['write'],
      ),
    );
    await assert.rejects(log.append(recs(2)), /ENOSPC/);
    assert.equal(await readFile(file, 'utf8'), lines(1), 'the partial line is cut at once, not only by the next append');
    await log.append(recs(3));
    assert.equal(await readFile(file, 'utf8'), lines(1, 3));
    assert.equal(log.sizeBytes, (await stat(file)).size);
    assert.equal(log.recordCount, 2);
    const again = await openLog();
    assert.deepEqual(again.records, recs(1, 3));
    assert.equal(again.recovery.skipped, 0);
  });

  it('rejects records that cannot be serialised without writing anything', async () => {
    const { log } = await openLog();
    const cyclic: { n: number; self?: unknown } = { n: 1 };
    cyclic.self = cyclic;
    await assert.rejects(log.append([{ n: 0 }, cyclic]), TypeError);
    await log.append(recs(2));
    assert.equal(await readFile(file, 'utf8'), lines(2));
  });

  it('rewrite replaces the content and carries over appends that complete meanwhile', async () => {
    const { log } = await openLog();
    await log.append(recs(...Array.from({ length: 100 }, (_, i) => i)));
    // Hold the rewrite before it writes its snapshot until an append has gone through, so the
    // append lands in the old file while the rewrite is in progress.
    let appended: Promise<void> | undefined;
    restores.push(
      patch(fs.promises, 'open', (original) =>
        async function (...args: Parameters<typeof fs.promises.open>) {
          if (String(args[0]).endsWith('.tmp')) {
            appended = log.append(recs(2000));
            await appended;
          }
          return original(...args);
        },
      ),
    );
    await log.rewrite(recs(1000, 1001));
    assert.ok(appended, 'the append ran during the rewrite');
    assert.equal(await readFile(file, 'utf8'), lines(1000, 1001, 2000));
    assert.equal(log.recordCount, 3);
    assert.equal(log.sizeBytes, (await stat(file)).size);
    assert.equal(fs.existsSync(`${file}.tmp`), false);
    await log.append(recs(3000));
    assert.deepEqual((await openLog()).records, recs(1000, 1001, 2000, 3000));
  });

  it('an append queued after rewrite() goes after the new content', async () => {
    const { log } = await openLog();
    await log.append(recs(1, 2, 3));
    const rewrite = log.rewrite(recs(7));
    const append = log.append(recs(8));
    await Promise.all([rewrite, append]);
    assert.equal(await readFile(file, 'utf8'), lines(7, 8));
  });

  it('ignores and removes a .tmp left by a crash during a rewrite', async () => {
    await writeFile(file, lines(1, 2));
    await writeFile(`${file}.tmp`, `${lines(9)}{"n":`);
    const { records, recovery } = await openLog();
    assert.deepEqual(records, recs(1, 2));
    assert.equal(recovery.problems.length, 1);
    assert.match(recovery.problems[0] ?? '', /unfinished compaction/);
    assert.equal(fs.existsSync(`${file}.tmp`), false);
  });

  it('restores the log from its .tmp if the log itself is missing', async () => {
    await writeFile(`${file}.tmp`, lines(5, 6));
    const { records, recovery } = await openLog();
    assert.deepEqual(records, recs(5, 6));
    assert.match(recovery.problems[0] ?? '', /restored/);
    assert.equal(fs.existsSync(`${file}.tmp`), false);
  });

  it('a rewrite that fails before the rename leaves the old file and a usable log', async () => {
    const { log } = await openLog();
    await log.append(recs(1, 2));
    restores.push(
      patch(fs.promises, 'rename', () => async () => {
        throw Object.assign(new Error('EIO: simulated'), { code: 'EIO' });
      }),
    );
    await assert.rejects(log.rewrite(recs(9)), /EIO/);
    restores.pop()?.();
    assert.equal(await readFile(file, 'utf8'), lines(1, 2));
    assert.equal(fs.existsSync(`${file}.tmp`), false);
    assert.equal(log.recordCount, 2);
    await log.append(recs(3));
    assert.deepEqual((await openLog()).records, recs(1, 2, 3));
  });

  it('close waits for pending appends; later calls reject', async () => {
    const { log } = await openLog();
    const pending = log.append(recs(1));
    await log.close();
    await pending;
    await assert.rejects(log.append(recs(2)), /closed/);
    await assert.rejects(log.rewrite(recs(2)), /closed/);
    assert.equal(await readFile(file, 'utf8'), lines(1));
  });

  it('skips blank lines silently', async () => {
    await writeFile(file, `${lines(1)}\n\r\n${lines(2)}`);
    const { records, recovery } = await openLog();
    assert.deepEqual(records, recs(1, 2));
    assert.deepEqual(recovery.problems, []);
  });
});
