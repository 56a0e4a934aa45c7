import assert from 'node:assert/strict';
import { toChatMessage } from '../../../../src/extension/venues/binance/messageMapping';
import { chatMessageProblem } from '../../../../src/shared/messageValidator';

const NOW = 1_700_000_100_000;
const base = { id: '1001', createTime: 1_700_000_000_000, fromNickName: 'Kate' };

function map(fields: Parameters<typeof toChatMessage>[0]) {
  const problems: string[] = [];
  const m = toChatMessage(fields, { accountId: 'acc', orderNo: '555', now: NOW, problems });
  assert.equal(chatMessageProblem(m), undefined, `valid for the store: ${JSON.stringify(m)}`);
  return { m, problems };
}

describe('Binance messages -> model', () => {
  it('keys by (orderNo, id) and turns our echo into our client message id, confirmed', () => {
    const { m } = map({ ...base, type: 'text', content: 'hello', self: true, uuid: 'abc123def' });
    assert.equal(m.key, 'binance:acc:555:1001');
    assert.equal(m.direction, 'out');
    assert.equal(m.clientMessageId, 'abc123def');
    assert.equal(m.status, 'confirmed');
    const theirs = map({ ...base, type: 'text', content: 'hi', self: false, uuid: 'their-uuid' }).m;
    assert.equal(theirs.direction, 'in');
    assert.equal(theirs.clientMessageId, undefined, 'a counterparty uuid is not ours');
  });

  it('renders every documented type readably: image, video, card, system, recall, auto_reply and unknown ones', () => {
    const image = map({ ...base, type: 'image', imageUrl: 'https://img/x.jpg', thumbnailUrl: 'https://img/t.jpg', width: 640, height: 480, imageType: 'jpeg' }).m;
    assert.equal(image.kind, 'image');
    assert.deepEqual(image.attachments?.[0], { kind: 'image', url: 'https://img/x.jpg', thumbUrl: 'https://img/t.jpg', width: 640, height: 480, mimeType: 'image/jpeg' });
    assert.equal(map({ ...base, type: 'video', content: 'https://v/clip.mp4' }).m.attachments?.[0]?.url, 'https://v/clip.mp4');
    assert.equal(map({ ...base, type: 'card', content: '{"title":"Payment method","content":"SEPA"}' }).m.text, 'Payment method\nSEPA');
    const system = map({ ...base, type: 'system', content: '{"orderStatus":"BUYER_PAYED"}' }).m;
    assert.equal(system.direction, 'system');
    assert.equal(system.text, 'Order marked as paid');
    assert.deepEqual(system.payload, { type: 'system', event: 'order-status', orderId: '555', state: 'BUYER_PAYED' });
    assert.deepEqual(map({ ...base, type: 'recall', content: '{"id":"999"}' }).m.payload, { type: 'recall', targetVenueMessageId: '999' });
    assert.equal(map({ ...base, type: 'recall', content: '' }).m.text, 'A message was withdrawn.');
    assert.equal(map({ ...base, type: 'auto_reply', content: 'I am away' }).m.text, 'Automatic reply: I am away');
    assert.equal(map({ ...base, type: 'hologram', content: 'future' }).m.text, '[hologram] future');
  });

  it('keeps a message with a bad time at its arrival time and reports it', () => {
    const { m, problems } = map({ ...base, type: 'text', content: 'x', createTime: -5 });
    assert.equal(m.time, NOW);
    assert.equal(problems.length, 1);
  });
});
