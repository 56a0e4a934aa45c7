import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { account, callMexc, envelopeSchema, sign } from './helpers';

const rowSchema = z.object({
  advOrderNo: z.string().regex(/^\d{19}$/),
  tradableQuantity: z.number(),
  price: z.number(),
  amount: z.number(),
  coinName: z.string(),
  state: z.string(),
  payTimeLimit: z.number(),
  side: z.enum(['BUY', 'SELL']),
  fiatUnit: z.string(),
  createTime: z.number(),
  userInfo: z.object({ nickName: z.string() }),
});
const pageSchema = envelopeSchema.extend({ code: z.literal(0), msg: z.literal('success'), data: z.array(rowSchema) });

describe('sandbox MEXC REST', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox({ counterpartyReplyDelayMs: 0 });
  });
  afterEach(() => sb.close());

  describe('request authentication', () => {
    it('accepts a correctly signed request', async () => {
      const reply = await callMexc(sb, '/api/v3/fiat/market/order/paginationV2');
      assert.equal(reply.status, 200);
      pageSchema.parse(reply.body);
    });

    it('requires X-MEXC-APIKEY (HTTP 400, code 400)', async () => {
      const reply = await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', { apiKey: null });
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body, { code: 400, msg: 'api key required' });
    });

    it('rejects an unknown api key (HTTP 401, code 10072)', async () => {
      const reply = await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', { apiKey: 'mx0vglNotAKnownKey' });
      assert.equal(reply.status, 401);
      assert.deepEqual(reply.body, { code: 10072, msg: 'Api key info invalid' });
    });

    it('rejects a wrong signature (code 700002)', async () => {
      const reply = await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', { secretKey: 'not-the-secret' });
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body, { code: 700002, msg: 'Signature for this request is not valid.' });
    });

    it('rejects a signature over re-encoded parameters (sign the bytes you send)', async () => {
      const { secretKey } = account(sb);
      const ts = sb.venue('mexc').now();
      // Signed with a decoded space, sent percent-encoded.
      const signature = sign(secretKey, `orderDealState=NOT PAID&timestamp=${ts}`);
      const reply = await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', { query: 'orderDealState=NOT%20PAID', timestamp: ts, signature });
      assert.deepEqual(reply.body, { code: 700002, msg: 'Signature for this request is not valid.' });
    });

    it('rejects stale, future and missing timestamps and a recvWindow above 60000 (code 700003)', async () => {
      const now = sb.venue('mexc').now();
      const expected = { code: 700003, msg: 'Timestamp for this request is outside of the recvWindow.' };
      for (const opts of [{ timestamp: now - 6000 }, { timestamp: now + 1500 }, { timestamp: null }, { recvWindow: 60001 }]) {
        const reply = await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', opts);
        assert.equal(reply.status, 400, JSON.stringify(opts));
        assert.deepEqual(reply.body, expected, JSON.stringify(opts));
      }
      const widened = await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', { timestamp: now - 6000, recvWindow: 10000 });
      assert.equal(widened.status, 200);
    });

    it('limits each key to 20 requests per second (HTTP 429)', async () => {
      const replies = await Promise.all(Array.from({ length: 24 }, () => callMexc(sb, '/api/v3/time')));
      assert.ok(replies.every((r) => r.status === 200), 'unsigned routes are not counted');
      const signed = await Promise.all(Array.from({ length: 24 }, () => callMexc(sb, '/api/v3/userDataStream')));
      const limited = signed.filter((r) => r.status === 429);
      assert.equal(limited.length, 4);
      assert.deepEqual(limited[0]?.body, { code: 429, msg: 'Too many requests' });
      // The other account has its own budget.
      assert.equal((await callMexc(sb, '/api/v3/userDataStream', { account: 1 })).status, 200);
    });

    it('records every call without the secret', async () => {
      await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', { secretKey: 'wrong' });
      await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', { timestamp: 1 });
      await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', { query: 'limit=2' });
      const records = sb.venue('mexc').requests({ kind: 'rest' });
      assert.equal(records.length, 3);
      assert.deepEqual(records.map((r) => [r.signatureValid, r.timestampValid, r.responseCode]), [[false, null, 700002], [true, false, 700003], [true, true, 0]]);
      assert.equal(records[2]?.path, '/api/v3/fiat/market/order/paginationV2');
      assert.match(records[2]?.rawQuery ?? '', /^limit=2&timestamp=\d+&signature=[0-9a-f]{64}$/);
      assert.equal(records[2]?.apiKey, account(sb).apiKey);
      assert.ok(!JSON.stringify(records).includes(account(sb).secretKey));
    });

    it('serves server time and ping unsigned', async () => {
      const time = await fetch(`${sb.venue('mexc').restUrl}/api/v3/time`).then((r) => r.json() as Promise<unknown>);
      const serverTime = z.object({ serverTime: z.number() }).parse(time).serverTime;
      assert.ok(Math.abs(serverTime - Date.now()) < 2000);
      assert.deepEqual(await fetch(`${sb.venue('mexc').restUrl}/api/v3/ping`).then((r) => r.json() as Promise<unknown>), {});
    });
  });

  describe('P2P orders', () => {
    it('lists the account orders newest first with the documented row fields', async () => {
      const page = pageSchema.parse((await callMexc(sb, '/api/v3/fiat/market/order/paginationV2')).body);
      assert.equal(page.data.length, 4);
      assert.deepEqual(page.data.map((r) => r.state), ['NOT_PAID', 'PAID', 'DONE', 'CANCEL']);
      const times = page.data.map((r) => r.createTime);
      assert.deepEqual([...times].sort((a, b) => b - a), times);
      const other = pageSchema.parse((await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', { account: 1 })).body);
      const mine = new Set(page.data.map((r) => r.advOrderNo));
      assert.ok(other.data.every((r) => !mine.has(r.advOrderNo)), 'accounts see only their own orders');
      assert.equal(new Set([...page.data, ...other.data].map((r) => r.userInfo.nickName)).size, 8, 'distinct counterparties');
    });

    it('scrolls with lastCreateTime + lastId and honours limit and orderDealState', async () => {
      const first = pageSchema.parse((await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', { query: 'limit=3' })).body).data;
      assert.equal(first.length, 3);
      const last = first[2]!;
      const second = pageSchema.parse(
        (await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', { query: `limit=3&lastCreateTime=${last.createTime}&lastId=${last.advOrderNo}` })).body,
      ).data;
      assert.deepEqual(second.map((r) => r.state), ['CANCEL']);
      const paid = pageSchema.parse((await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', { query: 'orderDealState=PAID' })).body).data;
      assert.deepEqual(paid.map((r) => r.state), ['PAID']);
      const half = await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', { query: `lastId=${last.advOrderNo}` });
      assert.deepEqual(half.body, { code: 33333, msg: 'Parameter error' });
      const recent = pageSchema.parse((await callMexc(sb, '/api/v3/fiat/market/order/paginationV2', { query: `startTime=${sb.venue('mexc').now() - 60 * 60_000}` })).body).data;
      assert.deepEqual(recent.map((r) => r.state), ['NOT_PAID', 'PAID']);
    });

    it('returns order detail with the counterparty userInfo', async () => {
      const order = sb.venue('mexc').state().orders[0]!;
      const reply = await callMexc(sb, '/api/v3/fiat/order/detail', { query: `advOrderNo=${order.advOrderNo}` });
      const detail = envelopeSchema
        .extend({
          code: z.literal(0),
          data: z.object({ advOrderNo: z.string(), state: z.string(), userInfo: z.object({ nickName: z.string(), imId: z.string(), memberId: z.string() }) }),
        })
        .parse(reply.body);
      assert.equal(detail.data.advOrderNo, order.advOrderNo);
      assert.equal(detail.data.userInfo.nickName, order.counterpartyNickName);
      const foreign = await callMexc(sb, '/api/v3/fiat/order/detail', { query: `advOrderNo=${order.advOrderNo}`, account: 1 });
      assert.equal(foreign.status, 200);
      assert.deepEqual(foreign.body, { code: 10097, msg: 'order not found' });
    });

    it('maps an order to its chat conversation, only for the owner', async () => {
      const order = sb.venue('mexc').state().orders[1]!;
      const reply = await callMexc(sb, '/api/v3/fiat/retrieveChatConversation', { query: `orderNo=${order.advOrderNo}` });
      assert.deepEqual(reply.body, { code: 0, msg: 'success', data: { conversationId: order.conversationId } });
      const foreign = await callMexc(sb, '/api/v3/fiat/retrieveChatConversation', { query: `orderNo=${order.advOrderNo}`, account: 1 });
      assert.deepEqual([foreign.status, foreign.body], [200, { code: 10097, msg: 'order not found' }]);
      const unknown = await callMexc(sb, '/api/v3/fiat/retrieveChatConversation', { query: 'orderNo=1234' });
      assert.deepEqual(unknown.body, { code: 10097, msg: 'order not found' });
      const missing = await callMexc(sb, '/api/v3/fiat/retrieveChatConversation');
      assert.deepEqual([missing.status, missing.body], [400, { code: 33333, msg: 'Parameter error' }]);
    });

    it('answers unknown routes with 404', async () => {
      const reply = await callMexc(sb, '/api/v3/fiat/nope');
      assert.equal(reply.status, 404);
    });
  });

  describe('media', () => {
    it('serves a real PNG receipt, a PDF and an MP4 with their content types', async () => {
      const base = sb.venue('mexc').mediaUrl;
      const png = await fetch(`${base}/receipt.png`);
      assert.equal(png.headers.get('content-type'), 'image/png');
      const pngBytes = Buffer.from(await png.arrayBuffer());
      assert.deepEqual([...pngBytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.equal(pngBytes.readUInt32BE(16), 240); // IHDR width
      assert.equal(pngBytes.readUInt32BE(20), 360); // IHDR height
      const pdf = await fetch(`${base}/invoice.pdf`);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      const pdfText = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
      assert.ok(pdfText.startsWith('%PDF-1.4') && pdfText.trimEnd().endsWith('%%EOF'));
      const xrefAt = Number(/startxref\n(\d+)/.exec(pdfText)?.[1]);
      assert.equal(pdfText.slice(xrefAt, xrefAt + 4), 'xref');
      const mp4 = await fetch(`${base}/clip.mp4`);
      assert.equal(mp4.headers.get('content-type'), 'video/mp4');
      assert.equal(Buffer.from(await mp4.arrayBuffer()).subarray(4, 8).toString('ascii'), 'ftyp');
      assert.equal((await fetch(`${base}/missing.png`)).status, 404);
    });
  });
});
