// The `echoSecrets` faults (sandbox/util/secretEcho.ts): an authentic request is refused in the
// venue's own error shape, its text quoting the request's credentials, and every value quoted is
// listed in the fault state for the client-side leak test; then the switch is spent.
import * as assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { callBinance, credential, openChat, type ChatClient } from './binanceHelpers';
import { account, callMexc, conversationsOf, createListenKey, openSocket, type Client } from './helpers';

const LISTEN_KEY = '/api/v3/userDataStream';

describe('sandbox echoSecrets faults', () => {
  let sb: Sandbox;
  const sockets: (Client | ChatClient)[] = [];
  beforeEach(async () => {
    sb = await startSandbox({ counterparty: false });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await sb.close();
  });

  it('MEXC: the next signed call is refused as a bad signature quoting key, signature and query; then calls pass', async () => {
    sb.venue('mexc').applyFaults({ echoSecrets: 1 });
    const reply = await callMexc(sb, LISTEN_KEY, { method: 'POST' });
    assert.equal(reply.status, 400);
    const body = reply.body as { code: number; msg: string };
    assert.equal(body.code, 700002);
    const { apiKey } = account(sb);
    const echoed = sb.venue('mexc').faults().echoedSecrets;
    const signature = echoed.find((v) => /^[0-9a-f]{64}$/.test(v));
    assert.ok(signature && body.msg.includes(signature), 'the signature is quoted and listed');
    assert.ok(body.msg.includes(apiKey) && echoed.includes(apiKey), 'the api key is quoted and listed');
    assert.ok(echoed.some((v) => v.includes('timestamp=') && v.includes(`signature=${signature}`)), 'the signed query is listed');
    assert.equal(sb.venue('mexc').faults().echoSecrets, 0);
    assert.equal((await callMexc(sb, LISTEN_KEY, { method: 'POST' })).status, 200, 'spent');
  });

  it('MEXC echoSecretsClose: live chat sockets close with a reason quoting their listenKey', async () => {
    const listenKey = await createListenKey(sb);
    const socket = await openSocket(sb, listenKey, conversationsOf(sb)[0]!);
    sockets.push(socket);
    sb.venue('mexc').applyFaults({ echoSecretsClose: true });
    assert.deepEqual(await socket.closed, { code: 1000, reason: `listenKey ${listenKey} is not valid` });
    assert.deepEqual(sb.venue('mexc').faults().echoedSecrets, [listenKey]);
  });

  it('Binance: the next signed call is refused as a rejected key quoting key, signature, query and listenKey', async () => {
    const cred = await credential(sb);
    sb.venue('binance').applyFaults({ echoSecrets: 1 });
    const reply = await callBinance(sb, '/sapi/v1/c2c/chat/retrieveChatCredential');
    assert.equal(reply.status, 401);
    const body = reply.body as { code: number; msg: string };
    assert.equal(body.code, -2015);
    assert.ok(body.msg.includes(cred.listenKey), 'the chat listenKey is quoted');
    for (const value of sb.venue('binance').faults().echoedSecrets) assert.ok(body.msg.includes(value), 'every listed value is in the reply');
    assert.equal(sb.venue('binance').faults().echoedSecrets.length, 4, 'key, signature, query, listenKey');
    assert.equal((await callBinance(sb, '/sapi/v1/c2c/chat/retrieveChatCredential')).status, 200, 'spent');
  });

  it('Binance echoSecretsClose: the live chat socket closes with a reason quoting its listenKey', async () => {
    const client = await openChat(sb);
    sockets.push(client);
    sb.venue('binance').applyFaults({ echoSecretsClose: true });
    const { code, reason } = await client.closed;
    const [listenKey] = sb.venue('binance').faults().echoedSecrets;
    assert.ok(listenKey?.startsWith('c2c_'));
    assert.equal(code, 1000);
    assert.equal(reason, `listenKey ${listenKey} is not valid`);
  });
});
