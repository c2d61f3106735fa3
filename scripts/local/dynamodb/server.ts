/**
 * Local DynamoDB: dynalite (shared/reference/local-stand-ins.md §2) on LevelDB under `dataDir`,
 * so items survive restarts. Tables turn ACTIVE at once (`createTableMs: 0`).
 * dynalite has no transactions, TTL or PartiQL; keep the data layer to single-item writes.
 */
import { mkdir } from 'node:fs/promises';

import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { listenOn } from '../listen.js';

export interface DynamoDbServerOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  host?: string;
  /** LevelDB files live here. Only one server may open a directory at a time. */
  dataDir: string;
}

export interface LocalDynamoDbServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts dynalite on disk; resolves once it listens. */
export async function startDynamoDb(options: DynamoDbServerOptions): Promise<LocalDynamoDbServer> {
  await mkdir(options.dataDir, { recursive: true });
  const host = options.host ?? '127.0.0.1';
  const server = dynalite({
    path: options.dataDir,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const { port, url } = await listenOn(server, options.port ?? 0, host);
  return {
    url,
    port,
    // dynalite's close also closes LevelDB, releasing the directory lock for a restart.
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

/**
 * Creates the table unless it exists, then waits until it is ACTIVE. Safe to call on every start
 * and from several processes (a concurrent create is treated as "exists").
 */
export async function ensureTable(
  client: DynamoDBClient,
  definition: CreateTableCommandInput,
): Promise<void> {
  const TableName = definition.TableName;
  try {
    await client.send(new DescribeTableCommand({ TableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    try {
      await client.send(new CreateTableCommand(definition));
    } catch (createError) {
      if (!(createError instanceof ResourceInUseException)) throw createError;
    }
  }
  // Polls DescribeTable until TableStatus is ACTIVE (immediately with createTableMs: 0).
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName });
}
