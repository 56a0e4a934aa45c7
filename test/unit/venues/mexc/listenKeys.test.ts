import assert from 'node:assert/strict';
import { silentLogger } from '../../../../src/extension/core/logger';
import { Redactor } from '../../../../src/extension/core/redact';
import { ListenKeys, type ListenKeyApi } from '../../../../src/extension/venues/mexc/listenKeys';
import { VenueError } from '../../../../src/extension/venues/venue';
import { FakeClock, settle } from '../../helpers/fakeClock';

class FakeListenKeyApi implements ListenKeyApi {
  created = 0;
  keepAlives: string[] = [];
  deleted: string[] = [];
  keepAliveError: VenueError | undefined;
  createError: VenueError | undefined;

  async createListenKey(): Promise<string> {
    if (this.createError) throw this.createError;
    this.created++;
    return `key-${this.created}`;
  }

  async keepAliveListenKey(key: string): Promise<void> {
    this.keepAlives.push(key);
    if (this.keepAliveError) throw this.keepAliveError;
  }

  async deleteListenKey(key: string): Promise<void> {
    this.deleted.push(key);
  }
}

describe('MEXC listen keys', () => {
  const MIN = 60_000;
  let clock: FakeClock;
  let api: FakeListenKeyApi;
  let keys: ListenKeys;

  beforeEach(() => {
    clock = new FakeClock();
    api = new FakeListenKeyApi();
    keys = new ListenKeys({ api, clock, logger: silentLogger });
  });
  afterEach(() => keys.dispose());

  it('creates one key for concurrent callers and reuses it', async () => {
    const [a, b] = await Promise.all([keys.get(), keys.get()]);
    assert.equal(a, 'key-1');
    assert.equal(b, 'key-1');
    assert.equal(await keys.get(), 'key-1');
    assert.equal(api.created, 1);
  });

  it('registers every key it creates with the redactor before anyone can use it', async () => {
    const redactor = new Redactor();
    // Real listen keys are 64 hex characters; the fake's short ones would fall under the redactor's minimum.
    const longKeys: ListenKeyApi = {
      createListenKey: async () => `${await api.createListenKey()}-0123456789abcdef0123456789abcdef`,
      keepAliveListenKey: (k) => api.keepAliveListenKey(k),
      deleteListenKey: (k) => api.deleteListenKey(k),
    };
    const withRedactor = new ListenKeys({ api: longKeys, clock, logger: silentLogger, redactor });
    const key = await withRedactor.get();
    assert.equal(redactor.redact(`wss://x/ws?listenKey=${key}&conversationId=1`).includes(key), false);
    api.keepAliveError = new VenueError('rejected', 'listenKey not exist');
    withRedactor.startKeepAlive();
    await clock.advance(30 * MIN);
    const renewed = await withRedactor.get();
    assert.notEqual(renewed, key);
    assert.equal(redactor.redact(`log line with ${renewed}`).includes(renewed), false, 'a renewed key is registered too');
    withRedactor.dispose();
  });

  it('keeps the key alive every 30 minutes', async () => {
    await keys.get();
    keys.startKeepAlive();
    await clock.advance(29 * MIN);
    assert.deepEqual(api.keepAlives, []);
    await clock.advance(MIN);
    assert.deepEqual(api.keepAlives, ['key-1']);
    await clock.advance(30 * MIN);
    assert.deepEqual(api.keepAlives, ['key-1', 'key-1']);
  });

  it('replaces a key whose keep-alive is rejected and tells the sockets to move', async () => {
    await keys.get();
    keys.startKeepAlive();
    let renewed = 0;
    keys.onRenewed(() => renewed++);
    api.keepAliveError = new VenueError('rejected', 'listenKey does not exist');
    await clock.advance(30 * MIN);
    assert.equal(renewed, 1);
    assert.equal(await keys.get(), 'key-2');
  });

  it('shows a failed renewal as an auth error, and clears it once a key is made', async () => {
    await keys.get();
    keys.startKeepAlive();
    api.keepAliveError = new VenueError('rejected', 'gone');
    api.createError = new VenueError('auth', 'Api key info invalid');
    await clock.advance(30 * MIN);
    assert.deepEqual(keys.state, { kind: 'auth-error', reason: 'Api key info invalid' });
    api.createError = undefined;
    await keys.get();
    assert.equal(keys.state.kind, 'offline');
  });

  it('a transient keep-alive failure keeps the key', async () => {
    await keys.get();
    keys.startKeepAlive();
    api.keepAliveError = new VenueError('unavailable', 'timeout');
    await clock.advance(30 * MIN);
    assert.equal(await keys.get(), 'key-1');
    assert.equal(keys.state.kind, 'offline');
  });

  it('invalidate makes the next get create a new key; release deletes it and stops the keep-alive', async () => {
    await keys.get();
    keys.invalidate();
    assert.equal(await keys.get(), 'key-2');
    keys.startKeepAlive();
    await keys.release();
    await settle();
    assert.deepEqual(api.deleted, ['key-2']);
    assert.equal(clock.pendingTimers, 0);
  });
});
