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

  it('takes a reply target by message key only, and location/contact composing by kind only', () => {
    const key = 'multiwa:acc-1:4477@s.whatsapp.net:3EB0ABC';
    const reply = parseRequest({ id: 5, method: 'message/send', params: { clientMessageId: 'abcdef123456', kind: 'text', text: 'yes', replyTo: { key } } });
    assert.deepEqual(reply.ok && reply.params, { clientMessageId: 'abcdef123456', kind: 'text', text: 'yes', replyTo: { key } });
    assert.equal(parseRequest({ id: 6, method: 'attachment/upload', params: { caption: '', replyTo: { key } } }).ok, true);
    assert.equal(parseRequest({ id: 7, method: 'compose/structured', params: { kind: 'location' } }).ok, true);
    assert.equal(parseRequest({ id: 8, method: 'compose/structured', params: { kind: 'contact', replyTo: { key } } }).ok, true);
    for (const params of [
      // The quote's words come from the host's store, never from the pane.
      { clientMessageId: 'abcdef123456', kind: 'text', text: 'yes', replyTo: { key, text: 'I never said that' } },
      { clientMessageId: 'abcdef123456', kind: 'text', text: 'yes', replyTo: { key: '' } },
      { clientMessageId: 'abcdef123456', kind: 'text', text: 'yes', replyTo: { key: 'a\u0000b' } },
      { clientMessageId: 'abcdef123456', kind: 'text', text: 'yes', replyTo: { key: 'k'.repeat(1025) } },
      { clientMessageId: 'abcdef123456', kind: 'text', text: 'yes', replyTo: key },
    ]) {
      const r = parseRequest({ id: 9, method: 'message/send', params });
      assert.equal(r.ok, false, JSON.stringify(params).slice(0, 80));
    }
    for (const params of [{ kind: 'poll' }, { kind: 'location', latitude: 1, longitude: 2 }, {}]) {
      assert.equal(parseRequest({ id: 10, method: 'compose/structured', params }).ok, false, JSON.stringify(params));
    }
  });

  it('names an attachment to download by message key and index only, never by link', () => {
    const ok = parseRequest({ id: 5, method: 'attachment/download', params: { key: 'mixin:acc:conv:m-1', index: 0 } });
    assert.deepEqual(ok, { ok: true, id: 5, method: 'attachment/download', params: { key: 'mixin:acc:conv:m-1', index: 0 } });
    assert.equal(parseRequest({ id: 6, method: 'attachment/download', params: { key: 'k', index: 19 } }).ok, true);
    for (const params of [
      {},
      { key: 'k' },
      { index: 0 },
      { key: '', index: 0 },
      { key: 'k', index: -1 },
      { key: 'k', index: 1.5 },
      { key: 'k', index: 20 },
      { key: 'k', index: '0' },
      { key: 'a\nb', index: 0 },
      { key: 'k'.repeat(1025), index: 0 },
      { key: 'k', index: 0, url: 'https://evil.example/x' },
      { key: 'k', index: 0, target: '/etc/passwd' },
    ]) {
      const r = parseRequest({ id: 7, method: 'attachment/download', params });
      assert.equal(r.ok, false, JSON.stringify(params));
      assert.equal(r.ok === false && r.error.code, 'bad-request');
    }
  });
});
