// zod for the host's own checks (webview requests, command arguments, sandbox info), required the
// first time a check runs instead of at activation: schemas are built by `lazy` on first use. In
// the shipped build the require goes to the shared dist/lib/zod.js (esbuild.mjs). Types come from
// `import type * as Z from 'zod'`, which costs nothing at run time.
import type * as Z from 'zod';

let loaded: typeof Z | undefined;

export function zod(): typeof Z {
  // A literal require, so the bundler maps it to the shared library; called on first use only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('zod') as typeof Z;
  return loaded;
}

/** A value (a set of schemas) built on first use, then kept. */
export function lazy<T>(build: () => T): () => T {
  let built: { readonly value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
