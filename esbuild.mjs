// Builds the shipped bundles: extension host (Node, `vscode` external) with one bundle per venue and
// the shared libraries beside it (docs/architecture.md, Processes and bundles), webview (browser),
// sandbox (Node). Test bundles are built too so mocha and the VS Code integration suite run the
// same code as production.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTests = !production || process.argv.includes('--tests');
// `--only=sandbox,webview` builds just those bundles (names: extension, venues, libs, webview, sandbox, unit, webviewTests, chaos, integration).
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
// `--out=<dir>` writes the shipped bundles there instead of dist/ (the activation bench builds a production copy).
const out = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? 'dist';

function filesUnder(dir, suffix) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, suffix));
    else if (full.endsWith(suffix)) out.push(full);
  }
  return out;
}

const common = {
  bundle: true,
  // Node's own FormData instead of the `form-data` package axios imports (see nativeFormData.ts).
  alias: { 'form-data': './src/extension/core/connection/nativeFormData.ts' },
  sourcemap: true,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

// Libraries the main bundle and the venue bundles share: each is bundled once, into
// dist/lib/<name>.js, and required from there by a relative path (the .vsix has no node_modules).
// The main bundle requires axios only on first use; ws only the venue bundles use. zod is the
// subset the code uses (src/extension/lib/zodSubset.ts), not the whole package.
// @vscode/l10n is shared so the one copy the host configures with the display language's bundle
// (l10nSetup.ts) is the copy the venue bundles translate their texts with.
const SHARED_LIBS = { axios: 'axios', ws: 'ws', zod: './src/extension/lib/zodSubset.ts', l10n: '@vscode/l10n' };
/** The import specifier each shared library is imported by in the sources. */
const SHARED_SPECIFIERS = { axios: 'axios', ws: 'ws', zod: 'zod', '@vscode/l10n': 'l10n' };
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const sharedLibs = (fromBundleDir) => ({
  name: 'shared-libs',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${Object.keys(SHARED_SPECIFIERS).map(escapeRegExp).join('|')})$`) }, (args) => ({ path: `${fromBundleDir}lib/${SHARED_SPECIFIERS[args.path]}.js`, external: true }));
  },
});

// Every venue folder with a module.ts is a venue bundle: dist/venues/<venue>.js, loaded by the
// registry (venues/registry.ts) when the first account of that venue needs it.
const venueIds = readdirSync('src/extension/venues').filter((name) => existsSync(join('src/extension/venues', name, 'module.ts')));

const builds = [
  { ...common, name: 'extension', entryPoints: ['src/extension/extension.ts'], outfile: `${out}/extension.js`, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], plugins: [sharedLibs('./')] },
  {
    ...common, name: 'venues',
    entryPoints: Object.fromEntries(venueIds.map((id) => [id, `src/extension/venues/${id}/module.ts`])), outdir: `${out}/venues`,
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], plugins: [sharedLibs('../')],
  },
  { ...common, name: 'libs', entryPoints: SHARED_LIBS, outdir: `${out}/lib`, platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, name: 'webview', entryPoints: ['src/webview/main.ts'], outfile: `${out}/webview.js`, platform: 'browser', format: 'iife', target: 'es2022' },
  // The bench and its probe (the child process the activation and idle benches load the production bundle in).
  { ...common, name: 'bench', minify: false, entryPoints: { bench: 'bench/main.ts', benchProbe: 'bench/probe.ts' }, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20', external: ['playwright-core'] },
  { ...common, name: 'sandbox', entryPoints: ['sandbox/main.ts'], outfile: `${out}/sandbox.js`, platform: 'node', format: 'cjs', target: 'node20' },
];

if (withTests) {
  builds.push({
    ...common, minify: false, name: 'unit',
    entryPoints: filesUnder('test/unit', '.test.ts'), outdir: 'dist/test/unit', outbase: 'test/unit',
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'mocha', 'playwright-core', '@vscode/l10n-dev'],
  });
  builds.push({
    ...common, minify: false, name: 'webviewTests',
    entryPoints: filesUnder('test/webview', '.test.ts'), outdir: 'dist/test/webview', outbase: 'test/webview',
    platform: 'node', format: 'cjs', target: 'node20', external: ['mocha', 'playwright-core'],
  });
  // The chaos soak (`npm run chaos`): one bundle, which is also its desk process (--desk); it loads
  // the production venue bundles from dist/venues, so it builds into dist/ beside them.
  builds.push({
    ...common, minify: false, name: 'chaos',
    entryPoints: { chaos: 'test/chaos/main.ts' }, outdir: 'dist',
    platform: 'node', format: 'cjs', target: 'node20',
  });
  builds.push({
    ...common, minify: false, name: 'integration',
    entryPoints: ['test/integration/suite/index.ts'], outfile: 'dist/test/integration/suite/index.js',
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'mocha'],
  });
}

const selected = builds
  // The bench bundle is built only on request (`npm run bench`).
  .filter((b) => (only ? only.includes(b.name) : b.name !== 'bench'))
  // Skip test bundles whose folder has no tests yet (esbuild rejects an empty entry list).
  .filter((b) => !Array.isArray(b.entryPoints) || b.entryPoints.length > 0)
  .map(({ name: _name, ...options }) => options);

if (watch) {
  const contexts = await Promise.all(selected.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching for changes');
} else {
  await Promise.all(selected.map((b) => esbuild.build(b)));
}
