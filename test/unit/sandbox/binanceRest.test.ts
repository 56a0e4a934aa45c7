import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { LONG_CHAT_MESSAGES } from '../../../sandbox/binance/seed';
import { binanceAccount, callBinance, itemSchema, okData, orderOf, type Item } from './binanceHelpers';

const CREDENTIAL = '/sapi/v1/c2c/chat/retrieveChatCredential';
const HISTORY = '/sapi/v1/c2c/chat/retrieveChatMessagesWithPagination';
const MARK_READ = '/sapi/v1/c2c/chat/markOrderMessagesAsRead';
const PRESIGN = '/sapi/v1/c2c/chat/image/pre-signed-url';
const ORDER_HISTORY = '/sapi/v1/c2c/orderMatch/listUserOrderHistory';
const LIST_ORDERS = '/sapi/v1/c2c/orderMatch/listOrders';
const DETAIL = '/sapi/v1/c2c/orderMatch/getUserOrderDetail';
const DAY = 24 * 60 * 60 * 1000;

const gatewayError = (code: number, msg: string) => ({ code, msg });

async function page(sb: Sandbox, orderNo: string, query: string): Promise<{ items: Item[]; total: number | undefined }> {
  const { data, total } = okData(await callBinance(sb, HISTORY, { query: `orderNo=${orderNo}&${query}` }));
  return { items: z.array(itemSchema).parse(data), total };
}

describe('sandbox Binance REST', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox({ counterparty: false });
  });
  afterEach(async () => {
    await sb.close();
  });

  describe('gateway checks', () => {
    it('answers server time unsigned', async () => {
      const res = await fetch(`${sb.venue('binance').restUrl}/api/v3/time`);
      const body = z.object({ serverTime: z.number() }).parse(await res.json());
      assert.ok(Math.abs(body.serverTime - sb.venue('binance').now()) < 5000);
    });

    it('a missing key is -2014 (400), an unknown key -2015 (401)', async () => {
      const missing = await callBinance(sb, CREDENTIAL, { apiKey: null });
      assert.equal(missing.status, 400);
      assert.deepEqual(missing.body, gatewayError(-2014, 'API-key format invalid.'));
      const unknown = await callBinance(sb, CREDENTIAL, { apiKey: 'x'.repeat(64) });
      assert.equal(unknown.status, 401);
      assert.deepEqual(unknown.body, gatewayError(-2015, 'Invalid API-key, IP, or permissions for action.'));
    });

    it('a bad, missing or not-last signature is -1022 (400)', async () => {
      const expected = gatewayError(-1022, 'Signature for this request is not valid.');
      for (const opts of [{ secretKey: 'wrong' }, { signature: null }, { signature: 'ab'.repeat(32) }]) {
        const reply = await callBinance(sb, CREDENTIAL, opts);
        assert.equal(reply.status, 400, JSON.stringify(opts));
        assert.deepEqual(reply.body, expected);
      }
      // Signed correctly, but a parameter follows the signature.
      const { secretKey, apiKey } = binanceAccount(sb);
      const query = `timestamp=${sb.venue('binance').now()}`;
      const { createHmac } = await import('node:crypto');
      const signature = createHmac('sha256', secretKey).update(query).digest('hex');
      const res = await fetch(`${sb.venue('binance').restUrl}${CREDENTIAL}?${query}&signature=${signature}&recvWindow=5000`, { headers: { 'X-MBX-APIKEY': apiKey } });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), expected);
    });

    it('a timestamp outside the window, a missing one, or recvWindow > 60000 is -1021 (400)', async () => {
      const expected = gatewayError(-1021, 'Timestamp for this request is outside of the recvWindow.');
      const now = sb.venue('binance').now();
      for (const opts of [{ timestamp: now - 6000 }, { timestamp: now + 1500 }, { timestamp: null }, { recvWindow: 60_001 }, { timestamp: now - 20_000, recvWindow: 10_000 }]) {
        const reply = await callBinance(sb, CREDENTIAL, opts);
        assert.equal(reply.status, 400, JSON.stringify(opts));
        assert.deepEqual(reply.body, expected);
      }
      okData(await callBinance(sb, CREDENTIAL, { timestamp: now - 20_000, recvWindow: 30_000 }));
      okData(await callBinance(sb, CREDENTIAL, { timestamp: now - 59_000, recvWindow: 60_000 }));
    });

    it('a key with the C2C permission off answers -2015 (401) on C2C routes, signature valid or not', async () => {
      sb.venue('binance').applyFaults({ withoutC2cPermission: [1] });
      for (const path of [CREDENTIAL, HISTORY, ORDER_HISTORY]) {
        const reply = await callBinance(sb, path, { account: 1 });
        assert.equal(reply.status, 401, path);
        assert.deepEqual(reply.body, gatewayError(-2015, 'Invalid API-key, IP, or permissions for action.'));
      }
      okData(await callBinance(sb, CREDENTIAL, { account: 0 }));
      assert.equal(sb.venue('binance').state().accounts[1]!.c2cPermission, false);
    });

    it('the setting withoutC2cPermission seeds that state', async () => {
      await sb.close();
      sb = await startSandbox({ venues: { binance: { withoutC2cPermission: [0] } } });
      assert.equal((await callBinance(sb, CREDENTIAL)).status, 401);
      okData(await callBinance(sb, CREDENTIAL, { account: 1 }));
    });

    it('over the per-key budget: HTTP 429 -1003 with Retry-After', async () => {
      await sb.close();
      sb = await startSandbox({ venues: { binance: { restRequestsPerMinute: 3 } } });
      for (let i = 0; i < 3; i++) okData(await callBinance(sb, CREDENTIAL));
      const limited = await callBinance(sb, CREDENTIAL);
      assert.equal(limited.status, 429);
      assert.equal(z.object({ code: z.number() }).parse(limited.body).code, -1003);
      const retryAfter = Number(limited.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      okData(await callBinance(sb, CREDENTIAL, { account: 1 })); // per key
    });

    it('signs a form body with the query and leaves a JSON body unsigned', async () => {
      const orderNo = orderOf(sb, 0, 'TRADING');
      okData(await callBinance(sb, DETAIL, { method: 'POST', body: JSON.stringify({ adOrderNo: orderNo }) }));
      okData(await callBinance(sb, DETAIL, { method: 'POST', body: `adOrderNo=${orderNo}`, form: true }));
      // The same form body, but signed over the query only: the body is part of totalParams.
      const creds = binanceAccount(sb);
      const { createHmac } = await import('node:crypto');
      const query = `timestamp=${sb.venue('binance').now()}`;
      const signature = createHmac('sha256', creds.secretKey).update(query).digest('hex');
      const res = await fetch(`${sb.venue('binance').restUrl}${DETAIL}?${query}&signature=${signature}`, {
        method: 'POST', headers: { 'X-MBX-APIKEY': creds.apiKey, 'Content-Type': 'application/x-www-form-urlencoded' }, body: `adOrderNo=${orderNo}`,
      });
      assert.equal(res.status, 400);
    });

    it('records requests without secrets', async () => {
      await callBinance(sb, CREDENTIAL);
      const [rec] = sb.venue('binance').requests({ kind: 'rest' });
      assert.ok(rec);
      assert.equal(rec.signatureValid, true);
      assert.equal(rec.clientType, 'web');
      const text = JSON.stringify(sb.venue('binance').requests());
      assert.ok(!text.includes(binanceAccount(sb).secretKey));
    });

    it('with requireClientType, the chat routes want clientType=web (header or query, any case)', async () => {
      await sb.close();
      sb = await startSandbox({ venues: { binance: { requireClientType: true } } });
      const missing = await callBinance(sb, CREDENTIAL, { headers: { clientType: '' } });
      assert.equal(missing.status, 400);
      assert.equal(z.object({ code: z.number() }).parse(missing.body).code, -1102);
      okData(await callBinance(sb, CREDENTIAL, { headers: { clientType: 'WEB' } }));
      okData(await callBinance(sb, CREDENTIAL, { headers: { clientType: '' }, query: 'clientType=web' }));
      okData(await callBinance(sb, ORDER_HISTORY, { headers: { clientType: '' } }), ); // not a chat route
    });
  });

  describe('chat routes', () => {
    it('each credential call mints a new token for the same per-user listenKey', async () => {
      const a = z.object({ listenKey: z.string(), listenToken: z.string(), chatWssUrl: z.string() });
      const first = a.parse(okData(await callBinance(sb, CREDENTIAL)).data);
      const second = a.parse(okData(await callBinance(sb, CREDENTIAL)).data);
      const other = a.parse(okData(await callBinance(sb, CREDENTIAL, { account: 1 })).data);
      assert.equal(first.listenKey, second.listenKey);
      assert.notEqual(first.listenToken, second.listenToken);
      assert.notEqual(first.listenKey, other.listenKey);
      assert.match(first.listenKey, /^c2c_[0-9a-f]{32}_v2$/);
      assert.equal(first.chatWssUrl, `${sb.venue('binance').restUrl.replace('http', 'ws')}/chat`);
    });

    it('pages history newest first, with total, rows ≤ 100, and the id cursor', async () => {
      const orderNo = orderOf(sb, 0, 'BUYER_PAYED');
      const first = await page(sb, orderNo, 'page=1&rows=100');
      assert.ok(first.total !== undefined && first.total >= LONG_CHAT_MESSAGES, `total ${first.total}`);
      assert.equal(first.items.length, 100);
      const ids = first.items.map((m) => m.id);
      assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
      const second = await page(sb, orderNo, 'page=2&rows=100');
      assert.ok(second.items[0]!.id < first.items.at(-1)!.id, 'page 2 continues where page 1 stopped');
      // The cursor: older than the last id seen, from page 1 again.
      const cursor = await page(sb, orderNo, `page=1&rows=100&id=${first.items.at(-1)!.id}`);
      assert.deepEqual(cursor.items.map((m) => m.id), second.items.map((m) => m.id));
      assert.equal(cursor.total, first.total! - 100);
      // Walk back through everything: every message once, no gap.
      const seen: number[] = [];
      let before: number | undefined;
      for (;;) {
        const p = await page(sb, orderNo, `page=1&rows=100${before === undefined ? '' : `&id=${before}`}`);
        if (p.items.length === 0) break;
        seen.push(...p.items.map((m) => m.id));
        before = p.items.at(-1)!.id;
      }
      assert.equal(seen.length, first.total);
      assert.equal(new Set(seen).size, seen.length);
      assert.equal((await callBinance(sb, HISTORY, { query: `orderNo=${orderNo}&rows=101` })).status, 400);
      assert.equal((await callBinance(sb, HISTORY, { query: `orderNo=${orderNo}&page=0` })).status, 400);
      assert.deepEqual((await callBinance(sb, HISTORY, { query: 'page=1' })).body, {
        code: -1102, msg: "Mandatory parameter 'orderNo' was not sent, was empty/null, or malformed.",
      });
    });

    it('filters by chatMessageType and shows self from the caller\'s side', async () => {
      const orderNo = orderOf(sb, 0, 'BUYER_PAYED');
      const images = await page(sb, orderNo, 'chatMessageType=image&rows=100');
      assert.ok(images.items.length > 0);
      assert.ok(images.items.every((m) => m.type === 'image' && m.imageUrl !== undefined));
      assert.equal(images.total, images.items.length);
      // The order between our two accounts: the same message is self for one and not for the other.
      const shared = orderOf(sb, 0, 'TRADING', true);
      const mine = (await page(sb, shared, 'rows=10')).items;
      const { data } = okData(await callBinance(sb, HISTORY, { account: 1, query: `orderNo=${shared}&rows=10` }));
      const theirs = z.array(itemSchema).parse(data);
      assert.deepEqual(mine.map((m) => m.id), theirs.map((m) => m.id));
      assert.deepEqual(mine.map((m) => !m.self), theirs.map((m) => m.self));
    });

    it('another user\'s order is not found', async () => {
      const foreign = orderOf(sb, 1, 'TRADING');
      const reply = await callBinance(sb, HISTORY, { query: `orderNo=${foreign}` });
      assert.equal(reply.status, 200);
      assert.deepEqual(z.object({ success: z.literal(false), code: z.string() }).safeParse(reply.body).success, true);
    });

    it('markOrderMessagesAsRead flips the counterparty\'s unread messages, signed or with the key only', async () => {
      const orderNo = orderOf(sb, 0, 'BUYER_PAYED');
      const unread = async (): Promise<number> => (await page(sb, orderNo, 'rows=100')).items.filter((m) => !m.self && m.status === 'unread').length;
      assert.ok((await unread()) > 0, 'seeded unread');
      okData(await callBinance(sb, MARK_READ, { method: 'POST', body: JSON.stringify({ orderNo, userId: '1' }) }));
      assert.equal(await unread(), 0);
      sb.venue('binance').inject({ orderNo, content: 'one more' });
      assert.equal(await unread(), 1);
      okData(await callBinance(sb, MARK_READ, { method: 'POST', body: JSON.stringify({ orderNo }), timestamp: null, signature: null }));
      assert.equal(await unread(), 0);
      const bad = await callBinance(sb, MARK_READ, { method: 'POST', body: JSON.stringify({ orderNo }), secretKey: 'wrong' });
      assert.equal(bad.status, 400, 'a wrong signature still fails');
    });

    it('pre-signed upload: both URL fields, PUT stores bytes and type once, GET imageUrl serves them', async () => {
      const presigned = z.object({ preSignedUrl: z.string(), uploadUrl: z.string(), imageUrl: z.string() });
      const a = presigned.parse(okData(await callBinance(sb, PRESIGN, { method: 'POST', body: JSON.stringify({ imageName: 'receipt.jpg' }) })).data);
      assert.equal(a.uploadUrl, a.preSignedUrl);
      assert.equal((await fetch(a.imageUrl)).status, 404, 'nothing uploaded yet');
      const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
      const put = await fetch(a.preSignedUrl, { method: 'PUT', headers: { 'Content-Type': 'image/jpeg' }, body: bytes });
      assert.equal(put.status, 200);
      const got = await fetch(a.imageUrl);
      assert.equal(got.headers.get('content-type'), 'image/jpeg');
      assert.deepEqual(Buffer.from(await got.arrayBuffer()), bytes);
      assert.equal((await fetch(a.preSignedUrl, { method: 'PUT', body: bytes })).status, 403, 'single-use');
      // imageName as a query parameter works too; a tampered signature does not.
      const b = presigned.parse(okData(await callBinance(sb, PRESIGN, { method: 'POST', query: 'imageName=x.png' })).data);
      assert.equal((await fetch(b.preSignedUrl.replace(/X-Amz-Signature=[0-9a-f]/, 'X-Amz-Signature=g'), { method: 'PUT', body: bytes })).status, 403);
      assert.equal((await callBinance(sb, PRESIGN, { method: 'POST', body: '{}' })).status, 400, 'imageName is mandatory');
      const rec = sb.venue('binance').requests({ kind: 'upload' });
      assert.ok(rec.length >= 2 && rec.every((r) => !r.rawQuery.includes(a.preSignedUrl.split('X-Amz-Signature=')[1]!)), 'upload tokens are not recorded');
    });

    it('a pre-signed URL expires', async () => {
      await sb.close();
      let now = Date.UTC(2025, 5, 1);
      sb = await startSandbox({ clock: () => now });
      const a = z.object({ preSignedUrl: z.string() }).parse(okData(await callBinance(sb, PRESIGN, { method: 'POST', body: '{"imageName":"a.png"}' })).data);
      now += 5 * 60_000 + 1;
      assert.equal((await fetch(a.preSignedUrl, { method: 'PUT', body: Buffer.from([1]) })).status, 403);
    });

    it('36 pre-signed URLs a minute per user, then HTTP 429 with Retry-After', async () => {
      for (let i = 0; i < 36; i++) okData(await callBinance(sb, PRESIGN, { method: 'POST', body: '{"imageName":"a.png"}' }));
      const limited = await callBinance(sb, PRESIGN, { method: 'POST', body: '{"imageName":"a.png"}' });
      assert.equal(limited.status, 429);
      assert.equal(z.object({ success: z.literal(false) }).safeParse(limited.body).success, true);
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      okData(await callBinance(sb, PRESIGN, { account: 1, method: 'POST', body: '{"imageName":"a.png"}' }));
    });
  });

  describe('order routes', () => {
    const historyRow = z.object({
      orderNumber: z.string(), advNo: z.string(), tradeType: z.enum(['BUY', 'SELL']), asset: z.string(), fiat: z.string(), fiatSymbol: z.string(),
      amount: z.string(), totalPrice: z.string(), unitPrice: z.string(), orderStatus: z.string(), createTime: z.number(), commission: z.string(),
      counterPartNickName: z.string(), advertisementRole: z.enum(['MAKER', 'TAKER']),
    });

    it('listUserOrderHistory: last 30 days by default, spans ≤ 30 days, only the last 6 months', async () => {
      const now = sb.venue('binance').now();
      const recent = okData(await callBinance(sb, ORDER_HISTORY));
      const rows = z.array(historyRow).parse(recent.data);
      assert.ok(rows.every((r) => r.createTime >= now - 30 * DAY - 1000));
      assert.ok(rows.some((r) => r.orderStatus === 'TRADING') && rows.some((r) => r.orderStatus === 'COMPLETED'));
      assert.equal(recent.total, rows.length);
      const older = z.array(historyRow).parse(okData(await callBinance(sb, ORDER_HISTORY, { query: `startTimestamp=${now - 50 * DAY}&endTimestamp=${now - 20 * DAY}` })).data);
      assert.equal(older.length, 1, 'the 40-day-old order');
      const tooWide = await callBinance(sb, ORDER_HISTORY, { query: `startTimestamp=${now - 31 * DAY}&endTimestamp=${now}` });
      assert.equal(tooWide.status, 400);
      assert.equal(z.object({ code: z.number() }).parse(tooWide.body).code, -1130);
      const ancient = okData(await callBinance(sb, ORDER_HISTORY, { query: `startTimestamp=${now - 210 * DAY}&endTimestamp=${now - 190 * DAY}` }));
      assert.equal(ancient.total, 0, 'older than 6 months is out of reach');
      const sells = z.array(historyRow).parse(okData(await callBinance(sb, ORDER_HISTORY, { query: 'tradeType=SELL' })).data);
      assert.ok(sells.length > 0 && sells.every((r) => r.tradeType === 'SELL'));
      assert.equal((await callBinance(sb, ORDER_HISTORY, { query: 'rows=101' })).status, 400);
    });

    it('listOrders: numeric states, orderStatusList filter, paging, the payment deadline', async () => {
      const row = historyRow.extend({ orderStatus: z.number(), notifyPayEndTime: z.number(), chatUnreadCount: z.number() });
      const all = okData(await callBinance(sb, LIST_ORDERS, { method: 'POST', body: JSON.stringify({ page: 1, rows: 100 }) }));
      const statuses = new Set(z.array(row).parse(all.data).map((r) => r.orderStatus));
      assert.ok(statuses.has(1) && statuses.has(2) && statuses.has(4) && statuses.has(6), [...statuses].join());
      const active = okData(await callBinance(sb, LIST_ORDERS, { method: 'POST', body: JSON.stringify({ page: 1, rows: 10, orderStatusList: [1, 2, 3] }) }));
      const activeRows = z.array(row).parse(active.data);
      assert.ok(activeRows.length >= 2 && activeRows.every((r) => [1, 2, 3].includes(r.orderStatus)));
      assert.ok(activeRows.every((r) => r.notifyPayEndTime > r.createTime));
      const first = okData(await callBinance(sb, LIST_ORDERS, { method: 'POST', body: JSON.stringify({ page: 1, rows: 1, orderStatusList: [1, 2, 3] }) }));
      assert.equal(z.array(row).parse(first.data).length, 1);
      assert.equal(first.total, activeRows.length);
      assert.equal((await callBinance(sb, LIST_ORDERS, { method: 'POST', body: JSON.stringify({ page: 1, rows: 10, orderStatusList: ['TRADING'] }) })).status, 400);
      const sharedStatus = okData(await callBinance(sb, LIST_ORDERS, { account: 1, method: 'POST', body: JSON.stringify({ page: 1, rows: 100, tradeType: 'BUY', orderStatusList: [1] }) }));
      assert.ok(z.array(row).parse(sharedStatus.data).some((r) => r.counterPartNickName === 'SandboxBinance'), 'the second account buys from the first');
    });

    it('activeOrders gives every account that many orders in progress', async () => {
      await sb.close();
      sb = await startSandbox({ activeOrders: 12 });
      for (const account of [0, 1]) {
        const active = okData(await callBinance(sb, LIST_ORDERS, { account, method: 'POST', body: JSON.stringify({ page: 1, rows: 100, orderStatusList: [1, 2] }) }));
        assert.equal(active.total, 12);
      }
    });

    it('getUserOrderDetail {adOrderNo}: the order from the caller\'s side with its payment deadline', async () => {
      const orderNo = orderOf(sb, 0, 'TRADING');
      const detail = z
        .object({ orderNumber: z.string(), orderStatus: z.number(), tradeType: z.string(), notifyPayEndTime: z.number(), notifyPayedExpireMinute: z.number(), counterPartNickName: z.string() })
        .parse(okData(await callBinance(sb, DETAIL, { method: 'POST', body: JSON.stringify({ adOrderNo: orderNo }) })).data);
      assert.equal(detail.orderNumber, orderNo);
      assert.equal(detail.orderStatus, 1);
      assert.equal(detail.notifyPayedExpireMinute, 15);
      assert.equal(detail.notifyPayEndTime, sb.venue('binance').orders(0).find((o) => o.orderNo === orderNo)!.notifyPayEndTime);
      assert.equal((await callBinance(sb, DETAIL, { method: 'POST', body: '{}' })).status, 400);
    });
  });
});
