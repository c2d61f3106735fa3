/**
 * Long requests as jobs: when POST /generate or POST /edits answers USE_JOBS (the server predicts
 * the model would outlast API Gateway's 29 s), the same body goes to POST /jobs and GET /jobs/{id}
 * is polled until the job has finished. The caller gets the same ImageResult as from the
 * synchronous route, or an ApiError carrying the job's error.
 */
import { ApiError } from './client.js';
import type { EditRequest, GenerateRequest, ImageResult, ResultImage } from './types.js';

export type JobSubmission =
  ({ type: 'generate' } & GenerateRequest) | ({ type: 'edit' } & EditRequest);

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';

/** GET /jobs/{id}. */
export interface JobAnswer {
  id: string;
  type: 'generate' | 'edit';
  status: JobState;
  createdAt: string;
  updatedAt: string;
  resultId?: string;
  images?: ResultImage[];
  image_url?: string;
  model?: string;
  expiresAt?: string;
  error?: { code: string; message: string };
}

/** POST /jobs (202 new, 200 for a repeated Idempotency-Key). */
export interface JobAccepted {
  id: string;
  status: JobState;
  statusUrl: string;
}

/** The routes this module needs; ApiClient implements them. */
export interface JobApi {
  createJob(
    body: JobSubmission,
    idempotencyKey: string,
    signal?: AbortSignal,
  ): Promise<JobAccepted>;
  getJob(id: string, signal?: AbortSignal): Promise<JobAnswer>;
}

export interface JobProgress {
  status: 'queued' | 'running';
  /** Whole seconds since polling started. */
  elapsedSeconds: number;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface PollOptions {
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
  /** Injected in tests; setTimeout by default. */
  sleep?: Sleep;
  now?: () => number;
  /** Stop waiting after this long; the job may still finish and show up in History. */
  maxWaitMs?: number;
}

/** The first poll after a second, then 1.5× longer each time, never more than 5 s apart. */
export const FIRST_POLL_DELAY_MS = 1000;
export const MAX_POLL_DELAY_MS = 5000;
const POLL_BACKOFF = 1.5;
/**
 * The worker may run up to Lambda's 15 minutes; a minute later the server itself reports a
 * job that never finished as failed, so waiting a little longer than that is enough.
 */
export const DEFAULT_MAX_WAIT_MS = 17 * 60 * 1000;

export function nextPollDelay(previousMs: number | undefined): number {
  if (previousMs === undefined) return FIRST_POLL_DELAY_MS;
  return Math.min(MAX_POLL_DELAY_MS, Math.round(previousMs * POLL_BACKOFF));
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError');
}

export const timerSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** 128 random bits as hex; getRandomValues also works outside secure contexts, unlike randomUUID. */
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A succeeded job as the synchronous routes answer; the id is the history record's. */
export function jobToImageResult(job: JobAnswer): ImageResult {
  const images = job.images ?? [];
  return {
    id: job.resultId ?? job.id,
    image_url: job.image_url ?? images[0]?.url ?? '',
    images,
    model: job.model ?? '',
    ...(job.expiresAt ? { expiresAt: job.expiresAt } : {}),
  };
}

/** Polls GET /jobs/{id} with backoff until the job succeeded (its result) or failed (ApiError). */
export async function pollJob(
  api: JobApi,
  id: string,
  options: PollOptions = {},
): Promise<ImageResult> {
  const sleep = options.sleep ?? timerSleep;
  const now = options.now ?? (() => Date.now());
  const started = now();
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  let delay: number | undefined;
  for (;;) {
    delay = nextPollDelay(delay);
    await sleep(delay, options.signal);
    const job = await api.getJob(id, options.signal);
    if (job.status === 'succeeded') return jobToImageResult(job);
    if (job.status === 'failed') {
      throw new ApiError(
        job.error?.code ?? 'JOB_FAILED',
        job.error?.message ?? 'The job failed.',
        0,
      );
    }
    const elapsedMs = now() - started;
    options.onProgress?.({ status: job.status, elapsedSeconds: Math.round(elapsedMs / 1000) });
    if (elapsedMs >= maxWaitMs) {
      throw new ApiError(
        'JOB_TIMEOUT',
        'The job is taking unusually long. It keeps running on the server; look for it in History later.',
        0,
      );
    }
  }
}

export interface SyncOrJobOptions extends PollOptions {
  /** Called once when the request is resubmitted as a job. */
  onQueued?: () => void;
  /** Idempotency-Key for POST /jobs; a fresh random one by default. */
  idempotencyKey?: string;
  /** Called with the job's id once POST /jobs accepted it (to resume polling after a reload). */
  onAccepted?: (id: string) => void;
}

/**
 * Runs `sync`; if the server answers USE_JOBS, sends `submission` (the same body) to POST /jobs
 * and polls it. Any other error is passed on unchanged.
 */
export async function runSyncOrJob(
  api: JobApi,
  sync: () => Promise<ImageResult>,
  submission: JobSubmission,
  options: SyncOrJobOptions = {},
): Promise<ImageResult> {
  try {
    return await sync();
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'USE_JOBS') throw error;
  }
  return runJob(api, submission, options);
}

/** Sends `submission` to POST /jobs and polls it until it has finished. */
export async function runJob(
  api: JobApi,
  submission: JobSubmission,
  options: SyncOrJobOptions = {},
): Promise<ImageResult> {
  options.onQueued?.();
  // The key makes a retried POST (a flaky network) answer the same job instead of a second one.
  const key = options.idempotencyKey ?? randomKey();
  const accepted = await api.createJob(submission, key, options.signal);
  options.onAccepted?.(accepted.id);
  return pollJob(api, accepted.id, options);
}
