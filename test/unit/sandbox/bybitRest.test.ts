import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { callBybit, envelopeSchema, okResult, orderOf, retCode } from './bybitHelpers';

const LIST = '/v5/p2p/order/simplifyList';
const PENDING = '/v5/p2p/order/pending/simplifyList';
const INFO = '/v5/p2p/order/info';

const rowSchema = z
  .object({
    id: z.string().regex(/^\d{19}$/),
    side: z.union([z.literal(0), z.literal(1)]),
    tokenId: z.literal('USDT'),
    orderType: z.string(),
    amount: z.string().regex(/^\d+\.\d{2}$/),
    currencyId: z.string(),
    price: z.string().regex(/^\d+(\.\d+)?$/),
    notifyTokenQuantity: z.string().regex(/^\d+(\.\d+)?$/),
    targetNickName: z.string(),
    targetUserId: z.string().regex(/^\d+$/),
    status: z.number().int(),
    createDate: z.string().regex(/^\d{13}$/),
    transferLastSeconds: z.string().regex(/^\d+$/),
    userId: z.string().regex(/^\d+$/),
  })
  .passthrough();
const listSchema = z.object({ count: z.number().int(), items: z.array(rowSchema) }).strict();

describe('sandbox Bybit orders and identity', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox({ counterparty: false, venues: { bybit: { activeOrders: 4, listPerSecond: 1000 } } });
  });
  afterEach(() => sb.reset());
  after(async () => {
    await sb.close();
  });

  it('answers in the P2P envelope with time_now in seconds and microseconds', async () => {
    const reply = await callBybit(sb, '/v5/p2p/user/personal/info', { body: {} });
    const body = envelopeSchema.parse(reply.body);
    assert.equal(body.ret_code, 0);
    assert.equal(body.ret_msg, 'SUCCESS');
    assert.ok(Math.abs(Number(body.time_now) * 1000 - sb.venue('bybit').now()) < 5000);
    const me = z.object({ userId: z.string(), nickName: z.string() }).passthrough().parse(body.result);
    assert.deepEqual([me.userId, me.nickName], [sb.venue('bybit').identity(0).userId, 'SandboxBybit']);
    const other = z.object({ nickName: z.string() }).passthrough().parse(okResult(await callBybit(sb, '/v5/p2p/user/personal/info', { account: 1, body: {} })));
    assert.equal(other.nickName, 'SandboxBybit2');
  });

  it('lists orders newest first, the account side as 0/1, numbers as strings, paged by page/size', async () => {
    const all = listSchema.parse(okResult(await callBybit(sb, LIST, { body: { page: 1, size: 30 } })));
    assert.equal(all.count, all.items.length);
    assert.ok(all.count >= 6);
    const dates = all.items.map((o) => Number(o.createDate));
    assert.deepEqual(dates, [...dates].sort((a, b) => b - a));
    assert.deepEqual(new Set(all.items.map((o) => o.status)), new Set([10, 20, 40, 50]));
    assert.ok(all.items.every((o) => o.userId === sb.venue('bybit').identity(0).userId));
    const paged = [];
    for (let page = 1; page <= Math.ceil(all.count / 4); page++) {
      const reply = listSchema.parse(okResult(await callBybit(sb, LIST, { body: { page: String(page), size: '4' } })));
      assert.equal(reply.count, all.count);
      paged.push(...reply.items.map((o) => o.id));
    }
    assert.deepEqual(paged, all.items.map((o) => o.id));
    const waiting = all.items.find((o) => o.status === 10)!;
    assert.ok(Number(waiting.transferLastSeconds) > 0 && Number(waiting.transferLastSeconds) <= 15 * 60);
    assert.ok(all.items.filter((o) => o.status !== 10).every((o) => o.transferLastSeconds === '0'));
  });

  it('filters by status and side; the pending list holds only orders in progress', async () => {
    const completed = listSchema.parse(okResult(await callBybit(sb, LIST, { body: { page: 1, size: 30, status: 50 } })));
    assert.ok(completed.count >= 2 && completed.items.every((o) => o.status === 50));
    const buys = listSchema.parse(okResult(await callBybit(sb, LIST, { body: { page: 1, size: 30, side: [0] } })));
    assert.ok(buys.count >= 1 && buys.items.every((o) => o.side === 0));
    const pending = listSchema.parse(okResult(await callBybit(sb, PENDING, { body: { page: 1, size: 30 } })));
    assert.equal(pending.items.filter((o) => o.status === 10 || o.status === 20).length, 4, 'activeOrders: 4');
    assert.ok(pending.items.every((o) => o.status === 10 || o.status === 20));
  });

  it('rejects missing or bad paging with 10001', async () => {
    for (const body of [{ size: 5 }, { page: 1 }, { page: 0, size: 5 }, { page: 1, size: 31 }, { page: 'x', size: 5 }, { page: 1, size: 5, status: 7 }]) {
      assert.equal(retCode(await callBybit(sb, LIST, { body })), 10001, JSON.stringify(body));
    }
    assert.equal(retCode(await callBybit(sb, LIST, { body: '[1]' })), 10001);
  });

  it('details an order with targetUserMaskId; another account\'s order is not found', async () => {
    const order = orderOf(sb, 0, 10);
    const detail = rowSchema.extend({ targetUserMaskId: z.string().regex(/^s[0-9a-f]{32}$/), nickName: z.literal('SandboxBybit'), paymentTermList: z.array(z.unknown()) }).parse(okResult(await callBybit(sb, INFO, { body: { orderId: order.orderId } })));
    assert.equal(detail.targetUserMaskId, order.targetUserMaskId);
    assert.equal(detail.targetNickName, order.targetNickName);
    assert.equal(retCode(await callBybit(sb, INFO, { account: 1, body: { orderId: order.orderId } })), 912100002);
    assert.equal(retCode(await callBybit(sb, INFO, { body: {} })), 10001);
  });

  it('seeds two orders with the same counterparty: one session spans both', () => {
    for (const account of [0, 1]) {
      const shared = sb.venue('bybit').sessions(account).find((s) => s.orderIds.length === 2);
      assert.ok(shared, `account ${account} has a session with two orders`);
      const statuses = sb.venue('bybit').orders(account).filter((o) => shared.orderIds.includes(o.orderId)).map((o) => o.status);
      assert.deepEqual(statuses.sort(), [10, 50]);
    }
  });

  it('answers 404 for unknown paths and for a method a route does not take', async () => {
    for (const [path, method] of [['/v5/p2p/nope', 'POST'], [LIST, 'GET']] as const) {
      const reply = await callBybit(sb, path, method === 'GET' ? { query: '' , method } : { body: {} });
      assert.equal(reply.status, 404, `${method} ${path}`);
    }
  });
});
