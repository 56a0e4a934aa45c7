// axios for the main bundle's own HTTP (media upload to the user's PUT target, attachment
// downloads), required on the first request instead of at activation. In the shipped build the
// require goes to the shared dist/lib/axios.js (esbuild.mjs), which the venue bundles use too.
import type { AxiosStatic } from 'axios';

let loaded: AxiosStatic | undefined;

export function lazyAxios(): AxiosStatic {
  if (!loaded) {
    // A literal require, so the bundler maps it to the shared library; called on first use only.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('axios') as AxiosStatic & { default?: AxiosStatic };
    loaded = mod.default ?? mod;
  }
  return loaded;
}
