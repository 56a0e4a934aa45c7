// Builds the three bundles: extension host (Node, `vscode` external), webview (browser), sandbox (Node).
// Test bundles are built too so mocha and the VS Code integration suite run the same code as production.
import * as esbuild from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTests = !production || process.argv.includes('--tests');

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
  sourcemap: true,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
  { ...common, entryPoints: ['sandbox/main.ts'], outfile: 'dist/sandbox.js', platform: 'node', format: 'cjs', target: 'node20' },
];

if (withTests) {
  builds.push({
    ...common, minify: false,
    entryPoints: filesUnder('test/unit', '.test.ts'), outdir: 'dist/test/unit', outbase: 'test/unit',
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'mocha', 'playwright-core'],
  });
  builds.push({
    ...common, minify: false,
    entryPoints: ['test/integration/suite/index.ts'], outfile: 'dist/test/integration/suite/index.js',
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'],
  });
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching for changes');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
