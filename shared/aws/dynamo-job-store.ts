/**
 * The JobStore port on DynamoDB, in the records table (partition key `id`). Job items carry
 * `kind: "job"` and `ownerId` (never `userId`), so the sparse `byUser` index does not list them.
 * Every state change is one conditional write on the item, so a job is claimed at most once and
 * a late writer never overwrites a newer state.
 */
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';

import type { JobOutcome, JobRecord, JobStatus, JobStore } from '../core/ports.js';
import { AppError, ERROR_STATUS, type ErrorCode } from '../errors.js';

const errorCodes = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** What a stored job must look like to be used; unknown attributes are dropped. */
const jobSchema = z.object({
  id: z.string(),
  kind: z.literal('job'),
  ownerId: z.string(),
  jobType: z.enum(['generate', 'edit']),
  request: z.record(z.string(), z.unknown()),
  requestHash: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  resultId: z.string().optional(),
  errorCode: z.enum(errorCodes).optional(),
  errorMessage: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  attempts: z.number().int(),
});

function toJob(item: Record<string, unknown>): JobRecord {
  const parsed = jobSchema.safeParse(item);
  if (!parsed.success) {
    throw new AppError('INTERNAL', 'A stored job is malformed.', { cause: parsed.error });
  }
  return parsed.data;
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

export class DynamoJobStore implements JobStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(
    job: JobRecord,
  ): Promise<{ created: true } | { created: false; existing: JobRecord }> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: job,
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      return { created: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const existing = await this.get(job.id);
    // Only a non-job item could take a job's id, and job ids never collide with record ids.
    if (!existing) throw new AppError('CONFLICT', 'That id is taken; use another Idempotency-Key.');
    return { created: false, existing };
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const response = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }),
    );
    // A generation or edit record under this id is not a job: GET /jobs/{id} answers 404.
    if (!response.Item || response.Item.kind !== 'job') return undefined;
    return toJob(response.Item);
  }

  async claim(id: string, now: string, createdSince: string): Promise<JobRecord | undefined> {
    try {
      const response = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression: 'SET #status = :running, #updatedAt = :now ADD #attempts :one',
          ConditionExpression: '#kind = :job AND #status = :queued AND #createdAt >= :createdSince',
          // Every name aliased: `status` is a DynamoDB reserved word, and aliases cost nothing.
          ExpressionAttributeNames: {
            '#status': 'status',
            '#kind': 'kind',
            '#updatedAt': 'updatedAt',
            '#attempts': 'attempts',
            '#createdAt': 'createdAt',
          },
          ExpressionAttributeValues: {
            ':running': 'running',
            ':queued': 'queued',
            ':job': 'job',
            ':now': now,
            ':one': 1,
            ':createdSince': createdSince,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return response.Attributes ? toJob(response.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async finish(id: string, outcome: JobOutcome, from: JobStatus): Promise<boolean> {
    const fields =
      outcome.status === 'succeeded'
        ? { resultId: outcome.resultId }
        : { errorCode: outcome.errorCode, errorMessage: outcome.errorMessage };
    const entries = Object.entries({
      ...fields,
      status: outcome.status,
      updatedAt: outcome.updatedAt,
    });
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression: `SET ${entries.map((_, index) => `#f${index} = :v${index}`).join(', ')}`,
          ConditionExpression: '#kind = :job AND #current = :from',
          ExpressionAttributeNames: {
            ...Object.fromEntries(entries.map(([name], index) => [`#f${index}`, name])),
            '#current': 'status',
            '#kind': 'kind',
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(entries.map(([, value], index) => [`:v${index}`, value])),
            ':job': 'job',
            ':from': from,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
