import assert from 'node:assert/strict';
import { PING_FRAME, decodeFrame, encodeSend, parseMexcTime } from '../../../src/extension/venues/mexc/stream';

describe('MEXC chat codec', () => {
  it('double-encodes SEND_MESSAGE params as a JSON string holding JSON', () => {
    const frame = JSON.parse(encodeSend({ conversationId: 50012, type: 2, content: 'receipt', imageUrl: 'https://x/a.png' })) as { method: string; params: unknown };
    assert.equal(frame.method, 'SEND_MESSAGE');
    assert.equal(typeof frame.params, 'string');
    assert.deepEqual(JSON.parse(frame.params as string), { content: 'receipt', conversationId: 50012, type: 2, imageUrl: 'https://x/a.png', imageThumbUrl: '', videoUrl: '', fileUrl: '' });
    assert.equal(PING_FRAME, '{"method":"PING"}');
  });

  it('decodes the documented RECEIVE_MESSAGE push', () => {
    const text = '{"success":true,"msg":"success","method":"RECEIVE_MESSAGE","data":"{\\"id\\":1,\\"content\\":\\"hello\\",\\"conversationId\\":50012,\\"type\\":1,\\"createTime\\":\\"2025-01-26 12:00:00\\",\\"self\\":false,\\"fromUserId\\":\\"abc123\\",\\"fromNickName\\":\\"Counterparty\\"}"}';
    const frame = decodeFrame(text);
    assert.equal(frame.kind, 'message');
    if (frame.kind !== 'message') return;
    assert.equal(frame.message.id, '1');
    assert.equal(frame.message.conversationId, '50012');
    assert.equal(frame.message.content, 'hello');
    assert.equal(frame.message.self, false);
    assert.equal(frame.message.fromNickName, 'Counterparty');
    assert.equal(frame.message.imageUrl, '');
  });

  it('recognises the PONG and SEND_MESSAGE replies', () => {
    assert.deepEqual(decodeFrame('{"success":true,"method":"PING","msg":"success","data":"PONG"}'), { kind: 'pong' });
    assert.deepEqual(decodeFrame('{"success":false,"method":"SEND_MESSAGE","msg":"imageUrl required"}'), { kind: 'reply', method: 'SEND_MESSAGE', success: false, msg: 'imageUrl required' });
  });

  it('reports malformed frames instead of throwing', () => {
    const bad = [
      'not json',
      '[1,2,3]',
      '{"method":"RECEIVE_MESSAGE","data":"{broken"}',
      '{"method":"RECEIVE_MESSAGE","data":"{\\"id\\":\\"x\\",\\"type\\":1}"}',
      '{"method":"RECEIVE_MESSAGE","data":{"id":1,"conversationId":2,"type":9,"createTime":"x","self":false}}',
      '{"method":"RECEIVE_MESSAGE","data":{"id":1,"conversationId":2,"type":1,"createTime":"x","self":"yes"}}',
      '{"hello":"world"}',
      '"just a string"',
      'null',
    ];
    for (const text of bad) {
      const frame = decodeFrame(text);
      assert.equal(frame.kind, 'invalid', text);
    }
  });

  it('accepts data as an object too, and numeric strings for ids (defensive: docs/venue-protocols.md)', () => {
    const frame = decodeFrame('{"method":"RECEIVE_MESSAGE","data":{"id":"7","conversationId":"9","type":1,"createTime":"2025-01-26 12:00:00","self":true,"content":null}}');
    assert.equal(frame.kind, 'message');
    if (frame.kind === 'message') {
      assert.equal(frame.message.id, '7');
      assert.equal(frame.message.content, '');
    }
  });

  it('reads the zone-less createTime in the configured offset', () => {
    assert.equal(parseMexcTime('2025-01-26 12:00:00', 480), Date.UTC(2025, 0, 26, 4, 0, 0));
    assert.equal(parseMexcTime('2025-01-26 12:00:00', 0), Date.UTC(2025, 0, 26, 12, 0, 0));
    assert.equal(parseMexcTime('26/01/2025', 480), undefined);
  });
});
