import * as assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { callBybit, eventually, innerSchema, legacyPage, okResult, orderOf, sessionPage } from './bybitHelpers';

describe('sandbox Bybit counterparty and hooks', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox({ counterpartyReplyDelayMs: 20, venues: { bybit: { sendPerSecond: 1000, listPerSecond: 1000 } } });
  });
  afterEach(() => sb.reset());
  after(async () => {
    await sb.close();
  });

  it('as the buyer, pays when asked (10 → 20, a SYSTEM line) and sends a proof file the emulator serves', async () => {
    const order = orderOf(sb, 0, 10);
    okResult(await callBybit(sb, '/v5/p2p/chat/message/send', { body: { message: 'Please pay to the bank details', contentType: 'str', sessionId: order.sessionId, orderId: order.orderId } }));
    const proof = await eventually(() => sb.venue('bybit').messages(order.orderId).find((m) => m.contentType === 'pic' || m.contentType === 'pdf'));
    await eventually(() => (sb.venue('bybit').messages(order.orderId).some((m) => m.content.startsWith('Paid, the proof')) ? true : undefined));
    assert.equal(sb.venue('bybit').orders(0).find((o) => o.orderId === order.orderId)!.status, 20);
    const page = await sessionPage(sb, order.sessionId, 6);
    const system = page.find((m) => m.sendUserNickName === 'SYSTEM')!;
    assert.match(innerSchema.parse(JSON.parse(system.message)).content, /marked the order as paid/);
    const file = await fetch(`${sb.venue('bybit').restUrl}${proof.content}`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), proof.contentType === 'pdf' ? 'application/pdf' : 'image/png');
    assert.equal(proof.fromNickName, order.targetNickName);
    const status = await callBybit(sb, '/v5/p2p/order/info', { body: { orderId: order.orderId } });
    assert.equal((okResult(status) as { status: number }).status, 20);
  });

  it('as the seller, releases when told we paid (20 → 50)', async () => {
    const created = sb.venue('bybit').createOrder({ side: 0, status: 20 });
    sb.venue('bybit').applyFaults({ legacyChatClosed: [] });
    okResult(await callBybit(sb, '/v5/p2p/order/message/send', { body: { message: 'I have paid', contentType: 'str', orderId: created.orderId, msgUuid: 'p-1' } }));
    await eventually(() => (sb.venue('bybit').orders(0).find((o) => o.orderId === created.orderId)!.status === 50 ? true : undefined));
    const items = await legacyPage(sb, created.orderId, 10);
    assert.equal(items[0]!.roleType, 'sys');
    assert.ok(items.some((m) => m.message === 'Received, releasing the coins.' && m.userId === created.targetUserId));
  });

  it('injects text, pic, pdf, video and system lines; a system inject with a status moves the order', () => {
    const bybit = sb.venue('bybit');
    const { orderId } = orderOf(sb, 0, 10);
    const kinds = (['text', 'pic', 'pdf', 'video', 'system'] as const).map((kind) => bybit.inject({ orderId, kind }));
    assert.deepEqual(kinds.map((m) => [m.contentType, m.msgType]), [['str', 1], ['pic', 2], ['pdf', 7], ['video', 8], ['str', 0]]);
    assert.ok(kinds.slice(1, 4).every((m) => m.content.startsWith('/fiat/p2p/oss/showObj/otc/9001/') && m.fileName !== ''));
    assert.equal(kinds[4]!.fromNickName, 'SYSTEM');
    bybit.inject({ orderId, kind: 'system', status: 40 });
    assert.equal(bybit.orders(0).find((o) => o.orderId === orderId)!.status, 40);
    assert.throws(() => bybit.inject({ orderId: 'nope' }));
    assert.throws(() => bybit.inject({ orderId, kind: 'gif' } as never));
  });

  it('createOrder: a new counterparty makes a new session; sameCounterpartyAs joins the existing one', () => {
    const bybit = sb.venue('bybit');
    const sessions = bybit.sessions(1).length;
    const fresh = bybit.createOrder({ account: 1, openingMessage: 'Hi, ordering now' });
    assert.equal(bybit.sessions(1).length, sessions + 1);
    assert.equal(fresh.status, 10);
    const again = bybit.createOrder({ account: 1, sameCounterpartyAs: fresh.orderId });
    assert.equal(again.sessionId, fresh.sessionId);
    assert.deepEqual(bybit.sessions(1).find((s) => s.sessionId === fresh.sessionId)!.orderIds.length, 2);
    assert.equal(bybit.setOrderState({ orderId: fresh.orderId, status: 40 }).status, 40);
  });
});
