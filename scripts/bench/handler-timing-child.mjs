// Times a built function bundle in a fresh Node process, as ../shared/perf/ours_bench.mjs does:
// cold = import + first call; warm = `calls` more calls after it, one at a time.
// Plain .mjs run by `node`, so no TypeScript loader is part of what is measured.
//   node handler-timing-child.mjs <index.mjs> <event.json> <expected outcome> <calls>
// The function's environment comes from this process's environment (the bench sets it).
// Prints one line: BENCH_RESULT {"importMs","firstMs","coldMs","warmMs":[…],"warmCpuMs","maxRssMb"}.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

import { lambdaContext, outcomeOf, reportTiming } from './child-support.mjs';

const [bundlePath, eventPath, expected, callsText = '0'] = process.argv.slice(2);
if (!bundlePath || !eventPath || !expected) {
  throw new Error(
    'usage: node handler-timing-child.mjs <index.mjs> <event.json> <expected outcome> <calls>',
  );
}
const calls = Number(callsText);
const eventText = await readFile(eventPath, 'utf8');

/** A fresh event per call: a proxy event gets a new request id, as API Gateway gives each. */
function nextEvent() {
  const event = JSON.parse(eventText);
  if (event?.requestContext?.requestId !== undefined) event.requestContext.requestId = randomUUID();
  return event;
}

async function call(handler, event) {
  const result = await handler(event, lambdaContext());
  const outcome = outcomeOf(result);
  if (outcome !== expected) {
    const body = typeof result?.body === 'string' ? result.body : JSON.stringify(result);
    process.stdout.write(
      `BENCH_RESULT ${JSON.stringify({ error: `answered ${outcome} (expected ${expected}): ${String(body).slice(0, 2000)}` })}\n`,
    );
    process.exit(0);
  }
}

const event = nextEvent();
const importStarted = performance.now();
const { handler } = await import(pathToFileURL(bundlePath).href);
const imported = performance.now();
await call(handler, event);
await reportTiming({
  times: { importStarted, imported, firstDone: performance.now() },
  calls,
  prepare: nextEvent,
  call: (next) => call(handler, next),
});
process.exit(0);
