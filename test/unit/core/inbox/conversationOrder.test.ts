import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConversationBook } from '../../../../src/extension/core/inbox/conversationBook';
import { compareConversations } from '../../../../src/extension/core/inbox/conversationOrder';
import { silentLogger } from '../../../../src/extension/core/logger';
import type { Conversation } from '../../../../src/shared/model';
import { FakeClock } from '../../helpers/fakeClock';

function conversation(id: string, active: boolean, lastActivity: number, accountId = 'acc'): Conversation {
  return { venue: 'mexc', accountId, conversationId: id, title: id, lastActivity, unread: 0, active };
}

describe('conversation order within an account', () => {
  it('puts running orders above closed ones, each group newest first', () => {
    const list = [conversation('closed-new', false, 500), conversation('open-old', true, 100), conversation('open-new', true, 300), conversation('closed-old', false, 50)];
    assert.deepEqual(
      list.sort(compareConversations).map((c) => c.conversationId),
      ['open-new', 'open-old', 'closed-new', 'closed-old'],
    );
  });

  it('breaks ties by conversation id, so repaints never reshuffle', () => {
    const a = [conversation('b', true, 100), conversation('a', true, 100), conversation('c', true, 100)];
    assert.deepEqual(a.sort(compareConversations).map((c) => c.conversationId), ['a', 'b', 'c']);
  });

  describe('the conversation book', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'vc-book-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('lists an account in that order and reads its saved file through the conversation check', async () => {
      const file = path.join(dir, 'conversations.json');
      const good = { ...conversation('1', false, 900), order: { orderNo: '1', state: 'completed', venueState: 'DONE', fiatAmount: '10.50', fiat: 'EUR' } };
      const damagedOrder = { ...conversation('2', true, 100), order: { orderNo: '2', state: 'paid', venueState: 'PAID', fiatAmount: 12.5 } };
      const broken = { ...conversation('3', true, 800), unread: 'many' };
      await writeFile(file, JSON.stringify([good, damagedOrder, broken, conversation('4', true, 200, 'other')]));
      const warnings: string[] = [];
      const book = new ConversationBook(file, new FakeClock(), { ...silentLogger, warn: (m: string) => warnings.push(m) });
      await book.load();
      assert.deepEqual(book.listFor('acc').map((c) => c.conversationId), ['2', '1']);
      assert.deepEqual(book.get('acc', '1')?.order, good.order);
      // The float amount is dropped, the rest of that order kept.
      assert.deepEqual(book.get('acc', '2')?.order, { orderNo: '2', state: 'paid', venueState: 'PAID' });
      assert.equal(book.get('acc', '3'), undefined);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /1 entries dropped/);
      book.dispose();
    });
  });
});
