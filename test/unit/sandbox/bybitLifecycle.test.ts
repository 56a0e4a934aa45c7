import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { startSandbox } from '../../../sandbox/index';
import { callBybit, delay, orderOf } from './bybitHelpers';

const WATCHED = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'];

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) if (WATCHED.includes(name)) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

describe('sandbox Bybit lifecycle', () => {
  it('close() leaves no server, socket or timer behind, even with replies and slow answers pending', async () => {
    await delay(0);
    const before = resources();
    const sb = await startSandbox({ counterpartyReplyDelayMs: 5000 });
    const bybit = sb.venue('bybit');
    const order = orderOf(sb, 0, 10);
    await callBybit(sb, '/v5/p2p/chat/message/send', { body: { message: 'please pay', contentType: 'str', sessionId: order.sessionId } });
    bybit.applyFaults({ slowReplies: { ms: 10_000, n: 1 } });
    const hanging = callBybit(sb, '/v5/p2p/user/personal/info', { body: {} }).catch(() => 'cut');
    await delay(50);
    assert.ok(bybit.pendingTimers() > 0);
    await sb.close();
    assert.equal(await hanging, 'cut');
    assert.equal(bybit.pendingTimers(), 0);
    await delay(50);
    const after = resources();
    for (const name of WATCHED) assert.ok((after[name] ?? 0) <= (before[name] ?? 0), `${name}: before ${before[name] ?? 0}, after ${after[name] ?? 0}`);
    await sb.close();
  });

  it('reset returns to the seed: orders, messages, faults and records; the same accounts', async () => {
    const sb = await startSandbox({ counterparty: false });
    try {
      const bybit = sb.venue('bybit');
      const accounts = bybit.accounts();
      // The seed is laid out relative to now (orders minutes old, links valid for hours from now), so
      // a link's expiry (`e=`, in seconds) moves with the moment of the reset; the rest must not.
      const contents = () => bybit.messages().map((m) => [m.id, m.content.replace(/([?&]e=)\d+/, '$1…')]);
      const seeded = contents();
      const orders = bybit.orders().map((o) => [o.orderId, o.status]);
      bybit.createOrder({ openingMessage: 'hi' });
      bybit.inject({ orderId: orderOf(sb, 0, 10).orderId, kind: 'pdf' });
      bybit.applyFaults({ geoBlock: true });
      await callBybit(sb, '/v5/p2p/user/personal/info', { body: {} });
      bybit.reset();
      assert.deepEqual(contents(), seeded);
      assert.deepEqual(bybit.orders().map((o) => [o.orderId, o.status]), orders);
      assert.deepEqual(bybit.accounts(), accounts);
      assert.equal(bybit.requests().length, 0);
      assert.equal(bybit.faults().geoBlock, false);
    } finally {
      await sb.close();
    }
  });

  it('seeds the same accounts (RSA key included), orders and chats from the same seed', async () => {
    const snapshot = async (seed: number): Promise<unknown> => {
      const sb = await startSandbox({ seed, counterparty: false });
      try {
        const bybit = sb.venue('bybit');
        return [bybit.accounts().map((a) => a.credentials), bybit.orders().map((o) => [o.orderId, o.status, o.targetNickName, o.sessionId, o.messages])];
      } finally {
        await sb.close();
      }
    };
    assert.deepEqual(await snapshot(7), await snapshot(7));
    assert.notDeepEqual(await snapshot(7), await snapshot(8));
  });

  it('serves its control routes: state without secrets, orders, sessions, messages, faults, inject, 400 on bad input', async () => {
    const sb = await startSandbox({ counterparty: false });
    try {
      const control = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
        const res = await fetch(`${sb.info.control}/control/bybit${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}) });
        return { status: res.status, json: (await res.json()) as unknown };
      };
      const state = await control('GET', '/state');
      const creds = sb.venue('bybit').accounts();
      for (const c of creds) {
        const secret = c.credentials.keyType === 'hmac' ? c.credentials.secret : c.credentials.privateKey;
        assert.ok(!JSON.stringify(state.json).includes(secret), 'no secret in /state');
      }
      const order = orderOf(sb, 0, 10);
      assert.equal((await control('POST', '/faults', { legacyChatClosed: [] })).status, 200);
      assert.equal((await control('POST', '/faults', { http5xx: 'x' })).status, 400);
      assert.equal((await control('POST', '/inject', { orderId: order.orderId, kind: 'pdf' })).status, 200);
      const messages = z.array(z.object({ orderId: z.string(), contentType: z.string() }).passthrough()).parse((await control('GET', `/messages?orderId=${order.orderId}`)).json);
      assert.equal(messages[messages.length - 1]!.contentType, 'pdf');
      const created = z.object({ orderId: z.string() }).passthrough().parse((await control('POST', '/orders', { account: 1 })).json);
      assert.equal((await control('POST', '/orders/state', { orderId: created.orderId, status: 20 })).status, 200);
      assert.equal((await control('POST', '/orders/state', { orderId: created.orderId, status: 21 })).status, 400);
      const orders = z.array(z.object({ orderId: z.string(), status: z.number() }).passthrough()).parse((await control('GET', '/orders?account=1')).json);
      assert.equal(orders.find((o) => o.orderId === created.orderId)!.status, 20);
      const sessions = z.array(z.object({ sessionId: z.string(), unreadCount: z.number() }).passthrough()).parse((await control('GET', '/sessions?account=0')).json);
      assert.ok(sessions.some((s) => s.sessionId === order.sessionId));
      const requests = z.array(z.unknown()).parse((await control('GET', '/requests?kind=rest')).json);
      assert.equal(requests.length, 0);
      assert.equal((await control('GET', '/requests?kind=bogus')).status, 400);
    } finally {
      await sb.close();
    }
  });
});
