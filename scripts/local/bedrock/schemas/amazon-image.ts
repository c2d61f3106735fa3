import * as z from 'zod';

/*
 * Amazon Nova Canvas and Titan Image Generator v2 share one envelope: `taskType` + a params
 * object per task + `imageGenerationConfig`; the answer is `{images[], error?}`.
 *
 * Nova Canvas (`amazon.nova-canvas-v1:0`):
 *   https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html
 *   https://docs.aws.amazon.com/nova/latest/userguide/image-gen-access.html (sizes, input images)
 * Titan Image Generator G1 v2 (`amazon.titan-image-generator-v2:0`):
 *   https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-image.html
 */

export type AmazonImageModel = 'nova' | 'titan';

/** Task types each model documents; only the first four are imitated by the stand-in. */
export const IMPLEMENTED_TASKS = [
  'TEXT_IMAGE',
  'INPAINTING',
  'OUTPAINTING',
  'BACKGROUND_REMOVAL',
] as const;
export const DOCUMENTED_TASKS: Record<AmazonImageModel, readonly string[]> = {
  nova: [...IMPLEMENTED_TASKS, 'COLOR_GUIDED_GENERATION', 'IMAGE_VARIATION', 'VIRTUAL_TRY_ON'],
  titan: [...IMPLEMENTED_TASKS, 'COLOR_GUIDED_GENERATION', 'IMAGE_VARIATION'],
};

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

/**
 * Nova: each side 320-4096 px, divisible by 16, aspect ratio 1:4 to 4:1, fewer than 4,194,304
 * pixels in total (image-gen-access.html#image-gen-resolutions). Input images follow the same rules.
 */
export const NOVA_SIZE_RULES = {
  minSide: 320,
  maxSide: 4096,
  multipleOf: 16,
  maxAspect: 4,
  maxPixelsExclusive: 4_194_304,
} as const;

/**
 * Titan v2 output sizes: the resolution table of model-parameters-titan-image.html.
 * Input images and masks: at most 1,408 px on the longer side (same page).
 */
export const TITAN_SIZES = [
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
] as const;
export const TITAN_MAX_INPUT_SIDE = 1408;

/** Defaults when `imageGenerationConfig` leaves a field out. */
export const AMAZON_DEFAULTS: Record<
  AmazonImageModel,
  { seed: number; width: number; height: number }
> = {
  // Nova documents seed 12 and 1024x1024.
  nova: { seed: 12, width: 1024, height: 1024 },
  // Titan's defaults are not in the doc copies we could read: 42 is Titan's commonly quoted default
  // seed (unconfirmed); 1024x1024 keeps generation inside the resolution table.
  titan: { seed: 42, width: 1024, height: 1024 },
};

/** Nova: text and negativeText are 1-1024 characters; Titan: at most 512. */
const TEXT_MAX: Record<AmazonImageModel, number> = { nova: 1024, titan: 512 };

export function novaSizeProblem(width: number, height: number): string | undefined {
  const rules = NOVA_SIZE_RULES;
  if (
    width < rules.minSide ||
    height < rules.minSide ||
    width > rules.maxSide ||
    height > rules.maxSide
  ) {
    return `each side must be between ${rules.minSide} and ${rules.maxSide} pixels, got ${width}x${height}`;
  }
  if (width % rules.multipleOf !== 0 || height % rules.multipleOf !== 0) {
    return `width and height must be divisible by ${rules.multipleOf}, got ${width}x${height}`;
  }
  if (Math.max(width, height) / Math.min(width, height) > rules.maxAspect) {
    return `aspect ratio must be between 1:4 and 4:1, got ${width}x${height}`;
  }
  if (width * height >= rules.maxPixelsExclusive) {
    return `total pixel count must be less than ${rules.maxPixelsExclusive}, got ${width * height}`;
  }
  return undefined;
}

export function titanOutputSizeProblem(width: number, height: number): string | undefined {
  return TITAN_SIZES.some(([w, h]) => w === width && h === height)
    ? undefined
    : `${width}x${height} is not a supported size; use one of ${TITAN_SIZES.map(([w, h]) => `${w}x${h}`).join(', ')}`;
}

function schemasFor(model: AmazonImageModel) {
  const text = z.string().min(1).max(TEXT_MAX[model]);
  const config = {
    quality: z.enum(['standard', 'premium']).optional(),
    cfgScale: z.number().min(1.1).max(10).optional(),
    seed: z.int().min(0).max(2147483646).optional(),
    numberOfImages: z.int().min(1).max(5).optional(),
  };
  // Width and height "should not be provided for INPAINTING, OUTPAINTING": the output keeps the
  // input's size. The stand-in refuses them instead of ignoring them.
  const editConfig = z.strictObject(config);
  const generationConfig = z
    .strictObject({ ...config, width: z.int().optional(), height: z.int().optional() })
    .superRefine((value, context) => {
      const width = value.width ?? AMAZON_DEFAULTS[model].width;
      const height = value.height ?? AMAZON_DEFAULTS[model].height;
      const problem =
        model === 'nova' ? novaSizeProblem(width, height) : titanOutputSizeProblem(width, height);
      if (problem) context.addIssue({ code: 'custom', path: ['width'], message: problem });
    });
  const maskChoice = (
    params: { maskPrompt?: string; maskImage?: string },
    context: z.RefinementCtx,
  ) => {
    if ((params.maskPrompt === undefined) === (params.maskImage === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [],
        message: 'exactly one of maskPrompt or maskImage is required',
      });
    }
  };
  // Titan adds returnMask to the edit params; Nova documents it for VIRTUAL_TRY_ON only.
  const returnMask = model === 'titan' ? { returnMask: z.boolean().optional() } : {};

  const textImage = z.strictObject({
    taskType: z.literal('TEXT_IMAGE'),
    textToImageParams: z.strictObject({
      text,
      negativeText: text.optional(),
      ...(model === 'nova' ? { style: z.enum(NOVA_STYLES).optional() } : {}),
      conditionImage: z.string().optional(),
      controlMode: z.enum(['CANNY_EDGE', 'SEGMENTATION']).optional(),
      controlStrength: z.number().min(0).max(1).optional(),
    }),
    imageGenerationConfig: generationConfig.optional(),
  });
  const inpainting = z.strictObject({
    taskType: z.literal('INPAINTING'),
    inPaintingParams: z
      .strictObject({
        image: z.string(),
        maskPrompt: text.optional(),
        maskImage: z.string().optional(),
        // Optional: without it the model removes what the mask covers.
        text: text.optional(),
        negativeText: text.optional(),
        ...returnMask,
      })
      .superRefine(maskChoice),
    imageGenerationConfig: editConfig.optional(),
  });
  const outpainting = z.strictObject({
    taskType: z.literal('OUTPAINTING'),
    outPaintingParams: z
      .strictObject({
        image: z.string(),
        maskPrompt: text.optional(),
        maskImage: z.string().optional(),
        outPaintingMode: z.enum(['DEFAULT', 'PRECISE']).optional(),
        text,
        negativeText: text.optional(),
        ...returnMask,
      })
      .superRefine(maskChoice),
    imageGenerationConfig: editConfig.optional(),
  });
  // BACKGROUND_REMOVAL takes no imageGenerationConfig.
  const backgroundRemoval = z.strictObject({
    taskType: z.literal('BACKGROUND_REMOVAL'),
    backgroundRemovalParams: z.strictObject({ image: z.string() }),
  });
  return {
    envelope: z.looseObject({ taskType: z.enum(DOCUMENTED_TASKS[model] as [string, ...string[]]) }),
    TEXT_IMAGE: textImage,
    INPAINTING: inpainting,
    OUTPAINTING: outpainting,
    BACKGROUND_REMOVAL: backgroundRemoval,
  };
}

export const AMAZON_IMAGE_SCHEMAS = { nova: schemasFor('nova'), titan: schemasFor('titan') };

type Schemas = ReturnType<typeof schemasFor>;
export type TextImageBody = z.output<Schemas['TEXT_IMAGE']>;
export type InpaintingBody = z.output<Schemas['INPAINTING']>;
export type OutpaintingBody = z.output<Schemas['OUTPAINTING']>;
export type BackgroundRemovalBody = z.output<Schemas['BACKGROUND_REMOVAL']>;
