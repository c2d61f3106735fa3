import { BedrockError } from '../errors.js';
import type { RgbaImage } from '../png.js';
import { blendByStrength, synthesizeImage } from '../render.js';
import { AMAZON_DEFAULTS, type AmazonImageModel } from '../schemas/amazon-image.js';
import { AMAZON_GUIDED_SCHEMAS, GUIDED_TASKS } from '../schemas/amazon-guided.js';
import { parseBody } from '../schemas/validate.js';
import { generateAll, INPUT_FILTER_MESSAGE, readAmazonImage, respond } from './amazon.js';
import { contentKey, type ModelHandler } from './context.js';
import { resizeNearest } from './stability-services.js';

/*
 * The stand-in's IMAGE_VARIATION and COLOR_GUIDED_GENERATION, checkable by pixels:
 * - a variation is the first input image (resized to the output size) mixed with a generated
 *   picture by 1 − similarityStrength (default 0.7, the Titan default);
 * - a colour-guided picture uses only the given colours: each pixel of a generated picture is
 *   replaced by the nearest colour of the palette. The reference image is read and checked.
 */

function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function toPalette(image: RgbaImage, palette: readonly [number, number, number][]): RgbaImage {
  const data = new Uint8Array(image.data.length);
  for (let pixel = 0; pixel < image.width * image.height; pixel += 1) {
    const [red, green, blue] = [0, 1, 2].map((channel) => image.data[pixel * 4 + channel] ?? 0);
    let best = palette[0] ?? [0, 0, 0];
    let bestDistance = Infinity;
    for (const colour of palette) {
      const distance =
        (colour[0] - (red ?? 0)) ** 2 +
        (colour[1] - (green ?? 0)) ** 2 +
        (colour[2] - (blue ?? 0)) ** 2;
      if (distance < bestDistance) {
        best = colour;
        bestDistance = distance;
      }
    }
    data.set([...best, 255], pixel * 4);
  }
  return { width: image.width, height: image.height, data };
}

/**
 * Wraps a Nova/Titan handler: IMAGE_VARIATION and COLOR_GUIDED_GENERATION are answered here,
 * every other task by `inner`.
 */
export function withGuidedTasks(model: AmazonImageModel, inner: ModelHandler): ModelHandler {
  const schemas = AMAZON_GUIDED_SCHEMAS[model];
  return (rawBody, context) => {
    const taskType = (rawBody as { taskType?: unknown } | null)?.taskType;
    if (!(GUIDED_TASKS as readonly unknown[]).includes(taskType)) return inner(rawBody, context);
    const body =
      taskType === 'IMAGE_VARIATION'
        ? parseBody(schemas.IMAGE_VARIATION, rawBody)
        : parseBody(schemas.COLOR_GUIDED_GENERATION, rawBody);
    const config = body.imageGenerationConfig;
    const width = config?.width ?? AMAZON_DEFAULTS[model].width;
    const height = config?.height ?? AMAZON_DEFAULTS[model].height;
    const draw = (seed: number, index: number, caption: string) =>
      synthesizeImage({
        width,
        height,
        modelId: context.modelId,
        seed,
        contentKey: contentKey(context, seed, index),
        caption,
      });
    if ('imageVariationParams' in body) {
      const inputs = body.imageVariationParams.images.map((image, index) =>
        readAmazonImage(model, image, `#/imageVariationParams/images/${index}`),
      );
      if (context.triggers.filterInput)
        throw new BedrockError('ValidationException', INPUT_FILTER_MESSAGE);
      const base = resizeNearest(inputs[0] as RgbaImage, width, height);
      const weight = Math.round((1 - (body.imageVariationParams.similarityStrength ?? 0.7)) * 255);
      const strength = new Uint8Array(width * height).fill(weight);
      const images = generateAll(model, config, (seed, index) =>
        blendByStrength(base, draw(seed, index, 'IMAGE_VARIATION'), strength),
      );
      return respond(context, images);
    }
    const params = body.colorGuidedGenerationParams;
    if (params.referenceImage !== undefined) {
      readAmazonImage(model, params.referenceImage, '#/colorGuidedGenerationParams/referenceImage');
    }
    if (context.triggers.filterInput)
      throw new BedrockError('ValidationException', INPUT_FILTER_MESSAGE);
    const palette = params.colors.map(hexToRgb);
    const images = generateAll(model, config, (seed, index) =>
      toPalette(draw(seed, index, 'COLOR_GUIDED_GENERATION'), palette),
    );
    return respond(context, images);
  };
}
