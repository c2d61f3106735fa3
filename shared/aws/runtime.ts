/**
 * The composition root's entry point. Each function builds its own runtime (configuration, SDK
 * clients, adapters, services) once per container with `initRuntime(<its builder>)`, and its
 * handler only ever sees that runtime. The builders wire only what their function uses, so
 * esbuild leaves every other SDK client and adapter out of the bundle: image-runtimes.ts for the
 * functions on stored images and their records, upload-runtime.ts for POST /uploads (no table).
 * This module imports no SDK code, so every function can use it.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { loadConfig, type AppConfig } from '../config.js';
import type { Clock } from '../core/ports.js';
import type { RuntimeProvider } from '../http/observe.js';
import type { BedrockClientForRegion } from './clients.js';

/** Every client a function may use; each builder takes the subset it needs (tests: mocks). */
export interface AwsClients {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  /** Bedrock Runtime clients by Region (models are served in different Regions). */
  bedrock: BedrockClientForRegion;
  lambda: LambdaClient;
}

/** What every runtime carries: the HTTP layer reads CORS and logging settings from it. */
export interface BaseRuntime {
  config: AppConfig;
}

/** Builds one function's runtime from its validated configuration. */
export type RuntimeBuilder<Runtime> = (config: AppConfig) => Runtime;

export const systemClock: Clock = { now: () => new Date() };

/**
 * Builds the production runtime now, at module init: configuration from `env`, then the SDK
 * clients and adapters `build` asks for (the job builders read their limits from process.env).
 * A configuration error is kept and thrown on each request instead, so callers get a logged 500
 * with CORS headers naming the problem in the logs, rather than a bare gateway 502 from a crashed
 * init.
 */
export function initRuntime<Runtime>(
  build: RuntimeBuilder<Runtime>,
  env: NodeJS.ProcessEnv = process.env,
): RuntimeProvider<Runtime> {
  try {
    const runtime = build(loadConfig(env));
    return () => runtime;
  } catch (error) {
    return () => {
      throw error;
    };
  }
}
