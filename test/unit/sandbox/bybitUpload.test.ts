import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { buildMediaLibrary } from '../../../sandbox/util/media';
import { callBybit, innerSchema, okResult, orderOf, retCode, sessionPage } from './bybitHelpers';

const UPLOAD = '/v5/p2p/oss/upload_file';
const PDF = buildMediaLibrary().get('invoice.pdf')!.body;
const PNG = buildMediaLibrary().get('receipt.png')!.body;

const uploadReply = z
  .object({
    ret_code: z.literal(0), ret_msg: z.literal('成功'), token: z.null(), ext_code: z.string(), ext_info: z.object({}), time_now: z.string(),
    result: z.object({ uploadId: z.null(), type: z.enum(['IMAGE', 'PDF', 'VIDEO']), url: z.string() }).strict(),
  })
  .strict();

describe('sandbox Bybit upload and media links', () => {
  let sb: Sandbox;
  let now = Date.now();
  before(async () => {
    sb = await startSandbox({ counterparty: false, clock: () => now, venues: { bybit: { maxUploadBytes: 64 * 1024, mediaTtlMs: 60_000, sendPerSecond: 1000 } } });
  });
  afterEach(() => {
    now = Date.now();
    sb.reset();
  });
  after(async () => {
    await sb.close();
  });

  for (const account of [0, 1]) {
    it(`account ${account}: takes a PDF signed over the raw multipart bytes and serves it at a relative URL until e=`, async () => {
      const reply = await callBybit(sb, UPLOAD, { account, file: { name: 'proof.pdf', contentType: 'image/png', data: PDF } });
      const { result } = uploadReply.parse(reply.body);
      assert.equal(result.type, 'PDF');
      const url = /^\/fiat\/p2p\/oss\/showObj\/otc\/9001\/[0-9a-f]{32}\.pdf\?e=(\d{10})&token=[A-Za-z0-9]+$/.exec(result.url);
      assert.ok(url, result.url);
      assert.equal(Number(url[1]), Math.floor((now + 60_000) / 1000));
      const served = await fetch(`${sb.venue('bybit').restUrl}${result.url}`);
      assert.equal(served.status, 200);
      assert.equal(served.headers.get('content-type'), 'application/pdf', 'typed by the extension, whatever part type was sent');
      assert.deepEqual(Buffer.from(await served.arrayBuffer()), PDF);
      assert.equal((await fetch(`${sb.venue('bybit').restUrl}${result.url.replace(/token=.*/, 'token=wrong')}`)).status, 404);
      now += 60_001;
      assert.equal((await fetch(`${sb.venue('bybit').restUrl}${result.url}`)).status, 404, 'expired');
      const records = sb.venue('bybit').requests();
      assert.deepEqual(records.map((r) => [r.kind, r.signatureValid, r.httpStatus]), [['upload', true, 200], ['media', null, 200], ['media', null, 404], ['media', null, 404]]);
      assert.ok(records.every((r) => !r.rawQuery.includes(result.url.split('token=')[1]!)), 'tokens are not recorded');
    });
  }

  it('an image is type IMAGE served as image/png; a whitelist of extensions (any case) and a size cap', async () => {
    const png = uploadReply.parse((await callBybit(sb, UPLOAD, { file: { name: 'Receipt.PNG', data: PNG } })).body).result;
    assert.equal(png.type, 'IMAGE');
    assert.equal((await fetch(`${sb.venue('bybit').restUrl}${png.url}`)).headers.get('content-type'), 'image/png');
    assert.equal(uploadReply.parse((await callBybit(sb, UPLOAD, { file: { name: 'clip.mp4', data: Buffer.alloc(100, 1) } })).body).result.type, 'VIDEO');
    for (const name of ['x.exe', 'x.gif', 'noext']) assert.equal(retCode(await callBybit(sb, UPLOAD, { file: { name, data: PNG } })), 10001, name);
    assert.equal(retCode(await callBybit(sb, UPLOAD, { file: { name: 'big.jpg', data: Buffer.alloc(64 * 1024 + 1) } })), 10001);
    assert.equal(retCode(await callBybit(sb, UPLOAD, { file: { field: 'file', name: 'a.png', data: PNG } })), 10001, 'the field is upload_file');
  });

  it('a multipart signature over other bytes is 10004', async () => {
    const reply = await callBybit(sb, UPLOAD, { file: { name: 'a.pdf', data: PDF }, signBytes: Buffer.from('not the body') });
    assert.equal(retCode(reply), 10004);
    assert.equal(sb.venue('bybit').requests()[0]!.signatureValid, false);
  });

  it('an uploaded URL is sent as a pic/pdf message; an unknown URL or a mismatched type is refused', async () => {
    const order = orderOf(sb, 0, 10);
    const { url } = uploadReply.parse((await callBybit(sb, UPLOAD, { file: { name: 'proof.pdf', data: PDF } })).body).result;
    assert.equal(okResult(await callBybit(sb, '/v5/p2p/chat/message/send', { body: { message: url, contentType: 'pdf', sessionId: order.sessionId } })), null);
    const [newest] = await sessionPage(sb, order.sessionId, 1);
    assert.equal(newest!.contentType, 'pdf');
    assert.deepEqual(innerSchema.parse(JSON.parse(newest!.message)), { content: url, msgType: 7, fileName: 'proof.pdf' });
    assert.equal(retCode(await callBybit(sb, '/v5/p2p/chat/message/send', { body: { message: url, contentType: 'pic', sessionId: order.sessionId } })), 10001);
    assert.equal(retCode(await callBybit(sb, '/v5/p2p/chat/message/send', { body: { message: '/fiat/p2p/oss/showObj/otc/9001/nope.png?e=1&token=x', contentType: 'pic', sessionId: order.sessionId } })), 10001);
  });

  it('seeded links older than the TTL are already expired; expireMedia makes every link 404 now', async () => {
    const seeded = sb.venue('bybit').messages(orderOf(sb, 0, 20).orderId).find((m) => m.contentType === 'pic')!;
    assert.equal((await fetch(`${sb.venue('bybit').restUrl}${seeded.content}`)).status, 404, '40 minutes old, 60 s TTL');
    const fresh = sb.venue('bybit').inject({ orderId: orderOf(sb, 0, 10).orderId, kind: 'pic' });
    assert.equal((await fetch(`${sb.venue('bybit').restUrl}${fresh.content}`)).status, 200);
    sb.venue('bybit').applyFaults({ expireMedia: true });
    assert.equal((await fetch(`${sb.venue('bybit').restUrl}${fresh.content}`)).status, 404);
  });
});
