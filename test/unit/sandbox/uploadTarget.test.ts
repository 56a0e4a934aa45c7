import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../sandbox/index';

// The sandbox's stand-in for a user-configured upload target (HTTP PUT, then a public GET link).
describe('sandbox upload target', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ counterparty: false });
  });
  afterEach(async () => sandbox.close());

  const urlFor = (name: string) => sandbox.venue('mexc').uploadUrl.replace('{name}', name);

  it('stores a PUT file and serves it back with its content type', async () => {
    const body = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const put = await fetch(urlFor('abc-receipt.png'), { method: 'PUT', body, headers: { 'content-type': 'image/png' } });
    assert.equal(put.status, 201);
    const get = await fetch(urlFor('abc-receipt.png'));
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await get.arrayBuffer()), body);
  });

  it('answers 404 for unknown files and 400 for unsafe names', async () => {
    assert.equal((await fetch(urlFor('missing.png'))).status, 404);
    assert.equal((await fetch(urlFor('..%2Fsecret'), { method: 'PUT', body: 'x' })).status, 400);
  });

  it('forgets uploads on reset', async () => {
    await fetch(urlFor('a.txt'), { method: 'PUT', body: 'hello' });
    sandbox.reset();
    assert.equal((await fetch(urlFor('a.txt'))).status, 404);
  });
});
