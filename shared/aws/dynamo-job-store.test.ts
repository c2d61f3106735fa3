/**
 * DynamoJobStore against a real DynamoDB API (the local dynalite stand-in, the records table as
 * Terraform defines it), so the conditional expressions are evaluated, not just sent.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  ensureTable,
  startDynamoDb,
  type LocalDynamoDbServer,
} from '../../scripts/local/dynamodb/server.js';
import { tableDefinition } from '../../scripts/local/stack.js';
import type { JobRecord } from '../core/ports.js';
import { DynamoJobStore } from './dynamo-job-store.js';
import { BY_USER_INDEX } from './dynamo-record-store.js';

const TABLE = 'jobs-test';
let server: LocalDynamoDbServer;
let dataDir: string;
let raw: DynamoDBClient;
let client: DynamoDBDocumentClient;
let store: DynamoJobStore;
let counter = 0;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'job-store-'));
  server = await startDynamoDb({ port: 0, dataDir });
  raw = new DynamoDBClient({
    region: 'us-west-2',
    endpoint: server.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(raw, tableDefinition(TABLE));
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  store = new DynamoJobStore(client, TABLE);
});

afterAll(async () => {
  raw?.destroy();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function newJob(overrides: Partial<JobRecord> = {}): JobRecord {
  counter += 1;
  return {
    id: `job-${counter}`,
    kind: 'job',
    ownerId: 'owner-1',
    jobType: 'generate',
    request: { prompt: 'a fox', count: 2 },
    requestHash: 'hash-1',
    status: 'queued',
    createdAt: '2026-01-02T03:04:05.000Z',
    updatedAt: '2026-01-02T03:04:05.000Z',
    attempts: 0,
    ...overrides,
  };
}

describe('DynamoJobStore', () => {
  it('creates a job once and answers the existing one for the same id', async () => {
    const job = newJob();

    await expect(store.create(job)).resolves.toEqual({ created: true });
    const again = await store.create({ ...job, requestHash: 'other' });

    expect(again).toEqual({ created: false, existing: job });
  });

  it('keeps jobs out of the byUser index that history reads', async () => {
    await store.create(newJob({ ownerId: 'owner-index' }));

    const listed = await client.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: BY_USER_INDEX,
        KeyConditionExpression: 'userId = :userId',
        ExpressionAttributeValues: { ':userId': 'owner-index' },
      }),
    );

    expect(listed.Items).toEqual([]);
  });

  it('answers undefined for a missing id and for an item that is not a job', async () => {
    await client.send(
      new PutCommand({ TableName: TABLE, Item: { id: 'record-1', kind: 'generation' } }),
    );

    await expect(store.get('missing')).resolves.toBeUndefined();
    await expect(store.get('record-1')).resolves.toBeUndefined();
  });

  it('claims a queued job exactly once, counting the attempt', async () => {
    const job = newJob();
    await store.create(job);

    const first = await store.claim(job.id, '2026-01-02T03:05:00.000Z', job.createdAt);
    const second = await store.claim(job.id, '2026-01-02T03:05:01.000Z', job.createdAt);

    expect(first).toMatchObject({
      status: 'running',
      attempts: 1,
      updatedAt: '2026-01-02T03:05:00.000Z',
    });
    expect(second).toBeUndefined();
  });

  it('refuses to claim a job created before createdSince, or a record', async () => {
    const job = newJob();
    await store.create(job);

    await expect(
      store.claim(job.id, '2026-01-02T04:00:00.000Z', '2026-01-02T03:55:00.000Z'),
    ).resolves.toBeUndefined();
    await expect(store.claim('record-1', job.createdAt, job.createdAt)).resolves.toBeUndefined();
    await expect(store.get(job.id)).resolves.toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('finishes only from the expected status', async () => {
    const job = newJob();
    await store.create(job);
    await store.claim(job.id, '2026-01-02T03:05:00.000Z', job.createdAt);

    const stale = await store.finish(
      job.id,
      {
        status: 'failed',
        errorCode: 'UPSTREAM_ERROR',
        errorMessage: 'never started',
        updatedAt: '2026-01-02T03:10:00.000Z',
      },
      'queued',
    );
    const done = await store.finish(
      job.id,
      { status: 'succeeded', resultId: 'rec-9', updatedAt: '2026-01-02T03:06:00.000Z' },
      'running',
    );

    expect(stale).toBe(false);
    expect(done).toBe(true);
    expect(await store.get(job.id)).toMatchObject({
      status: 'succeeded',
      resultId: 'rec-9',
      updatedAt: '2026-01-02T03:06:00.000Z',
    });
  });

  it('stores a failure code and message', async () => {
    const job = newJob();
    await store.create(job);

    await store.finish(
      job.id,
      {
        status: 'failed',
        errorCode: 'CONTENT_FILTERED',
        errorMessage: 'blocked',
        updatedAt: '2026-01-02T03:06:00.000Z',
      },
      'queued',
    );

    expect(await store.get(job.id)).toMatchObject({
      status: 'failed',
      errorCode: 'CONTENT_FILTERED',
      errorMessage: 'blocked',
    });
  });
});
