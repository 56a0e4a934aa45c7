import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { HttpRequestError } from '../../../src/extension/core/connection/httpFailure';
import { Redactor } from '../../../src/extension/core/redact';
import type { AdapterContext } from '../../../src/extension/venues/descriptor';
import { VenueLoader } from '../../../src/extension/venues/registry';
import { isVenueError, VenueError } from '../../../src/extension/venues/venue';
import type { VenueModule } from '../../../src/extension/venues/venueModule';
import type { VenueId } from '../../../src/shared/model';
import { distDir, venueBundleDir } from '../helpers/distBundles';

const ctx: AdapterContext = {
  accountId: 'acc-1',
  credentials: { apiKey: 'mx0vglAbCdEfGhIjKlMnOpQrStUvWxYz01', secretKey: '45d0b3c26f2644f19bfb98b07741b2f5' },
  // Port 1 on loopback: nothing listens, the connection is refused before anything is sent.
  endpoints: { rest: 'http://127.0.0.1:1', ws: 'ws://127.0.0.1:1/ws' },
  settings: {},
  state: { get: () => undefined, set: async () => undefined, delete: async () => undefined },
  redactor: new Redactor(),
  options: {},
};

function fakeModule(venue: VenueId): { venueModule: VenueModule } {
  return { venueModule: { venue, createAdapter: () => ({ venue }) as never } };
}

describe('venue loader', () => {
  it('loads a venue module on first need only, once, and says which it loaded', () => {
    const asked: VenueId[] = [];
    const loader = new VenueLoader((venue) => (asked.push(venue), fakeModule(venue)));
    assert.deepEqual(loader.loaded(), []);
    assert.deepEqual(asked, []);
    loader.createAdapter('bybit', ctx);
    loader.createAdapter('bybit', ctx);
    loader.module('mixin');
    assert.deepEqual(asked, ['bybit', 'mixin']);
    assert.deepEqual(loader.loaded(), ['bybit', 'mixin']);
  });

  it('refuses a file that is not the venue module it should be, and says what failed to load', () => {
    const wrongVenue = new VenueLoader(() => fakeModule('mexc'));
    assert.throws(() => wrongVenue.module('binance'), /Binance C2C code is not what this version/);
    const noFactory = new VenueLoader(() => ({ venueModule: { venue: 'mexc' } }));
    assert.throws(() => noFactory.module('mexc'), /MEXC P2P code is not what this version/);
    const missing = new VenueLoader(() => {
      throw new Error("Cannot find module '/x/dist/venues/mixin.js'");
    });
    assert.throws(() => missing.module('mixin'), /Mixin Messenger bot code could not be loaded .*Cannot find module/);
    assert.deepEqual(missing.loaded(), []);
  });

  it('lists the values of a discoverable setting through the venue module, and refuses a venue without them', async () => {
    const loader = new VenueLoader((venue) => ({ venueModule: { ...fakeModule(venue).venueModule, discoverSetting: async (key: string) => [{ value: `${venue}:${key}`, label: 'one' }] } }));
    assert.deepEqual(await loader.discoverSetting('multiwa', 'profileId', ctx), [{ value: 'multiwa:profileId', label: 'one' }]);
    const without = new VenueLoader(fakeModule);
    await assert.rejects(without.discoverSetting('mexc', 'profileId', ctx), /lists no values/);
  });

  it('recognises errors made by a venue bundle as the core\'s VenueError and HttpRequestError', async () => {
    const loader = VenueLoader.fromDirectory(venueBundleDir());
    let thrown: unknown;
    try {
      loader.createAdapter('binance', { ...ctx, credentials: { apiKey: 'only-a-key' } });
    } catch (err) {
      thrown = err;
    }
    // Another copy of the class (the bundle's own), yet the core's checks hold.
    assert.ok(thrown instanceof Error && Object.getPrototypeOf(thrown) !== VenueError.prototype, 'the error comes from the venue bundle');
    assert.ok(thrown instanceof VenueError && isVenueError(thrown) && thrown.kind === 'auth');

    const adapter = loader.createAdapter('mexc', ctx);
    try {
      await assert.rejects(adapter.verify(), (err: unknown) => {
        assert.ok(err instanceof Error && Object.getPrototypeOf(err) !== HttpRequestError.prototype);
        assert.ok(err instanceof HttpRequestError, 'a refused connection is an HttpRequestError');
        assert.ok(err instanceof VenueError && err.kind === 'unavailable' && err.mayHaveLeft === false);
        return true;
      });
    } finally {
      adapter.dispose();
    }
  });

  it('each venue bundle loads only itself and the shared libraries it uses', () => {
    const dist = distDir();
    const expected: Record<VenueId, string[]> = {
      // lib/l10n.js: every venue's error texts go through the one @vscode/l10n the host configures.
      mexc: ['lib/axios.js', 'lib/l10n.js', 'lib/ws.js', 'lib/zod.js', 'venues/mexc.js'],
      binance: ['lib/axios.js', 'lib/l10n.js', 'lib/ws.js', 'lib/zod.js', 'venues/binance.js'],
      bybit: ['lib/axios.js', 'lib/l10n.js', 'lib/zod.js', 'venues/bybit.js'],
      multiwa: ['lib/axios.js', 'lib/l10n.js', 'lib/ws.js', 'lib/zod.js', 'venues/multiwa.js'],
      mixin: ['lib/axios.js', 'lib/l10n.js', 'lib/ws.js', 'lib/zod.js', 'venues/mixin.js'],
    };
    for (const [venue, files] of Object.entries(expected)) {
      // A fresh process: this one's require cache holds whatever other tests loaded.
      const script = `require(${JSON.stringify(join(dist, 'venues', `${venue}.js`))}); console.log(JSON.stringify(Object.keys(require.cache)))`;
      const loaded = (JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[]).map((f) => relative(dist, f).split('\\').join('/')).sort();
      assert.deepEqual(loaded, files, venue);
    }
  });
});
