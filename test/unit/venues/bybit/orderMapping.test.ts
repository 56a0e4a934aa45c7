import assert from 'node:assert/strict';
import type { BybitOrder } from '../../../../src/extension/venues/bybit/api';
import { ACTIVE_BYBIT_STATES, bybitOrderContext, bybitOrderState } from '../../../../src/extension/venues/bybit/orderMapping';

const row = (extra: Partial<BybitOrder> = {}): BybitOrder =>
  ({ id: '1898976123321221120', side: 1, tokenId: 'USDT', amount: '349.68', notifyTokenQuantity: '375.99', currencyId: 'EUR', price: '0.93', status: 10, createDate: 1_741_763_625_000, targetNickName: 'Buyer', transferLastSeconds: 840, ...extra }) as BybitOrder;

describe('Bybit orders -> order context', () => {
  it('reads the account\'s side, amounts as text, the state in words and the pay-by from the seconds left', () => {
    const readAt = 1_741_763_700_000;
    assert.deepEqual(bybitOrderContext(row(), readAt), {
      orderNo: '1898976123321221120', side: 'sell', asset: 'USDT', quantity: '375.99', fiat: 'EUR', fiatAmount: '349.68', price: '0.93', state: 'awaiting-payment', venueState: '10', payBy: readAt + 840_000,
    });
    assert.equal(bybitOrderContext(row({ side: 0 }), readAt).side, 'buy');
  });

  it('has no deadline once paid, or when the seconds left are missing or absurd', () => {
    assert.equal(bybitOrderContext(row({ status: 20 }), 0).payBy, undefined);
    assert.equal(bybitOrderContext(row({ transferLastSeconds: undefined }), 0).payBy, undefined);
    assert.equal(bybitOrderContext(row({ transferLastSeconds: 0 }), 0).payBy, undefined);
    assert.equal(bybitOrderContext(row({ transferLastSeconds: 10 ** 9 }), 0).payBy, undefined);
  });

  it('maps every documented status, and keeps unknown ones as unknown', () => {
    const words = [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110].map((s) => `${s}:${bybitOrderState(s)}`);
    assert.deepEqual(words, ['5:in-progress', '10:awaiting-payment', '20:paid', '30:appeal', '40:cancelled', '50:completed', '60:in-progress', '70:in-progress', '80:cancelled', '90:in-progress', '100:appeal', '110:appeal']);
    assert.equal(bybitOrderState(999), 'unknown');
    assert.ok(!ACTIVE_BYBIT_STATES.has(40) && !ACTIVE_BYBIT_STATES.has(50) && ACTIVE_BYBIT_STATES.has(20));
  });
});
