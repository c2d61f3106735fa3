/**
 * The eight Stability AI Image Services that make a new picture from the whole input image:
 * Search and Recolor, Control Sketch, Control Structure, Style Guide, Style Transfer and the
 * Creative, Conservative and Fast upscalers. Same `{ seeds, finish_reasons, images }` response as
 * the edit services; one image per call. Every field, range and default below is from
 * https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html
 * (see also shared/reference/bedrock-image-models.md §4, a full read of that page); the image
 * rules also cite Stability's API reference, per row.
 */
import * as z from 'zod';

import { AppError } from '../errors.js';
import {
  MAX_IMAGES_PER_REQUEST,
  cachedSchema,
  intInRange,
  numberInRange,
  oneOf,
  parseOrThrow,
  seedSequence,
  textOfLength,
  toBase64,
} from './adapter-helpers.js';
import { assertOnlyFields, inputImageProblems, type InputImageLimits } from './operations.js';
import { STABILITY_ASPECT_RATIOS } from './stability-current.js';
import type { StabilityImageLimits } from './stability-edit.js';
import { SDXL_STYLE_PRESETS } from './stability-legacy.js';
import type { EditOperation, EditParams, Invocation } from './types.js';

export type StabilityServiceOperation =
  | 'search-recolor'
  | 'control-sketch'
  | 'control-structure'
  | 'style-guide'
  | 'style-transfer'
  | 'creative-upscale'
  | 'conservative-upscale'
  | 'fast-upscale';

/** The page's seed range for every image service: 0–4294967294, 0 = random. */
const SERVICE_MAX_SEED = 4_294_967_294;
const MAX_TEXT = 10_000;
const FORMATS = ['image/jpeg', 'image/png', 'image/webp'] as const;

const AWS_PAGE = 'https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html';
const STABILITY_API = 'https://platform.stability.ai/docs/api-reference#tag';
const common = { minSide: 64, minPixels: 4_096, maxPixels: 9_437_184, mimeTypes: FORMATS };

/**
 * Input-image rules of the eight services, one row each (part of STABILITY_EDIT_IMAGE_LIMITS in
 * stability-edit.ts). As for the edit services, Bedrock's page gives the fields and Stability's
 * API reference the per-service image rules; the 1:2.5–2.5:1 aspect ratio only where documented.
 */
export const STABILITY_SERVICE_IMAGE_LIMITS = {
  'search-recolor': {
    ...common,
    source: `${AWS_PAGE} (Search and Recolor); ${STABILITY_API}/Edit/paths/~1v2beta~1stable-image~1edit~1search-and-recolor/post`,
  },
  'control-sketch': {
    ...common,
    maxAspectRatio: 2.5,
    source: `${AWS_PAGE} (Control Sketch); ${STABILITY_API}/Control/paths/~1v2beta~1stable-image~1control~1sketch/post`,
  },
  'control-structure': {
    ...common,
    maxAspectRatio: 2.5,
    source: `${AWS_PAGE} (Control Structure); ${STABILITY_API}/Control/paths/~1v2beta~1stable-image~1control~1structure/post`,
  },
  'style-guide': {
    ...common,
    maxAspectRatio: 2.5,
    source: `${AWS_PAGE} (Style Guide); ${STABILITY_API}/Control/paths/~1v2beta~1stable-image~1control~1style/post`,
  },
  'style-transfer': {
    ...common,
    maxAspectRatio: 2.5,
    source: `${AWS_PAGE} (Style Transfer: init_image and style_image); ${STABILITY_API}/Control/paths/~1v2beta~1stable-image~1control~1style-transfer/post`,
  },
  'creative-upscale': {
    minSide: 64,
    minPixels: 4_096,
    maxPixels: 1_048_576,
    mimeTypes: FORMATS,
    source: `${AWS_PAGE} (Creative Upscale: "64x64 to 1 megapixel"); ${STABILITY_API}/Upscale/paths/~1v2beta~1stable-image~1upscale~1creative/post`,
  },
  'conservative-upscale': {
    ...common,
    maxAspectRatio: 2.5,
    source: `${AWS_PAGE} (Conservative Upscale); ${STABILITY_API}/Upscale/paths/~1v2beta~1stable-image~1upscale~1conservative/post`,
  },
  'fast-upscale': {
    minSide: 32,
    maxSide: 1_536,
    minPixels: 1_024,
    maxPixels: 1_048_576,
    mimeTypes: FORMATS,
    source: `${AWS_PAGE} (Fast Upscale: width and height 32–1,536 px, 1,024–1,048,576 px); ${STABILITY_API}/Upscale/paths/~1v2beta~1stable-image~1upscale~1fast/post`,
  },
} as const satisfies Record<StabilityServiceOperation, StabilityImageLimits>;

/** Style Guide takes the same nine aspect ratios as Stability's text-to-image models (default 1:1). */
export const STYLE_GUIDE_ASPECT_RATIOS = STABILITY_ASPECT_RATIOS;

interface ServiceSpec {
  /** The base model id that does this operation. */
  modelId: string;
  /** EditParams fields this service takes besides operation and image. */
  accepts: readonly (keyof EditParams)[];
  /** The operation answers with one image and takes no seed (Fast Upscale). */
  seedless?: boolean;
  /** The output size for an input of width×height, where the page says it (for the estimate). */
  outputScale?: number;
}

/** One row per service: its model, documented input limits, and the fields it takes. */
export const STABILITY_SERVICES: Readonly<Record<StabilityServiceOperation, ServiceSpec>> = {
  'search-recolor': {
    modelId: 'stability.stable-image-search-recolor-v1:0',
    accepts: ['prompt', 'maskPrompt', 'growMask', 'style', 'negativePrompt', 'seed', 'count'],
  },
  'control-sketch': {
    modelId: 'stability.stable-image-control-sketch-v1:0',
    accepts: ['prompt', 'controlStrength', 'negativePrompt', 'style', 'seed', 'count'],
  },
  'control-structure': {
    modelId: 'stability.stable-image-control-structure-v1:0',
    accepts: ['prompt', 'controlStrength', 'negativePrompt', 'style', 'seed', 'count'],
  },
  'style-guide': {
    modelId: 'stability.stable-image-style-guide-v1:0',
    accepts: ['prompt', 'aspectRatio', 'fidelity', 'negativePrompt', 'style', 'seed', 'count'],
  },
  'style-transfer': {
    modelId: 'stability.stable-style-transfer-v1:0',
    accepts: [
      'styleImage',
      'prompt',
      'negativePrompt',
      'compositionFidelity',
      'styleStrength',
      'changeStrength',
      'seed',
      'count',
    ],
  },
  'creative-upscale': {
    modelId: 'stability.stable-creative-upscale-v1:0',
    accepts: ['prompt', 'creativity', 'negativePrompt', 'style', 'seed', 'count'],
  },
  'conservative-upscale': {
    modelId: 'stability.stable-conservative-upscale-v1:0',
    accepts: ['prompt', 'creativity', 'negativePrompt', 'seed', 'count'],
  },
  'fast-upscale': {
    modelId: 'stability.stable-fast-upscale-v1:0',
    accepts: ['count'],
    seedless: true,
    outputScale: 4,
  },
};

export const STABILITY_SERVICE_OPERATIONS = Object.keys(
  STABILITY_SERVICES,
) as StabilityServiceOperation[];

export function isStabilityServiceOperation(
  operation: EditOperation,
): operation is StabilityServiceOperation {
  return (STABILITY_SERVICE_OPERATIONS as readonly string[]).includes(operation);
}

const prompt = textOfLength('prompt', 1, MAX_TEXT);
const unitInterval = (field: string) => numberInRange(field, 0, 1).optional();

/** The zod schema for the fields each service takes (refusing other fields happens before). */
function valueSchema(operation: StabilityServiceOperation) {
  const common = {
    negativePrompt: textOfLength('negativePrompt', 1, MAX_TEXT).optional(),
    seed: intInRange('seed', 0, SERVICE_MAX_SEED).optional(),
    count: intInRange('count', 1, MAX_IMAGES_PER_REQUEST).optional(),
    style: oneOf('style', SDXL_STYLE_PRESETS).optional(),
  };
  switch (operation) {
    case 'search-recolor':
      return z.object({
        ...common,
        prompt,
        maskPrompt: textOfLength('maskPrompt', 1, MAX_TEXT),
        growMask: intInRange('growMask', 0, 20).optional(),
      });
    case 'control-sketch':
    case 'control-structure':
      return z.object({ ...common, prompt, controlStrength: unitInterval('controlStrength') });
    case 'style-guide':
      return z.object({
        ...common,
        prompt,
        fidelity: unitInterval('fidelity'),
        aspectRatio: oneOf('aspectRatio', STYLE_GUIDE_ASPECT_RATIOS).optional(),
      });
    case 'style-transfer':
      return z.object({
        ...common,
        prompt: prompt.optional(),
        styleImage: z.object(
          { mimeType: z.string(), width: z.number(), height: z.number() },
          { error: 'styleImage is required for style-transfer: the picture whose style to apply' },
        ),
        compositionFidelity: unitInterval('compositionFidelity'),
        styleStrength: unitInterval('styleStrength'),
        changeStrength: numberInRange('changeStrength', 0.1, 1).optional(),
      });
    case 'creative-upscale':
    case 'conservative-upscale':
      return z.object({
        ...common,
        prompt,
        creativity: numberInRange('creativity', 0.1, 0.5).optional(),
      });
    case 'fast-upscale':
      return z.object({
        count: z.literal(1, { error: 'count must be 1: fast-upscale gives one result' }).optional(),
      });
  }
}

/** Bedrock field name for each EditParams field the services take (the rest are mapped below). */
const FIELD_NAMES: Partial<Record<keyof EditParams, string>> = {
  prompt: 'prompt',
  negativePrompt: 'negative_prompt',
  maskPrompt: 'select_prompt',
  growMask: 'grow_mask',
  style: 'style_preset',
  controlStrength: 'control_strength',
  fidelity: 'fidelity',
  aspectRatio: 'aspect_ratio',
  compositionFidelity: 'composition_fidelity',
  styleStrength: 'style_strength',
  changeStrength: 'change_strength',
  creativity: 'creativity',
};

/**
 * Bedrock bodies for one of the eight services: one call per image, seeds seed, seed+1, ….
 * Throws INVALID_PARAMETER naming each field out of its documented range, each input-image limit
 * broken, and each field the service does not take.
 *
 * @example
 * buildStabilityService('us.stability.stable-fast-upscale-v1:0', { operation: 'fast-upscale', image });
 * // [{ modelId: 'us.stability…', expectedImages: 1, body: { image: '<base64>', output_format: 'png' } }]
 */
export function buildStabilityService(
  modelId: string,
  params: EditParams & { operation: StabilityServiceOperation },
): Invocation[] {
  const spec = STABILITY_SERVICES[params.operation];
  assertOnlyFields(params, spec.accepts, modelId, {
    mask: 'this service works on the whole picture; describe the area with maskPrompt for search-recolor',
  });
  parseOrThrow(
    cachedSchema(`stability-service ${params.operation}`, () => valueSchema(params.operation)),
    params,
    modelId,
  );
  const limits: InputImageLimits = STABILITY_SERVICE_IMAGE_LIMITS[params.operation];
  const problems = inputImageProblems('image', params.image, limits);
  if (params.styleImage) {
    problems.push(...inputImageProblems('styleImage', params.styleImage, limits));
  }
  if (problems.length > 0) {
    throw new AppError(
      'INVALID_PARAMETER',
      `Invalid request for ${modelId}: ${problems.join('; ')}`,
      {
        details: problems.map((message) => ({
          path: message.split(/[: ]/)[0] ?? 'image',
          message,
        })),
      },
    );
  }

  const imageField = params.operation === 'style-transfer' ? 'init_image' : 'image';
  const fields: Record<string, unknown> = { [imageField]: toBase64(params.image.bytes) };
  if (params.styleImage) fields.style_image = toBase64(params.styleImage.bytes);
  for (const [field, name] of Object.entries(FIELD_NAMES) as [keyof EditParams, string][]) {
    const value = params[field];
    if (value !== undefined) fields[name] = value;
  }
  fields.output_format = 'png';

  if (spec.seedless) return [{ modelId, expectedImages: 1, body: fields }];
  return seedSequence(params.seed, params.count ?? 1, SERVICE_MAX_SEED).map((callSeed) => ({
    modelId,
    expectedImages: 1,
    body: callSeed === undefined ? { ...fields } : { ...fields, seed: callSeed },
  }));
}
