import assert from 'node:assert/strict';
import { latestUnread, nextUnread, type UnreadCandidate } from '../../../src/extension/host/unreadNavigation';

const row = (conversationId: string, unread: number, lastActivity: number, newestIncoming?: number, accountId = 'a1'): UnreadCandidate => ({
  accountId,
  conversationId,
  unread,
  lastActivity,
  ...(newestIncoming === undefined ? {} : { newestIncoming }),
});

describe('unread navigation', () => {
  const inbox = [row('c1', 0, 50), row('c2', 2, 40), row('c3', 0, 30), row('c4', 1, 20), row('c5', 0, 10, undefined, 'a2'), row('c6', 3, 5, undefined, 'a2')];

  it('next unread: the first unread row from the top when nothing is current', () => {
    assert.deepEqual(nextUnread(inbox), { accountId: 'a1', conversationId: 'c2' });
  });

  it('next unread: the first unread row after the current one, across accounts, wrapping to the top', () => {
    assert.deepEqual(nextUnread(inbox, { accountId: 'a1', conversationId: 'c2' }), { accountId: 'a1', conversationId: 'c4' });
    assert.deepEqual(nextUnread(inbox, { accountId: 'a1', conversationId: 'c4' }), { accountId: 'a2', conversationId: 'c6' });
    assert.deepEqual(nextUnread(inbox, { accountId: 'a2', conversationId: 'c6' }), { accountId: 'a1', conversationId: 'c2' }, 'wraps around');
    assert.deepEqual(nextUnread(inbox, { accountId: 'a1', conversationId: 'c3' }), { accountId: 'a1', conversationId: 'c4' }, 'from a read row too');
  });

  it('next unread: the same conversation id on another account is another row', () => {
    const twins = [row('x', 1, 2, undefined, 'a1'), row('x', 1, 1, undefined, 'a2')];
    assert.deepEqual(nextUnread(twins, { accountId: 'a1', conversationId: 'x' }), { accountId: 'a2', conversationId: 'x' });
  });

  it('next unread: the current one when it is the only unread left; nothing when all are read', () => {
    const one = [row('c1', 0, 3), row('c2', 4, 2), row('c3', 0, 1)];
    assert.deepEqual(nextUnread(one, { accountId: 'a1', conversationId: 'c2' }), { accountId: 'a1', conversationId: 'c2' });
    assert.equal(nextUnread([row('c1', 0, 1), row('c2', 0, 2)]), undefined);
    assert.equal(nextUnread([]), undefined);
  });

  it('next unread: a current conversation the list no longer has starts from the top', () => {
    assert.deepEqual(nextUnread(inbox, { accountId: 'gone', conversationId: 'c9' }), { accountId: 'a1', conversationId: 'c2' });
  });

  it('latest unread: the newest incoming message decides, not the row order or an order event', () => {
    const rows = [row('busy', 1, 900, 100), row('quiet', 2, 500, 400), row('read', 0, 1000, 1000)];
    assert.deepEqual(latestUnread(rows), { accountId: 'a1', conversationId: 'quiet' });
  });

  it('latest unread: last activity stands in when no incoming message is stored; ties go to the earlier row', () => {
    assert.deepEqual(latestUnread([row('a', 1, 10), row('b', 1, 30), row('c', 1, 30)]), { accountId: 'a1', conversationId: 'b' });
    assert.equal(latestUnread([row('a', 0, 10)]), undefined);
  });
});
