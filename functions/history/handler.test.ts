import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';

import type { ImageRecord } from '../../shared/core/ports.js';
import { TEST_TABLE, testRuntime } from '../../shared/aws/test-runtime.js';
import { TEST_USER_ID, proxyEvent } from '../../shared/http/test-events.js';
import { captureOutputInEachTest } from '../../shared/http/test-output.js';
import { historyRuntime } from '../../shared/aws/image-runtimes.js';
import { createHandler } from './handler.js';

const s3 = mockClient(S3Client);
const dynamo = mockClient(DynamoDBDocumentClient);
captureOutputInEachTest();

const folder = `users/${TEST_USER_ID}/edits/e1/`;
const editRecord: ImageRecord = {
  id: 'e1',
  kind: 'edit',
  route: 'POST /edits',
  userId: TEST_USER_ID,
  model: 'us.stability.stable-image-inpaint-v1:0',
  operation: 'inpaint',
  prompt: 'a red door',
  parameters: { width: 96, height: 64 },
  inputKey: `users/${TEST_USER_ID}/uploads/u1`,
  maskKey: `${folder}mask.png`,
  outputKeys: [`${folder}0.png`],
  outputSeeds: [21],
  status: 'succeeded',
  createdAt: '2026-01-02T10:00:00.000Z',
  updatedAt: '2026-01-02T10:00:09.000Z',
  durationMs: 9000,
  modelMs: 8000,
};

beforeEach(() => {
  s3.reset();
  dynamo.reset();
  s3.on(DeleteObjectCommand).resolves({});
  dynamo.on(DeleteCommand).resolves({});
});

const runtime = testRuntime(historyRuntime);
const handler = createHandler(() => runtime);

const listEvent = (query?: Record<string, string>) =>
  proxyEvent({
    method: 'GET',
    resource: '/history',
    body: null,
    claims: true,
    ...(query ? { query } : {}),
  });

const deleteEvent = (id: string) =>
  proxyEvent({
    method: 'DELETE',
    resource: '/history/{id}',
    path: `/history/${id}`,
    body: null,
    pathParameters: { id },
    claims: true,
  });

function bodyOf(result: { body: string }): Record<string, unknown> {
  return JSON.parse(result.body) as Record<string, unknown>;
}

describe('GET /history handler', () => {
  it('lists the caller’s records newest first through the byUser index, with fresh URLs', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [editRecord] });

    const result = await handler(listEvent());

    expect(result.statusCode).toBe(200);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TEST_TABLE,
      IndexName: 'byUser',
      ScanIndexForward: false,
      Limit: 20,
      ExpressionAttributeValues: { ':userId': TEST_USER_ID },
    });
    const body = bodyOf(result) as {
      items: {
        id: string;
        input: { url: string };
        mask: { url: string };
        images: { url: string; seed: number }[];
      }[];
      nextCursor?: string;
    };
    expect(body.nextCursor).toBeUndefined();
    const [item] = body.items;
    expect(item?.id).toBe('e1');
    expect(item?.input.url).toContain('uploads/u1');
    expect(item?.mask.url).toContain('mask.png');
    expect(item?.images[0]).toMatchObject({ seed: 21 });
    expect(item?.images[0]?.url).toContain('X-Amz-Signature=');
  });

  it('pages with an opaque cursor that carries the last key', async () => {
    const lastKey = { id: 'e1', userId: TEST_USER_ID, createdAt: editRecord.createdAt };
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [editRecord], LastEvaluatedKey: lastKey })
      .resolves({ Items: [] });

    const first = bodyOf(await handler(listEvent({ limit: '1' })));
    const cursor = first.nextCursor;
    if (typeof cursor !== 'string') throw new Error('expected a cursor');
    const second = await handler(listEvent({ limit: '1', cursor }));

    expect(second.statusCode).toBe(200);
    expect(dynamo).toHaveReceivedNthCommandWith(2, QueryCommand, {
      Limit: 1,
      ExclusiveStartKey: lastKey,
    });
  });

  it('answers 400 for a garbage cursor, a foreign cursor, a bad limit or an unknown parameter', async () => {
    const foreign = Buffer.from(
      JSON.stringify({ id: 'x', userId: 'someone-else', createdAt: '2026-01-01T00:00:00.000Z' }),
    ).toString('base64url');

    const results = await Promise.all([
      handler(listEvent({ cursor: '%%%not-a-cursor' })),
      handler(listEvent({ cursor: foreign })),
      handler(listEvent({ limit: '51' })),
      handler(listEvent({ limit: '0' })),
      handler(listEvent({ page: '2' })),
    ]);

    expect(results.map((result) => result.statusCode)).toEqual([400, 400, 400, 400, 400]);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });
});

describe('DELETE /history/{id} handler', () => {
  it('deletes the outputs and the mask, keeps the upload, then deletes the record', async () => {
    dynamo.on(GetCommand).resolves({ Item: editRecord });

    const result = await handler(deleteEvent('e1'));

    expect(result.statusCode).toBe(204);
    expect(result.body).toBe('');
    const deletedKeys = s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input.Key);
    expect(deletedKeys.sort()).toEqual([`${folder}0.png`, `${folder}mask.png`]);
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, { Key: { id: 'e1' } });
  });

  it('answers 404 for another user’s record and deletes nothing', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...editRecord, userId: 'someone-else' } });

    const result = await handler(deleteEvent('e1'));

    expect(result.statusCode).toBe(404);
    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
    expect(dynamo).not.toHaveReceivedCommand(DeleteCommand);
  });

  it('answers 404 for an unknown id', async () => {
    dynamo.on(GetCommand).resolves({});

    const result = await handler(deleteEvent('nope'));

    expect(result.statusCode).toBe(404);
    expect(bodyOf(result)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('keeps the record when deleting an object fails, so a retry can finish the job', async () => {
    dynamo.on(GetCommand).resolves({ Item: editRecord });
    s3.on(DeleteObjectCommand).rejects(new Error('S3 unavailable'));

    const result = await handler(deleteEvent('e1'));

    expect(result.statusCode).toBe(500);
    expect(dynamo).not.toHaveReceivedCommand(DeleteCommand);
  });
});
