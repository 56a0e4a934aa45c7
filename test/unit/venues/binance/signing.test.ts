import assert from 'node:assert/strict';
import { hmacSignature, signQueryString } from '../../../../src/extension/venues/hmacQuerySigning';

// Binance's published example (spot API docs, "SIGNED endpoint examples", HMAC keys).
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const QUERY = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';

describe('Binance request signing', () => {
  it('matches the published example signature for a query string', () => {
    assert.equal(hmacSignature(SECRET, QUERY), 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
  });

  it('appends recvWindow and timestamp, then the signature last, over exactly the query sent', () => {
    const signed = signQueryString('symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1', SECRET, 1499827319559, 5000);
    assert.equal(signed, `${QUERY}&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71`);
  });

  it('signs a call without parameters over recvWindow and timestamp alone (the chat credential call)', () => {
    const signed = signQueryString('', SECRET, 1499827319559, 5000);
    const [part, signature] = signed.split('&signature=');
    assert.equal(part, 'recvWindow=5000&timestamp=1499827319559');
    assert.equal(signature, hmacSignature(SECRET, part!));
  });
});
