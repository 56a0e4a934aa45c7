// The part of zod the extension uses, as the shared library bundle dist/lib/zod.js (esbuild.mjs):
// every bundle's `import * as z from 'zod'` is served from it. All of zod would be 450 KB (every
// locale); this is about 95 KB. test/unit/core/zodSubset.test.ts fails when code starts to use a
// zod export that is missing here.
export { array, boolean, email, enum, literal, NEVER, number, object, prettifyError, record, string, union, unknown, ZodType } from 'zod';
