import assert from 'node:assert/strict';
import { silentLogger } from '../../../../src/extension/core/logger';
import { Redactor } from '../../../../src/extension/core/redact';
import { ListenKeyPool, type ListenKeyApi } from '../../../../src/extension/venues/mexc/listenKeyPool';
import { VenueError } from '../../../../src/extension/venues/venue';
import { FakeClock, settle } from '../../helpers/fakeClock';

class FakeListenKeyApi implements ListenKeyApi {
  created = 0;
  keepAlives: string[] = [];
  deleted: string[] = [];
  /** Keys whose keep-alive the venue refuses (they expired). */
  readonly gone = new Set<string>();
  keepAliveError: VenueError | undefined;
  createError: VenueError | undefined;

  async createListenKey(): Promise<string> {
    if (this.createError) throw this.createError;
    this.created++;
    return `key-${this.created}`;
  }

  async keepAliveListenKey(key: string): Promise<void> {
    this.keepAlives.push(key);
    if (this.gone.has(key)) throw new VenueError('rejected', 'listenKey does not exist');
    if (this.keepAliveError) throw this.keepAliveError;
  }

  async deleteListenKey(key: string): Promise<void> {
    this.deleted.push(key);
  }
}

const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => String(from + i));

describe('MEXC listen key pool', () => {
  const MIN = 60_000;
  let clock: FakeClock;
  let api: FakeListenKeyApi;
  let pool: ListenKeyPool;

  beforeEach(() => {
    clock = new FakeClock();
    api = new FakeListenKeyApi();
    pool = new ListenKeyPool({ api, clock, logger: silentLogger });
  });
  afterEach(() => pool.dispose());

  it('gives 30 conversations connecting at once slots on 6 keys, never more than 5 per key', async () => {
    const keys = await Promise.all(ids(1, 30).map((id) => pool.acquire(id)));
    const perKey = new Map<string, number>();
    for (const k of keys) perKey.set(k, (perKey.get(k) ?? 0) + 1);
    assert.equal(perKey.size, 6);
    assert.ok([...perKey.values()].every((n) => n === 5), JSON.stringify([...perKey]));
    assert.equal(api.created, 6, 'one creation per 5 sockets, not one per caller');
    assert.deepEqual(pool.stats, { keys: 6, slots: 30 });
  });

  it('a conversation keeps its key across reconnects, and a freed slot is reused before a new key', async () => {
    await Promise.all(ids(1, 5).map((id) => pool.acquire(id)));
    assert.equal(await pool.acquire('3'), 'key-1');
    pool.release('3');
    assert.equal(await pool.acquire('6'), 'key-1', 'the freed slot');
    assert.equal(await pool.acquire('7'), 'key-2');
    assert.equal(api.created, 2);
  });

  it('packs newcomers onto the fullest key with room, so empty keys can go', async () => {
    await Promise.all(ids(1, 7).map((id) => pool.acquire(id))); // key-1: 1..5, key-2: 6, 7
    pool.release('1');
    // key-1 has 4, key-2 has 2: the newcomer joins key-1.
    assert.equal(await pool.acquire('8'), 'key-1');
  });

  it('deletes a key at the venue once its last socket closes, keeping one key for the next chat', async () => {
    await Promise.all(ids(1, 6).map((id) => pool.acquire(id))); // key-2 holds only '6'
    pool.release('6');
    await settle();
    assert.deepEqual(api.deleted, ['key-2']);
    for (const id of ids(1, 5)) pool.release(id);
    await settle();
    assert.deepEqual(api.deleted, ['key-2'], 'the last key stays');
    assert.deepEqual(pool.stats, { keys: 1, slots: 0 });
    assert.equal(await pool.acquire('9'), 'key-1', 'and is used without a REST call');
    assert.equal(api.created, 2);
  });

  it('never hands out an expired key again; its conversations are told to move and get another', async () => {
    await Promise.all(ids(1, 3).map((id) => pool.acquire(id)));
    const lost: string[][] = [];
    pool.onKeyLost((l) => lost.push([...l]));
    pool.expire('key-1', 'HTTP 401 on upgrade');
    assert.deepEqual(lost, [['1', '2', '3']]);
    const again = await Promise.all(ids(1, 3).map((id) => pool.acquire(id)));
    assert.deepEqual(again, ['key-2', 'key-2', 'key-2']);
    pool.expire('key-1', 'a late 401 from an old attempt');
    assert.equal(lost.length, 1, 'an expired key is not expired twice');
  });

  it('a 429 on upgrade rests that key for a minute and moves only that conversation', async () => {
    await Promise.all(ids(1, 4).map((id) => pool.acquire(id)));
    pool.refused('4');
    assert.equal(await pool.acquire('4'), 'key-2', 'the refused conversation moves');
    assert.equal(await pool.acquire('1'), 'key-1', 'the others keep their key');
    assert.equal(await pool.acquire('5'), 'key-2', 'the resting key takes no newcomer');
    await clock.advance(MIN);
    pool.release('5');
    pool.release('4');
    assert.equal(await pool.acquire('6'), 'key-1', 'rested, it takes newcomers again');
  });

  it('refuses the 301st socket as unavailable once 60 keys carry 5 each, and admits it when one closes', async () => {
    await Promise.all(ids(1, 300).map((id) => pool.acquire(id)));
    assert.deepEqual(pool.stats, { keys: 60, slots: 300 });
    await assert.rejects(pool.acquire('301'), (err: unknown) => err instanceof VenueError && err.kind === 'unavailable' && /60 MEXC listen keys/.test(err.message));
    assert.equal(api.created, 60);
    const room: string[][] = [];
    pool.onRoom((r) => room.push([...r]));
    pool.release('17');
    assert.deepEqual(room, [['301']], 'the one turned away is told');
    assert.equal(await pool.acquire('301'), 'key-4');
    pool.release('18');
    assert.equal(room.length, 1, 'nobody waits any more');
  });

  it('keeps every key alive every 30 minutes, and expires the ones MEXC refuses', async () => {
    await Promise.all(ids(1, 6).map((id) => pool.acquire(id)));
    pool.startKeepAlive();
    const lost: string[][] = [];
    pool.onKeyLost((l) => lost.push([...l]));
    await clock.advance(29 * MIN);
    assert.deepEqual(api.keepAlives, []);
    api.gone.add('key-2');
    await clock.advance(MIN);
    assert.deepEqual(api.keepAlives, ['key-1', 'key-2']);
    assert.deepEqual(lost, [['6']]);
    assert.equal(await pool.acquire('6'), 'key-3', 'a new key, not the refused one');
  });

  it('a transient keep-alive failure keeps the key', async () => {
    await pool.acquire('1');
    pool.startKeepAlive();
    api.keepAliveError = new VenueError('unavailable', 'timeout');
    await clock.advance(30 * MIN);
    assert.equal(await pool.acquire('2'), 'key-1');
    assert.equal(pool.state.kind, 'offline');
  });

  it('shows a failed key creation as auth-error or back-off, and clears it once a key is made', async () => {
    api.createError = new VenueError('auth', 'Api key info invalid');
    await assert.rejects(pool.acquire('1'), /Api key info invalid/);
    assert.deepEqual(pool.state, { kind: 'auth-error', reason: 'Api key info invalid' });
    api.createError = new VenueError('unavailable', 'HTTP 502');
    await assert.rejects(pool.acquire('1'));
    assert.equal(pool.state.kind, 'backoff');
    api.createError = undefined;
    await pool.acquire('1');
    assert.equal(pool.state.kind, 'offline');
  });

  it('Reconnect deletes every key at MEXC and hands out fresh ones; stop deletes them and the keep-alive', async () => {
    await Promise.all(ids(1, 7).map((id) => pool.acquire(id)));
    await pool.renewAll();
    assert.deepEqual(api.deleted.sort(), ['key-1', 'key-2']);
    assert.equal(await pool.acquire('1'), 'key-3');
    pool.startKeepAlive();
    await pool.releaseAll();
    assert.deepEqual(api.deleted.sort(), ['key-1', 'key-2', 'key-3']);
    assert.equal(clock.pendingTimers, 0);
  });

  it('registers every key it creates with the redactor before anyone can use it', async () => {
    const redactor = new Redactor();
    // Real listen keys are 64 hex characters; the fake's short ones would fall under the redactor's minimum.
    const longKeys: ListenKeyApi = {
      createListenKey: async () => `${await api.createListenKey()}-0123456789abcdef0123456789abcdef`,
      keepAliveListenKey: (k) => api.keepAliveListenKey(k),
      deleteListenKey: (k) => api.deleteListenKey(k),
    };
    const withRedactor = new ListenKeyPool({ api: longKeys, clock, logger: silentLogger, redactor });
    const keys = await Promise.all(ids(1, 6).map((id) => withRedactor.acquire(id)));
    for (const key of new Set(keys)) assert.equal(redactor.redact(`wss://x/ws?listenKey=${key}&conversationId=1`).includes(key), false);
    withRedactor.dispose();
  });
});
