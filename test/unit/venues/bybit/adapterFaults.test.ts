// The Bybit adapter, through the real hub, store and outbox, against the Bybit emulator's fault
// switches not already exercised by the adapter contract (5xx, lost reply after commit and
// malformed items are there). Each test ends on what the user sees: a clear reason, or every
// message once and nothing sent twice.
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../../sandbox/index';
import type { BybitEmulator } from '../../../../sandbox/bybit/emulator';
import { BybitAdapter } from '../../../../src/extension/venues/bybit/adapter';
import type { BybitKey } from '../../../../src/extension/venues/bybit/signing';
import { VenueError } from '../../../../src/extension/venues/venue';
import { openHubRig, type HubRig } from '../../helpers/hubRig';
import { until } from '../../helpers/until';

const A = 'bybit-acc';

describe('Bybit adapter against the emulator\'s fault switches', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let bybit: BybitEmulator;
  let rig: HubRig;
  let orderId: string;

  function make(accountId = A): BybitAdapter {
    const info = bybit.accounts()[0]!;
    const c = info.credentials;
    const key: BybitKey = c.keyType === 'rsa' ? { kind: 'rsa', apiKey: c.apiKey, privateKeyPem: c.privateKey } : { kind: 'hmac', apiKey: c.apiKey, secret: c.secret };
    return new BybitAdapter({ accountId, key, endpoints: info.endpoints, chatPollFastMs: 150, chatPollIdleMs: 1000, orderPollMs: 1000 });
  }

  async function open(): Promise<void> {
    await rig.hub.addAccount({ id: A, venue: 'bybit', label: 'Bybit' }, make());
    await until(() => rig.hub.state(A).kind === 'online', 10_000, 'online');
  }

  const storedText = (text: string) => rig.stored(A, orderId).filter((m) => m.text === text);

  async function rejectsVerify(pattern: RegExp): Promise<void> {
    const probe = make('probe');
    try {
      await assert.rejects(probe.verify(), (e: unknown) => e instanceof VenueError && e.kind === 'auth' && pattern.test(e.message));
    } finally {
      probe.dispose();
    }
  }

  beforeEach(async () => {
    sandbox = await startSandbox({ counterparty: false, venues: { bybit: { sendPerSecond: 50, listPerSecond: 100 } } });
    bybit = sandbox.venue('bybit');
    orderId = bybit.orders(0).find((o) => o.status === 10)!.orderId;
    rig = await openHubRig();
  });

  afterEach(async () => {
    await rig.close();
    await sandbox.close();
  });

  it('a clock 10 min off: 10002, one server-time read, then every call goes through', async () => {
    bybit.applyFaults({ clockSkewMs: 10 * 60_000 });
    await open();
    const rest = bybit.requests({ kind: 'rest' });
    assert.ok(rest.some((r) => r.timestampValid === false), 'the first call was outside recvWindow');
    assert.ok(rest.some((r) => r.path === '/v5/market/time'), 'the client read the server time');
    assert.ok(rest.filter((r) => r.retCode === 0).length > 0);
  });

  it('a wrong signature, a wrong-environment key and a blocked region are refused with what to check', async () => {
    bybit.applyFaults({ badSignature: 1 });
    await rejectsVerify(/secret or the RSA private key/);
    bybit.applyFaults({ wrongEnvironment: true });
    await rejectsVerify(/testnet key on a mainnet endpoint/);
    bybit.applyFaults({ wrongEnvironment: false, geoBlock: true });
    await rejectsVerify(/US and mainland China/);
  });

  for (const fault of ['rateLimit', 'http429'] as const) {
    it(`${fault === 'rateLimit' ? 'ret_code 10006' : 'HTTP 429'}: the polls wait it out, and a message written meanwhile still arrives once`, async () => {
      await open();
      const view = rig.hub.openConversation(A, orderId);
      await rig.hub.settled();
      bybit.applyFaults({ [fault]: 3 });
      bybit.inject({ orderId, content: `behind a ${fault}` });
      await until(() => storedText(`behind a ${fault}`).length === 1, 15_000, 'the message');
      await rig.hub.settled();
      assert.equal(storedText(`behind a ${fault}`).length, 1);
      assert.ok(bybit.requests({ kind: 'rest' }).filter((r) => r.retCode === 10006 || r.httpStatus === 429).length >= 1);
      view.dispose();
    });
  }

  it('after a restart, history read before anything else still knows our own messages: ours, with their client id, not the counterparty\'s', async () => {
    const first = make();
    try {
      await first.send({ clientMessageId: 'restart-own-0001', conversationId: orderId, kind: 'text', text: 'sent before the restart', attempt: 0, composedAt: Date.now() });
    } finally {
      first.dispose();
    }
    // The next start: a new adapter, and the hub's backfill is the first thing that reads the chat.
    const second = make();
    try {
      const page = await second.history(orderId, { limit: 30 });
      const own = page.items.filter((m) => m.text === 'sent before the restart');
      assert.equal(own.length, 1);
      assert.equal(own[0]!.direction, 'out');
      assert.equal(own[0]!.clientMessageId, 'restart-own-0001', 'so the store merges it into our outgoing record');
    } finally {
      second.dispose();
    }
  });

  it('a slow reply to a send: the message is sent once and confirmed', async () => {
    await open();
    const view = rig.hub.openConversation(A, orderId);
    // The next few signed calls (polls and the send among them) answer 1.5 s late.
    bybit.applyFaults({ slowReplies: { ms: 1500, n: 4 } });
    const sent = await rig.hub.send({ accountId: A, conversationId: orderId, clientMessageId: 'bb-slow-0001', kind: 'text', text: 'slow reply' });
    await until(() => rig.store.get(sent.key)?.status === 'confirmed', 15_000, 'confirmed');
    await rig.hub.settled();
    assert.equal(bybit.messages(orderId).filter((m) => m.content === 'slow reply').length, 1);
    assert.equal(storedText('slow reply').length, 1);
    view.dispose();
  });

  it('a received proof keeps the expiry its link carries, so the pane can say when it lapsed', async () => {
    await open();
    const view = rig.hub.openConversation(A, orderId);
    bybit.inject({ orderId, kind: 'pdf' });
    const findProof = () => rig.stored(A, orderId).find((m) => m.kind === 'file' && m.direction === 'in');
    await until(() => findProof() !== undefined, 10_000, 'the PDF');
    const attachment = findProof()?.attachments?.[0];
    const e = new URL(attachment?.url ?? 'http://x/').searchParams.get('e');
    assert.ok(e, 'the link carries e=');
    assert.equal(attachment?.expiresAt, Number(e) * 1000);
    assert.equal((await fetch(attachment!.url!)).status, 200, 'served while valid');
    bybit.applyFaults({ expireMedia: true });
    assert.equal((await fetch(attachment!.url!)).status, 404, 'gone once the venue expired it');
    view.dispose();
  });
});
