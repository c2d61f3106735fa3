/**
 * The DynamoDB document client, in a module of its own: @aws-sdk/lib-dynamodb does not declare
 * `"sideEffects": false`, so esbuild keeps it (and the DynamoDB client under it) in any bundle
 * whose imports reach it, used or not. Only functions with a table import this module.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { withoutSdkLogging } from './sdk-logging.js';

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(withoutSdkLogging(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
