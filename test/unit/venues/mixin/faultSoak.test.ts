// Mixin under faults, through the real adapter, hub, store and outbox: messages pushed to the bot
// and sent by it while sockets drop, replies come too late, requests fail (7000/7001, 429) and
// Mixin pushes what is pending again. Nothing may be lost or stored twice, and what the bot sends
// must reach Mixin exactly once. The figures (redeliveries seen, catch-up) go to the metrics file.
import assert from 'node:assert/strict';
import type { Sandbox } from '../../../../sandbox/index';
import type { FaultRequest } from '../../../../sandbox/mixin/faults';
import type { MixinEmulator } from '../../../../sandbox/mixin/emulator';
import { MixinAdapter } from '../../../../src/extension/venues/mixin/adapter';
import type { MixinKeystore } from '../../../../src/extension/venues/mixin/keystore';
import { startSandboxBot } from './sandboxBot';
import { openHubRig, type HubRig } from '../../helpers/hubRig';
import { recordMeasurement } from '../../helpers/measurements';
import { until } from '../../helpers/until';

const A = 'mixin-soak';
const FAULTS: readonly FaultRequest[] = [
  { dropSockets: true },
  { redeliver: true },
  { slowReplies: { ms: 1500, n: 2 } },
  { error: { code: 7000, n: 1 } },
  { error: { code: 7001, n: 1 } },
  { http429: 2 },
  { redeliver: true },
  { dropSockets: true },
];

describe('Mixin under faults: nothing lost, nothing doubled', function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let mixin: MixinEmulator;
  let keystore: MixinKeystore;
  let rig: HubRig;

  beforeEach(async () => {
    ({ sandbox, mixin, keystore } = await startSandboxBot());
    rig = await openHubRig({ evidenceWaitMs: 300, confirmWaitMs: 500 });
  });

  afterEach(async () => {
    await rig.close();
    await sandbox.close();
  });

  it('300 messages each way with a fault every 150 ms: each stored once, each sent once, all acknowledged', async () => {
    const adapter = new MixinAdapter({ accountId: A, keystore, endpoints: mixin.accounts()[0]!.endpoints, replyTimeoutMs: 800, backoff: { baseMs: 50, maxMs: 400, minMs: 20 }, ackDelayMs: 50 });
    const pushes = new Map<string, number>();
    adapter.events((e) => {
      if (e.type === 'messages') for (const m of e.messages) if (m.venueMessageId && m.direction === 'in') pushes.set(m.venueMessageId, (pushes.get(m.venueMessageId) ?? 0) + 1);
    });
    await rig.hub.addAccount({ id: A, venue: 'mixin', label: 'Mixin' }, adapter);
    await until(() => rig.hub.state(A).kind === 'online', 10_000, 'online');

    const conversations = [0, 1, 2].map((i) => mixin.conversationOf(i));
    const inbound: string[] = [];
    const outbound: string[] = [];
    let fault = 0;
    for (let i = 0; i < 300; i++) {
      const conversationId = conversations[i % 3]!;
      inbound.push(mixin.inject({ conversationId, category: 'PLAIN_TEXT', text: `in ${i}` })['message_id']!);
      const clientMessageId = `soak${String(i).padStart(5, '0')}`;
      outbound.push(clientMessageId);
      await rig.hub.send({ clientMessageId, accountId: A, conversationId, kind: 'text', text: `out ${i}` });
      if (i % 10 === 9) {
        mixin.applyFaults(FAULTS[fault++ % FAULTS.length]!);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
    const faultsEnd = Date.now();
    await until(() => mixin.pending().length === 0, 60_000, 'every inbound message acknowledged');
    const caughtUpMs = Date.now() - faultsEnd;
    await until(() => outbound.every((id, i) => ['confirmed', 'delivered', 'read'].includes(rig.store.findByClientMessageId(A, conversations[i % 3]!, id)?.status ?? '')), 60_000, 'every send confirmed');
    await rig.hub.settled();

    // Inbound: every message stored exactly once.
    const stored = conversations.flatMap((c) => rig.stored(A, c));
    for (const id of inbound) assert.equal(stored.filter((m) => m.venueMessageId === id).length, 1, `${id} stored once`);
    // Outbound: every message at Mixin exactly once, in compose order per conversation.
    for (const [c, conversationId] of conversations.entries()) {
      const texts = mixin.messages(conversationId).filter((m) => m['user_id'] === keystore.appId).map((m) => Buffer.from(m['data']!, 'base64').toString('utf8'));
      const expected = outbound.map((_, i) => i).filter((i) => i % 3 === c).map((i) => `out ${i}`);
      assert.deepEqual(texts, expected, `conversation ${c}: each once, in order`);
    }
    const redeliveries = [...pushes.values()].reduce((sum, n) => sum + n - 1, 0);
    const faults = mixin.faults();
    recordMeasurement('mixin.faultSoak', { messagesEachWay: 300, faultsApplied: fault, socketsDropped: faults.socketsDropped, redeliveriesSeen: redeliveries, redeliveredMessages: [...pushes.values()].filter((n) => n > 1).length, lost: 0, duplicatesStored: 0, caughtUpMs });
    assert.ok(redeliveries > 0, 'the faults did make Mixin push messages again (else this proves nothing)');
  });
});
