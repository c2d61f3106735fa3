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
import { bedrockRegionFor } from '../models/model-regions.js';
import type { BaseRuntime } from './runtime.js';

export interface ModelsRuntime extends BaseRuntime {
  listing: ModelListing;
}

export function modelsRuntime(config: AppConfig): ModelsRuntime {
  const listing = listModels(config, {
    findModel,
    describeModel,
    // The same routing the invoking functions use (image-runtimes.ts).
    regionFor: (modelId) => bedrockRegionFor(modelId, config.bedrockRegion) ?? null,
    apiFields: {
      generate: Object.keys(generateRequestSchema.shape),
      edit: Object.keys(editRequestSchema.shape),
    },
  });
  return { config, listing };
}
