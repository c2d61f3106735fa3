/**
 * The composition root: configuration, SDK clients, adapters and services, built once per
 * container and shared by every invocation. Handlers only ever see a `Runtime`.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { randomUUID } from 'node:crypto';

import { editRequestSchema } from '../api/edit-request.js';
import { generateRequestSchema } from '../api/generate-request.js';
import { loadConfig, type AppConfig } from '../config.js';
import { createEditService, type EditService } from '../core/edit-service.js';
import { createGenerateService, type GenerateService } from '../core/generate-service.js';
import { createHistoryService, type HistoryService } from '../core/history-service.js';
import {
  createJobService,
  jobLimitsFromEnv,
  type JobLimits,
  type JobService,
  type JobSubmission,
} from '../core/job-service.js';
import type { Clock, JobType, ModelCatalog } from '../core/ports.js';
import { createUploadService, type UploadService } from '../core/upload-service.js';
import { validate } from '../http/validation.js';
import { adapterFor, findModel, probeImage } from '../models/index.js';
import { BedrockInvoker } from './bedrock-invoker.js';
import { createAwsClients, type AwsClients } from './clients.js';
import { DynamoJobStore } from './dynamo-job-store.js';
import { DynamoRecordStore } from './dynamo-record-store.js';
import { LambdaJobDispatcher } from './lambda-job-dispatcher.js';
import { S3ImageStore } from './s3-image-store.js';

export interface Runtime {
  config: AppConfig;
  generate: GenerateService;
  edit: EditService;
  history: HistoryService;
  uploads: UploadService;
  jobs: JobService;
}

const systemClock: Clock = { now: () => new Date() };
const modelCatalog: ModelCatalog = { adapterFor, findModel };

/** A stored job request, checked again with the same schemas POST /jobs used. */
function parseStoredJobRequest(type: JobType, request: Record<string, unknown>): JobSubmission {
  return type === 'generate'
    ? { type, request: validate(generateRequestSchema, request, 'stored job request') }
    : { type, request: validate(editRequestSchema, request, 'stored job request') };
}

/** Wires the real adapters; tests pass clients that aws-sdk-client-mock intercepts. */
export function createRuntime(
  config: AppConfig,
  clients: AwsClients = createAwsClients(config),
  jobLimits: JobLimits = jobLimitsFromEnv(process.env),
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
  const generate = createGenerateService({
    ...pipeline,
    catalog: modelCatalog,
    newId: randomUUID,
    config,
  });
  const edit = createEditService({
    ...pipeline,
    catalog: modelCatalog,
    probe: probeImage,
    newId: randomUUID,
    config,
  });
  return {
    config,
    generate,
    edit,
    history: createHistoryService(pipeline),
    uploads: createUploadService({ images, clock: systemClock, newId: randomUUID, config }),
    jobs: createJobService({
      jobs: new DynamoJobStore(clients.dynamo, config.tableName),
      dispatcher: new LambdaJobDispatcher(
        clients.lambda ?? new LambdaClient({}),
        config.jobWorkerFunction,
      ),
      generate,
      edit,
      pipeline,
      clock: systemClock,
      newId: randomUUID,
      limits: jobLimits,
      parseRequest: parseStoredJobRequest,
    }),
  };
}

/**
 * Builds the production runtime now, at module init, from process.env. A configuration error is
 * kept and thrown on each request instead, so callers get a logged 500 with CORS headers naming
 * the problem in the logs, rather than a bare gateway 502 from a crashed init.
 */
export function initRuntime(env: NodeJS.ProcessEnv = process.env): () => Runtime {
  try {
    const config = loadConfig(env);
    const runtime = createRuntime(config, createAwsClients(config), jobLimitsFromEnv(env));
    return () => runtime;
  } catch (error) {
    return () => {
      throw error;
    };
  }
}
