// Prints one plain closing line, "jest: N passed, N failed, N skipped", that CI tools read
// (jest's own summary is not in a format they recognise). CommonJS because jest loads reporters
// with require().
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(
      `\njest: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
