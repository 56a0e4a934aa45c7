import * as assert from 'node:assert/strict';
import { startSandbox } from '../../../sandbox/index';
import { callBinance, delay, isMessage, openChat, orderOf, textFrame } from './binanceHelpers';

const WATCHED = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'];

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) if (WATCHED.includes(name)) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

describe('sandbox Binance lifecycle', () => {
  it('close() leaves no server, socket or timer behind, even mid-conversation', async () => {
    await delay(0); // let mocha arm its own per-test timer first, so it is in both counts
    const before = resources();
    const sb = await startSandbox({ counterpartyReplyDelayMs: 5000, heartbeatTimeoutMs: 60_000 });
    const binance = sb.venue('binance');
    const a = await openChat(sb, 0);
    const b = await openChat(sb, 1);
    a.send(textFrame(orderOf(sb, 0, 'TRADING'), 'please pay', 'x-1')); // schedules counterparty steps
    await a.next(isMessage((f) => f.uuid === 'x-1'));
    binance.applyFaults({ halfOpen: true }); // paused sockets must be destroyed too
    const c = await openChat(sb, 0);
    await callBinance(sb, '/sapi/v1/c2c/chat/image/pre-signed-url', { method: 'POST', body: '{"imageName":"a.png"}' });
    assert.ok(binance.pendingTimers() > 0);

    await sb.close();
    assert.equal(binance.pendingTimers(), 0);
    await Promise.all([a.closed, b.closed, c.closed]);
    await delay(50);
    const after = resources();
    for (const name of WATCHED) assert.ok((after[name] ?? 0) <= (before[name] ?? 0), `${name}: before ${before[name] ?? 0}, after ${after[name] ?? 0}`);
    await sb.close(); // idempotent
  });

  it('reset returns to the seed: sockets closed, orders and messages as seeded, same accounts', async () => {
    const sb = await startSandbox({ counterparty: false });
    try {
      const binance = sb.venue('binance');
      const seeded = binance.messages().length;
      const orders = binance.orders().map((o) => [o.orderNo, o.status]);
      const c = await openChat(sb);
      binance.createOrder({ openingMessage: 'hi' });
      binance.setOrderState({ orderNo: orderOf(sb, 0, 'TRADING'), status: 'COMPLETED' });
      binance.reset();
      assert.equal((await c.closed).reason, 'sandbox reset');
      assert.equal(binance.messages().length, seeded);
      assert.deepEqual(binance.orders().map((o) => [o.orderNo, o.status]), orders);
      assert.equal(binance.requests().length, 0);
    } finally {
      await sb.close();
    }
  });

  it('seeds the same accounts, orders and chats from the same seed', async () => {
    const snapshot = async (seed: number): Promise<unknown> => {
      const sb = await startSandbox({ seed });
      try {
        const binance = sb.venue('binance');
        return [binance.accounts().map((a) => a.credentials), binance.orders().map((o) => [o.orderNo, o.status, o.buyerNickName, o.sellerNickName, o.messages])];
      } finally {
        await sb.close();
      }
    };
    assert.deepEqual(await snapshot(7), await snapshot(7));
    assert.notDeepEqual(await snapshot(7), await snapshot(8));
  });
});
