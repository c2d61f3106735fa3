// Asynchronous Lambda invocation {"jobId"} from the jobs function → runs the job once (claim, generate or edit, record the outcome). Not reachable from the API.
import type { Context } from 'aws-lambda';
import * as z from 'zod';

import { workerRuntime, type WorkerRuntime } from '../../shared/aws/image-runtimes.js';
import { initRuntime } from '../../shared/aws/runtime.js';
import type { RunOutcome } from '../../shared/core/job-service.js';
import { observeRequest, type RuntimeProvider } from '../../shared/http/observe.js';
import { validate } from '../../shared/http/validation.js';
import { logger } from '../../shared/log.js';

export const ROUTE = 'job-worker';

const workerEventSchema = z.object({ jobId: z.string().min(1).max(64) });

/** What the invocation returns (visible only in logs and to synchronous test invocations). */
export interface WorkerResult {
  jobId?: string;
  outcome: RunOutcome['outcome'] | 'invalid-event';
  reason?: string;
}

export type WorkerHandler = (event: unknown, context?: Context) => Promise<WorkerResult>;

export function createHandler(runtime: RuntimeProvider<WorkerRuntime>): WorkerHandler {
  return async (event, lambdaContext) => {
    const observed = await observeRequest(
      {
        route: ROUTE,
        ...(lambdaContext ? { requestId: lambdaContext.awsRequestId, lambdaContext } : {}),
        runtime,
        // The job's own failure is its outcome, recorded on the job; it is logged with its status.
        statusOf: (outcome: RunOutcome) =>
          outcome.outcome === 'failed' ? outcome.error.status : 200,
      },
      async ({ runtime, annotate }) => {
        const { jobId } = validate(workerEventSchema, event, 'event');
        const outcome = await runtime.jobs.run(jobId, { annotate });
        logger.info('job finished', {
          jobId,
          outcome: outcome.outcome,
          ...(outcome.outcome === 'skipped' ? { reason: outcome.reason } : {}),
          ...(outcome.outcome === 'failed' ? { code: outcome.error.code } : {}),
        });
        return outcome;
      },
    );
    if (!observed.isOk) {
      // A malformed event can never succeed; anything else (the table unreachable) is thrown so
      // Lambda counts the invocation as failed. Retrying is harmless: the claim runs a job once.
      if (observed.error.status < 500)
        return { outcome: 'invalid-event', reason: observed.error.message };
      throw observed.error;
    }
    const outcome = observed.value;
    return {
      ...(outcome.job ? { jobId: outcome.job.id } : {}),
      outcome: outcome.outcome,
      ...(outcome.outcome === 'skipped' ? { reason: outcome.reason } : {}),
    };
  };
}

export const handler = createHandler(initRuntime(workerRuntime));
