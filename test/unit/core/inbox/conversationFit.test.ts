// A counterparty's nickname becomes a conversation's title. One too long for the pane and the saved
// list (conversationValidator.ts) is cut by the hub before it keeps the conversation, and reported,
// so the conversation stays readable everywhere instead of being refused by the pane.
import assert from 'node:assert/strict';
import type { BadInputEvent } from '../../../../src/extension/core/inbox/inboxHub';
import { conversationProblem } from '../../../../src/shared/conversationValidator';
import { FakeAdapter, FakeVenueBackend } from '../../helpers/fakeVenue';
import { openHubRig, type HubRig } from '../../helpers/hubRig';

describe('inbox hub: over-long conversation titles', () => {
  let rig: HubRig;
  afterEach(() => rig.close());

  it('keeps a conversation whose counterparty named itself with 100,000 characters, its title cut and reported', async () => {
    rig = await openHubRig();
    const adapter = new FakeAdapter(new FakeVenueBackend(), { accountId: 'a1' });
    const reports: BadInputEvent[] = [];
    rig.hub.onBadInput((e) => reports.push(e));
    await rig.hub.addAccount({ id: 'a1', venue: 'bybit', label: 'Bybit main' }, adapter);
    adapter.announce('c1', 'A'.repeat(100_000));
    await rig.hub.settled();
    const kept = rig.hub.conversation('a1', 'c1');
    assert.ok(kept);
    assert.equal(kept.title, 'A'.repeat(8192));
    assert.equal(conversationProblem(kept), undefined, 'the pane and the saved list accept it');
    assert.equal(reports.length, 1);
    assert.match(reports[0]!.detail, /title cut from 100000 chars/);
  });
});
