/**
 * The functions' configuration: environment variables (set by Terraform, or by the local stack),
 * validated once per container. A missing or malformed variable fails with a message naming it.
 */
import * as z from 'zod';

import {
  DEFAULT_EDIT_MODELS,
  DEFAULT_TEXT_TO_IMAGE_MODEL,
  MODEL_CATALOG,
  findModel,
} from './models/index.js';
import { EDIT_OPERATIONS, type EditOperation } from './models/types.js';

export interface AppConfig {
  bucketName: string;
  tableName: string;
  /** Lifetime of pre-signed GET URLs. */
  urlExpirySeconds: number;
  allowedModels: string[];
  defaultModel: string;
  editModels: Record<EditOperation, string>;
  /**
   * The stack's Bedrock Region: BEDROCK_REGION, else the function's own (AWS_REGION). Each call
   * goes here when it serves the model, else to the model's Region (shared/models/model-regions).
   */
  bedrockRegion?: string;
  bedrockTimeoutMs: number;
  corsOrigin: string;
  logPrompts: boolean;
  jobWorkerFunction?: string;
  maxUploadBytes: number;
}

/** SigV4 pre-signed URLs last at most 7 days (s3-request-presigner refuses more). */
const MAX_URL_EXPIRY_SECONDS = 604_800;

/**
 * Bedrock gets 25 s by default so the synchronous routes answer (504) before API Gateway's 29 s
 * integration timeout cuts them off without a body.
 */
const DEFAULT_BEDROCK_TIMEOUT_MS = 25_000;

/** 10 MiB: API Gateway's payload limit, and more than Bedrock's image inputs accept anyway. */
const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

function wholeNumber(min: number, max: number, fallback: number) {
  return z
    .string()
    .trim()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === '') return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
        context.addIssue({
          code: 'custom',
          message: `must be a whole number from ${min} to ${max}`,
        });
        return z.NEVER;
      }
      return parsed;
    });
}

const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === '' || value === 'false') return false;
    if (value === 'true') return true;
    context.addIssue({ code: 'custom', message: 'must be true or false' });
    return z.NEVER;
  });

const modelList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
  );

const editModelsJson = z
  .string()
  .trim()
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === '') return {};
    try {
      return JSON.parse(value) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be a JSON object of operation → model' });
      return z.NEVER;
    }
  })
  .pipe(
    z.partialRecord(
      z.enum(EDIT_OPERATIONS as [EditOperation, ...EditOperation[]]),
      z.string().min(1),
    ),
  );

const envSchema = z.object({
  BUCKET_NAME: z.string().trim().min(1, 'is required'),
  TABLE_NAME: z.string().trim().min(1, 'is required'),
  URL_EXPIRY_SECONDS: wholeNumber(1, MAX_URL_EXPIRY_SECONDS, 3600),
  ALLOWED_MODELS: modelList,
  DEFAULT_MODEL: optionalText,
  EDIT_MODELS: editModelsJson,
  BEDROCK_REGION: optionalText,
  AWS_REGION: optionalText,
  BEDROCK_TIMEOUT_MS: wholeNumber(1000, 900_000, DEFAULT_BEDROCK_TIMEOUT_MS),
  CORS_ORIGIN: optionalText,
  LOG_PROMPTS: booleanFlag,
  JOB_WORKER_FUNCTION: optionalText,
  MAX_UPLOAD_BYTES: wholeNumber(1, 1024 * 1024 * 1024, DEFAULT_MAX_UPLOAD_BYTES),
});

/** Thrown at cold start when the environment is unusable; the message names each variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses `env` (process.env by default) into an AppConfig, or throws ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.map(String).join('.');
      const message = issue.code === 'invalid_type' ? 'is required' : issue.message;
      return `${name} ${message}`;
    });
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const vars = parsed.data;

  const allowedModels =
    vars.ALLOWED_MODELS.length > 0
      ? vars.ALLOWED_MODELS
      : MODEL_CATALOG.filter((model) => model.lifecycle === 'active').map((model) => model.id);
  const defaultModel = vars.DEFAULT_MODEL ?? DEFAULT_TEXT_TO_IMAGE_MODEL;
  const editModels = { ...DEFAULT_EDIT_MODELS, ...vars.EDIT_MODELS };

  const problems: string[] = [];
  const unknown = [...allowedModels, defaultModel, ...Object.values(editModels)].filter(
    (id) => findModel(id) === undefined,
  );
  if (unknown.length > 0) {
    problems.push(`unknown model ids ${[...new Set(unknown)].join(', ')} (see shared/models)`);
  }
  if (!allowedModels.includes(defaultModel)) {
    problems.push(`DEFAULT_MODEL ${defaultModel} is not in ALLOWED_MODELS`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);

  return {
    bucketName: vars.BUCKET_NAME,
    tableName: vars.TABLE_NAME,
    urlExpirySeconds: vars.URL_EXPIRY_SECONDS,
    allowedModels,
    defaultModel,
    editModels,
    ...((vars.BEDROCK_REGION ?? vars.AWS_REGION)
      ? { bedrockRegion: vars.BEDROCK_REGION ?? vars.AWS_REGION }
      : {}),
    bedrockTimeoutMs: vars.BEDROCK_TIMEOUT_MS,
    corsOrigin: vars.CORS_ORIGIN ?? '*',
    logPrompts: vars.LOG_PROMPTS,
    ...(vars.JOB_WORKER_FUNCTION ? { jobWorkerFunction: vars.JOB_WORKER_FUNCTION } : {}),
    maxUploadBytes: vars.MAX_UPLOAD_BYTES,
  };
}
