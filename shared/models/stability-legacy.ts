/**
 * Adapter for the SDXL 1.0 request format (`text_prompts` / `cfg_scale` / `steps` →
 * `artifacts[].base64`), the body of the original project (seed 000). SDXL 1.0 reached end of
 * life on Bedrock on 2025-05-20, so calls now fail with MODEL_UNAVAILABLE; the adapter stays so the
 * format is documented and testable. Limits:
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-diffusion-1-0-text-image.html
 */
import * as z from 'zod';

import { AppError } from '../errors.js';
import {
  MAX_IMAGES_PER_REQUEST,
  cachedSchema,
  closestSize,
  decodeModelImage,
  describeSizes,
  intInRange,
  numberInRange,
  oneOf,
  parseOrThrow,
  parseSeed,
  seedSequence,
  textOfLength,
  unsupported,
  type Size,
} from './adapter-helpers.js';
import { requireModel } from './known-models.js';
import type {
  EditParams,
  GenerateParams,
  Invocation,
  ModelAdapter,
  ModelImage,
  ModelOutput,
} from './types.js';

/** The only width×height pairs SDXL 1.0 on Bedrock accepts. */
export const SDXL_SIZES: readonly Size[] = [
  { width: 1024, height: 1024 },
  { width: 1152, height: 896 },
  { width: 1216, height: 832 },
  { width: 1344, height: 768 },
  { width: 1536, height: 640 },
  { width: 640, height: 1536 },
  { width: 768, height: 1344 },
  { width: 832, height: 1216 },
  { width: 896, height: 1152 },
];

export const SDXL_STYLE_PRESETS = [
  '3d-model',
  'analog-film',
  'anime',
  'cinematic',
  'comic-book',
  'digital-art',
  'enhance',
  'fantasy-art',
  'isometric',
  'line-art',
  'low-poly',
  'modeling-compound',
  'neon-punk',
  'origami',
  'photographic',
  'pixel-art',
  'tile-texture',
] as const;

/** SDXL 1.0's documented seed range is 0–4294967295. */
export const SDXL_MAX_SEED = 4_294_967_295;
/** How far (relative) an aspect ratio may be from the nearest SDXL size and still map to it. */
const ASPECT_RATIO_TOLERANCE = 0.1;
/** Bedrock's SDXL defaults to the Stability API's 512×512, which is not an allowed pair. */
const DEFAULT_SIZE: Size = { width: 1024, height: 1024 };

function generateSchema(modelId: string) {
  return z
    .object({
      prompt: textOfLength('prompt', 1, 2000),
      negativePrompt: textOfLength('negativePrompt', 1, 2000).optional(),
      width: z.number().optional(),
      height: z.number().optional(),
      aspectRatio: z.string().optional(),
      cfgScale: numberInRange('cfgScale', 0, 35).optional(),
      steps: intInRange('steps', 10, 50).optional(),
      seed: intInRange('seed', 0, SDXL_MAX_SEED).optional(),
      count: intInRange('count', 1, MAX_IMAGES_PER_REQUEST).optional(),
      style: oneOf('style', SDXL_STYLE_PRESETS).optional(),
      quality: unsupported('quality', modelId),
    })
    .superRefine((params, context) => {
      const size = resolveSize(params);
      if (typeof size === 'string')
        context.addIssue({ code: 'custom', path: ['width'], message: size });
    })
    .transform((params) => ({ ...params, size: resolveSize(params) as Size }));
}

/** The SDXL size for the request, or an error message naming what is wrong. */
function resolveSize(params: {
  width?: number | undefined;
  height?: number | undefined;
  aspectRatio?: string | undefined;
}): Size | string {
  const { width, height, aspectRatio } = params;
  const allowed = `width×height must be one of ${describeSizes(SDXL_SIZES)}`;
  if (width !== undefined || height !== undefined) {
    if (aspectRatio !== undefined) return 'give either width and height or aspectRatio, not both';
    const match = SDXL_SIZES.find((size) => size.width === width && size.height === height);
    return match ?? `${allowed} (got ${width ?? '?'}×${height ?? '?'})`;
  }
  if (aspectRatio !== undefined) {
    return (
      closestSize(aspectRatio, SDXL_SIZES, ASPECT_RATIO_TOLERANCE) ??
      `aspectRatio "${aspectRatio}" matches none of the SDXL sizes; ${allowed}`
    );
  }
  return DEFAULT_SIZE;
}

function buildTextToImage(modelId: string, params: GenerateParams): Invocation[] {
  requireModel(modelId, 'stability-legacy');
  const valid = parseOrThrow(
    cachedSchema(`stability-legacy ${modelId}`, () => generateSchema(modelId)),
    params,
    modelId,
  );
  const textPrompts: Record<string, unknown>[] = [{ text: valid.prompt }];
  if (valid.negativePrompt !== undefined) {
    // A negative weight marks a negative prompt in the v1 API.
    textPrompts.push({ text: valid.negativePrompt, weight: -1 });
  }
  // Bedrock's SDXL returns one image per call ("samples" must be 1).
  return seedSequence(valid.seed, valid.count ?? 1, SDXL_MAX_SEED).map((seed) => ({
    modelId,
    expectedImages: 1,
    body: {
      text_prompts: textPrompts,
      ...(valid.cfgScale === undefined ? {} : { cfg_scale: valid.cfgScale }),
      ...(valid.steps === undefined ? {} : { steps: valid.steps }),
      ...(seed === undefined ? {} : { seed }),
      width: valid.size.width,
      height: valid.size.height,
      samples: 1,
      ...(valid.style === undefined ? {} : { style_preset: valid.style }),
    },
  }));
}

const responseSchema = z.object({
  result: z.string().optional(),
  artifacts: z
    .array(
      z.object({
        seed: z.unknown().optional(),
        base64: z.unknown().optional(),
        finishReason: z.string().optional(),
      }),
    )
    .min(1),
});

function parseResponse(modelId: string, body: unknown): ModelOutput {
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) {
    throw new AppError('UPSTREAM_ERROR', `${modelId} returned a response without artifacts.`);
  }
  const images: ModelImage[] = [];
  let filteredCount = 0;
  for (const artifact of parsed.data.artifacts) {
    if (artifact.finishReason === 'CONTENT_FILTERED') {
      // The filtered artifact still carries a (blurred) image; never hand it out.
      filteredCount += 1;
      continue;
    }
    if (artifact.finishReason === 'ERROR') {
      throw new AppError(
        'UPSTREAM_ERROR',
        `${modelId} reported an error while generating the image.`,
      );
    }
    images.push(decodeModelImage(artifact.base64, modelId, parseSeed(artifact.seed)));
  }
  if (images.length === 0) {
    throw new AppError(
      'CONTENT_FILTERED',
      `${modelId}'s content filter blocked the generated image; adjust the prompt.`,
    );
  }
  return { images, filteredCount };
}

/**
 * SDXL 1.0 (`stability.stable-diffusion-xl-v1`): text-to-image only, one image per invocation.
 *
 * @example
 * const [invocation] = stabilityLegacyAdapter.buildTextToImage('stability.stable-diffusion-xl-v1', {
 *   prompt: 'A futuristic city skyline at sunset', cfgScale: 10, steps: 30, seed: 0,
 * });
 * // invocation.body: { text_prompts: [{ text: 'A futuristic…' }], cfg_scale: 10, steps: 30, seed: 0,
 * //                    width: 1024, height: 1024, samples: 1 }
 */
export const stabilityLegacyAdapter: ModelAdapter = {
  family: 'stability-legacy',
  buildTextToImage,
  buildEdit(modelId: string, params: EditParams): Invocation[] {
    requireModel(modelId, 'stability-legacy');
    throw new AppError(
      'UNSUPPORTED_OPERATION',
      `${modelId} cannot ${params.operation}; use one of the edit models instead.`,
    );
  },
  parseResponse,
};
