/**
 * Titan Image Generator v2's generation tasks that start from an image: IMAGE_VARIATION (new
 * pictures like the input) and COLOR_GUIDED_GENERATION (a palette, with the input image as the
 * reference). Source: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-image.html
 * - imageVariationParams: `images` (1–5 JPEG/PNG), `similarityStrength` 0.2–1.0 (default 0.7),
 *   optional `text` / `negativeText` (at most 512 characters each);
 * - colorGuidedGenerationParams: `colors` (1–10 "#RRGGBB"), `referenceImage` (JPEG/PNG, ≤ 1,408 px
 *   on the longer side), `text` (required), `negativeText`;
 * - both take `imageGenerationConfig` with a size from Titan's resolution table.
 */
import * as z from 'zod';

import { AppError } from '../errors.js';
import {
  MAX_IMAGES_PER_REQUEST,
  cachedSchema,
  closestSize,
  intInRange,
  numberInRange,
  oneOf,
  parseOrThrow,
  textOfLength,
  toBase64,
  type Size,
} from './adapter-helpers.js';
import { assertOnlyFields, inputImageProblems } from './operations.js';
import type { EditOperation, EditParams, Invocation } from './types.js';

export type AmazonGuidedOperation = 'image-variation' | 'color-guided';

export function isAmazonGuidedOperation(
  operation: EditOperation,
): operation is AmazonGuidedOperation {
  return operation === 'image-variation' || operation === 'color-guided';
}

/** What the caller (amazon-image.ts) knows about the model. */
export interface GuidedModelRules {
  maxTextLength: number;
  maxSeed: number;
  /** Output sizes the model accepts; the one closest to the input's shape is used. */
  sizes: readonly Size[];
  /** Longest side of an input image. */
  maxInputSide: number;
}

export const MAX_COLORS = 10;
const HEX_COLOR = /^#[0-9A-Fa-f]{6}$/;

const TASKS = {
  'image-variation': {
    taskType: 'IMAGE_VARIATION',
    paramsKey: 'imageVariationParams',
    accepts: [
      'prompt',
      'negativePrompt',
      'similarityStrength',
      'seed',
      'count',
      'cfgScale',
      'quality',
    ],
  },
  'color-guided': {
    taskType: 'COLOR_GUIDED_GENERATION',
    paramsKey: 'colorGuidedGenerationParams',
    accepts: ['prompt', 'negativePrompt', 'colors', 'seed', 'count', 'cfgScale', 'quality'],
  },
} as const satisfies Record<
  AmazonGuidedOperation,
  { taskType: string; paramsKey: string; accepts: readonly (keyof EditParams)[] }
>;

function valueSchema(operation: AmazonGuidedOperation, rules: GuidedModelRules) {
  const text = (field: string) => textOfLength(field, 1, rules.maxTextLength);
  const common = {
    negativePrompt: text('negativePrompt').optional(),
    seed: intInRange('seed', 0, rules.maxSeed).optional(),
    count: intInRange('count', 1, MAX_IMAGES_PER_REQUEST).optional(),
    cfgScale: numberInRange('cfgScale', 1.1, 10).optional(),
    quality: oneOf('quality', ['standard', 'premium']).optional(),
  };
  if (operation === 'image-variation') {
    return z.object({
      ...common,
      prompt: text('prompt').optional(),
      similarityStrength: numberInRange('similarityStrength', 0.2, 1).optional(),
    });
  }
  const colorsMessage = `colors must be 1–${MAX_COLORS} hex colours like "#FF9800"`;
  return z.object({
    ...common,
    prompt: text('prompt'),
    colors: z
      .array(z.string().regex(HEX_COLOR, { error: colorsMessage }), { error: colorsMessage })
      .min(1, { error: colorsMessage })
      .max(MAX_COLORS, { error: colorsMessage }),
  });
}

/**
 * One InvokeModel call making `count` images (numberOfImages), at the table size closest to the
 * input image's shape.
 *
 * @example
 * buildAmazonGuided('amazon.titan-image-generator-v2:0', {
 *   operation: 'color-guided', image, prompt: 'a vase of flowers', colors: ['#FF9800'],
 * }, titanRules);
 * // body: { taskType: 'COLOR_GUIDED_GENERATION', colorGuidedGenerationParams: { colors: ['#FF9800'],
 * //   referenceImage: '<base64>', text: 'a vase of flowers' },
 * //   imageGenerationConfig: { numberOfImages: 1, width: 1024, height: 1024 } }
 */
export function buildAmazonGuided(
  modelId: string,
  params: EditParams & { operation: AmazonGuidedOperation },
  rules: GuidedModelRules,
): Invocation[] {
  const task = TASKS[params.operation];
  assertOnlyFields(params, task.accepts, modelId, {
    mask: `${params.operation} makes new pictures from the whole input image`,
  });
  const values = { ...params, negativePrompt: blankToUndefined(params.negativePrompt) };
  parseOrThrow(
    cachedSchema(`amazon-guided ${params.operation} ${modelId}`, () =>
      valueSchema(params.operation, rules),
    ),
    values,
    modelId,
  );
  const problems = inputImageProblems('image', params.image, {
    minSide: 1,
    maxSide: rules.maxInputSide,
    mimeTypes: ['image/png', 'image/jpeg'],
  });
  if (problems.length > 0) {
    throw new AppError(
      'INVALID_PARAMETER',
      `Invalid request for ${modelId}: ${problems.join('; ')}`,
      {
        details: problems.map((message) => ({ path: 'image', message })),
      },
    );
  }

  const image = toBase64(params.image.bytes);
  const taskParams: Record<string, unknown> =
    params.operation === 'image-variation'
      ? {
          images: [image],
          ...(params.similarityStrength === undefined
            ? {}
            : { similarityStrength: params.similarityStrength }),
        }
      : { colors: [...(params.colors ?? [])], referenceImage: image };
  if (values.prompt !== undefined) taskParams.text = values.prompt;
  if (values.negativePrompt !== undefined) taskParams.negativeText = values.negativePrompt;

  const size = closestSize(
    `${params.image.width}:${params.image.height}`,
    rules.sizes,
    Number.POSITIVE_INFINITY,
  );
  const count = params.count ?? 1;
  return [
    {
      modelId,
      expectedImages: count,
      body: {
        taskType: task.taskType,
        [task.paramsKey]: taskParams,
        imageGenerationConfig: {
          numberOfImages: count,
          ...(size ? { width: size.width, height: size.height } : {}),
          ...(params.quality === undefined ? {} : { quality: params.quality }),
          ...(params.cfgScale === undefined ? {} : { cfgScale: params.cfgScale }),
          ...(params.seed === undefined ? {} : { seed: params.seed }),
        },
      },
    },
  ];
}

function blankToUndefined(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}
