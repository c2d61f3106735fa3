/**
 * The model catalog (see known-models.ts), the default models, and the lookup from a model id to
 * the adapter that speaks its request format.
 */
import { amazonImageAdapter } from './amazon-image.js';
import { findModel, modelNotAllowed } from './known-models.js';
import { stabilityCurrentAdapter } from './stability-current.js';
import { stabilityEditAdapter } from './stability-edit.js';
import { stabilityLegacyAdapter } from './stability-legacy.js';
import type { EditOperation, ModelAdapter } from './types.js';

export {
  INFERENCE_PROFILE_PREFIXES,
  MODEL_CATALOG,
  findModel,
  parseModelId,
  requireModel,
  type InferenceProfilePrefix,
  type ParsedModelId,
} from './known-models.js';

/** The model most callers should use for text-to-image: the one Stability model confirmed active. */
export const DEFAULT_TEXT_TO_IMAGE_MODEL = 'stability.stable-image-core-v1:1';

/**
 * One model per edit operation: the Stability Image Services through their `us.` cross-Region
 * inference profiles, which is what AWS's own examples invoke; image-to-image on SD3.5 Large;
 * variation and colour guidance on Titan Image Generator v2.
 */
export const DEFAULT_EDIT_MODELS: Readonly<Record<EditOperation, string>> = {
  inpaint: 'us.stability.stable-image-inpaint-v1:0',
  outpaint: 'us.stability.stable-outpaint-v1:0',
  erase: 'us.stability.stable-image-erase-object-v1:0',
  'search-replace': 'us.stability.stable-image-search-replace-v1:0',
  'remove-background': 'us.stability.stable-image-remove-background-v1:0',
  'search-recolor': 'us.stability.stable-image-search-recolor-v1:0',
  'control-sketch': 'us.stability.stable-image-control-sketch-v1:0',
  'control-structure': 'us.stability.stable-image-control-structure-v1:0',
  'style-guide': 'us.stability.stable-image-style-guide-v1:0',
  'style-transfer': 'us.stability.stable-style-transfer-v1:0',
  'creative-upscale': 'us.stability.stable-creative-upscale-v1:0',
  'conservative-upscale': 'us.stability.stable-conservative-upscale-v1:0',
  'fast-upscale': 'us.stability.stable-fast-upscale-v1:0',
  // Stability's text-to-image models are served from us-west-2 (their pages' examples).
  'image-to-image': 'stability.sd3-5-large-v1:0',
  // Titan is the one Amazon image model that is not past end of life (Nova Canvas: 2026-09-30).
  'image-variation': 'amazon.titan-image-generator-v2:0',
  'color-guided': 'amazon.titan-image-generator-v2:0',
};

/**
 * The adapter that speaks `modelId`'s request format.
 * Throws AppError MODEL_NOT_ALLOWED, listing the supported ids, for an unknown model.
 *
 * @example
 * const adapter = adapterFor('us.stability.stable-image-inpaint-v1:0');
 * const invocations = adapter.buildEdit('us.stability.stable-image-inpaint-v1:0', params);
 */
export function adapterFor(modelId: string): ModelAdapter {
  const model = findModel(modelId);
  if (!model) throw modelNotAllowed(modelId);
  switch (model.family) {
    case 'stability-legacy':
      return stabilityLegacyAdapter;
    case 'stability-current':
      return stabilityCurrentAdapter;
    case 'stability-edit':
      return stabilityEditAdapter;
    case 'amazon-image':
      return amazonImageAdapter;
  }
}
