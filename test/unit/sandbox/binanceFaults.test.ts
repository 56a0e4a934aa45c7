import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { callBinance, chatUrl, credential, delay, expectRejected, isMessage, okData, openChat, openChatUrl, orderOf, textFrame, type ChatClient } from './binanceHelpers';

const CREDENTIAL = '/sapi/v1/c2c/chat/retrieveChatCredential';

describe('sandbox Binance fault switches', () => {
  let sb: Sandbox;
  const clients: ChatClient[] = [];
  const open = async (account = 0): Promise<ChatClient> => {
    const c = await openChat(sb, account);
    clients.push(c);
    return c;
  };
  beforeEach(async () => {
    sb = await startSandbox({ counterparty: false });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sb.close();
  });

  it('rejectUpgrades n: the next n handshakes get 401 and their tokens are spent', async () => {
    sb.venue('binance').applyFaults({ rejectUpgrades: 2 });
    const cred = await credential(sb);
    assert.equal((await expectRejected(openChatUrl(chatUrl(cred)))).status, 401);
    assert.equal((await expectRejected(openChat(sb))).status, 401);
    assert.equal(sb.venue('binance').faults().rejectUpgrades, 0);
    assert.equal((await expectRejected(openChatUrl(chatUrl(cred)))).status, 401, 'the refused token stays spent');
    clients.push(await openChat(sb)); // a fresh credential works
  });

  it('expireTokens: credentials fetched before no longer open a socket', async () => {
    const cred = await credential(sb);
    sb.venue('binance').applyFaults({ expireTokens: true });
    assert.equal((await expectRejected(openChatUrl(chatUrl(cred)))).status, 401);
    await open();
  });

  it('bye: every live socket gets Bye and is closed', async () => {
    const a = await open(0);
    const b = await open(1);
    sb.venue('binance').applyFaults({ bye: true });
    for (const c of [a, b]) {
      await c.nextRaw((r) => r === 'Bye');
      assert.equal((await c.closed).code, 1000);
    }
    assert.equal(sb.venue('binance').sockets().length, 0);
  });

  it('duplicatePushes: every echo and push arrives twice (same id); the store holds it once', async () => {
    sb.venue('binance').applyFaults({ duplicatePushes: true });
    const orderNo = orderOf(sb, 0, 'TRADING', true);
    const a = await open(0);
    const b = await open(1);
    a.send(textFrame(orderNo, 'twice', 'd-1'));
    await b.next(isMessage((f) => f.uuid === 'd-1'));
    await delay(50);
    for (const c of [a, b]) assert.equal(c.json.filter((f) => typeof f === 'object' && f !== null && 'uuid' in f && f.uuid === 'd-1').length, 2);
    assert.equal(sb.venue('binance').messages(orderNo).filter((m) => m.uuid === 'd-1').length, 1);
  });

  it('loseEchoes n: the send is stored and forwarded, but the sender hears nothing', async () => {
    sb.venue('binance').applyFaults({ loseEchoes: 1 });
    const orderNo = orderOf(sb, 0, 'TRADING', true);
    const a = await open(0);
    const b = await open(1);
    a.send(textFrame(orderNo, 'lost echo', 'l-1'));
    await b.next(isMessage((f) => f.uuid === 'l-1'));
    a.send(textFrame(orderNo, 'echoed', 'l-2'));
    await a.next(isMessage((f) => f.uuid === 'l-2'));
    assert.ok(!a.raw.some((r) => r.includes('l-1')), 'no echo of the first');
    assert.equal(sb.venue('binance').messages(orderNo).filter((m) => m.uuid === 'l-1').length, 1, 'but it is in history');
  });

  it('http429 n: the next n signed calls get 429 with Retry-After, then calls pass', async () => {
    sb.venue('binance').applyFaults({ http429: 2 });
    for (let i = 0; i < 2; i++) {
      const reply = await callBinance(sb, CREDENTIAL);
      assert.equal(reply.status, 429);
      assert.equal(reply.headers.get('retry-after'), '1');
      assert.equal(z.object({ code: z.number() }).parse(reply.body).code, -1003);
    }
    okData(await callBinance(sb, CREDENTIAL));
  });

  it('http5xx n: the next n signed calls get 503 -1001, then calls pass', async () => {
    sb.venue('binance').applyFaults({ http5xx: 1 });
    const reply = await callBinance(sb, CREDENTIAL);
    assert.equal(reply.status, 503);
    assert.equal(z.object({ code: z.number() }).parse(reply.body).code, -1001);
    okData(await callBinance(sb, CREDENTIAL));
  });

  it('dropAll: every socket is cut without a close frame', async () => {
    const a = await open(0);
    sb.venue('binance').applyFaults({ dropAll: true });
    assert.equal((await a.closed).code, 1006);
    await open(0);
  });

  it('halfOpen: open sockets go silent (no pong, no push, TCP kept); new sockets work; lifting it destroys them', async () => {
    const silent = await open(0);
    assert.equal(sb.venue('binance').applyFaults({ halfOpen: true }).halfOpenSockets, 1);
    let ponged = false;
    silent.ws.on('pong', () => (ponged = true));
    silent.ws.ping();
    silent.send({ type: 'ping' });
    const orderNo = orderOf(sb, 0, 'TRADING');
    sb.venue('binance').inject({ orderNo, content: 'into the void' });
    await delay(100);
    assert.equal(silent.raw.length, 0);
    assert.equal(ponged, false);
    assert.equal(silent.ws.readyState, silent.ws.OPEN);
    const fresh = await open(0);
    assert.ok(!silent.raw.includes('Bye'), 'the dead socket never hears Bye');
    sb.venue('binance').inject({ orderNo, content: 'reaches the new socket' });
    await fresh.next(isMessage((f) => f.content === 'reaches the new socket'));
    sb.venue('binance').applyFaults({ halfOpen: false });
    assert.equal((await silent.closed).code, 1006);
    assert.equal(fresh.ws.readyState, fresh.ws.OPEN);
  });

  it('clockSkewMs: a client on its own clock gets -1021 until it syncs with /api/v3/time', async () => {
    sb.venue('binance').applyFaults({ clockSkewMs: 30_000 });
    const skewed = await callBinance(sb, CREDENTIAL, { timestamp: Date.now() });
    assert.equal(z.object({ code: z.number() }).parse(skewed.body).code, -1021);
    const { serverTime } = z.object({ serverTime: z.number() }).parse(await (await fetch(`${sb.venue('binance').restUrl}/api/v3/time`)).json());
    okData(await callBinance(sb, CREDENTIAL, { timestamp: serverTime }));
  });

  it('every fault is a one-liner over the control API, and reset clears them', async () => {
    const post = (body: unknown) => fetch(`${sb.info.control}/control/binance/faults`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal((await post({ loseEchoes: 3, duplicatePushes: true, http5xx: 1, withoutMerchantPermission: [1] })).status, 200);
    const state = z.object({ loseEchoes: z.number(), duplicatePushes: z.boolean() }).passthrough().parse(await (await fetch(`${sb.info.control}/control/binance/faults`)).json());
    assert.deepEqual([state.loseEchoes, state.duplicatePushes], [3, true]);
    assert.equal((await post({ loseEchoes: -1 })).status, 400);
    assert.equal((await post({ tokenReuse: true })).status, 400, 'unknown switches are refused');
    sb.reset();
    const cleared = sb.venue('binance').faults();
    assert.deepEqual([cleared.loseEchoes, cleared.duplicatePushes, cleared.http5xx, cleared.withoutMerchantPermission], [0, false, 0, []]);
  });
});
