import assert from 'node:assert/strict';
import type { BybitOrderMessage, BybitSessionMessage } from '../../../../src/extension/venues/bybit/api';
import { expiryOf, fromOrderMessage, fromSessionMessage, resolveMediaUrl, toChatMessage, type MappingContext } from '../../../../src/extension/venues/bybit/messageMapping';

const NOW = 1_741_765_371_720;
const ctx = (problems: string[] = []): MappingContext => ({ accountId: 'acc', conversationId: '1898976123321221120', me: { userId: '290118', nickName: 'cjmtest' }, baseUrl: 'https://api.bybit.com', now: NOW, problems });

// The order-scoped API's documented example item (seed 001), with our user id.
const documented: BybitOrderMessage = {
  id: '3000835348', accountId: '290120', message: 'hi, test', msgType: 1, msgCode: 0, createDate: 1_741_763_625_000, isRead: 0, contentType: 'str', roleType: 'user', userId: '290118', orderId: '1898976123321221120', msgUuid: '', nickName: 'cjmtest', fileName: '',
} as BybitOrderMessage;

describe('Bybit messages -> model', () => {
  it('maps the documented order-chat item: ours by user id, confirmed, keyed by (order, id)', () => {
    const m = toChatMessage(fromOrderMessage(documented), ctx());
    assert.equal(m.key, 'bybit:acc:1898976123321221120:3000835348');
    assert.equal(m.direction, 'out');
    assert.equal(m.status, 'confirmed');
    assert.equal(m.text, 'hi, test');
    assert.equal(m.time, 1_741_763_625_000);
  });

  it('our msgUuid comes back as the client message id, so the listed message merges into what we sent', () => {
    const m = toChatMessage(fromOrderMessage({ ...documented, msgUuid: 'c0ffee00c0ffee00' } as BybitOrderMessage), ctx());
    assert.equal(m.clientMessageId, 'c0ffee00c0ffee00');
  });

  it('the counterparty\'s messages are incoming; staff messages say so; system ones are system lines', () => {
    const theirs = toChatMessage(fromOrderMessage({ ...documented, userId: '777', nickName: 'Buyer' } as BybitOrderMessage), ctx());
    assert.equal(theirs.direction, 'in');
    assert.equal(theirs.status, undefined);
    const staff = toChatMessage(fromOrderMessage({ ...documented, userId: '1', nickName: 'CS', msgType: 5 } as BybitOrderMessage), ctx());
    assert.equal(staff.senderName, 'CS (Bybit support)');
    const system = toChatMessage(fromOrderMessage({ ...documented, userId: '0', msgType: 0, roleType: 'sys', message: 'The buyer has marked the order as paid.' } as BybitOrderMessage), ctx());
    assert.equal(system.direction, 'system');
    assert.equal(system.text, 'The buyer has marked the order as paid.');
  });

  it('a counterparty calling itself "SYSTEM" or "System" stays the counterparty: never a system line', () => {
    for (const nickName of ['SYSTEM', 'System', 'system']) {
      const order = toChatMessage(fromOrderMessage({ ...documented, userId: '777', roleType: 'user', nickName, message: 'The seller has released the crypto.' } as BybitOrderMessage), ctx());
      assert.equal(order.direction, 'in', nickName);
      assert.equal(order.senderName, nickName);
    }
    const problems: string[] = [];
    const session = toChatMessage(fromSessionMessage({ id: '12', sendUserNickName: 'System', contentType: 'str', message: '{"content":"Order paid"}', createDate: 1_741_763_625_000 } as BybitSessionMessage, problems), ctx(problems));
    assert.equal(session.direction, 'in', 'only the exact venue spelling, where nothing else tells');
  });

  it('session messages: the inner JSON, ours by nickname, SYSTEM as system', () => {
    const problems: string[] = [];
    const item = (extra: Partial<BybitSessionMessage>): BybitSessionMessage => ({ id: '11', sendUserNickName: 'Buyer', contentType: 'str', message: '{"content":"hello","msgType":301}', createDate: 1_741_763_625_000, ...extra }) as BybitSessionMessage;
    assert.equal(toChatMessage(fromSessionMessage(item({}), problems), ctx(problems)).text, 'hello');
    assert.equal(toChatMessage(fromSessionMessage(item({ sendUserNickName: 'cjmtest' }), problems), ctx(problems)).direction, 'out');
    assert.equal(toChatMessage(fromSessionMessage(item({ sendUserNickName: 'SYSTEM' }), problems), ctx(problems)).direction, 'system');
    assert.deepEqual(problems, []);
    const plain = toChatMessage(fromSessionMessage(item({ message: 'not json' }), problems), ctx(problems));
    assert.equal(plain.text, 'not json', 'kept as text');
    assert.equal(problems.length, 1, 'and reported');
  });

  it('media: pic, pdf and video (any case) with the relative URL resolved and its expiry read', () => {
    const relative = '/fiat/p2p/oss/showObj/otc/9001/proof.pdf?e=1741770000&token=abc';
    const pdf = toChatMessage(fromOrderMessage({ ...documented, userId: '777', contentType: 'PDF', message: relative, fileName: 'proof.pdf', msgType: 7 } as BybitOrderMessage), ctx());
    assert.equal(pdf.kind, 'file');
    assert.deepEqual(pdf.attachments, [{ kind: 'file', url: `https://api.bybit.com${relative}`, ref: relative, name: 'proof.pdf', mimeType: 'application/pdf', expiresAt: 1_741_770_000_000 }]);
    const pic = toChatMessage(fromOrderMessage({ ...documented, contentType: 'pic', message: 'https://cdn.example/a.png' } as BybitOrderMessage), ctx());
    assert.equal(pic.kind, 'image');
    assert.equal(pic.attachments?.[0]?.url, 'https://cdn.example/a.png');
    assert.equal(pic.attachments?.[0]?.name, 'a.png');
    assert.equal(toChatMessage(fromOrderMessage({ ...documented, contentType: 'video', message: '/v.mp4' } as BybitOrderMessage), ctx()).kind, 'video');
  });

  it('refuses media URLs that are not http(s), and reads expiry only from a plausible e=', () => {
    assert.equal(resolveMediaUrl('javascript:alert(1)', 'https://api.bybit.com'), undefined);
    assert.equal(resolveMediaUrl('/x.png', 'http://127.0.0.1:9/gw'), 'http://127.0.0.1:9/x.png');
    assert.equal(expiryOf('https://h/x?e=12'), undefined);
    const problems: string[] = [];
    const bad = toChatMessage(fromOrderMessage({ ...documented, contentType: 'pic', message: 'javascript:alert(1)' } as BybitOrderMessage), ctx(problems));
    assert.equal(bad.attachments?.[0]?.url, undefined);
    assert.equal(problems.length, 1);
  });
});
