import assert from 'node:assert/strict';
import { MAX_REASON_LENGTH, Redactor } from '../../../src/extension/core/redact';

describe('log redaction', () => {
  const secret = '45d0b3c26f2644f19bfb98b07741b2f5';
  const apiKey = 'mx0aBYs33eIilxBWC5';

  it('never prints registered secrets, wherever they appear', () => {
    const r = new Redactor();
    r.addSecret(secret);
    r.addSecret(apiKey);
    const out = r.format(`signing with ${secret} for key ${apiKey}`);
    assert.ok(!out.includes(secret) && !out.includes(apiKey), out);
  });

  it('redacts sensitive query parameters, JSON fields, headers and JWTs by shape', () => {
    const r = new Redactor();
    const lines = [
      'GET /ws?listenKey=abcdef0123456789abcdef&conversationId=5',
      'GET /x?timestamp=1&signature=deadbeefdeadbeefdeadbeef',
      '{"listenKey":"0011223344556677","ok":true}',
      '{"apiKey":"AKIAXYZ123","secretKey":"s3cr3tvalue"}',
      'X-MEXC-APIKEY: mx0aBYs33eIilxBWC5',
      'Authorization: Bearer eyJhbGciOiJFZERTQSJ9.eyJ1aWQiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl',
    ];
    const leaked = ['abcdef0123456789abcdef', 'deadbeefdeadbeefdeadbeef', '0011223344556677', 'AKIAXYZ123', 's3cr3tvalue', 'mx0aBYs33eIilxBWC5', 'eyJhbGciOiJFZERTQSJ9'];
    const out = lines.map((l) => r.format(l)).join('\n');
    for (const value of leaked) assert.ok(!out.includes(value), `leaked ${value} in\n${out}`);
    assert.ok(out.includes('conversationId=5'), 'keeps harmless parameters');
  });

  it('redacts signatures a venue quotes back in prose, and opaque runs no person writes', () => {
    // Found by the secrets integration test: Binance's and Bybit's echoed errors reached the log and
    // the auth-error reason with the request's signature in them (not a registered secret: derived).
    const r = new Redactor();
    const hmac = 'f2536059798731632aab220b3b8e6f0afc17f895c2ecbf9fd6ea2c553d00db00';
    const rsa = 'kX9fQ2'.repeat(50) + 'ab==';
    const lines = [
      `Invalid API-key, IP, or permissions for action. apiKey *** signature ${hmac} query recvWindow=5000`,
      `error sign! origin_string[1796152006359***5000{"orderId":"1"}] sign[${hmac}]`,
      `bad sign: ${rsa}`,
      `digest ${hmac.toUpperCase()} of the request`,
      `signed with Sig/${rsa}/end`,
      'signature: 9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    ];
    const out = lines.map((l) => r.redact(l)).join('\n');
    for (const value of [hmac, hmac.toUpperCase(), rsa.slice(0, 40), '9f8e7d6c5b4a39281706f5e4d3c2b1a0']) assert.ok(!out.includes(value), `leaked ${value.slice(0, 12)}… in\n${out}`);
    // Words and ordinary ids stay readable.
    const plain = 'Signature for this request is not valid. order 1962120242059340734, path /sapi/v1/c2c/chat/retrieveChatMessagesWithPagination, signatureVerification failed';
    assert.equal(r.redact(plain), plain);
  });

  it('redacts object fields by name when formatting objects', () => {
    const r = new Redactor();
    const out = r.format({ venue: 'mexc', credentials: { apiKey: 'k-123456', secretKey: 'v-abcdef' }, listenKey: 'lk-999999' });
    assert.ok(!out.includes('k-123456') && !out.includes('v-abcdef') && !out.includes('lk-999999'), out);
    assert.ok(out.includes('mexc'));
  });
});

describe('connection-state reasons shown in views', () => {
  it('pass the redactor: registered secrets and secret shapes leave the reason', () => {
    const r = new Redactor();
    r.addSecret('mx0vglSECRETKEY123456');
    const state = r.redactState({ kind: 'backoff', until: 5, reason: 'HTTP 401 for key mx0vglSECRETKEY123456 at wss://x/ws?listenKey=abcdef0123456789abcdef' });
    assert.equal(state.kind, 'backoff');
    assert.ok(state.kind === 'backoff' && state.until === 5);
    const reason = 'reason' in state ? state.reason : '';
    assert.ok(!reason.includes('mx0vglSECRETKEY123456') && !reason.includes('abcdef0123456789abcdef'), reason);
    assert.ok(reason.startsWith('HTTP 401 for key'), reason);
    const jwt = r.redactState({ kind: 'auth-error', reason: 'rejected eyJhbGciOiJFZERTQSJ9.eyJ1aWQiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl' });
    assert.ok('reason' in jwt && !jwt.reason.includes('eyJhbGciOiJFZERTQSJ9'));
  });

  it('are capped, and states without a reason pass unchanged', () => {
    const r = new Redactor();
    const long = r.redactState({ kind: 'stale', lastSync: 1, reason: 'x'.repeat(5000) });
    assert.ok('reason' in long && long.reason.length <= MAX_REASON_LENGTH && long.reason.endsWith('…'));
    const online = { kind: 'online', since: 3 } as const;
    assert.equal(r.redactState(online), online);
  });

  it('containsSecret finds registered values only', () => {
    const r = new Redactor();
    r.addSecret('0123456789abcdef');
    assert.equal(r.containsSecret('{"k":"0123456789abcdef"}'), true);
    assert.equal(r.containsSecret('{"token":"something-else"}'), false, 'shapes alone are not registered secrets');
  });
});
