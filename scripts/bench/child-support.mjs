// What the bench's child harnesses (plain .mjs run by `node`) share: peak RSS, a Lambda context and the
// timing of warm calls with the result line side-by-side.ts reads.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * Peak RSS in MB. On Linux this is VmHWM from /proc/self/status: ru_maxrss (what
 * process.resourceUsage().maxRSS reports) survives execve, so a child spawned by a large parent
 * starts with the parent's peak (getrusage(2), "resource usages are preserved across execve").
 * VmHWM belongs to the process's own address space. Elsewhere, maxRSS is the best there is.
 */
export function maxRssMb() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
    if (kilobytes) return Number(kilobytes) / 1024;
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** The fields Lambda's Node.js runtime passes as the context object, for one invocation. */
export function lambdaContext(timeoutMs = 30_000) {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench';
  const deadline = Date.now() + timeoutMs;
  return {
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
}

/** What a handler answered, as one word: a proxy result's status, the job worker's outcome, or a non-proxy body with an image URL. */
export function outcomeOf(result) {
  if (result?.statusCode !== undefined) return String(result.statusCode);
  if (result?.outcome !== undefined) return String(result.outcome);
  if (typeof result?.image_url === 'string') return 'image_url';
  return 'unknown';
}

/**
 * Runs `calls` warm calls one at a time after a timed cold start and prints the one result line
 * side-by-side.ts reads: BENCH_RESULT {"importMs","firstMs","coldMs","warmMs":[…],"warmCpuMs","maxRssMb"}.
 * `prepare` makes each call's input outside the timed part; `call` is what is timed.
 * `times` are performance.now() readings: import started, import done, first call done.
 */
export async function reportTiming({ times, calls, prepare = () => undefined, call }) {
  const firstCallMaxRssMb = maxRssMb();
  const warmMs = [];
  const cpuBefore = process.cpuUsage();
  for (let index = 0; index < calls; index++) {
    const input = prepare();
    const begun = performance.now();
    await call(input);
    warmMs.push(performance.now() - begun);
  }
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(
    `BENCH_RESULT ${JSON.stringify({
      importMs: times.imported - times.importStarted,
      firstMs: times.firstDone - times.imported,
      coldMs: times.firstDone - times.importStarted,
      warmMs,
      // CPU time (user + system) per warm call: steadier than wall time on a busy machine.
      warmCpuMs: calls > 0 ? (cpu.user + cpu.system) / 1000 / calls : undefined,
      maxRssMb: firstCallMaxRssMb,
    })}\n`,
  );
}
