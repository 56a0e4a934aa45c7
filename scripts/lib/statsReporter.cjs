// Mocha reporter for scripts/test.mjs: the usual `spec` output, plus the run's counts written as
// JSON to the file named by VENUE_CHAT_MOCHA_STATS, so the orchestrator can total the tiers.
// CommonJS because mocha loads reporters with require().
'use strict';
const { writeFileSync } = require('node:fs');
const Mocha = require('mocha');

const { EVENT_RUN_END } = Mocha.Runner.constants;

class StatsReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.VENUE_CHAT_MOCHA_STATS;
      if (!file) return;
      const { passes, failures, pending, tests, duration } = this.stats;
      writeFileSync(file, JSON.stringify({ passed: passes, failed: failures, pending, tests, durationMs: duration }));
    });
  }
}

module.exports = StatsReporter;
