// Appends each jest run's totals to $PORTCULLIS_TEST_TOTALS so tools/test-all.sh can print one
// closing "N passed, N failed, N skipped" line for the whole suite (Nx runs one jest per project).
const { appendFileSync } = require('node:fs');

class TotalsReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.PORTCULLIS_TEST_TOTALS;
    if (!file) return;
    const line = [
      results.numPassedTests,
      results.numFailedTests + results.numRuntimeErrorTestSuites,
      results.numPendingTests + results.numTodoTests,
    ].join(' ');
    appendFileSync(file, `${line}\n`);
  }
}
module.exports = TotalsReporter;
