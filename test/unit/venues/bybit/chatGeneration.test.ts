import assert from 'node:assert/strict';
import { ChatGeneration, chatModeOf } from '../../../../src/extension/venues/bybit/chatGeneration';
import type { BybitOrder } from '../../../../src/extension/venues/bybit/api';
import { orderForMessage, SessionDirectory } from '../../../../src/extension/venues/bybit/sessionDirectory';

function memoryState() {
  const values = new Map<string, unknown>();
  return { values, get: (k: string) => values.get(k), set: async (k: string, v: unknown) => void values.set(k, v), delete: async (k: string) => void values.delete(k) };
}

describe('Bybit chat generation', () => {
  it('auto starts with the order-scoped API, switches once on closure and remembers it', async () => {
    const state = memoryState();
    const g = new ChatGeneration('auto', state);
    assert.equal(g.id, 'order');
    assert.equal(await g.switchToSession(), true);
    assert.equal(g.id, 'session');
    assert.equal(new ChatGeneration('auto', state).id, 'session', 'a reload keeps the switch');
  });

  it('a forced mode never switches', async () => {
    const order = new ChatGeneration('order', memoryState());
    assert.equal(await order.switchToSession(), false);
    assert.equal(order.id, 'order');
    const state = memoryState();
    await state.set('bybit.chatGeneration', 'session');
    assert.equal(new ChatGeneration('order', state).id, 'order', 'the setting wins over what auto remembered');
    assert.equal(new ChatGeneration('session', memoryState()).id, 'session');
  });

  it('reads the account setting, anything unknown as auto', () => {
    assert.deepEqual(['order', 'session', 'auto', 'x', undefined].map(chatModeOf), ['order', 'session', 'auto', 'auto', 'auto']);
  });
});

const order = (id: string, createDate: number, extra: Partial<BybitOrder> = {}): BybitOrder => ({ id, createDate, status: 10, targetUserId: '77', targetNickName: 'Trader', ...extra }) as BybitOrder;

describe('Bybit sessions: per counterparty, messages shown in one order', () => {
  it('gives a session message to the newest order created before it, else the oldest', () => {
    const orders = [order('b', 2000), order('a', 1000), order('c', 3000)];
    assert.equal(orderForMessage(orders, 500)?.id, 'a');
    assert.equal(orderForMessage(orders, 1500)?.id, 'a');
    assert.equal(orderForMessage(orders, 2000)?.id, 'b');
    assert.equal(orderForMessage(orders, 9000)?.id, 'c');
    assert.equal(orderForMessage([], 1), undefined);
  });

  it('asks Bybit once per counterparty (order info for the mask id, then the session id)', async () => {
    const calls: string[] = [];
    const dir = new SessionDirectory({
      orderInfo: async (id) => {
        calls.push(`info ${id}`);
        return order(id, 1, { targetUserMaskId: 'mask77' });
      },
      sessionIdFor: async (mask) => {
        calls.push(`session ${mask}`);
        return 'c2Vzc2lvbg+/=';
      },
    });
    const [one, two] = await Promise.all([dir.sessionOf(order('a', 1)), dir.sessionOf(order('b', 2))]);
    assert.equal(one, 'c2Vzc2lvbg+/=');
    assert.equal(two, one);
    assert.equal(await dir.sessionOf(order('c', 3)), one);
    assert.deepEqual(calls, ['info a', 'session mask77'], 'one lookup for three orders of one counterparty');
    assert.equal(await dir.sessionOf(order('d', 4, { targetUserId: '88', targetUserMaskId: 'mask88' })), 'c2Vzc2lvbg+/=');
    assert.deepEqual(calls.slice(2), ['session mask88'], 'a mask id on the row saves the order info call');
  });
});
