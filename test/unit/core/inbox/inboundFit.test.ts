import assert from 'node:assert/strict';
import { checkInbound } from '../../../../src/extension/core/inbox/inboundFit';
import { messageKey, type ChatMessage } from '../../../../src/shared/model';

const base: ChatMessage = { key: messageKey('mexc', 'acc', '7', '1'), venue: 'mexc', accountId: 'acc', conversationId: '7', venueMessageId: '1', direction: 'in', kind: 'image', text: 'receipt', time: 1_764_504_000_000 };
const huge = 'x'.repeat(9_000);

describe('inbound check: over-long display fields', () => {
  it('keeps a message whose sender name, link or type is too long to store, cut or dropped and reported', () => {
    const fitted: string[] = [];
    const checked = checkInbound({ ...base, senderName: huge, attachments: [{ kind: 'image', url: `https://x/${huge}`, thumbUrl: 'https://x/t.png', mimeType: huge, name: huge }] }, fitted);
    assert.notEqual(typeof checked, 'string');
    const kept = checked as ChatMessage;
    assert.equal(kept.senderName?.length, 8192);
    assert.deepEqual(kept.attachments, [{ kind: 'image', thumbUrl: 'https://x/t.png', name: 'x'.repeat(8192) }]);
    assert.equal(kept.text, 'receipt');
    assert.equal(fitted.length, 4, fitted.join('\n'));
    assert.ok(fitted.every((f) => f.length < 200 && f.endsWith('kept the message')));
  });

  // Found by fuzzing the MultiWA message page (seed -656297272, path "10"): a row quoting a
  // 70,000-character id was refused whole, the message lost.
  it('keeps a message whose quote names a sender or a message id too long to store: the name cut, the reference dropped', () => {
    const fitted: string[] = [];
    const checked = checkInbound({ ...base, quote: { venueMessageId: huge, senderName: huge, text: 'see above' } }, fitted);
    assert.notEqual(typeof checked, 'string', String(checked));
    assert.deepEqual((checked as ChatMessage).quote, { senderName: 'x'.repeat(8192), text: 'see above' });
    assert.equal(fitted.length, 2, fitted.join('\n'));
    const bare = checkInbound({ ...base, quote: { venueMessageId: huge } }, fitted);
    assert.notEqual(typeof bare, 'string', String(bare));
    assert.equal((bare as ChatMessage).quote, undefined);
  });

  it('still refuses a message whose id is too long (ids are kept exactly), and leaves a valid one untouched', () => {
    const fitted: string[] = [];
    assert.equal(typeof checkInbound({ ...base, venueMessageId: huge, senderName: huge }, fitted), 'string');
    assert.deepEqual(fitted, []);
    const fine = checkInbound({ ...base, senderName: 'alice' }, fitted);
    assert.equal((fine as ChatMessage).senderName, 'alice');
    assert.deepEqual(fitted, []);
  });
});
