// String identity cannot be seen from JavaScript (equal strings compare equal), so what is checked
// here is what the pool keeps and that pooling changes no value; the memory it saves shows in the
// pane bench's JS heap.
import * as assert from 'node:assert/strict';
import type { ChatMessage } from '../../../src/shared/model';
import { StringPool } from '../../../src/webview/timeline/stringPool';

function messageFrom(i: number, sender: string): ChatMessage {
  return {
    key: `mexc:acc:conv:${i}`,
    venue: 'mexc',
    accountId: 'acc',
    conversationId: 'conv',
    venueMessageId: String(i),
    direction: 'out',
    kind: 'text',
    text: `text ${i}`,
    senderName: sender,
    status: 'read',
    time: 1_700_000_000_000 + i,
  };
}

describe('StringPool (one copy of the strings every message repeats)', () => {
  it('keeps one entry per distinct repeated value of a message, never its text, key or ids', () => {
    const pool = new StringPool();
    for (let i = 0; i < 500; i++) {
      const message = messageFrom(i, i % 2 ? 'alice' : 'bob');
      assert.deepEqual(pool.pool({ ...message }), message, 'pooling changes no value');
    }
    // mexc, acc, conv, out, text, read, alice, bob
    assert.equal(pool.size, 8);
  });

  it('keeps at most 2,000 distinct strings, and no long ones', () => {
    const pool = new StringPool();
    for (let i = 0; i < 2500; i++) assert.equal(pool.intern(`sender ${i}`), `sender ${i}`);
    assert.equal(pool.size, 2000);
    const fresh = new StringPool();
    fresh.intern('x'.repeat(200));
    assert.equal(fresh.size, 0);
  });
});
