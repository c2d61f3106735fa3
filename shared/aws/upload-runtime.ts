/**
 * POST /uploads' runtime: a POST-policy signer on S3 and nothing else (no table, no model), so its
 * bundle carries neither the DynamoDB nor the Bedrock client.
 */
import { randomUUID } from 'node:crypto';

import type { AppConfig } from '../config.js';
import { createUploadService, type UploadService } from '../core/upload-service.js';
import { s3Client } from './clients.js';
import { systemClock, type AwsClients, type BaseRuntime } from './runtime.js';
import { S3UploadSigner } from './s3-upload-signer.js';

export interface UploadRuntime extends BaseRuntime {
  uploads: UploadService;
}

export function uploadRuntime(
  config: AppConfig,
  clients: Pick<AwsClients, 's3'> = { s3: s3Client() },
): UploadRuntime {
  return {
    config,
    uploads: createUploadService({
      signer: new S3UploadSigner(clients.s3, config.bucketName),
      clock: systemClock,
      newId: randomUUID,
      config,
    }),
  };
}
