// `npm run fuzz`: the fuzz suites at full strength (100,000 generated inputs per property, or
// VENUE_CHAT_FUZZ_RUNS), printing the outcome counts per codec. `npm test` runs them short.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const mocha = require.resolve('mocha/bin/mocha.js');
const env = { ...process.env, VENUE_CHAT_FUZZ_RUNS: process.env.VENUE_CHAT_FUZZ_RUNS ?? '100000' };
const run = spawnSync(process.execPath, [mocha, '--no-config', '--enable-source-maps', '--exit', '--timeout', '0', 'dist/test/unit/fuzz/*.test.js'], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
