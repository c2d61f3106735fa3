/**
 * The AWS SDK clients an image request touches (S3, DynamoDB, Bedrock), mocked for the handler
 * tests the same way each time: S3 stores, DynamoDB writes and finds nothing, and Bedrock answers
 * one Stability image with the given seed (and picture). The mocks are reset before each test; a
 * test, or a later beforeEach, answers differently by calling `.on(...)` again.
 */
import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import { stabilityImageResponse } from '../aws/test-runtime.js';

export function mockImageRequestClients(stabilityAnswer: { seed: number; image?: Uint8Array }) {
  const s3 = mockClient(S3Client);
  const dynamo = mockClient(DynamoDBDocumentClient);
  const bedrock = mockClient(BedrockRuntimeClient);
  beforeEach(() => {
    s3.reset();
    dynamo.reset();
    bedrock.reset();
    s3.on(PutObjectCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(GetCommand).resolves({});
    // The image record's two writes (DynamoRecordStore.createPending and finish).
    dynamo.on(PutItemCommand).resolves({});
    dynamo.on(UpdateItemCommand).resolves({});
    bedrock
      .on(InvokeModelCommand)
      .resolves(stabilityImageResponse(stabilityAnswer.seed, stabilityAnswer.image));
  });
  return { s3, dynamo, bedrock };
}

type DynamoMock = ReturnType<typeof mockImageRequestClients>['dynamo'];

/** The image records written as pending (DynamoRecordStore.createPending), unmarshalled. */
export function pendingRecords(
  dynamo: DynamoMock,
): { TableName?: string; Item: Record<string, unknown> }[] {
  return dynamo.commandCalls(PutItemCommand).map(({ args: [command] }) => {
    const { TableName, Item } = command.input;
    return { TableName, Item: unmarshall(Item ?? {}) };
  });
}

/** The fields each record finish (DynamoRecordStore.finish) set, by name, unmarshalled. */
export function recordFinishes(dynamo: DynamoMock): Record<string, unknown>[] {
  return dynamo.commandCalls(UpdateItemCommand).map(({ args: [command] }) => {
    const input = command.input;
    const values = unmarshall(input.ExpressionAttributeValues ?? {});
    return Object.fromEntries(
      Object.entries(input.ExpressionAttributeNames ?? {}).map(([alias, name]) => [
        name,
        values[alias.replace('#f', ':v')],
      ]),
    );
  });
}
