import assert from 'node:assert/strict';
import { MexcRestClient } from '../../../src/extension/venues/mexc/api';
import { hmacSignature } from '../../../src/extension/venues/hmacQuerySigning';
import { VenueError } from '../../../src/extension/venues/venue';
import { refusedPort, startHttpServer, type HttpTestServer } from '../core/connection/loopbackServers';

const credentials = { apiKey: 'mx0testkey', secretKey: 'test-secret' };

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

describe('MEXC REST client on the core HTTP client', () => {
  let server: HttpTestServer;
  let reply: Reply;
  let rest: MexcRestClient;

  beforeEach(async () => {
    reply = { status: 200, body: '{"listenKey":"lk-1"}' };
    server = await startHttpServer((_req, res) => {
      res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
      res.end(reply.body);
    });
    rest = new MexcRestClient({ baseUrl: server.url, credentials });
  });
  afterEach(async () => {
    rest.dispose();
    await server.close();
  });

  const venueError = (kind: string, message: RegExp, extra: (e: VenueError) => void = () => {}) => (err: unknown) => {
    assert.ok(err instanceof VenueError, String(err));
    assert.equal(err.kind, kind, err.message);
    assert.match(err.message, message);
    extra(err);
    return true;
  };

  it('signs the query exactly as sent, recvWindow and timestamp before the signature', async () => {
    reply = { status: 200, body: '{"code":0,"msg":"success","data":{"conversationId":50012}}' };
    assert.equal(await rest.conversationId('A,1 x'), 50012);
    const got = server.received[0]!;
    assert.equal(got.headers['x-mexc-apikey'], credentials.apiKey);
    const [path, query] = got.url.split('?') as [string, string];
    assert.equal(path, '/api/v3/fiat/retrieveChatConversation');
    const [signed, signature] = query.split('&signature=') as [string, string];
    assert.match(signed, /^orderNo=A%2C1%20x&recvWindow=5000&timestamp=\d+$/);
    assert.equal(signature, hmacSignature(credentials.secretKey, signed));
  });

  it('a 5xx on creating a listen key (not idempotent) is an unknown outcome; on the keep-alive it is unavailability', async () => {
    reply = { status: 502, body: 'bad gateway' };
    await assert.rejects(rest.createListenKey(), venueError('unknown-outcome', /MEXC POST \/api\/v3\/userDataStream failed with HTTP 502/));
    await assert.rejects(rest.keepAliveListenKey('lk-1'), venueError('unavailable', /HTTP 502/));
    await assert.rejects(rest.listOrders({ limit: 20 }), venueError('unavailable', /HTTP 502/));
  });

  it('429 keeps MEXC\'s message and the Retry-After', async () => {
    reply = { status: 429, body: '{"code":429,"msg":"Too many requests"}', headers: { 'Retry-After': '3' } };
    await assert.rejects(rest.listListenKeys(), venueError('rate-limit', /^MEXC rate limit: Too many requests$/, (e) => assert.equal(e.retryAfterMs, 3000)));
  });

  it('maps MEXC codes and statuses as before', async () => {
    reply = { status: 400, body: '{"code":700002,"msg":"Signature for this request is not valid."}' };
    await assert.rejects(rest.createListenKey(), venueError('auth', /MEXC rejected the signature \(Signature for this request is not valid\.\)\. Check the secret key\./, (e) => assert.equal(e.venueCode, 700002)));
    reply = { status: 403, body: '<html>WAF</html>' };
    await assert.rejects(rest.createListenKey(), venueError('auth', /MEXC refused the API key \(HTTP 403\)/));
    reply = { status: 404, body: 'not here' };
    await assert.rejects(rest.createListenKey(), venueError('rejected', /MEXC POST \/api\/v3\/userDataStream failed with HTTP 404/));
    reply = { status: 200, body: '{"code":10072,"msg":"Api key info invalid"}' };
    await assert.rejects(rest.orderDetail('1'), venueError('auth', /MEXC rejected the API key \(Api key info invalid\)/));
  });

  it('a garbled or unexpected 200 is an unknown outcome', async () => {
    reply = { status: 200, body: '{"listenKey":' };
    await assert.rejects(rest.createListenKey(), venueError('unknown-outcome', /unreadable reply to POST \/api\/v3\/userDataStream/));
    reply = { status: 200, body: '{"listenKey":""}' };
    await assert.rejects(rest.createListenKey(), venueError('unknown-outcome', /MEXC sent an unexpected reply to POST/));
  });

  it('an unreachable MEXC is unavailable', async () => {
    const port = await refusedPort();
    const offline = new MexcRestClient({ baseUrl: `http://127.0.0.1:${port}`, credentials });
    try {
      await assert.rejects(offline.createListenKey(), venueError('unavailable', /cannot reach MEXC \(POST \/api\/v3\/userDataStream\): connection refused/));
    } finally {
      offline.dispose();
    }
  });

  it('reads order amounts as the exact decimal text MEXC wrote (BigDecimal as a JSON number)', async () => {
    reply = {
      status: 200,
      body: '{"code":0,"msg":"success","data":[{"advOrderNo":"1234567890123456789","state":"PAID","side":"SELL","coinName":"BTC","tradableQuantity":0.000123456789012345678,"price":64000.10,"amount":7.90,"fiatUnit":"EUR","createTime":1700000000000,"payTimeLimit":1700000900000}]}',
    };
    const [order] = await rest.listOrders({ limit: 20 });
    assert.ok(order);
    assert.equal(order.tradableQuantity, '0.000123456789012345678');
    assert.equal(order.price, '64000.10');
    assert.equal(order.amount, '7.90');
    assert.equal(order.createTime, 1_700_000_000_000);
    assert.equal(order.payTimeLimit, 1_700_000_900_000);
  });
});
