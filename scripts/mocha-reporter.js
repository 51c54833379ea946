'use strict';
/**
 * Mocha reporter for `npm test` and CI: Mocha's usual "spec" output, then exactly one line
 *   tests: N passed, N failed            (or: tests: N passed, N failed, N skipped)
 * as the very last line, for CI and for people. Counts are Mocha's own stats: a failing hook
 * counts as one failure (its tests never ran), pending/skipped tests count as skipped.
 * If TSCNN_SUMMARY_FILE is set, the same line is written there, so scripts/test.sh can tell a
 * finished run from one that died before reporting (e.g. a test file that does not load).
 */
const fs = require('fs');
const Mocha = require('mocha');

const Spec = Mocha.reporters.Spec;
const { EVENT_RUN_END } = Mocha.Runner.constants;

/** The summary line for Mocha's stats: `tests: P passed, F failed[, S skipped]`. */
function summaryLine(stats) {
  let line = `tests: ${stats.passes} passed, ${stats.failures} failed`;
  if (stats.pending > 0) line += `, ${stats.pending} skipped`;
  return line;
}

class TscnnReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    // Registered after Spec's own RUN_END listener (the epilogue), so this prints last.
    runner.once(EVENT_RUN_END, () => {
      const line = summaryLine(runner.stats);
      const file = process.env.TSCNN_SUMMARY_FILE;
      if (file) fs.writeFileSync(file, line + '\n');
      process.stdout.write(line + '\n');
    });
  }
}

TscnnReporter.description = 'spec, then one line "tests: N passed, N failed[, N skipped]"';
TscnnReporter.summaryLine = summaryLine;
module.exports = TscnnReporter;
