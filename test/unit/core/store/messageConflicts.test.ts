import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../../src/extension/core/logger';
import { silentLogger } from '../../../../src/extension/core/logger';
import { contentConflict } from '../../../../src/extension/core/store/messageMerge';
import { MessageStore } from '../../../../src/extension/core/store/messageStore';
import { messageKey } from '../../../../src/shared/model';
import type { ChatMessage } from '../../../../src/shared/model';
import { ACC, CONV, incoming, outgoing } from './storeFixtures';

describe('message conflicts and canonical ids', () => {
  describe('contentConflict', () => {
    const stored = incoming('1', 1, { attachments: [{ kind: 'image', url: 'https://x/a?sig=1', ref: 'r1' }] });

    it('is none for a re-observation or an update of status, time, sender or links', () => {
      assert.equal(contentConflict(stored, stored), undefined);
      assert.equal(contentConflict(stored, { ...stored, time: 5, senderName: 'Bob' }), undefined);
      assert.equal(contentConflict(stored, { ...stored, text: undefined, attachments: undefined }), undefined, 'absent fields keep the stored value');
      assert.equal(contentConflict(stored, { ...stored, attachments: [{ kind: 'image', url: 'https://x/a?sig=2', ref: 'r1' }] }), undefined, 'a re-signed link');
    });

    it('names what differs when the content cannot be the same message', () => {
      assert.equal(contentConflict(stored, { ...stored, direction: 'out' }), 'direction');
      assert.equal(contentConflict(stored, { ...stored, kind: 'markdown' }), 'kind');
      assert.equal(contentConflict(stored, { ...stored, text: 'other' }), 'text');
      assert.equal(contentConflict(stored, { ...stored, attachments: [] }), 'attachments');
      assert.equal(contentConflict(stored, { ...stored, attachments: [{ kind: 'file', ref: 'r1' }] }), 'attachments');
      assert.equal(contentConflict(stored, { ...stored, attachments: [{ kind: 'image', ref: 'r2' }] }), 'attachments');
      const located = incoming('2', 1, { kind: 'location', payload: { type: 'location', latitude: 1, longitude: 2 } });
      assert.equal(contentConflict(located, { ...located, payload: { type: 'location', latitude: 1, longitude: 3 } }), 'payload');
    });

    it('lets the venue edit or recall, and lets our send take the venue\'s rendering of its echo', () => {
      assert.equal(contentConflict(stored, { ...stored, text: 'fixed typo', edited: true }), undefined);
      assert.equal(contentConflict(stored, { ...stored, text: '', recalled: true }), undefined);
      const ours = outgoing('c1', 1, { venueMessageId: 'v1' });
      assert.equal(contentConflict(ours, incoming('v1', 2, { direction: 'out', text: 'sent  c1 (as the venue shows it)' })), undefined);
      assert.equal(contentConflict(ours, incoming('v1', 2, { direction: 'in' })), 'direction', 'an edit or echo never changes direction');
      assert.equal(contentConflict(ours, incoming('v1', 2, { direction: 'in', edited: true })), 'direction');
    });
  });

  describe('in the store', () => {
    let dir: string;
    let warnings: string[];
    const stores: MessageStore[] = [];

    async function openStore(): Promise<MessageStore> {
      const logger: Logger = { ...silentLogger, warn: (m: string) => warnings.push(m) };
      const store = await MessageStore.open(dir, logger);
      stores.push(store);
      return store;
    }

    async function reopen(store: MessageStore): Promise<MessageStore> {
      await store.close();
      return openStore();
    }

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'venue-chat-conflicts-'));
      warnings = [];
    });

    afterEach(async () => {
      await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
      await rm(dir, { recursive: true, force: true });
    });

    it('never turns an incoming message into our outgoing one: both are kept, counted and logged without content', async () => {
      let store = await openStore();
      const ours = outgoing('c1', 10);
      await store.upsert([ours]);
      await store.upsert([{ ...ours, status: 'sent', venueMessageId: 'v1' }]);
      // The venue delivers a message from the counterparty under the id it gave our send.
      const theirs = incoming('v1', 11, { text: 'private words' });
      const [copy] = await store.upsert([theirs]);

      assert.ok(copy);
      assert.match(copy.key, new RegExp(`^${theirs.key}:conflict:[0-9a-f]{16}$`));
      assert.deepEqual(copy, { ...theirs, key: copy.key, conflictOf: ours.key });
      assert.deepEqual(store.get(ours.key), { ...ours, status: 'sent', venueMessageId: 'v1' }, 'the stored message is untouched');
      assert.equal(store.findByVenueMessageId(ACC, CONV, 'v1')?.key, ours.key, 'the id keeps leading to the stored message');
      assert.equal(store.count(ACC, CONV), 2);
      assert.equal(store.recovery.conflicts, 1);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', /repeated its id with a different direction; kept both/);
      assert.ok(!warnings[0]?.includes('private words'), 'no message content in the log');

      assert.deepEqual(await store.upsert([theirs]), [], 'a redelivery lands on the same copy');
      assert.deepEqual(await store.upsert([{ ...theirs, senderName: 'Ann' }]), [{ ...copy, senderName: 'Ann' }], 'and updates it');
      assert.equal(store.count(), 2);
      assert.equal(store.recovery.conflicts, 1);

      store = await reopen(store);
      assert.equal(store.recovery.conflicts, 0, 'nothing is read before it is needed');
      assert.equal(store.count(ACC, CONV), 2);
      assert.equal(store.recovery.conflicts, 1);
      assert.equal(store.get(copy.key)?.direction, 'in');
      assert.equal(store.get(ours.key)?.direction, 'out');
      assert.equal(store.findByVenueMessageId(ACC, CONV, 'v1')?.key, ours.key);
      assert.deepEqual(await store.upsert([theirs]), []);
      assert.equal(store.count(), 2);
    });

    it('keeps a changed text under the same id as a conflict unless the venue marks it an edit or a recall', async () => {
      const store = await openStore();
      const m = incoming('5', 1, { text: 'first' });
      await store.upsert([m]);
      const [copy] = await store.upsert([{ ...m, text: 'second' }]);
      assert.equal(copy?.conflictOf, m.key);
      assert.equal(store.get(m.key)?.text, 'first');
      await store.upsert([{ ...m, text: 'third' }]);
      assert.equal(store.recovery.conflicts, 2, 'each different content is its own copy');

      assert.deepEqual(await store.upsert([{ ...m, text: 'first, edited', edited: true }]), [{ ...m, text: 'first, edited', edited: true }]);
      const [recalled] = await store.upsert([{ ...m, text: '', recalled: true }]);
      assert.equal(recalled?.key, m.key);
      assert.equal(recalled?.recalled, true);
      assert.equal(store.count(), 3);
      assert.equal(store.recovery.conflicts, 2);
    });

    it('takes the venue\'s echo of our own send as the same message even if the venue renders the text differently', async () => {
      const store = await openStore();
      const ours = outgoing('c2', 10, { text: 'hello  there', status: 'sending' });
      await store.upsert([ours, { ...ours, status: 'sent', venueMessageId: 'v2' }]);
      const [merged] = await store.upsert([incoming('v2', 12, { direction: 'out', text: 'hello there' })]);
      assert.equal(merged?.key, ours.key);
      assert.equal(merged?.text, 'hello there');
      assert.equal(store.count(), 1);
      assert.equal(store.recovery.conflicts, 0);
    });

    it('an upsert of a conflict copy itself updates the copy and never merges it by id', async () => {
      const store = await openStore();
      const m = incoming('7', 1);
      await store.upsert([m]);
      const [copy] = await store.upsert([{ ...m, kind: 'image', text: undefined, attachments: [{ kind: 'image', ref: 'x' }] }]);
      assert.ok(copy?.conflictOf);
      const [updated] = await store.upsert([{ ...copy, senderName: 'Zed' }]);
      assert.equal(updated?.key, copy.key);
      assert.deepEqual(store.get(m.key), m);
      assert.equal(store.count(), 2);
    });

    it('compares ids in canonical form: 00123, 123 and " 123 " are one message', async () => {
      let store = await openStore();
      const first = incoming('00123', 1, { text: 'hi' });
      await store.upsert([first]);
      // The same message again, its id sent as a number this time (the adapter's key uses that form).
      const again: ChatMessage = { ...first, key: messageKey('mexc', ACC, CONV, '123'), venueMessageId: '123' };
      assert.deepEqual(await store.upsert([again]), []);
      assert.equal(store.count(), 1);
      for (const id of ['123', ' 123 ', '0123', '00123']) assert.equal(store.findByVenueMessageId(ACC, CONV, id)?.key, first.key, id);
      assert.equal(store.findByVenueMessageId(ACC, CONV, '1230'), undefined);

      const ours = outgoing('0042', 5);
      await store.upsert([ours]);
      assert.equal(store.findByClientMessageId(ACC, CONV, '42')?.key, ours.key);
      const echo = incoming('v9', 6, { direction: 'out', clientMessageId: '42', status: 'sent' });
      const [merged] = await store.upsert([echo]);
      assert.equal(merged?.key, ours.key, 'the echo with the client id in another form merges into our record');
      assert.equal(merged?.clientMessageId, '0042', 'the stored form is kept');
      assert.equal(warnings.length, 0, 'equal ids in two forms are not a conflict');

      store = await reopen(store);
      assert.equal(store.count(), 2);
      assert.equal(store.findByVenueMessageId(ACC, CONV, '123')?.key, first.key);
      assert.equal(store.findByClientMessageId(ACC, CONV, '42')?.key, ours.key);
      assert.equal(store.findByVenueMessageId(ACC, CONV, 'v9')?.key, ours.key);
    });
  });
});
