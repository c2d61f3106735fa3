/**
 * GET /models' runtime: the model listing, worked out once per container from the configuration
 * and the adapter library. No AWS client at all, so the bundle carries none.
 */
import { editRequestSchema } from '../api/edit-request.js';
import { generateRequestSchema } from '../api/generate-request.js';
import type { AppConfig } from '../config.js';
import { listModels, type ModelListing } from '../core/model-listing.js';
import { findModel } from '../models/index.js';
import { describeModel } from '../models/model-capabilities.js';
import type { BaseRuntime } from './runtime.js';

export interface ModelsRuntime extends BaseRuntime {
  listing: ModelListing;
}

export function modelsRuntime(
  config: AppConfig,
  _clients?: unknown,
  env: NodeJS.ProcessEnv = process.env,
): ModelsRuntime {
  // Where the function's Bedrock client sends calls: BEDROCK_REGION, else the function's own.
  const region = config.bedrockRegion ?? env.AWS_REGION ?? 'us-east-1';
  const listing = listModels(config, {
    findModel,
    describeModel,
    regionFor: () => region,
    apiFields: {
      generate: Object.keys(generateRequestSchema.shape),
      edit: Object.keys(editRequestSchema.shape),
    },
  });
  return { config, listing };
}
