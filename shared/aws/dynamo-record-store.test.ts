import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import 'aws-sdk-client-mock-jest';

import type { ImageRecord, RecordOutcome } from '../core/ports.js';
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
    dynamo.on(PutItemCommand).resolves({});

    await store.createPending(pending, '2026-01-01T23:45:00.000Z');

    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: TEST_TABLE,
      Item: marshall(pending),
      ConditionExpression:
        'attribute_not_exists(id) OR #status = :failed OR (#status = :pending AND updatedAt < :staleBefore)',
      ExpressionAttributeValues: {
        ':failed': { S: 'failed' },
        ':pending': { S: 'pending' },
        ':staleBefore': { S: '2026-01-01T23:45:00.000Z' },
      },
    });
  });

  it('turns a failed condition into CONFLICT', async () => {
    dynamo
      .on(PutItemCommand)
      .rejects(
        serviceError('ConditionalCheckFailedException', 'The conditional request failed', 400),
      );

    await expect(store.createPending(pending, 'x')).rejects.toMatchObject({
      code: 'CONFLICT',
      status: 409,
    });
  });

  it('sets exactly the outcome’s fields on an existing record', async () => {
    dynamo.on(UpdateItemCommand).resolves({});

    await store.finish('r1', {
      status: 'failed',
      errorCode: 'THROTTLED',
      updatedAt: '2026-01-02T00:00:01.000Z',
      durationMs: 1000,
    });

    const input = dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(input?.Key).toEqual({ id: { S: 'r1' } });
    expect(input?.ConditionExpression).toBe('attribute_exists(id)');
    const names = Object.values(input?.ExpressionAttributeNames ?? {}).sort();
    expect(names).toEqual(['durationMs', 'errorCode', 'status', 'updatedAt']);
    expect(Object.values(input?.ExpressionAttributeValues ?? {})).toEqual(
      expect.arrayContaining([{ S: 'failed' }, { S: 'THROTTLED' }, { N: '1000' }]),
    );
  });

  it('answers CONFLICT when the record was deleted while its request ran', async () => {
    dynamo
      .on(UpdateItemCommand)
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

// Last in this file: it takes the mock off DynamoDBDocumentClient to see the wire.
describe('DynamoRecordStore on the wire', () => {
  it('sends the very requests lib-dynamodb’s PutCommand and UpdateCommand would', async () => {
    dynamo.restore();
    const bodies: { target?: string; body: unknown }[] = [];
    const server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        bodies.push({ target: req.headers['x-amz-target'] as string, body: JSON.parse(text) });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: 'us-west-2',
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    const wired = new DynamoRecordStore(client, TEST_TABLE);
    const record = { ...pending, userId: 'u1', deadlineAt: undefined, outputSeeds: [3, null] };
    const outcome: RecordOutcome = {
      status: 'succeeded',
      outputKeys: ['generated/r1/0.png'],
      outputSeeds: [3],
      maskKey: undefined,
      updatedAt: '2026-01-02T00:00:01.000Z',
      durationMs: 1234,
      modelMs: 1000.5,
    };
    try {
      await wired.createPending(record, '2026-01-01T23:45:00.000Z');
      await wired.finish('r1', outcome);
      await client.send(
        new PutCommand({
          TableName: TEST_TABLE,
          Item: record,
          ConditionExpression:
            'attribute_not_exists(id) OR #status = :failed OR (#status = :pending AND updatedAt < :staleBefore)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':pending': 'pending',
            ':staleBefore': '2026-01-01T23:45:00.000Z',
          },
        }),
      );
      const { status, ...fields } = outcome;
      const entries = Object.entries({ ...fields, status }).filter(([, v]) => v !== undefined);
      await client.send(
        new UpdateCommand({
          TableName: TEST_TABLE,
          Key: { id: 'r1' },
          UpdateExpression: `SET ${entries.map((_, n) => `#f${n} = :v${n}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeNames: Object.fromEntries(entries.map(([k], n) => [`#f${n}`, k])),
          ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], n) => [`:v${n}`, v])),
        }),
      );
    } finally {
      client.destroy();
      server.close();
    }
    expect(bodies.map(({ target }) => target)).toEqual([
      'DynamoDB_20120810.PutItem',
      'DynamoDB_20120810.UpdateItem',
      'DynamoDB_20120810.PutItem',
      'DynamoDB_20120810.UpdateItem',
    ]);
    expect(bodies[0]).toEqual(bodies[2]);
    expect(bodies[1]).toEqual(bodies[3]);
  });
});
