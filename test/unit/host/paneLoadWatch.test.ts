// A chat pane whose page never loads (VS Code web can leave a new webview's frame blank for good) is
// closed and opened again where it was, once; a second blank page is reported, not reopened without
// end; a page that loads, or a pane that is hidden, is left alone. The real ChatPanels and ChatPanel
// on the real hub, with the `vscode` stand-in's webview panels (their pages post what a test says).
import assert from 'node:assert/strict';
import { Redactor } from '../../../src/extension/core/redact';
import type { Logger } from '../../../src/extension/core/logger';
import type * as ChatPanelsModule from '../../../src/extension/host/chatPanels';
import type { ChatPanelDeps } from '../../../src/extension/host/chatPanel';
import { FakeAdapter, FakeVenueBackend } from '../helpers/fakeVenue';
import { openHubRig, type HubRig } from '../helpers/hubRig';
import { until } from '../helpers/until';
import { createStandIn, registerStandIn, type StandInPanel } from '../helpers/vscodeStandIn';

const LOAD_TIMEOUT_MS = 400;
const target = { accountId: 'a1', conversationId: 'c1' };
const ready = { id: 1, method: 'webview/ready', params: {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chat panes whose page never loads', () => {
  const standIn = createStandIn();
  let unregister: () => void;
  let chatPanels: typeof ChatPanelsModule;
  let rig: HubRig;
  let panels: ChatPanelsModule.ChatPanels;
  let deps: ChatPanelDeps;
  const lines: { level: 'warn' | 'error'; text: string }[] = [];
  const logger: Logger = {
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (text) => void lines.push({ level: 'warn', text }),
    error: (text) => void lines.push({ level: 'error', text: String(text) }),
  };
  const made = (): StandInPanel[] => standIn.panels.slice(firstIndex);
  let firstIndex = 0;

  before(() => {
    unregister = registerStandIn(standIn.module);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    chatPanels = require('../../../src/extension/host/chatPanels') as typeof ChatPanelsModule;
  });
  after(() => unregister());

  beforeEach(async () => {
    lines.length = 0;
    firstIndex = standIn.panels.length;
    rig = await openHubRig();
    const adapter = new FakeAdapter(new FakeVenueBackend(), { accountId: 'a1' });
    await rig.hub.addAccount({ id: 'a1', venue: 'bybit', label: 'Bybit main' }, adapter);
    adapter.announce('c1', 'Chat 1');
    await rig.hub.settled();
    const vscode = standIn.module as { Uri: { file(path: string): unknown } };
    deps = {
      hub: rig.hub,
      extensionUri: vscode.Uri.file(rig.dir),
      logger,
      redactor: new Redactor(),
      drafts: { get: () => undefined, update: () => Promise.resolve(), keys: () => [] },
      uploader: {},
      downloads: { onProgress: () => ({ dispose: () => undefined }) },
      mediaOrigins: () => [],
      loadTimeoutMs: LOAD_TIMEOUT_MS,
    } as unknown as ChatPanelDeps;
    panels = new chatPanels.ChatPanels(deps);
  });
  afterEach(async () => {
    panels.dispose();
    await rig.close();
  });

  it('opens a pane again, in its column and with its focus, when its page says nothing', async () => {
    panels.open(target, false, 2);
    const [first] = made();
    assert.ok(first && !first.disposed);
    await until(() => made().length === 2, 5000, 'the pane opened again');
    const [, second] = made();
    assert.equal(first.disposed, true, 'the blank pane is closed');
    assert.ok(second, 'and opened anew');
    assert.equal(second.viewColumn, 2, 'where it was');
    assert.equal(second.active, true, 'with the focus it had');
    assert.equal(panels.get(target)?.panel, second as unknown, 'the conversation\'s pane is the new one');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!.text, /a1\/c1: the page did not load within 0\.4 s .*opening the pane again/);
    assert.equal(lines[0]!.level, 'warn');

    // The new page loads: it gets its snapshot, and nothing more is reopened.
    second.say(ready);
    assert.equal(lines.length, 1, 'the new pane had not timed out yet');
    await sleep(LOAD_TIMEOUT_MS * 2);
    assert.equal(made().length, 2);
    assert.equal(second.disposed, false);
    assert.ok(second.posted.some((m) => (m as { method?: string }).method === 'conversation/snapshot'), 'the loaded page got its snapshot');
  });

  it('reports a pane that stays blank when opened again, and opens it no more', async () => {
    const notified = standIn.activity.notifications;
    panels.open(target, true);
    await until(() => made().length === 2, 5000, 'the pane opened again');
    assert.equal(made()[1]!.active, false, 'a pane opened without focus is opened again without it');
    await until(() => lines.length === 2, 5000, 'the second blank page reported');
    await sleep(LOAD_TIMEOUT_MS * 2);
    assert.equal(made().length, 2, 'not a third time');
    assert.equal(made()[1]!.disposed, false, 'the second pane stays for the user to close');
    assert.equal(standIn.activity.notifications, notified + 1, 'the user is told');
    assert.deepEqual(lines.map((l) => l.level), ['warn', 'error']);
  });

  it('waits again for a page shown anew, and not for a loaded page that only lost or took focus', async () => {
    panels.open(target);
    const pane = made()[0]!;
    pane.say(ready);
    pane.setViewState(true, false); // focus moved away: the page stays loaded
    pane.setViewState(true, true);
    await sleep(LOAD_TIMEOUT_MS * 2);
    assert.equal(made().length, 1, 'a loaded page is not waited for again');
    pane.setViewState(false, false); // hidden: the webview is torn down
    pane.setViewState(true, true); // shown: a new page, which says nothing
    await until(() => made().length === 2, 5000, 'the pane shown anew opened again');
    assert.equal(pane.disposed, true);
  });

  it('leaves a pane whose page loads, and a pane hidden before its page could load', async () => {
    panels.open(target);
    made()[0]!.say(ready);
    await sleep(LOAD_TIMEOUT_MS * 2);
    assert.equal(made().length, 1);
    assert.equal(made()[0]!.disposed, false);
    panels.dispose();

    panels = new chatPanels.ChatPanels(deps);
    panels.open(target);
    const hidden = made()[1]!;
    hidden.visible = false;
    await sleep(LOAD_TIMEOUT_MS * 2);
    assert.equal(made().length, 2, 'a hidden pane has no page to wait for');
    assert.equal(hidden.disposed, false);
    assert.deepEqual(lines, []);
  });
});
