// What the built extension (dist/extension.js) loads, run the way the extension host runs it
// (`require`, then `activate(context)`) with the `vscode` stand-in: activation loads no venue code
// and no shared library; adding an account loads that venue's bundle and nothing of the others.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { distDir } from '../helpers/distBundles';
import { until } from '../helpers/until';
import { createStandIn, registerStandIn } from '../helpers/vscodeStandIn';

interface Api {
  accounts(): { id: string; venue: string; state: { kind: string } }[];
  settled(): Promise<void>;
}

describe('activation loads venue code only for the accounts that need it', function () {
  this.timeout(60_000);
  const dist = distDir();
  const load = createRequire(join(dist, 'extension.js'));
  /** Shipped files (not tests) in this process's require cache, relative to dist/. */
  const shippedInCache = () =>
    Object.keys(load.cache)
      .filter((f) => f.startsWith(dist) && !relative(dist, f).startsWith('test'))
      .map((f) => relative(dist, f).split('\\').join('/'))
      .sort();

  let sandbox: Sandbox;
  let storage: string;
  let unregister: () => void;
  let subscriptions: { dispose(): unknown }[];
  let api: Api;
  const standIn = createStandIn();

  before(async () => {
    sandbox = await startSandbox({ counterparty: false });
    storage = await mkdtemp(join(tmpdir(), 'venue-chat-activation-'));
    // Other tests in this process may have loaded venue bundles: start from none of the shipped files.
    for (const f of Object.keys(load.cache)) if (f.startsWith(dist) && !relative(dist, f).startsWith('test')) delete load.cache[f];
    unregister = registerStandIn(standIn.module);
  });

  after(async () => {
    for (const d of subscriptions?.reverse() ?? []) d.dispose();
    unregister?.();
    await sandbox?.close();
    await rm(storage, { recursive: true, force: true });
  });

  it('activates with no accounts loading dist/extension.js and the l10n library alone: no venue bundle, no axios, ws or zod', async () => {
    const context = standIn.context({ storageDir: storage, extensionDir: join(dist, '..') });
    subscriptions = context.subscriptions as { dispose(): unknown }[];
    const extension = load(join(dist, 'extension.js')) as { activate(context: unknown): Promise<Api> };
    api = await extension.activate(context);
    assert.deepEqual(api.accounts(), []);
    // lib/l10n.js: l10nSetup configures the one @vscode/l10n the host, core and venue bundles share.
    assert.deepEqual(shippedInCache(), ['extension.js', 'lib/l10n.js']);
  });

  it('adding a MEXC account loads dist/venues/mexc.js and its libraries, and no other venue', async () => {
    const account = sandbox.venue('mexc').accounts()[0]!;
    await standIn.executeCommand('venueChat.addAccount', {
      venue: 'mexc',
      label: 'MEXC sandbox',
      credentials: account.credentials,
      endpoints: account.endpoints,
    });
    await until(() => api.accounts().some((a) => a.venue === 'mexc' && a.state.kind === 'online'), 30_000, 'the MEXC account online');
    const loaded = shippedInCache();
    assert.deepEqual(loaded.filter((f) => f.startsWith('venues/')), ['venues/mexc.js']);
    assert.ok(loaded.includes('lib/axios.js') && loaded.includes('lib/ws.js'), loaded.join(', '));
  });
});
