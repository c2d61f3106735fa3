/**
 * Adapter for Amazon's image models: Nova Canvas (`amazon.nova-canvas-v1:0`) and Titan Image
 * Generator v2 (`amazon.titan-image-generator-v2:0`). Both use the `taskType` envelope with a
 * params object and `imageGenerationConfig`, and answer `{ images, error }`.
 * Docs: https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html,
 * https://docs.aws.amazon.com/nova/latest/userguide/image-gen-access.html (sizes),
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-image.html
 */
import * as z from 'zod';

import { AppError } from '../errors.js';
import { toModelMask } from '../images/mask.js';
import { withoutTransparency } from '../images/opaque.js';
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
  textOfLength,
  toBase64,
  unsupported,
  type Size,
} from './adapter-helpers.js';
import { buildAmazonGuided, isAmazonGuidedOperation } from './amazon-guided.js';
import { requireModel } from './known-models.js';
import { assertNoGuidedFields, isRegionEdit } from './operations.js';
import type {
  RegionEditOperation,
  EditParams,
  GenerateParams,
  Invocation,
  ModelAdapter,
  ModelImage,
  ModelOutput,
} from './types.js';

export const NOVA_STYLES = [
  '3D_ANIMATED_FAMILY_FILM',
  'DESIGN_SKETCH',
  'FLAT_VECTOR_ILLUSTRATION',
  'GRAPHIC_NOVEL_ILLUSTRATION',
  'MAXIMALISM',
  'MIDCENTURY_RETRO',
  'PHOTOREALISM',
  'SOFT_DIGITAL_PAINTING',
] as const;

/** Nova Canvas custom-size rules (image-gen-access.html#image-gen-resolutions). */
export const NOVA_SIZE_LIMITS = {
  minSide: 320,
  maxSide: 4096,
  multipleOf: 16,
  maxAspectRatio: 4,
  /** Exclusive: 2048×2048 (exactly this many) is rejected. */
  maxPixelsExclusive: 4_194_304,
} as const;

/**
 * The size Nova gets for each aspect ratio: the seed's 1280×720 for 16:9, the default 1024×1024
 * for 1:1, and for the rest a size of about one megapixel with exactly that ratio that satisfies
 * NOVA_SIZE_LIMITS (each side a multiple of 16).
 */
export const NOVA_ASPECT_RATIO_SIZES: Readonly<Record<string, Size>> = {
  '1:1': { width: 1024, height: 1024 },
  '16:9': { width: 1280, height: 720 },
  '9:16': { width: 720, height: 1280 },
  '3:2': { width: 1152, height: 768 },
  '2:3': { width: 768, height: 1152 },
  '4:3': { width: 1152, height: 864 },
  '3:4': { width: 864, height: 1152 },
  '5:4': { width: 1280, height: 1024 },
  '4:5': { width: 1024, height: 1280 },
  '21:9': { width: 1680, height: 720 },
  '9:21': { width: 720, height: 1680 },
};

/**
 * Titan Image Generator's permissible sizes. The table is on the AWS HTML page only; this copy is
 * from awslabs' swift-foundation-models-playground TitanImageResolutionValidator (which cites that
 * page) and matches its "≤ 1,408 on the longer side" rule.
 */
export const TITAN_SIZES: readonly Size[] = [
  [1024, 1024],
  [768, 768],
  [512, 512],
  [768, 1152],
  [384, 576],
  [1152, 768],
  [576, 384],
  [768, 1280],
  [384, 640],
  [1280, 768],
  [640, 384],
  [896, 1152],
  [448, 576],
  [1152, 896],
  [576, 448],
  [768, 1408],
  [384, 704],
  [1408, 768],
  [704, 384],
  [640, 1408],
  [320, 704],
  [1408, 640],
  [704, 320],
  [1152, 640],
  [1173, 640],
].map(([width, height]) => ({ width: width as number, height: height as number }));

/**
 * Aspect-ratio labels the Titan size table gives, with the largest size for each. 16:9 is labelled
 * 1173×640 there, although 1152×640 (labelled 9:5) is numerically closer.
 */
export const TITAN_ASPECT_RATIO_SIZES: Readonly<Record<string, Size>> = {
  '1:1': { width: 1024, height: 1024 },
  '2:3': { width: 768, height: 1152 },
  '3:2': { width: 1152, height: 768 },
  '3:5': { width: 768, height: 1280 },
  '5:3': { width: 1280, height: 768 },
  '7:9': { width: 896, height: 1152 },
  '9:7': { width: 1152, height: 896 },
  '6:11': { width: 768, height: 1408 },
  '11:6': { width: 1408, height: 768 },
  '5:11': { width: 640, height: 1408 },
  '11:5': { width: 1408, height: 640 },
  '9:5': { width: 1152, height: 640 },
  '16:9': { width: 1173, height: 640 },
};

/** Titan: input images and masks "≤ 1,408 on the longer side". */
const TITAN_MAX_INPUT_SIDE = 1408;

/**
 * `imageGenerationConfig.seed`: AWS's schema allows 0–2,147,483,646
 * (https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html). The
 * 858,993,459 in AWS's code examples is only the range they draw random sample seeds from.
 */
export const AMAZON_MAX_SEED = 2_147_483_646;

interface AmazonModelSpec {
  /** Longest `text` / `negativeText` (and, by assumption, `maskPrompt`). */
  maxTextLength: number;
  stylesAllowed: boolean;
  /** Error message for an invalid width×height, or undefined when the size is fine. */
  checkSize(size: Size): string | undefined;
  sizeForAspectRatio(aspectRatio: string): Size | undefined;
  aspectRatioHint: string;
  /** Error message for an input image this model cannot take, or undefined. */
  checkInputImage(size: Size): string | undefined;
}

/** The Nova size rules `width`×`height` breaks, worded for an error message; empty when none. */
function novaSizeProblems({ width, height }: Size): string[] {
  const limits = NOVA_SIZE_LIMITS;
  const problems: string[] = [];
  if ([width, height].some((side) => side < limits.minSide || side > limits.maxSide)) {
    problems.push(`each side ${limits.minSide}–${limits.maxSide} px`);
  }
  if ([width, height].some((side) => side % limits.multipleOf !== 0)) {
    problems.push(`each side divisible by ${limits.multipleOf}`);
  }
  if (Math.max(width / height, height / width) > limits.maxAspectRatio) {
    problems.push('aspect ratio between 1:4 and 4:1');
  }
  if (width * height >= limits.maxPixelsExclusive) {
    problems.push(
      `fewer than ${limits.maxPixelsExclusive.toLocaleString('en-US')} pixels in total`,
    );
  }
  return problems;
}

const NOVA: AmazonModelSpec = {
  maxTextLength: 1024,
  stylesAllowed: true,
  checkSize(size) {
    const problems = novaSizeProblems(size);
    return problems.length === 0
      ? undefined
      : `width×height ${size.width}×${size.height} is not a Nova Canvas size: it needs ${problems.join(', ')}`;
  },
  sizeForAspectRatio(aspectRatio) {
    return closestSize(aspectRatio, Object.values(NOVA_ASPECT_RATIO_SIZES), 0.01);
  },
  aspectRatioHint: Object.keys(NOVA_ASPECT_RATIO_SIZES).join(', '),
  // Input images follow the output-size rules ("For details on supported input image sizes, see
  // Supported image resolutions", image-gen-access.html, input images).
  checkInputImage({ width, height }) {
    const problems = novaSizeProblems({ width, height });
    if (problems.length === 0) return undefined;
    const suggestion = novaInputSuggestion(width, height);
    return `image: ${width}×${height} is not an input size Nova Canvas accepts: it needs ${problems.join(', ')}${suggestion ? `; resize or crop it, for example to ${suggestion.width}×${suggestion.height}` : ''}`;
  },
};

/** A Nova-valid size close to width×height (sides scaled into range and rounded down to ÷16). */
function novaInputSuggestion(width: number, height: number): Size | undefined {
  const { maxPixelsExclusive, multipleOf, minSide, maxSide } = NOVA_SIZE_LIMITS;
  const scale = Math.min(
    1,
    maxSide / Math.max(width, height),
    Math.sqrt((maxPixelsExclusive - 1) / (width * height)),
  );
  const fit = (side: number) =>
    Math.max(minSide, Math.floor((side * scale) / multipleOf) * multipleOf);
  const size = { width: fit(width), height: fit(height) };
  return novaSizeProblems(size).length === 0 ? size : undefined;
}

const TITAN: AmazonModelSpec = {
  maxTextLength: 512,
  stylesAllowed: false,
  checkSize({ width, height }) {
    return TITAN_SIZES.some((size) => size.width === width && size.height === height)
      ? undefined
      : `width×height ${width}×${height} is not a Titan Image Generator size; use one of ${describeSizes(TITAN_SIZES)}`;
  },
  sizeForAspectRatio(aspectRatio) {
    return (
      TITAN_ASPECT_RATIO_SIZES[aspectRatio.trim()] ??
      closestSize(aspectRatio, Object.values(TITAN_ASPECT_RATIO_SIZES), 0.1)
    );
  },
  aspectRatioHint: `${Object.keys(TITAN_ASPECT_RATIO_SIZES).join(', ')} (or a ratio within 10% of one)`,
  checkInputImage({ width, height }) {
    return Math.max(width, height) > TITAN_MAX_INPUT_SIDE
      ? `image: the longer side must be at most ${TITAN_MAX_INPUT_SIDE} px for Titan (got ${width}×${height})`
      : undefined;
  },
};

const SPECS: Readonly<Record<string, AmazonModelSpec>> = {
  'amazon.nova-canvas-v1:0': NOVA,
  'amazon.titan-image-generator-v2:0': TITAN,
};

function specFor(modelId: string): AmazonModelSpec {
  const spec = SPECS[requireModel(modelId, 'amazon-image').id];
  if (!spec) throw new AppError('MODEL_NOT_ALLOWED', `${modelId} has no amazon-image settings.`);
  return spec;
}

/** Blank optional texts are dropped: Nova rejects an empty `negativeText`. */
function withoutBlank(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}

function configSchema(spec: AmazonModelSpec) {
  return {
    cfgScale: numberInRange('cfgScale', 1.1, 10).optional(),
    seed: intInRange('seed', 0, AMAZON_MAX_SEED).optional(),
    count: intInRange('count', 1, MAX_IMAGES_PER_REQUEST).optional(),
    quality: oneOf('quality', ['standard', 'premium']).optional(),
    negativePrompt: textOfLength('negativePrompt', 1, spec.maxTextLength).optional(),
  };
}

function generateSchema(modelId: string, spec: AmazonModelSpec) {
  return z
    .object({
      ...configSchema(spec),
      prompt: textOfLength('prompt', 1, spec.maxTextLength),
      width: z.number({ error: 'width must be a number' }).optional(),
      height: z.number({ error: 'height must be a number' }).optional(),
      aspectRatio: z.string().optional(),
      steps: unsupported('steps', modelId, 'use quality: "premium" for more detail'),
      style: spec.stylesAllowed
        ? oneOf('style', NOVA_STYLES).optional()
        : unsupported('style', modelId, 'describe the style in the prompt instead'),
    })
    .superRefine((params, context) => {
      const size = resolveSize(params, spec);
      if (typeof size === 'string') {
        context.addIssue({ code: 'custom', path: ['width'], message: size });
      }
    });
}

/** The output size, or a message naming the problem. */
function resolveSize(
  params: {
    width?: number | undefined;
    height?: number | undefined;
    aspectRatio?: string | undefined;
  },
  spec: AmazonModelSpec,
): Size | string {
  const { width, height, aspectRatio } = params;
  if (width !== undefined || height !== undefined) {
    if (aspectRatio !== undefined) return 'give either width and height or aspectRatio, not both';
    if (width === undefined || height === undefined)
      return 'width and height must be given together';
    return spec.checkSize({ width, height }) ?? { width, height };
  }
  if (aspectRatio !== undefined) {
    return (
      spec.sizeForAspectRatio(aspectRatio) ??
      `aspectRatio "${aspectRatio}" is not supported; use one of ${spec.aspectRatioHint}`
    );
  }
  return { width: 1024, height: 1024 };
}

function imageGenerationConfig(
  params: { count?: number; quality?: string; cfgScale?: number; seed?: number },
  size?: Size,
): Record<string, unknown> {
  return {
    numberOfImages: params.count ?? 1,
    ...(size ?? {}),
    ...(params.quality === undefined ? {} : { quality: params.quality }),
    ...(params.cfgScale === undefined ? {} : { cfgScale: params.cfgScale }),
    ...(params.seed === undefined ? {} : { seed: params.seed }),
  };
}

function buildTextToImage(modelId: string, params: GenerateParams): Invocation[] {
  const spec = specFor(modelId);
  const normalized = { ...params, negativePrompt: withoutBlank(params.negativePrompt) };
  parseOrThrow(
    cachedSchema(`amazon-image generate ${modelId}`, () => generateSchema(modelId, spec)),
    normalized,
    modelId,
  );
  const size = resolveSize(normalized, spec) as Size;
  const count = normalized.count ?? 1;
  return [
    {
      modelId,
      expectedImages: count,
      ...(normalized.seed === undefined ? {} : { seed: normalized.seed }),
      body: {
        taskType: 'TEXT_IMAGE',
        textToImageParams: {
          text: normalized.prompt,
          ...(normalized.negativePrompt === undefined
            ? {}
            : { negativeText: normalized.negativePrompt }),
          ...(normalized.style === undefined ? {} : { style: normalized.style }),
        },
        imageGenerationConfig: imageGenerationConfig(normalized, size),
      },
    },
  ];
}

/** Which task each edit operation becomes, and which fields it needs. */
const EDIT_TASKS: Readonly<
  Record<
    RegionEditOperation,
    {
      taskType: 'INPAINTING' | 'OUTPAINTING' | 'BACKGROUND_REMOVAL';
      paramsKey: string;
      prompt: 'required' | 'forbidden';
      region: 'mask-or-prompt' | 'prompt-only' | 'none';
    }
  >
> = {
  inpaint: {
    taskType: 'INPAINTING',
    paramsKey: 'inPaintingParams',
    prompt: 'required',
    region: 'mask-or-prompt',
  },
  // Inpainting without text removes what the mask covers (Nova and Titan docs).
  erase: {
    taskType: 'INPAINTING',
    paramsKey: 'inPaintingParams',
    prompt: 'forbidden',
    region: 'mask-or-prompt',
  },
  'search-replace': {
    taskType: 'INPAINTING',
    paramsKey: 'inPaintingParams',
    prompt: 'required',
    region: 'prompt-only',
  },
  outpaint: {
    taskType: 'OUTPAINTING',
    paramsKey: 'outPaintingParams',
    prompt: 'required',
    region: 'mask-or-prompt',
  },
  'remove-background': {
    taskType: 'BACKGROUND_REMOVAL',
    paramsKey: 'backgroundRemovalParams',
    prompt: 'forbidden',
    region: 'none',
  },
};

function editSchema(modelId: string, spec: AmazonModelSpec, operation: RegionEditOperation) {
  const task = EDIT_TASKS[operation];
  const notHere = (field: string, hint?: string) => unsupported(field, modelId, hint);
  const outPaintingMode =
    task.taskType === 'OUTPAINTING'
      ? oneOf('outPaintingMode', ['DEFAULT', 'PRECISE']).optional()
      : notHere('outPaintingMode', 'only outpaint has a mode');
  const text = textOfLength('prompt', 1, spec.maxTextLength);
  const base = {
    image: z
      .object({
        mimeType: oneOf('image', ['image/png', 'image/jpeg']),
        width: z.number(),
        height: z.number(),
      })
      .superRefine((image, context) => {
        const problem = spec.checkInputImage(image);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      }),
    outPaintingMode,
    style: notHere('style', 'styles apply to text-to-image only'),
    growMask: notHere('growMask'),
    creativity: notHere('creativity'),
    outpaint: notHere(
      'outpaint',
      'this model repaints outside the mask at the same size; use a Stability outpaint model to add margins',
    ),
    prompt:
      task.prompt === 'required'
        ? text
        : notHere(
            'prompt',
            operation === 'erase' ? 'erase removes the masked area without a prompt' : undefined,
          ),
  };
  if (task.taskType === 'BACKGROUND_REMOVAL') {
    return z.object({
      ...base,
      negativePrompt: notHere('negativePrompt'),
      cfgScale: notHere('cfgScale'),
      seed: notHere('seed'),
      quality: notHere('quality'),
      count: z
        .literal(1, { error: 'count must be 1: remove-background gives one result' })
        .optional(),
      mask: notHere('mask'),
      maskPrompt: notHere('maskPrompt'),
    });
  }
  const maskPrompt = textOfLength('maskPrompt', 1, spec.maxTextLength);
  return z
    .object({
      ...configSchema(spec),
      ...base,
      mask:
        task.region === 'prompt-only'
          ? notHere('mask', `${operation} finds the area from maskPrompt`)
          : z.instanceof(Uint8Array).optional(),
      maskPrompt: task.region === 'prompt-only' ? maskPrompt : maskPrompt.optional(),
    })
    .superRefine((params, context) => {
      if (
        task.region === 'mask-or-prompt' &&
        (params.mask === undefined) === (params.maskPrompt === undefined)
      ) {
        context.addIssue({
          code: 'custom',
          path: ['mask'],
          message:
            operation === 'outpaint'
              ? 'mask: give exactly one of mask (the painted area to keep) or maskPrompt (the area to keep, in words) for outpaint'
              : `mask: give exactly one of mask (the painted area to change) or maskPrompt (the area to change, in words) for ${operation}`,
        });
      }
    });
}

function buildEdit(modelId: string, params: EditParams): Invocation[] {
  const spec = specFor(modelId);
  const { operation } = params;
  if (!requireModel(modelId, 'amazon-image').operations.includes(operation)) {
    throw new AppError('UNSUPPORTED_OPERATION', `${modelId} cannot do ${operation}.`);
  }
  if (isAmazonGuidedOperation(operation)) {
    return buildAmazonGuided(
      modelId,
      { ...params, operation },
      {
        maxTextLength: spec.maxTextLength,
        maxSeed: AMAZON_MAX_SEED,
        sizes: TITAN_SIZES,
        maxInputSide: TITAN_MAX_INPUT_SIDE,
      },
    );
  }
  if (!isRegionEdit(operation)) {
    throw new AppError('UNSUPPORTED_OPERATION', `${modelId} cannot do ${operation}.`);
  }
  assertNoGuidedFields(params, modelId);
  const task = EDIT_TASKS[operation];
  const normalized = { ...params, negativePrompt: withoutBlank(params.negativePrompt) };
  parseOrThrow(
    cachedSchema(`amazon-image ${operation} ${modelId}`, () =>
      editSchema(modelId, spec, operation),
    ),
    normalized,
    modelId,
  );

  // Transparent pixels are refused by both models; composite them onto white (shared/images/opaque).
  const taskParams: Record<string, unknown> = {
    image: toBase64(withoutTransparency(params.image.bytes).bytes),
  };
  if (task.taskType === 'BACKGROUND_REMOVAL') {
    // BACKGROUND_REMOVAL takes no imageGenerationConfig at all.
    return [
      {
        modelId,
        expectedImages: 1,
        body: { taskType: task.taskType, [task.paramsKey]: taskParams },
      },
    ];
  }
  if (normalized.prompt !== undefined) taskParams.text = normalized.prompt;
  if (normalized.negativePrompt !== undefined) taskParams.negativeText = normalized.negativePrompt;
  if (normalized.maskPrompt !== undefined) taskParams.maskPrompt = normalized.maskPrompt;
  if (normalized.mask !== undefined) {
    // Both tasks call the black pixels "the mask": INPAINTING changes them, OUTPAINTING keeps them
    // and "changes the area painted white" (image-gen-access.html; Titan: "(0 0 0) is a pixel
    // inside the mask"). The client paints the region to change for inpaint/erase and the region
    // to keep for outpaint (as maskPrompt names it), so the painted area is black for both.
    const paintedMeans = task.taskType === 'OUTPAINTING' ? 'keep' : 'change';
    taskParams.maskImage = toBase64(
      toModelMask(normalized.mask, params.image, 'black-edits', paintedMeans).png,
    );
  }
  if (normalized.outPaintingMode !== undefined) {
    taskParams.outPaintingMode = normalized.outPaintingMode;
  }
  const count = normalized.count ?? 1;
  return [
    {
      modelId,
      expectedImages: count,
      ...(normalized.seed === undefined ? {} : { seed: normalized.seed }),
      body: {
        taskType: task.taskType,
        [task.paramsKey]: taskParams,
        // No width/height: edited images keep the input's size.
        imageGenerationConfig: imageGenerationConfig(normalized),
      },
    },
  ];
}

const imageEntrySchema = z.union([
  z.string(),
  z.object({
    b64: z.string().optional(),
    base64: z.string().optional(),
    bytes: z.string().optional(),
    image: z.string().optional(),
    mimeType: z.string().optional(),
  }),
]);

const responseSchema = z.object({
  images: z.array(imageEntrySchema).nullish(),
  error: z.string().nullish(),
});

/** Nova/Titan responses: `images` as base64 strings (documented) or as objects (seen by seed 002). */
function parseResponse(modelId: string, body: unknown, expectedImages?: number): ModelOutput {
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) {
    throw new AppError('UPSTREAM_ERROR', `${modelId} returned a response in an unknown format.`);
  }
  const images: ModelImage[] = (parsed.data.images ?? []).map((entry) =>
    typeof entry === 'string'
      ? decodeModelImage(entry, modelId)
      : decodeModelImage(
          entry.b64 ?? entry.base64 ?? entry.bytes ?? entry.image,
          modelId,
          undefined,
          entry.mimeType,
        ),
  );
  const error = parsed.data.error ?? undefined;
  if (images.length === 0) {
    if (error !== undefined) {
      // "All of the generated images have been blocked by our content filters." and Titan's
      // input-moderation messages come this way, as a 200 with no images.
      throw new AppError('CONTENT_FILTERED', `${modelId}: ${error}`);
    }
    throw new AppError('UPSTREAM_ERROR', `${modelId} returned no image.`);
  }
  // "Some of the generated images have been blocked…": the others are still returned.
  const missing = expectedImages === undefined ? 0 : Math.max(0, expectedImages - images.length);
  const filteredCount = error === undefined ? missing : Math.max(1, missing);
  return { images, filteredCount };
}

/**
 * Nova Canvas and Titan Image Generator v2: text-to-image (1–5 images per call), inpaint, erase
 * (inpainting without text), search-replace (inpainting with maskPrompt), outpaint (keep the
 * painted or described region, regenerate the rest; outPaintingMode DEFAULT or PRECISE),
 * remove-background. Input images must fit the model's sizes; transparency is flattened onto white.
 *
 * @example
 * const [invocation] = amazonImageAdapter.buildTextToImage('amazon.nova-canvas-v1:0', {
 *   prompt: 'a movie poster', width: 1280, height: 720, cfgScale: 6.5, seed: 12,
 * });
 * // invocation.body: { taskType: 'TEXT_IMAGE', textToImageParams: { text: 'a movie poster' },
 * //   imageGenerationConfig: { numberOfImages: 1, width: 1280, height: 720, cfgScale: 6.5, seed: 12 } }
 */
export const amazonImageAdapter: ModelAdapter = {
  family: 'amazon-image',
  buildTextToImage,
  buildEdit,
  parseResponse,
};
