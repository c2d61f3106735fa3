import { AppError } from '../errors.js';
import { pngBytes } from '../aws/test-runtime.js';
import { probeImage } from '../images/probe.js';
import { createEditService } from './edit-service.js';
import { createGenerateService } from './generate-service.js';
import {
  DEFAULT_JOB_LIMITS,
  JOB_ROUTE,
  MAX_STORED_REQUEST_BYTES,
  RUNNING_GRACE_SECONDS,
  createJobService,
  jobLimitsFromEnv,
  type JobSubmission,
} from './job-service.js';
import type { JobDispatcher, JobOutcome, JobRecord, JobStatus, JobStore } from './ports.js';
import {
  RecordingAdapter,
  fakeCatalog,
  fakeModel,
  inMemoryPipeline,
  sequentialIds,
} from './test-doubles.js';
import { DEFAULT_EDIT_MODELS } from '../models/catalog.js';

const MODEL = 'test.model-a';
const OTHER_MODEL = 'test.model-b';
const INPAINTER = 'test.inpainter';
const OWNER = 'owner-1';
const STRANGER = 'owner-2';
const UPLOAD = `users/${OWNER}/uploads/u1`;

/** The JobStore contract in memory: conditional create, claim and finish. */
class InMemoryJobStore implements JobStore {
  readonly jobs = new Map<string, JobRecord>();

  create(job: JobRecord): Promise<{ created: true } | { created: false; existing: JobRecord }> {
    const existing = this.jobs.get(job.id);
    if (existing) return Promise.resolve({ created: false, existing: structuredClone(existing) });
    this.jobs.set(job.id, structuredClone(job));
    return Promise.resolve({ created: true });
  }

  get(id: string): Promise<JobRecord | undefined> {
    const job = this.jobs.get(id);
    return Promise.resolve(job ? structuredClone(job) : undefined);
  }

  claim(id: string, now: string, createdSince: string): Promise<JobRecord | undefined> {
    const job = this.jobs.get(id);
    if (!job || job.status !== 'queued' || job.createdAt < createdSince) {
      return Promise.resolve(undefined);
    }
    const claimed: JobRecord = {
      ...job,
      status: 'running',
      updatedAt: now,
      attempts: job.attempts + 1,
    };
    this.jobs.set(id, claimed);
    return Promise.resolve(structuredClone(claimed));
  }

  finish(id: string, outcome: JobOutcome, from: JobStatus): Promise<boolean> {
    const job = this.jobs.get(id);
    if (!job || job.status !== from) return Promise.resolve(false);
    this.jobs.set(id, { ...job, ...outcome });
    return Promise.resolve(true);
  }
}

class RecordingDispatcher implements JobDispatcher {
  readonly dispatched: string[] = [];
  failWith: Error | undefined;

  dispatch(jobId: string): Promise<void> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.dispatched.push(jobId);
    return Promise.resolve();
  }
}

function setup() {
  let nowMs = new Date('2026-03-01T10:00:00.000Z').getTime();
  const clock = { now: () => new Date(nowMs) };
  const advanceSeconds = (seconds: number) => {
    nowMs += seconds * 1000;
  };
  const pipeline = inMemoryPipeline(clock);
  const { images, records, invoker } = pipeline;
  const adapter = new RecordingAdapter();
  const catalog = fakeCatalog(
    [fakeModel(MODEL), fakeModel(OTHER_MODEL), fakeModel(INPAINTER, ['inpaint'])],
    adapter,
  );
  const generate = createGenerateService({
    ...pipeline,
    catalog,
    newId: sequentialIds(),
    config: { allowedModels: [MODEL, INPAINTER], defaultModel: MODEL },
  });
  const edit = createEditService({
    ...pipeline,
    catalog,
    probe: probeImage,
    newId: sequentialIds(),
    config: {
      allowedModels: [MODEL, INPAINTER],
      editModels: {
        ...DEFAULT_EDIT_MODELS,
        inpaint: INPAINTER,
        outpaint: INPAINTER,
        erase: INPAINTER,
        'remove-background': INPAINTER,
        'search-replace': INPAINTER,
      },
    },
  });
  const store = new InMemoryJobStore();
  const dispatcher = new RecordingDispatcher();
  let jobIds = 0;
  const service = createJobService({
    jobs: store,
    dispatcher,
    generate,
    edit,
    pipeline,
    clock,
    newId: () => `job-${++jobIds}`,
    limits: DEFAULT_JOB_LIMITS,
    // The stored request is trusted here; the runtime checks it with the API schemas.
    parseRequest: (type, request) => ({ type, request }) as unknown as JobSubmission,
  });
  images.objects.set(UPLOAD, { bytes: pngBytes(40, 30), contentType: 'image/png' });
  return { service, store, dispatcher, invoker, records, images, advanceSeconds };
}

const generateJob = (prompt = 'a lighthouse', extra: Record<string, unknown> = {}) =>
  ({ type: 'generate', request: { prompt, ...extra } }) as JobSubmission;

describe('job service: submit', () => {
  it('stores a queued job owned by the caller (ownerId, never userId) and starts the worker', async () => {
    const { service, store, dispatcher } = setup();

    const { job, created } = await service.submit(
      generateJob('a lighthouse', { count: 2, seed: undefined }),
      { ownerId: OWNER },
    );

    expect(created).toBe(true);
    expect(dispatcher.dispatched).toEqual([job.id]);
    const stored = store.jobs.get(job.id);
    expect(stored).toMatchObject({
      kind: 'job',
      ownerId: OWNER,
      jobType: 'generate',
      request: { prompt: 'a lighthouse', count: 2 },
      status: 'queued',
      attempts: 0,
    });
    expect(stored).not.toHaveProperty('userId');
    expect(stored?.request).not.toHaveProperty('seed');
  });

  it('answers the existing job for a repeated Idempotency-Key and the same body, starting nothing', async () => {
    const { service, dispatcher, store } = setup();
    const caller = { ownerId: OWNER, idempotencyKey: 'key-1' };

    const first = await service.submit(generateJob(), caller);
    const second = await service.submit(generateJob(), caller);

    expect(second.created).toBe(false);
    expect(second.job.id).toBe(first.job.id);
    expect(dispatcher.dispatched).toEqual([first.job.id]);
    expect(store.jobs.size).toBe(1);
  });

  it('refuses a reused Idempotency-Key with a different body (409 CONFLICT)', async () => {
    const { service, dispatcher } = setup();
    const caller = { ownerId: OWNER, idempotencyKey: 'key-1' };
    await service.submit(generateJob('a lighthouse'), caller);

    const error = await service
      .submit(generateJob('a different picture'), caller)
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'CONFLICT', status: 409 });
    expect((error as AppError).message).toContain('Idempotency-Key reused');
    expect(dispatcher.dispatched).toHaveLength(1);
  });

  it('keeps two users’ jobs apart even when they pick the same Idempotency-Key', async () => {
    const { service, dispatcher } = setup();

    const mine = await service.submit(generateJob(), { ownerId: OWNER, idempotencyKey: 'k' });
    const theirs = await service.submit(generateJob(), { ownerId: STRANGER, idempotencyKey: 'k' });

    expect(theirs.created).toBe(true);
    expect(theirs.job.id).not.toBe(mine.job.id);
    expect(dispatcher.dispatched).toHaveLength(2);
  });

  it('refuses what the generate service would refuse before storing anything', async () => {
    const { service, store, dispatcher } = setup();

    await expect(
      service.submit(generateJob('cat', { model: OTHER_MODEL }), { ownerId: OWNER }),
    ).rejects.toMatchObject({ code: 'MODEL_NOT_ALLOWED' });
    await expect(
      service.submit(generateJob('cat', { width: 4096, height: 512 }), { ownerId: OWNER }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    expect(store.jobs.size).toBe(0);
    expect(dispatcher.dispatched).toHaveLength(0);
  });

  it('refuses an edit of someone else’s image before storing anything', async () => {
    const { service, store } = setup();

    await expect(
      service.submit(
        { type: 'edit', request: { imageKey: `users/${STRANGER}/uploads/u9` } },
        { ownerId: OWNER },
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(store.jobs.size).toBe(0);
  });

  it('refuses a request too large to store in one item', async () => {
    const { service, store } = setup();
    const mask = 'A'.repeat(MAX_STORED_REQUEST_BYTES);

    await expect(
      service.submit({ type: 'edit', request: { imageKey: UPLOAD, mask } }, { ownerId: OWNER }),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(store.jobs.size).toBe(0);
  });

  it('marks the job failed and answers 502 when the worker cannot be started', async () => {
    const { service, store, dispatcher } = setup();
    dispatcher.failWith = new Error('Rate exceeded');

    const error = await service
      .submit(generateJob(), { ownerId: OWNER })
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 502 });
    const [job] = [...store.jobs.values()];
    expect(job).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_ERROR' });
    expect(job?.errorMessage).toBe((error as AppError).message);
  });
});

describe('job service: run (the worker)', () => {
  it('claims once, runs through the generate service as the owner, and records the result id', async () => {
    const { service, store, invoker, records } = setup();
    const { job } = await service.submit(generateJob('a fox', { count: 2 }), { ownerId: OWNER });

    const first = await service.run(job.id);
    const second = await service.run(job.id);

    expect(first.outcome).toBe('succeeded');
    expect(second).toMatchObject({ outcome: 'skipped', reason: 'already succeeded' });
    expect(invoker.calls).toHaveLength(1);
    const stored = store.jobs.get(job.id);
    expect(stored).toMatchObject({ status: 'succeeded', attempts: 1 });
    const record = records.records.get(stored?.resultId ?? '');
    expect(record).toMatchObject({
      kind: 'generation',
      route: JOB_ROUTE,
      userId: OWNER,
      prompt: 'a fox',
      status: 'succeeded',
    });
    expect(record?.outputKeys[0]).toMatch(new RegExp(`^users/${OWNER}/generated/`));
  });

  it('does not run a job whose claim another worker already holds', async () => {
    const { service, store, invoker } = setup();
    const { job } = await service.submit(generateJob(), { ownerId: OWNER });
    store.jobs.set(job.id, { ...job, status: 'running', attempts: 1 });

    const outcome = await service.run(job.id);

    expect(outcome).toMatchObject({ outcome: 'skipped', reason: 'already running' });
    expect(invoker.calls).toHaveLength(0);
  });

  it('runs an edit job through the edit service', async () => {
    const { service, store, records } = setup();
    const { job } = await service.submit(
      { type: 'edit', request: { imageKey: UPLOAD, prompt: 'a door' } },
      { ownerId: OWNER },
    );

    await service.run(job.id);

    const resultId = store.jobs.get(job.id)?.resultId ?? '';
    expect(records.records.get(resultId)).toMatchObject({
      kind: 'edit',
      inputKey: UPLOAD,
      userId: OWNER,
    });
  });

  it('records the failure code and message of the model error', async () => {
    const { service, store, invoker } = setup();
    invoker.respond = () =>
      Promise.reject(new AppError('CONTENT_FILTERED', 'The prompt was blocked by a filter.'));
    const { job } = await service.submit(generateJob(), { ownerId: OWNER });

    const outcome = await service.run(job.id);

    expect(outcome.outcome).toBe('failed');
    expect(store.jobs.get(job.id)).toMatchObject({
      status: 'failed',
      errorCode: 'CONTENT_FILTERED',
      errorMessage: 'The prompt was blocked by a filter.',
    });
  });

  it('never starts a job that waited longer than the queued limit, and fails it', async () => {
    const { service, store, invoker, advanceSeconds } = setup();
    const { job } = await service.submit(generateJob(), { ownerId: OWNER });
    advanceSeconds(DEFAULT_JOB_LIMITS.queuedTimeoutSeconds + 1);

    const outcome = await service.run(job.id);

    expect(outcome).toMatchObject({ outcome: 'skipped', reason: 'queued for too long' });
    expect(invoker.calls).toHaveLength(0);
    expect(store.jobs.get(job.id)).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_ERROR' });
  });

  it('skips an unknown job id', async () => {
    const { service } = setup();

    await expect(service.run('nope')).resolves.toMatchObject({ outcome: 'skipped' });
  });
});

describe('job service: get', () => {
  it('answers only the owner; anyone else and unknown ids get the same 404', async () => {
    const { service } = setup();
    const { job } = await service.submit(generateJob(), { ownerId: OWNER });

    await expect(service.get(job.id, OWNER)).resolves.toMatchObject({
      job: { id: job.id, status: 'queued' },
    });
    await expect(service.get(job.id, STRANGER)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.get('no-such-job', OWNER)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers a succeeded job with fresh URLs of the result record', async () => {
    const { service } = setup();
    const { job } = await service.submit(generateJob('a fox', { count: 2 }), { ownerId: OWNER });
    await service.run(job.id);

    const first = await service.get(job.id, OWNER);
    const second = await service.get(job.id, OWNER);

    expect(first.job.status).toBe('succeeded');
    expect(first.result?.images).toHaveLength(2);
    expect(first.result?.images[0]?.key).toMatch(new RegExp(`^users/${OWNER}/generated/`));
    expect(second.result?.images[0]?.url).not.toBe(first.result?.images[0]?.url);
  });

  it('answers a succeeded job whose result was deleted from history without images', async () => {
    const { service, store, records } = setup();
    const { job } = await service.submit(generateJob(), { ownerId: OWNER });
    await service.run(job.id);
    records.records.delete(store.jobs.get(job.id)?.resultId ?? '');

    const view = await service.get(job.id, OWNER);

    expect(view.job.status).toBe('succeeded');
    expect(view).not.toHaveProperty('result');
  });

  it('fails a job running longer than the worker timeout plus grace (MODEL_TIMEOUT)', async () => {
    const { service, store, advanceSeconds } = setup();
    const { job } = await service.submit(generateJob(), { ownerId: OWNER });
    await store.claim(job.id, job.createdAt, job.createdAt);
    const limit = DEFAULT_JOB_LIMITS.workerTimeoutSeconds + RUNNING_GRACE_SECONDS;

    advanceSeconds(limit - 1);
    await expect(service.get(job.id, OWNER)).resolves.toMatchObject({
      job: { status: 'running' },
    });
    advanceSeconds(2);
    const view = await service.get(job.id, OWNER);

    expect(view.job).toMatchObject({ status: 'failed', errorCode: 'MODEL_TIMEOUT' });
    expect(view.job.errorMessage).toMatch(/the worker stopped before finishing/i);
    expect(store.jobs.get(job.id)?.status).toBe('failed');
  });

  it('fails a job queued for longer than the queued limit (UPSTREAM_ERROR)', async () => {
    const { service, store, advanceSeconds } = setup();
    const { job } = await service.submit(generateJob(), { ownerId: OWNER });

    advanceSeconds(DEFAULT_JOB_LIMITS.queuedTimeoutSeconds + 1);
    const view = await service.get(job.id, OWNER);

    expect(view.job).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_ERROR' });
    expect(view.job.errorMessage).toContain('never started');
    expect(store.jobs.get(job.id)?.status).toBe('failed');
  });

  it('answers what the worker wrote when it finished just before the stale write', async () => {
    const { service, store, advanceSeconds } = setup();
    const { job } = await service.submit(generateJob(), { ownerId: OWNER });
    advanceSeconds(DEFAULT_JOB_LIMITS.queuedTimeoutSeconds + 1);
    // The worker's outcome lands between the reader's read and its conditional write.
    const realFinish = store.finish.bind(store);
    store.finish = async (id, outcome, from) => {
      store.jobs.set(id, { ...job, status: 'succeeded', resultId: 'gone' });
      return realFinish(id, outcome, from);
    };

    const view = await service.get(job.id, OWNER);

    expect(view.job.status).toBe('succeeded');
  });
});

describe('jobLimitsFromEnv', () => {
  it('uses the defaults when nothing is set and reads whole seconds', () => {
    expect(jobLimitsFromEnv({})).toEqual(DEFAULT_JOB_LIMITS);
    expect(
      jobLimitsFromEnv({ JOB_WORKER_TIMEOUT_SECONDS: '120', JOB_QUEUED_TIMEOUT_SECONDS: '30' }),
    ).toEqual({ workerTimeoutSeconds: 120, queuedTimeoutSeconds: 30 });
  });

  it('refuses values that are not whole seconds in range, naming the variable', () => {
    expect(() => jobLimitsFromEnv({ JOB_WORKER_TIMEOUT_SECONDS: '901' })).toThrow(
      'JOB_WORKER_TIMEOUT_SECONDS',
    );
    expect(() => jobLimitsFromEnv({ JOB_QUEUED_TIMEOUT_SECONDS: '1.5' })).toThrow(
      'JOB_QUEUED_TIMEOUT_SECONDS',
    );
  });
});
