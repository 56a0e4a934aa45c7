// Where the build put the shipped bundles (dist/extension.js, dist/venues/, dist/lib/), for tests
// that load them the way the extension host does. `node esbuild.mjs` builds them with the tests.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository's dist/ folder, found from this test bundle's place under dist/test/. */
export function distDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'dist', 'extension.js'))) return join(dir, 'dist');
  }
  throw new Error(`no dist/extension.js above ${__dirname}: run node esbuild.mjs first`);
}

/** dist/venues: one bundle per venue. */
export function venueBundleDir(): string {
  return join(distDir(), 'venues');
}
