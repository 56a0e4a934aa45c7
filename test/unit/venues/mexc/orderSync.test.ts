import assert from 'node:assert/strict';
import type { Conversation } from '../../../../src/shared/model';
import { silentLogger } from '../../../../src/extension/core/logger';
import type { MexcOrder } from '../../../../src/extension/venues/mexc/api';
import { OrderSync, type OrderApi } from '../../../../src/extension/venues/mexc/orderSync';
import { VenueError } from '../../../../src/extension/venues/venue';
import { FakeClock } from '../../helpers/fakeClock';

function order(n: number, state = 'DONE'): MexcOrder {
  return { advOrderNo: `10${String(n).padStart(4, '0')}`, state, side: 'SELL', coinName: 'USDT', amount: '10', createTime: 1_700_000_000_000 - n * 1000, userInfo: { nickName: `cp${n}` } };
}

/** An order list that honours the scroll cursor, newest first, like paginationV2. */
class FakeOrderApi implements OrderApi {
  orders: MexcOrder[] = [];
  listCalls: { limit: number; lastCreateTime?: number; lastId?: string }[] = [];
  conversationCalls: string[] = [];
  ignoreCursor = false;
  chatless = new Set<string>();
  failConversation: VenueError | undefined;

  async listOrders(params: { limit: number; lastCreateTime?: number; lastId?: string }): Promise<MexcOrder[]> {
    this.listCalls.push(params);
    const sorted = [...this.orders].sort((a, b) => b.createTime - a.createTime);
    const start = this.ignoreCursor || params.lastId === undefined ? 0 : sorted.findIndex((o) => o.advOrderNo === params.lastId) + 1;
    return sorted.slice(start, start + params.limit);
  }

  async conversationId(orderNo: string): Promise<number> {
    this.conversationCalls.push(orderNo);
    if (this.failConversation) throw this.failConversation;
    if (this.chatless.has(orderNo)) throw new VenueError('rejected', 'no chat for this order');
    return 50_000 + Number(orderNo.slice(2));
  }
}

describe('MEXC order sync', () => {
  let api: FakeOrderApi;
  let sync: OrderSync;
  let announced: Conversation[];
  let synced: (readonly Conversation[])[];
  const signal = () => new AbortController().signal;

  beforeEach(() => {
    api = new FakeOrderApi();
    sync = new OrderSync({ accountId: 'acc', api, intervals: { fastMs: 1000, normalMs: 5000, idleMs: 5000 }, pageSize: 3, clock: new FakeClock(), logger: silentLogger });
    announced = [];
    synced = [];
    sync.onConversation((c) => announced.push(c));
    sync.onSynced((all) => synced.push(all));
  });
  afterEach(() => sync.dispose());

  it('reads every page, passing the last row of each as the cursor of the next', async () => {
    api.orders = Array.from({ length: 7 }, (_, i) => order(i + 1));
    await sync.syncAll(signal());
    assert.deepEqual(
      api.listCalls,
      [
        { limit: 3 },
        { limit: 3, lastCreateTime: order(3).createTime, lastId: order(3).advOrderNo },
        { limit: 3, lastCreateTime: order(6).createTime, lastId: order(6).advOrderNo },
      ],
    );
    assert.equal(synced.length, 1);
    assert.deepEqual(synced[0]!.map((c) => c.conversationId), ['50001', '50002', '50003', '50004', '50005', '50006', '50007']);
  });

  it('stops when the venue ignores the cursor instead of looping', async () => {
    api.orders = Array.from({ length: 7 }, (_, i) => order(i + 1));
    api.ignoreCursor = true;
    await sync.syncAll(signal());
    assert.equal(api.listCalls.length, 2, 'the repeated page is noticed');
    assert.equal(synced.length, 1);
  });

  it('reads at most maxPages pages per poll', async () => {
    const capped = new OrderSync({ accountId: 'acc', api, intervals: { fastMs: 1000, normalMs: 5000, idleMs: 5000 }, pageSize: 2, maxPages: 2, clock: new FakeClock(), logger: silentLogger });
    api.orders = Array.from({ length: 9 }, (_, i) => order(i + 1));
    await capped.syncAll(signal());
    assert.equal(api.listCalls.length, 2);
    capped.dispose();
  });

  it('asks for an order\'s conversation once, and announces a conversation only when its order changed', async () => {
    api.orders = [order(1, 'NOT_PAID'), order(2)];
    const first = await sync.syncAll(signal());
    assert.equal(first.activity, true);
    assert.equal(announced.length, 2);
    const quiet = await sync.syncAll(signal());
    assert.equal(quiet.activity, false);
    assert.equal(announced.length, 2);
    assert.deepEqual(api.conversationCalls, [order(1).advOrderNo, order(2).advOrderNo]);
    assert.equal(sync.isActive('50001'), true);
    api.orders = [order(1, 'PAID'), order(2)];
    await sync.syncAll(signal());
    assert.equal(announced.length, 3);
    assert.equal(announced[2]!.order?.state, 'paid');
    assert.match(announced[2]!.subtitle ?? '', /· Paid ·/);
    assert.equal(api.conversationCalls.length, 2, 'still cached');
  });

  it('asks again for an order without a chat only when its state changes', async () => {
    api.orders = [order(1, 'NOT_PAID')];
    api.chatless.add(order(1).advOrderNo);
    await sync.syncAll(signal());
    await sync.syncAll(signal());
    assert.equal(api.conversationCalls.length, 1);
    assert.equal(announced.length, 0);
    api.chatless.clear();
    api.orders = [order(1, 'PAID')];
    await sync.syncAll(signal());
    assert.equal(api.conversationCalls.length, 2);
    assert.equal(announced[0]?.conversationId, '50001');
  });

  it('fails the poll when a conversation lookup fails for another reason, and reports nothing as synced', async () => {
    api.orders = [order(1)];
    api.failConversation = new VenueError('unavailable', 'cannot reach MEXC');
    await assert.rejects(sync.syncAll(signal()), (e: unknown) => e instanceof VenueError && e.kind === 'unavailable');
    assert.equal(synced.length, 0);
  });

  it('stops paging when aborted and reports nothing as synced', async () => {
    api.orders = Array.from({ length: 7 }, (_, i) => order(i + 1));
    const abort = new AbortController();
    const list = api.listOrders.bind(api);
    api.listOrders = async (params) => {
      const rows = await list(params);
      abort.abort();
      return rows;
    };
    await assert.rejects(sync.syncAll(abort.signal));
    assert.equal(api.listCalls.length, 1);
    assert.equal(synced.length, 0);
  });

  it('serves one page with an opaque cursor for listConversations', async () => {
    api.orders = Array.from({ length: 4 }, (_, i) => order(i + 1));
    const first = await sync.listPage();
    assert.deepEqual(first.items.map((c) => c.conversationId), ['50001', '50002', '50003']);
    assert.ok(first.next);
    const second = await sync.listPage(first.next);
    assert.deepEqual(second.items.map((c) => c.conversationId), ['50004']);
    assert.equal(second.next, undefined);
  });

  it('carries the order context, with the fiat amount in its currency and the side in words', async () => {
    api.orders = [{ ...order(1, 'NOT_PAID'), side: 'BUY', amount: '349.68', fiatUnit: 'EUR', tradableQuantity: '375.99', price: '0.93', payTimeLimit: 1_700_000_000_000 + 900_000 }];
    await sync.syncAll(signal());
    const c = announced[0]!;
    assert.deepEqual(c.order, {
      orderNo: '100001',
      side: 'buy',
      asset: 'USDT',
      quantity: '375.99',
      fiat: 'EUR',
      fiatAmount: '349.68',
      price: '0.93',
      state: 'awaiting-payment',
      venueState: 'NOT_PAID',
      payBy: 1_700_000_900_000,
    });
    assert.equal(c.subtitle, 'You buy 375.99 USDT for 349.68 EUR at 0.93 EUR/USDT · Awaiting payment · order 100001');
    assert.doesNotMatch(c.subtitle ?? '', /349\.68 USDT|NOT_PAID/);
  });

  it('announces an order whose context changed even when its state did not', async () => {
    api.orders = [order(1, 'PAID')];
    await sync.syncAll(signal());
    api.orders = [{ ...order(1, 'PAID'), payTimeLimit: 1_700_000_000_000 + 60_000 }];
    await sync.syncAll(signal());
    assert.equal(announced.length, 2);
    assert.equal(announced[1]!.order?.payBy, 1_700_000_060_000);
  });
});
