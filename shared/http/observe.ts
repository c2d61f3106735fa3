/**
 * What every entry point does around its work, whatever the integration type: build (or reuse)
 * the runtime, collect facts, turn failures into AppErrors, and write one log line and the
 * metrics per request.
 */
import type { Context } from 'aws-lambda';

import type { AppConfig } from '../config.js';
import type { RequestFacts } from '../core/ports.js';
import type { AppError } from '../errors.js';
import { isAppError, toAppError } from '../errors.js';
import { logger, promptForLog, recordRequest } from '../log.js';

/** Builds the runtime once (the result is cached by the provider); throws on bad configuration. */
export type RuntimeProvider<Runtime> = () => Runtime;

export interface ObservedRuntime {
  config: Pick<AppConfig, 'corsOrigin' | 'logPrompts'>;
}

export interface RequestScope<Runtime> {
  runtime: Runtime;
  route: string;
  /** Adds facts (model, timings, counts, prompt) to this request's log line. */
  annotate: (facts: RequestFacts) => void;
}

export type Observed<Value> =
  | { isOk: true; value: Value; status: number; corsOrigin: string }
  | { isOk: false; error: AppError; corsOrigin: string };

/** Used when the configuration itself is broken, so even that 500 carries CORS headers. */
const FALLBACK_CORS_ORIGIN = '*';

export async function observeRequest<Runtime extends ObservedRuntime, Value>(
  options: {
    route: string;
    requestId?: string;
    lambdaContext?: Context;
    runtime: RuntimeProvider<Runtime>;
    /** The status a successful result is answered with (200, 204…). */
    statusOf: (value: Value) => number;
  },
  work: (scope: RequestScope<Runtime>) => Promise<Value>,
): Promise<Observed<Value>> {
  const startedMs = performance.now();
  const facts: RequestFacts = {};
  const { route, requestId } = options;
  if (options.lambdaContext) logger.addContext(options.lambdaContext);
  logger.appendKeys({ route, ...(requestId ? { requestId } : {}) });

  let config: ObservedRuntime['config'] | undefined;
  let observed: Observed<Value>;
  try {
    const runtime = options.runtime();
    config = runtime.config;
    const value = await work({
      runtime,
      route,
      annotate: (more) => Object.assign(facts, more),
    });
    observed = {
      isOk: true,
      value,
      status: options.statusOf(value),
      corsOrigin: config.corsOrigin,
    };
  } catch (thrown) {
    const error = toAppError(thrown);
    if (!isAppError(thrown)) {
      if (thrown instanceof Error) logger.error('unexpected error', thrown);
      else logger.error('unexpected error', { thrown: String(thrown) });
    } else if (error.status >= 500 && error.cause !== undefined) {
      logger.error('upstream failure', { code: error.code, cause: error.cause });
    }
    observed = { isOk: false, error, corsOrigin: config?.corsOrigin ?? FALLBACK_CORS_ORIGIN };
  }

  const { prompt, ...rest } = facts;
  recordRequest({
    route,
    ...(requestId ? { requestId } : {}),
    outcome: observed.isOk ? 'OK' : observed.error.code,
    status: observed.isOk ? observed.status : observed.error.status,
    totalMs: Math.round(performance.now() - startedMs),
    ...rest,
    ...(config?.logPrompts ? { prompt: promptForLog(prompt, true) } : {}),
  });
  logger.resetKeys();
  return observed;
}
