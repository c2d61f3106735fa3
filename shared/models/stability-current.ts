/**
 * Adapter for Stability's 2024+ text-to-image models on Bedrock: Stable Image Core 1.1, Stable
 * Image Ultra 1.1 and Stable Diffusion 3.5 Large (`prompt` / `aspect_ratio` → `images`, `seeds`,
 * `finish_reasons`). Also home of the response parser the Stability Image Services share.
 * Docs: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-diffusion-3-5-large.html,
 * …-stable-image-core-text-image-request-response.html, …-stable-ultra-text-image-request-response.html
 */
import * as z from 'zod';

import { AppError } from '../errors.js';
import {
  MAX_IMAGES_PER_REQUEST,
  cachedSchema,
  decodeModelImage,
  intInRange,
  oneOf,
  parseOrThrow,
  parseSeed,
  seedSequence,
  textOfLength,
  unsupported,
} from './adapter-helpers.js';
import { requireModel } from './known-models.js';
import { buildImageToImage } from './stability-image-to-image.js';
import type {
  EditParams,
  GenerateParams,
  Invocation,
  ModelAdapter,
  ModelImage,
  ModelOutput,
} from './types.js';

/** The nine aspect ratios every one of these models (and Style Guide) accepts. */
export const STABILITY_ASPECT_RATIOS = [
  '16:9',
  '1:1',
  '21:9',
  '2:3',
  '3:2',
  '4:5',
  '5:4',
  '9:16',
  '9:21',
] as const;

export type StabilityAspectRatio = (typeof STABILITY_ASPECT_RATIOS)[number];

/**
 * SD3.5 Large and the image services document seeds 0–4294967294
 * (model-parameters-diffusion-3-5-large.html, stable-image-services.html).
 */
export const STABILITY_MAX_SEED = 4_294_967_294;
/**
 * Stable Image Core and Ultra document 0–4294967295
 * (model-parameters-diffusion-stable-image-core-text-image-request-response.html and the Ultra page).
 */
const CORE_ULTRA_MAX_SEED = 4_294_967_295;
const MAX_SEED_BY_MODEL: Readonly<Record<string, number>> = {
  'stability.stable-image-core-v1:1': CORE_ULTRA_MAX_SEED,
  'stability.stable-image-ultra-v1:1': CORE_ULTRA_MAX_SEED,
};

/** The largest seed `baseId` accepts. */
export function stabilityMaxSeed(baseId: string): number {
  return MAX_SEED_BY_MODEL[baseId] ?? STABILITY_MAX_SEED;
}
const MAX_PROMPT_LENGTH = 10_000;
/** Only SD3.5 Large has a `mode` field (text-to-image or image-to-image). */
const MODELS_WITH_MODE = new Set(['stability.sd3-5-large-v1:0']);

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}

/** "2520:1080" → "7:3": the lowest terms of a width:height pair. */
function reduced(width: number, height: number): string {
  const divisor = greatestCommonDivisor(width, height);
  return `${width / divisor}:${height / divisor}`;
}

/** The aspect ratio equal to width:height in lowest terms (1280×720 → 16:9, 2520×1080 → 21:9). */
export function exactAspectRatio(width: number, height: number): StabilityAspectRatio | undefined {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    return undefined;
  }
  const target = reduced(width, height);
  return STABILITY_ASPECT_RATIOS.find((ratio) => {
    const [ratioWidth, ratioHeight] = ratio.split(':').map(Number) as [number, number];
    return reduced(ratioWidth, ratioHeight) === target;
  });
}

function generateSchema(modelId: string, maxSeed: number) {
  const ratios = STABILITY_ASPECT_RATIOS.join(', ');
  return z
    .object({
      prompt: textOfLength('prompt', 1, MAX_PROMPT_LENGTH),
      negativePrompt: textOfLength('negativePrompt', 1, MAX_PROMPT_LENGTH).optional(),
      width: z.number({ error: 'width must be a number' }).optional(),
      height: z.number({ error: 'height must be a number' }).optional(),
      aspectRatio: oneOf('aspectRatio', STABILITY_ASPECT_RATIOS).optional(),
      seed: intInRange('seed', 0, maxSeed).optional(),
      count: intInRange('count', 1, MAX_IMAGES_PER_REQUEST).optional(),
      cfgScale: unsupported('cfgScale', modelId, 'this model has no guidance-scale setting'),
      steps: unsupported('steps', modelId, 'this model has no steps setting'),
      style: unsupported(
        'style',
        modelId,
        'describe the style in the prompt instead (e.g. "…, watercolor")',
      ),
      quality: unsupported('quality', modelId),
    })
    .superRefine((params, context) => {
      const { width, height, aspectRatio } = params;
      if (width === undefined && height === undefined) return;
      if (aspectRatio !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['aspectRatio'],
          message: 'aspectRatio: give either width and height or aspectRatio, not both',
        });
      } else if (width === undefined || height === undefined) {
        context.addIssue({
          code: 'custom',
          path: [width === undefined ? 'width' : 'height'],
          message: 'width and height must be given together',
        });
      } else if (!exactAspectRatio(width, height)) {
        context.addIssue({
          code: 'custom',
          path: ['width'],
          message: `width×height ${width}×${height} is not one of this model's aspect ratios (${ratios}); the model picks the pixel size itself, so send aspectRatio or a width×height with one of those ratios`,
        });
      }
    });
}

function buildTextToImage(modelId: string, params: GenerateParams): Invocation[] {
  const model = requireModel(modelId, 'stability-current');
  const maxSeed = stabilityMaxSeed(model.id);
  const schema = cachedSchema(`stability-current ${modelId}`, () =>
    generateSchema(modelId, maxSeed),
  );
  const valid = parseOrThrow(schema, params, modelId);
  const aspectRatio =
    valid.aspectRatio ??
    (valid.width !== undefined && valid.height !== undefined
      ? exactAspectRatio(valid.width, valid.height)
      : undefined);
  // No count parameter: one image per call, so n images are n invocations.
  return seedSequence(valid.seed, valid.count ?? 1, maxSeed).map((seed) => ({
    modelId,
    expectedImages: 1,
    body: {
      prompt: valid.prompt,
      ...(valid.negativePrompt === undefined ? {} : { negative_prompt: valid.negativePrompt }),
      ...(aspectRatio === undefined ? {} : { aspect_ratio: aspectRatio }),
      ...(seed === undefined ? {} : { seed }),
      output_format: 'png',
      ...(MODELS_WITH_MODE.has(model.id) ? { mode: 'text-to-image' } : {}),
    },
  }));
}

const responseSchema = z.object({
  seeds: z.array(z.unknown()).optional(),
  finish_reasons: z.array(z.string().nullable()).optional(),
  images: z.array(z.unknown()).optional(),
});

const FILTER_REASON_PREFIX = 'Filter reason:';

/**
 * Parses the `{ seeds, finish_reasons, images }` response of Stability's current models and image
 * services: a null finish reason is an image; "Filter reason: …" is a filtered one; anything else
 * ("Inference error") is an UPSTREAM_ERROR. Throws CONTENT_FILTERED when every image was filtered.
 */
export function parseStabilityResponse(modelId: string, body: unknown): ModelOutput {
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) {
    throw new AppError('UPSTREAM_ERROR', `${modelId} returned a response in an unknown format.`);
  }
  const { seeds = [], finish_reasons: finishReasons = [], images: encoded = [] } = parsed.data;
  const images: ModelImage[] = [];
  const filterReasons: string[] = [];
  const slots = Math.max(encoded.length, finishReasons.length);
  for (let index = 0; index < slots; index += 1) {
    const reason = finishReasons[index] ?? null;
    if (reason !== null && reason.startsWith(FILTER_REASON_PREFIX)) {
      filterReasons.push(reason.slice(FILTER_REASON_PREFIX.length).trim());
      continue;
    }
    if (reason !== null) {
      throw new AppError('UPSTREAM_ERROR', `${modelId} failed to generate the image: ${reason}.`);
    }
    images.push(decodeModelImage(encoded[index], modelId, parseSeed(seeds[index])));
  }
  if (images.length === 0) {
    if (filterReasons.length === 0) {
      throw new AppError('UPSTREAM_ERROR', `${modelId} returned no image.`);
    }
    throw new AppError(
      'CONTENT_FILTERED',
      `${modelId}'s content filter blocked the request (${filterReasons.join(', ')}); adjust the prompt or image.`,
    );
  }
  return { images, filteredCount: filterReasons.length };
}

/**
 * Stable Image Core 1.1, Stable Image Ultra 1.1 and SD3.5 Large: text-to-image, one image per
 * invocation, aspect ratio instead of pixel size.
 *
 * @example
 * const invocations = stabilityCurrentAdapter.buildTextToImage('stability.stable-image-core-v1:1', {
 *   prompt: 'A car made out of vegetables.', width: 1280, height: 720, seed: 7, count: 2,
 * });
 * // two invocations, bodies { prompt, aspect_ratio: '16:9', seed: 7 | 8, output_format: 'png' }
 */
export const stabilityCurrentAdapter: ModelAdapter = {
  family: 'stability-current',
  buildTextToImage,
  buildEdit(modelId: string, params: EditParams): Invocation[] {
    const model = requireModel(modelId, 'stability-current');
    if (params.operation === 'image-to-image' && model.operations.includes('image-to-image')) {
      return buildImageToImage(modelId, params);
    }
    throw new AppError(
      'UNSUPPORTED_OPERATION',
      `${modelId} cannot ${params.operation}; use one of the edit models instead.`,
    );
  },
  parseResponse: parseStabilityResponse,
};
