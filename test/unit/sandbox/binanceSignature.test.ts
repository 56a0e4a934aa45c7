import * as assert from 'node:assert/strict';
import { checkTimestamp, extractSignedPayload, hmacSha256Hex, isJsonBody, signatureMatches } from '../../../sandbox/binance/signature';

// Binance's published signing examples (spot API docs, "SIGNED Endpoint Examples for POST /api/v3/order").
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const QUERY = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const QUERY_SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';
// Example 3: part in the query, part in a form body: totalParams is their concatenation, no separator.
const MIXED_QUERY = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC';
const MIXED_BODY = 'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const MIXED_SIGNATURE = '0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77';

describe('sandbox Binance signing', () => {
  it('reproduces the published query-string example', () => {
    assert.equal(hmacSha256Hex(SECRET, QUERY), QUERY_SIGNATURE);
    const payload = extractSignedPayload(`${QUERY}&signature=${QUERY_SIGNATURE}`, '', false);
    assert.ok(payload.ok);
    assert.equal(payload.totalParams, QUERY);
    assert.ok(signatureMatches(SECRET, payload.totalParams, payload.signature));
  });

  it('reproduces the published mixed query + form body example', () => {
    const payload = extractSignedPayload(MIXED_QUERY, `${MIXED_BODY}&signature=${MIXED_SIGNATURE}`, false);
    assert.ok(payload.ok);
    assert.equal(payload.totalParams, MIXED_QUERY + MIXED_BODY);
    assert.ok(signatureMatches(SECRET, payload.totalParams, payload.signature));
  });

  it('leaves JSON bodies out of totalParams', () => {
    const body = '{"orderNo":"1"}';
    assert.ok(isJsonBody(body, 'application/json'));
    assert.ok(!isJsonBody('a=1', 'application/x-www-form-urlencoded'));
    const payload = extractSignedPayload(`${QUERY}&signature=${QUERY_SIGNATURE}`, body, true);
    assert.ok(payload.ok && payload.totalParams === QUERY);
  });

  it('requires the signature to be the last parameter, once', () => {
    assert.deepEqual(extractSignedPayload(`signature=${QUERY_SIGNATURE}&${QUERY}`, '', false), { ok: false, reason: 'not-last' });
    assert.deepEqual(extractSignedPayload(`${QUERY}&signature=${QUERY_SIGNATURE}`, 'quantity=1', false), { ok: false, reason: 'not-last' }, 'a form body after it');
    assert.deepEqual(extractSignedPayload(QUERY, '', false), { ok: false, reason: 'missing' });
  });

  it('rejects a wrong secret, a changed byte, a truncated signature', () => {
    assert.ok(!signatureMatches(`${SECRET}x`, QUERY, QUERY_SIGNATURE));
    assert.ok(!signatureMatches(SECRET, QUERY.replace('price=0.1', 'price=0.2'), QUERY_SIGNATURE));
    assert.ok(!signatureMatches(SECRET, QUERY, QUERY_SIGNATURE.slice(0, 63)));
    assert.ok(!signatureMatches(SECRET, `${QUERY.replace('&recvWindow=5000', '')}&recvWindow=5000`, QUERY_SIGNATURE), 'order matters: nothing is re-sorted');
  });

  it('applies the timing rule: ts < server + 1000 and server - ts <= recvWindow (default 5000, max 60000)', () => {
    const server = 1_700_000_000_000;
    assert.ok(checkTimestamp(String(server), undefined, server).ok);
    assert.ok(checkTimestamp(String(server + 999), undefined, server).ok);
    assert.ok(!checkTimestamp(String(server + 1000), undefined, server).ok);
    assert.ok(checkTimestamp(String(server - 5000), undefined, server).ok);
    assert.ok(!checkTimestamp(String(server - 5001), undefined, server).ok);
    assert.ok(checkTimestamp(String(server - 60_000), '60000', server).ok);
    assert.ok(!checkTimestamp(String(server), '60001', server).ok);
    assert.ok(!checkTimestamp(undefined, undefined, server).ok);
    assert.ok(!checkTimestamp('12.5', undefined, server).ok);
  });
});
