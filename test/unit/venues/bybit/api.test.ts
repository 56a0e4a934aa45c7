import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BybitRestClient, LEGACY_CHAT_CLOSED, bybitError } from '../../../../src/extension/venues/bybit/api';
import { bybitSignedBytes, hmacSign } from '../../../../src/extension/venues/bybit/signing';
import { VenueError } from '../../../../src/extension/venues/venue';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

type Handler = (seen: Seen, res: ServerResponse) => void;

const ok = (result: unknown) => JSON.stringify({ ret_code: 0, ret_msg: 'SUCCESS', result, ext_code: '', ext_info: {}, time_now: '1741763625.212991' });

describe('Bybit REST client: envelope, errors, clock sync, route spellings', () => {
  let server: Server;
  let base: string;
  let seen: Seen[];
  let handle: Handler;
  let client: BybitRestClient;

  beforeEach(async () => {
    seen = [];
    handle = (_s, res) => res.end(ok({}));
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const s = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
        seen.push(s);
        res.setHeader('content-type', 'application/json');
        handle(s, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new BybitRestClient({ baseUrl: base, key: { kind: 'hmac', apiKey: 'KEY123456', secret: 'SECRET123456' } });
  });

  afterEach(async () => {
    client.dispose();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('signs each call over the JSON body it sends and reads the ret_code envelope with string numbers', async () => {
    handle = (_s, res) => res.end(ok({ count: '1', items: [{ id: '1898976123321221120', side: '1', tokenId: 'USDT', amount: '349.68', currencyId: 'EUR', price: '0.93', status: '10', createDate: '1741763625000', targetNickName: 'Buyer' }] }));
    const list = await client.pendingOrders(1, 20);
    assert.equal(list.count, 1);
    assert.equal(list.items[0]!.status, 10);
    assert.equal(list.items[0]!.amount, '349.68');
    const s = seen[0]!;
    assert.equal(s.path, '/v5/p2p/order/pending/simplifyList');
    const expected = hmacSign('SECRET123456', bybitSignedBytes(Number(s.headers['x-bapi-timestamp']), 'KEY123456', 5000, s.body));
    assert.equal(s.headers['x-bapi-sign'], expected);
    assert.equal(s.headers['x-bapi-api-key'], 'KEY123456');
    assert.deepEqual(JSON.parse(s.body.toString()), { page: 1, size: 20 });
  });

  it('accepts the retCode/retMsg spelling of the envelope too', async () => {
    handle = (_s, res) => res.end(JSON.stringify({ retCode: 0, retMsg: 'OK', result: { userId: 290118, nickName: 'cjmtest' } }));
    assert.deepEqual(await client.personalInfo(), { userId: '290118', nickName: 'cjmtest' });
  });

  it('10002: reads the server time once, then retries with the offset', async () => {
    const skew = 120_000;
    handle = (s, res) => {
      if (s.path === '/v5/market/time') return void res.end(JSON.stringify({ retCode: 0, retMsg: 'OK', result: { timeSecond: String(Math.floor((Date.now() + skew) / 1000)) }, time: Date.now() + skew }));
      const ts = Number(s.headers['x-bapi-timestamp']);
      if (Math.abs(Date.now() + skew - ts) > 5000) return void res.end(JSON.stringify({ ret_code: 10002, ret_msg: 'invalid request, please check your server timestamp or recv_window param' }));
      res.end(ok({ userId: '1', nickName: 'me' }));
    };
    assert.equal((await client.personalInfo()).nickName, 'me');
    assert.deepEqual(seen.map((s) => s.path), ['/v5/p2p/user/personal/info', '/v5/market/time', '/v5/p2p/user/personal/info']);
    assert.equal(seen[1]!.headers['x-bapi-sign'], undefined, 'the time call is not signed');
  });

  it('says what to fix for 10003, 10004, 10005, 10010, HTTP 401 and 403', async () => {
    const cases: [number | undefined, number, RegExp][] = [
      [10003, 200, /testnet key used on mainnet/],
      [10004, 200, /secret or the RSA private key/],
      [10005, 200, /P2P permission/],
      [10010, 200, /IP allow-list/],
      [undefined, 401, /testnet key on a mainnet endpoint/],
      [undefined, 403, /US and mainland China/],
    ];
    for (const [code, status, message] of cases) {
      handle = (_s, res) => {
        res.statusCode = status;
        res.end(code === undefined ? 'Forbidden' : JSON.stringify({ ret_code: code, ret_msg: 'venue words' }));
      };
      await assert.rejects(client.personalInfo(), (e: unknown) => e instanceof VenueError && e.kind === 'auth' && message.test(e.message), `code ${code} / HTTP ${status}`);
    }
  });

  it('a rate limit (10006) waits until the reset Bybit names, and the legacy chat closure is its own code', async () => {
    handle = (_s, res) => {
      res.setHeader('X-Bapi-Limit-Reset-Timestamp', String(Date.now() + 3000));
      res.end(JSON.stringify({ ret_code: 10006, ret_msg: 'Too many visits!' }));
    };
    await assert.rejects(client.orderMessages('1', 1, 30), (e: unknown) => e instanceof VenueError && e.kind === 'rate-limit' && (e.retryAfterMs ?? 0) > 2000 && (e.retryAfterMs ?? 0) <= 3000);
    handle = (_s, res) => res.end(JSON.stringify({ ret_code: LEGACY_CHAT_CLOSED, ret_msg: 'chat open api close, pls chat with new open api' }));
    await assert.rejects(client.orderMessages('1', 1, 30), (e: unknown) => e instanceof VenueError && e.venueCode === LEGACY_CHAT_CLOSED);
  });

  it('uses /listpage, or /listpage_v1 where only that answers, and remembers which', async () => {
    handle = (s, res) => {
      if (!s.path.endsWith('_v1')) {
        res.statusCode = 404;
        return void res.end('{"timestamp":1,"status":404,"error":"Not Found"}');
      }
      res.end(ok([{ id: '3000835348', sendUserNickName: 'cjmtest', contentType: 'str', message: '{"content":"hi","msgType":1}', createDate: '1741763625000' }]));
    };
    const first = await client.sessionMessages('sess+/=', '0', 30);
    assert.equal(first[0]!.id, '3000835348');
    await client.sessionMessages('sess+/=', '3000835348', 30);
    assert.deepEqual(seen.map((s) => s.path), ['/v5/p2p/chat/message/listpage', '/v5/p2p/chat/message/listpage_v1', '/v5/p2p/chat/message/listpage_v1']);
  });

  it('an upload is one multipart body with the field upload_file, signed over its raw bytes', async () => {
    handle = (_s, res) => res.end(ok({ uploadId: null, type: 'IMAGE', url: '/fiat/p2p/oss/showObj/otc/9001/a.png?e=1741770000&token=abc' }));
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]);
    const uploaded = await client.uploadFile('receipt.png', 'image/png', bytes);
    assert.equal(uploaded.url, '/fiat/p2p/oss/showObj/otc/9001/a.png?e=1741770000&token=abc');
    const s = seen[0]!;
    assert.match(String(s.headers['content-type']), /^multipart\/form-data; boundary=/);
    assert.ok(s.body.includes(Buffer.from('name="upload_file"; filename="receipt.png"')));
    assert.ok(s.body.includes(Buffer.from(bytes)));
    assert.equal(s.headers['x-bapi-sign'], hmacSign('SECRET123456', bybitSignedBytes(Number(s.headers['x-bapi-timestamp']), 'KEY123456', 5000, s.body)));
  });

  it('maps a 5xx to unavailable with the venue\'s words', () => {
    const e = bybitError(10016, 'Internal server error', 200, '/x');
    assert.equal(e.kind, 'unavailable');
    assert.match(e.message, /Internal server error/);
  });
});
