import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { callMexc, conversationsOf, createListenKey, isPush, openSocket, pushData } from './helpers';

async function control(sb: Sandbox, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sb.info.control}${path}`, {
    method,
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

describe('sandbox control API', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox({ counterpartyReplyDelayMs: 0, counterparty: false });
  });
  afterEach(() => sb.close());

  it('describes itself with the info JSON: venues with their endpoints and control base, accounts with their venue', async () => {
    const { json } = await control(sb, 'GET', '/info');
    assert.deepEqual(json, sb.info);
    const loopback = /^http:\/\/127\.0\.0\.1:\d+$/;
    const mexcAccount = z.object({
      venue: z.literal('mexc'),
      label: z.string(),
      credentials: z.object({ apiKey: z.string(), secretKey: z.string().regex(/^[0-9a-f]{32}$/) }).strict(),
      endpoints: z.object({ rest: z.string(), ws: z.string() }).strict(),
    }).strict();
    const binanceAccount = z.object({
      venue: z.literal('binance'),
      label: z.string(),
      credentials: z.object({ apiKey: z.string().regex(/^[A-Za-z0-9]{64}$/), secretKey: z.string().regex(/^[A-Za-z0-9]{64}$/) }).strict(),
      endpoints: z.object({ rest: z.string().regex(loopback) }).strict(),
    }).strict();
    const bybitAccount = z.object({
      venue: z.literal('bybit'),
      label: z.string(),
      credentials: z.union([
        z.object({ keyType: z.literal('hmac'), apiKey: z.string().regex(/^[A-Za-z0-9]{18}$/), secret: z.string().regex(/^[A-Za-z0-9]{36}$/) }).strict(),
        z.object({ keyType: z.literal('rsa'), apiKey: z.string().regex(/^[A-Za-z0-9]{18}$/), privateKey: z.string().regex(/^-----BEGIN PRIVATE KEY-----\n/) }).strict(),
      ]),
      endpoints: z.object({ rest: z.string().regex(loopback) }).strict(),
    }).strict();
    const multiwaAccount = z.object({
      venue: z.literal('multiwa'),
      label: z.string(),
      credentials: z.union([
        z.object({ authMethod: z.literal('apiKey'), apiKey: z.string().min(16) }).strict(),
        z.object({ authMethod: z.literal('login'), email: z.string().email(), password: z.string().min(8) }).strict(),
      ]),
      endpoints: z.object({ baseUrl: z.string().regex(loopback) }).strict(),
      settings: z.object({ profileId: z.string().min(1), transport: z.literal('auto') }).strict(),
    }).strict();
    const mixinAccount = z.object({
      venue: z.literal('mixin'),
      label: z.literal('Sandbox Mixin bot'),
      credentials: z.object({ keystore: z.string().regex(/^\{"app_id":"[0-9a-f-]{36}","session_id":"[0-9a-f-]{36}","session_private_key":"[0-9a-f]{64}","server_public_key":"[0-9a-f]{64}"\}$/) }).strict(),
      endpoints: z.object({ rest: z.string().regex(loopback), blaze: z.string().regex(/^ws:\/\/127\.0\.0\.1:\d+\/$/) }).strict(),
    }).strict();
    const info = z
      .object({
        control: z.string().regex(loopback),
        venues: z
          .object({
            mexc: z.object({
              name: z.literal('MEXC P2P'),
              control: z.string().regex(/^http:\/\/127\.0\.0\.1:\d+\/control\/mexc$/),
              endpoints: z.object({ rest: z.string().regex(loopback), ws: z.string().regex(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/), media: z.string().regex(/\/media$/), upload: z.string().regex(/\/uploads\/\{name\}$/) }).strict(),
            }).strict(),
            binance: z.object({
              name: z.literal('Binance C2C'),
              control: z.string().regex(/^http:\/\/127\.0\.0\.1:\d+\/control\/binance$/),
              endpoints: z.object({ rest: z.string().regex(loopback), chat: z.string().regex(/^ws:\/\/127\.0\.0\.1:\d+\/chat$/), media: z.string().regex(/\/media$/) }).strict(),
            }).strict(),
            bybit: z.object({
              name: z.literal('Bybit P2P'),
              control: z.string().regex(/^http:\/\/127\.0\.0\.1:\d+\/control\/bybit$/),
              endpoints: z.object({ rest: z.string().regex(loopback) }).strict(),
            }).strict(),
            multiwa: z.object({
              name: z.literal('MultiWA (WhatsApp gateway)'),
              control: z.string().regex(/^http:\/\/127\.0\.0\.1:\d+\/control\/multiwa$/),
              endpoints: z.object({ rest: z.string().regex(/\/api\/v1$/), socketIo: z.string().regex(/\/ws$/), ws: z.string().regex(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/) }).strict(),
            }).strict(),
            mixin: z.object({
              name: z.literal('Mixin Messenger'),
              control: z.string().regex(/^http:\/\/127\.0\.0\.1:\d+\/control\/mixin$/),
              endpoints: z.object({ rest: z.string().regex(loopback), blaze: z.string().regex(/^ws:\/\/127\.0\.0\.1:\d+\/$/) }).strict(),
            }).strict(),
          })
          .strict(),
        accounts: z.tuple([mexcAccount, mexcAccount, binanceAccount, binanceAccount, bybitAccount, bybitAccount, multiwaAccount, multiwaAccount, mixinAccount]),
      })
      .strict()
      .parse(json);
    assert.equal(info.control, sb.info.control);
    assert.ok(info.venues.mexc.control.startsWith(info.control));
    assert.equal(info.accounts[0]!.label, 'Sandbox MEXC merchant');
    const mexc = sb.venue('mexc');
    assert.deepEqual(info.accounts[0]!.endpoints, { rest: mexc.restUrl, ws: mexc.wsUrl }, 'each account carries what the adapter connects to');
    assert.deepEqual(info.venues.mexc.endpoints, { rest: mexc.restUrl, ws: mexc.wsUrl, media: mexc.mediaUrl, upload: mexc.uploadUrl });
  });

  it('answers health and lists the venues with their control routes', async () => {
    assert.deepEqual((await control(sb, 'GET', '/health')).json, { ok: true, venues: ['mexc', 'binance', 'bybit', 'multiwa', 'mixin'] });
    const venues = z.array(z.object({ id: z.string(), name: z.string(), accounts: z.number(), routes: z.array(z.string()) })).parse((await control(sb, 'GET', '/venues')).json);
    assert.deepEqual(venues.map((v) => [v.id, v.accounts]), [['mexc', 2], ['binance', 2], ['bybit', 2], ['multiwa', 2], ['mixin', 1]]);
    for (const route of ['GET /control/mexc/state', 'POST /control/mexc/inject', 'GET /control/mexc/faults', 'POST /control/mexc/faults', 'POST /control/mexc/reset', 'GET /control/mexc/requests', 'POST /control/mexc/orders']) {
      assert.ok(venues[0]!.routes.includes(route), `${route} listed in ${venues[0]!.routes.join(', ')}`);
    }
  });

  it('reports state: accounts, orders and conversations with counts', async () => {
    const { json } = await control(sb, 'GET', '/control/mexc/state');
    const all = z.object({ venues: z.object({ mexc: z.object({ orders: z.array(z.unknown()), conversations: z.array(z.unknown()) }) }) }).parse((await control(sb, 'GET', '/state')).json);
    const one = z.object({ orders: z.array(z.unknown()), conversations: z.array(z.unknown()) }).parse(json);
    assert.deepEqual([all.venues.mexc.orders, all.venues.mexc.conversations], [one.orders, one.conversations], 'GET /state holds every venue\'s state');
    const state = z
      .object({
        mexc: z.object({
          accounts: z.array(z.object({ apiKey: z.string(), orders: z.number() })),
          orders: z.array(z.object({ state: z.string() })),
          conversations: z.array(z.object({ conversationId: z.number(), messages: z.number(), sockets: z.number() })),
        }),
      })
      .parse({ mexc: json });
    assert.deepEqual(state.mexc.accounts.map((a) => a.orders), [4, 4]);
    assert.equal(state.mexc.conversations.length, 8);
    assert.ok(state.mexc.conversations.every((c) => c.messages >= 1));
    assert.ok(!JSON.stringify(json).includes(sb.venue('mexc').accounts()[0]!.credentials.secretKey), 'state carries no secret');
  });

  it('injects a counterparty message by order number and shows it in /control/mexc/messages', async () => {
    const order = sb.venue('mexc').state().orders[0]!;
    const c = await openSocket(sb, await createListenKey(sb), order.conversationId);
    const { status, json } = await control(sb, 'POST', '/control/mexc/inject', { orderNo: order.advOrderNo, content: 'payment sent', type: 1 });
    assert.equal(status, 200);
    const pushed = pushData(await c.next(isPush()))!;
    assert.equal(pushed.content, 'payment sent');
    assert.equal(z.object({ id: z.number() }).parse(json).id, pushed.id);
    const messages = z.array(z.object({ id: z.number(), content: z.string(), self: z.boolean() })).parse((await control(sb, 'GET', `/control/mexc/messages?conversationId=${order.conversationId}`)).json);
    assert.deepEqual(messages.at(-1), { ...messages.at(-1), id: pushed.id, content: 'payment sent', self: false });
    c.close();
  });

  it('creates an order that the REST API and the socket then know', async () => {
    const { json } = await control(sb, 'POST', '/control/mexc/orders', { counterpartyNickName: 'NewBuyer', openingMessage: 'Hi, just ordered' });
    const order = z.object({ advOrderNo: z.string(), conversationId: z.number(), state: z.literal('NOT_PAID'), counterpartyNickName: z.literal('NewBuyer') }).parse(json);
    const page = z.object({ data: z.array(z.object({ advOrderNo: z.string() })) }).parse((await callMexc(sb, '/api/v3/fiat/market/order/paginationV2')).body);
    assert.equal(page.data[0]?.advOrderNo, order.advOrderNo, 'newest first');
    const conv = await callMexc(sb, '/api/v3/fiat/retrieveChatConversation', { query: `orderNo=${order.advOrderNo}` });
    assert.deepEqual(conv.body, { code: 0, msg: 'success', data: { conversationId: order.conversationId } });
    assert.deepEqual(sb.venue('mexc').messages(order.conversationId).map((m) => m.content), ['Hi, just ordered']);
    const moved = await control(sb, 'POST', '/control/mexc/orders/state', { orderNo: order.advOrderNo, state: 'PAID' });
    assert.equal(z.object({ state: z.string() }).parse(moved.json).state, 'PAID');
    const second = await control(sb, 'POST', '/control/mexc/orders', { account: 1 });
    assert.equal(z.object({ apiKey: z.string() }).parse(second.json).apiKey, sb.venue('mexc').accounts()[1]!.credentials.apiKey);
  });

  it('lists recorded requests and frames (params decoded) and applies faults', async () => {
    await callMexc(sb, '/api/v3/userDataStream', { secretKey: 'bad' });
    const conversationId = conversationsOf(sb)[0]!;
    const c = await openSocket(sb, await createListenKey(sb), conversationId);
    c.sendMessage({ content: 'over http', conversationId, type: 1 });
    await c.next(isPush());
    const requests = z.array(z.object({ seq: z.number(), kind: z.string(), signatureValid: z.boolean().nullable(), responseCode: z.number() })).parse((await control(sb, 'GET', '/control/mexc/requests')).json);
    assert.deepEqual(requests.map((r) => [r.kind, r.responseCode]), [['rest', 700002], ['rest', 200], ['upgrade', 101]]);
    const since = await control(sb, 'GET', `/control/mexc/requests?since=${requests[1]!.seq}`);
    assert.equal(z.array(z.unknown()).parse(since.json).length, 1);
    assert.ok(!JSON.stringify(requests).includes(sb.venue('mexc').accounts()[0]!.credentials.secretKey));
    const frames = z.array(z.object({ method: z.string(), params: z.object({ content: z.string() }) })).parse((await control(sb, 'GET', `/control/mexc/frames?conversationId=${conversationId}`)).json);
    assert.equal(frames[0]?.params.content, 'over http');
    const faults = await control(sb, 'POST', '/control/mexc/faults', { dropAll: true, slowReplyMs: 5 });
    assert.equal(z.object({ slowReplyMs: z.number() }).parse(faults.json).slowReplyMs, 5);
    await c.closed;
  });

  it('rejects bad input with 400 and unknown routes with 404', async () => {
    assert.equal((await control(sb, 'POST', '/control/mexc/inject', { content: 'no target' })).status, 400);
    assert.equal((await control(sb, 'POST', '/control/mexc/inject', { conversationId: 1, content: 'unknown' })).status, 400);
    assert.equal((await control(sb, 'POST', '/control/mexc/faults', { halfOpen: 'yes' })).status, 400);
    assert.equal((await control(sb, 'POST', '/control/mexc/orders', { state: 'WHATEVER' })).status, 400);
    assert.equal((await control(sb, 'GET', '/control/mexc/frames?conversationId=x')).status, 400);
    const raw = await fetch(`${sb.info.control}/control/mexc/inject`, { method: 'POST', body: '{nope' });
    assert.equal(raw.status, 400);
    assert.equal((await control(sb, 'GET', '/control/mexc/requests?kind=bogus')).status, 400);
    assert.equal((await control(sb, 'GET', '/nope')).status, 404);
    assert.equal((await control(sb, 'GET', '/mexc/messages')).status, 404, 'venue routes live under /control/<venue>');
    const unknownVenue = await control(sb, 'GET', '/control/kraken/state');
    assert.equal(unknownVenue.status, 404);
    assert.match(z.object({ error: z.string() }).parse(unknownVenue.json).error, /unknown venue "kraken"; running: mexc, binance, bybit, multiwa, mixin/);
    const unknownRoute = await control(sb, 'GET', '/control/mexc/nope');
    assert.equal(unknownRoute.status, 404);
    assert.match(z.object({ error: z.string() }).parse(unknownRoute.json).error, /mexc has no control route \/nope/);
    assert.equal((await control(sb, 'GET', '/control/mexc')).status, 404);
    assert.equal((await control(sb, 'GET', '/reset')).status, 405);
    assert.equal((await control(sb, 'GET', '/control/mexc/inject')).status, 405);
  });

  it('POST /reset returns to the seed: sockets closed, keys, records and faults cleared', async () => {
    const seeded = sb.venue('mexc').messages().length;
    const conversationId = conversationsOf(sb)[0]!;
    const key = await createListenKey(sb);
    const c = await openSocket(sb, key, conversationId);
    sb.venue('mexc').inject({ conversationId, content: 'extra' });
    await control(sb, 'POST', '/control/mexc/orders', {});
    sb.venue('mexc').applyFaults({ slowReplyMs: 10, echoSelf: false });
    assert.equal((await control(sb, 'POST', '/reset')).status, 200);
    assert.equal((await c.closed).reason, 'sandbox reset');
    assert.equal(sb.venue('mexc').messages().length, seeded);
    assert.equal(sb.venue('mexc').state().orders.length, 8);
    assert.equal(sb.venue('mexc').requests().length, 0);
    assert.deepEqual(sb.venue('mexc').faults(), { ...sb.venue('mexc').faults(), slowReplyMs: 0, echoSelf: true });
    const put = await callMexc(sb, '/api/v3/userDataStream', { method: 'PUT', query: `listenKey=${key}` });
    assert.deepEqual(put.body, { code: 730001, msg: 'listenKey does not exist' });
    const info = z.object({ accounts: z.unknown() }).parse((await control(sb, 'GET', '/info')).json);
    assert.deepEqual(
      info.accounts,
      [
        ...sb.venue('mexc').accounts(),
        ...sb.venue('binance').accounts().map((a) => ({ venue: 'binance', ...a })),
        ...sb.venue('bybit').accounts().map((a) => ({ venue: 'bybit', ...a })),
        ...sb.venue('multiwa').accounts().map((a) => ({ venue: 'multiwa', ...a })),
        ...sb.venue('mixin').accounts().map((a) => ({ venue: 'mixin', ...a })),
      ],
      'same keys after reset',
    );
  });

  it('POST /control/mexc/reset resets that venue', async () => {
    const seeded = sb.venue('mexc').messages().length;
    const conversationId = conversationsOf(sb)[0]!;
    assert.equal((await control(sb, 'POST', '/control/mexc/inject', { conversationId, content: 'extra' })).status, 200);
    assert.equal((await control(sb, 'POST', '/control/mexc/faults', { rateLimitNext: 2 })).status, 200);
    assert.equal(sb.venue('mexc').messages().length, seeded + 1);
    assert.deepEqual((await control(sb, 'POST', '/control/mexc/reset')).json, { ok: true });
    assert.equal(sb.venue('mexc').messages().length, seeded);
    assert.equal(z.object({ rateLimitNext: z.number() }).parse((await control(sb, 'GET', '/control/mexc/faults')).json).rateLimitNext, 0);
  });
});
