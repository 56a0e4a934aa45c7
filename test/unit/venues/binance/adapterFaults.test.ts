// The Binance adapter, through the real hub, store and outbox, against every fault switch of the
// Binance emulator. Each test ends on what the user would see: every message once, nothing sent
// twice, and a clear state or reason where the venue refused.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../../../sandbox/index';
import type { BinanceEmulator } from '../../../../sandbox/binance/emulator';
import { BinanceAdapter } from '../../../../src/extension/venues/binance/adapter';
import { VenueError, type VenueEvent } from '../../../../src/extension/venues/venue';
import { openHubRig, type HubRig } from '../../helpers/hubRig';
import { until } from '../../helpers/until';

const A = 'binance-acc';
const CREDENTIAL_PATH = '/sapi/v1/c2c/chat/retrieveChatCredential';

describe('Binance adapter against the emulator\'s fault switches', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let binance: BinanceEmulator;
  let rig: HubRig;
  let adapter: BinanceAdapter;
  let events: VenueEvent[];
  let orderNo: string;
  let userId: string;

  async function open(options: { heartbeatMs?: number; displacedRetryMs?: number; imageUploadsPerMinute?: number } = {}): Promise<void> {
    const account = binance.accounts()[0]!;
    adapter = new BinanceAdapter({
      accountId: A,
      credentials: account.credentials,
      endpoints: account.endpoints,
      heartbeatMs: options.heartbeatMs ?? 300,
      echoTimeoutMs: 1000,
      displacedRetryMs: options.displacedRetryMs,
      imageUploadsPerMinute: options.imageUploadsPerMinute,
    });
    adapter.events((e) => events.push(e));
    await rig.hub.addAccount({ id: A, venue: 'binance', label: 'Binance' }, adapter);
  }

  const state = () => rig.hub.state(A);
  const online = () => until(() => state().kind === 'online' && live().length === 1, 10_000, 'online with a live socket');
  const live = () => binance.sockets().filter((s) => s.state === 'live' && s.userId === userId);
  const stored = () => rig.stored(A, orderNo);
  const storedText = (text: string) => stored().filter((m) => m.text === text);
  const atVenue = (text: string) => binance.messages(orderNo).filter((m) => m.content === text);
  const upgrades = () => binance.requests({ kind: 'upgrade' });
  const credentialCalls = () => binance.requests({ kind: 'rest' }).filter((r) => r.path === CREDENTIAL_PATH && r.httpStatus === 200);

  beforeEach(async () => {
    events = [];
    sandbox = await startSandbox({ heartbeatTimeoutMs: 1500, counterparty: false });
    binance = sandbox.venue('binance');
    userId = binance.state().accounts[0]!.userId;
    orderNo = binance.orders(0).find((o) => o.status === 'TRADING')!.orderNo;
    rig = await openHubRig();
  });

  afterEach(async () => {
    await rig.close();
    await sandbox.close();
  });

  it('token rule: refused handshakes spend their tokens; every connect takes a fresh credential', async () => {
    binance.applyFaults({ rejectUpgrades: 2 });
    await open();
    await online();
    const refused = upgrades().filter((u) => u.httpStatus === 401).length;
    assert.equal(refused, 2);
    assert.ok(credentialCalls().length >= upgrades().length, `a credential per handshake (${credentialCalls().length} for ${upgrades().length})`);
    // Every token issued so far stops working, then the socket drops: the next connect needs a new one.
    binance.applyFaults({ expireTokens: true, dropAll: true });
    await until(() => live().length === 1 && upgrades().filter((u) => u.httpStatus === 101).length === 2, 10_000, 'reconnected');
    assert.equal(upgrades().filter((u) => u.httpStatus === 401).length, 2, 'no handshake tried an expired token');
  });

  it('messages pushed while the socket was down are read back from history, each once', async () => {
    await open();
    const view = rig.hub.openConversation(A, orderNo);
    await online();
    binance.inject({ orderNo, content: 'before the drop' });
    await until(() => storedText('before the drop').length === 1, 5000, 'the first message');
    // Drop, and refuse the next handshakes so the chat is really down while the counterparty writes.
    binance.applyFaults({ rejectUpgrades: 3, dropAll: true });
    for (let i = 1; i <= 3; i++) binance.inject({ orderNo, content: `while down ${i}` });
    await until(() => [1, 2, 3].every((i) => storedText(`while down ${i}`).length === 1), 15_000, 'the missed messages');
    binance.inject({ orderNo, content: 'after the drop' });
    await until(() => storedText('after the drop').length === 1, 5000, 'the message after');
    await rig.hub.settled();
    for (const text of ['before the drop', 'while down 1', 'while down 2', 'while down 3', 'after the drop']) assert.equal(storedText(text).length, 1, `${text}: once`);
    assert.equal(new Set(stored().map((m) => m.venueMessageId)).size, stored().filter((m) => m.venueMessageId).length, 'no venue id twice');
    view.dispose();
  });

  it('duplicate pushes and echoes are shown once, and the send is at the venue once', async () => {
    await open();
    const view = rig.hub.openConversation(A, orderNo);
    await online();
    binance.applyFaults({ duplicatePushes: true });
    binance.inject({ orderNo, content: 'pushed twice' });
    const sent = await rig.hub.send({ accountId: A, conversationId: orderNo, clientMessageId: 'bn-dup-0001', kind: 'text', text: 'echoed twice' });
    await until(() => rig.store.get(sent.key)?.status === 'confirmed', 5000, 'confirmed');
    await until(() => storedText('pushed twice').length === 1, 5000, 'the push');
    await new Promise((r) => setTimeout(r, 200));
    await rig.hub.settled();
    assert.equal(storedText('pushed twice').length, 1);
    assert.equal(storedText('echoed twice').length, 1);
    assert.equal(atVenue('echoed twice').length, 1);
    assert.equal(rig.hub.conversation(A, orderNo)?.unread, 0, 'the open chat has nothing unread');
    view.dispose();
  });

  it('a lost echo: the history read-back confirms the send and nothing is sent again', async () => {
    await open();
    const view = rig.hub.openConversation(A, orderNo);
    await online();
    binance.applyFaults({ loseEchoes: 1 });
    const sent = await rig.hub.send({ accountId: A, conversationId: orderNo, clientMessageId: 'bn-lost-0001', kind: 'text', text: 'echo lost' });
    await until(() => rig.store.get(sent.key)?.status === 'confirmed', 10_000, 'confirmed from history');
    await rig.hub.settled();
    assert.equal(atVenue('echo lost').length, 1, 'the venue got it once');
    assert.equal(storedText('echo lost').length, 1, 'shown once');
    assert.equal(binance.frames(orderNo).filter((f) => f.uuid === 'bn-lost-0001').length, 1, 'one frame on the wire');
    view.dispose();
  });

  it('a landed check pages back through a busy chat: a send 120 messages back is found, not "cannot tell"', async () => {
    await open();
    await online();
    binance.applyFaults({ loseEchoes: 1 });
    const message = { clientMessageId: 'bn-busy-0001', conversationId: orderNo, kind: 'text' as const, text: 'in a busy chat', attempt: 0, composedAt: Date.now() };
    await adapter.send(message).catch(() => undefined); // the echo is lost: its outcome is unknown
    for (let i = 0; i < 120; i++) binance.inject({ orderNo, content: `busy ${i}` });
    const check = await adapter.checkLanded(message);
    assert.equal(check.landed, true, 'found two pages back');
    assert.equal(atVenue('in a busy chat').length, 1);
  });

  it('a socket cut right after a send (echo lost with it) is resolved from history, not resent', async () => {
    await open();
    const view = rig.hub.openConversation(A, orderNo);
    await online();
    binance.applyFaults({ loseEchoes: 1 });
    const sent = await rig.hub.send({ accountId: A, conversationId: orderNo, clientMessageId: 'bn-cut-0001', kind: 'text', text: 'sent, then cut' });
    await until(() => binance.frames(orderNo).some((f) => f.uuid === 'bn-cut-0001'), 5000, 'the frame at the venue');
    binance.applyFaults({ dropAll: true });
    await until(() => rig.store.get(sent.key)?.status === 'confirmed', 15_000, 'confirmed from history');
    await online();
    await rig.hub.settled();
    assert.equal(atVenue('sent, then cut').length, 1);
    assert.equal(storedText('sent, then cut').length, 1);
    view.dispose();
  });

  it('Bye: the account is displaced with the reason and does not fight for the session; Reconnect takes it back', async () => {
    await open({ displacedRetryMs: 600_000 });
    await online();
    const before = upgrades().length;
    binance.applyFaults({ bye: true });
    await until(() => state().kind === 'displaced', 5000, 'displaced');
    assert.match(state().kind === 'displaced' ? (state() as { reason: string }).reason : '', /another Binance client/);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(upgrades().length, before, 'no reconnect fight');
    assert.equal(live().length, 0);
    await rig.hub.reconnect(A);
    await online();
    assert.equal(upgrades().length, before + 1);
  });

  it('HTTP 429 on history waits Retry-After and reads the page; nothing is lost', async () => {
    await open();
    await online();
    await rig.hub.settled();
    for (let i = 0; i < 3; i++) binance.inject({ orderNo, content: `behind a 429 ${i}` });
    binance.applyFaults({ http429: 2 });
    // Opening the chat backfills it; the first two history calls are refused with Retry-After: 1.
    const view = rig.hub.openConversation(A, orderNo);
    await until(() => [0, 1, 2].every((i) => storedText(`behind a 429 ${i}`).length === 1), 15_000, 'the messages');
    await rig.hub.settled();
    assert.ok(binance.requests({ kind: 'rest' }).filter((r) => r.httpStatus === 429).length >= 2);
    assert.equal(state().kind, 'online');
    view.dispose();
  });

  it('HTTP 5xx on the chat credential: the socket retries and the chat is backfilled, each message once', async () => {
    await open();
    const view = rig.hub.openConversation(A, orderNo);
    await online();
    binance.applyFaults({ http5xx: 2, dropAll: true });
    binance.inject({ orderNo, content: 'during the 5xx' });
    await until(() => storedText('during the 5xx').length === 1, 15_000, 'backfilled');
    await online();
    assert.ok(binance.requests({ kind: 'rest' }).filter((r) => r.httpStatus === 503).length >= 1);
    await rig.hub.settled();
    assert.equal(storedText('during the 5xx').length, 1);
    view.dispose();
  });

  it('a half-open socket is detected by the missing pongs, replaced, and what it missed read back', async () => {
    await open({ heartbeatMs: 200 });
    const view = rig.hub.openConversation(A, orderNo);
    await online();
    const firstSocket = live()[0]!.id;
    binance.applyFaults({ halfOpen: true });
    binance.inject({ orderNo, content: 'into the silence' });
    await until(() => live().some((s) => s.id !== firstSocket), 15_000, 'a new socket');
    await until(() => storedText('into the silence').length === 1, 10_000, 'backfilled');
    await rig.hub.settled();
    assert.equal(storedText('into the silence').length, 1);
    view.dispose();
  });

  it('a clock 10 min off: -1021 syncs to the server time once and the call goes through', async () => {
    binance.applyFaults({ clockSkewMs: 10 * 60_000 });
    await open();
    await online();
    const rest = binance.requests({ kind: 'rest' });
    assert.ok(rest.some((r) => r.timestampValid === false), 'the first call was outside recvWindow');
    assert.ok(rest.some((r) => r.path === '/api/v3/time'), 'the client asked for the server time');
    assert.ok(rest.filter((r) => r.path === CREDENTIAL_PATH).some((r) => r.httpStatus === 200));
  });

  it('a key without the C2C permission fails verify with what to fix', async () => {
    binance.applyFaults({ withoutC2cPermission: [0] });
    const account = binance.accounts()[0]!;
    const probe = new BinanceAdapter({ accountId: 'probe', credentials: account.credentials, endpoints: account.endpoints });
    try {
      await assert.rejects(probe.verify(), (e: unknown) => e instanceof VenueError && e.kind === 'auth' && /C2C \(P2P\) permission/.test(e.message));
    } finally {
      probe.dispose();
    }
  });

  it('without merchant permission a send fails with the reason (ILLEGAL_PARAM explained) and is not retried', async () => {
    binance.applyFaults({ withoutMerchantPermission: [0] });
    await open();
    const view = rig.hub.openConversation(A, orderNo);
    await online();
    const sent = await rig.hub.send({ accountId: A, conversationId: orderNo, clientMessageId: 'bn-perm-0001', kind: 'text', text: 'no permission' });
    await until(() => rig.store.get(sent.key)?.status === 'failed', 5000, 'failed');
    assert.match(rig.store.get(sent.key)?.failure ?? '', /ILLEGAL_PARAM.*merchant/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(binance.frames(orderNo).filter((f) => f.uuid === 'bn-perm-0001').length, 1, 'tried once, not retried');
    assert.equal(atVenue('no permission').length, 0);
    view.dispose();
  });

  it('an order state change arrives as a system line and updates the conversation\'s order', async () => {
    await open();
    const view = rig.hub.openConversation(A, orderNo);
    await online();
    binance.setOrderState({ orderNo, status: 'BUYER_PAYED' });
    await until(() => rig.hub.conversation(A, orderNo)?.order?.state === 'paid', 5000, 'the order state');
    await until(() => stored().some((m) => m.kind === 'system'), 5000, 'a system line');
    view.dispose();
  });

  it('opening a conversation marks it read at Binance', async () => {
    await open();
    await online();
    binance.inject({ orderNo, content: 'unread one' });
    await until(() => storedText('unread one').length === 1, 5000, 'the message');
    const view = rig.hub.openConversation(A, orderNo);
    assert.equal(atVenue('unread one')[0]?.status, 'unread');
    await until(() => atVenue('unread one')[0]?.status === 'read', 5000, 'read at the venue');
    assert.ok(binance.requests({ kind: 'rest' }).some((r) => r.path.endsWith('/markOrderMessagesAsRead') && r.httpStatus === 200));
    assert.equal(rig.hub.conversation(A, orderNo)?.unread, 0);
    view.dispose();
  });

  it('past the image URL quota (36 a minute; 1 here) the next upload waits, saying why, without asking the venue', async () => {
    await open({ imageUploadsPerMinute: 1 });
    const view = rig.hub.openConversation(A, orderNo);
    await online();
    const file = join(rig.dir, 'receipt.png');
    await writeFile(file, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    const image = (id: string) => rig.hub.send({ accountId: A, conversationId: orderNo, clientMessageId: id, kind: 'image', text: '', file: { path: file, name: 'receipt.png', mimeType: 'image/png', size: 16, kind: 'image' } });
    const first = await image('bn-img-0001');
    await until(() => rig.store.get(first.key)?.status === 'confirmed', 5000, 'the first image confirmed');
    const second = await image('bn-img-0002');
    await until(() => rig.store.get(second.key)?.status === 'queued' && /image uploads a minute/.test(rig.store.get(second.key)?.failure ?? ''), 5000, 'queued with the reason');
    const presigns = binance.requests({ kind: 'rest' }).filter((r) => r.path.endsWith('/pre-signed-url'));
    assert.equal(presigns.length, 1, 'the venue was not asked past the quota');
    view.dispose();
  });
});
