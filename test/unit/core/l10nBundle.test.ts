// The l10n bundle (issue 13, part 5): package.json names the folder, the folder's English bundle is
// exactly what the sources ask to translate (so a translator's file can be made from it and none of
// its keys is stale), and the packaged extension carries it.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';

const root = join(__dirname, '..', '..', '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out.push(...sourcesUnder(path));
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

describe('l10n bundle', function () {
  this.timeout(60000);
  const manifest = JSON.parse(read('package.json')) as { l10n?: string };

  it('is declared in package.json and shipped in the .vsix', () => {
    assert.equal(manifest.l10n, './l10n');
    assert.match(read('.vscodeignore'), /^!l10n\/\*\.json$/m);
  });

  it('holds exactly the strings the sources translate (run `npm run l10n` after changing one)', async () => {
    const files = sourcesUnder('src').map((path) => ({ extension: '.ts', contents: read(path) }));
    const extracted = await getL10nJson(files);
    const committed = JSON.parse(read('l10n/bundle.l10n.json')) as Record<string, unknown>;
    const missing = Object.keys(extracted).filter((key) => !(key in committed));
    const stale = Object.keys(committed).filter((key) => !(key in extracted));
    assert.deepEqual({ missing, stale }, { missing: [], stale: [] });
    assert.deepEqual(committed, extracted, 'the same texts and comments');
    assert.ok(Object.keys(committed).length > 150, `the bundle has the extension's texts (${Object.keys(committed).length})`);
  });
});
