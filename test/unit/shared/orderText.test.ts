import assert from 'node:assert/strict';
import type { OrderContext } from '../../../src/shared/model';
import { countdownText, isOrderOpen, orderRowText, orderSideText, orderStateText, orderSummaryText, priceText } from '../../../src/shared/orderText';

const ORDER: OrderContext = { orderNo: '77', side: 'buy', asset: 'USDT', quantity: '375.99', fiat: 'EUR', fiatAmount: '349.68', price: '0.93', state: 'paid', venueState: 'PAID' };

describe('order words', () => {
  it('says the side from the user\'s point of view with the crypto quantity', () => {
    assert.equal(orderSideText(ORDER), 'You buy 375.99 USDT');
    assert.equal(orderSideText({ ...ORDER, side: 'sell' }), 'You sell 375.99 USDT');
    assert.equal(orderSideText({ ...ORDER, side: undefined }), '375.99 USDT');
  });

  it('shows the fiat amount and state on the tree row', () => {
    assert.equal(orderRowText(ORDER), '349.68 EUR · Paid');
    assert.equal(orderRowText({ ...ORDER, state: 'awaiting-payment', venueState: 'NOT_PAID' }), '349.68 EUR · Awaiting payment');
    assert.equal(orderRowText({ ...ORDER, fiatAmount: undefined }), '375.99 USDT · Paid');
  });

  it('names every state in words, carrying the venue word where there is no better one', () => {
    const words = (['awaiting-payment', 'paid', 'appeal', 'completed', 'cancelled', 'expired'] as const).map((state) => orderStateText({ state, venueState: 'X' }));
    assert.deepEqual(words, ['Awaiting payment', 'Paid', 'In appeal', 'Completed', 'Cancelled', 'Expired']);
    assert.equal(orderStateText({ state: 'in-progress', venueState: 'DISTRIBUTING' }), 'In progress (DISTRIBUTING)');
    assert.equal(orderStateText({ state: 'unknown', venueState: 'FROZEN' }), 'Unknown state (FROZEN)');
  });

  it('puts everything in one summary line', () => {
    assert.equal(orderSummaryText(ORDER), 'You buy 375.99 USDT for 349.68 EUR at 0.93 EUR/USDT · Paid · order 77');
    assert.equal(priceText({ ...ORDER, asset: undefined }), '0.93');
  });

  it('knows which states are still running', () => {
    assert.deepEqual(
      (['awaiting-payment', 'paid', 'appeal', 'in-progress', 'completed', 'cancelled', 'expired', 'unknown'] as const).filter(isOrderOpen),
      ['awaiting-payment', 'paid', 'appeal', 'in-progress'],
    );
  });

  it('counts down as mm:ss under an hour and h:mm:ss above, rounding up to whole seconds', () => {
    assert.equal(countdownText(15 * 60_000), '15:00');
    assert.equal(countdownText(245_001), '04:06');
    assert.equal(countdownText(59_000), '00:59');
    assert.equal(countdownText(1), '00:01');
    assert.equal(countdownText(0), '00:00');
    assert.equal(countdownText(-5000), '00:00');
    assert.equal(countdownText(3_723_000), '1:02:03');
  });
});
