import type { DecodedImage } from '../image-codec.js';
import type { ImageFormat, RgbaImage } from '../png.js';
import {
  blendByStrength,
  boxStrength,
  centralBox,
  growStrength,
  synthesizeImage,
} from '../render.js';
import {
  MORE_SERVICES_INPUT_RULES,
  conservativeUpscaleSchema,
  controlSchema,
  creativeUpscaleSchema,
  fastUpscaleSchema,
  searchRecolorSchema,
  styleGuideSchema,
  styleTransferSchema,
  type ImageRules,
} from '../schemas/stability-more-services.js';
import { parseBody } from '../schemas/validate.js';
import {
  contentKey,
  invalidImage,
  readImage,
  resolveRandomSeed,
  type InvocationContext,
  type ModelHandler,
} from './context.js';
import { ASPECT_RATIO_SIZES, answer, filtered } from './stability.js';

/*
 * The stand-in's pictures for the other eight Stability image services. They are fake, but each
 * keeps the documented shape of the real answer and is easy to check pixel by pixel:
 * - Search and Recolor changes only the (grown) middle half, where the "found" object is;
 * - Control Sketch / Structure keep the input's size and mix a generated picture into it by
 *   1 − control_strength;
 * - Style Guide answers at the aspect_ratio size, tinted towards the input's mean colour by fidelity;
 * - Style Transfer keeps init_image's size and mixes the (resized) style_image in by
 *   style_strength × change_strength;
 * - the upscalers enlarge the input by whole factors (nearest neighbour): Fast by exactly 4
 *   (documented "4x"); Creative and Conservative by the largest factor up to 4 that stays within
 *   4,194,304 pixels (AWS says "4K" without exact sizes). Conservative and Fast return the
 *   enlargement itself, so it can be compared exactly; Creative mixes in a generated picture by
 *   `creativity`.
 */

const MAX_SEED = 4294967294;
const FORMATS: readonly ImageFormat[] = ['png', 'jpeg', 'webp'];
/** The stand-in's "4K": the Creative/Conservative output stays within this many pixels. */
const UPSCALE_MAX_PIXELS = 4_194_304;
const MAX_UPSCALE_FACTOR = 4;

function readChecked(base64: string, at: string, rules: ImageRules): DecodedImage {
  const image = readImage(base64, at, FORMATS);
  const { width, height } = image;
  const size = `${width}x${height}`;
  if (width < rules.minSide || height < rules.minSide) {
    throw invalidImage(at, `every side must be at least ${rules.minSide} pixels, got ${size}`);
  }
  if (rules.maxSide !== undefined && (width > rules.maxSide || height > rules.maxSide)) {
    throw invalidImage(at, `every side must be at most ${rules.maxSide} pixels, got ${size}`);
  }
  if (rules.minPixels !== undefined && width * height < rules.minPixels) {
    throw invalidImage(at, `the image must have at least ${rules.minPixels} pixels, got ${size}`);
  }
  if (width * height > rules.maxPixels) {
    throw invalidImage(at, `the image must have at most ${rules.maxPixels} pixels, got ${size}`);
  }
  if (
    rules.maxAspect !== undefined &&
    Math.max(width, height) / Math.min(width, height) > rules.maxAspect
  ) {
    throw invalidImage(at, `the aspect ratio must be between 1:2.5 and 2.5:1, got ${size}`);
  }
  return image;
}

/** Nearest-neighbour resize to width×height (opaque). */
export function resizeNearest(image: RgbaImage, width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    const sourceY = Math.min(image.height - 1, Math.floor((y * image.height) / height));
    for (let x = 0; x < width; x += 1) {
      const sourceX = Math.min(image.width - 1, Math.floor((x * image.width) / width));
      const from = (sourceY * image.width + sourceX) * 4;
      const to = (y * width + x) * 4;
      data[to] = image.data[from] ?? 0;
      data[to + 1] = image.data[from + 1] ?? 0;
      data[to + 2] = image.data[from + 2] ?? 0;
      data[to + 3] = 255;
    }
  }
  return { width, height, data };
}

const uniform = (pixels: number, weight: number) =>
  new Uint8Array(pixels).fill(Math.round(Math.min(1, Math.max(0, weight)) * 255));

function generated(
  context: InvocationContext,
  seed: number,
  width: number,
  height: number,
  caption: string,
) {
  return synthesizeImage({
    width,
    height,
    modelId: context.modelId,
    seed,
    contentKey: contentKey(context, seed),
    caption,
  });
}

export const stabilitySearchRecolor: ModelHandler = (rawBody, context) => {
  const body = parseBody(searchRecolorSchema, rawBody);
  const image = readChecked(body.image, '#/image', MORE_SERVICES_INPUT_RULES.recolor);
  const seed = resolveRandomSeed(body.seed, MAX_SEED);
  const blocked = filtered(context, seed);
  if (blocked) return blocked;
  const { width, height } = image;
  const strength = growStrength(
    boxStrength(width, height, centralBox(width, height)),
    width,
    height,
    body.grow_mask ?? 5,
  );
  const recoloured = blendByStrength(
    image,
    generated(context, seed, width, height, 'search and recolor'),
    strength,
  );
  return answer(seed, recoloured, body.output_format ?? 'png');
};

/** Control Sketch and Control Structure. */
export function stabilityControl(caption: string): ModelHandler {
  return (rawBody, context) => {
    const body = parseBody(controlSchema, rawBody);
    const image = readChecked(body.image, '#/image', MORE_SERVICES_INPUT_RULES.common);
    const seed = resolveRandomSeed(body.seed, MAX_SEED);
    const blocked = filtered(context, seed);
    if (blocked) return blocked;
    const picture = generated(context, seed, image.width, image.height, caption);
    const weight = 1 - (body.control_strength ?? 0.7);
    const output = blendByStrength(image, picture, uniform(image.width * image.height, weight));
    return answer(seed, output, body.output_format ?? 'png');
  };
}

export const stabilityStyleGuide: ModelHandler = (rawBody, context) => {
  const body = parseBody(styleGuideSchema, rawBody);
  const image = readChecked(body.image, '#/image', MORE_SERVICES_INPUT_RULES.common);
  const seed = resolveRandomSeed(body.seed, MAX_SEED);
  const blocked = filtered(context, seed);
  if (blocked) return blocked;
  const [width, height] = ASPECT_RATIO_SIZES[body.aspect_ratio ?? '1:1'];
  const picture = generated(context, seed, width, height, 'style guide');
  const mean = [0, 1, 2].map((channel) => {
    let sum = 0;
    for (let pixel = 0; pixel < image.width * image.height; pixel += 1) {
      sum += image.data[pixel * 4 + channel] ?? 0;
    }
    return Math.round(sum / (image.width * image.height));
  });
  const tint = { width, height, data: new Uint8Array(width * height * 4) };
  for (let pixel = 0; pixel < width * height; pixel += 1) {
    tint.data.set([mean[0] ?? 0, mean[1] ?? 0, mean[2] ?? 0, 255], pixel * 4);
  }
  const output = blendByStrength(
    picture,
    tint,
    uniform(width * height, (body.fidelity ?? 0.5) / 2),
  );
  return answer(seed, output, body.output_format ?? 'png');
};

export const stabilityStyleTransfer: ModelHandler = (rawBody, context) => {
  const body = parseBody(styleTransferSchema, rawBody);
  const image = readChecked(body.init_image, '#/init_image', MORE_SERVICES_INPUT_RULES.common);
  const style = readChecked(body.style_image, '#/style_image', MORE_SERVICES_INPUT_RULES.common);
  const seed = resolveRandomSeed(body.seed, MAX_SEED);
  const blocked = filtered(context, seed);
  if (blocked) return blocked;
  const weight = (body.style_strength ?? 1) * (body.change_strength ?? 0.9);
  const styled = resizeNearest(style, image.width, image.height);
  const output = blendByStrength(image, styled, uniform(image.width * image.height, weight));
  return answer(seed, output, body.output_format ?? 'png');
};

/** The Creative/Conservative factor: the largest whole factor up to 4 within the pixel cap. */
export function upscaleFactor(width: number, height: number): number {
  const fits = Math.floor(Math.sqrt(UPSCALE_MAX_PIXELS / (width * height)));
  return Math.max(1, Math.min(MAX_UPSCALE_FACTOR, fits));
}

function upscale(kind: 'creative' | 'conservative'): ModelHandler {
  return (rawBody, context) => {
    const body =
      kind === 'creative'
        ? parseBody(creativeUpscaleSchema, rawBody)
        : parseBody(conservativeUpscaleSchema, rawBody);
    const image = readChecked(body.image, '#/image', MORE_SERVICES_INPUT_RULES[kind]);
    const seed = resolveRandomSeed(body.seed, MAX_SEED);
    const blocked = filtered(context, seed);
    if (blocked) return blocked;
    const factor = upscaleFactor(image.width, image.height);
    const enlarged = resizeNearest(image, image.width * factor, image.height * factor);
    if (kind === 'conservative') return answer(seed, enlarged, body.output_format ?? 'png');
    const picture = generated(context, seed, enlarged.width, enlarged.height, 'creative upscale');
    const weight = body.creativity ?? 0.3;
    const output = blendByStrength(
      enlarged,
      picture,
      uniform(enlarged.width * enlarged.height, weight),
    );
    return answer(seed, output, body.output_format ?? 'png');
  };
}

export const stabilityCreativeUpscale = upscale('creative');
export const stabilityConservativeUpscale = upscale('conservative');

export const stabilityFastUpscale: ModelHandler = (rawBody, context) => {
  const body = parseBody(fastUpscaleSchema, rawBody);
  const image = readChecked(body.image, '#/image', MORE_SERVICES_INPUT_RULES.fast);
  // Fast Upscale takes no seed; report a random one like the other services.
  const seed = resolveRandomSeed(undefined, MAX_SEED);
  const blocked = filtered(context, seed);
  if (blocked) return blocked;
  const enlarged = resizeNearest(image, image.width * 4, image.height * 4);
  return answer(seed, enlarged, body.output_format ?? 'png');
};
