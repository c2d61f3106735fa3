/**
 * The AWS SDK clients, one of each per container. No endpoints or path-style switches here:
 * locally the SDK finds the stand-ins through AWS_ENDPOINT_URL_* (an http://127.0.0.1 endpoint is
 * path-style automatically), so the same code runs on AWS and offline.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { AppConfig } from '../config.js';

export interface AwsClients {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  bedrock: BedrockRuntimeClient;
  /** Starts the job worker (POST /jobs); optional so tests that never start jobs can omit it. */
  lambda?: LambdaClient;
}

export function createAwsClients(
  config: Pick<AppConfig, 'bedrockRegion' | 'bedrockTimeoutMs'>,
): AwsClients {
  return {
    // WHEN_REQUIRED: with the default (WHEN_SUPPORTED) pre-signed uploads carry a checksum of an
    // empty body and real S3 rejects them (aws/aws-sdk-js-v3#6994).
    s3: new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' }),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    bedrock: new BedrockRuntimeClient({
      ...(config.bedrockRegion ? { region: config.bedrockRegion } : {}),
      // The HTTP/2 handler's requestTimeout is a per-attempt inactivity limit, and Bedrock sends
      // nothing until the image is done; the invoker adds an overall deadline across retries.
      // disableConcurrentStreams keeps the SDK's own default for this client.
      requestHandler: { requestTimeout: config.bedrockTimeoutMs, disableConcurrentStreams: true },
    }),
    lambda: new LambdaClient({}),
  };
}
