import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';

import type { ImageRecord } from '../core/ports.js';
import { DynamoRecordStore } from './dynamo-record-store.js';
import { TEST_TABLE, serviceError, testClients } from './test-runtime.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new DynamoRecordStore(testClients().dynamo, TEST_TABLE);

const pending: ImageRecord = {
  id: 'r1',
  kind: 'generation',
  route: 'POST /generate',
  model: 'm',
  prompt: 'p',
  parameters: { seed: 1 },
  outputKeys: [],
  status: 'pending',
  createdAt: '2026-01-02T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
};

beforeEach(() => dynamo.reset());

describe('DynamoRecordStore', () => {
  it('writes pending records only over nothing, a failure or a stale pending record', async () => {
    dynamo.on(PutCommand).resolves({});

    await store.createPending(pending, '2026-01-01T23:45:00.000Z');

    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: TEST_TABLE,
      Item: pending,
      ConditionExpression:
        'attribute_not_exists(id) OR #status = :failed OR (#status = :pending AND updatedAt < :staleBefore)',
      ExpressionAttributeValues: {
        ':failed': 'failed',
        ':pending': 'pending',
        ':staleBefore': '2026-01-01T23:45:00.000Z',
      },
    });
  });

  it('turns a failed condition into CONFLICT', async () => {
    dynamo
      .on(PutCommand)
      .rejects(
        serviceError('ConditionalCheckFailedException', 'The conditional request failed', 400),
      );

    await expect(store.createPending(pending, 'x')).rejects.toMatchObject({
      code: 'CONFLICT',
      status: 409,
    });
  });

  it('sets exactly the outcome’s fields on an existing record', async () => {
    dynamo.on(UpdateCommand).resolves({});

    await store.finish('r1', {
      status: 'failed',
      errorCode: 'THROTTLED',
      updatedAt: '2026-01-02T00:00:01.000Z',
      durationMs: 1000,
    });

    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe('attribute_exists(id)');
    const names = Object.values(input?.ExpressionAttributeNames ?? {}).sort();
    expect(names).toEqual(['durationMs', 'errorCode', 'status', 'updatedAt']);
    expect(Object.values(input?.ExpressionAttributeValues ?? {})).toEqual(
      expect.arrayContaining(['failed', 'THROTTLED', 1000]),
    );
  });

  it('answers CONFLICT when the record was deleted while its request ran', async () => {
    dynamo
      .on(UpdateCommand)
      .rejects(
        serviceError('ConditionalCheckFailedException', 'The conditional request failed', 400),
      );
    await expect(
      store.finish('r1', {
        status: 'failed',
        errorCode: 'THROTTLED',
        updatedAt: '2026-01-02T00:00:01.000Z',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', status: 409 });
  });

  it('fails a stale pending record only if nothing wrote it since it was read', async () => {
    const outcome = {
      status: 'failed',
      errorCode: 'MODEL_TIMEOUT',
      updatedAt: '2026-01-02T01:00:00.000Z',
    } as const;
    dynamo.on(UpdateCommand).resolvesOnce({});
    await expect(store.failIfUnchanged('r1', pending.updatedAt, outcome)).resolves.toBe(true);
    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe('#status = :pending AND updatedAt = :seen');
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':pending': 'pending',
      ':seen': pending.updatedAt,
      ':failed': 'failed',
      ':code': 'MODEL_TIMEOUT',
    });

    dynamo
      .on(UpdateCommand)
      .rejects(
        serviceError('ConditionalCheckFailedException', 'The conditional request failed', 400),
      );
    await expect(store.failIfUnchanged('r1', pending.updatedAt, outcome)).resolves.toBe(false);
  });

  it('reads an item of another kind under the id (a job) as no record, not a malformed one', async () => {
    dynamo.on(GetCommand).resolves({
      Item: { id: 'j1', kind: 'job', ownerId: 'me', status: 'queued', jobType: 'generate' },
    });

    await expect(store.get('j1')).resolves.toBeUndefined();
  });

  it('still refuses a malformed image record read by id', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...pending, status: 'weird' } });

    await expect(store.get('r1')).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('refuses malformed stored items instead of passing them on', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ id: 'r1', status: 'weird' }] });

    await expect(store.listByUser('me', 10)).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
