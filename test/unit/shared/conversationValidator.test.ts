import assert from 'node:assert/strict';
import { conversationProblem, readConversation } from '../../../src/shared/conversationValidator';
import type { Conversation, OrderContext } from '../../../src/shared/model';

const ORDER: OrderContext = {
  orderNo: '1234567890123456789',
  side: 'sell',
  asset: 'USDT',
  quantity: '375.99',
  fiat: 'EUR',
  fiatAmount: '349.68',
  price: '0.93',
  state: 'paid',
  venueState: 'PAID',
  payBy: 1_700_000_900_000,
};

const CONVERSATION: Conversation = {
  venue: 'mexc',
  accountId: 'acc',
  conversationId: '50001',
  title: 'CryptoKate',
  subtitle: 'order 1234567890123456789',
  lastActivity: 1_700_000_000_000,
  unread: 2,
  active: true,
  order: ORDER,
};

describe('conversation check', () => {
  it('accepts a full conversation with its order and copies it unchanged', () => {
    const reading = readConversation(JSON.parse(JSON.stringify(CONVERSATION)));
    assert.deepEqual(reading.problems, []);
    assert.deepEqual(reading.conversation, CONVERSATION);
    assert.equal(conversationProblem(CONVERSATION), undefined);
  });

  it('drops only the bad optional part of an order: a float amount is not a decimal string', () => {
    const reading = readConversation({ ...CONVERSATION, order: { ...ORDER, fiatAmount: 349.68, side: 'both' } });
    assert.ok(reading.conversation);
    assert.equal(reading.conversation.order?.fiatAmount, undefined);
    assert.equal(reading.conversation.order?.side, undefined);
    assert.equal(reading.conversation.order?.quantity, '375.99');
    assert.deepEqual(reading.problems, ['conversation.order.side is unknown', 'conversation.order.fiatAmount is not a decimal']);
  });

  it('drops the order when one of its required fields is wrong, and keeps the conversation', () => {
    for (const bad of [{ state: 'NOT_PAID' }, { venueState: 'NOT PAID \u202e' }, { orderNo: '' }, { state: undefined }]) {
      const reading = readConversation({ ...CONVERSATION, order: { ...ORDER, ...bad } });
      assert.ok(reading.conversation, JSON.stringify(bad));
      assert.equal(reading.conversation.order, undefined, JSON.stringify(bad));
      assert.ok(reading.problems.length > 0);
    }
  });

  it('rejects a conversation whose required fields are missing or wrong', () => {
    assert.equal(readConversation({ ...CONVERSATION, venue: 'kraken' }).conversation, undefined);
    assert.equal(readConversation({ ...CONVERSATION, active: 'yes' }).conversation, undefined);
    const { title: _title, ...untitled } = CONVERSATION;
    assert.equal(readConversation(untitled).conversation, undefined);
    assert.equal(readConversation(null).conversation, undefined);
    assert.match(conversationProblem({ ...CONVERSATION, unread: -1 }) ?? '', /unread is negative/);
  });

  it('names unknown fields and leaves them out', () => {
    const reading = readConversation({ ...CONVERSATION, extra: 1, order: { ...ORDER, note: 'x' } });
    assert.deepEqual(reading.problems, ['conversation.order.note is not a known field', 'conversation.extra is not a known field']);
    assert.equal('extra' in (reading.conversation ?? {}), false);
    assert.equal('note' in (reading.conversation?.order ?? {}), false);
  });

  it('refuses decimals with signs, exponents or separators', () => {
    for (const amount of ['-1', '1e3', '1,5', ' 1', '1.', '.5', '']) {
      assert.equal(readConversation({ ...CONVERSATION, order: { ...ORDER, fiatAmount: amount } }).conversation?.order?.fiatAmount, undefined, amount);
    }
  });
});
