import assert from 'node:assert/strict';
import { encodeOutbound, messageTime, toChatMessage } from '../../../../src/extension/venues/mexc/messageMapping';
import { MAX_TEXT_LENGTH } from '../../../../src/shared/messageLimits';
import type { MexcChatMessage } from '../../../../src/extension/venues/mexc/stream';
import { VenueError, type OutboundMessage } from '../../../../src/extension/venues/venue';

const base: MexcChatMessage = { id: '77', content: 'hi', conversationId: '50001', type: 1, imageUrl: '', imageThumbUrl: '', videoUrl: '', fileUrl: '', createTime: '2025-01-26 12:00:00', self: false, fromUserId: 'u1', fromNickName: 'Kate' };
const outbound = (o: Partial<OutboundMessage>): OutboundMessage => ({ clientMessageId: 'c1', conversationId: '50001', kind: 'text', text: 'x', attempt: 0, composedAt: 0, ...o });

describe('MEXC message mapping', () => {
  it('maps an inbound text message with the stable key and the sender', () => {
    const m = toChatMessage(base, { accountId: 'acc', time: 5 });
    assert.equal(m.key, 'mexc:acc:50001:77');
    assert.equal(m.direction, 'in');
    assert.equal(m.kind, 'text');
    assert.equal(m.senderName, 'Kate');
    assert.equal(m.status, undefined);
    assert.equal(m.rawTime, '2025-01-26 12:00:00');
  });

  it('maps our own echo as confirmed and outgoing, with the client id', () => {
    const m = toChatMessage({ ...base, self: true }, { accountId: 'acc', time: 5, clientMessageId: 'cid' });
    assert.equal(m.direction, 'out');
    assert.equal(m.status, 'confirmed');
    assert.equal(m.clientMessageId, 'cid');
    assert.equal(m.senderName, undefined);
  });

  it('maps media URLs onto attachments, with a file name from the URL', () => {
    assert.deepEqual(toChatMessage({ ...base, type: 2, imageUrl: 'https://m/x.png', imageThumbUrl: 'https://m/t.png' }, { accountId: 'a', time: 0 }).attachments, [{ kind: 'image', url: 'https://m/x.png', thumbUrl: 'https://m/t.png' }]);
    assert.deepEqual(toChatMessage({ ...base, type: 4, fileUrl: 'https://m/files/Receipt%201.pdf' }, { accountId: 'a', time: 0 }).attachments, [{ kind: 'file', url: 'https://m/files/Receipt%201.pdf', name: 'Receipt 1.pdf' }]);
    const noUrl = toChatMessage({ ...base, type: 3 }, { accountId: 'a', time: 0 });
    assert.equal(noUrl.kind, 'video');
    assert.equal(noUrl.attachments, undefined);
  });

  it('cuts text over the store cap and says what it cut', () => {
    const problems: string[] = [];
    const long = toChatMessage({ ...base, content: 'y'.repeat(MAX_TEXT_LENGTH + 1) }, { accountId: 'a', time: 0 }, problems);
    assert.equal(long.text?.length, MAX_TEXT_LENGTH);
    assert.deepEqual(problems, [`message 77: text clamped from ${MAX_TEXT_LENGTH + 1} chars to ${MAX_TEXT_LENGTH}`]);
    toChatMessage({ ...base, content: 'y'.repeat(MAX_TEXT_LENGTH) }, { accountId: 'a', time: 0 }, problems);
    assert.equal(problems.length, 1, 'text at the cap is kept whole');
  });

  // Found by fuzzing MEXC chat frames (seed 1033351662, path "85" at 20,000 runs): a 70,000-character
  // createTime was kept as rawTime, too long to store, and the message was refused.
  it('a createTime far longer than a time is not kept as the raw time; the message is', () => {
    const m = toChatMessage({ ...base, createTime: '2025-01-26 12:00:00'.repeat(500) }, { accountId: 'acc', time: 1 });
    assert.equal(m.rawTime, undefined);
    assert.equal(m.text, 'hi');
  });

  it('reads createTime in the account offset, and uses now for garbage', () => {
    const now = Date.UTC(2025, 0, 27);
    assert.deepEqual(messageTime(base, 480, now), { time: Date.UTC(2025, 0, 26, 4, 0, 0) });
    const garbage = messageTime({ ...base, createTime: 'yesterday' }, 480, now);
    assert.equal(garbage.time, now, 'garbage: the arrival time');
    assert.match(garbage.problem ?? '', /createTime "yesterday"/);
    const future = messageTime({ ...base, createTime: '2031-01-01 00:00:00' }, 480, now);
    assert.equal(future.time, now, 'implausibly far ahead: clamped to now');
    assert.match(future.problem ?? '', /createTime/);
    const ancient = messageTime({ ...base, createTime: '1999-01-01 00:00:00' }, 480, now);
    assert.equal(ancient.time, now, 'before 2009: clamped');
    assert.ok(ancient.problem);
    assert.deepEqual(messageTime({ ...base, createTime: '2025-01-26T04:00:00Z' }, 480, now), { time: Date.UTC(2025, 0, 26, 4, 0, 0) }, 'an ISO time with a zone is read as such');
  });

  it('encodes sends and refuses what MEXC cannot carry', () => {
    const image = encodeOutbound(outbound({ kind: 'image', attachment: { kind: 'image', url: 'https://m/x.png' } }));
    assert.equal(image.type, 2);
    assert.equal(image.url, 'https://m/x.png');
    assert.deepEqual(JSON.parse((JSON.parse(image.frame) as { params: string }).params), { content: 'x', conversationId: 50001, type: 2, imageUrl: 'https://m/x.png', imageThumbUrl: 'https://m/x.png', videoUrl: '', fileUrl: '' });
    assert.throws(() => encodeOutbound(outbound({ conversationId: 'abc' })), (e: unknown) => e instanceof VenueError && e.kind === 'rejected');
    assert.throws(() => encodeOutbound(outbound({ kind: 'file', attachment: { kind: 'file', url: 'file:///etc/passwd' } })), (e: unknown) => e instanceof VenueError && e.kind === 'rejected');
  });
});
