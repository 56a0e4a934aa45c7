// Counterparty text on VS Code's own surfaces: the inbox tree, the incoming-message nudge (toast or
// status bar) and the Open Conversation quick pick. Run on the real hub with the `vscode` stand-in,
// each surface's strings are read the way VS Code 1.100 reads them: its icon syntax
// (base/browser/ui/iconLabel/iconLabels.ts, on status bar texts and quick pick rows) and its
// notification links (base/common/linkedText.ts, opened with commands allowed). A counterparty must
// get no icon, no link, no markdown tooltip, and no bidi control acting.
import assert from 'node:assert/strict';
import { Redactor } from '../../../src/extension/core/redact';
import type * as InboxTreeModule from '../../../src/extension/host/inboxTree';
import type * as IncomingNotifierModule from '../../../src/extension/host/incomingNotifier';
import type * as NotificationMutesModule from '../../../src/extension/host/notificationMutes';
import { conversationPickItem, iconSafeText, notificationSafeText } from '../../../src/extension/host/untrustedLabels';
import { BIDI_CONTROL_CLASS } from '../../../src/shared/bidiControls';
import { messageKey, type ChatMessage } from '../../../src/shared/model';
import { FakeAdapter, FakeVenueBackend } from '../helpers/fakeVenue';
import { openHubRig, type HubRig } from '../helpers/hubRig';
import { createStandIn, registerStandIn } from '../helpers/vscodeStandIn';

/** VS Code 1.100's notification link syntax (linkedText.ts LINK_REGEX). */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
/** VS Code 1.100's icon syntax as rendered (iconLabels.ts labelWithIconsRegex): group 1 is the escape. */
const ICON = /(\\)?\$\(([a-z0-9-]+(?:~[a-z]+)?)\)/gi;

/** The icons VS Code would draw in `text`. */
function iconsIn(text: string): string[] {
  return [...text.matchAll(ICON)].filter((m) => m[1] === undefined).map((m) => m[2]!);
}

function linksIn(text: string): string[] {
  return [...text.matchAll(NOTIFICATION_LINK)].map((m) => m[2]!);
}

const CONTROL = new RegExp(BIDI_CONTROL_CLASS);

/** Hostile names and texts for these surfaces (the webview tier has the full corpus). */
const HOSTILE = [
  '[Confirm payment](command:workbench.action.terminal.new)',
  '[Open your order](https://evil.example/order "Binance")',
  '[passwd](file:///etc/passwd)',
  '$(verified) Binance support $(check)',
  '$(sync~spin) Releasing…',
  'invoice\u202Efdp.exe',
  '**bold** <b>html</b> <img src=x onerror=alert(1)>',
];

describe('counterparty text on VS Code surfaces (tree, nudges, quick picks)', () => {
  it('iconSafeText and notificationSafeText leave no icon, no link and no acting bidi control, and keep the words', () => {
    for (const text of HOSTILE) {
      const icons = iconSafeText(text);
      assert.deepEqual(iconsIn(icons), [], icons);
      assert.ok(!CONTROL.test(icons), icons);
      const note = notificationSafeText(text);
      assert.deepEqual(linksIn(note), [], note);
      assert.ok(!CONTROL.test(note), note);
    }
    assert.equal(iconSafeText('$(check) Paid'), '\\$(check) Paid', 'VS Code shows an escaped icon as its text');
    assert.equal(notificationSafeText('[Confirm](command:x)'), '[Confirm] (command:x)');
    assert.equal(notificationSafeText('plain words, 10 USDT'), 'plain words, 10 USDT');
  });

  it('a quick pick row shows a counterparty title and subtitle as words, never icons', () => {
    const item = conversationPickItem({ venue: 'bybit', accountId: 'a1', conversationId: 'c1', title: '$(verified) Bybit \u202Etroppus', subtitle: '$(check) paid', lastActivity: 1, unread: 2, active: true }, 'Main');
    for (const text of [item.label, item.description ?? '', item.detail ?? '']) {
      assert.deepEqual(iconsIn(text), [], text);
      assert.ok(!CONTROL.test(text), text);
    }
    assert.equal(item.description, '● 2 · Main');
  });

  describe('with the hub', () => {
    const standIn = createStandIn();
    const window = standIn.module.window as Record<string, unknown>;
    const shown: { toasts: string[]; statusBar: string[] } = { toasts: [], statusBar: [] };
    let unregister: () => void;
    let host: { tree: typeof InboxTreeModule; notifier: typeof IncomingNotifierModule; mutes: typeof NotificationMutesModule };
    let rig: HubRig;
    let adapter: FakeAdapter;

    before(() => {
      unregister = registerStandIn(standIn.module);
      // What VS Code would be asked to show, as it would be asked.
      window.showInformationMessage = (message: string) => {
        shown.toasts.push(message);
        return Promise.resolve(undefined);
      };
      window.setStatusBarMessage = (text: string) => {
        shown.statusBar.push(text);
        return { dispose: () => undefined };
      };
      /* eslint-disable @typescript-eslint/no-require-imports */
      host = {
        tree: require('../../../src/extension/host/inboxTree') as typeof InboxTreeModule,
        notifier: require('../../../src/extension/host/incomingNotifier') as typeof IncomingNotifierModule,
        mutes: require('../../../src/extension/host/notificationMutes') as typeof NotificationMutesModule,
      };
      /* eslint-enable @typescript-eslint/no-require-imports */
    });
    after(() => unregister());

    beforeEach(async () => {
      rig = await openHubRig();
      adapter = new FakeAdapter(new FakeVenueBackend(), { accountId: 'a1' });
      await rig.hub.addAccount({ id: 'a1', venue: 'bybit', label: 'Bybit main' }, adapter);
      HOSTILE.forEach((title, i) => adapter.announce(`c${i}`, title));
      await rig.hub.settled();
    });
    afterEach(() => rig.close());

    it('the tree shows hostile titles and previews as plain strings: no markdown tooltip, bidi controls revealed', async () => {
      const context = standIn.context({ storageDir: rig.dir, extensionDir: rig.dir });
      const mutes = new host.mutes.NotificationMutes(context.globalState as ConstructorParameters<typeof NotificationMutesModule.NotificationMutes>[0]);
      const tree = new host.tree.InboxTreeProvider(rig.hub, new Redactor(), mutes);
      try {
        const nodes = tree.getChildren({ kind: 'account', accountId: 'a1' });
        assert.equal(nodes.length, HOSTILE.length);
        for (const node of nodes) {
          const item = tree.getTreeItem(node) as unknown as { label: string; description?: string; tooltip?: unknown };
          assert.equal(typeof item.tooltip, 'string', 'a plain-string tooltip: markdown (and its links) never comes from counterparty text');
          for (const text of [item.label, item.description ?? '', item.tooltip as string]) assert.ok(!CONTROL.test(text), text);
          assert.ok(HOSTILE.some((h) => item.label === h.replace('\u202E', '⟨RLO⟩')), item.label);
        }
      } finally {
        tree.dispose();
        mutes.dispose();
      }
    });

    it('a nudge about a hostile message has no link in the toast and no icon in the status bar', async () => {
      const context = standIn.context({ storageDir: rig.dir, extensionDir: rig.dir });
      const mutes = new host.mutes.NotificationMutes(context.globalState as ConstructorParameters<typeof NotificationMutesModule.NotificationMutes>[0]);
      let focused = false;
      const notifier = new host.notifier.IncomingNotifier({ hub: rig.hub, mutes, open: () => undefined, paneFocused: () => focused });
      try {
        const deliver = (conversationId: string, text: string): void => {
          const message: ChatMessage = { key: messageKey('bybit', 'a1', conversationId, `m-${conversationId}`), venue: 'bybit', accountId: 'a1', conversationId, venueMessageId: `m-${conversationId}`, direction: 'in', kind: 'text', text, senderName: text, time: Date.now() };
          adapter.emit({ type: 'messages', messages: [message], source: 'live' });
        };
        HOSTILE.forEach((text, i) => deliver(`c${i}`, text));
        await rig.hub.settled();
        await new Promise((r) => setTimeout(r, 900)); // a burst is announced 600 ms after it starts
        assert.equal(shown.toasts.length, HOSTILE.length);
        for (const toast of shown.toasts) {
          assert.deepEqual(linksIn(toast), [], toast);
          assert.ok(!CONTROL.test(toast), toast);
        }
        assert.ok(shown.toasts.some((t) => t.includes('[Confirm payment] (command:workbench.action.terminal.new)')), 'the words stay, as words');
        focused = true;
        HOSTILE.forEach((text, i) => deliver(`d${i}`, text));
        HOSTILE.forEach((title, i) => adapter.announce(`d${i}`, title));
        await rig.hub.settled();
        await new Promise((r) => setTimeout(r, 900));
        assert.equal(shown.statusBar.length, HOSTILE.length);
        for (const text of shown.statusBar) {
          assert.deepEqual(iconsIn(text), ['comment'], `only the nudge's own icon: ${text}`);
          assert.ok(!CONTROL.test(text), text);
        }
      } finally {
        notifier.dispose();
        mutes.dispose();
      }
    });
  });
});
