import { fileURLToPath } from 'node:url';

import { createLambdaRuntime, UnknownFunctionError } from './runtime.js';
import type { InvokeResult, LambdaRuntime } from './runtime.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function expectOk(result: InvokeResult): unknown {
  if (!result.ok)
    throw new Error(`expected success, got ${result.errorType}: ${result.errorMessage}`);
  return result.payload;
}

describe('createLambdaRuntime', () => {
  let runtime: LambdaRuntime;

  beforeAll(() => {
    runtime = createLambdaRuntime({
      first: {
        bundlePath: fixture('behaviours.mjs'),
        env: { GREETING: 'hello first' },
        timeoutMs: 2000,
      },
      second: {
        bundlePath: fixture('behaviours.mjs'),
        env: { GREETING: 'hello second' },
        timeoutMs: 300,
        memoryMb: 256,
      },
      callback: { bundlePath: fixture('callback-style.mjs'), env: {}, timeoutMs: 1000 },
      broken: { bundlePath: fixture('init-error.mjs'), env: {}, timeoutMs: 1000 },
      missing: { bundlePath: fixture('does-not-exist.mjs'), env: {}, timeoutMs: 1000 },
    });
  });

  afterAll(async () => {
    await runtime.close();
  });

  it('gives each function only its own environment, plus the Lambda reserved variables', async () => {
    const [first, second] = await Promise.all([
      runtime.invoke('first', { action: 'echo' }),
      runtime.invoke('second', { action: 'echo' }),
    ]);
    const firstEnv = (expectOk(first) as { env: Record<string, unknown> }).env;
    const secondEnv = (expectOk(second) as { env: Record<string, unknown> }).env;
    expect(firstEnv).toEqual({ GREETING: 'hello first', NAME: 'first' });
    expect(secondEnv).toEqual({ GREETING: 'hello second', NAME: 'second' });
    expect(process.env.GREETING).toBeUndefined();
  });

  it('passes a Lambda context and reports the cold start only once', async () => {
    const cold = await runtime.invoke('callback', { n: 1 });
    const warm = await runtime.invoke('callback', { n: 21 }, { requestId: 'req-123' });
    expect(cold.report.initDurationMs).toBeGreaterThan(0);
    expect(warm.report.initDurationMs).toBeUndefined();
    expect(expectOk(warm)).toEqual({ doubled: 42 });
    expect(warm.report.requestId).toBe('req-123');

    const echoed = expectOk(
      await runtime.invoke('second', { action: 'echo' }, { requestId: 'abc' }),
    ) as {
      context: Record<string, unknown>;
    };
    expect(echoed.context).toMatchObject({
      awsRequestId: 'abc',
      functionName: 'second',
      memoryLimitInMB: '256',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:second',
    });
    expect(echoed.context.remaining).toBeGreaterThan(0);
    expect(echoed.context.remaining).toBeLessThanOrEqual(300);
  });

  it('reports handler errors in the Lambda error shape', async () => {
    const thrown = await runtime.invoke('first', { action: 'throw', message: 'prompt is empty' });
    expect(thrown).toMatchObject({
      ok: false,
      errorType: 'ValidationError',
      errorMessage: 'prompt is empty',
    });
    expect(!thrown.ok && thrown.trace?.[0]).toBe('ValidationError: prompt is empty');

    const stringThrown = await runtime.invoke('first', { action: 'throw-string' });
    expect(stringThrown).toMatchObject({
      ok: false,
      errorType: 'string',
      errorMessage: 'plain string',
    });
  });

  it('returns null for a handler that returns nothing', async () => {
    expect(expectOk(await runtime.invoke('first', { action: 'return-undefined' }))).toBeNull();
  });

  it('times out with Lambda’s message and replaces the environment', async () => {
    const result = await runtime.invoke(
      'second',
      { action: 'sleep', ms: 5000 },
      { requestId: 'slow-1' },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errorMessage).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z slow-1 Task timed out after 0\.\d\d seconds$/,
    );
    const next = await runtime.invoke('second', { action: 'echo' });
    expect(next.report.initDurationMs).toBeDefined();
    expect(next.ok).toBe(true);
  });

  it('keeps concurrent invocations in separate environments', async () => {
    const results = await Promise.all(
      [150, 150, 150].map((ms) => runtime.invoke('first', { action: 'sleep', ms })),
    );
    expect(results.map((result) => expectOk(result))).toEqual([
      { slept: 150 },
      { slept: 150 },
      { slept: 150 },
    ]);
  });

  it('starts two environments at a time; a burst of cold requests reuses them as they free up', async () => {
    const burst = createLambdaRuntime({
      burst: { bundlePath: fixture('behaviours.mjs'), env: {}, timeoutMs: 5000 },
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => burst.invoke('burst', { action: 'echo' })),
      );
      results.forEach((result) => expectOk(result));
      const coldStarts = results.filter((result) => result.report.initDurationMs !== undefined);
      // One Worker per request (20 imports on the same cores) made every request wait for all.
      expect(coldStarts.length).toBeGreaterThanOrEqual(2);
      expect(coldStarts.length).toBeLessThan(20);
    } finally {
      await burst.close();
    }
  });

  it('reports init failures and a process exit like Lambda', async () => {
    expect(await runtime.invoke('broken', {})).toMatchObject({
      ok: false,
      errorType: 'TypeError',
      errorMessage: 'cannot configure client',
    });
    expect(await runtime.invoke('missing', {})).toMatchObject({
      ok: false,
      errorType: 'Runtime.ImportModuleError',
    });
    expect(await runtime.invoke('first', { action: 'exit' })).toMatchObject({
      ok: false,
      errorType: 'Runtime.ExitError',
      errorMessage: 'Runtime exited with error: exit status 3',
    });
  });

  it('rejects unknown function names', async () => {
    await expect(runtime.invoke('nope', {})).rejects.toBeInstanceOf(UnknownFunctionError);
  });
});
