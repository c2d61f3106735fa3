import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import 'aws-sdk-client-mock-jest';

import {
  TEST_TABLE,
  bedrockBody,
  serviceError,
  testRuntime,
} from '../../shared/aws/test-runtime.js';
import { TEST_USER_ID } from '../../shared/http/test-events.js';
import { mockImageRequestClients, pendingRecords } from '../../shared/http/test-clients.js';
import { captureOutputInEachTest } from '../../shared/http/test-output.js';
import { workerRuntime } from '../../shared/aws/image-runtimes.js';
import { createHandler } from './handler.js';

const { s3, dynamo, bedrock } = mockImageRequestClients({ seed: 7 });
captureOutputInEachTest();

function job(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    id: 'job-1',
    kind: 'job',
    ownerId: TEST_USER_ID,
    jobType: 'generate',
    request: { prompt: 'a fox at dawn', count: 2 },
    requestHash: 'hash',
    status: 'running',
    createdAt: now,
    updatedAt: now,
    attempts: 1,
    ...overrides,
  };
}

const conditionFailed = () =>
  serviceError('ConditionalCheckFailedException', 'The conditional request failed', 400);

beforeEach(() => {
  // The claim is the only update that asks for the new item back.
  dynamo.on(UpdateCommand, { ReturnValues: 'ALL_NEW' }).resolves({ Attributes: job() });
});

const handler = () => {
  const runtime = testRuntime(workerRuntime, { BEDROCK_TIMEOUT_MS: '600000' });
  return createHandler(() => runtime);
};

/** The SET fields of the update of the job item that is not the claim (the outcome). */
function jobOutcome(): Record<string, unknown> {
  const update = dynamo
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .find(
      (input: UpdateCommandInput) => input.Key?.id === 'job-1' && input.ReturnValues === undefined,
    );
  if (!update) throw new Error('expected the job outcome update');
  const names = update.ExpressionAttributeNames ?? {};
  const values = update.ExpressionAttributeValues ?? {};
  return Object.fromEntries(
    Object.entries(names)
      .filter(([alias]) => alias.startsWith('#f'))
      .map(([alias, name]) => [name, values[alias.replace('#f', ':v')]]),
  );
}

describe('job-worker handler', () => {
  it('claims the job, generates as its owner and records the result id', async () => {
    const result = await handler()({ jobId: 'job-1' });

    expect(result).toEqual({ jobId: 'job-1', outcome: 'succeeded' });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TEST_TABLE,
      Key: { id: 'job-1' },
      ReturnValues: 'ALL_NEW',
    });
    expect(bedrock).toHaveReceivedCommandTimes(InvokeModelCommand, 2);
    const record = pendingRecords(dynamo)[0]?.Item;
    expect(record).toMatchObject({
      kind: 'generation',
      route: 'POST /jobs',
      userId: TEST_USER_ID,
      prompt: 'a fox at dawn',
    });
    const recordId = String(record?.id);
    expect(jobOutcome()).toMatchObject({ status: 'succeeded', resultId: recordId });
    const keys = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key);
    expect(keys).toEqual([
      `users/${TEST_USER_ID}/generated/${recordId}/0.png`,
      `users/${TEST_USER_ID}/generated/${recordId}/1.png`,
    ]);
  });

  it('runs nothing when the claim is refused (another invocation has the job)', async () => {
    dynamo.on(UpdateCommand, { ReturnValues: 'ALL_NEW' }).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: job({ status: 'running' }) });

    const result = await handler()({ jobId: 'job-1' });

    expect(result).toMatchObject({ outcome: 'skipped', reason: 'already running' });
    expect(bedrock).not.toHaveReceivedCommand(InvokeModelCommand);
    expect(dynamo).not.toHaveReceivedCommand(PutItemCommand);
  });

  it('records a content-filter failure on the job with its code and message', async () => {
    bedrock.on(InvokeModelCommand).resolves({
      body: bedrockBody({ seeds: [1], finish_reasons: ['Filter reason: prompt'], images: [null] }),
      contentType: 'application/json',
      $metadata: {},
    });

    const result = await handler()({ jobId: 'job-1' });

    expect(result).toMatchObject({ outcome: 'failed' });
    const outcome = jobOutcome();
    expect(outcome).toMatchObject({ status: 'failed', errorCode: 'CONTENT_FILTERED' });
    expect(typeof outcome.errorMessage).toBe('string');
  });

  it('records a Bedrock server error as UPSTREAM_ERROR without throwing (no Lambda retry)', async () => {
    bedrock
      .on(InvokeModelCommand)
      .rejects(serviceError('InternalServerException', 'Internal error', 500));

    const result = await handler()({ jobId: 'job-1' });

    expect(result).toMatchObject({ outcome: 'failed' });
    expect(jobOutcome()).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_ERROR' });
  });

  it('ignores a malformed event without touching the table', async () => {
    const result = await handler()({ nope: true });

    expect(result).toMatchObject({ outcome: 'invalid-event' });
    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('throws when the table is unreachable, so Lambda counts the invocation as failed', async () => {
    dynamo
      .on(UpdateCommand, { ReturnValues: 'ALL_NEW' })
      .rejects(new Error('connect ECONNREFUSED 10.0.0.1:443'));

    await expect(handler()({ jobId: 'job-1' })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(bedrock).not.toHaveReceivedCommand(InvokeModelCommand);
  });
});
