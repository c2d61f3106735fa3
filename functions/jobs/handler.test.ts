import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';

import { loadConfig } from '../../shared/config.js';
import { jobsRuntime } from '../../shared/aws/image-runtimes.js';
import {
  TEST_BUCKET,
  TEST_ENV,
  TEST_TABLE,
  serviceError,
  testClients,
} from '../../shared/aws/test-runtime.js';
import { DEFAULT_JOB_LIMITS, RUNNING_GRACE_SECONDS } from '../../shared/core/job-service.js';
import { TEST_USER_ID, proxyEvent, type ProxyEventOptions } from '../../shared/http/test-events.js';
import { captureOutputInEachTest } from '../../shared/http/test-output.js';
import { createHandler } from './handler.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const lambda = mockClient(LambdaClient);
const bedrock = mockClient(BedrockRuntimeClient);
const s3 = mockClient(S3Client);
captureOutputInEachTest();

const WORKER = 'imagegen-test-job-worker';
const NOVA = 'amazon.nova-canvas-v1:0';

beforeEach(() => {
  dynamo.reset();
  lambda.reset();
  bedrock.reset();
  s3.reset();
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(GetCommand).resolves({});
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
});

function handler() {
  const config = loadConfig({ ...TEST_ENV, JOB_WORKER_FUNCTION: WORKER });
  const runtime = jobsRuntime(config, testClients(), DEFAULT_JOB_LIMITS);
  return createHandler(() => runtime);
}

function postJob(body: unknown, options: ProxyEventOptions = {}) {
  const event = proxyEvent({ resource: '/jobs', body, claims: true, ...options });
  event.requestContext.path = '/dev/jobs';
  return event;
}

function getJob(id: string, options: ProxyEventOptions = {}) {
  return proxyEvent({
    method: 'GET',
    resource: '/jobs/{id}',
    path: `/jobs/${id}`,
    pathParameters: { id },
    claims: true,
    ...options,
  });
}

function bodyOf(result: { body: string }): Record<string, unknown> {
  return JSON.parse(result.body) as Record<string, unknown>;
}

/** The job item the handler wrote with its first PutCommand. */
function storedJob(): Record<string, unknown> {
  const item = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
  if (!item) throw new Error('expected a PutCommand');
  return item;
}

const ISO = '2026-01-02T03:04:05.000Z';

function jobItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'job-1',
    kind: 'job',
    ownerId: TEST_USER_ID,
    jobType: 'generate',
    request: { prompt: 'a fox' },
    requestHash: 'hash',
    status: 'queued',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    attempts: 0,
    ...overrides,
  };
}

describe('POST /jobs', () => {
  it('stores a queued job for the caller, starts the worker asynchronously and answers 202', async () => {
    const result = await handler()(postJob({ type: 'generate', prompt: 'a lighthouse' }));

    expect(result.statusCode).toBe(202);
    const body = bodyOf(result);
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      status: 'queued',
      statusUrl: `https://abc123defg.execute-api.us-west-2.amazonaws.com/dev/jobs/${String(body.id)}`,
    });
    expect(result.headers?.Location).toBe(body.statusUrl);
    expect(result.headers?.['Access-Control-Allow-Origin']).toBe('https://app.example.com');
    const item = storedJob();
    expect(item).toMatchObject({
      id: body.id,
      kind: 'job',
      ownerId: TEST_USER_ID,
      jobType: 'generate',
      request: { prompt: 'a lighthouse' },
      status: 'queued',
      attempts: 0,
    });
    expect(item).not.toHaveProperty('userId');
    expect(item.request).not.toHaveProperty('type');
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: TEST_TABLE,
      ConditionExpression: 'attribute_not_exists(id)',
    });
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    const invoke = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(invoke).toMatchObject({ FunctionName: WORKER, InvocationType: 'Event' });
    expect(
      JSON.parse(Buffer.from((invoke?.Payload as Uint8Array | undefined) ?? []).toString()),
    ).toEqual({ jobId: body.id });
    expect(bedrock).not.toHaveReceivedCommand(InvokeModelCommand);
  });

  it('answers a relative statusUrl when the event names no host', async () => {
    const event = postJob({ type: 'generate', prompt: 'a fox' });
    delete event.headers.Host;

    const result = await handler()(event);

    expect(bodyOf(result).statusUrl).toBe(`/jobs/${String(bodyOf(result).id)}`);
  });

  it('accepts a request the synchronous route would refuse with USE_JOBS', async () => {
    const result = await handler()(
      postJob({
        type: 'generate',
        prompt: 'a city',
        model: NOVA,
        quality: 'premium',
        width: 2048,
        height: 1024,
        count: 5,
      }),
    );

    expect(result.statusCode).toBe(202);
  });

  it('answers the same job (200, no second run) for a repeated Idempotency-Key and body', async () => {
    const headers = { 'Idempotency-Key': 'order-42' };
    const first = await handler()(postJob({ type: 'generate', prompt: 'a fox' }, { headers }));
    const item = storedJob();
    dynamo
      .on(PutCommand)
      .rejects(
        serviceError('ConditionalCheckFailedException', 'The conditional request failed', 400),
      );
    dynamo.on(GetCommand).resolves({ Item: { ...item, status: 'running', attempts: 1 } });

    const second = await handler()(postJob({ type: 'generate', prompt: 'a fox' }, { headers }));

    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(200);
    expect(bodyOf(second)).toMatchObject({ id: bodyOf(first).id, status: 'running' });
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    expect(bodyOf(first).id).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('answers 409 CONFLICT for a reused Idempotency-Key with a different body', async () => {
    const headers = { 'Idempotency-Key': 'order-42' };
    await handler()(postJob({ type: 'generate', prompt: 'a fox' }, { headers }));
    const item = storedJob();
    dynamo
      .on(PutCommand)
      .rejects(
        serviceError('ConditionalCheckFailedException', 'The conditional request failed', 400),
      );
    dynamo.on(GetCommand).resolves({ Item: item });

    const result = await handler()(postJob({ type: 'generate', prompt: 'a wolf' }, { headers }));

    expect(result.statusCode).toBe(409);
    expect(bodyOf(result)).toMatchObject({
      error: {
        code: 'CONFLICT',
        message: expect.stringContaining('Idempotency-Key reused') as unknown,
      },
    });
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
  });

  it.each([
    ['empty', ''],
    ['with a space', 'order 42'],
    ['too long', 'k'.repeat(256)],
  ])('answers 400 for an Idempotency-Key that is %s', async (_label, key) => {
    const result = await handler()(
      postJob({ type: 'generate', prompt: 'a fox' }, { headers: { 'Idempotency-Key': key } }),
    );

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 400 naming type when it is missing or unknown, and for unknown fields', async () => {
    const missing = await handler()(postJob({ prompt: 'a fox' }));
    const unknown = await handler()(postJob({ type: 'video', prompt: 'a fox' }));
    const extra = await handler()(postJob({ type: 'generate', prompt: 'a fox', numImages: 2 }));

    expect(missing.statusCode).toBe(400);
    expect(bodyOf(missing)).toMatchObject({ error: { details: [{ path: 'type' }] } });
    expect(unknown.statusCode).toBe(400);
    expect(extra.statusCode).toBe(400);
    expect(bodyOf(extra)).toMatchObject({ error: { details: [{ path: 'numImages' }] } });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 400 MODEL_NOT_ALLOWED and INVALID_PARAMETER before queueing anything', async () => {
    const model = await handler()(
      postJob({ type: 'generate', prompt: 'a fox', model: 'stability.stable-image-ultra-v1:1' }),
    );
    const size = await handler()(
      postJob({ type: 'generate', prompt: 'a fox', model: NOVA, width: 100, height: 100 }),
    );

    expect(bodyOf(model)).toMatchObject({ error: { code: 'MODEL_NOT_ALLOWED' } });
    expect(size.statusCode).toBe(400);
    expect(bodyOf(size)).toMatchObject({ error: { code: 'INVALID_PARAMETER' } });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
    expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
  });

  it('queues an edit of the caller’s own upload, and 404s one of somebody else’s', async () => {
    const own = await handler()(
      postJob({ type: 'edit', imageKey: `users/${TEST_USER_ID}/uploads/a.png`, prompt: 'a door' }),
    );
    const foreign = await handler()(
      postJob({ type: 'edit', imageKey: 'users/someone-else/uploads/a.png', prompt: 'a door' }),
    );

    expect(own.statusCode).toBe(202);
    expect(storedJob()).toMatchObject({ jobType: 'edit' });
    expect(foreign.statusCode).toBe(404);
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it('marks the job failed and answers 502 when the worker cannot be started', async () => {
    lambda
      .on(InvokeCommand)
      .rejects(serviceError('TooManyRequestsException', 'Rate exceeded', 429));

    const result = await handler()(postJob({ type: 'generate', prompt: 'a fox' }));

    expect(result.statusCode).toBe(502);
    expect(bodyOf(result)).toMatchObject({ error: { code: 'UPSTREAM_ERROR' } });
    const update = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update?.Key).toEqual({ id: storedJob().id });
    expect(Object.values(update?.ExpressionAttributeValues ?? {})).toEqual(
      expect.arrayContaining(['failed', 'UPSTREAM_ERROR', 'queued']),
    );
  });

  it('answers 401 without a signed-in caller', async () => {
    const event = postJob({ type: 'generate', prompt: 'a fox' });
    event.requestContext.authorizer = null;

    const result = await handler()(event);

    expect(result.statusCode).toBe(401);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });
});

describe('GET /jobs/{id}', () => {
  it('answers the owner with the job status', async () => {
    const justNow = new Date().toISOString();
    dynamo.on(GetCommand).resolves({ Item: jobItem({ createdAt: justNow, updatedAt: justNow }) });

    const result = await handler()(getJob('job-1'));

    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({
      id: 'job-1',
      type: 'generate',
      status: 'queued',
      createdAt: justNow,
      updatedAt: justNow,
    });
    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('answers 404 to anyone but the owner, for non-job items and for malformed ids', async () => {
    dynamo.on(GetCommand, { Key: { id: 'job-1' } }).resolves({ Item: jobItem() });
    dynamo.on(GetCommand, { Key: { id: 'rec-1' } }).resolves({
      Item: { id: 'rec-1', kind: 'generation', userId: TEST_USER_ID },
    });

    const stranger = await handler()(getJob('job-1', { claims: { sub: 'someone-else' } }));
    const record = await handler()(getJob('rec-1'));
    const gets = dynamo.commandCalls(GetCommand).length;
    const malformed = await handler()(getJob('../etc/passwd'));

    for (const result of [stranger, record, malformed]) {
      expect(result.statusCode).toBe(404);
      expect(bodyOf(result)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(gets);
  });

  it('answers a succeeded job with fresh pre-signed URLs of its result', async () => {
    const key = `users/${TEST_USER_ID}/generated/rec-1/0.png`;
    dynamo
      .on(GetCommand, { Key: { id: 'job-1' } })
      .resolves({ Item: jobItem({ status: 'succeeded', resultId: 'rec-1', attempts: 1 }) });
    dynamo.on(GetCommand, { Key: { id: 'rec-1' } }).resolves({
      Item: {
        id: 'rec-1',
        kind: 'generation',
        route: 'POST /jobs',
        userId: TEST_USER_ID,
        model: NOVA,
        prompt: 'a fox',
        parameters: {},
        outputKeys: [key],
        outputSeeds: [12],
        status: 'succeeded',
        createdAt: ISO,
        updatedAt: ISO,
      },
    });

    const result = await handler()(getJob('job-1'));

    expect(result.statusCode).toBe(200);
    const body = bodyOf(result);
    expect(body).toMatchObject({
      status: 'succeeded',
      resultId: 'rec-1',
      model: NOVA,
      images: [{ key, seed: 12 }],
    });
    expect(body.image_url).toContain(TEST_BUCKET);
    expect(body.image_url).toContain('X-Amz-Signature=');
    expect(typeof body.expiresAt).toBe('string');
  });

  it('answers a failed job with its error', async () => {
    dynamo.on(GetCommand).resolves({
      Item: jobItem({
        status: 'failed',
        errorCode: 'CONTENT_FILTERED',
        errorMessage: 'The prompt was blocked.',
      }),
    });

    const result = await handler()(getJob('job-1'));

    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({
      status: 'failed',
      error: { code: 'CONTENT_FILTERED', message: 'The prompt was blocked.' },
    });
  });

  it('fails a job running past the worker timeout with a conditional update', async () => {
    const longAgo = new Date(
      Date.now() - (DEFAULT_JOB_LIMITS.workerTimeoutSeconds + RUNNING_GRACE_SECONDS + 5) * 1000,
    ).toISOString();
    dynamo
      .on(GetCommand)
      .resolves({ Item: jobItem({ status: 'running', createdAt: longAgo, updatedAt: longAgo }) });

    const result = await handler()(getJob('job-1'));

    expect(bodyOf(result)).toMatchObject({
      status: 'failed',
      error: { code: 'MODEL_TIMEOUT' },
    });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { id: 'job-1' },
      ConditionExpression: '#kind = :job AND #current = :from',
    });
    const values = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues;
    expect(values?.[':from']).toBe('running');
  });
});
