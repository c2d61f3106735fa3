import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import 'aws-sdk-client-mock-jest';

import {
  TEST_BUCKET,
  TEST_TABLE,
  bedrockBody,
  serviceError,
  testRuntime,
} from '../../shared/aws/test-runtime.js';
import { TEST_USER_ID, proxyEvent } from '../../shared/http/test-events.js';
import {
  mockImageRequestClients,
  pendingRecords,
  recordFinishes,
} from '../../shared/http/test-clients.js';
import { captureOutputInEachTest } from '../../shared/http/test-output.js';
import { generateRuntime } from '../../shared/aws/image-runtimes.js';
import { createHandler } from './handler.js';

const { s3, dynamo, bedrock } = mockImageRequestClients({ seed: 7 });
const output = captureOutputInEachTest();

const CORE = 'stability.stable-image-core-v1:1';

const handler = (env: NodeJS.ProcessEnv = {}) => {
  const runtime = testRuntime(generateRuntime, env);
  return createHandler(() => runtime);
};

function bodyOf(result: { body: string }): Record<string, unknown> {
  return JSON.parse(result.body) as Record<string, unknown>;
}

/** The record fields of the first DynamoDB update (the final status write). */
function finalUpdate(): Record<string, unknown> {
  const fields = recordFinishes(dynamo)[0];
  if (!fields) throw new Error('expected an UpdateItem');
  return fields;
}

describe('POST /generate handler', () => {
  it('generates, stores and answers with pre-signed URLs and CORS headers', async () => {
    const result = await handler()(proxyEvent({ body: { prompt: 'a lighthouse at dusk' } }));

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({
      'Access-Control-Allow-Origin': 'https://app.example.com',
      Vary: 'Origin',
      'Content-Type': 'application/json',
    });
    const body = bodyOf(result);
    const images = body.images as { url: string; key: string; seed: number }[];
    expect(images).toHaveLength(1);
    expect(images[0]?.key).toMatch(/^generated\/[0-9a-f-]{36}\/0\.png$/);
    expect(images[0]?.seed).toBe(7);
    expect(body.image_url).toBe(images[0]?.url);
    expect(body.image_url).toContain(`${TEST_BUCKET}`);
    expect(body.image_url).toContain('X-Amz-Expires=900');
    expect(body).toMatchObject({ model: CORE, id: images[0]?.key.split('/')[1] });
    expect(body).not.toHaveProperty('cached');
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: TEST_BUCKET,
      Key: images[0]?.key,
      ContentType: 'image/png',
    });
    expect(bedrock).toHaveReceivedCommandWith(InvokeModelCommand, {
      modelId: CORE,
      contentType: 'application/json',
      accept: 'application/json',
    });
    expect(pendingRecords(dynamo)).toEqual([
      {
        TableName: TEST_TABLE,
        Item: expect.objectContaining({ status: 'pending', route: 'POST /generate' }) as unknown,
      },
    ]);
    expect(finalUpdate()).toMatchObject({ status: 'succeeded', outputKeys: [images[0]?.key] });
  });

  it('puts a signed-in caller’s images under users/<sub>/generated/ and records the user', async () => {
    const result = await handler()(
      proxyEvent({ body: { prompt: 'a fox', count: 2 }, claims: true }),
    );

    const images = bodyOf(result).images as { key: string }[];
    expect(images.map((image) => image.key)).toEqual([
      expect.stringMatching(new RegExp(`^users/${TEST_USER_ID}/generated/[^/]+/0\\.png$`)),
      expect.stringMatching(new RegExp(`^users/${TEST_USER_ID}/generated/[^/]+/1\\.png$`)),
    ]);
    expect(bedrock).toHaveReceivedCommandTimes(InvokeModelCommand, 2);
    expect(pendingRecords(dynamo)[0]?.Item).toMatchObject({ userId: TEST_USER_ID });
  });

  it('reads base64-encoded bodies', async () => {
    const result = await handler()(
      proxyEvent({ body: { prompt: 'a boat' }, isBase64Encoded: true }),
    );

    expect(result.statusCode).toBe(200);
  });

  it('answers 400 INVALID_JSON for a body that is not JSON', async () => {
    const result = await handler()(proxyEvent({ body: '{"prompt": "unterminated' }));

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toMatchObject({ error: { code: 'INVALID_JSON' } });
    expect(result.headers?.['Access-Control-Allow-Origin']).toBe('https://app.example.com');
  });

  it('answers 415 for a body that is not sent as JSON', async () => {
    const result = await handler()(
      proxyEvent({
        body: 'prompt=cat',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );

    expect(result.statusCode).toBe(415);
    expect(bodyOf(result)).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('answers 400 INVALID_REQUEST naming an unknown field', async () => {
    const result = await handler()(proxyEvent({ body: { prompt: 'cat', numImages: 2 } }));

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toEqual({
      error: {
        code: 'INVALID_REQUEST',
        message: expect.stringContaining('numImages') as unknown,
        details: [{ path: 'numImages', message: 'unknown field' }],
      },
    });
    expect(bedrock).not.toHaveReceivedCommand(InvokeModelCommand);
  });

  it('answers 400 for an empty prompt and for a count above 5', async () => {
    const empty = await handler()(proxyEvent({ body: { prompt: '   ' } }));
    const tooMany = await handler()(proxyEvent({ body: { prompt: 'cat', count: 6 } }));

    expect(empty.statusCode).toBe(400);
    expect(bodyOf(empty)).toMatchObject({ error: { details: [{ path: 'prompt' }] } });
    expect(tooMany.statusCode).toBe(400);
    expect(bodyOf(tooMany)).toMatchObject({ error: { details: [{ path: 'count' }] } });
  });

  it('answers 400 MODEL_NOT_ALLOWED listing the allowed models', async () => {
    const result = await handler()(
      proxyEvent({ body: { prompt: 'cat', model: 'stability.stable-image-ultra-v1:1' } }),
    );

    expect(result.statusCode).toBe(400);
    const { error } = bodyOf(result) as { error: { code: string; message: string } };
    expect(error.code).toBe('MODEL_NOT_ALLOWED');
    expect(error.message).toContain(CORE);
    expect(error.message).toContain('amazon.nova-canvas-v1:0');
  });

  it('answers 422 CONTENT_FILTERED when the model filters every image, storing nothing', async () => {
    bedrock.on(InvokeModelCommand).resolves({
      body: bedrockBody({ seeds: [1], finish_reasons: ['Filter reason: prompt'], images: [null] }),
      contentType: 'application/json',
      $metadata: {},
    });

    const result = await handler()(proxyEvent({ body: { prompt: 'something blocked' } }));

    expect(result.statusCode).toBe(422);
    expect(bodyOf(result)).toMatchObject({ error: { code: 'CONTENT_FILTERED' } });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(finalUpdate()).toMatchObject({ status: 'failed', errorCode: 'CONTENT_FILTERED' });
  });

  it('answers 429 THROTTLED with Retry-After when Bedrock throttles, and counts the throttle', async () => {
    bedrock
      .on(InvokeModelCommand)
      .rejects(serviceError('ThrottlingException', 'Too many requests', 429));

    const result = await handler()(proxyEvent({ body: { prompt: 'cat' } }));

    expect(result.statusCode).toBe(429);
    expect(result.headers?.['Retry-After']).toMatch(/^\d+$/);
    expect(bodyOf(result)).toMatchObject({ error: { code: 'THROTTLED' } });
    const metricNames = output
      .lines()
      .flatMap((line) => Object.keys(line).filter((key) => key !== '_aws'));
    expect(metricNames).toEqual(expect.arrayContaining(['BedrockThrottles', 'Errors', 'Requests']));
  });

  it('answers 503 MODEL_UNAVAILABLE naming the setting to change when the model is not enabled', async () => {
    bedrock
      .on(InvokeModelCommand)
      .rejects(serviceError('AccessDeniedException', "You don't have access to the model", 403));

    const result = await handler()(proxyEvent({ body: { prompt: 'cat' } }));

    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBeDefined();
    const { error } = bodyOf(result) as { error: { code: string; message: string } };
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.message).toContain('allowed_models');
  });

  it('answers 504 MODEL_TIMEOUT when Bedrock does not answer in time', async () => {
    bedrock.on(InvokeModelCommand).rejects(serviceError('TimeoutError', 'socket timed out', 0));

    const result = await handler()(proxyEvent({ body: { prompt: 'cat' } }));

    expect(result.statusCode).toBe(504);
    expect(bodyOf(result)).toMatchObject({ error: { code: 'MODEL_TIMEOUT' } });
  });

  it('stops waiting for Bedrock at BEDROCK_TIMEOUT_MS and answers 504', async () => {
    bedrock.on(InvokeModelCommand).callsFake(
      (_input, getClient) =>
        new Promise((_resolve, reject) => {
          void getClient;
          setTimeout(() => reject(serviceError('AbortError', 'Request aborted', 0)), 5_000).unref();
        }),
    );
    const started = Date.now();
    // With a 1 s deadline the latency estimate would refuse the request up front (USE_JOBS), so
    // the handler sees the usual 25 s while the invoker stops at 1 s: a model slower than estimated.
    const runtime = testRuntime(generateRuntime, { BEDROCK_TIMEOUT_MS: '1000' });
    const slowModelHandler = createHandler(() => ({
      ...runtime,
      config: { ...runtime.config, bedrockTimeoutMs: 25_000 },
    }));

    const result = await slowModelHandler(proxyEvent({ body: { prompt: 'cat' } }));

    expect(result.statusCode).toBe(504);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('answers 502 and marks the record failed without keys when S3 refuses a write', async () => {
    s3.on(PutObjectCommand).rejects(
      serviceError('InternalError', 'We encountered an internal error', 500),
    );

    const result = await handler()(proxyEvent({ body: { prompt: 'cat' } }));

    expect(result.statusCode).toBe(502);
    expect(bodyOf(result)).toMatchObject({ error: { code: 'UPSTREAM_ERROR' } });
    const update = finalUpdate();
    expect(update).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_ERROR' });
    expect(update).not.toHaveProperty('outputKeys');
  });

  it('answers a repeated seeded request from the stored record without calling Bedrock', async () => {
    const key = 'generated/abc/0.png';
    dynamo.on(GetCommand).resolves({
      Item: {
        id: 'abc',
        kind: 'generation',
        route: 'POST /generate',
        model: CORE,
        prompt: 'cat',
        parameters: { seed: 5 },
        outputKeys: [key],
        outputSeeds: [5],
        status: 'succeeded',
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:05.000Z',
      },
    });

    const result = await handler()(proxyEvent({ body: { prompt: 'cat', seed: 5 } }));

    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({ cached: true, images: [{ key, seed: 5 }] });
    expect(bedrock).not.toHaveReceivedCommand(InvokeModelCommand);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('skips the cache lookup when cache is false', async () => {
    const result = await handler()(proxyEvent({ body: { prompt: 'cat', seed: 5, cache: false } }));

    expect(result.statusCode).toBe(200);
    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
    expect(bedrock).toHaveReceivedCommandTimes(InvokeModelCommand, 1);
  });

  it('answers 500 INTERNAL without internals for an unexpected failure, and logs it', async () => {
    dynamo.on(PutItemCommand).rejects(new Error('connect ECONNREFUSED 10.0.0.1:443'));

    const result = await handler()(proxyEvent({ body: { prompt: 'cat' } }));

    expect(result.statusCode).toBe(500);
    expect(bodyOf(result)).toMatchObject({ error: { code: 'INTERNAL' } });
    expect(result.body).not.toContain('ECONNREFUSED');
    expect(output.text()).toContain('ECONNREFUSED');
  });

  it('answers 500 with CORS headers when the configuration is broken', async () => {
    const broken = createHandler(() => {
      throw new Error('Invalid environment: BUCKET_NAME is required');
    });

    const result = await broken(proxyEvent({ body: { prompt: 'cat' } }));

    expect(result.statusCode).toBe(500);
    expect(result.headers?.['Access-Control-Allow-Origin']).toBe('*');
    expect(output.text()).toContain('BUCKET_NAME');
  });

  it('logs one structured line per request with timings, without the prompt by default', async () => {
    await handler()(proxyEvent({ body: { prompt: 'my secret prompt' } }));

    const line = output.lines().find((entry) => entry.message === 'request done');
    expect(line).toMatchObject({
      route: 'POST /generate',
      requestId: 'c0ffee00-1234-4abc-9def-000000000001',
      outcome: 'OK',
      model: CORE,
      imageCount: 1,
    });
    expect(typeof line?.totalMs).toBe('number');
    expect(typeof line?.modelMs).toBe('number');
    expect(output.text()).not.toContain('my secret prompt');
  });

  it('logs the prompt cut to 200 characters when LOG_PROMPTS=true', async () => {
    const prompt = `${'a'.repeat(200)}TAIL`;

    await handler({ LOG_PROMPTS: 'true' })(proxyEvent({ body: { prompt } }));

    const line = output.lines().find((entry) => entry.message === 'request done');
    expect(line?.prompt).toBe(`${'a'.repeat(200)}…`);
    expect(output.text()).not.toContain('TAIL');
  });
});
