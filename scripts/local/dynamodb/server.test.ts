import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';

import { tableDefinition } from '../stack.js';
import { ensureTable, startDynamoDb } from './server.js';
import type { LocalDynamoDbServer } from './server.js';

const TableName = 'images';
// The table the stack creates: partition key `id`, GSI `byUser` (userId, createdAt).
const definition = tableDefinition(TableName);

let dataDir: string;
let server: LocalDynamoDbServer;
let client: DynamoDBClient;
let documents: DynamoDBDocumentClient;

async function start(): Promise<void> {
  server = await startDynamoDb({ port: 0, dataDir });
  client = new DynamoDBClient({
    region: 'us-west-2',
    endpoint: server.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  documents = DynamoDBDocumentClient.from(client);
}

async function stop(): Promise<void> {
  client.destroy();
  await server.close();
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-dynamodb-'));
  await start();
  await ensureTable(client, definition);
});

afterAll(async () => {
  await stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('local DynamoDB', () => {
  it('creates an ACTIVE table and tolerates a second ensureTable', async () => {
    await ensureTable(client, definition);
    const described = await client.send(new DescribeTableCommand({ TableName }));
    expect(described.Table?.TableStatus).toBe('ACTIVE');
    expect(described.Table?.GlobalSecondaryIndexes?.[0]?.IndexName).toBe('byUser');
  });

  it('puts, gets and queries the byUser index newest first', async () => {
    const items = [
      { id: 'i1', userId: 'u1', createdAt: '2026-01-01T00:00:00.000Z', prompt: 'first' },
      { id: 'i2', userId: 'u1', createdAt: '2026-01-02T00:00:00.000Z', prompt: 'second' },
      { id: 'i3', userId: 'u2', createdAt: '2026-01-03T00:00:00.000Z', prompt: 'other user' },
    ];
    for (const Item of items) await documents.send(new PutCommand({ TableName, Item }));

    const got = await documents.send(new GetCommand({ TableName, Key: { id: 'i2' } }));
    expect(got.Item).toEqual(items[1]);

    const query = await documents.send(
      new QueryCommand({
        TableName,
        IndexName: 'byUser',
        KeyConditionExpression: 'userId = :user',
        ExpressionAttributeValues: { ':user': 'u1' },
        ScanIndexForward: false,
      }),
    );
    expect(query.Items?.map((item) => item.id as string)).toEqual(['i2', 'i1']);
  });

  it('refuses a conditional put over an existing item', async () => {
    await expect(
      documents.send(
        new PutCommand({
          TableName,
          Item: { id: 'i1', userId: 'u9', createdAt: 'x' },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('keeps tables and items across a restart', async () => {
    await documents.send(
      new PutCommand({ TableName, Item: { id: 'kept', userId: 'u3', createdAt: 'z' } }),
    );
    await stop();
    await start();
    const got = await documents.send(new GetCommand({ TableName, Key: { id: 'kept' } }));
    expect(got.Item?.userId).toBe('u3');
  });
});
