// Peak memory of one request, in a fresh Node process: import a function bundle, call its
// handler once with the event in a JSON file, and report the process's peak RSS.
// Plain .mjs run by `node`, so no TypeScript loader adds to the memory measured.
//   node invoke-once-child.mjs <bundle.mjs> <event.json>
// The function's environment comes from this process's environment (the bench sets it).
// Prints one line: BENCH_RESULT {…}; the function's own log lines may come before it.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

import { lambdaContext, maxRssMb, outcomeOf } from './child-support.mjs';

const [bundlePath, eventPath] = process.argv.slice(2);
if (!bundlePath || !eventPath) {
  throw new Error('usage: node invoke-once-child.mjs <bundle.mjs> <event.json>');
}

const event = JSON.parse(await readFile(eventPath, 'utf8'));
const bundle = await import(pathToFileURL(bundlePath).href);
const afterImportMaxRssMb = maxRssMb();

const context = lambdaContext();

const started = performance.now();
const result = await bundle.handler(event, context);
const durationMs = performance.now() - started;

process.stdout.write(
  `BENCH_RESULT ${JSON.stringify({
    outcome: outcomeOf(result),
    body: typeof result?.body === 'string' ? result.body.slice(0, 4000) : undefined,
    durationMs,
    afterImportMaxRssMb,
    maxRssMb: maxRssMb(),
  })}\n`,
);
process.exit(0);
