/**
 * Asynchronous jobs through the local stack: POST /jobs → the jobs function → an asynchronous
 * Lambda invocation of job-worker (the local Invoke API) → Bedrock stand-in → S3 and DynamoDB
 * stand-ins, polled over HTTP with real Cognito tokens.
 */
import { PNG } from 'pngjs';

import type { JobBody } from '../../functions/jobs/handler.js';
import { createSignedInUser, type SignedInUser } from './cognito-user.js';
import { json, startTestStack, type TestStack } from './stack-fixture.js';

const CORE = 'stability.stable-image-core-v1:1';
const NOVA = 'amazon.nova-canvas-v1:0';
/** The local stand-in answers in milliseconds; a job that takes longer than this is stuck. */
const POLL_LIMIT_MS = 30_000;
const POLL_EVERY_MS = 150;

interface Accepted {
  id: string;
  status: string;
  statusUrl: string;
}

describe('asynchronous jobs through the local stack', () => {
  let stack: TestStack;
  let user: SignedInUser;
  let other: SignedInUser;

  beforeAll(async () => {
    stack = await startTestStack({
      functionEnv: { ALLOWED_MODELS: `${CORE},${NOVA}`, DEFAULT_MODEL: CORE },
    });
    [user, other] = await Promise.all([createSignedInUser(stack), createSignedInUser(stack)]);
  });

  afterAll(async () => {
    await stack?.destroy();
  });

  function submit(
    body: unknown,
    options: { token?: string; idempotencyKey?: string } = {},
  ): Promise<Response> {
    return fetch(`${stack.invokeUrl}/jobs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: options.token ?? user.idToken,
        ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      },
      body: JSON.stringify(body),
    });
  }

  function read(id: string, token = user.idToken): Promise<Response> {
    return fetch(`${stack.invokeUrl}/jobs/${encodeURIComponent(id)}`, {
      headers: { authorization: token },
    });
  }

  /** Polls GET /jobs/{id} until the job has finished. */
  async function finished(id: string, limitMs = POLL_LIMIT_MS): Promise<JobBody> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const response = await read(id);
      expect(response.status).toBe(200);
      const job = await json<JobBody>(response);
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
    }
  }

  async function accepted(response: Response): Promise<Accepted> {
    const body = await json<Accepted>(response);
    expect([200, 202]).toContain(response.status);
    return body;
  }

  it('runs a generate job to success; its image URL works and history lists the result, not the job', async () => {
    const response = await submit({ type: 'generate', prompt: 'a lighthouse at dusk' });

    expect(response.status).toBe(202);
    const { id, status, statusUrl } = await accepted(response);
    expect(status).toBe('queued');
    expect(statusUrl).toBe(`${stack.invokeUrl}/jobs/${id}`);

    const job = await finished(id);
    expect(job).toMatchObject({ id, type: 'generate', status: 'succeeded', model: CORE });
    expect(job.images).toHaveLength(1);
    expect(job.image_url).toBe(job.images?.[0]?.url);
    expect(job.images?.[0]?.key).toMatch(new RegExp(`^users/${user.sub}/generated/`));

    const image = await fetch(job.image_url ?? '');
    expect(image.status).toBe(200);
    const png = PNG.sync.read(Buffer.from(await image.arrayBuffer()));
    expect(png.width).toBeGreaterThan(0);

    const history = await json<{ items: { id: string }[] }>(
      await fetch(`${stack.invokeUrl}/history`, { headers: { authorization: user.idToken } }),
    );
    const ids = history.items.map((item) => item.id);
    expect(ids).toContain(job.resultId);
    expect(ids).not.toContain(id);
  });

  it('runs the worker with the limits Terraform gives it: a 26 s model call succeeds', async () => {
    // The API functions give Bedrock 25 s (API Gateway's 29 s budget); the worker gets
    // job_worker_bedrock_timeout_ms. A stack that gave every function the API's limit fails this.
    expect(stack.functionEnvironments['job-worker']).toMatchObject({
      BEDROCK_TIMEOUT_MS: '600000',
      POWERTOOLS_SERVICE_NAME: 'job-worker',
    });
    expect(stack.functionEnvironments.jobs).toMatchObject({
      JOB_WORKER_FUNCTION: 'job-worker',
      JOB_WORKER_TIMEOUT_SECONDS: '900',
    });
    const response = await submit({ type: 'generate', prompt: 'a slow lighthouse [[slow:26000]]' });
    expect(response.status).toBe(202);
    const { id } = await accepted(response);

    const job = await finished(id, 60_000);
    expect(job).toMatchObject({ id, status: 'succeeded' });
  }, 90_000);

  it('runs one job for a repeated Idempotency-Key: same id, one Bedrock invocation', async () => {
    const before = stack.bedrockStats?.().invocations ?? 0;
    const body = { type: 'generate', prompt: 'a red kite over hills' };

    const first = await submit(body, { idempotencyKey: 'kite-1' });
    const second = await submit(body, { idempotencyKey: 'kite-1' });

    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    const [a, b] = [await accepted(first), await accepted(second)];
    expect(b.id).toBe(a.id);
    expect((await finished(a.id)).status).toBe('succeeded');
    const third = await submit(body, { idempotencyKey: 'kite-1' });
    expect(third.status).toBe(200);
    expect((await accepted(third)).status).toBe('succeeded');
    expect((stack.bedrockStats?.().invocations ?? 0) - before).toBe(1);

    const conflict = await submit(
      { type: 'generate', prompt: 'another picture' },
      { idempotencyKey: 'kite-1' },
    );
    expect(conflict.status).toBe(409);
    expect(await json(conflict)).toMatchObject({ error: { code: 'CONFLICT' } });
  });

  it.each([
    ['[[error]]', 'UPSTREAM_ERROR'],
    ['[[filter]]', 'CONTENT_FILTERED'],
  ])('records a worker failure (%s → %s) on the job', async (trigger, code) => {
    const { id } = await accepted(
      await submit({ type: 'generate', prompt: `a harbour ${trigger}` }),
    );

    const job = await finished(id);

    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe(code);
    expect(job.error?.message.length).toBeGreaterThan(0);
    expect(job).not.toHaveProperty('images');
  });

  it("answers 404 for another user's job", async () => {
    const { id } = await accepted(await submit({ type: 'generate', prompt: 'a private fox' }));

    const response = await read(id, other.idToken);

    expect(response.status).toBe(404);
    expect(await json(response)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    await finished(id);
  });

  it('refuses a predicted-long synchronous request with USE_JOBS; the same body runs as a job', async () => {
    const body = {
      prompt: 'a panorama of a busy market',
      model: NOVA,
      quality: 'premium',
      // Estimated ~60 s (shared/core/latency-estimate.ts); 2048×1024 would be ~120 s but makes
      // the stand-in draw twice the pixels for the job that follows.
      width: 1024,
      height: 1024,
      count: 5,
    };
    const before = stack.bedrockStats?.().invocations ?? 0;

    const sync = await fetch(`${stack.invokeUrl}/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: user.idToken },
      body: JSON.stringify(body),
    });

    expect(sync.status).toBe(400);
    const refusal = await json<{ error: { code: string; message: string } }>(sync);
    expect(refusal.error.code).toBe('USE_JOBS');
    expect(refusal.error.message).toContain('POST /jobs');
    expect((stack.bedrockStats?.().invocations ?? 0) - before).toBe(0);

    const { id } = await accepted(await submit({ type: 'generate', ...body }));
    const job = await finished(id);
    expect(job.status).toBe('succeeded');
    expect(job.images).toHaveLength(5);
  });

  it('answers 401 without a token and 400 for a body without type', async () => {
    const anonymous = await fetch(`${stack.invokeUrl}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'generate', prompt: 'x' }),
    });
    const untyped = await submit({ prompt: 'a fox' });

    expect(anonymous.status).toBe(401);
    expect(untyped.status).toBe(400);
    expect(await json(untyped)).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
  });
});
