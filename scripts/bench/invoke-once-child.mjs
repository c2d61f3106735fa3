// Peak memory of one request, in a fresh Node process: import a function bundle, call its
// handler once with the event in a JSON file, and report the process's peak RSS.
// Plain .mjs run by `node`, so no TypeScript loader adds to the memory measured.
//   node invoke-once-child.mjs <bundle.mjs> <event.json>
// The function's environment comes from this process's environment (the bench sets it).
// Prints one line: BENCH_RESULT {…}; the function's own log lines may come before it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [bundlePath, eventPath] = process.argv.slice(2);
if (!bundlePath || !eventPath) {
  throw new Error('usage: node invoke-once-child.mjs <bundle.mjs> <event.json>');
}

/**
 * Peak RSS in MB. On Linux this is VmHWM from /proc/self/status: ru_maxrss (what
 * process.resourceUsage().maxRSS reports) survives execve, so a child spawned by a large parent
 * starts with the parent's peak (getrusage(2), "resource usages are preserved across execve").
 * VmHWM belongs to the process's own address space. Elsewhere, maxRSS is the best there is.
 */
function maxRssMb() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
    if (kilobytes) return Number(kilobytes) / 1024;
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS / 1024;
}

const event = JSON.parse(await readFile(eventPath, 'utf8'));
const bundle = await import(pathToFileURL(bundlePath).href);
const afterImportMaxRssMb = maxRssMb();

const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench';
const timeoutMs = 30_000;
const deadline = Date.now() + timeoutMs;
// The fields Lambda's Node.js runtime passes as the context object.
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'us-east-1'}:000000000000:function:${functionName}`,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '256',
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
};

const started = performance.now();
const result = await bundle.handler(event, context);
const durationMs = performance.now() - started;

process.stdout.write(
  `BENCH_RESULT ${JSON.stringify({
    // A proxy result has a statusCode; the job worker answers {outcome}.
    outcome: String(result?.statusCode ?? result?.outcome),
    body: typeof result?.body === 'string' ? result.body.slice(0, 4000) : undefined,
    durationMs,
    afterImportMaxRssMb,
    maxRssMb: maxRssMb(),
  })}\n`,
);
process.exit(0);
