/**
 * The runtimes of the functions that work on stored images and their records (S3 and DynamoDB):
 * generate, edits, history, jobs and the job worker. Each builder wires only what its function
 * uses, and tests call the same builders with mocked clients: history builds no model invoker, the
 * jobs function validates requests but never calls Bedrock, and the worker starts no jobs, so
 * their bundles leave the Bedrock or Lambda client out.
 */
import { randomUUID } from 'node:crypto';

import { editRequestSchema } from '../api/edit-request.js';
import { generateRequestSchema } from '../api/generate-request.js';
import type { AppConfig } from '../config.js';
import { createEditService, type EditService } from '../core/edit-service.js';
import { createGenerateService, type GenerateService } from '../core/generate-service.js';
import { createHistoryService, type HistoryService } from '../core/history-service.js';
import type { PipelineDeps } from '../core/image-pipeline.js';
import {
  createJobService,
  jobLimitsFromEnv,
  type JobLimits,
  type JobService,
  type JobSubmission,
} from '../core/job-service.js';
import type { JobDispatcher, JobType, ModelCatalog, ModelInvoker } from '../core/ports.js';
import { AppError } from '../errors.js';
import { validate } from '../http/validation.js';
import { adapterFor, findModel, probeImage } from '../models/index.js';
import { bedrockRegionFor } from '../models/model-regions.js';
import { BedrockInvoker } from './bedrock-invoker.js';
import { BytePool } from './byte-pool.js';
import { bedrockClients, lambdaClient, s3Client } from './clients.js';
import { dynamoDocumentClient } from './dynamo-client.js';
import { DynamoJobStore } from './dynamo-job-store.js';
import { DynamoRecordStore } from './dynamo-record-store.js';
import { LambdaJobDispatcher } from './lambda-job-dispatcher.js';
import { systemClock, type AwsClients, type BaseRuntime } from './runtime.js';
import { S3ImageStore } from './s3-image-store.js';

/** POST /generate and GET /generate. */
export interface GenerateRuntime extends BaseRuntime {
  generate: GenerateService;
}

/** POST /edits. */
export interface EditRuntime extends BaseRuntime {
  edit: EditService;
}

/** GET /history, DELETE /history/{id}. */
export interface HistoryRuntime extends BaseRuntime {
  history: HistoryService;
}

/** POST /jobs, GET /jobs/{id}: stores and starts jobs; never runs them. */
export interface JobsRuntime extends BaseRuntime {
  jobs: Pick<JobService, 'submit' | 'get'>;
}

/** The job worker: runs one stored job. */
export interface WorkerRuntime extends BaseRuntime {
  jobs: Pick<JobService, 'run'>;
}

type StorageClients = Pick<AwsClients, 's3' | 'dynamo'>;
type ModelClients = Pick<AwsClients, 's3' | 'dynamo' | 'bedrock'>;
type JobsClients = Pick<AwsClients, 's3' | 'dynamo' | 'lambda'>;

const modelCatalog: ModelCatalog = { adapterFor, findModel };

/**
 * The container's reusable megabytes: Bedrock answers are read into them and images decoded into
 * them (byte-pool.ts says why). The clients' collector and the invoker must share it.
 */
const imageBytes = new BytePool();

function storageClients(): StorageClients {
  return { s3: s3Client(), dynamo: dynamoDocumentClient() };
}

function modelClients(config: AppConfig): ModelClients {
  return { ...storageClients(), bedrock: bedrockClients(config, imageBytes) };
}

/**
 * The jobs function validates requests with the generate and edit services but never runs them;
 * the worker does. Wiring this instead of Bedrock keeps the Bedrock client out of its bundle.
 */
const modelsRunInTheWorker: ModelInvoker = {
  invoke: () => Promise.reject(new AppError('INTERNAL', 'The jobs function does not call models.')),
};

/** The worker only runs jobs; starting them is the jobs function's part. */
const workerStartsNoJobs: JobDispatcher = {
  dispatch: () => Promise.reject(new AppError('INTERNAL', 'The job worker does not start jobs.')),
};

/** Images in S3 and their records in DynamoDB. */
function imageStorage(
  config: AppConfig,
  clients: StorageClients,
): Pick<PipelineDeps, 'images' | 'records'> {
  return {
    images: new S3ImageStore(clients.s3, {
      bucket: config.bucketName,
      urlExpirySeconds: config.urlExpirySeconds,
    }),
    records: new DynamoRecordStore(clients.dynamo, config.tableName),
  };
}

/** What generation and editing share: storage, the function's model invoker, the clock. */
function pipelineDeps(
  config: AppConfig,
  clients: StorageClients,
  invoker: ModelInvoker,
): PipelineDeps {
  return {
    ...imageStorage(config, clients),
    invoker,
    clock: systemClock,
    urlExpirySeconds: config.urlExpirySeconds,
  };
}

function bedrockInvoker(config: AppConfig, clients: ModelClients): ModelInvoker {
  // Each model is called in the Region that serves it (the stack's own when it does).
  return new BedrockInvoker(
    (modelId) => clients.bedrock(bedrockRegionFor(modelId, config.bedrockRegion)),
    { timeoutMs: config.bedrockTimeoutMs, bytes: imageBytes },
  );
}

function generateService(config: AppConfig, pipeline: PipelineDeps): GenerateService {
  return createGenerateService({ ...pipeline, catalog: modelCatalog, newId: randomUUID, config });
}

function editService(config: AppConfig, pipeline: PipelineDeps): EditService {
  return createEditService({
    ...pipeline,
    catalog: modelCatalog,
    probe: probeImage,
    newId: randomUUID,
    config,
  });
}

/** A stored job request, checked again with the same schemas POST /jobs used. */
function parseStoredJobRequest(type: JobType, request: Record<string, unknown>): JobSubmission {
  return type === 'generate'
    ? { type, request: validate(generateRequestSchema, request, 'stored job request') }
    : { type, request: validate(editRequestSchema, request, 'stored job request') };
}

/** The job service both job functions share; they differ in the invoker and dispatcher. */
function jobService(
  config: AppConfig,
  clients: StorageClients,
  parts: { invoker: ModelInvoker; dispatcher: JobDispatcher; limits: JobLimits },
): JobService {
  const pipeline = pipelineDeps(config, clients, parts.invoker);
  return createJobService({
    jobs: new DynamoJobStore(clients.dynamo, config.tableName),
    dispatcher: parts.dispatcher,
    generate: generateService(config, pipeline),
    edit: editService(config, pipeline),
    pipeline,
    clock: systemClock,
    newId: randomUUID,
    limits: parts.limits,
    parseRequest: parseStoredJobRequest,
  });
}

/** POST /generate and GET /generate: S3, DynamoDB and Bedrock. */
export function generateRuntime(
  config: AppConfig,
  clients: ModelClients = modelClients(config),
): GenerateRuntime {
  const pipeline = pipelineDeps(config, clients, bedrockInvoker(config, clients));
  return { config, generate: generateService(config, pipeline) };
}

/** POST /edits: S3, DynamoDB and Bedrock. */
export function editRuntime(
  config: AppConfig,
  clients: ModelClients = modelClients(config),
): EditRuntime {
  const pipeline = pipelineDeps(config, clients, bedrockInvoker(config, clients));
  return { config, edit: editService(config, pipeline) };
}

/** GET and DELETE /history: S3 and DynamoDB. */
export function historyRuntime(
  config: AppConfig,
  clients: StorageClients = storageClients(),
): HistoryRuntime {
  const history = createHistoryService({
    ...imageStorage(config, clients),
    clock: systemClock,
    urlExpirySeconds: config.urlExpirySeconds,
  });
  return { config, history };
}

/** POST /jobs and GET /jobs/{id}: S3 (result URLs), DynamoDB and Lambda (starts the worker). */
export function jobsRuntime(
  config: AppConfig,
  clients: JobsClients = { ...storageClients(), lambda: lambdaClient() },
  limits: JobLimits = jobLimitsFromEnv(process.env),
): JobsRuntime {
  const dispatcher = new LambdaJobDispatcher(clients.lambda, config.jobWorkerFunction);
  return {
    config,
    jobs: jobService(config, clients, { invoker: modelsRunInTheWorker, dispatcher, limits }),
  };
}

/** The job worker: S3, DynamoDB and Bedrock. */
export function workerRuntime(
  config: AppConfig,
  clients: ModelClients = modelClients(config),
  limits: JobLimits = jobLimitsFromEnv(process.env),
): WorkerRuntime {
  const invoker = bedrockInvoker(config, clients);
  return {
    config,
    jobs: jobService(config, clients, { invoker, dispatcher: workerStartsNoJobs, limits }),
  };
}
