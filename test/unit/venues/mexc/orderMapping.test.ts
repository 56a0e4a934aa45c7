import assert from 'node:assert/strict';
import type { OrderState } from '../../../../src/shared/model';
import type { MexcOrder } from '../../../../src/extension/venues/mexc/api';
import { mexcOrderContext, mexcOrderSide, mexcOrderState } from '../../../../src/extension/venues/mexc/orderMapping';
import { decimalText } from '../../../../src/extension/venues/orderContextFields';

const CREATED = 1_700_000_000_000;

function row(init: Partial<MexcOrder> = {}): MexcOrder {
  return {
    advOrderNo: '1234567890123456789',
    state: 'NOT_PAID',
    side: 'BUY',
    coinName: 'USDT',
    tradableQuantity: '375.99',
    amount: '349.68',
    price: '0.93',
    fiatUnit: 'EUR',
    createTime: CREATED,
    payTimeLimit: CREATED + 15 * 60_000,
    ...init,
  };
}

describe('MEXC order mapping', () => {
  const states: [string, OrderState, boolean][] = [
    ['NOT_PAID', 'awaiting-payment', true],
    ['PAID', 'paid', true],
    ['APPEAL', 'appeal', true],
    ['DONE', 'completed', false],
    ['CANCEL', 'cancelled', false],
    ['TIMEOUT', 'expired', false],
  ];
  for (const [venueState, state] of states) {
    it(`maps state ${venueState} to ${state}, keeping the venue's word`, () => {
      const context = mexcOrderContext(row({ state: venueState }));
      assert.equal(context.state, state);
      assert.equal(context.venueState, venueState);
    });
  }

  it('maps a live state it has no word for to in-progress and an unknown one to unknown', () => {
    assert.equal(mexcOrderState('WAIT_RELEASE'), 'in-progress');
    assert.equal(mexcOrderState('FROZEN'), 'unknown');
    assert.equal(mexcOrderContext(row({ state: null })).venueState, 'UNKNOWN');
    assert.equal(mexcOrderContext(row({ state: null })).state, 'unknown');
  });

  it("reads the side as the account's own, in either casing, and leaves out one it does not know", () => {
    assert.equal(mexcOrderContext(row({ side: 'BUY' })).side, 'buy');
    assert.equal(mexcOrderContext(row({ side: 'SELL' })).side, 'sell');
    assert.equal(mexcOrderSide('sell'), 'sell');
    assert.equal(mexcOrderSide('BOTH'), undefined);
    assert.equal('side' in mexcOrderContext(row({ side: undefined })), false);
  });

  it('keeps the fiat amount in the fiat currency and the quantity with its asset (not "349.68 USDT")', () => {
    const context = mexcOrderContext(row());
    assert.deepEqual(context, {
      orderNo: '1234567890123456789',
      side: 'buy',
      asset: 'USDT',
      quantity: '375.99',
      fiat: 'EUR',
      fiatAmount: '349.68',
      price: '0.93',
      state: 'awaiting-payment',
      venueState: 'NOT_PAID',
      payBy: CREATED + 15 * 60_000,
    });
  });

  it('keeps decimal strings exactly: trailing zeros, long fractions, big quantities', () => {
    const context = mexcOrderContext(row({ amount: '349.60', tradableQuantity: '0.000000012345678901234567', price: '98765432109876543.21' }));
    assert.equal(context.fiatAmount, '349.60');
    assert.equal(context.quantity, '0.000000012345678901234567');
    assert.equal(context.price, '98765432109876543.21');
  });

  it('writes numbers out without float artefacts or exponents', () => {
    assert.equal(decimalText(350), '350');
    assert.equal(decimalText(0.1), '0.1');
    assert.equal(decimalText(1.5e-7), '0.00000015');
    assert.equal(decimalText(2e21), '2000000000000000000000');
    assert.equal(decimalText('1.5E+2'), '150');
    assert.equal(decimalText('1.50E-3'), '0.0015');
  });

  it('leaves out amounts and codes that are not plain decimals or tickers', () => {
    const context = mexcOrderContext(row({ amount: '-5', tradableQuantity: 'NaN', price: '1,5', coinName: 'US DT', fiatUnit: '\u202eRUE' }));
    for (const field of ['fiatAmount', 'quantity', 'price', 'asset', 'fiat'] as const) assert.equal(field in context, false, field);
    assert.equal(decimalText(-1), undefined);
    assert.equal(decimalText(Number.NaN), undefined);
  });

  it('takes payTimeLimit as the deadline only when it is a moment after the order was created', () => {
    assert.equal(mexcOrderContext(row({ payTimeLimit: CREATED + 900_000 })).payBy, CREATED + 900_000);
    // A duration (minutes) or zero would make a countdown that lies: left out.
    assert.equal('payBy' in mexcOrderContext(row({ payTimeLimit: 15 })), false);
    assert.equal('payBy' in mexcOrderContext(row({ payTimeLimit: 0 })), false);
    assert.equal('payBy' in mexcOrderContext(row({ payTimeLimit: undefined })), false);
  });
});
