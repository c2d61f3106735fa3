/**
 * shared/deployment/functions.json: what every function gets at run time (environment, timeout,
 * memory). Terraform (terraform/locals.tf) reads the same file, so the local stack runs each
 * function exactly as it is deployed; only the settings' values (bucket name, CORS origin…) differ.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { REPO_ROOT } from '../build.js';

export const FUNCTION_DEFINITIONS_PATH = path.join(
  REPO_ROOT,
  'shared',
  'deployment',
  'functions.json',
);

const source = z.union([
  z.strictObject({ setting: z.string().min(1) }),
  z.strictObject({ value: z.string() }),
]);
const environment = z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), source);

const definitionsSchema = z.object({
  defaults: z.strictObject({
    api_function_timeout_seconds: z.number().int().positive(),
    api_bedrock_timeout_ms: z.number().int().positive(),
    job_worker_timeout_seconds: z.number().int().positive(),
    job_worker_bedrock_timeout_ms: z.number().int().positive(),
    function_memory_mb: z.number().int().min(128).max(10240),
    url_expiry_seconds: z.number().int().positive(),
    max_upload_bytes: z.number().int().positive(),
    log_prompts: z.boolean(),
    metrics_namespace: z.string().min(1),
  }),
  environment,
  functions: z.record(z.string(), z.strictObject({ api: z.boolean(), environment })),
});

export type FunctionDefinitions = z.infer<typeof definitionsSchema>;

export function loadFunctionDefinitions(file = FUNCTION_DEFINITIONS_PATH): FunctionDefinitions {
  return definitionsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/**
 * The values of one deployment for the settings functions.json names, except the two that depend
 * on the function (`function_key`, `bedrock_timeout_ms`), which are derived here as Terraform does.
 */
export interface DeploymentSettings {
  bucket_name: string;
  table_name: string;
  allowed_models: string;
  default_model: string;
  edit_models: string;
  bedrock_region: string;
  cors_origin: string;
  job_worker_function_name: string;
  /** Numbers and flags left out fall back to functions.json's defaults (Terraform's variable defaults). */
  url_expiry_seconds?: string;
  log_prompts?: string;
  max_upload_bytes?: string;
  metrics_namespace?: string;
  job_worker_timeout_seconds?: string;
}

export interface FunctionRuntimeSettings {
  environment: Record<string, string>;
  timeoutMs: number;
  memoryMb: number;
}

/** One function's environment, timeout and memory, resolved as terraform/locals.tf and main.tf do. */
export function resolveFunction(
  definitions: FunctionDefinitions,
  name: string,
  settings: DeploymentSettings,
): FunctionRuntimeSettings {
  const definition = Object.hasOwn(definitions.functions, name)
    ? definitions.functions[name]
    : undefined;
  if (!definition) {
    throw new Error(
      `Function ${name} has no entry in ${path.relative(REPO_ROOT, FUNCTION_DEFINITIONS_PATH)}`,
    );
  }
  const { defaults } = definitions;
  const values: Record<string, string> = {
    url_expiry_seconds: String(defaults.url_expiry_seconds),
    log_prompts: String(defaults.log_prompts),
    max_upload_bytes: String(defaults.max_upload_bytes),
    metrics_namespace: defaults.metrics_namespace,
    job_worker_timeout_seconds: String(defaults.job_worker_timeout_seconds),
    ...settings,
    function_key: name,
    bedrock_timeout_ms: String(
      definition.api ? defaults.api_bedrock_timeout_ms : defaults.job_worker_bedrock_timeout_ms,
    ),
  };
  const environment: Record<string, string> = {};
  for (const [variable, from] of Object.entries({
    ...definitions.environment,
    ...definition.environment,
  })) {
    if ('value' in from) {
      environment[variable] = from.value;
      continue;
    }
    const value = Object.hasOwn(values, from.setting) ? values[from.setting] : undefined;
    if (value === undefined) {
      throw new Error(`${variable} of ${name} refers to an unknown setting: ${from.setting}`);
    }
    environment[variable] = value;
  }
  const timeoutSeconds = definition.api
    ? defaults.api_function_timeout_seconds
    : Number(values.job_worker_timeout_seconds);
  return {
    environment,
    timeoutMs: timeoutSeconds * 1000,
    memoryMb: defaults.function_memory_mb,
  };
}
