import assert from 'node:assert/strict';
import { encodeQuery, hmacSignature, signedQuery } from '../../../src/extension/venues/hmacQuerySigning';

// MEXC spot-v3 docs, "SIGNED Endpoint Examples for POST /api/v3/order" (apiKey mx0aBYs33eIilxBWC5).
const DOC_SECRET = '45d0b3c26f2644f19bfb98b07741b2f5';

describe('MEXC signing', () => {
  it('matches the published example for a query string (example 2)', () => {
    const totalParams = 'symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp=1644489390087';
    assert.equal(hmacSignature(DOC_SECRET, totalParams), 'fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a');
  });

  it('matches the published example for query + body with no separator (example 3)', () => {
    const query = 'symbol=BTCUSDT&side=BUY&type=LIMIT';
    const body = 'quantity=1&price=11&recvWindow=5000&timestamp=1644489390087';
    assert.equal(hmacSignature(DOC_SECRET, query + body), 'd1a676610ceb39174c8039b3f548357994b2a34139a8addd33baadba65684592');
  });

  it('builds the signed query in order, with recvWindow, timestamp and the signature last', () => {
    const q = signedQuery({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: 1, price: 11 }, DOC_SECRET, 1644489390087, 5000);
    assert.equal(q, 'symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp=1644489390087&signature=fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a');
  });

  it('percent-encodes values with uppercase hex and signs the encoded bytes', () => {
    assert.equal(encodeQuery({ ids: 'a,b', skip: undefined, note: 'x y' }), 'ids=a%2Cb&note=x%20y');
    const q = signedQuery({ ids: 'a,b' }, 'k', 1, 5000);
    const [unsigned, sig] = q.split('&signature=');
    assert.equal(sig, hmacSignature('k', unsigned!));
  });
});
