// Batches reach the store in the order their messages were said, whichever way round the venue
// handed them over and however coarse its clock: found by the chaos soak, where a Bybit history page
// of three messages stamped in one millisecond was stored (and shown) newest first.
import assert from 'node:assert/strict';
import { saidOrder } from '../../../../src/extension/core/inbox/saidOrder';
import { openHubRig, type HubRig } from '../../helpers/hubRig';
import { FakeAdapter, FakeVenueBackend } from '../../helpers/fakeVenue';
import type { ChatMessage } from '../../../../src/shared/model';
import { until } from '../../helpers/until';

const at = (time: number, venueMessageId?: string) => ({ time, ...(venueMessageId !== undefined ? { venueMessageId } : {}) });
const ids = (batch: readonly { venueMessageId?: string }[]) => batch.map((m) => m.venueMessageId);

describe('saidOrder', () => {
  it('turns a newest-first page, so equal times keep the venue order', () => {
    assert.deepEqual(ids(saidOrder([at(30, 'c'), at(20, 'b2'), at(20, 'b1'), at(10, 'a')])), ['a', 'b1', 'b2', 'c']);
  });

  it('leaves an oldest-first batch as it is, equal times included', () => {
    const batch = [at(10, 'x'), at(20, 'y'), at(20, 'z')];
    assert.deepEqual(ids(saidOrder(batch)), ['x', 'y', 'z']);
  });

  it('puts equal times in the order of the venue numbers, however long', () => {
    const batch = [at(5, '3000835311'), at(5, '3000835310'), at(5, '3000835309'), at(5, '99999999999999999999999')];
    assert.deepEqual(ids(saidOrder(batch)), ['3000835309', '3000835310', '3000835311', '99999999999999999999999']);
  });

  it('sorts a mixed batch by time, and returns a strictly rising one untouched', () => {
    assert.deepEqual(ids(saidOrder([at(10, 'a'), at(30, 'c'), at(20, 'b')])), ['a', 'b', 'c']);
    const rising = [at(1), at(2), at(3)];
    assert.equal(saidOrder(rising), rising);
  });
});

describe('inbox hub: a newest-first batch with equal times is stored in said order', () => {
  let rig: HubRig;
  beforeEach(async () => {
    rig = await openHubRig();
  });
  afterEach(() => rig.close());

  it('three messages of one millisecond, handed over newest first, read oldest first', async () => {
    const venue = new FakeAdapter(new FakeVenueBackend(), { accountId: 'acc' });
    await rig.hub.addAccount({ id: 'acc', venue: 'bybit', label: 'A' }, venue);
    const message = (id: string, text: string): ChatMessage => ({ key: `bybit:acc:c1:${id}`, venue: 'bybit', accountId: 'acc', conversationId: 'c1', venueMessageId: id, direction: 'in', kind: 'text', text, time: 1_700_000_000_000 });
    venue.emit({ type: 'messages', source: 'backfill', messages: [message('17', 'third'), message('16', 'second'), message('15', 'first')] });
    await until(() => rig.stored('acc', 'c1').length === 3);
    assert.deepEqual(rig.stored('acc', 'c1').map((m) => m.text), ['first', 'second', 'third']);
  });
});
