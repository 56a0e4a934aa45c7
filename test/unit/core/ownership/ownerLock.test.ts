import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OwnerLock } from '../../../../src/extension/core/ownership/ownerLock';
import { until } from '../../helpers/until';

describe('owner lock (one window owns the inbox)', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lock-'));
    file = join(dir, 'owner.lock');
  });
  afterEach(async () => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 }));

  it('takes a free lock and writes its pid', async () => {
    const lock = await OwnerLock.tryAcquire(file);
    assert.ok(lock);
    assert.equal((JSON.parse(await readFile(file, 'utf8')) as { pid: number }).pid, process.pid);
    lock.dispose();
  });

  it('stands back while another live window holds a fresh lock', async () => {
    await writeFile(file, JSON.stringify({ pid: 424242, token: 'other', heartbeat: Date.now() }));
    assert.equal(await OwnerLock.tryAcquire(file, { isAlive: () => true }), undefined);
  });

  it('takes over when the owner process is gone (crash)', async () => {
    await writeFile(file, JSON.stringify({ pid: 424242, token: 'other', heartbeat: Date.now() }));
    const lock = await OwnerLock.tryAcquire(file, { isAlive: () => false });
    assert.ok(lock);
    lock.dispose();
  });

  it('takes over when the owner stopped its heartbeat (hung or its pid was reused)', async () => {
    await writeFile(file, JSON.stringify({ pid: 424242, token: 'other', heartbeat: Date.now() - 60_000 }));
    const lock = await OwnerLock.tryAcquire(file, { isAlive: () => true, staleMs: 20_000 });
    assert.ok(lock);
    lock.dispose();
  });

  it('treats an unreadable lock file as stale', async () => {
    await writeFile(file, '{garbage');
    const lock = await OwnerLock.tryAcquire(file);
    assert.ok(lock);
    lock.dispose();
  });

  it('refreshes its heartbeat and releases on dispose', async () => {
    const lock = await OwnerLock.tryAcquire(file, { heartbeatMs: 20 });
    assert.ok(lock);
    const first = (JSON.parse(await readFile(file, 'utf8')) as { heartbeat: number }).heartbeat;
    await new Promise((r) => setTimeout(r, 80));
    const later = (JSON.parse(await readFile(file, 'utf8')) as { heartbeat: number }).heartbeat;
    assert.ok(later > first, 'heartbeat advanced');
    lock.dispose();
    await new Promise((r) => setTimeout(r, 50));
    await assert.rejects(readFile(file, 'utf8'), /ENOENT/);
  });
});

describe('owner lock hand-over', () => {
  it('a take-over makes the old owner notice on its next heartbeat and stand down', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const file = join(dir, 'owner.lock');
    try {
      const old = await OwnerLock.tryAcquire(file, { heartbeatMs: 20 });
      assert.ok(old);
      let lost = false;
      old.onLost(() => (lost = true));
      const taker = await OwnerLock.takeOver(file, { heartbeatMs: 20 });
      // On its next heartbeat (20 ms; a loaded machine may take longer to get there).
      await until(() => lost, 5000, 'the old owner was told');
      const content = JSON.parse(await readFile(file, 'utf8')) as { token: string };
      old.dispose(); // must not remove the new owner's lock
      await new Promise((r) => setTimeout(r, 30));
      assert.equal((JSON.parse(await readFile(file, 'utf8')) as { token: string }).token, content.token);
      taker.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    }
  });
});

describe('owner lock robustness', () => {
  it('keeps the lock when the file is found garbled or missing (does not mistake it for a take-over)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const file = join(dir, 'owner.lock');
    try {
      const lock = await OwnerLock.tryAcquire(file, { heartbeatMs: 15 });
      assert.ok(lock);
      let lost = false;
      lock.onLost(() => (lost = true));
      await writeFile(file, '');
      await new Promise((r) => setTimeout(r, 60));
      await rm(file, { force: true });
      // The next heartbeat writes the lock again (waited for, not slept on: the machine may be loaded).
      const rewritten = (): boolean => {
        try {
          return readFileSync(file, 'utf8').includes(String(process.pid));
        } catch {
          return false;
        }
      };
      await until(rewritten, 5000, 'the lock rewritten');
      assert.equal(lost, false);
      const content = JSON.parse(await readFile(file, 'utf8')) as { pid: number };
      assert.equal(content.pid, process.pid, 'the heartbeat rewrote the lock');
      lock.dispose();
      await new Promise((r) => setTimeout(r, 50)); // let an in-flight heartbeat finish before cleanup
    } finally {
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    }
  });
});
