/**
 * Image-to-image on Stable Diffusion 3.5 Large and Stable Image Ultra: the prompt applied to an
 * input image, `strength` saying how far the result may move from it. Sources:
 * - SD3.5 Large: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-diffusion-3-5-large.html
 *   (`mode: "image-to-image"` "requires the prompt, image, and strength parameters"; image at
 *   least 64 px a side, jpeg/png/webp; strength 0–1, "0 preserves the input image, 1 ignores" it;
 *   seed 0–4294967294; aspect_ratio is text-to-image only)
 * - Ultra: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-diffusion-stable-ultra-text-image-request-response.html
 *   (image-to-image variant with `image` + `strength` 0–1, default 0.35; JPEG, PNG, WebP; seed
 *   0–4294967295)
 */
import * as z from 'zod';

import { AppError } from '../errors.js';
import {
  MAX_IMAGES_PER_REQUEST,
  cachedSchema,
  intInRange,
  numberInRange,
  parseOrThrow,
  seedSequence,
  textOfLength,
  toBase64,
} from './adapter-helpers.js';
import { findModel } from './known-models.js';
import { assertOnlyFields, inputImageProblems, type InputImageLimits } from './operations.js';
import type { EditParams, Invocation } from './types.js';

interface ImageToImageSpec {
  /** SD3.5 selects image-to-image with `mode`; Ultra infers it from `image`. */
  sendsMode: boolean;
  strengthRequired: boolean;
  maxSeed: number;
  image: InputImageLimits;
}

const FORMATS = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** Per model, by base id: what its page documents for image-to-image. */
export const IMAGE_TO_IMAGE_MODELS: Readonly<Record<string, ImageToImageSpec>> = {
  'stability.sd3-5-large-v1:0': {
    sendsMode: true,
    strengthRequired: true,
    maxSeed: 4_294_967_294,
    image: { minSide: 64, mimeTypes: FORMATS },
  },
  // The Ultra page gives no size rule for the input image; Bedrock's 25 MB body limit applies.
  'stability.stable-image-ultra-v1:1': {
    sendsMode: false,
    strengthRequired: false,
    maxSeed: 4_294_967_295,
    image: { minSide: 1, mimeTypes: FORMATS },
  },
};

const MAX_TEXT = 10_000;

function valueSchema(spec: ImageToImageSpec, modelId: string) {
  const strength = numberInRange('strength', 0, 1);
  return z.object({
    prompt: textOfLength('prompt', 1, MAX_TEXT),
    negativePrompt: textOfLength('negativePrompt', 1, MAX_TEXT).optional(),
    seed: intInRange('seed', 0, spec.maxSeed).optional(),
    count: intInRange('count', 1, MAX_IMAGES_PER_REQUEST).optional(),
    strength: spec.strengthRequired
      ? z
          .number({
            error: `strength is required for image-to-image on ${modelId}: 0 keeps the input image, 1 ignores it`,
          })
          .pipe(strength)
      : strength.optional(),
  });
}

/**
 * Bedrock bodies for image-to-image: one call per image (these models return one image a call).
 *
 * @example
 * buildImageToImage('stability.sd3-5-large-v1:0', {
 *   operation: 'image-to-image', image, prompt: 'A car made out of vegetables.', strength: 0.7,
 * });
 * // body: { prompt: '…', mode: 'image-to-image', image: '<base64>', strength: 0.7, output_format: 'png' }
 */
export function buildImageToImage(modelId: string, params: EditParams): Invocation[] {
  const baseId = findModel(modelId)?.id ?? modelId;
  const spec = IMAGE_TO_IMAGE_MODELS[baseId];
  if (!spec) {
    throw new AppError('UNSUPPORTED_OPERATION', `${modelId} cannot do image-to-image.`);
  }
  assertOnlyFields(params, ['prompt', 'negativePrompt', 'seed', 'count', 'strength'], modelId, {
    mask: 'image-to-image reworks the whole picture; use inpaint to change a painted area',
  });
  parseOrThrow(
    cachedSchema(`image-to-image ${baseId}`, () => valueSchema(spec, modelId)),
    params,
    modelId,
  );
  const problems = inputImageProblems('image', params.image, spec.image);
  if (problems.length > 0) {
    throw new AppError(
      'INVALID_PARAMETER',
      `Invalid request for ${modelId}: ${problems.join('; ')}`,
      {
        details: problems.map((message) => ({ path: 'image', message })),
      },
    );
  }
  const fields: Record<string, unknown> = {
    prompt: params.prompt,
    ...(spec.sendsMode ? { mode: 'image-to-image' } : {}),
    image: toBase64(params.image.bytes),
    ...(params.strength === undefined ? {} : { strength: params.strength }),
    ...(params.negativePrompt === undefined ? {} : { negative_prompt: params.negativePrompt }),
    output_format: 'png',
  };
  return seedSequence(params.seed, params.count ?? 1, spec.maxSeed).map((callSeed) => ({
    modelId,
    expectedImages: 1,
    body: callSeed === undefined ? { ...fields } : { ...fields, seed: callSeed },
  }));
}
