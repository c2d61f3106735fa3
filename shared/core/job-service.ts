/**
 * Asynchronous jobs (POST /jobs, GET /jobs/{id}): generations and edits that may outlast API
 * Gateway's 29 s. The jobs function validates and stores the job, then starts the worker with an
 * asynchronous Lambda invocation; the worker claims the job once and runs it through the normal
 * generate and edit services, so history shows the result like any other.
 */
import { AppError, toAppError } from '../errors.js';
import type { EditInput, EditService } from './edit-service.js';
import type { GenerateInput, GenerateService } from './generate-service.js';
import { resultFromRecord, type ImageResult, type PipelineDeps } from './image-pipeline.js';
import { contentId } from './keys.js';
import type {
  Clock,
  IdGenerator,
  JobDispatcher,
  JobOutcome,
  JobRecord,
  JobStore,
  JobType,
  RequestContext,
} from './ports.js';

/** The route the worker's generation and edit records name (history shows where they came from). */
export const JOB_ROUTE = 'POST /jobs';

export type JobSubmission =
  { type: 'generate'; request: GenerateInput } | { type: 'edit'; request: EditInput };

export interface JobLimits {
  /** The worker's Lambda timeout; a job running longer than this plus a minute has died. */
  workerTimeoutSeconds: number;
  /** A job still queued after this long was never started (lost or failed invocation). */
  queuedTimeoutSeconds: number;
}

/** Slack after the worker's timeout before a running job counts as dead (clock skew, last writes). */
export const RUNNING_GRACE_SECONDS = 60;

/**
 * 900 s is Lambda's maximum timeout, so by default no live worker is ever declared dead
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); Terraform passes
 * the real value. Five minutes for a queued job: Lambda normally starts an asynchronous
 * invocation within seconds, and the SPA stops waiting long before.
 */
export const DEFAULT_JOB_LIMITS: JobLimits = {
  workerTimeoutSeconds: 900,
  queuedTimeoutSeconds: 300,
};

/**
 * The stored request stays well under DynamoDB's 400 KB item limit
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html); only a
 * large base64 mask gets near it.
 */
export const MAX_STORED_REQUEST_BYTES = 350_000;

/** JOB_WORKER_TIMEOUT_SECONDS and JOB_QUEUED_TIMEOUT_SECONDS, whole seconds, else the defaults. */
export function jobLimitsFromEnv(env: Readonly<Record<string, string | undefined>>): JobLimits {
  const read = (name: string, fallback: number, max: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new Error(`Invalid environment: ${name} must be a whole number from 1 to ${max}`);
    }
    return value;
  };
  return {
    workerTimeoutSeconds: read('JOB_WORKER_TIMEOUT_SECONDS', 900, 900),
    queuedTimeoutSeconds: read('JOB_QUEUED_TIMEOUT_SECONDS', 300, 86_400),
  };
}

export interface JobDeps {
  jobs: JobStore;
  dispatcher: JobDispatcher;
  generate: GenerateService;
  edit: EditService;
  /** Reads result records and signs their URLs. */
  pipeline: PipelineDeps;
  clock: Clock;
  newId: IdGenerator;
  limits: JobLimits;
  /** Checks a stored request again before the worker runs it (the schema may have changed). */
  parseRequest: (type: JobType, request: Record<string, unknown>) => JobSubmission;
}

/** A job as GET /jobs/{id} reports it; `result` for a succeeded job whose record still exists. */
export interface JobView {
  job: JobRecord;
  result?: ImageResult;
}

export type RunOutcome =
  | { outcome: 'succeeded'; job: JobRecord }
  | { outcome: 'failed'; job: JobRecord; error: AppError }
  /** Not run: already claimed, finished, stale or unknown. */
  | { outcome: 'skipped'; reason: string; job?: JobRecord };

export interface JobService {
  /**
   * Validates, stores and starts a job. `created` is false when the Idempotency-Key named an
   * existing job with the same request (that job is answered and nothing runs again).
   */
  submit(
    submission: JobSubmission,
    caller: { ownerId: string; idempotencyKey?: string },
  ): Promise<{ job: JobRecord; created: boolean }>;
  /** The caller's job, with stuck jobs failed first; NOT_FOUND for anyone else's. */
  get(id: string, ownerId: string): Promise<JobView>;
  /** The worker: claim once, run through the normal services, record the outcome. */
  run(jobId: string, context?: Pick<RequestContext, 'annotate'>): Promise<RunOutcome>;
}

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No such job.');
}

function secondsBetween(earlier: string, later: Date): number {
  return (later.getTime() - new Date(earlier).getTime()) / 1000;
}

export function createJobService(deps: JobDeps): JobService {
  const { limits } = deps;

  /** Fails a job stuck in `from`, unless something else changed it first; answers the job now. */
  async function failStuck(
    job: JobRecord,
    outcome: Extract<JobOutcome, { status: 'failed' }>,
  ): Promise<JobRecord> {
    if (await deps.jobs.finish(job.id, outcome, job.status)) return { ...job, ...outcome };
    return (await deps.jobs.get(job.id)) ?? job;
  }

  function neverStarted(now: Date): Extract<JobOutcome, { status: 'failed' }> {
    return {
      status: 'failed',
      errorCode: 'UPSTREAM_ERROR',
      errorMessage: `The job was never started (still queued after ${limits.queuedTimeoutSeconds} s); send the request again.`,
      updatedAt: now.toISOString(),
    };
  }

  /**
   * A crashed or timed-out worker never writes an outcome; the reader does it instead. Both
   * writes are conditional on the status the reader saw, so a worker that did finish wins.
   */
  async function expireIfStuck(job: JobRecord): Promise<JobRecord> {
    const now = deps.clock.now();
    const runningLimit = limits.workerTimeoutSeconds + RUNNING_GRACE_SECONDS;
    if (job.status === 'running' && secondsBetween(job.updatedAt, now) > runningLimit) {
      return failStuck(job, {
        status: 'failed',
        errorCode: 'MODEL_TIMEOUT',
        errorMessage: `The worker stopped before finishing (no result ${runningLimit} s after it started); send the request again.`,
        updatedAt: now.toISOString(),
      });
    }
    if (
      job.status === 'queued' &&
      secondsBetween(job.createdAt, now) > limits.queuedTimeoutSeconds
    ) {
      return failStuck(job, neverStarted(now));
    }
    return job;
  }

  return {
    async submit(submission, caller) {
      if (submission.type === 'generate') deps.generate.validate(submission.request);
      else deps.edit.validate(submission.request, caller.ownerId);

      const request: Record<string, unknown> = Object.fromEntries(
        Object.entries(submission.request).filter(([, value]) => value !== undefined),
      );
      if (Buffer.byteLength(JSON.stringify(request)) > MAX_STORED_REQUEST_BYTES) {
        throw new AppError(
          'PAYLOAD_TOO_LARGE',
          `The job request is larger than ${MAX_STORED_REQUEST_BYTES} bytes and cannot be queued; send a smaller mask (or use maskPrompt).`,
        );
      }
      const requestHash = contentId({ type: submission.type, request });
      const id =
        caller.idempotencyKey === undefined
          ? deps.newId()
          : contentId({
              kind: 'job',
              owner: caller.ownerId,
              idempotencyKey: caller.idempotencyKey,
            });
      const now = deps.clock.now().toISOString();
      const job: JobRecord = {
        id,
        kind: 'job',
        ownerId: caller.ownerId,
        jobType: submission.type,
        request,
        requestHash,
        status: 'queued',
        createdAt: now,
        updatedAt: now,
        attempts: 0,
      };

      const created = await deps.jobs.create(job);
      if (!created.created) {
        const { existing } = created;
        if (existing.ownerId !== caller.ownerId || existing.requestHash !== requestHash) {
          throw new AppError('CONFLICT', 'Idempotency-Key reused with a different request.', {
            details: [{ path: 'Idempotency-Key', message: 'already used for another request' }],
          });
        }
        return { job: existing, created: false };
      }

      try {
        await deps.dispatcher.dispatch(id);
      } catch (error) {
        const message = 'The job could not be started; send the request again.';
        await deps.jobs
          .finish(
            id,
            {
              status: 'failed',
              errorCode: 'UPSTREAM_ERROR',
              errorMessage: message,
              updatedAt: deps.clock.now().toISOString(),
            },
            'queued',
          )
          // If even this fails, the job stays queued and the stuck-job rule fails it later.
          .catch(() => undefined);
        throw new AppError('UPSTREAM_ERROR', message, { cause: error });
      }
      return { job, created: true };
    },

    async get(id, ownerId) {
      const stored = await deps.jobs.get(id);
      if (!stored || stored.ownerId !== ownerId) throw notFound();
      const job = await expireIfStuck(stored);
      if (job.status !== 'succeeded' || job.resultId === undefined) return { job };
      const record = await deps.pipeline.records.get(job.resultId);
      // The result may have been deleted from history since; the job still succeeded.
      if (record?.status !== 'succeeded') return { job };
      return { job, result: await resultFromRecord(deps.pipeline, record) };
    },

    async run(jobId, context = {}) {
      const now = deps.clock.now();
      const createdSince = new Date(
        now.getTime() - limits.queuedTimeoutSeconds * 1000,
      ).toISOString();
      const job = await deps.jobs.claim(jobId, now.toISOString(), createdSince);
      if (!job) {
        const current = await deps.jobs.get(jobId);
        if (!current) return { outcome: 'skipped', reason: 'no such job' };
        if (current.status === 'queued') {
          // Too old to start: the client was told (or will be) that it never started.
          const failed = await failStuck(current, neverStarted(now));
          return { outcome: 'skipped', reason: 'queued for too long', job: failed };
        }
        return { outcome: 'skipped', reason: `already ${current.status}`, job: current };
      }

      const runContext: RequestContext = {
        route: JOB_ROUTE,
        userId: job.ownerId,
        // The record fails on read exactly when this job does (the stuck-job rule above).
        runLimitSeconds: limits.workerTimeoutSeconds + RUNNING_GRACE_SECONDS,
        ...(context.annotate ? { annotate: context.annotate } : {}),
      };
      let resultId: string | undefined;
      let failure: AppError | undefined;
      try {
        const submission = deps.parseRequest(job.jobType, job.request);
        const result =
          submission.type === 'generate'
            ? await deps.generate.generate(submission.request, runContext)
            : await deps.edit.edit(submission.request, runContext);
        resultId = result.id;
      } catch (error) {
        failure = toAppError(error);
      }
      const updatedAt = deps.clock.now().toISOString();
      const outcome: JobOutcome = failure
        ? { status: 'failed', errorCode: failure.code, errorMessage: failure.message, updatedAt }
        : { status: 'succeeded', resultId: resultId ?? '', updatedAt };
      const finished = { ...job, ...outcome };
      if (!(await deps.jobs.finish(job.id, outcome, 'running'))) {
        return { outcome: 'skipped', reason: 'marked failed while running', job: finished };
      }
      return failure
        ? { outcome: 'failed', job: finished, error: failure }
        : { outcome: 'succeeded', job: finished };
    },
  };
}
