import assert from 'node:assert/strict';
import { PREVIEW_LENGTH, previewText } from '../../../src/shared/messagePreview';
import type { ChatMessage } from '../../../src/shared/model';

const BASE: ChatMessage = { key: 'k', venue: 'mixin', accountId: 'a', conversationId: 'c', direction: 'in', kind: 'text', time: 1 };

describe('conversation preview text', () => {
  it('shows text on one line, clipped by code points', () => {
    assert.equal(previewText({ ...BASE, text: '  hello\n\tthere  ' }), 'hello there');
    // A post reads as its words, without its Markdown marks.
    assert.equal(previewText({ ...BASE, kind: 'markdown', text: '**pay** now' }), 'pay now');
    assert.equal(
      previewText({ ...BASE, kind: 'markdown', text: '# Payment details\n- **Amount:** 150.00 USDT\n- *Reference:* `P2P-4411`\n\n[Terms](https://x.example/t) ![qr](https://x.example/q.png)\n---\n1. pay_by_card' }),
      'Payment details Amount: 150.00 USDT Reference: P2P-4411 Terms qr pay_by_card',
    );
    assert.equal(previewText({ ...BASE, kind: 'markdown', text: '2 * 3 * 4 and snake_case_name' }), '2 * 3 * 4 and snake_case_name', 'lone marks are words');
    assert.equal(previewText({ ...BASE, kind: 'text', text: '**pay** now' }), '**pay** now', 'plain text keeps its asterisks');
    assert.equal(previewText({ ...BASE, text: '' }), '');
    const emoji = '😀'.repeat(PREVIEW_LENGTH + 5);
    assert.equal(previewText({ ...BASE, text: emoji }), `${'😀'.repeat(PREVIEW_LENGTH)}…`);
  });

  it('labels media and structured kinds, with what the payload says', () => {
    assert.equal(previewText({ ...BASE, kind: 'image' }), '[Image]');
    assert.equal(previewText({ ...BASE, kind: 'image', text: 'receipt' }), '[Image] receipt');
    assert.equal(previewText({ ...BASE, kind: 'file', attachments: [{ kind: 'file', name: 'statement.pdf' }] }), '[File] statement.pdf');
    assert.equal(previewText({ ...BASE, kind: 'audio', attachments: [{ kind: 'audio', durationMs: 65_000 }] }), '[Audio] 1:05');
    assert.equal(
      previewText({ ...BASE, kind: 'contact', payload: { type: 'contact', contacts: [{ name: 'Bob' }, { phone: '+1' }] } }),
      '[Contact] Bob +1',
    );
    assert.equal(previewText({ ...BASE, kind: 'location', payload: { type: 'location', latitude: 48.85661, longitude: 2.35222 } }), '[Location] 48.85661, 2.35222');
    assert.equal(previewText({ ...BASE, kind: 'location', payload: { type: 'location', latitude: 1, longitude: 2, name: 'Office' } }), '[Location] Office');
    assert.equal(previewText({ ...BASE, kind: 'sticker', payload: { type: 'sticker', stickerId: 's' } }), '[Sticker]');
    assert.equal(previewText({ ...BASE, kind: 'card', payload: { type: 'card', title: 'Invoice 42', actions: [] } }), '[Card] Invoice 42');
    assert.equal(
      previewText({ ...BASE, kind: 'buttons', payload: { type: 'buttons', buttons: [{ label: 'Yes', action: 'https://y' }, { label: 'No', action: 'https://n' }] } }),
      '[Buttons] Yes · No',
    );
    assert.equal(previewText({ ...BASE, kind: 'live', payload: { type: 'live', url: 'https://l' } }), '[Live stream]');
    assert.equal(previewText({ ...BASE, kind: 'hologram' as ChatMessage['kind'] }), '[hologram]');
  });

  it('labels reactions and polls (WhatsApp) with the emoji or the question', () => {
    assert.equal(previewText({ ...BASE, kind: 'reaction', payload: { type: 'reaction', emoji: '👍', targetVenueMessageId: 'm1' } }), '[Reaction] 👍');
    assert.equal(previewText({ ...BASE, kind: 'reaction', payload: { type: 'reaction', emoji: '' } }), '[Reaction] removed');
    assert.equal(previewText({ ...BASE, kind: 'reaction' }), '[Reaction]');
    assert.equal(previewText({ ...BASE, kind: 'poll', payload: { type: 'poll', question: 'Which bank?', options: ['A', 'B'] } }), '[Poll] Which bank?');
    assert.equal(previewText({ ...BASE, kind: 'poll' }), '[Poll]');
  });

  it('shows order events as a sentence and system text as it is', () => {
    assert.equal(
      previewText({ ...BASE, kind: 'system', direction: 'system', payload: { type: 'system', event: 'paid', orderId: '42', state: 'BUYER_PAYED' } }),
      'Order 42: paid (BUYER_PAYED)',
    );
    assert.equal(previewText({ ...BASE, kind: 'system', direction: 'system', text: 'The buyer paid' }), 'The buyer paid');
    assert.equal(previewText({ ...BASE, kind: 'system', direction: 'system' }), '[Event]');
  });

  it('never shows a withdrawn message’s text', () => {
    assert.equal(previewText({ ...BASE, text: 'my IBAN is DE00 1234', recalled: true }), '[Message withdrawn]');
    assert.equal(previewText({ ...BASE, kind: 'recall', direction: 'system', payload: { type: 'recall', targetVenueMessageId: 'm0' } }), '[Message withdrawn]');
  });

  it('ignores a payload of another kind', () => {
    assert.equal(previewText({ ...BASE, kind: 'card', payload: { type: 'sticker', stickerId: 's', name: 'smile' } }), '[Card]');
  });
});
