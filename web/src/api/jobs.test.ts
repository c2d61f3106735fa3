import { ApiError } from './client.js';
import {
  FIRST_POLL_DELAY_MS,
  MAX_POLL_DELAY_MS,
  nextPollDelay,
  pollJob,
  runJob,
  runSyncOrJob,
  timerSleep,
  type JobAnswer,
  type JobApi,
  type JobProgress,
  type JobSubmission,
} from './jobs.js';
import type { ImageResult } from './types.js';

const CREATED = '2026-01-02T03:04:05.000Z';

function answer(status: JobAnswer['status'], extra: Partial<JobAnswer> = {}): JobAnswer {
  return {
    id: 'job-1',
    type: 'generate',
    status,
    createdAt: CREATED,
    updatedAt: CREATED,
    ...extra,
  };
}

const succeeded = answer('succeeded', {
  resultId: 'rec-1',
  images: [{ url: 'https://bucket/users/u/generated/rec-1/0.png?sig', key: 'k0', seed: 5 }],
  image_url: 'https://bucket/users/u/generated/rec-1/0.png?sig',
  model: 'amazon.nova-canvas-v1:0',
  expiresAt: '2026-01-02T04:04:05.000Z',
});

/** A JobApi answering GET /jobs/{id} from a script, and recording what was asked. */
function scriptedApi(answers: JobAnswer[]) {
  const created: { body: JobSubmission; key: string }[] = [];
  const polled: string[] = [];
  const api: JobApi = {
    createJob(body, key) {
      created.push({ body, key });
      return Promise.resolve({ id: 'job-1', status: 'queued', statusUrl: '/jobs/job-1' });
    },
    getJob(id) {
      polled.push(id);
      const next = answers.length > 1 ? answers.shift() : answers[0];
      if (!next) return Promise.reject(new Error('no answer scripted'));
      return Promise.resolve(next);
    },
  };
  return { api, created, polled };
}

/** A sleep that returns at once but advances a fake clock and records each delay. */
function fakeTime() {
  let now = 0;
  const delays: number[] = [];
  return {
    delays,
    now: () => now,
    sleep: (ms: number) => {
      delays.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('nextPollDelay', () => {
  it('starts at one second and backs off to five', () => {
    const delays: number[] = [];
    let delay: number | undefined;
    for (let i = 0; i < 8; i += 1) {
      delay = nextPollDelay(delay);
      delays.push(delay);
    }

    expect(delays[0]).toBe(FIRST_POLL_DELAY_MS);
    for (let i = 1; i < delays.length; i += 1) {
      expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    }
    expect(delays.at(-1)).toBe(MAX_POLL_DELAY_MS);
    expect(Math.max(...delays)).toBe(MAX_POLL_DELAY_MS);
  });
});

describe('pollJob', () => {
  it('polls until the job succeeded and answers it like a synchronous result', async () => {
    const { api, polled } = scriptedApi([
      answer('queued'),
      answer('running'),
      answer('running'),
      succeeded,
    ]);
    const time = fakeTime();
    const progress: JobProgress[] = [];

    const result = await pollJob(api, 'job-1', {
      sleep: time.sleep,
      now: time.now,
      onProgress: (update) => progress.push(update),
    });

    expect(result).toEqual({
      id: 'rec-1',
      image_url: succeeded.image_url,
      images: succeeded.images,
      model: succeeded.model,
      expiresAt: succeeded.expiresAt,
    });
    expect(polled).toEqual(['job-1', 'job-1', 'job-1', 'job-1']);
    expect(progress.map((update) => update.status)).toEqual(['queued', 'running', 'running']);
    expect(progress.map((update) => update.elapsedSeconds)).toEqual(
      time.delays
        .slice(0, 3)
        .map((_, index) =>
          Math.round(time.delays.slice(0, index + 1).reduce((sum, ms) => sum + ms, 0) / 1000),
        ),
    );
    expect(time.delays[0]).toBe(FIRST_POLL_DELAY_MS);
    expect(time.delays[1]).toBeGreaterThan(time.delays[0]!);
  });

  it("throws the job's own error when it failed", async () => {
    const { api } = scriptedApi([
      answer('running'),
      answer('failed', { error: { code: 'CONTENT_FILTERED', message: 'The prompt was blocked.' } }),
    ]);
    const time = fakeTime();

    const error = await pollJob(api, 'job-1', { sleep: time.sleep, now: time.now }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'CONTENT_FILTERED', message: 'The prompt was blocked.' });
  });

  it('gives up after maxWaitMs, saying the job may still finish', async () => {
    const { api, polled } = scriptedApi([answer('running')]);
    const time = fakeTime();

    const error = await pollJob(api, 'job-1', {
      sleep: time.sleep,
      now: time.now,
      maxWaitMs: 60_000,
    }).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'JOB_TIMEOUT' });
    expect((error as Error).message).toContain('History');
    expect(time.now()).toBeGreaterThanOrEqual(60_000);
    expect(time.delays.every((ms) => ms <= MAX_POLL_DELAY_MS)).toBe(true);
    expect(polled.length).toBe(time.delays.length);
  });

  it('stops polling when aborted', async () => {
    const { api, polled } = scriptedApi([answer('running')]);
    const abort = new AbortController();
    abort.abort();

    await expect(pollJob(api, 'job-1', { signal: abort.signal })).rejects.toBeDefined();
    expect(polled).toHaveLength(0);
  });
});

describe('timerSleep', () => {
  it('rejects at once when the signal aborts while waiting', async () => {
    const abort = new AbortController();
    const sleeping = timerSleep(60_000, abort.signal);

    abort.abort(new Error('cancelled'));

    await expect(sleeping).rejects.toThrow('cancelled');
  });
});

describe('runSyncOrJob', () => {
  const syncResult: ImageResult = { id: 's', image_url: 'u', images: [], model: 'm' };
  const submission: JobSubmission = { type: 'generate', prompt: 'a city', count: 5 };

  it('answers the synchronous result when there is one, without touching jobs', async () => {
    const { api, created } = scriptedApi([succeeded]);

    await expect(runSyncOrJob(api, () => Promise.resolve(syncResult), submission)).resolves.toBe(
      syncResult,
    );
    expect(created).toHaveLength(0);
  });

  it('resubmits the same body to POST /jobs on USE_JOBS and polls it', async () => {
    const { api, created } = scriptedApi([answer('queued'), succeeded]);
    const time = fakeTime();
    let queued = 0;

    const result = await runSyncOrJob(
      api,
      () => Promise.reject(new ApiError('USE_JOBS', 'too long', 400)),
      submission,
      { sleep: time.sleep, now: time.now, onQueued: () => (queued += 1) },
    );

    expect(result.id).toBe('rec-1');
    expect(created).toHaveLength(1);
    expect(created[0]?.body).toEqual(submission);
    expect(created[0]?.key).toMatch(/^[0-9a-f]{32}$/);
    expect(queued).toBe(1);
  });

  it('passes other errors on without starting a job', async () => {
    const { api, created } = scriptedApi([succeeded]);

    await expect(
      runSyncOrJob(
        api,
        () => Promise.reject(new ApiError('THROTTLED', 'slow down', 429)),
        submission,
      ),
    ).rejects.toMatchObject({ code: 'THROTTLED' });
    expect(created).toHaveLength(0);
  });

  it('sends the given Idempotency-Key', async () => {
    const { api, created } = scriptedApi([succeeded]);
    const time = fakeTime();

    await runSyncOrJob(
      api,
      () => Promise.reject(new ApiError('USE_JOBS', 'too long', 400)),
      submission,
      { sleep: time.sleep, now: time.now, idempotencyKey: 'fixed-key' },
    );

    expect(created[0]?.key).toBe('fixed-key');
  });

  it('tells the caller the job id before polling, so a reload can resume it', async () => {
    const { api } = scriptedApi([answer('running'), succeeded]);
    const time = fakeTime();
    const accepted: string[] = [];
    let polledBeforeAccepted = false;

    await runJob(api, submission, {
      sleep: time.sleep,
      now: time.now,
      onAccepted: (id) => accepted.push(id),
      onProgress: () => (polledBeforeAccepted ||= accepted.length === 0),
    });

    expect(accepted).toEqual(['job-1']);
    expect(polledBeforeAccepted).toBe(false);
  });
});
