import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as zod from 'zod';
import * as subset from '../../../src/extension/lib/zodSubset';
import { distDir } from '../helpers/distBundles';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

// The shipped bundles take zod from dist/lib/zod.js, built from zodSubset.ts; the tests bundle all
// of zod. A zod function used in src/ but missing from the subset would be undefined only in the
// shipped extension, so this checks the source against the subset.
describe('the shared zod subset', () => {
  it('exports every zod value the extension code uses', () => {
    const used = new Set<string>();
    for (const file of tsFiles(join(distDir(), '..', 'src'))) {
      // `z.output<...>`, `z.infer<...>`: type arguments mean a type, nothing at run time.
      for (const m of readFileSync(file, 'utf8').matchAll(/\bz\.([A-Za-z_$][\w$]*)(?![\w$]|\s*<)/g)) used.add(m[1]!);
    }
    assert.ok(used.has('object') && used.has('string'), 'the scan finds zod uses');
    // Type-only names that are no runtime exports of zod (z.ZodSafeParseResult) need nothing shipped.
    const values = [...used].filter((name) => name in zod);
    const missing = values.filter((name) => !(name in subset));
    assert.deepEqual(missing, [], `add to src/extension/lib/zodSubset.ts: ${missing.join(', ')}`);
  });

  it('behaves like zod for what it exports', () => {
    const schema = subset.object({ id: subset.string().min(1), n: subset.number().optional(), kind: subset.enum(['a', 'b']) });
    assert.ok(schema.safeParse({ id: 'x', kind: 'a' }).success);
    const bad = schema.safeParse({ id: '', kind: 'c' });
    assert.ok(!bad.success);
    assert.match(subset.prettifyError(bad.error), /kind/);
  });
});
