import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { bybitSignedBytes, bybitSigner, hmacSign } from '../../../../src/extension/venues/bybit/signing';

// Expected values computed independently with `openssl dgst -sha256 -hmac <secret>` over the same
// string (Bybit publishes the recipe, not a finished signature).
describe('Bybit V5 signing', () => {
  it('HMAC over timestamp + apiKey + recvWindow + query string, lowercase hex', () => {
    const bytes = bybitSignedBytes(1658384314791, 'api_key', 5000, 'category=option&symbol=BTC-29JUL22-25000-C');
    assert.equal(hmacSign('api_secret', bytes), 'd46a1c1f1a35c6a513850569c6dd46fc77e74579ce7c66c9b8a23a70e9f2b8c9');
  });

  it('signs the JSON body of the order-chat example exactly as sent (no re-serialising, no sorting)', async () => {
    const sign = bybitSigner({ kind: 'hmac', apiKey: 'xxxxxxxxxxxxxxxxxx', secret: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' }, 5000, () => 0);
    const body = Buffer.from('{"orderId":"1898976123321221120","size":"1"}');
    const out = await sign({ method: 'POST', path: '/v5/p2p/order/message/listpage', query: '', body, timestamp: 1675866354698 });
    assert.deepEqual(out.headers, {
      'X-BAPI-API-KEY': 'xxxxxxxxxxxxxxxxxx',
      'X-BAPI-TIMESTAMP': '1675866354698',
      'X-BAPI-RECV-WINDOW': '5000',
      'X-BAPI-SIGN': 'fa10daed30ea0f9cbdff65a372db5e68c69a3152d69ccf286e0afd6d7973ff61',
      'X-BAPI-SIGN-TYPE': '2',
    });
    assert.equal(out.query, undefined, 'the query is left as it is');
  });

  it('signs a multipart upload over the raw body bytes, binary included', async () => {
    const sign = bybitSigner({ kind: 'hmac', apiKey: 'key', secret: 'secret' }, 5000, () => 0);
    const out = await sign({ method: 'POST', path: '/v5/p2p/oss/upload_file', query: '', body: Buffer.from([0x2d, 0x2d, 0xff, 0x00, 0x0d, 0x0a]), timestamp: 1700000000000 });
    assert.equal(out.headers?.['X-BAPI-SIGN'], '97b9f4dce13e142cc79b48a834859044c8992fb76246382f3d6ace7da1da09ce');
  });

  it('adds the measured clock offset to the timestamp it signs and sends', async () => {
    const sign = bybitSigner({ kind: 'hmac', apiKey: 'api_key', secret: 'api_secret' }, 5000, () => 1000);
    const out = await sign({ method: 'GET', path: '/v5/x', query: 'category=option&symbol=BTC-29JUL22-25000-C', body: Buffer.alloc(0), timestamp: 1658384313791 });
    assert.equal(out.headers?.['X-BAPI-TIMESTAMP'], '1658384314791');
    assert.equal(out.headers?.['X-BAPI-SIGN'], 'd46a1c1f1a35c6a513850569c6dd46fc77e74579ce7c66c9b8a23a70e9f2b8c9');
  });

  it('RSA keys: base64 PKCS#1 v1.5 / SHA-256 that the registered public key verifies', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const sign = bybitSigner({ kind: 'rsa', apiKey: 'rsa-key', privateKeyPem: pem }, 10000, () => 0);
    const body = Buffer.from('{"orderId":"1","message":"hi","contentType":"str","msgUuid":"abc"}');
    const out = await sign({ method: 'POST', path: '/v5/p2p/order/message/send', query: '', body, timestamp: 1700000000123 });
    const signature = out.headers?.['X-BAPI-SIGN'] ?? '';
    assert.match(signature, /^[A-Za-z0-9+/]+=*$/);
    assert.ok(verify('sha256', Buffer.concat([Buffer.from('1700000000123rsa-key10000'), body]), publicKey, Buffer.from(signature, 'base64')));
    assert.ok(!verify('sha256', Buffer.concat([Buffer.from('1700000000124rsa-key10000'), body]), publicKey, Buffer.from(signature, 'base64')), 'another timestamp does not verify');
  });
});
