// Mixin keeps no history: what the bot does not store, it loses. So a received message is
// acknowledged only after the hub stored it durably. Here the adapter "crashes" between receipt
// and storage (it receives, nothing stores, it is torn down): Mixin still holds the messages and
// pushes them again to the next adapter, which stores each exactly once and only then
// acknowledges them; a later redelivery of the same messages changes nothing.
import assert from 'node:assert/strict';
import type { Sandbox } from '../../../../sandbox/index';
import type { MixinEmulator } from '../../../../sandbox/mixin/emulator';
import type { VenueEvent } from '../../../../src/extension/venues/venue';
import { MixinAdapter } from '../../../../src/extension/venues/mixin/adapter';
import type { MixinKeystore } from '../../../../src/extension/venues/mixin/keystore';
import { startSandboxBot } from './sandboxBot';
import { recordMeasurement } from '../../helpers/measurements';
import { openHubRig, type HubRig } from '../../helpers/hubRig';
import { until } from '../../helpers/until';

const A = 'mixin-acc';

describe('Mixin: nothing acknowledged before it is stored', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let mixin: MixinEmulator;
  let keystore: MixinKeystore;
  let rig: HubRig;

  const make = () => new MixinAdapter({ accountId: A, keystore, endpoints: mixin.accounts()[0]!.endpoints, replyTimeoutMs: 1000, backoff: { baseMs: 50, maxMs: 300, minMs: 20 }, ackDelayMs: 20 });
  const pendingIds = () => new Set(mixin.pending().map((m) => m['message_id']));

  beforeEach(async () => {
    ({ sandbox, mixin, keystore } = await startSandboxBot());
    rig = await openHubRig();
  });

  afterEach(async () => {
    await rig.close();
    await sandbox.close();
  });

  it('a crash between receipt and storage means a redelivery and exactly one stored copy, never a loss', async () => {
    const conversation = mixin.conversationOf(0);
    const sent = ['crash probe one', 'crash probe two', 'crash probe three'].map((text) => mixin.inject({ conversationId: conversation, category: 'PLAIN_TEXT', text })['message_id']!);
    // 1. The first adapter receives them, and dies before anything stored them.
    const first = make();
    const received: string[] = [];
    first.events((e: VenueEvent) => {
      if (e.type === 'messages') for (const m of e.messages) if (m.venueMessageId) received.push(m.venueMessageId);
    });
    await first.start();
    await until(() => sent.every((id) => received.includes(id)), 10_000, 'received by the first adapter');
    first.dispose();
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(mixin.acks().filter((a) => sent.includes(a.messageId)), [], 'nothing acknowledged: nothing was stored');
    assert.ok(sent.every((id) => pendingIds().has(id)), 'Mixin still holds them');

    // 2. The next start gets them again; the hub stores each once, then they are acknowledged.
    await rig.hub.addAccount({ id: A, venue: 'mixin', label: 'Mixin' }, make());
    await until(() => sent.every((id) => !pendingIds().has(id)), 10_000, 'acknowledged after storing');
    await rig.hub.settled();
    const stored = rig.stored(A, conversation);
    for (const id of sent) assert.equal(stored.filter((m) => m.venueMessageId === id).length, 1, `${id} stored once`);
    const ackTimes = mixin.acks().filter((a) => sent.includes(a.messageId)).map((a) => a.time);
    assert.equal(ackTimes.length, sent.length, 'each acknowledged once');

    // 3. A redelivery of what is already stored changes nothing.
    mixin.applyFaults({ redeliver: true });
    mixin.inject({ conversationId: conversation, category: 'PLAIN_TEXT', text: 'after the redelivery' });
    await until(() => rig.stored(A, conversation).some((m) => m.text === 'after the redelivery'), 10_000, 'a later message');
    await rig.hub.settled();
    for (const id of sent) assert.equal(rig.stored(A, conversation).filter((m) => m.venueMessageId === id).length, 1, `${id} still once`);
  });

  it('receive -> acknowledged latency (store first), measured', async () => {
    await rig.hub.addAccount({ id: A, venue: 'mixin', label: 'Mixin' }, make());
    await until(() => rig.hub.state(A).kind === 'online', 10_000, 'online');
    await until(() => mixin.pending().length === 0, 10_000, 'the start-up pending messages acknowledged');
    const samples: number[] = [];
    for (let i = 0; i < 10; i++) {
      const id = mixin.inject({ conversationId: mixin.conversationOf(0), category: 'PLAIN_TEXT', text: `latency ${i}` })['message_id']!;
      const t0 = mixin.now();
      await until(() => mixin.acks().some((a) => a.messageId === id), 10_000, 'acknowledged');
      samples.push(mixin.acks().find((a) => a.messageId === id)!.time - t0);
    }
    samples.sort((a, b) => a - b);
    recordMeasurement('mixin.receiveToAckMs', { median: samples[5], max: samples[9], samples });
    assert.equal(samples.length, 10);
  });

  it('many queued messages go out as CREATE_PLAIN_MESSAGES of ≤ 100 and ≤ 128 KB, in compose order, each once', async () => {
    const conversation = mixin.conversationOf(0);
    // 150 messages queued while the account is away, a fifth of them long enough that 100 would pass 128 KB.
    const texts = Array.from({ length: 150 }, (_, i) => (i % 5 === 4 ? `long ${i} ${'x'.repeat(12_000)}` : `queued ${i}`));
    const ids: string[] = [];
    for (const [i, text] of texts.entries()) {
      const clientMessageId = `queued${String(i).padStart(4, '0')}`;
      ids.push(clientMessageId);
      await rig.outbox.enqueue({ clientMessageId, venue: 'mixin', accountId: A, conversationId: conversation, kind: 'text', text });
    }
    const framesBefore = mixin.frames().at(-1)?.seq ?? 0;
    await rig.hub.addAccount({ id: A, venue: 'mixin', label: 'Mixin' }, make());
    await until(() => ids.every((id) => ['confirmed', 'delivered', 'read'].includes(rig.store.findByClientMessageId(A, conversation, id)?.status ?? '')), 20_000, 'all confirmed');

    const ours = mixin.messages(conversation).filter((m) => m['user_id'] === keystore.appId);
    const arrived = ours.map((m) => Buffer.from(m['data'] ?? '', 'base64').toString('utf8')).filter((t) => texts.includes(t));
    assert.deepEqual(arrived, texts, 'each once, in compose order');
    const frames = mixin.frames(framesBefore).filter((f) => f.direction === 'in' && (f.action === 'CREATE_PLAIN_MESSAGES' || f.action === 'CREATE_MESSAGE'));
    const batches = frames.filter((f) => f.action === 'CREATE_PLAIN_MESSAGES').length;
    // 150 messages, 30 of them ~16 KB: at least 4 calls by size, far fewer than one per message.
    assert.ok(batches >= 4 && frames.length <= 10, `${batches} batches, ${frames.length} send frames`);
    const refused = mixin.frames(framesBefore).filter((f) => f.direction === 'out' && f.errorCode !== null);
    assert.deepEqual(refused, [], 'Mixin refused no call (no batch over its limits)');
    recordMeasurement('mixin.batchedSend', { messages: texts.length, sendFrames: frames.length, batches });
  });
});
