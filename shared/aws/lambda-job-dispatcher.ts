/**
 * The JobDispatcher port on Lambda: an asynchronous (`Event`) invocation of the job worker with
 * `{"jobId"}`. Lambda queues the event and answers 202 at once; the worker runs on its own, up
 * to its 15-minute timeout, long after this API request has returned.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

import type { JobDispatcher } from '../core/ports.js';
import { AppError } from '../errors.js';

/** What the worker receives. */
export interface JobWorkerEvent {
  jobId: string;
}

/** Lambda answers an accepted asynchronous invocation with 202. */
const ACCEPTED = 202;

export class LambdaJobDispatcher implements JobDispatcher {
  constructor(
    private readonly client: LambdaClient,
    /** JOB_WORKER_FUNCTION: the worker's name or ARN; undefined when not configured. */
    private readonly functionName: string | undefined,
  ) {}

  async dispatch(jobId: string): Promise<void> {
    if (!this.functionName) {
      throw new AppError('INTERNAL', 'JOB_WORKER_FUNCTION is not set, so jobs cannot start.');
    }
    const event: JobWorkerEvent = { jobId };
    const response = await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    if (response.StatusCode !== ACCEPTED) {
      throw new AppError(
        'UPSTREAM_ERROR',
        `Lambda did not accept the job worker invocation (status ${response.StatusCode ?? 'none'}).`,
      );
    }
  }
}
