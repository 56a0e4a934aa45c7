import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { bybitCredentials, callBybit, okResult, retCode } from './bybitHelpers';

const INFO = '/v5/p2p/user/personal/info';
const NOW = 1_767_225_600_000; // a frozen venue clock makes the window edges exact

describe('sandbox Bybit signing', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox({ counterparty: false, clock: () => NOW });
  });
  afterEach(() => sb.reset());
  after(async () => {
    await sb.close();
  });

  it('seeds one HMAC account and one RSA account (PKCS#8 PEM private key)', () => {
    const [hmac, rsa] = [bybitCredentials(sb, 0), bybitCredentials(sb, 1)];
    assert.equal(hmac.keyType, 'hmac');
    assert.equal(rsa.keyType, 'rsa');
    if (rsa.keyType === 'rsa') assert.match(rsa.privateKey, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    assert.match(sb.venue('bybit').publicKeyPem(1) ?? '', /^-----BEGIN PUBLIC KEY-----/);
  });

  for (const account of [0, 1]) {
    it(`account ${account}: a JSON body and a GET query signed over the exact bytes pass`, async () => {
      const info = z.object({ userId: z.string(), nickName: z.string() }).passthrough().parse(okResult(await callBybit(sb, INFO, { account, body: {} })));
      assert.deepEqual({ userId: info.userId, nickName: info.nickName }, sb.venue('bybit').identity(account));
      // Python-style separators: the signature covers whatever bytes are sent.
      okResult(await callBybit(sb, '/v5/p2p/order/simplifyList', { account, body: '{"page": 1, "size": 5}' }));
      const get = await callBybit(sb, '/v5/user/query-api', { account, query: 'b=2&a=1' });
      assert.equal(get.status, 200);
      const v5 = z.object({ retCode: z.literal(0), retMsg: z.literal('OK'), result: z.object({ apiKey: z.string() }).passthrough(), retExtInfo: z.object({}), time: z.number() }).parse(get.body);
      assert.equal(v5.result.apiKey, bybitCredentials(sb, account).apiKey);
      const records = sb.venue('bybit').requests();
      assert.equal(records.length, 3);
      assert.ok(records.every((r) => r.signatureValid === true && r.timestampValid === true && r.retCode === 0));
    });

    it(`account ${account}: a signature over other bytes, another key's signature, or none is 10004`, async () => {
      const body = { page: 1, size: 5 };
      const cases = [
        { body, signBytes: Buffer.from(`${NOW}${bybitCredentials(sb, account).apiKey}5000{"page": 1, "size": 5}`) },
        { body, signAs: 1 - account },
        { body, signature: null },
        { query: 'a=1', method: 'GET' as const, signBytes: Buffer.from(`${NOW}${bybitCredentials(sb, account).apiKey}5000a=2`) },
      ];
      for (const c of cases) {
        const reply = await callBybit(sb, c.query ? '/v5/user/query-api' : '/v5/p2p/order/simplifyList', { account, ...c });
        const code = c.query ? z.object({ retCode: z.number() }).parse(reply.body).retCode : retCode(reply);
        assert.equal(code, 10004, JSON.stringify(c));
      }
      assert.ok(sb.venue('bybit').requests().every((r) => r.signatureValid === false && r.timestampValid === null));
    });
  }

  it('HMAC signatures are lowercase hex only', async () => {
    const creds = bybitCredentials(sb, 0);
    const { createHmac } = await import('node:crypto');
    const upper = createHmac('sha256', creds.keyType === 'hmac' ? creds.secret : '').update(`${NOW}${creds.apiKey}5000{}`).digest('hex').toUpperCase();
    assert.equal(retCode(await callBybit(sb, INFO, { body: {}, signature: upper })), 10004);
    assert.equal(retCode(await callBybit(sb, INFO, { body: {}, signature: upper.toLowerCase() })), 0);
  });

  it('an unknown or missing API key is 10003', async () => {
    assert.equal(retCode(await callBybit(sb, INFO, { body: {}, apiKey: 'XXXXXXXXXXXXXXXXXX' })), 10003);
    assert.equal(retCode(await callBybit(sb, INFO, { body: {}, apiKey: null })), 10003);
    assert.deepEqual(sb.venue('bybit').requests().map((r) => [r.apiKey, r.signatureValid, r.retCode]), [['XXXXXXXXXXXXXXXXXX', null, 10003], [null, null, 10003]]);
  });

  it('accepts server - recvWindow <= timestamp < server + 1000, else 10002', async () => {
    const at = async (timestamp: number, recvWindow?: number | null): Promise<number> => retCode(await callBybit(sb, INFO, { body: {}, timestamp, ...(recvWindow !== undefined ? { recvWindow } : {}) }));
    assert.equal(await at(NOW - 5000), 0);
    assert.equal(await at(NOW - 5001), 10002);
    assert.equal(await at(NOW + 999), 0);
    assert.equal(await at(NOW + 1000), 10002);
    assert.equal(await at(NOW - 20_000, 30_000), 0);
    assert.equal(await at(NOW - 20_000, 10_000), 10002);
    // No recvWindow header: 5000 is assumed (and nothing stands for it in the signed string).
    assert.equal(await at(NOW - 4000, null), 0);
    assert.equal(await at(NOW - 6000, null), 10002);
    const failed = sb.venue('bybit').requests().filter((r) => r.retCode === 10002);
    assert.equal(failed.length, 4);
    assert.ok(failed.every((r) => r.signatureValid === true && r.timestampValid === false));
  });

  it('answers the server time unsigned, in the V5 spelling', async () => {
    const res = await fetch(`${sb.venue('bybit').restUrl}/v5/market/time`);
    const body = z.object({ retCode: z.literal(0), retMsg: z.literal('OK'), result: z.object({ timeSecond: z.string(), timeNano: z.string() }), retExtInfo: z.object({}), time: z.number() }).parse(await res.json());
    assert.equal(body.time, NOW);
    assert.equal(body.result.timeSecond, String(NOW / 1000));
    assert.equal(body.result.timeNano, `${NOW}000000`);
  });
});
