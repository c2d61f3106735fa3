/**
 * Adapter for the Stability AI Image Services on Bedrock that edit an image: Inpaint, Outpaint,
 * Erase Object, Search and Replace, Remove Background. One model per operation, one image per
 * call, the same `{ seeds, finish_reasons, images }` response as the text-to-image models.
 * Docs: https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html
 */
import * as z from 'zod';

import { AppError } from '../errors.js';
import { toModelMask } from '../images/mask.js';
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
  unsupported,
} from './adapter-helpers.js';
import { requireModel } from './known-models.js';
import { STABILITY_MAX_SEED, parseStabilityResponse } from './stability-current.js';
import { SDXL_STYLE_PRESETS } from './stability-legacy.js';
import { assertNoGuidedFields, isRegionEdit } from './operations.js';
import {
  STABILITY_SERVICE_IMAGE_LIMITS,
  buildStabilityService,
  isStabilityServiceOperation,
} from './stability-services.js';
import type {
  EditOperation,
  EditParams,
  GenerateParams,
  Invocation,
  ModelAdapter,
  RegionEditOperation,
} from './types.js';

/** One Stability image service's documented input-image rules. */
export interface StabilityImageLimits {
  minSide: number;
  /** Longest side allowed, where one is documented (Fast Upscale). */
  maxSide?: number;
  minPixels: number;
  maxPixels: number;
  /** Width:height within 1:maxAspectRatio … maxAspectRatio:1; absent where none is documented. */
  maxAspectRatio?: number;
  mimeTypes: readonly ['image/jpeg', 'image/png', 'image/webp'];
  /** Where the row comes from. */
  source: string;
}

const STABILITY_API =
  'https://platform.stability.ai/docs/api-reference#tag/Edit/paths/~1v2beta~1stable-image~1edit~1';
const MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/**
 * Input-image limits per service. Bedrock's page (stable-image-services.html) lists the fields and
 * defers to Stability's API reference for the image rules, which differ per service: only outpaint
 * documents the 1:2.5–2.5:1 aspect ratio, and remove-background takes at most 4,194,304 pixels.
 */
export const STABILITY_EDIT_IMAGE_LIMITS = {
  inpaint: {
    minSide: 64,
    minPixels: 4_096,
    maxPixels: 9_437_184,
    mimeTypes: MIME_TYPES,
    source: `https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html (Inpaint); ${STABILITY_API}inpaint/post`,
  },
  outpaint: {
    minSide: 64,
    minPixels: 4_096,
    maxPixels: 9_437_184,
    maxAspectRatio: 2.5,
    mimeTypes: MIME_TYPES,
    source: `https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html (Outpaint); ${STABILITY_API}outpaint/post`,
  },
  erase: {
    minSide: 64,
    minPixels: 4_096,
    maxPixels: 9_437_184,
    mimeTypes: MIME_TYPES,
    source: `https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html (Erase Object); ${STABILITY_API}erase/post`,
  },
  'search-replace': {
    minSide: 64,
    minPixels: 4_096,
    maxPixels: 9_437_184,
    mimeTypes: MIME_TYPES,
    source: `https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html (Search and Replace); ${STABILITY_API}search-and-replace/post`,
  },
  'remove-background': {
    minSide: 64,
    minPixels: 4_096,
    maxPixels: 4_194_304,
    mimeTypes: MIME_TYPES,
    source: `https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html (Remove Background); ${STABILITY_API}remove-background/post`,
  },
  // The other eight services (recolor, control, style, upscale): rows in stability-services.ts.
  ...STABILITY_SERVICE_IMAGE_LIMITS,
} as const satisfies Partial<Record<EditOperation, StabilityImageLimits>>;

const MAX_PROMPT_LENGTH = 10_000;
const MAX_MARGIN = 2000;

function limitsFor(operation: EditOperation): StabilityImageLimits {
  const limits = (
    STABILITY_EDIT_IMAGE_LIMITS as Partial<Record<EditOperation, StabilityImageLimits>>
  )[operation];
  if (!limits)
    throw new AppError('UNSUPPORTED_OPERATION', `No Stability service does ${operation}.`);
  return limits;
}

/** The image schema for one service's limits; messages name the limit that failed. */
function imageSchema(limits: StabilityImageLimits) {
  return z
    .object({
      mimeType: oneOf('image', limits.mimeTypes),
      width: z.number(),
      height: z.number(),
    })
    .superRefine(({ width, height }, context) => {
      const { minSide, minPixels, maxPixels, maxAspectRatio } = limits;
      const fail = (message: string) =>
        context.addIssue({ code: 'custom', message: `image: ${message}` });
      if (width < minSide || height < minSide) {
        fail(`every side must be at least ${minSide} px (got ${width}×${height})`);
      }
      if (width * height > maxPixels || width * height < minPixels) {
        fail(
          `${minPixels.toLocaleString('en-US')}–${maxPixels.toLocaleString('en-US')} pixels in total (got ${width}×${height})`,
        );
      }
      const ratio = width / height;
      if (maxAspectRatio !== undefined && (ratio > maxAspectRatio || ratio < 1 / maxAspectRatio)) {
        fail(
          `aspect ratio must be between 1:${maxAspectRatio} and ${maxAspectRatio}:1 (got ${width}×${height})`,
        );
      }
    });
}

const prompt = textOfLength('prompt', 1, MAX_PROMPT_LENGTH);
const negativePrompt = textOfLength('negativePrompt', 1, MAX_PROMPT_LENGTH);
const seed = intInRange('seed', 0, STABILITY_MAX_SEED);
const count = intInRange('count', 1, MAX_IMAGES_PER_REQUEST);
const growMask = intInRange('growMask', 0, 20);
const style = oneOf('style', SDXL_STYLE_PRESETS);
const margin = (side: string) => intInRange(`outpaint.${side}`, 0, MAX_MARGIN);

/** The fields each service takes; every other EditParams field is rejected by name. */
function operationSchema(operation: RegionEditOperation, modelId: string) {
  const notHere = (field: string, hint?: string) => unsupported(field, modelId, hint);
  const common = {
    operation: z.literal(operation),
    image: imageSchema(limitsFor(operation)),
    seed: seed.optional(),
    count: count.optional(),
    cfgScale: notHere('cfgScale'),
    quality: notHere('quality'),
    outPaintingMode: notHere(
      'outPaintingMode',
      'Stability outpaint adds margins around the whole picture; the mode is for Nova Canvas and Titan',
    ),
  };
  switch (operation) {
    case 'inpaint':
      return z.object({
        ...common,
        prompt,
        negativePrompt: negativePrompt.optional(),
        mask: z.instanceof(Uint8Array, {
          error:
            'mask is required for inpaint: paint the area to change (or use search-replace with maskPrompt)',
        }),
        maskPrompt: notHere(
          'maskPrompt',
          'use the search-replace operation to pick the area by text',
        ),
        growMask: growMask.optional(),
        style: style.optional(),
        outpaint: notHere('outpaint'),
        creativity: notHere('creativity'),
      });
    case 'erase':
      return z.object({
        ...common,
        prompt: notHere('prompt', 'erase removes the painted area without a prompt'),
        negativePrompt: notHere('negativePrompt'),
        mask: z.instanceof(Uint8Array, {
          error: 'mask is required for erase: paint what to remove',
        }),
        maskPrompt: notHere('maskPrompt'),
        growMask: growMask.optional(),
        style: notHere('style'),
        outpaint: notHere('outpaint'),
        creativity: notHere('creativity'),
      });
    case 'search-replace':
      return z.object({
        ...common,
        prompt,
        negativePrompt: negativePrompt.optional(),
        mask: notHere('mask', 'search-replace finds the area from maskPrompt'),
        maskPrompt: textOfLength('maskPrompt', 1, MAX_PROMPT_LENGTH),
        growMask: growMask.optional(),
        style: style.optional(),
        outpaint: notHere('outpaint'),
        creativity: notHere('creativity'),
      });
    case 'outpaint':
      return z.object({
        ...common,
        prompt: prompt.optional(),
        negativePrompt: notHere('negativePrompt'),
        mask: notHere('mask', 'outpaint adds the outpaint margins around the image'),
        maskPrompt: notHere('maskPrompt'),
        growMask: notHere('growMask'),
        style: style.optional(),
        outpaint: z
          .object(
            {
              left: margin('left'),
              right: margin('right'),
              up: margin('up'),
              down: margin('down'),
            },
            { error: 'outpaint margins (left, right, up, down) are required' },
          )
          .refine((sides) => sides.left + sides.right + sides.up + sides.down > 0, {
            error: 'outpaint: at least one of left, right, up, down must be greater than 0',
          }),
        creativity: numberInRange('creativity', 0.1, 1).optional(),
      });
    case 'remove-background':
      return z.object({
        ...common,
        seed: notHere('seed'),
        count: z
          .literal(1, { error: 'count must be 1: remove-background gives one result' })
          .optional(),
        prompt: notHere('prompt'),
        negativePrompt: notHere('negativePrompt'),
        mask: notHere('mask'),
        maskPrompt: notHere('maskPrompt'),
        growMask: notHere('growMask'),
        style: notHere('style'),
        outpaint: notHere('outpaint'),
        creativity: notHere('creativity'),
      });
  }
}

function buildEdit(modelId: string, params: EditParams): Invocation[] {
  const model = requireModel(modelId, 'stability-edit');
  if (!model.operations.includes(params.operation)) {
    throw new AppError(
      'UNSUPPORTED_OPERATION',
      `${modelId} only does ${model.operations.join(', ')}, not ${params.operation}.`,
    );
  }
  const { operation } = params;
  if (isStabilityServiceOperation(operation)) {
    return buildStabilityService(modelId, { ...params, operation });
  }
  if (!isRegionEdit(operation))
    throw new AppError('UNSUPPORTED_OPERATION', `${modelId} cannot ${operation}.`);
  assertNoGuidedFields(params, modelId);
  const schema = cachedSchema(`stability-edit ${operation} ${modelId}`, () =>
    operationSchema(operation, modelId),
  );
  parseOrThrow(schema, params, modelId);

  const fields: Record<string, unknown> = { image: toBase64(params.image.bytes) };
  if (params.prompt !== undefined) fields.prompt = params.prompt;
  if (params.negativePrompt !== undefined) fields.negative_prompt = params.negativePrompt;
  if (params.mask !== undefined) {
    // White = full inpainting strength, black = keep.
    fields.mask = toBase64(toModelMask(params.mask, params.image, 'white-edits').png);
  }
  if (params.maskPrompt !== undefined) fields.search_prompt = params.maskPrompt;
  if (params.growMask !== undefined) fields.grow_mask = params.growMask;
  if (params.style !== undefined) fields.style_preset = params.style;
  if (params.outpaint !== undefined) {
    const { left, right, up, down } = params.outpaint;
    Object.assign(fields, { left, right, up, down });
  }
  if (params.creativity !== undefined) fields.creativity = params.creativity;
  fields.output_format = 'png';

  return seedSequence(params.seed, params.count ?? 1, STABILITY_MAX_SEED).map((callSeed) => ({
    modelId,
    expectedImages: 1,
    body: callSeed === undefined ? { ...fields } : { ...fields, seed: callSeed },
  }));
}

/**
 * Stability AI Image Services (inpaint, outpaint, erase, search-replace, remove-background).
 *
 * @example
 * const [invocation] = stabilityEditAdapter.buildEdit('us.stability.stable-image-inpaint-v1:0', {
 *   operation: 'inpaint', image, mask: clientMaskPng, prompt: 'artificer of time and space',
 * });
 * // invocation.body: { image: '<base64>', prompt: '…', mask: '<base64, white = edit>', output_format: 'png' }
 */
export const stabilityEditAdapter: ModelAdapter = {
  family: 'stability-edit',
  buildTextToImage(modelId: string, _params: GenerateParams): Invocation[] {
    requireModel(modelId, 'stability-edit');
    throw new AppError(
      'UNSUPPORTED_OPERATION',
      `${modelId} edits images; it cannot generate one from text.`,
    );
  },
  buildEdit,
  parseResponse: parseStabilityResponse,
};
