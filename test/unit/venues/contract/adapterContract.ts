// The adapter contract kit: every venue adapter runs these against its own sandbox emulator (or,
// for the spine's fake venue, its in-test backend). Each test drives the adapter through the real
// inbox hub, store and outbox, so "exactly once" means what the user sees and what the venue got.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatMessage, VenueId } from '../../../../src/shared/model';
import type { Clock } from '../../../../src/extension/core/clock';
import type { InboxHub } from '../../../../src/extension/core/inbox/inboxHub';
import type { MessageStore } from '../../../../src/extension/core/store/messageStore';
import type { VenueAdapter, VenueEvent } from '../../../../src/extension/venues/venue';
import { openHubRig, type HubRig } from '../../helpers/hubRig';
import { until } from '../../helpers/until';
import { TimerCountingClock } from './timerCountingClock';

export interface ContractHarness {
  readonly venue: VenueId;
  /** The adapter under test, built with `clock` for all its timers. */
  makeAdapter(accountId: string, clock: Clock): VenueAdapter;
  /** A conversation the account can chat in right now. */
  conversationId(): string;
  counterpartySays(conversationId: string, text: string): Promise<void> | void;
  /** How many messages with this text from our account the venue holds in the conversation. */
  sentAtVenue(conversationId: string, text: string): number;
  /** The venue cuts every live connection of the account (the adapter must recover by itself). */
  dropConnections(): Promise<void> | void;
  /** The venue takes the next send but the answer never reaches the client. */
  loseNextSendReply(): Promise<void> | void;
  /** The venue sends the adapter something malformed for this conversation. */
  sendBadInput(conversationId: string): Promise<void> | void;
  /** Live connections the venue sees from the account. */
  openConnections(): number;
  /** Whether the connection that carries `conversationId`'s messages is open at the venue. */
  receiving(conversationId: string): boolean;
  /** Venues with server history: the conversation gets `count` older messages. */
  seedHistory?(conversationId: string, count: number): Promise<void> | void;
  close(): Promise<void>;
}

export function describeAdapterContract(name: string, setup: () => Promise<ContractHarness>): void {
  describe(`adapter contract: ${name}`, function () {
    this.timeout(30_000);
    let harness: ContractHarness;
    let rig: HubRig;
    let dir: string;
    let store: MessageStore;
    let hub: InboxHub;
    let adapter: VenueAdapter;
    let clock: TimerCountingClock;
    let events: VenueEvent[];
    const A = 'contract';

    beforeEach(async () => {
      harness = await setup();
      rig = await openHubRig();
      ({ dir, store, hub } = rig);
      clock = new TimerCountingClock();
      adapter = harness.makeAdapter(A, clock);
      events = [];
      adapter.events((e) => events.push(e));
      await hub.addAccount({ id: A, venue: harness.venue, label: name }, adapter);
    });

    afterEach(async () => {
      await rig.close();
      await harness.close();
    });

    const stored = (conversationId: string): ChatMessage[] => rig.stored(A, conversationId);
    const online = () => until(() => hub.state(A).kind === 'online', 10_000, 'online');
    const watchAndWait = async (conversationId: string) => {
      const view = hub.openConversation(A, conversationId);
      await online();
      await until(() => harness.receiving(conversationId), 10_000, 'a live connection');
      return view;
    };

    it('connects and goes online', async () => {
      await online();
      assert.ok(events.some((e) => e.type === 'connectionState' && e.state.kind === 'online'));
    });

    it('receives a message once, also across a dropped connection', async () => {
      const c = harness.conversationId();
      const view = await watchAndWait(c);
      await harness.counterpartySays(c, 'contract: are you there?');
      await until(() => stored(c).some((m) => m.text === 'contract: are you there?'), 10_000, 'the message');
      await harness.dropConnections();
      // The account is online as soon as any of its connections is; this chat's own must be back too.
      await until(() => harness.receiving(c) && hub.state(A).kind === 'online', 15_000, 'back online');
      await harness.counterpartySays(c, 'contract: after the drop');
      await until(() => stored(c).some((m) => m.text === 'contract: after the drop'), 10_000, 'the message after the drop');
      await hub.settled();
      assert.equal(stored(c).filter((m) => m.text === 'contract: are you there?').length, 1);
      assert.equal(stored(c).filter((m) => m.text === 'contract: after the drop').length, 1);
      assert.equal(stored(c).find((m) => m.text === 'contract: are you there?')?.direction, 'in');
      view.dispose();
    });

    it('sends exactly once and the message reaches sent or confirmed', async () => {
      const c = harness.conversationId();
      const view = await watchAndWait(c);
      const message = await hub.send({ accountId: A, conversationId: c, clientMessageId: 'contract0001', kind: 'text', text: 'contract: paid, ref 123' });
      await until(() => ['sent', 'confirmed', 'delivered', 'read'].includes(store.get(message.key)?.status ?? ''), 10_000, 'sent');
      await hub.settled();
      assert.equal(harness.sentAtVenue(c, 'contract: paid, ref 123'), 1);
      assert.equal(stored(c).filter((m) => m.text === 'contract: paid, ref 123').length, 1, 'shown once');
      view.dispose();
    });

    it('resolves an unknown send outcome without a duplicate', async () => {
      const c = harness.conversationId();
      const view = await watchAndWait(c);
      await harness.loseNextSendReply();
      const message = await hub.send({ accountId: A, conversationId: c, clientMessageId: 'contract0002', kind: 'text', text: 'contract: reply lost' });
      // Either venue evidence confirms it, or the client stops and asks the user: never a blind resend.
      await until(() => ['confirmed', 'delivered', 'read', 'failed'].includes(store.get(message.key)?.status ?? ''), 20_000, 'an outcome');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(harness.sentAtVenue(c, 'contract: reply lost'), 1, 'the venue got it once');
      assert.equal(stored(c).filter((m) => m.text === 'contract: reply lost').length, 1, 'shown once');
      view.dispose();
    });

    it('pages back through server history, when the venue has it', async function () {
      if (!adapter.capabilities.serverHistory || !harness.seedHistory) this.skip();
      const c = harness.conversationId();
      await online();
      await harness.seedHistory!(c, 130);
      const ids = new Set<string>();
      let before: string | undefined;
      let total = 0;
      for (let pages = 0; pages < 20; pages++) {
        const page = await adapter.history(c, { before, limit: 40 });
        for (const m of page.items) {
          assert.ok(m.venueMessageId, 'history items carry the venue id');
          assert.ok(!ids.has(m.venueMessageId), `no item twice (${m.venueMessageId})`);
          ids.add(m.venueMessageId);
          total++;
        }
        if (!page.next) break;
        before = page.next;
      }
      assert.ok(total >= 130, `read ${total} of at least 130`);
    });

    it('uploads a file once and sends the reference, when the venue has an upload API', async function () {
      const upload = adapter.capabilities.upload;
      if (!upload) this.skip();
      const c = harness.conversationId();
      const view = await watchAndWait(c);
      const file = join(dir, 'receipt.png');
      await writeFile(file, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
      const kind = upload!.kinds.includes('image') ? 'image' : 'file';
      const message = await hub.send({ accountId: A, conversationId: c, clientMessageId: 'contract0003', kind, text: '', file: { path: file, name: 'receipt.png', mimeType: 'image/png', size: 16, kind } });
      await until(() => ['sent', 'confirmed', 'delivered', 'read'].includes(store.get(message.key)?.status ?? ''), 10_000, 'sent');
      assert.ok(store.get(message.key)?.attachments?.[0]?.ref ?? store.get(message.key)?.attachments?.[0]?.url, 'the message carries the uploaded reference');
      view.dispose();
    });

    it('logs and counts bad input without dropping the connection', async () => {
      const c = harness.conversationId();
      const view = await watchAndWait(c);
      const connections = harness.openConnections();
      await harness.sendBadInput(c);
      await until(() => hub.badInputCount > 0, 10_000, 'bad input counted');
      assert.equal(hub.state(A).kind, 'online');
      assert.equal(harness.openConnections(), connections, 'no reconnect over bad input');
      await harness.counterpartySays(c, 'contract: still here');
      await until(() => stored(c).some((m) => m.text === 'contract: still here'), 10_000, 'later messages still arrive');
      view.dispose();
    });

    it('stop() closes every connection and disposes every timer', async () => {
      const c = harness.conversationId();
      const view = await watchAndWait(c);
      view.dispose();
      await hub.removeAccount(A, { keepData: true });
      await until(() => harness.openConnections() === 0, 5000, 'connections closed');
      await until(() => clock.pending === 0, 2000, `timers disposed (${clock.pending} left)`);
    });
  });
}
