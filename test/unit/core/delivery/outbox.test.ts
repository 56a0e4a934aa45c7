import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageStore } from '../../../../src/extension/core/store/messageStore';
import { Outbox, type OutboxStartupTrouble } from '../../../../src/extension/core/delivery/outbox';
import { systemClock, type Clock } from '../../../../src/extension/core/clock';
import { silentLogger } from '../../../../src/extension/core/logger';
import { Emitter } from '../../../../src/extension/core/event';
import { MEXC_CAPABILITIES } from '../../../../src/extension/venues/mexc/adapter';
import { VenueError, type LandedCheck, type OutboundMessage, type SendHooks, type SendReceipt, type UploadProgress, type UploadSource, type VenueAdapter, type VenueEvent } from '../../../../src/extension/venues/venue';
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
  /** While set, a send waits for it before the message can leave (a connection still opening). */
  connection: Promise<void> | undefined;
  /** Client ids of the sends that got as far as the wire (announced before they could leave). */
  readonly wired: string[] = [];
  async send(m: OutboundMessage, hooks?: SendHooks): Promise<SendReceipt> {
    this.sent.push(m);
    const step = this.script.shift();
    // As the MEXC adapter does: wait for the connection, announce the wire, then write.
    await this.connection;
    if (this.capabilities.announcesWire) await hooks?.beforeWire();
    this.wired.push(m.clientMessageId);
    return step ? step(m) : { status: 'sent' };
  }
  /** Behaviours of the next landed checks (then `landed`). */
  landedScript: Array<() => Promise<LandedCheck>> = [];
  async checkLanded(): Promise<LandedCheck> {
    this.landedChecks++;
    const step = this.landedScript.shift();
    return step ? step() : this.landed;
  }
  async markRead() {}
  stored() {}
  uploads: { source: UploadSource; progressCalls: number }[] = [];
  uploadScript: Array<(file: UploadSource, progress: UploadProgress, signal: AbortSignal) => Promise<Attachment>> = [];
  async upload(file: UploadSource, progress: UploadProgress, signal: AbortSignal): Promise<Attachment> {
    const record = { source: file, progressCalls: 0 };
    this.uploads.push(record);
    const counted: UploadProgress = (sent, total) => {
      record.progressCalls++;
      progress(sent, total);
    };
    const step = this.uploadScript.shift();
    if (step) return step(file, counted, signal);
    const bytes = await readFile(file.path);
    counted(bytes.length, bytes.length);
    return { kind: file.kind, ref: `ref-${this.uploads.length}`, name: file.name, size: bytes.length };
  }
  dispose() {}
}

const never = () => new Promise<SendReceipt>(() => {});

/** A venue with a batch send (as Mixin's CREATE_PLAIN_MESSAGES): each call records the ids it carried. */
class BatchingVenue extends ScriptedVenue {
  readonly batches: string[][] = [];
  batchScript: Array<(ms: readonly OutboundMessage[]) => Promise<readonly SendReceipt[]>> = [];
  constructor(maxBatch: number) {
    super();
    this.capabilities = { ...MEXC_CAPABILITIES, maxBatch };
  }
  async sendBatch(ms: readonly OutboundMessage[]): Promise<readonly SendReceipt[]> {
    this.batches.push(ms.map((m) => m.clientMessageId));
    const step = this.batchScript.shift();
    return step ? step(ms) : ms.map((m) => ({ status: 'confirmed' as const, venueMessageId: `v-${m.clientMessageId}` }));
  }
}


describe('outbox', () => {
  let dir: string;
  let store: MessageStore;
  let venue: ScriptedVenue;
  let ready: boolean;
  const opened: Outbox[] = [];

  async function openOutbox(waits: { evidenceWaitMs?: number } = {}): Promise<Outbox> {
    const { outbox } = await Outbox.open(join(dir, 'outbox.jsonl'), { store, adapterFor: () => venue, isReady: () => ready, evidenceWaitMs: waits.evidenceWaitMs ?? 20, confirmWaitMs: 30 });
    opened.push(outbox);
    await outbox.whenReady();
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
      await again.outbox.whenReady();
      durableAtSend = again.outbox.get('msg00001')?.state === 'sending';
      again.outbox.dispose();
      return { status: 'sent' };
    });
    // Long enough an evidence wait that the "sent, not finished" state can be seen on a loaded
    // machine (with 20 ms, six test files at once once moved it on to done before the check).
    const outbox = await openOutbox({ evidenceWaitMs: 1000 });
    const record = await outbox.enqueue(compose('msg00001'));
    assert.equal(record.status, 'queued');
    await until(() => statusOf('msg00001') === 'sent');
    assert.ok(durableAtSend, 'the entry was on disk in state "sending" before send() ran');
    assert.equal(outbox.get('msg00001')?.state, 'sent', 'accepted, but not finished until venue evidence or a landed check');
    await until(() => outbox.get('msg00001')?.state === 'done');
    assert.equal(venue.landedChecks, 1, 'the chat was read back once');
    assert.equal(statusOf('msg00001'), 'sent', 'the venue cannot tell (unknown): it stays sent');
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

  it('a quit while a send still waits for its connection leaves the message queued: the next session sends it once, no check, no failure', async () => {
    venue.connection = new Promise(() => {}); // the chat's socket never opens in this session
    const first = await openOutbox();
    await first.enqueue(compose('wait0001'));
    await until(() => venue.sent.length === 1);
    assert.equal(first.get('wait0001')?.inFlight, false, 'waiting for the connection is not in flight');
    first.dispose();
    // Next session: the connection opens; MEXC cannot tell whether a message landed.
    venue.connection = undefined;
    venue.landed = { landed: 'unknown' };
    const second = await openOutbox();
    second.kick('acc');
    await until(() => statusOf('wait0001') === 'sent');
    assert.deepEqual(venue.wired, ['wait0001'], 'it left once');
    assert.equal(venue.landedChecks, 0, 'nothing to check: it had not left');
  });

  it('a send still waiting for its connection cannot be cancelled from under it', async () => {
    let open!: () => void;
    venue.connection = new Promise((r) => (open = r));
    const outbox = await openOutbox();
    await outbox.enqueue(compose('wait0002'));
    await until(() => venue.sent.length === 1);
    assert.equal(await outbox.cancel('wait0002'), false, 'the adapter may write it any moment');
    open();
    await until(() => statusOf('wait0002') === 'sent');
    assert.deepEqual(venue.wired, ['wait0002']);
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

  it('a landed check that cannot reach the venue (down, rate-limited) is asked again later, never given up on nor resent blindly', async () => {
    venue.capabilities = { ...MEXC_CAPABILITIES, idempotentSend: false };
    venue.script.push(async () => { throw new VenueError('unknown-outcome', 'the connection dropped during the send'); });
    venue.landedScript.push(
      () => Promise.reject(new VenueError('unavailable', 'Bybit POST /v5/p2p/order/info failed with HTTP 502')),
      () => Promise.reject(new VenueError('rate-limit', 'too many requests')),
    );
    venue.landed = { landed: true, venueMessageId: '777' };
    const quick: Clock = { ...systemClock, setTimeout: (fn) => systemClock.setTimeout(fn, 5) };
    const { outbox } = await Outbox.open(join(dir, 'outbox.jsonl'), { store, adapterFor: () => venue, isReady: () => ready, clock: quick, evidenceWaitMs: 20, confirmWaitMs: 30 });
    opened.push(outbox);
    await outbox.enqueue(compose('check001'));
    await until(() => statusOf('check001') === 'confirmed');
    assert.equal(venue.landedChecks, 3, 'asked three times');
    assert.equal(venue.sent.length, 1, 'never sent again');
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

  it('a sent message the venue says never arrived fails with a reason, and Retry sends it again', async () => {
    venue.landed = { landed: false };
    const outbox = await openOutbox();
    await outbox.enqueue(compose('gone0001'));
    await until(() => statusOf('gone0001') === 'failed');
    assert.match(store.findByClientMessageId('acc', '42', 'gone0001')?.failure ?? '', /not in the chat/);
    venue.landed = { landed: true, venueMessageId: '55' };
    await outbox.retry('gone0001');
    await until(() => statusOf('gone0001') === 'confirmed');
    assert.equal(venue.sent.length, 2);
  });

  it('a venue-reported failure reopens even a confirmed message for Retry', async () => {
    venue.script.push(async () => ({ status: 'confirmed', venueMessageId: '91' }));
    const outbox = await openOutbox();
    await outbox.enqueue(compose('late0001'));
    await until(() => outbox.get('late0001')?.state === 'done');
    await outbox.reopen('late0001', 'Counterparty blocked the message');
    assert.equal(statusOf('late0001'), 'failed');
    assert.equal(store.findByClientMessageId('acc', '42', 'late0001')?.failure, 'Counterparty blocked the message');
    await outbox.retry('late0001');
    await until(() => venue.sent.length === 2);
  });

  it('a queued reply and a queued location survive a restart with their quote and payload', async () => {
    ready = false;
    const first = await openOutbox();
    const quote = { venueMessageId: 'wa-17', senderName: 'alice_p2p', text: 'did you pay?' };
    const location = { type: 'location' as const, latitude: 48.8566, longitude: 2.3522, name: 'Bank', address: '1 Rue de Rivoli' };
    await first.enqueue({ ...compose('reply001', 'yes, just now'), quote });
    await first.enqueue({ ...compose('place001', ''), kind: 'location', payload: location });
    assert.deepEqual(store.findByClientMessageId('acc', '42', 'reply001')?.quote, quote, 'the pending row shows the quote at once');
    first.dispose();
    // A restart: the store and the outbox are read back from disk.
    await store.close();
    store = await MessageStore.open(join(dir, 'store'), silentLogger);
    ready = true;
    const second = await openOutbox();
    assert.deepEqual(store.findByClientMessageId('acc', '42', 'reply001')?.quote, quote);
    assert.deepEqual(store.findByClientMessageId('acc', '42', 'place001')?.payload, location);
    second.kick('acc');
    await until(() => venue.sent.length === 2);
    const [reply, place] = venue.sent;
    assert.deepEqual([reply?.clientMessageId, reply?.text, reply?.quote], ['reply001', 'yes, just now', quote]);
    assert.deepEqual([place?.clientMessageId, place?.kind, place?.payload, place?.quote], ['place001', 'location', location, undefined]);
  });

  /** A session that queued `id` and stopped; the send happened and the store recorded it, but the outbox lines saying so were lost. */
  async function sentButOutboxTailLost(id: string, venueMessageId: string): Promise<void> {
    ready = false;
    const first = await openOutbox();
    await first.enqueue(compose(id));
    const record = store.findByClientMessageId('acc', '42', id)!;
    await store.upsert([{ ...record, status: 'sent', venueMessageId }]);
    first.dispose();
  }

  it('a lost outbox tail never leads to a second send: the store says it was sent', async () => {
    await sentButOutboxTailLost('tail0001', '4242');
    ready = true;
    const second = await openOutbox();
    second.kick('acc');
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(venue.sent.length, 0, 'not sent again');
    assert.notEqual(second.get('tail0001')?.state, 'queued');
  });

  it('open returns before the last session is checked against the store (activation does not wait for it), and nothing is sent before', async () => {
    await sentButOutboxTailLost('gate0001', '4343');
    // A restart: the conversation is on disk only, so the check has to load it first.
    await store.close();
    store = await MessageStore.open(join(dir, 'store'), silentLogger);
    ready = true;
    const { outbox: second } = await Outbox.open(join(dir, 'outbox.jsonl'), { store, adapterFor: () => venue, isReady: () => ready, evidenceWaitMs: 20, confirmWaitMs: 30 });
    opened.push(second);
    assert.equal(second.get('gate0001')?.state, 'queued', 'open did not wait for the check');
    second.kick('acc');
    await second.whenReady();
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(venue.sent.length, 0, 'not sent: the store knew it had left');
    assert.notEqual(second.get('gate0001')?.state, 'queued');
  });

  /** The last session queued a message and the store lost it, so the startup check must write it back. */
  async function queuedThenStoreLost(id: string): Promise<void> {
    ready = false;
    const first = await openOutbox();
    await first.enqueue(compose(id));
    first.dispose();
    await store.close();
    await rm(join(dir, 'store'), { recursive: true, force: true });
    store = await MessageStore.open(join(dir, 'store'), silentLogger);
  }

  it('a startup check that fails (a full disk) is tried again until it works: nothing is sent before, the queued message after', async () => {
    await queuedThenStoreLost('disk0001');
    let fullDisk = 2;
    const upsert = store.upsert.bind(store);
    store.upsert = (messages, options) => {
      if (fullDisk-- > 0) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      return upsert(messages, options);
    };
    ready = true;
    const quick: Clock = { ...systemClock, setTimeout: (fn) => systemClock.setTimeout(fn, 5) };
    const { outbox } = await Outbox.open(join(dir, 'outbox.jsonl'), { store, adapterFor: () => venue, isReady: () => ready, clock: quick, evidenceWaitMs: 20, confirmWaitMs: 30 });
    opened.push(outbox);
    const troubles: OutboxStartupTrouble[] = [];
    outbox.onStartupTrouble((t) => troubles.push(t));
    // The account is online already: its lane waits for the check, then sends.
    outbox.kick('acc');
    await outbox.whenReady();
    assert.deepEqual(troubles.map((t) => [t.resolved, t.attempt]), [[false, 1], [false, 2], [true, 3]]);
    assert.match(troubles[0]!.error ?? '', /ENOSPC/);
    await until(() => venue.sent.length === 1);
    assert.equal(venue.sent[0]!.clientMessageId, 'disk0001');
  });

  it('a message refused at compose (its outbox line could not be written: a full disk) is never sent later', async () => {
    // The chaos soak (Mixin, seed 1029024282): the refused entry stayed in memory, the conversation's
    // lane sent it anyway, and the user's "send again" under a new id would have doubled it.
    ready = false;
    const outbox = await openOutbox();
    const log = (outbox as unknown as { log: { append: (entries: readonly unknown[]) => Promise<void> } }).log;
    const append = log.append.bind(log);
    let fullDisk = 1;
    log.append = (entries) => (fullDisk-- > 0 ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) : append(entries));
    await assert.rejects(outbox.enqueue(compose('full0001')), /ENOSPC/);
    assert.equal(outbox.get('full0001'), undefined, 'not in the outbox');
    await outbox.enqueue(compose('next0002'));
    ready = true;
    outbox.kick('acc');
    await until(() => venue.sent.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(venue.sent.map((m) => m.clientMessageId), ['next0002']);
    // Sent again by the user (the same id, as a retried request): queued now, and sent once.
    await outbox.enqueue(compose('full0001'));
    await until(() => venue.sent.length === 2);
    assert.deepEqual(venue.sent.map((m) => m.clientMessageId), ['next0002', 'full0001']);
  });

  it('a message whose outbox line is written but whose store copy is not (a full disk) is queued: sent once, and a replay of its id adds nothing', async () => {
    // Told "not queued" while its line was durable, the user would send it again and it would go twice.
    const outbox = await openOutbox();
    const upsert = store.upsert.bind(store);
    let fullDisk = 1;
    store.upsert = (messages, options) => (fullDisk-- > 0 ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) : upsert(messages, options));
    const record = await outbox.enqueue(compose('copy0001'));
    assert.equal(record.status, 'queued');
    assert.equal(outbox.get('copy0001')?.composedAt, record.time);
    await until(() => statusOf('copy0001') === 'sent');
    // A replayed request with the same id, its store copy lost meanwhile: the entry stays as it was.
    const entry = outbox.get('copy0001')!;
    (store as unknown as { findByClientMessageId: () => undefined }).findByClientMessageId = () => undefined;
    const replay = await outbox.enqueue(compose('copy0001'));
    assert.equal(replay.status, 'sent');
    assert.deepEqual(outbox.get('copy0001'), entry, 'not queued again under a new compose time');
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(venue.wired, ['copy0001'], 'sent once');
  });

  it('a lane stopped by a failed write (a full disk mid-send) goes on by itself once the disk has room', async () => {
    const quick: Clock = { ...systemClock, setTimeout: (fn, ms) => systemClock.setTimeout(fn, Math.min(ms, 20)) };
    const { outbox } = await Outbox.open(join(dir, 'outbox.jsonl'), { store, adapterFor: () => venue, isReady: () => ready, clock: quick, evidenceWaitMs: 20, confirmWaitMs: 30 });
    opened.push(outbox);
    await outbox.whenReady();
    const log = (outbox as unknown as { log: { append: (entries: readonly unknown[]) => Promise<void> } }).log;
    const append = log.append.bind(log);
    let fullDisk = 0;
    log.append = (entries) => (fullDisk-- > 0 ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) : append(entries));
    ready = false;
    await outbox.enqueue(compose('lane0001'));
    await new Promise((r) => setTimeout(r, 50)); // its lane found the account not ready, and stopped
    fullDisk = 1; // the lane's "sending" line fails; nothing else will kick this lane
    ready = true;
    outbox.kick('acc');
    await until(() => statusOf('lane0001') === 'sent', 3_000, 'sent without another kick');
    assert.deepEqual(venue.wired, ['lane0001']);
  });

  it('closing the outbox while its startup check waits to try again ends the wait', async () => {
    await queuedThenStoreLost('disk0002');
    store.upsert = () => Promise.reject(new Error('ENOSPC: no space left on device, write'));
    const { outbox } = await Outbox.open(join(dir, 'outbox.jsonl'), { store, adapterFor: () => venue, isReady: () => true });
    const failed = new Promise<void>((resolve) => outbox.onStartupTrouble(() => resolve()));
    await failed;
    outbox.dispose();
    await assert.rejects(outbox.whenReady(), /closed/);
    assert.equal(venue.sent.length, 0);
  });

  it('an entry finished in the outbox but stuck "sending" in the store is reconciled on open', async () => {
    const outbox = await openOutbox();
    await outbox.enqueue(compose('stuck001'));
    await until(() => outbox.get('stuck001')?.state === 'done');
    outbox.dispose();
    // A crash between the outbox line and the store line: rewrite the store's record as "sending".
    await store.close();
    const { readdir } = await import('node:fs/promises');
    const accountDir = join(dir, 'store', 'messages', (await readdir(join(dir, 'store', 'messages')))[0]!);
    const log = join(accountDir, (await readdir(accountDir))[0]!);
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    const last = JSON.parse(lines[lines.length - 1]!) as { s: number; m: Record<string, unknown> };
    lines.push(JSON.stringify({ s: last.s, m: { ...last.m, status: 'sending' } }));
    await writeFile(log, lines.join('\n') + '\n');
    store = await MessageStore.open(join(dir, 'store'), silentLogger);
    assert.equal(statusOf('stuck001'), 'sending');
    await openOutbox();
    assert.equal(statusOf('stuck001'), 'sent');
  });

  describe('upload stage', () => {
    let file: string;
    const withFile = (id: string) => ({ ...compose(id, ''), kind: 'image' as const, file: { path: file, name: 'receipt.png', mimeType: 'image/png', size: 5, kind: 'image' as const } });
    beforeEach(async () => {
      venue.capabilities = { ...MEXC_CAPABILITIES, upload: { kinds: ['image'], maxBytes: 1_000_000 } };
      file = join(dir, 'receipt.png');
      await writeFile(file, 'bytes');
    });

    it('uploads once, sends the uploaded reference, reports progress', async () => {
      const outbox = await openOutbox();
      const progress: number[] = [];
      outbox.onUploadProgress((p) => progress.push(p.sent));
      await outbox.enqueue(withFile('upl00001'));
      await until(() => venue.sent.length === 1);
      assert.equal(venue.uploads.length, 1);
      assert.equal(venue.sent[0]!.attachment?.ref, 'ref-1');
      assert.deepEqual(progress, [5]);
      await until(() => statusOf('upl00001') === 'sent');
      assert.equal(store.findByClientMessageId('acc', '42', 'upl00001')?.attachments?.[0]?.ref, 'ref-1');
    });

    it('keeps its own copy: the original can go away before the upload', async () => {
      ready = false;
      const outbox = await openOutbox();
      await outbox.enqueue(withFile('upl00002'));
      await rm(file);
      ready = true;
      outbox.kick('acc');
      await until(() => venue.sent.length === 1);
      assert.equal(venue.sent[0]!.attachment?.size, 5);
    });

    it('a reload after the upload never uploads or sends it twice', async () => {
      venue.script.push(never); // the process dies while the send is in flight
      const first = await openOutbox();
      await first.enqueue(withFile('upl00003'));
      await until(() => venue.sent.length === 1);
      first.dispose();
      venue.landed = { landed: true, venueMessageId: '808' };
      const second = await openOutbox();
      second.kick('acc');
      await until(() => statusOf('upl00003') === 'confirmed');
      assert.equal(venue.uploads.length, 1, 'uploaded once');
      assert.equal(venue.sent.length, 1, 'sent once');
    });

    it('a reload during the upload uploads again (nothing was sent), then sends once', async () => {
      venue.uploadScript.push(() => new Promise<Attachment>(() => {})); // dies mid-upload
      const first = await openOutbox();
      await first.enqueue(withFile('upl00004'));
      await until(() => venue.uploads.length === 1);
      first.dispose();
      const second = await openOutbox();
      second.kick('acc');
      await until(() => venue.sent.length === 1);
      assert.equal(venue.uploads.length, 2);
      assert.equal(venue.sent[0]!.attachment?.ref, 'ref-2');
    });

    it('cancel aborts an upload in progress and nothing is sent', async () => {
      let aborted = false;
      venue.uploadScript.push((_f, progress, signal) => new Promise<Attachment>((_resolve, reject) => {
        progress(1, 5);
        signal.addEventListener('abort', () => { aborted = true; reject(new Error('aborted')); });
      }));
      const outbox = await openOutbox();
      await outbox.enqueue(withFile('upl00005'));
      await until(() => venue.uploads.length === 1);
      assert.equal(await outbox.cancel('upl00005'), true);
      assert.ok(aborted);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(venue.sent.length, 0);
      assert.equal(statusOf('upl00005'), 'failed');
      assert.equal(outbox.get('upl00005')?.state, 'cancelled');
    });

    it('a venue that refuses the file fails the message with the reason', async () => {
      venue.uploadScript.push(async () => { throw new VenueError('rejected', 'file type not allowed'); });
      const outbox = await openOutbox();
      await outbox.enqueue(withFile('upl00006'));
      await until(() => statusOf('upl00006') === 'failed');
      assert.match(store.findByClientMessageId('acc', '42', 'upl00006')?.failure ?? '', /file type not allowed/);
      assert.equal(venue.sent.length, 0);
    });

    it('an upload over the venue\'s rate limit waits for Retry-After, says why while it waits, then sends once', async () => {
      venue.uploadScript.push(async () => { throw new VenueError('rate-limit', 'Binance allows 36 image uploads a minute and they are used up; this image goes in 1 s', 'imageQuota', 600); });
      const outbox = await openOutbox();
      const started = Date.now();
      await outbox.enqueue(withFile('upl00007'));
      await until(() => statusOf('upl00007') === 'queued' && /36 image uploads a minute/.test(store.findByClientMessageId('acc', '42', 'upl00007')?.failure ?? ''), 2000, 'queued with the reason');
      await until(() => statusOf('upl00007') === 'sent', 5000, 'sent after the wait');
      assert.ok(Date.now() - started >= 550, 'not retried before Retry-After');
      assert.equal(store.findByClientMessageId('acc', '42', 'upl00007')?.failure, undefined, 'the reason goes once it is sent');
      assert.equal(venue.uploads.length, 2);
      assert.equal(venue.sent.length, 1);
    });
  });

  describe('batch sends', () => {
    it('messages queued behind each other go out in compose order, in batches of at most maxBatch, each once', async () => {
      const batching = new BatchingVenue(4);
      venue = batching;
      ready = false;
      const outbox = await openOutbox();
      const ids = Array.from({ length: 10 }, (_, i) => `batch${String(i).padStart(3, '0')}`);
      for (const id of ids) await outbox.enqueue(compose(id));
      ready = true;
      outbox.kick('acc');
      await until(() => ids.every((id) => statusOf(id) === 'confirmed'));
      assert.deepEqual(batching.batches, [ids.slice(0, 4), ids.slice(4, 8), ids.slice(8)]);
      assert.equal(batching.sent.length, 0, 'nothing went one by one');
      for (const id of ids) assert.equal(outbox.get(id)?.state, 'done');
    });

    it('a batch whose outcome is unknown is checked before anything is sent again; a batch the venue refuses goes again one by one', async () => {
      const batching = new BatchingVenue(10);
      venue = batching;
      ready = false;
      const outbox = await openOutbox();
      for (const id of ['unknown01', 'unknown02']) await outbox.enqueue(compose(id));
      batching.batchScript.push(() => Promise.reject(new VenueError('unknown-outcome', 'reply lost')));
      batching.landed = { landed: true, venueMessageId: 'seen' };
      ready = true;
      outbox.kick('acc');
      await until(() => outbox.get('unknown01')?.state === 'done' && outbox.get('unknown02')?.state === 'done');
      assert.equal(batching.batches.length, 1, 'not resent: the landed check found them');
      assert.equal(batching.landedChecks, 2);

      // One bad message makes the venue refuse the whole batch: only that one fails.
      ready = false;
      for (const id of ['refused01', 'refused02', 'refused03']) await outbox.enqueue(compose(id));
      batching.batchScript.push(() => Promise.reject(new VenueError('rejected', 'invalid data in one message')));
      batching.script.push(async () => ({ status: 'confirmed', venueMessageId: 'r1' }), () => Promise.reject(new VenueError('rejected', 'invalid sticker')), async () => ({ status: 'confirmed', venueMessageId: 'r3' }));
      ready = true;
      outbox.kick('acc');
      await until(() => ['refused01', 'refused02', 'refused03'].every((id) => ['confirmed', 'failed'].includes(statusOf(id) ?? '')));
      assert.deepEqual(batching.sent.map((m) => m.clientMessageId), ['refused01', 'refused02', 'refused03'], 'then one by one, in order');
      assert.deepEqual(['refused01', 'refused02', 'refused03'].map(statusOf), ['confirmed', 'failed', 'confirmed']);
    });

    it('an upload or a back-off ends the batch: only fresh sends at the head of the lane go together', async () => {
      const batching = new BatchingVenue(10);
      batching.capabilities = { ...batching.capabilities, upload: { kinds: ['image'], maxBytes: 1_000_000 } };
      venue = batching;
      ready = false;
      const outbox = await openOutbox();
      const file = join(dir, 'photo.png');
      await writeFile(file, Buffer.from('png bytes'));
      await outbox.enqueue(compose('fresh0001'));
      await outbox.enqueue(compose('fresh0002'));
      await outbox.enqueue({ ...compose('upload001', ''), kind: 'image', file: { path: file, name: 'photo.png', mimeType: 'image/png', size: 9, kind: 'image' } });
      await outbox.enqueue(compose('fresh0003'));
      await outbox.enqueue(compose('fresh0004'));
      ready = true;
      outbox.kick('acc');
      await until(() => ['fresh0001', 'fresh0002', 'upload001', 'fresh0003', 'fresh0004'].every((id) => outbox.get(id)?.state === 'done' || statusOf(id) === 'sent'));
      assert.deepEqual(batching.batches, [['fresh0001', 'fresh0002'], ['fresh0003', 'fresh0004']]);
      assert.deepEqual(batching.sent.map((m) => m.clientMessageId), ['upload001'], 'the upload went on its own, between them');
    });
  });
});
