import { amazonImage } from './amazon.js';
import { withGuidedTasks } from './amazon-guided.js';
import type { ModelHandler } from './context.js';
import {
  stabilityEraseObject,
  stabilityInpaint,
  stabilityOutpaint,
  stabilityRemoveBackground,
  stabilitySdxl,
  stabilitySearchReplace,
  stabilityTextToImage,
} from './stability.js';
import {
  stabilityConservativeUpscale,
  stabilityControl,
  stabilityCreativeUpscale,
  stabilityFastUpscale,
  stabilitySearchRecolor,
  stabilityStyleGuide,
  stabilityStyleTransfer,
} from './stability-services.js';

/** Base model id -> handler. Inference-profile prefixes and ARNs are stripped before lookup. */
export const MODEL_HANDLERS: Readonly<Record<string, ModelHandler>> = {
  'stability.stable-diffusion-xl-v1': stabilitySdxl,
  'stability.stable-image-core-v1:1': stabilityTextToImage('core'),
  'stability.stable-image-ultra-v1:1': stabilityTextToImage('ultra'),
  'stability.sd3-5-large-v1:0': stabilityTextToImage('sd35'),
  'stability.stable-image-inpaint-v1:0': stabilityInpaint,
  'stability.stable-outpaint-v1:0': stabilityOutpaint,
  'stability.stable-image-erase-object-v1:0': stabilityEraseObject,
  'stability.stable-image-search-replace-v1:0': stabilitySearchReplace,
  'stability.stable-image-remove-background-v1:0': stabilityRemoveBackground,
  'stability.stable-image-search-recolor-v1:0': stabilitySearchRecolor,
  'stability.stable-image-control-sketch-v1:0': stabilityControl('control sketch'),
  'stability.stable-image-control-structure-v1:0': stabilityControl('control structure'),
  'stability.stable-image-style-guide-v1:0': stabilityStyleGuide,
  'stability.stable-style-transfer-v1:0': stabilityStyleTransfer,
  'stability.stable-creative-upscale-v1:0': stabilityCreativeUpscale,
  'stability.stable-conservative-upscale-v1:0': stabilityConservativeUpscale,
  'stability.stable-fast-upscale-v1:0': stabilityFastUpscale,
  'amazon.nova-canvas-v1:0': withGuidedTasks('nova', amazonImage('nova')),
  'amazon.titan-image-generator-v2:0': withGuidedTasks('titan', amazonImage('titan')),
};

/** Cross-Region inference profile prefixes (geography + '.'), e.g. `us.amazon.nova-canvas-v1:0`. */
const PROFILE_PREFIX = /^(?:us|eu|apac|global|us-gov|jp|au|ca)\./;

/**
 * Reduces a model identifier to the base model id: strips a foundation-model or
 * inference-profile ARN (`arn:aws:bedrock:<region>:<account>:inference-profile/<id>`) and a
 * geography prefix.
 */
export function baseModelId(modelId: string): string {
  const arn =
    /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile)\/(.+)$/.exec(
      modelId,
    );
  return (arn?.[1] ?? modelId).replace(PROFILE_PREFIX, '');
}
