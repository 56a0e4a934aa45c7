import * as assert from 'node:assert/strict';
import { checkTimestamp, extractSignedPayload, hmacSha256Hex, signatureMatches } from '../../../sandbox/mexc/signature';

// MEXC's published spot-v3 signing examples.
const SECRET = '45d0b3c26f2644f19bfb98b07741b2f5';
const QUERY_ONLY = 'symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp=1644489390087';
const QUERY_ONLY_SIG = 'fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a';
const MIXED_QUERY = 'symbol=BTCUSDT&side=BUY&type=LIMIT';
const MIXED_BODY = 'quantity=1&price=11&recvWindow=5000&timestamp=1644489390087';
const MIXED_SIG = 'd1a676610ceb39174c8039b3f548357994b2a34139a8addd33baadba65684592';

describe('sandbox MEXC signature verifier', () => {
  it('reproduces the published query-string example', () => {
    assert.equal(hmacSha256Hex(SECRET, QUERY_ONLY), QUERY_ONLY_SIG);
    const payload = extractSignedPayload(`${QUERY_ONLY}&signature=${QUERY_ONLY_SIG}`, '');
    assert.equal(payload.totalParams, QUERY_ONLY);
    assert.equal(payload.signature, QUERY_ONLY_SIG);
    assert.ok(signatureMatches(SECRET, payload.totalParams, payload.signature));
  });

  it('reproduces the published query + body example (no separator)', () => {
    assert.equal(hmacSha256Hex(SECRET, MIXED_QUERY + MIXED_BODY), MIXED_SIG);
    const payload = extractSignedPayload(`${MIXED_QUERY}&signature=${MIXED_SIG}`, MIXED_BODY);
    assert.equal(payload.totalParams, MIXED_QUERY + MIXED_BODY);
    assert.ok(signatureMatches(SECRET, payload.totalParams, payload.signature));
  });

  it('finds a signature sent in a form body', () => {
    const payload = extractSignedPayload(MIXED_QUERY, `${MIXED_BODY}&signature=${MIXED_SIG}`);
    assert.equal(payload.totalParams, MIXED_QUERY + MIXED_BODY);
    assert.equal(payload.signature, MIXED_SIG);
  });

  it('rejects wrong, uppercase, missing and re-ordered signatures', () => {
    assert.equal(signatureMatches(SECRET, QUERY_ONLY, QUERY_ONLY_SIG.replace(/^f/, '0')), false);
    assert.equal(signatureMatches(SECRET, QUERY_ONLY, QUERY_ONLY_SIG.toUpperCase()), false);
    assert.equal(signatureMatches(SECRET, QUERY_ONLY, undefined), false);
    assert.equal(signatureMatches('another-secret', QUERY_ONLY, QUERY_ONLY_SIG), false);
    // The exact bytes count: the same parameters in another order are a different payload.
    const reordered = 'side=BUY&symbol=BTCUSDT&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp=1644489390087';
    assert.equal(signatureMatches(SECRET, reordered, QUERY_ONLY_SIG), false);
  });

  it('applies the timing rule timestamp < server + 1000 and server - timestamp <= recvWindow', () => {
    const server = 1_700_000_000_000;
    assert.deepEqual(checkTimestamp(String(server), undefined, server), { ok: true });
    assert.equal(checkTimestamp(String(server + 999), undefined, server).ok, true);
    assert.equal(checkTimestamp(String(server + 1000), undefined, server).ok, false);
    assert.equal(checkTimestamp(String(server - 5000), undefined, server).ok, true);
    assert.equal(checkTimestamp(String(server - 5001), undefined, server).ok, false);
    assert.equal(checkTimestamp(String(server - 59_000), '60000', server).ok, true);
    assert.equal(checkTimestamp(String(server), '60001', server).ok, false);
    assert.equal(checkTimestamp(String(server), '0', server).ok, false);
    assert.equal(checkTimestamp(undefined, undefined, server).ok, false);
    assert.equal(checkTimestamp('12.5', undefined, server).ok, false);
  });
});
