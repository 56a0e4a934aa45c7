import assert from 'node:assert/strict';
import { GroupCommitQueue } from '../../../../src/extension/core/store/groupCommitQueue';
import type { GroupMember } from '../../../../src/extension/core/store/groupCommitQueue';
import { gate } from './storeFixtures';

describe('GroupCommitQueue', () => {
  it('groups what is submitted while a commit runs, up to the size cap, in order', async () => {
    const groups: string[][] = [];
    const held = gate();
    const queue = new GroupCommitQueue<string, number>(async (members) => {
      groups.push(members.map((m) => m.item));
      if (groups.length === 1) await held.promise;
      for (const [i, m] of members.entries()) m.resolve(i);
    }, 3);
    const first = queue.submit('a', 1);
    await new Promise((resolve) => setImmediate(resolve)); // 'a' is being committed
    const rest = ['b', 'c', 'd', 'e'].map((item) => queue.submit(item, 1));
    held.open();
    assert.deepEqual(await Promise.all([first, ...rest]), [0, 0, 1, 2, 0]);
    assert.deepEqual(groups, [['a'], ['b', 'c', 'd'], ['e']]);
  });

  it('runAlone closes the waiting group, so later items run after the task', async () => {
    const order: string[] = [];
    const queue = new GroupCommitQueue<string, void>(async (members: readonly GroupMember<string, void>[]) => {
      order.push(members.map((m) => m.item).join('+'));
      for (const m of members) m.resolve();
    }, 100);
    await Promise.all([queue.submit('a', 1), queue.submit('b', 1), queue.runAlone(() => order.push('alone')), queue.submit('c', 1)]);
    assert.deepEqual(order, ['a+b', 'alone', 'c']);
  });

  it('a commit that throws rejects every member of its group and the queue goes on', async () => {
    let calls = 0;
    const queue = new GroupCommitQueue<string, string>(async (members) => {
      if (calls++ === 0) throw new Error('bug');
      for (const m of members) m.resolve(m.item);
    }, 100);
    const results = await Promise.allSettled([queue.submit('a', 1), queue.submit('b', 1)]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
    assert.equal(await queue.submit('c', 1), 'c');
    await queue.idle();
  });
});
