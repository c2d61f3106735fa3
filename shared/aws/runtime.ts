/**
 * The composition root: configuration, SDK clients, adapters and services, built once per
 * container and shared by every invocation. Handlers only ever see a `Runtime`.
 */
import { randomUUID } from 'node:crypto';

import { loadConfig, type AppConfig } from '../config.js';
import { createEditService, type EditService } from '../core/edit-service.js';
import { createGenerateService, type GenerateService } from '../core/generate-service.js';
import { createHistoryService, type HistoryService } from '../core/history-service.js';
import type { Clock, ModelCatalog } from '../core/ports.js';
import { createUploadService, type UploadService } from '../core/upload-service.js';
import { adapterFor, findModel, probeImage } from '../models/index.js';
import { BedrockInvoker } from './bedrock-invoker.js';
import { createAwsClients, type AwsClients } from './clients.js';
import { DynamoRecordStore } from './dynamo-record-store.js';
import { S3ImageStore } from './s3-image-store.js';

export interface Runtime {
  config: AppConfig;
  generate: GenerateService;
  edit: EditService;
  history: HistoryService;
  uploads: UploadService;
}

const systemClock: Clock = { now: () => new Date() };
const modelCatalog: ModelCatalog = { adapterFor, findModel };

/** Wires the real adapters; tests pass clients that aws-sdk-client-mock intercepts. */
export function createRuntime(
  config: AppConfig,
  clients: AwsClients = createAwsClients(config),
): Runtime {
  const images = new S3ImageStore(clients.s3, {
    bucket: config.bucketName,
    urlExpirySeconds: config.urlExpirySeconds,
  });
  const records = new DynamoRecordStore(clients.dynamo, config.tableName);
  const invoker = new BedrockInvoker(clients.bedrock, { timeoutMs: config.bedrockTimeoutMs });
  const pipeline = {
    images,
    records,
    invoker,
    clock: systemClock,
    urlExpirySeconds: config.urlExpirySeconds,
  };
  return {
    config,
    generate: createGenerateService({
      ...pipeline,
      catalog: modelCatalog,
      newId: randomUUID,
      config,
    }),
    edit: createEditService({
      ...pipeline,
      catalog: modelCatalog,
      probe: probeImage,
      newId: randomUUID,
      config,
    }),
    history: createHistoryService(pipeline),
    uploads: createUploadService({ images, clock: systemClock, newId: randomUUID, config }),
  };
}

/**
 * Builds the production runtime now, at module init, from process.env. A configuration error is
 * kept and thrown on each request instead, so callers get a logged 500 with CORS headers naming
 * the problem in the logs, rather than a bare gateway 502 from a crashed init.
 */
export function initRuntime(env: NodeJS.ProcessEnv = process.env): () => Runtime {
  try {
    const runtime = createRuntime(loadConfig(env));
    return () => runtime;
  } catch (error) {
    return () => {
      throw error;
    };
  }
}
