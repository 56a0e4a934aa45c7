import assert from 'node:assert/strict';
import type { ChatMessage } from '../../../../src/shared/model';
import { VenueEventQueue, type QueuedMessages } from '../../../../src/extension/core/inbox/venueEventQueue';

const msg = (n: number): ChatMessage => ({ key: `k${n}`, venue: 'mexc', accountId: 'a', conversationId: 'c', direction: 'in', kind: 'text', text: String(n), time: n });

describe('venue event queue', () => {
  it('hands consecutive message batches over as one group, in order', async () => {
    const groups: number[][] = [];
    const queue = new VenueEventQueue({
      messages: async (batches: readonly QueuedMessages[]) => {
        groups.push(batches.flatMap((b) => b.event.messages.map((m) => m.time)));
      },
      other: async () => undefined,
      failed: (err) => assert.fail(String(err)),
    });
    for (let i = 0; i < 5; i++) queue.push('a', { type: 'messages', messages: [msg(i)], source: 'live' });
    await queue.settled();
    assert.deepEqual(groups, [[0, 1, 2, 3, 4]]);
  });

  it('pushAndWait resolves once its own event is handled, even while live traffic keeps the queue busy', async () => {
    const handled: string[] = [];
    const queue = new VenueEventQueue({
      messages: async (batches) => {
        await new Promise((r) => setTimeout(r, 2));
        for (const b of batches) handled.push(b.event.source);
      },
      other: async () => undefined,
      failed: (err) => assert.fail(String(err)),
    });
    let n = 0;
    const traffic = setInterval(() => queue.push('a', { type: 'messages', messages: [msg(n++)], source: 'live' }), 1);
    try {
      await new Promise((r) => setTimeout(r, 10));
      await queue.pushAndWait('a', { type: 'messages', messages: [msg(-1)], source: 'backfill' });
      assert.ok(handled.includes('backfill'));
    } finally {
      clearInterval(traffic);
    }
    queue.close();
  });

  it('pushAndWait resolves when its event is dropped with the account or the queue closes', async () => {
    let release: () => void = () => undefined;
    const queue = new VenueEventQueue({
      messages: () => new Promise<void>((r) => (release = r)),
      other: async () => undefined,
      failed: (err) => assert.fail(String(err)),
    });
    queue.push('a', { type: 'messages', messages: [msg(1)], source: 'live' });
    await new Promise((r) => setTimeout(r, 5)); // the first group is now in the handler
    const dropped = queue.pushAndWait('gone', { type: 'badInput', where: 'x', detail: 'y' });
    const closed = queue.pushAndWait('a', { type: 'badInput', where: 'x', detail: 'y' });
    queue.dropAccount('gone');
    await dropped;
    queue.close();
    await closed;
    release();
  });
});
