import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageStore } from '../../../../src/extension/core/store/messageStore';
import { Outbox } from '../../../../src/extension/core/delivery/outbox';
import { silentLogger } from '../../../../src/extension/core/logger';
import { Emitter } from '../../../../src/extension/core/event';
import { MEXC_CAPABILITIES } from '../../../../src/extension/venues/mexc/adapter';
import { VenueError, type LandedCheck, type OutboundMessage, type SendReceipt, type VenueAdapter, type VenueEvent } from '../../../../src/extension/venues/venue';
import type { Attachment } from '../../../../src/shared/model';
import { until } from '../../helpers/until';

/** A scripted venue: each send() takes the next behaviour from the script (the outbox's failure matrix needs exact control). */
class ScriptedVenue implements VenueAdapter {
  readonly venue = 'mexc' as const;
  readonly accountId = 'acc';
  capabilities = MEXC_CAPABILITIES;
  private readonly emitter = new Emitter<VenueEvent>();
  readonly events = this.emitter.event;
  readonly sent: OutboundMessage[] = [];
  script: Array<(m: OutboundMessage) => Promise<SendReceipt>> = [];
  landed: LandedCheck = { landed: 'unknown' };
  landedChecks = 0;
  async verify() {}
  async start() {}
  async stop() {}
  async reconnect() {}
  async listConversations() { return { items: [] }; }
  async history() { return { items: [] }; }
  watch() { return { dispose() {} }; }
  async send(m: OutboundMessage): Promise<SendReceipt> {
    this.sent.push(m);
    const step = this.script.shift();
    return step ? step(m) : { status: 'sent' };
  }
  async checkLanded(): Promise<LandedCheck> {
    this.landedChecks++;
    return this.landed;
  }
  async markRead() {}
  stored() {}
  async upload(): Promise<Attachment> { throw new Error('no upload'); }
  dispose() {}
}

const never = () => new Promise<SendReceipt>(() => {});


describe('outbox', () => {
  let dir: string;
  let store: MessageStore;
  let venue: ScriptedVenue;
  let ready: boolean;
  const opened: Outbox[] = [];

  async function openOutbox(): Promise<Outbox> {
    const { outbox } = await Outbox.open(join(dir, 'outbox.jsonl'), { store, adapterFor: () => venue, isReady: () => ready, evidenceWaitMs: 20 });
    opened.push(outbox);
    return outbox;
  }

  const compose = (id: string, text = `hello ${id}`) => ({ clientMessageId: id, venue: 'mexc' as const, accountId: 'acc', conversationId: '42', kind: 'text' as const, text });
  const statusOf = (id: string) => store.findByClientMessageId('acc', '42', id)?.status;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outbox-'));
    store = await MessageStore.open(join(dir, 'store'), silentLogger);
    venue = new ScriptedVenue();
    ready = true;
  });
  afterEach(async () => {
    for (const o of opened.splice(0)) o.dispose();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the message durably before the network call and marks it sent', async () => {
    let durableAtSend = false;
    venue.script.push(async () => {
      // At the moment of the network call, a fresh process must already see the entry.
      const again = await Outbox.open(join(dir, 'outbox.jsonl'), { store, adapterFor: () => undefined, isReady: () => false });
      durableAtSend = again.outbox.get('msg00001')?.state === 'sending';
      again.outbox.dispose();
      return { status: 'sent' };
    });
    const outbox = await openOutbox();
    const record = await outbox.enqueue(compose('msg00001'));
    assert.equal(record.status, 'queued');
    await until(() => statusOf('msg00001') === 'sent');
    assert.ok(durableAtSend, 'the entry was on disk in state "sending" before send() ran');
    assert.equal(outbox.get('msg00001')?.state, 'done');
  });

  it('a double submit of the same client id is one message', async () => {
    const outbox = await openOutbox();
    await outbox.enqueue(compose('dup00001'));
    await outbox.enqueue(compose('dup00001'));
    await until(() => statusOf('dup00001') === 'sent');
    assert.equal(venue.sent.length, 1);
  });

  it('keeps compose order within a conversation', async () => {
    const outbox = await openOutbox();
    for (let i = 0; i < 5; i++) await outbox.enqueue(compose(`order000${i}`, `m${i}`));
    await until(() => venue.sent.length === 5);
    assert.deepEqual(venue.sent.map((m) => m.text), ['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('waits while the account is not ready and resumes by itself on kick()', async () => {
    ready = false;
    const outbox = await openOutbox();
    await outbox.enqueue(compose('wait0001'));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(venue.sent.length, 0);
    assert.equal(statusOf('wait0001'), 'queued');
    ready = true;
    outbox.kick('acc');
    await until(() => statusOf('wait0001') === 'sent');
  });

  it('retries a definitely-unsent message with back-off', async () => {
    venue.script.push(async () => { throw new VenueError('unavailable', 'socket not connected'); });
    const outbox = await openOutbox();
    await outbox.enqueue(compose('retry001'));
    await until(() => statusOf('retry001') === 'sent', 5000);
    assert.equal(venue.sent.length, 2);
  });

  it('a venue rejection fails the message with the reason, and Retry sends it again', async () => {
    venue.script.push(async () => { throw new VenueError('rejected', 'MEXC refused the message: content too long'); });
    const outbox = await openOutbox();
    await outbox.enqueue(compose('reject01'));
    await until(() => statusOf('reject01') === 'failed');
    assert.match(store.findByClientMessageId('acc', '42', 'reject01')?.failure ?? '', /content too long/);
    await outbox.retry('reject01');
    await until(() => statusOf('reject01') === 'sent');
    assert.equal(venue.sent.length, 2);
  });

  it('after a crash mid-send it never resends blindly: unknown outcome on a non-idempotent venue -> failed, asks the user', async () => {
    venue.script.push(never); // the process "dies" while the send is in flight
    const first = await openOutbox();
    await first.enqueue(compose('crash001'));
    await until(() => venue.sent.length === 1);
    first.dispose();
    // Next session: same files, the venue cannot tell whether it landed.
    venue.landed = { landed: 'unknown' };
    const second = await openOutbox();
    second.kick('acc');
    await until(() => statusOf('crash001') === 'failed');
    assert.equal(venue.sent.length, 1, 'not sent twice');
    assert.equal(venue.landedChecks, 1);
  });

  it('after a crash mid-send a landed message is marked confirmed, not resent', async () => {
    venue.script.push(never);
    const first = await openOutbox();
    await first.enqueue(compose('crash002'));
    await until(() => venue.sent.length === 1);
    first.dispose();
    venue.landed = { landed: true, venueMessageId: '777' };
    const second = await openOutbox();
    second.kick('acc');
    await until(() => statusOf('crash002') === 'confirmed');
    assert.equal(venue.sent.length, 1);
    assert.equal(store.findByClientMessageId('acc', '42', 'crash002')?.venueMessageId, '777');
  });

  it('after a crash mid-send an idempotent venue gets the same client id again', async () => {
    venue.capabilities = { ...MEXC_CAPABILITIES, idempotentSend: true };
    venue.script.push(never);
    const first = await openOutbox();
    await first.enqueue(compose('crash003'));
    await until(() => venue.sent.length === 1);
    first.dispose();
    const second = await openOutbox();
    second.kick('acc');
    await until(() => statusOf('crash003') === 'sent');
    assert.equal(venue.sent.length, 2);
    assert.equal(venue.sent[1]!.clientMessageId, 'crash003');
  });

  it('an unanswered send waits for venue evidence, and an echo confirms it without a resend', async () => {
    venue.script.push(async () => { throw new VenueError('unknown-outcome', 'MEXC did not confirm the send in time'); });
    venue.landed = { landed: true, venueMessageId: '901' };
    const outbox = await openOutbox();
    await outbox.enqueue(compose('unans001'));
    await until(() => statusOf('unans001') === 'confirmed');
    assert.equal(venue.sent.length, 1);
  });

  it('cancel drops a queued message', async () => {
    ready = false;
    const outbox = await openOutbox();
    await outbox.enqueue(compose('cancel01'));
    assert.equal(await outbox.cancel('cancel01'), true);
    ready = true;
    outbox.kick('acc');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(venue.sent.length, 0);
  });
});
