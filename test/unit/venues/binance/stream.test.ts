import assert from 'node:assert/strict';
import { decodeFrame, encodeImage, encodeText } from '../../../../src/extension/venues/binance/stream';

describe('Binance chat codec', () => {
  it('reads a pushed text message, with orderNo or topicId for the order', () => {
    const a = decodeFrame(JSON.stringify({ type: 'text', id: 7001, uuid: 'u1', orderNo: '20476365073825144832', content: 'hi', createTime: 1700000000000, self: false, fromNickName: 'Kate', status: 'unread' }));
    assert.equal(a.kind, 'message');
    assert.ok(a.kind === 'message');
    assert.equal(a.message.id, '7001');
    assert.equal(a.message.orderNo, '20476365073825144832');
    const b = decodeFrame(JSON.stringify({ type: 'text', id: '7002', topicId: '2047', content: 'x', createTime: '1700000000001' }));
    assert.ok(b.kind === 'message' && b.message.orderNo === '2047' && b.message.createTime === 1700000000001);
  });

  it('knows Bye, pong, ping and error frames', () => {
    assert.deepEqual(decodeFrame('Bye'), { kind: 'bye' });
    assert.deepEqual(decodeFrame('{"type":"pong"}'), { kind: 'pong' });
    assert.deepEqual(decodeFrame('{"type":"ping"}'), { kind: 'ping' });
    assert.deepEqual(decodeFrame('{"type":"error","content":"ILLEGAL_PARAM","uuid":"abc"}'), { kind: 'error', uuid: 'abc', reason: 'ILLEGAL_PARAM' });
    assert.deepEqual(decodeFrame('{"type":"error"}'), { kind: 'error', reason: 'no reason given' });
  });

  it('reports malformed frames instead of throwing', () => {
    for (const bad of ['{', '[]', 'null', '{"type":"text"}', '{"type":"text","id":1,"createTime":1}', '{"type":"text","id":{},"orderNo":"1","createTime":1}']) {
      const f = decodeFrame(bad);
      assert.equal(f.kind, 'invalid', bad);
    }
  });

  it('writes the documented text and image frames', () => {
    assert.deepEqual(JSON.parse(encodeText({ uuid: 'c1', orderNo: '99', content: 'paid?', createTime: 5 })), { type: 'text', uuid: 'c1', orderNo: '99', content: 'paid?', self: true, clientType: 'web', createTime: 5, sendStatus: 0 });
    const image = JSON.parse(encodeImage({ uuid: 'c2', orderNo: '99', imageUrl: 'https://x/a.jpg', imageType: 'jpeg', width: 10, height: 20, createTime: 6 })) as Record<string, unknown>;
    assert.equal(image.type, 'image');
    assert.equal(image.thumbnailUrl, 'https://x/a.jpg');
    assert.equal(image.imageType, 'jpeg');
    assert.equal(image.self, true);
    assert.equal(image.sendStatus, 0);
  });
});
