// POST /jobs → 202 {id, status, statusUrl} (200 for a repeated Idempotency-Key); GET /jobs/{id} → 200 the job, with images once succeeded (Lambda proxy; Cognito; the caller's jobs only).
import type { APIGatewayProxyEvent } from 'aws-lambda';

import { jobsRuntime, type JobsRuntime } from '../../shared/aws/image-runtimes.js';
import { initRuntime } from '../../shared/aws/runtime.js';
import type { JobSubmission, JobView } from '../../shared/core/job-service.js';
import { AppError, type ErrorCode } from '../../shared/errors.js';
import type { ResultImage } from '../../shared/core/image-pipeline.js';
import type { RuntimeProvider } from '../../shared/http/observe.js';
import { header, parseJsonBody, requireCaller } from '../../shared/http/request.js';
import { ok, type HttpResult } from '../../shared/http/response.js';
import { validate } from '../../shared/http/validation.js';
import { withHttp, type ProxyHandler } from '../../shared/http/with-http.js';
import {
  JOB_ID_PATTERN,
  idempotencyKeySchema,
  jobRequestSchema,
  type JobRequest,
} from './schemas.js';

export const CREATE_ROUTE = 'POST /jobs';
export const GET_ROUTE = 'GET /jobs/{id}';

/** GET /jobs/{id}'s answer. */
export interface JobBody {
  id: string;
  type: 'generate' | 'edit';
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  createdAt: string;
  updatedAt: string;
  /** The generation or edit record (history item) the job produced. */
  resultId?: string;
  images?: ResultImage[];
  image_url?: string;
  model?: string;
  expiresAt?: string;
  error?: { code: ErrorCode; message: string };
}

export function toJobBody({ job, result }: JobView): JobBody {
  return {
    id: job.id,
    type: job.jobType,
    status: job.status,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    ...(job.resultId ? { resultId: job.resultId } : {}),
    ...(result
      ? {
          images: result.images,
          image_url: result.images[0]?.url ?? '',
          model: result.model,
          expiresAt: result.expiresAt,
        }
      : {}),
    ...(job.status === 'failed'
      ? {
          error: {
            code: job.errorCode ?? 'INTERNAL',
            message: job.errorMessage ?? 'The job failed.',
          },
        }
      : {}),
  };
}

/**
 * Where to poll: absolute when the event names the host (requestContext.path already holds the
 * stage, or a custom domain's base path), else relative to the API root.
 */
export function statusUrlFor(event: APIGatewayProxyEvent, id: string): string {
  const relative = `/jobs/${encodeURIComponent(id)}`;
  const host = header(event, 'host');
  const path = event.requestContext?.path;
  if (!host || !path?.endsWith('/jobs')) return relative;
  const protocol = header(event, 'x-forwarded-proto') ?? 'https';
  return `${protocol}://${host}${path.slice(0, -'/jobs'.length)}${relative}`;
}

/** The body without `type`: exactly what POST /generate or POST /edits would have received. */
function toSubmission(body: JobRequest): JobSubmission {
  if (body.type === 'generate') {
    const { type, ...request } = body;
    return { type, request };
  }
  const { type, ...request } = body;
  return { type, request };
}

function noSuchJob(): AppError {
  return new AppError('NOT_FOUND', 'No such job.');
}

export function createHandler(runtime: RuntimeProvider<JobsRuntime>): ProxyHandler {
  const create = withHttp(CREATE_ROUTE, runtime, async (event, { runtime, annotate }) => {
    const ownerId = requireCaller(event);
    const rawKey = header(event, 'idempotency-key');
    const idempotencyKey =
      rawKey === undefined ? undefined : validate(idempotencyKeySchema, rawKey, 'Idempotency-Key');
    const submission = toSubmission(parseJsonBody(event, jobRequestSchema));
    if (submission.request.model) annotate({ model: submission.request.model });
    const { job, created } = await runtime.jobs.submit(submission, {
      ownerId,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });
    const statusUrl = statusUrlFor(event, job.id);
    const result: HttpResult = {
      statusCode: created ? 202 : 200,
      body: { id: job.id, status: job.status, statusUrl },
      headers: { Location: statusUrl },
    };
    return result;
  });

  const read = withHttp(GET_ROUTE, runtime, async (event, { runtime }) => {
    const ownerId = requireCaller(event);
    const id = event.pathParameters?.id;
    // A malformed id cannot name a job; answer it like any other missing job.
    if (id === undefined || !JOB_ID_PATTERN.test(id)) throw noSuchJob();
    return ok(toJobBody(await runtime.jobs.get(id, ownerId)));
  });

  // One function serves both routes (openapi.yaml points both at it).
  return (event: APIGatewayProxyEvent, context) =>
    event.httpMethod === 'GET' ? read(event, context) : create(event, context);
}

export const handler = createHandler(initRuntime(jobsRuntime));
