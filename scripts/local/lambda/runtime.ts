/**
 * A local Lambda runtime: every function runs its bundle in worker_threads Workers, one Worker per
 * concurrent invocation (like Lambda's execution environments), each with only its own environment
 * variables. The first invocation of a Worker is a cold start: the bundle is imported once and the
 * init time is reported.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';

export interface FunctionConfig {
  /** The bundle that exports the handler, e.g. dist/functions/generate/index.mjs. */
  bundlePath: string;
  /** The function's environment variables; nothing from the parent process leaks in. */
  env: Record<string, string>;
  timeoutMs: number;
  /** Lambda memory size; also caps the Worker's V8 old generation (default 128, as Lambda's). */
  memoryMb?: number;
  /** Exported handler name (default `handler`). */
  handlerName?: string;
}

export interface InvokeReport {
  requestId: string;
  functionName: string;
  durationMs: number;
  /** Set on a cold start: time to import the bundle. */
  initDurationMs?: number;
}

export type InvokeResult =
  | { ok: true; payload: unknown; report: InvokeReport }
  | {
      ok: false;
      errorType: string;
      errorMessage: string;
      trace?: string[];
      report: InvokeReport;
    };

export interface InvokeOptions {
  /** Lambda's request id for this invocation (default: a new UUID). */
  requestId?: string;
  clientContext?: unknown;
}

export interface LambdaRuntime {
  /** Names of the functions this runtime can invoke. */
  readonly functionNames: readonly string[];
  has(name: string): boolean;
  /** Rejects with UnknownFunctionError for names not configured; every other failure resolves. */
  invoke(name: string, event: unknown, opts?: InvokeOptions): Promise<InvokeResult>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /**
   * How many execution environments of one function may start (import the bundle) at once
   * (default: MAX_PARALLEL_INITS). More requests wait for the first environment that is free,
   * started or finished: Lambda starts hundreds on separate machines, this runtime shares a few cores.
   */
  maxParallelInits?: number;
  /** Default: each function's AWS_REGION, else us-east-1. */
  region?: string;
  accountId?: string;
  /** Called after every invocation (Lambda's REPORT line). */
  onReport?: (report: InvokeReport) => void;
}

export class UnknownFunctionError extends Error {
  constructor(readonly functionName: string) {
    super(`Function not found: ${functionName}`);
    this.name = 'UnknownFunctionError';
  }
}

/**
 * Two cold starts at a time per function: 50 simultaneous requests after a restart used to start
 * 50 Workers that each imported the bundle on the same 2 cores, and all answered after ~22 s (or
 * timed out); now two start and the rest reuse them as they free up (README "Local limits").
 */
export const MAX_PARALLEL_INITS = 2;

/** Lambda's default memory size, in MB. */
const DEFAULT_MEMORY_MB = 128;
/** Synchronous response payload limit (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

const SANDBOX_WORKER_URL = new URL('./sandbox-worker.mjs', import.meta.url);

interface LambdaErrorDocument {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

type WorkerMessage =
  | { type: 'ready'; initDurationMs: number }
  | { type: 'init-error'; error: LambdaErrorDocument }
  | { type: 'result'; payloadJson: string }
  | { type: 'error'; error: LambdaErrorDocument; fatal?: boolean };

type Outcome = { ok: true; payload: unknown } | ({ ok: false } & LambdaErrorDocument);

/** One execution environment: a Worker that handles one invocation at a time. */
class Sandbox {
  readonly worker: Worker;
  readonly ready: Promise<
    { ok: true; initDurationMs: number } | { ok: false; error: LambdaErrorDocument }
  >;
  dead = false;
  private pending:
    ((message: WorkerMessage | { type: 'exit'; code: number; error?: Error }) => void) | undefined;

  constructor(config: FunctionConfig, env: Record<string, string>, memoryMb: number) {
    this.worker = new Worker(SANDBOX_WORKER_URL, {
      env,
      workerData: { bundlePath: config.bundlePath, handlerName: config.handlerName ?? 'handler' },
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    });
    let lastError: Error | undefined;
    this.ready = new Promise((resolve) => {
      const onFirst = (message: WorkerMessage): void => {
        if (message.type === 'ready') resolve({ ok: true, initDurationMs: message.initDurationMs });
        else if (message.type === 'init-error') resolve({ ok: false, error: message.error });
      };
      this.worker.once('message', onFirst);
      this.worker.once('exit', (code) => {
        resolve({ ok: false, error: exitError(code, lastError) });
      });
    });
    this.worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'result' || message.type === 'error') this.pending?.(message);
    });
    this.worker.on('error', (error) => {
      lastError = error;
    });
    this.worker.on('exit', (code) => {
      this.dead = true;
      this.pending?.({ type: 'exit', code, error: lastError });
    });
  }

  run(
    eventJson: string,
    context: Record<string, unknown>,
  ): Promise<WorkerMessage | { type: 'exit'; code: number; error?: Error }> {
    return new Promise((resolve) => {
      this.pending = (message) => {
        this.pending = undefined;
        resolve(message);
      };
      this.worker.postMessage({ type: 'invoke', eventJson, context });
    });
  }

  kill(): Promise<number> {
    this.dead = true;
    return this.worker.terminate();
  }
}

function exitError(code: number, error: Error | undefined): LambdaErrorDocument {
  if (error && (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return {
      errorType: 'Runtime.OutOfMemory',
      errorMessage: 'Runtime exited with error: signal: killed',
    };
  }
  if (error) {
    // An uncaught exception: the Node.js runtime reports the error itself, then exits.
    return {
      errorType: error.name,
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n'),
    };
  }
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `Runtime exited with error: exit status ${code}`,
  };
}

/** Lambda's timeout message, e.g. "2024-05-01T10:00:00.000Z 6f1c… Task timed out after 3.00 seconds". */
function timeoutMessage(requestId: string, elapsedMs: number): string {
  return `${new Date().toISOString()} ${requestId} Task timed out after ${(elapsedMs / 1000).toFixed(2)} seconds`;
}

/** The variables Lambda sets in every execution environment (reserved; the function's own env wins only for non-reserved names). */
function reservedEnv(name: string, memoryMb: number, region: string): Record<string, string> {
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: '/var/task',
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    LANG: 'en_US.UTF-8',
    NODE_PATH: '/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules',
    TZ: ':UTC',
  };
}

function logStreamName(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomUUID().replaceAll('-', '')}`;
}

/**
 * Creates the runtime. Nothing starts until the first invocation of each function.
 *
 * @example
 * const runtime = createLambdaRuntime({
 *   generate: { bundlePath: 'dist/functions/generate/index.mjs', env: { TABLE: 't' }, timeoutMs: 30000 },
 * });
 * const result = await runtime.invoke('generate', { body: '{}' });
 */
export function createLambdaRuntime(
  functions: Record<string, FunctionConfig>,
  options: RuntimeOptions = {},
): LambdaRuntime {
  const regionOf = (config: FunctionConfig): string =>
    options.region ?? config.env.AWS_REGION ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const idle = new Map<string, Sandbox[]>();
  const all = new Set<Sandbox>();
  const maxParallelInits = options.maxParallelInits ?? MAX_PARALLEL_INITS;
  /** Per function: environments starting now, and requests waiting for a free one or a start slot. */
  const starting = new Map<string, number>();
  const waiting = new Map<string, ((sandbox: Sandbox | undefined) => void)[]>();
  let closed = false;

  /** Hands a free environment (or, with none, a start slot) to the longest-waiting request. */
  function wakeNext(name: string, sandbox?: Sandbox): boolean {
    const next = waiting.get(name)?.shift();
    if (!next) return false;
    next(sandbox);
    return true;
  }

  /** Drops a broken environment; a waiting request may then start a new one. */
  function retire(name: string, sandbox: Sandbox): void {
    discard(sandbox);
    wakeNext(name);
  }

  /** Returns a warm environment to its function: to a waiting request first, else to the pool. */
  function release(name: string, sandbox: Sandbox): void {
    if (closed) return;
    if (!wakeNext(name, sandbox)) idle.get(name)?.push(sandbox);
  }

  function discard(sandbox: Sandbox): void {
    all.delete(sandbox);
    void sandbox.kill();
  }

  async function acquire(
    name: string,
    config: FunctionConfig,
  ): Promise<{ sandbox: Sandbox; initDurationMs?: number; initError?: LambdaErrorDocument }> {
    const pool = idle.get(name) ?? [];
    idle.set(name, pool);
    let warm = pool.pop();
    while (warm?.dead) warm = pool.pop();
    if (warm) return { sandbox: warm };
    if ((starting.get(name) ?? 0) >= maxParallelInits) {
      // Wait for whichever comes first: an environment freed by its request, or a start slot.
      const handed = await new Promise<Sandbox | undefined>((resolve) => {
        waiting.set(name, [...(waiting.get(name) ?? []), resolve]);
      });
      if (handed && !handed.dead) return { sandbox: handed };
      if (closed) throw new UnknownFunctionError(name);
      return acquire(name, config);
    }
    starting.set(name, (starting.get(name) ?? 0) + 1);
    const memoryMb = config.memoryMb ?? DEFAULT_MEMORY_MB;
    const sandbox = new Sandbox(
      config,
      { ...config.env, ...reservedEnv(name, memoryMb, regionOf(config)) },
      memoryMb,
    );
    all.add(sandbox);
    const ready = await sandbox.ready;
    starting.set(name, (starting.get(name) ?? 1) - 1);
    // The slot is free: a waiting request may start an environment of its own.
    wakeNext(name);
    if (!ready.ok) {
      discard(sandbox);
      return { sandbox, initError: ready.error };
    }
    return { sandbox, initDurationMs: ready.initDurationMs };
  }

  async function invoke(
    name: string,
    event: unknown,
    opts: InvokeOptions = {},
  ): Promise<InvokeResult> {
    const config = Object.hasOwn(functions, name) ? functions[name] : undefined;
    if (!config || closed) throw new UnknownFunctionError(name);
    const requestId = opts.requestId ?? randomUUID();
    const started = performance.now();
    const { sandbox, initDurationMs, initError } = await acquire(name, config);
    const finish = (outcome: Outcome, durationMs: number): InvokeResult => {
      const report: InvokeReport = {
        requestId,
        functionName: name,
        durationMs,
        ...(initDurationMs === undefined ? {} : { initDurationMs }),
      };
      options.onReport?.(report);
      return { ...outcome, report };
    };
    if (initError) return finish({ ok: false, ...initError }, performance.now() - started);

    const memoryMb = config.memoryMb ?? DEFAULT_MEMORY_MB;
    const invokeStarted = performance.now();
    const context = {
      awsRequestId: requestId,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${regionOf(config)}:${accountId}:function:${name}`,
      memoryLimitInMB: memoryMb,
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: logStreamName(),
      deadlineMs: Date.now() + config.timeoutMs,
      clientContext: opts.clientContext,
      identity: undefined,
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), config.timeoutMs);
    });
    const message = await Promise.race([
      sandbox.run(JSON.stringify(event) ?? 'null', context),
      timedOut,
    ]);
    clearTimeout(timer);
    const durationMs = performance.now() - invokeStarted;

    if (message === 'timeout') {
      // Lambda resets the environment after a timeout; the next invocation starts cold.
      retire(name, sandbox);
      return finish(
        {
          ok: false,
          errorType: 'Sandbox.Timedout',
          errorMessage: timeoutMessage(requestId, durationMs),
        },
        durationMs,
      );
    }
    if (message.type === 'exit') {
      retire(name, sandbox);
      return finish({ ok: false, ...exitError(message.code, message.error) }, durationMs);
    }
    if (message.type === 'error' && message.fatal) retire(name, sandbox);
    else release(name, sandbox);

    if (message.type === 'error') return finish({ ok: false, ...message.error }, durationMs);
    if (message.type !== 'result') {
      return finish(
        { ok: false, errorType: 'Runtime.Unknown', errorMessage: 'Unexpected worker message' },
        durationMs,
      );
    }
    const size = Buffer.byteLength(message.payloadJson);
    if (size > MAX_SYNC_PAYLOAD_BYTES) {
      return finish(
        {
          ok: false,
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).`,
        },
        durationMs,
      );
    }
    return finish({ ok: true, payload: JSON.parse(message.payloadJson) as unknown }, durationMs);
  }

  return {
    functionNames: Object.keys(functions),
    has: (name) => Object.hasOwn(functions, name),
    invoke,
    async close() {
      closed = true;
      for (const queue of waiting.values())
        for (const resolve of queue.splice(0)) resolve(undefined);
      const sandboxes = [...all];
      all.clear();
      idle.clear();
      await Promise.all(sandboxes.map((sandbox) => sandbox.kill()));
    },
  };
}
