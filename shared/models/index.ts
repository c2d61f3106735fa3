/** The model-adapter library's public API: catalog, adapters, error mapping and image helpers. */
export * from './types.js';
export {
  DEFAULT_EDIT_MODELS,
  DEFAULT_TEXT_TO_IMAGE_MODEL,
  INFERENCE_PROFILE_PREFIXES,
  MODEL_CATALOG,
  adapterFor,
  findModel,
  parseModelId,
  type InferenceProfilePrefix,
  type ParsedModelId,
} from './catalog.js';
export { MAX_IMAGES_PER_REQUEST, collectOutputs, withDecodedBase64 } from './adapter-helpers.js';
export { THROTTLE_RETRY_AFTER_SECONDS, classifyBedrockError } from './bedrock-errors.js';
export { stabilityLegacyAdapter, SDXL_SIZES, SDXL_STYLE_PRESETS } from './stability-legacy.js';
export {
  STABILITY_ASPECT_RATIOS,
  exactAspectRatio,
  stabilityCurrentAdapter,
} from './stability-current.js';
export { STABILITY_EDIT_IMAGE_LIMITS, stabilityEditAdapter } from './stability-edit.js';
export {
  AMAZON_MAX_SEED,
  NOVA_ASPECT_RATIO_SIZES,
  NOVA_SIZE_LIMITS,
  NOVA_STYLES,
  TITAN_ASPECT_RATIO_SIZES,
  TITAN_SIZES,
  amazonImageAdapter,
} from './amazon-image.js';
export { probeImage, detectImageMimeType, type ProbedImage } from '../images/probe.js';
export { toModelMask, type MaskConvention, type ModelMask } from '../images/mask.js';
