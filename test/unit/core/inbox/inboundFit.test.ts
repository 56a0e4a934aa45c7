import assert from 'node:assert/strict';
import { checkInbound, fitConversation } from '../../../../src/extension/core/inbox/inboundFit';
import { conversationProblem } from '../../../../src/shared/conversationValidator';
import { messageKey, type ChatMessage, type Conversation } from '../../../../src/shared/model';

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

  it('keeps a reply whose quote holds a counterparty\'s over-long name or text, cut and reported', () => {
    const fitted: string[] = [];
    const checked = checkInbound({ ...base, kind: 'text', quote: { venueMessageId: huge, senderName: huge, text: huge } }, fitted);
    assert.notEqual(typeof checked, 'string', String(checked));
    assert.deepEqual((checked as ChatMessage).quote, { senderName: 'x'.repeat(8192), text: 'x'.repeat(4000) });
    assert.equal(fitted.length, 3, fitted.join('\n'));
  });

  it('keeps a card, contact, poll or location whose words are too long: words cut, links, ids and link-less buttons dropped', () => {
    const fitted: string[] = [];
    const card = checkInbound(
      { ...base, kind: 'card', text: undefined, payload: { type: 'card', title: huge, description: huge, coverUrl: `https://x/${huge}`, appId: huge, actions: [{ label: huge, action: 'https://ok.example/a' }, { label: 'gone', action: `https://x/${huge}` }] } },
      fitted,
    );
    assert.notEqual(typeof card, 'string', String(card));
    assert.deepEqual((card as ChatMessage).payload, { type: 'card', title: 'x'.repeat(8192), description: 'x'.repeat(8192), actions: [{ label: 'x'.repeat(8192), action: 'https://ok.example/a' }] });
    const contact = checkInbound({ ...base, kind: 'contact', text: undefined, payload: { type: 'contact', contacts: [{ name: huge, userId: huge }] } }, fitted);
    assert.deepEqual((contact as ChatMessage).payload, { type: 'contact', contacts: [{ name: 'x'.repeat(8192) }] });
    const poll = checkInbound({ ...base, kind: 'poll', text: undefined, payload: { type: 'poll', question: huge, options: [huge, 'B'] } }, fitted);
    assert.deepEqual((poll as ChatMessage).payload, { type: 'poll', question: 'x'.repeat(8192), options: ['x'.repeat(8192), 'B'] });
    const place = checkInbound({ ...base, kind: 'location', text: undefined, payload: { type: 'location', latitude: 1, longitude: 2, name: huge, address: huge } }, fitted);
    assert.notEqual(typeof place, 'string', String(place));
    assert.ok(fitted.every((f) => f.length < 200 && f.endsWith('kept the message')), fitted.join('\n'));
    // A sticker is its id: one too long to be real is not made up by cutting it.
    assert.equal(typeof checkInbound({ ...base, kind: 'sticker', text: undefined, payload: { type: 'sticker', stickerId: huge } }, []), 'string');
  });

  it('fits a conversation whose title, subtitle or preview is too long for the pane and the saved list', () => {
    const conversation: Conversation = { venue: 'mexc', accountId: 'acc', conversationId: '7', title: huge, subtitle: huge, preview: huge, lastActivity: 1, unread: 0, active: true };
    assert.notEqual(conversationProblem(conversation), undefined, 'as announced, every reader refuses it');
    const fitted: string[] = [];
    const fit = fitConversation(conversation, fitted);
    assert.equal(conversationProblem(fit), undefined);
    assert.equal(fit.title, 'x'.repeat(8192));
    assert.equal(fitted.length, 3);
    const fine = { ...conversation, title: 'alice', subtitle: undefined, preview: undefined };
    assert.equal(fitConversation(fine, fitted), fine, 'a conversation that fits is the same object');
  });
});
