import assert from 'node:assert/strict';
import type { ConnectionState } from '../../../../src/shared/model';
import { sameState, worstState } from '../../../../src/extension/core/connection/connectionStates';

describe('worstState', () => {
  const online = (since: number): ConnectionState => ({ kind: 'online', since });

  it('is offline with no parts or only offline parts', () => {
    assert.deepEqual(worstState([]), { kind: 'offline' });
    assert.deepEqual(worstState([{ kind: 'offline' }, { kind: 'offline' }]), { kind: 'offline' });
  });

  it('skips offline parts (a closed chat socket says nothing about the account)', () => {
    assert.deepEqual(worstState([online(5), { kind: 'offline' }]), online(5));
  });

  it('is online since the latest part came up when every part is online', () => {
    assert.deepEqual(worstState([online(10), online(30), online(20)]), online(30));
  });

  it('orders the states: online < stale < connecting < backoff < displaced < auth-error', () => {
    const stale: ConnectionState = { kind: 'stale', lastSync: 1, reason: 'polls failing' };
    const connecting: ConnectionState = { kind: 'connecting' };
    const backoff: ConnectionState = { kind: 'backoff', until: 9, reason: 'refused' };
    const displaced: ConnectionState = { kind: 'displaced', reason: 'another client' };
    const auth: ConnectionState = { kind: 'auth-error', reason: 'bad key' };
    const ladder = [online(1), stale, connecting, backoff, displaced, auth];
    for (let i = 1; i < ladder.length; i++) {
      const worse = ladder[i]!;
      for (const better of ladder.slice(0, i)) {
        assert.deepEqual(worstState([better, worse, { kind: 'offline' }]), worse, `${worse.kind} over ${better.kind}`);
        assert.deepEqual(worstState([worse, better]), worse, `${worse.kind} over ${better.kind}, either order`);
      }
    }
  });

  it('keeps the first of two equally bad parts (its reason is shown)', () => {
    const a: ConnectionState = { kind: 'backoff', until: 5, reason: 'first' };
    const b: ConnectionState = { kind: 'backoff', until: 7, reason: 'second' };
    assert.equal(worstState([a, b]), a);
  });
});

describe('sameState', () => {
  it('compares kind and every field, whatever the key order', () => {
    assert.equal(sameState({ kind: 'backoff', until: 1, reason: 'x' }, { reason: 'x', until: 1, kind: 'backoff' } as ConnectionState), true);
    assert.equal(sameState({ kind: 'backoff', until: 1, reason: 'x' }, { kind: 'backoff', until: 2, reason: 'x' }), false);
    assert.equal(sameState({ kind: 'online', since: 1 }, { kind: 'stale', lastSync: 1, reason: '' }), false);
    assert.equal(sameState({ kind: 'offline' }, { kind: 'offline' }), true);
  });
});
