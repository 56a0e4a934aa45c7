import * as assert from 'node:assert/strict';
import type { Conversation, OrderContext } from '../../src/shared/model';
import { CONVERSATION, MINUTE, T0 } from './fixtures';
import type { ChatPage } from './harness';
import { webviewSuite } from './suite';

const AWAITING: OrderContext = {
  orderNo: '1234567890123456789',
  side: 'buy',
  asset: 'USDT',
  quantity: '375.99',
  fiat: 'EUR',
  fiatAmount: '349.68',
  price: '0.93',
  state: 'awaiting-payment',
  venueState: 'NOT_PAID',
  payBy: T0 + 14 * MINUTE + 5_000,
};

function withOrder(order: OrderContext): Conversation {
  return { ...CONVERSATION, order };
}

async function text(chat: ChatPage, selector: string): Promise<string> {
  return (await chat.page.locator(selector).textContent()) ?? '';
}

/** What the polite live region says (announcements are written 50 ms after they are made). */
async function spoken(chat: ChatPage): Promise<string> {
  await chat.page.clock.runFor(100);
  return text(chat, '.sr-only[aria-live="polite"][role="status"]');
}

/** Lets pending announcements land, then empties the live region (the connection badge speaks at open too). */
async function clearSpoken(chat: ChatPage): Promise<void> {
  await chat.page.clock.runFor(100);
  await chat.page.evaluate(() => {
    const region = document.querySelector('.sr-only[aria-live="polite"][role="status"]');
    if (region) region.textContent = '';
  });
}

describe('webview order header', () => {
  const suite = webviewSuite();

  it('says what the user buys, for how much, the state and the time left to pay', async () => {
    const chat = await suite.openWith({ conversation: withOrder(AWAITING) }, { clockAt: T0 });
    assert.equal(await text(chat, '.order__trade'), 'You buy 375.99 USDT');
    assert.equal(await text(chat, '.order__fiat'), 'for 349.68 EUR at 0.93 EUR/USDT');
    assert.equal(await text(chat, '.order__state'), 'Awaiting payment');
    assert.equal(await text(chat, '.order__countdown'), 'Pay within 14:05');
    assert.equal(await text(chat, '.header__subtitle'), 'MEXC · Order 1234567890123456789');
    assert.equal(await chat.page.locator('.header__order').isVisible(), true);
  });

  it('says "You sell" for the sell side', async () => {
    const chat = await suite.openWith({ conversation: withOrder({ ...AWAITING, side: 'sell', quantity: '0.00012345', asset: 'BTC' }) }, { clockAt: T0 });
    assert.equal(await text(chat, '.order__trade'), 'You sell 0.00012345 BTC');
  });

  it('counts down once a second and says "payment overdue" once the deadline passes', async () => {
    const chat = await suite.openWith({ conversation: withOrder(AWAITING) }, { clockAt: T0 });
    await chat.page.clock.runFor(1000);
    assert.equal(await text(chat, '.order__countdown'), 'Pay within 14:04');
    await chat.page.clock.runFor(4 * MINUTE);
    assert.equal(await text(chat, '.order__countdown'), 'Pay within 10:04');
    await chat.page.clock.runFor(10 * MINUTE + 4_000);
    assert.equal(await text(chat, '.order__countdown'), 'payment overdue');
    assert.equal(await chat.page.locator('.order__countdown').getAttribute('data-overdue'), 'true');
    await chat.page.clock.runFor(5_000);
    assert.equal(await text(chat, '.order__countdown'), 'payment overdue');
  });

  it('shows hours when the deadline is more than an hour away', async () => {
    const chat = await suite.openWith({ conversation: withOrder({ ...AWAITING, payBy: T0 + 62 * MINUTE + 3_000 }) }, { clockAt: T0 });
    assert.equal(await text(chat, '.order__countdown'), 'Pay within 1:02:03');
  });

  const closedOrPaid: [OrderContext['state'], string, string][] = [
    ['paid', 'PAID', 'Paid'],
    ['appeal', 'APPEAL', 'In appeal'],
    ['in-progress', 'DISTRIBUTING', 'In progress (DISTRIBUTING)'],
    ['completed', 'DONE', 'Completed'],
    ['cancelled', 'CANCEL', 'Cancelled'],
    ['expired', 'TIMEOUT', 'Expired'],
    ['unknown', 'FROZEN', 'Unknown state (FROZEN)'],
  ];
  for (const [state, venueState, words] of closedOrPaid) {
    it(`shows ${state} in words and no countdown`, async () => {
      const chat = await suite.openWith({ conversation: withOrder({ ...AWAITING, state, venueState }) }, { clockAt: T0 });
      assert.equal(await text(chat, '.order__state'), words);
      assert.equal(await chat.page.locator('.order__countdown').isVisible(), false);
      assert.equal(await text(chat, '.order__countdown'), '');
    });
  }

  it('stops the countdown when the order is paid, and says so once', async () => {
    const chat = await suite.openWith({ conversation: withOrder(AWAITING) }, { clockAt: T0 });
    await chat.notify('conversation/update', { conversation: withOrder({ ...AWAITING, state: 'paid', venueState: 'PAID' }) });
    await chat.page.waitForFunction(() => document.querySelector('.order__state')?.textContent === 'Paid', undefined, { polling: 20 });
    assert.equal(await chat.page.locator('.order__countdown').isVisible(), false);
    await chat.page.clock.runFor(100);
    assert.equal(await text(chat, '.sr-only[aria-live="polite"][role="status"]'), 'Order Paid');
    await chat.page.clock.runFor(3_000);
    assert.equal(await text(chat, '.order__countdown'), '');
  });

  it('announces the countdown only at the 5- and 1-minute marks and when overdue, not every second', async () => {
    const chat = await suite.openWith({ conversation: withOrder({ ...AWAITING, payBy: T0 + 5 * MINUTE + 2_000 }) }, { clockAt: T0 });
    await clearSpoken(chat);
    assert.equal(await spoken(chat), '', 'nothing to say with more than 5 minutes left');
    await chat.page.clock.runFor(2_000);
    assert.equal(await spoken(chat), '05:00 left to pay');
    await clearSpoken(chat);
    await chat.page.clock.runFor(30_000);
    assert.equal(await spoken(chat), '', 'quiet between marks');
    await chat.page.clock.runFor(3 * MINUTE + 30_000 - 400);
    assert.equal(await spoken(chat), '01:00 left to pay');
    await clearSpoken(chat);
    await chat.page.clock.runFor(MINUTE);
    assert.equal(await spoken(chat), 'Payment overdue');
  });

  it('keeps the plain subtitle for a conversation without an order', async () => {
    const chat = await suite.openWith({}, { clockAt: T0 });
    assert.equal(await chat.page.locator('.header__order').isVisible(), false);
    assert.equal(await text(chat, '.header__subtitle'), 'MEXC · Buy 500 USDT · order in progress');
  });

  it('a recent WhatsApp chat is active without being an order in progress', async () => {
    const conversation = { ...CONVERSATION, venue: 'multiwa', subtitle: '+628131111000', active: true } as Conversation;
    const chat = await suite.openWith({ conversation }, { clockAt: T0 });
    assert.equal(await text(chat, '.header__subtitle'), 'WhatsApp (MultiWA) · +628131111000');
  });

  it('drops an order amount that is not a decimal string rather than show a float', async () => {
    const conversation = { ...CONVERSATION, order: { ...AWAITING, fiatAmount: 349.68 } } as unknown as Conversation;
    const chat = await suite.openWith({ conversation }, { clockAt: T0 });
    assert.equal(await text(chat, '.order__fiat'), 'at 0.93 EUR/USDT');
    assert.equal(await text(chat, '.order__trade'), 'You buy 375.99 USDT');
  });
});
