import assert from 'node:assert/strict';
import { parseRequest } from '../../../src/shared/protocol';

// The host validates everything the webview posts (docs/architecture.md, Host ⇄ webview protocol):
// bad shapes and unknown methods are rejected with an error the host logs and counts, never thrown.
describe('host <-> webview protocol validation', () => {
  it('accepts well-formed requests and applies defaults', () => {
    const r = parseRequest({ id: 3, method: 'message/send', params: { clientMessageId: 'abcdef123456', kind: 'text', text: 'hi' } });
    assert.deepEqual(r, { ok: true, id: 3, method: 'message/send', params: { clientMessageId: 'abcdef123456', kind: 'text', text: 'hi' } });
    assert.equal(parseRequest({ id: 1, method: 'webview/ready', params: {} }).ok, true);
    assert.equal(parseRequest({ id: 2, method: 'history/page', params: { before: 'c1', limit: 50 } }).ok, true);
    const media = parseRequest({ id: 4, method: 'message/send', params: { clientMessageId: 'abcdef123456', kind: 'image', url: 'https://cdn.example/a.png' } });
    assert.equal(media.ok, true);
  });

  it('rejects unknown methods with their id so the webview gets an answer', () => {
    const r = parseRequest({ id: 9, method: 'account/deleteAll', params: {} });
    assert.equal(r.ok, false);
    assert.equal(r.ok === false && r.error.code, 'unknown-method');
    assert.equal(r.id, 9);
  });

  it('rejects malformed envelopes without throwing', () => {
    for (const raw of [null, 'string', 42, [], {}, { id: -1, method: 'webview/ready' }, { id: 1.5, method: 'webview/ready' }, { id: 1 }, { method: 'webview/ready' }, { id: 1, method: 7 }]) {
      const r = parseRequest(raw);
      assert.equal(r.ok, false, JSON.stringify(raw));
      assert.equal(r.ok === false && r.error.code === 'bad-request' || r.ok === false && r.error.code === 'unknown-method', true);
    }
  });

  it('rejects wrong field types, extra fields and dangerous values', () => {
    const bad = [
      { id: 1, method: 'history/page', params: { limit: '50' } },
      { id: 1, method: 'history/page', params: { limit: 100000 } },
      { id: 1, method: 'history/page', params: { limit: 10, extra: true } },
      { id: 1, method: 'message/send', params: { clientMessageId: 'short', kind: 'text', text: 'x' } },
      { id: 1, method: 'message/send', params: { clientMessageId: 'abcdef123456', kind: 'text', text: '   ' } },
      { id: 1, method: 'message/send', params: { clientMessageId: 'abcdef123456', kind: 'image', text: '' } },
      { id: 1, method: 'message/send', params: { clientMessageId: 'abcdef123456', kind: 'file', url: 'javascript:alert(1)' } },
      { id: 1, method: 'message/send', params: { clientMessageId: 'abcdef123456', kind: 'sticker', text: 'x' } },
      { id: 1, method: 'message/send', params: { clientMessageId: 'abcdef123456', kind: 'text', text: 'x'.repeat(20001) } },
      { id: 1, method: 'link/open', params: { url: 'file:///etc/passwd' } },
      { id: 1, method: 'link/open', params: { url: 'command:workbench.action.terminal.new' } },
      { id: 1, method: 'message/retry', params: { clientMessageId: '../../etc' } },
    ];
    for (const raw of bad) {
      const r = parseRequest(raw);
      assert.equal(r.ok, false, JSON.stringify(raw).slice(0, 120));
      assert.equal(r.ok === false && r.error.code, 'bad-request');
    }
  });
});
