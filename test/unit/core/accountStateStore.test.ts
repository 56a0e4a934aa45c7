import assert from 'node:assert/strict';
import { ACCOUNT_STATE_MAX_BYTES, PersistedAccountState, accountStateKey, type StateBackend } from '../../../src/extension/core/accounts/accountStateStore';
import { Redactor } from '../../../src/extension/core/redact';

/** A Memento stand-in: what was written is what the next window reads. */
class MemoryBackend implements StateBackend {
  readonly data = new Map<string, unknown>();
  writes = 0;
  get(key: string): unknown {
    return this.data.get(key);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.writes++;
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

describe('per-account state store', () => {
  it('persists values per account: a new store (a reload) reads them back', async () => {
    const backend = new MemoryBackend();
    const redactor = new Redactor();
    const a = new PersistedAccountState(backend, 'acc-a', redactor);
    await a.set('chatMode', 'session');
    await a.set('cursor', { page: 3, ids: ['1', '2'] });
    await new PersistedAccountState(backend, 'acc-b', redactor).set('chatMode', 'order');
    const reloaded = new PersistedAccountState(backend, 'acc-a', redactor);
    assert.equal(reloaded.get('chatMode'), 'session');
    assert.deepEqual(reloaded.get('cursor'), { page: 3, ids: ['1', '2'] });
    assert.equal(new PersistedAccountState(backend, 'acc-b', redactor).get('chatMode'), 'order');
    assert.equal(reloaded.get('missing'), undefined);
  });

  it('hands out copies, so a caller mutating a value does not change the store', async () => {
    const store = new PersistedAccountState(new MemoryBackend(), 'acc', new Redactor());
    const value = { ids: ['1'] };
    await store.set('cursor', value);
    value.ids.push('2');
    (store.get('cursor') as { ids: string[] }).ids.push('3');
    assert.deepEqual(store.get('cursor'), { ids: ['1'] });
  });

  it('refuses a write over the size cap and keeps what it had', async () => {
    const backend = new MemoryBackend();
    const store = new PersistedAccountState(backend, 'acc', new Redactor());
    await store.set('small', 'x');
    const writes = backend.writes;
    await assert.rejects(store.set('big', 'y'.repeat(ACCOUNT_STATE_MAX_BYTES)), RangeError);
    assert.equal(store.get('big'), undefined);
    assert.equal(backend.writes, writes, 'nothing written');
    assert.deepEqual(backend.get(accountStateKey('acc')), { small: 'x' });
    // The cap counts the whole account, not one value.
    const capped = new PersistedAccountState(new MemoryBackend(), 'acc', new Redactor(), 100);
    await capped.set('a', 'z'.repeat(40));
    await assert.rejects(capped.set('b', 'z'.repeat(60)), /over the 100-byte cap/);
    await capped.set('a', 'z'.repeat(10));
    await capped.set('b', 'z'.repeat(60));
  });

  it('refuses values holding a registered secret (keys, listen keys, tokens)', async () => {
    const redactor = new Redactor();
    const store = new PersistedAccountState(new MemoryBackend(), 'acc', redactor);
    redactor.addSecret('listen-key-0123456789');
    await assert.rejects(store.set('session', { url: 'wss://x/ws?listenKey=listen-key-0123456789' }), /would hold a secret/);
    assert.equal(store.get('session'), undefined);
  });

  it('refuses what is not JSON and keys out of bounds', async () => {
    const store = new PersistedAccountState(new MemoryBackend(), 'acc', new Redactor());
    await assert.rejects(store.set('u', undefined), TypeError);
    await assert.rejects(store.set('b', 10n), TypeError);
    await assert.rejects(store.set('', 1), RangeError);
    await assert.rejects(store.set('k'.repeat(101), 1), RangeError);
  });

  it('deletes values, clears an account, and starts afresh from a damaged stored value', async () => {
    const backend = new MemoryBackend();
    const store = new PersistedAccountState(backend, 'acc', new Redactor());
    await store.set('a', 1);
    await store.set('b', 2);
    await store.delete('a');
    assert.deepEqual(backend.get(accountStateKey('acc')), { b: 2 });
    await store.delete('b');
    assert.equal(backend.data.has(accountStateKey('acc')), false, 'an empty state leaves no key behind');
    await store.set('c', 3);
    await PersistedAccountState.clear(backend, 'acc');
    assert.equal(new PersistedAccountState(backend, 'acc', new Redactor()).get('c'), undefined);
    backend.data.set(accountStateKey('bad'), ['not', 'an', 'object']);
    const damaged = new PersistedAccountState(backend, 'bad', new Redactor());
    assert.equal(damaged.get('0'), undefined);
    await damaged.set('ok', true);
    assert.deepEqual(backend.get(accountStateKey('bad')), { ok: true });
  });
});
