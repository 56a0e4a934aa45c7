import assert from 'node:assert/strict';
import type { Conversation } from '../../../../src/shared/model';
import { silentLogger } from '../../../../src/extension/core/logger';
import type { BinanceOrder } from '../../../../src/extension/venues/binance/api';
import { applyPushedStatus, createBinanceOrderSync, binanceOrderState, type BinanceOrderSync, type OrderApi } from '../../../../src/extension/venues/binance/orderSync';
import { FakeClock } from '../../helpers/fakeClock';

const DAY = 86_400_000;

function order(n: number, status: string | number, extra: Partial<BinanceOrder> = {}): BinanceOrder {
  return { orderNumber: `2047000000000000${n}`, tradeType: 'SELL', asset: 'USDT', fiat: 'EUR', amount: '375.99', totalPrice: '349.68', unitPrice: '0.93', orderStatus: status, createTime: 1_700_000_000_000 + n, counterPartNickName: `buyer${n}`, ...extra } as BinanceOrder;
}

class FakeOrders implements OrderApi {
  active: BinanceOrder[] = [];
  history: BinanceOrder[] = [];
  readonly historyCalls: { startTimestamp: number; endTimestamp: number; page: number }[] = [];
  async activeOrders(page: number, rows: number): Promise<BinanceOrder[]> {
    return this.active.slice((page - 1) * rows, page * rows);
  }
  async orderHistory(p: { startTimestamp: number; endTimestamp: number; page: number; rows: number }): Promise<BinanceOrder[]> {
    this.historyCalls.push(p);
    const inWindow = this.history.filter((o) => o.createTime >= p.startTimestamp && o.createTime <= p.endTimestamp);
    return inWindow.slice((p.page - 1) * p.rows, p.page * p.rows);
  }
}

describe('Binance orders -> conversations', () => {
  let clock: FakeClock;
  let api: FakeOrders;
  let sync: BinanceOrderSync;
  let seen: Conversation[];
  const signal = () => new AbortController().signal;

  beforeEach(() => {
    clock = new FakeClock(1_700_000_500_000);
    api = new FakeOrders();
    sync = createBinanceOrderSync({ accountId: 'acc', api, intervals: { fastMs: 1000, normalMs: 1000, idleMs: 1000 }, pageSize: 10, clock, logger: silentLogger });
    seen = [];
    sync.onConversation((c) => seen.push(c));
  });
  afterEach(() => sync.dispose());

  it('reads every page of the orders in progress and the last 30 days of history on the first sync', async () => {
    api.active = Array.from({ length: 25 }, (_, i) => order(i, i % 2 ? 2 : 1));
    api.history = [order(90, 'COMPLETED', { createTime: clock.now() - 3 * DAY })];
    await sync.syncAll(signal());
    assert.equal(seen.length, 26);
    assert.ok(api.historyCalls.every((c) => c.endTimestamp - c.startTimestamp < 30 * DAY), 'windows of at most 30 days');
    const c = sync.conversation(api.active[0]!.orderNumber)!;
    assert.equal(c.title, 'buyer0');
    assert.equal(c.active, true);
    assert.deepEqual(c.order, { orderNo: api.active[0]!.orderNumber, side: 'sell', asset: 'USDT', quantity: '375.99', fiat: 'EUR', fiatAmount: '349.68', price: '0.93', state: 'awaiting-payment', venueState: 'TRADING' });
    assert.equal(sync.conversation(api.history[0]!.orderNumber)?.active, false);
  });

  it('an order that leaves the in-progress list is looked up in the recent history at once', async () => {
    api.active = [order(1, 'TRADING'), order(2, 'BUYER_PAYED')];
    await sync.syncAll(signal());
    const calls = api.historyCalls.length;
    api.active = [order(2, 'BUYER_PAYED')];
    api.history = [order(1, 'COMPLETED', { createTime: clock.now() - DAY })];
    await sync.syncAll(signal());
    assert.ok(api.historyCalls.length > calls, 'history read again');
    assert.equal(sync.conversation(order(1, 'x').orderNumber)?.order?.state, 'completed');
    assert.equal(sync.isActive(order(1, 'x').orderNumber), false);
  });

  it('an order in both lists keeps the payment deadline only the in-progress list carries', async () => {
    const payBy = 1_700_000_000_001 + 15 * 60_000;
    api.active = [order(1, 1, { notifyPayEndTime: payBy, createTime: clock.now() - 60_000 })];
    // The history list has the same order in progress, without the deadline field.
    api.history = [order(1, 'TRADING', { createTime: clock.now() - 60_000, notifyPayEndTime: undefined })];
    await sync.syncAll(signal());
    assert.equal(sync.conversation(api.active[0]!.orderNumber)?.order?.payBy, payBy);
    assert.equal(sync.conversation(api.active[0]!.orderNumber)?.order?.state, 'awaiting-payment');
  });

  it('names the counterparty from buyerNickname/sellerNickname by the user\'s side when a row has no counterPartNickName', async () => {
    api.active = [
      order(1, 1, { counterPartNickName: undefined, tradeType: 'SELL', buyerNickname: 'TheBuyer', sellerNickname: 'Me' }),
      order(2, 2, { counterPartNickName: null, tradeType: 'BUY', buyerNickname: 'Me', sellerNickname: 'TheSeller' }),
      order(3, 1, { counterPartNickName: undefined, tradeType: undefined }),
    ];
    await sync.syncAll(signal());
    assert.deepEqual(api.active.map((o) => sync.conversation(o.orderNumber)?.title), ['TheBuyer', 'TheSeller', 'Counterparty']);
  });

  it('announces nothing when the two lists spell the same state differently (1 in progress, TRADING in the history)', async () => {
    const inProgress = [order(1, 1), order(2, 2), order(3, 3)].map((o) => ({ ...o, createTime: clock.now() - DAY }));
    api.active = inProgress;
    api.history = [order(1, 'TRADING'), order(2, 'BUYER_PAYED'), order(3, 'IN_APPEAL')].map((o) => ({ ...o, createTime: clock.now() - DAY }));
    const syncWithHistoryEveryPoll = createBinanceOrderSync({ accountId: 'acc', api, intervals: { fastMs: 1000, normalMs: 1000, idleMs: 1000 }, pageSize: 10, historyEvery: 1, clock, logger: silentLogger });
    const announced: Conversation[] = [];
    syncWithHistoryEveryPoll.onConversation((c) => announced.push(c));
    try {
      await syncWithHistoryEveryPoll.syncAll(signal());
      assert.equal(announced.length, 3);
      for (let i = 0; i < 3; i++) await syncWithHistoryEveryPoll.syncAll(signal());
      assert.equal(announced.length, 3, 'no change announced by later polls');
      assert.deepEqual(inProgress.map((o) => syncWithHistoryEveryPoll.conversation(o.orderNumber)?.order?.venueState), ['TRADING', 'BUYER_PAYED', 'IN_APPEAL']);
    } finally {
      syncWithHistoryEveryPoll.dispose();
    }
  });

  it('a status pushed on the chat socket moves the conversation at once', async () => {
    api.active = [order(1, 'TRADING')];
    await sync.syncAll(signal());
    applyPushedStatus(sync, order(1, 'x').orderNumber, 'BUYER_PAYED');
    assert.equal(seen.at(-1)?.order?.state, 'paid');
  });

  it('maps every documented status, numeric and named', () => {
    const expected: Record<string, string> = { TRADING: 'awaiting-payment', PENDING: 'awaiting-payment', BUYER_PAYED: 'paid', DISTRIBUTING: 'in-progress', IN_APPEAL: 'appeal', COMPLETED: 'completed', CANCELLED: 'cancelled', CANCELLED_BY_SYSTEM: 'expired', '1': 'awaiting-payment', '2': 'paid', '3': 'appeal', '4': 'completed', '6': 'cancelled', '7': 'expired', WEIRD: 'unknown' };
    for (const [status, state] of Object.entries(expected)) assert.equal(binanceOrderState(status), state, status);
  });
});
