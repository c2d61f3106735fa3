import { encodeImage, type DecodedImage } from '../image-codec.js';
import type { ImageFormat, RgbaImage } from '../png.js';
import {
  blendByStrength,
  boxStrength,
  centralBox,
  editedBox,
  growStrength,
  removeBackground,
  synthesizeImage,
  type Box,
  type Strength,
} from '../render.js';
import {
  eraseObjectSchema,
  inpaintSchema,
  outpaintSchema,
  removeBackgroundSchema,
  searchReplaceSchema,
  STABILITY_INPUT_LIMITS,
  type StabilityInputLimits,
} from '../schemas/stability-image-services.js';
import { sdxlTextToImageSchema } from '../schemas/stability-sdxl.js';
import {
  sd35LargeSchema,
  stableImageCoreSchema,
  stableImageUltraSchema,
  type AspectRatio,
} from '../schemas/stability-text-to-image.js';
import { parseBody } from '../schemas/validate.js';
import {
  contentKey,
  invalidImage,
  readImage,
  resolveRandomSeed,
  type InvocationContext,
  type ModelHandler,
} from './context.js';

/**
 * Output size per aspect ratio for the 2024 text-to-image models. AWS documents "1 megapixel"
 * (SD3.5) and "640 to 1,536 px" per side (Core, Ultra) but no table, so the stand-in uses the
 * ~1 MP sizes of Stability's own SD3 API, all multiples of 64. Real Core 1.1 was seen returning
 * 1536x1536 for 1:1 (awsdocs/aws-doc-sdk-examples PR #7989); do not hard-code these sizes.
 */
export const ASPECT_RATIO_SIZES: Record<AspectRatio, readonly [number, number]> = {
  '1:1': [1024, 1024],
  '16:9': [1344, 768],
  '21:9': [1536, 640],
  '2:3': [832, 1216],
  '3:2': [1216, 832],
  '4:5': [896, 1088],
  '5:4': [1088, 896],
  '9:16': [768, 1344],
  '9:21': [640, 1536],
};

// Seeds: 0..4294967295 for SDXL, Core and Ultra; 0..4294967294 for SD3.5 and the image services.
const MAX_SEED = 4294967294;
const STABILITY_INPUT_FORMATS: readonly ImageFormat[] = ['png', 'jpeg', 'webp'];
/** grow_mask default (stable-image-services.html). */
const DEFAULT_GROW_MASK = 5;

type FinishReason = null | 'Filter reason: prompt' | 'Filter reason: output image';

export function answer(seed: number, image: RgbaImage, format: ImageFormat, withAlpha = false) {
  return {
    seeds: [seed],
    finish_reasons: [null] as FinishReason[],
    images: [encodeImage(image, format, withAlpha).toString('base64')],
  };
}

/**
 * The content filters of the 2024 Stability models answer 200 without an image. The documented
 * prompt-filter answer is exactly `{"finish_reasons": ["Filter reason: prompt"]}`.
 */
export function filtered(context: InvocationContext, seed: number): object | undefined {
  if (context.triggers.filterInput) return { finish_reasons: ['Filter reason: prompt'] };
  if (context.triggers.filterOutput) {
    return { seeds: [seed], finish_reasons: ['Filter reason: output image'] };
  }
  return undefined;
}

function checkInputImage(image: DecodedImage, at: string, limits: StabilityInputLimits): void {
  const { minSide, minPixels, maxPixels } = limits;
  const maxAspect = 'maxAspect' in limits ? limits.maxAspect : undefined;
  const { width, height } = image;
  if (width < minSide || height < minSide) {
    throw invalidImage(at, `every side must be at least ${minSide} pixels, got ${width}x${height}`);
  }
  if (width * height > maxPixels || width * height < minPixels) {
    throw invalidImage(
      at,
      `the image must have between ${minPixels} and ${maxPixels} pixels, got ${width * height}`,
    );
  }
  if (maxAspect !== undefined && Math.max(width, height) / Math.min(width, height) > maxAspect) {
    throw invalidImage(
      at,
      `the aspect ratio must be between 1:${maxAspect} and ${maxAspect}:1, got ${width}x${height}`,
    );
  }
}

/** Legacy SDXL 1.0: `{result, artifacts:[{seed, base64, finishReason}]}`. */
export const stabilitySdxl: ModelHandler = (rawBody, context) => {
  const body = parseBody(sdxlTextToImageSchema, rawBody);
  const seed = resolveRandomSeed(body.seed, MAX_SEED);
  const width = body.width ?? 1024;
  const height = body.height ?? 1024;
  const blocked = context.triggers.filterInput || context.triggers.filterOutput;
  // CONTENT_FILTERED: "The content filter filtered the image and the image might be blurred";
  // the stand-in sends a flat grey picture of the requested size.
  const image = blocked
    ? { width, height, data: new Uint8Array(width * height * 4).fill(128) }
    : synthesizeImage({
        width,
        height,
        modelId: context.modelId,
        seed,
        contentKey: contentKey(context, seed),
      });
  return {
    result: 'success',
    artifacts: [
      {
        seed,
        base64: encodeImage(image, 'png').toString('base64'),
        finishReason: blocked ? 'CONTENT_FILTERED' : 'SUCCESS',
      },
    ],
  };
};

const TEXT_TO_IMAGE_SCHEMAS = {
  core: stableImageCoreSchema,
  ultra: stableImageUltraSchema,
  sd35: sd35LargeSchema,
} as const;

/** Stable Image Core / Ultra and SD3.5 Large: `{seeds, finish_reasons, images}`. */
export function stabilityTextToImage(kind: keyof typeof TEXT_TO_IMAGE_SCHEMAS): ModelHandler {
  return (rawBody, context) => {
    const body: {
      aspect_ratio?: AspectRatio;
      seed?: number;
      output_format?: ImageFormat;
      image?: string;
      strength?: number;
    } = parseBody(TEXT_TO_IMAGE_SCHEMAS[kind], rawBody);
    const seed = resolveRandomSeed(body.seed, MAX_SEED);
    const format = body.output_format ?? 'png';
    const input =
      body.image === undefined
        ? undefined
        : readImage(body.image, '#/image', STABILITY_INPUT_FORMATS);
    if (input) checkInputImage(input, '#/image', STABILITY_INPUT_LIMITS.imageToImage);
    const blocked = filtered(context, seed);
    if (blocked) return blocked;
    const [width, height] = input
      ? [input.width, input.height]
      : ASPECT_RATIO_SIZES[body.aspect_ratio ?? '1:1'];
    const generated = synthesizeImage({
      width,
      height,
      modelId: context.modelId,
      seed,
      contentKey: contentKey(context, seed),
    });
    if (!input) return answer(seed, generated, format);
    // Image-to-image: strength 0 keeps the input, 1 ignores it (Ultra's default is 0.35).
    const strength = new Uint8Array(width * height).fill(Math.round((body.strength ?? 0.35) * 255));
    return answer(seed, blendByStrength(input, generated, strength), format);
  };
}

/** Reads a Stability mask: white = edit, black = keep, grey = partial; resized if needed. */
function maskStrength(mask: DecodedImage, width: number, height: number): Strength {
  const strength = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    // Nearest-neighbour resize: "a different size ... will be automatically resized".
    const sourceY = Math.min(mask.height - 1, Math.floor((y * mask.height) / height));
    for (let x = 0; x < width; x += 1) {
      const sourceX = Math.min(mask.width - 1, Math.floor((x * mask.width) / width));
      const offset = (sourceY * mask.width + sourceX) * 4;
      const luminance =
        0.299 * (mask.data[offset] ?? 0) +
        0.587 * (mask.data[offset + 1] ?? 0) +
        0.114 * (mask.data[offset + 2] ?? 0);
      strength[y * width + x] = Math.round(luminance);
    }
  }
  return strength;
}

/** Without a mask, the image's alpha channel is the mask: transparent = edit. */
function alphaStrength(image: DecodedImage): Strength {
  const strength = new Uint8Array(image.width * image.height);
  for (let pixel = 0; pixel < strength.length; pixel += 1) {
    strength[pixel] = 255 - (image.data[pixel * 4 + 3] ?? 255);
  }
  return strength;
}

function editWithStrength(
  context: InvocationContext,
  image: DecodedImage,
  strength: Strength,
  seed: number,
  format: ImageFormat,
  caption: string,
) {
  const labelBox = editedBox(strength, image.width, image.height);
  const replacement = synthesizeImage({
    width: image.width,
    height: image.height,
    modelId: context.modelId,
    seed,
    contentKey: contentKey(context, seed),
    caption,
    ...(labelBox ? { labelBox } : {}),
  });
  return answer(seed, blendByStrength(image, replacement, strength), format);
}

interface MaskedEditBody {
  image: string;
  mask?: string | undefined;
  grow_mask?: number | undefined;
  seed?: number | undefined;
  output_format?: ImageFormat | undefined;
}

function maskedEdit(
  body: MaskedEditBody,
  context: InvocationContext,
  caption: string,
  limits: StabilityInputLimits,
) {
  const image = readImage(body.image, '#/image', STABILITY_INPUT_FORMATS);
  checkInputImage(image, '#/image', limits);
  const seed = resolveRandomSeed(body.seed, MAX_SEED);
  const blocked = filtered(context, seed);
  if (blocked) return blocked;
  const mask =
    body.mask === undefined ? undefined : readImage(body.mask, '#/mask', STABILITY_INPUT_FORMATS);
  const strength = growStrength(
    mask ? maskStrength(mask, image.width, image.height) : alphaStrength(image),
    image.width,
    image.height,
    body.grow_mask ?? DEFAULT_GROW_MASK,
  );
  return editWithStrength(context, image, strength, seed, body.output_format ?? 'png', caption);
}

export const stabilityInpaint: ModelHandler = (rawBody, context) =>
  maskedEdit(parseBody(inpaintSchema, rawBody), context, 'inpaint', STABILITY_INPUT_LIMITS.inpaint);

export const stabilityEraseObject: ModelHandler = (rawBody, context) =>
  maskedEdit(parseBody(eraseObjectSchema, rawBody), context, 'erase', STABILITY_INPUT_LIMITS.erase);

/** Search and Replace: the stand-in "finds" the object in the middle half of the picture. */
export const stabilitySearchReplace: ModelHandler = (rawBody, context) => {
  const body = parseBody(searchReplaceSchema, rawBody);
  const image = readImage(body.image, '#/image', STABILITY_INPUT_FORMATS);
  checkInputImage(image, '#/image', STABILITY_INPUT_LIMITS.searchReplace);
  const seed = resolveRandomSeed(body.seed, MAX_SEED);
  const blocked = filtered(context, seed);
  if (blocked) return blocked;
  const strength = growStrength(
    boxStrength(image.width, image.height, centralBox(image.width, image.height)),
    image.width,
    image.height,
    body.grow_mask ?? DEFAULT_GROW_MASK,
  );
  return editWithStrength(
    context,
    image,
    strength,
    seed,
    body.output_format ?? 'png',
    'search and replace',
  );
};

/** Outpaint: the canvas grows by left/right/up/down; the original pixels stay in the middle. */
export const stabilityOutpaint: ModelHandler = (rawBody, context) => {
  const body = parseBody(outpaintSchema, rawBody);
  const image = readImage(body.image, '#/image', STABILITY_INPUT_FORMATS);
  checkInputImage(image, '#/image', STABILITY_INPUT_LIMITS.outpaint);
  const seed = resolveRandomSeed(body.seed, MAX_SEED);
  const blocked = filtered(context, seed);
  if (blocked) return blocked;
  const [left, right, up, down] = [body.left ?? 0, body.right ?? 0, body.up ?? 0, body.down ?? 0];
  const width = image.width + left + right;
  const height = image.height + up + down;
  const margins: Box[] = [
    { x: 0, y: 0, width, height: up },
    { x: 0, y: up + image.height, width, height: down },
    { x: 0, y: 0, width: left, height },
    { x: left + image.width, y: 0, width: right, height },
  ];
  const labelBox = margins.reduce((best, box) =>
    box.width * box.height > best.width * best.height ? box : best,
  );
  const canvas = synthesizeImage({
    width,
    height,
    modelId: context.modelId,
    seed,
    contentKey: contentKey(context, seed),
    caption: 'outpaint',
    labelBox,
  });
  for (let y = 0; y < image.height; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      const from = (y * image.width + x) * 4;
      const to = ((y + up) * width + x + left) * 4;
      canvas.data.set(image.data.subarray(from, from + 3), to);
    }
  }
  return answer(seed, canvas, body.output_format ?? 'png');
};

/** Remove Background: same size, PNG with alpha; the background becomes transparent. */
export const stabilityRemoveBackground: ModelHandler = (rawBody, context) => {
  const body = parseBody(removeBackgroundSchema, rawBody);
  const image = readImage(body.image, '#/image', STABILITY_INPUT_FORMATS);
  checkInputImage(image, '#/image', STABILITY_INPUT_LIMITS.removeBackground);
  // Remove Background takes no seed; report a random one like the other services.
  const seed = resolveRandomSeed(undefined, MAX_SEED);
  const blocked = filtered(context, seed);
  if (blocked) return blocked;
  return answer(seed, removeBackground(image), body.output_format ?? 'png', true);
};
