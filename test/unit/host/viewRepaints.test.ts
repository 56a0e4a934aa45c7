// The status bar item and the tree's badge are set only when what they show changes: each set is a
// round trip to the workbench and a repaint. Run on the real hub with the `vscode` stand-in.
import assert from 'node:assert/strict';
import { Redactor } from '../../../src/extension/core/redact';
import type * as InboxTreeModule from '../../../src/extension/host/inboxTree';
import type * as NotificationMutesModule from '../../../src/extension/host/notificationMutes';
import type * as StatusBarModule from '../../../src/extension/host/statusBar';
import { FakeAdapter, FakeVenueBackend } from '../helpers/fakeVenue';
import { openHubRig, type HubRig } from '../helpers/hubRig';
import { createStandIn, registerStandIn } from '../helpers/vscodeStandIn';

describe('host views repaint only for a change they show', () => {
  const standIn = createStandIn();
  let unregister: () => void;
  let host: { statusBar: typeof StatusBarModule; inboxTree: typeof InboxTreeModule; mutes: typeof NotificationMutesModule };
  let rig: HubRig;
  let backend: FakeVenueBackend;
  let adapter: FakeAdapter;
  const settle = async () => {
    await rig.hub.settled();
    await new Promise((r) => setTimeout(r, 80)); // the tree coalesces repaints over 50 ms
  };

  before(() => {
    unregister = registerStandIn(standIn.module);
    // Required after the stand-in is registered: these modules import 'vscode' when they load.
    /* eslint-disable @typescript-eslint/no-require-imports */
    host = {
      statusBar: require('../../../src/extension/host/statusBar') as typeof StatusBarModule,
      inboxTree: require('../../../src/extension/host/inboxTree') as typeof InboxTreeModule,
      mutes: require('../../../src/extension/host/notificationMutes') as typeof NotificationMutesModule,
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  });
  after(() => unregister());

  beforeEach(async () => {
    rig = await openHubRig();
    backend = new FakeVenueBackend();
    adapter = new FakeAdapter(backend, { accountId: 'a1' });
    await rig.hub.addAccount({ id: 'a1', venue: 'bybit', label: 'Bybit main' }, adapter);
    adapter.announce('c1', 'Chat 1');
    await settle();
  });
  afterEach(() => rig.close());

  it('status bar: a renamed conversation sets nothing; a new unread count repaints it', async () => {
    const bar = new host.statusBar.StatusBarIndicator(rig.hub, new Redactor());
    try {
      const shown = standIn.activity.statusBarSets;
      assert.ok(shown > 0, 'the first update shows the item');
      adapter.announce('c1', 'Chat 1, renamed');
      await settle();
      bar.update();
      assert.equal(standIn.activity.statusBarSets, shown, 'same counts, states and names: nothing set');
      backend.unread.set('c1', 2);
      adapter.announce('c1', 'Chat 1, renamed');
      await settle();
      assert.ok(standIn.activity.statusBarSets > shown, 'the unread total changed: repainted');
    } finally {
      bar.dispose();
    }
  });

  it('tree: the badge is set only when the unread total changes', async () => {
    const context = standIn.context({ storageDir: rig.dir, extensionDir: rig.dir });
    const mutes = new host.mutes.NotificationMutes(context.globalState as ConstructorParameters<typeof NotificationMutesModule.NotificationMutes>[0]);
    const tree = new host.inboxTree.InboxTreeProvider(rig.hub, new Redactor(), mutes);
    try {
      const badges = standIn.activity.badgeSets;
      const refreshes = standIn.activity.treeRefreshes;
      adapter.announce('c1', 'Chat 1, renamed');
      await settle();
      assert.equal(standIn.activity.treeRefreshes, refreshes + 1, 'the title shows in the tree');
      assert.equal(standIn.activity.badgeSets, badges, 'the total did not change');
      backend.unread.set('c1', 3);
      adapter.announce('c1', 'Chat 1, renamed');
      await settle();
      assert.equal(standIn.activity.badgeSets, badges + 1);
    } finally {
      tree.dispose();
      mutes.dispose();
    }
  });
});
