import assert from 'node:assert/strict';
import { EchoMatcher, type SentFingerprint } from '../../../../src/extension/venues/mexc/echoMatcher';

const sent = (clientMessageId: string, content: string, sentAt = 1_000_000): SentFingerprint => ({ clientMessageId, type: 1, content, url: '', sentAt });
const self = (id: string, content: string, time = 1_000_500) => ({ id, type: 1, content, url: '', time });

describe('MEXC echo matcher', () => {
  it('gives an echo the client id of the send it matches, oldest first, once', () => {
    const m = new EchoMatcher();
    m.expect('c1', sent('a', 'hello'));
    m.expect('c1', sent('b', 'hello'));
    assert.equal(m.onSelfMessage('c1', self('9', 'hello')), 'a');
    assert.equal(m.onSelfMessage('c1', self('10', 'hello')), 'b');
    assert.equal(m.onSelfMessage('c1', self('11', 'hello')), undefined);
  });

  it('matches on type, content and URL, within the conversation', () => {
    const m = new EchoMatcher();
    m.expect('c1', { clientMessageId: 'a', type: 2, content: 'receipt', url: 'https://x/r.png', sentAt: 0 });
    assert.equal(m.onSelfMessage('c2', { id: '1', type: 2, content: 'receipt', url: 'https://x/r.png', time: 0 }), undefined, 'other conversation');
    assert.equal(m.onSelfMessage('c1', { id: '2', type: 1, content: 'receipt', url: '', time: 0 }), undefined, 'other type');
    assert.equal(m.onSelfMessage('c1', { id: '3', type: 2, content: 'receipt', url: 'https://x/other.png', time: 0 }), undefined, 'other URL');
    assert.equal(m.onSelfMessage('c1', { id: '4', type: 2, content: 'receipt', url: 'https://x/r.png', time: 0 }), 'a');
  });

  it('lets the landed check claim an unmatched self message once, inside the window', () => {
    const m = new EchoMatcher();
    assert.equal(m.onSelfMessage('c1', self('7', 'pay to IBAN X')), undefined);
    assert.equal(m.claimLanded('c1', sent('late', 'pay to IBAN X', 1_000_500 + 121_000)), undefined, 'older than the window');
    assert.equal(m.claimLanded('c1', sent('a', 'pay to IBAN X'))?.id, '7');
    assert.equal(m.claimLanded('c1', sent('b', 'pay to IBAN X')), undefined, 'already claimed');
  });

  it('a forgotten send no longer takes an echo; a closed conversation forgets everything', () => {
    const m = new EchoMatcher();
    m.expect('c1', sent('a', 'x'));
    m.forget('c1', 'a');
    assert.equal(m.onSelfMessage('c1', self('1', 'x')), undefined);
    m.forgetConversation('c1');
    assert.equal(m.claimLanded('c1', sent('b', 'x')), undefined);
  });
});
