import { BedrockError, notImplemented } from '../errors.js';
import { encodePng, type ImageFormat, type RgbaImage } from '../png.js';
import {
  blendByStrength,
  boxStrength,
  centralBox,
  editedBox,
  growStrength,
  removeBackground,
  synthesizeImage,
  type Strength,
} from '../render.js';
import {
  AMAZON_DEFAULTS,
  AMAZON_IMAGE_SCHEMAS,
  IMPLEMENTED_TASKS,
  novaSizeProblem,
  TITAN_MAX_INPUT_SIDE,
  type AmazonImageModel,
} from '../schemas/amazon-image.js';
import { parseBody } from '../schemas/validate.js';
import {
  contentKey,
  invalidImage,
  readImage,
  type InvocationContext,
  type ModelHandler,
} from './context.js';

/** Nova and Titan take PNG or JPEG only. */
const AMAZON_INPUT_FORMATS: readonly ImageFormat[] = ['png', 'jpeg'];

// Messages from https://docs.aws.amazon.com/nova/latest/userguide/image-gen-errors.html
export const INPUT_FILTER_MESSAGE =
  'This request has been blocked by our content filters. Please adjust your text prompt to submit a new request.';
export const ALL_BLOCKED_MESSAGE =
  'All of the generated images have been blocked by our content filters.';
export const SOME_BLOCKED_MESSAGE =
  'Some of the generated images have been blocked by our content filters.';

interface GenerationConfig {
  seed?: number | undefined;
  numberOfImages?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
}

export function readAmazonImage(model: AmazonImageModel, base64: string, at: string) {
  const image = readImage(base64, at, AMAZON_INPUT_FORMATS);
  if (model === 'nova') {
    const problem = novaSizeProblem(image.width, image.height);
    if (problem) throw invalidImage(at, `unsupported input image size: ${problem}`);
  } else if (Math.max(image.width, image.height) > TITAN_MAX_INPUT_SIDE) {
    throw invalidImage(
      at,
      `the longer side must be at most ${TITAN_MAX_INPUT_SIDE} pixels, got ${image.width}x${image.height}`,
    );
  }
  // Nova: "PNG images may contain an additional alpha channel, but that channel must not contain
  // any transparent or translucent pixels" (image-gen-access.html, input images). Titan: "Each
  // pixel is defined by 3 RGB channels" (model-parameters-titan-image.html).
  for (let offset = 3; offset < image.data.length; offset += 4) {
    if (image.data[offset] !== 255) {
      throw invalidImage(at, 'the image must not contain transparent or translucent pixels');
    }
  }
  return image;
}

/**
 * Reads a mask: same size as the image, only pure black (0,0,0) and pure white (255,255,255).
 * Returns strength 255 where the pixel has `editColour`.
 */
function readMask(base64: string, at: string, image: RgbaImage, editColour: 0 | 255): Strength {
  const mask = readImage(base64, at, AMAZON_INPUT_FORMATS);
  if (mask.width !== image.width || mask.height !== image.height) {
    throw invalidImage(
      at,
      `the mask must be the same size as the image (${image.width}x${image.height}), got ${mask.width}x${mask.height}`,
    );
  }
  const strength = new Uint8Array(mask.width * mask.height);
  for (let pixel = 0; pixel < strength.length; pixel += 1) {
    const [red, green, blue] = [
      mask.data[pixel * 4],
      mask.data[pixel * 4 + 1],
      mask.data[pixel * 4 + 2],
    ];
    const pure =
      (red === 0 && green === 0 && blue === 0) || (red === 255 && green === 255 && blue === 255);
    if (!pure) {
      throw invalidImage(
        at,
        `the mask must contain only pure black (0,0,0) and pure white (255,255,255) pixels; pixel (${pixel % mask.width},${Math.floor(pixel / mask.width)}) is (${red},${green},${blue})`,
      );
    }
    strength[pixel] = red === editColour ? 255 : 0;
  }
  return strength;
}

/** Applies the output-filter triggers to a list of generated images. */
export function respond(
  context: InvocationContext,
  images: readonly RgbaImage[],
  withAlpha = false,
) {
  const { filterOutput, filterSome } = context.triggers;
  if (filterOutput || (filterSome && images.length < 2))
    return { images: [], error: ALL_BLOCKED_MESSAGE };
  const kept = filterSome ? images.slice(0, -1) : images;
  const encoded = kept.map((image) => encodePng(image, withAlpha).toString('base64'));
  return filterSome ? { images: encoded, error: SOME_BLOCKED_MESSAGE } : { images: encoded };
}

/** Draws `numberOfImages` pictures (default 1) with the configured or default seed. */
export function generateAll(
  model: AmazonImageModel,
  config: GenerationConfig | undefined,
  draw: (seed: number, index: number) => RgbaImage,
): RgbaImage[] {
  const seed = config?.seed ?? AMAZON_DEFAULTS[model].seed;
  return Array.from({ length: config?.numberOfImages ?? 1 }, (_, index) => draw(seed, index));
}

/**
 * OUTPAINTING with outPaintingMode DEFAULT (also when the mode is omitted) may alter the kept
 * region near its edge for a smooth transition ("can leave a halo"); PRECISE keeps it exactly.
 * The stand-in blends this many pixels of the kept side half-way.
 */
export const OUTPAINT_DEFAULT_HALO_PX = 8;

function withHalo(strength: Strength, width: number, height: number): Strength {
  const grown = growStrength(strength, width, height, OUTPAINT_DEFAULT_HALO_PX);
  return strength.map((value, pixel) => (value === 255 ? 255 : (grown[pixel] ?? 0) > 0 ? 128 : 0));
}

function maskedEdit(
  model: AmazonImageModel,
  context: InvocationContext,
  params: {
    image: string;
    maskImage?: string | undefined;
    maskPrompt?: string | undefined;
    outPaintingMode?: 'DEFAULT' | 'PRECISE' | undefined;
  },
  paramsKey: 'inPaintingParams' | 'outPaintingParams',
  config: GenerationConfig | undefined,
) {
  const inpainting = paramsKey === 'inPaintingParams';
  const image = readAmazonImage(model, params.image, `#/${paramsKey}/image`);
  let strength: Strength;
  if (params.maskImage !== undefined) {
    // INPAINTING edits the black pixels; OUTPAINTING edits the white ones (black = keep).
    strength = readMask(params.maskImage, `#/${paramsKey}/maskImage`, image, inpainting ? 0 : 255);
  } else {
    // maskPrompt: the stand-in "finds" the described object in the middle half of the picture.
    const inside = boxStrength(image.width, image.height, centralBox(image.width, image.height));
    strength = inpainting ? inside : inside.map((value) => 255 - value);
  }
  if (!inpainting && params.outPaintingMode !== 'PRECISE') {
    strength = withHalo(strength, image.width, image.height);
  }
  const labelBox = editedBox(strength, image.width, image.height);
  const caption = inpainting ? 'INPAINTING' : 'OUTPAINTING';
  const images = generateAll(model, config, (seed, index) => {
    const replacement = synthesizeImage({
      width: image.width,
      height: image.height,
      modelId: context.modelId,
      seed,
      contentKey: contentKey(context, seed, index),
      caption,
      ...(labelBox ? { labelBox } : {}),
    });
    return blendByStrength(image, replacement, strength);
  });
  return respond(context, images);
}

/** Nova Canvas and Titan Image v2: TEXT_IMAGE, INPAINTING, OUTPAINTING, BACKGROUND_REMOVAL. */
export function amazonImage(model: AmazonImageModel): ModelHandler {
  const schemas = AMAZON_IMAGE_SCHEMAS[model];
  return (rawBody, context) => {
    const { taskType } = parseBody(schemas.envelope, rawBody);
    if (!(IMPLEMENTED_TASKS as readonly string[]).includes(taskType)) notImplementedTask(taskType);
    const task = taskType as (typeof IMPLEMENTED_TASKS)[number];
    if (task === 'TEXT_IMAGE') {
      const body = parseBody(schemas.TEXT_IMAGE, rawBody);
      if (body.textToImageParams.conditionImage !== undefined) {
        readAmazonImage(
          model,
          body.textToImageParams.conditionImage,
          '#/textToImageParams/conditionImage',
        );
      }
      if (context.triggers.filterInput)
        throw new BedrockError('ValidationException', INPUT_FILTER_MESSAGE);
      const config = body.imageGenerationConfig;
      const width = config?.width ?? AMAZON_DEFAULTS[model].width;
      const height = config?.height ?? AMAZON_DEFAULTS[model].height;
      const images = generateAll(model, config, (seed, index) =>
        synthesizeImage({
          width,
          height,
          modelId: context.modelId,
          seed,
          contentKey: contentKey(context, seed, index),
        }),
      );
      return respond(context, images);
    }
    if (task === 'BACKGROUND_REMOVAL') {
      const body = parseBody(schemas.BACKGROUND_REMOVAL, rawBody);
      const image = readAmazonImage(
        model,
        body.backgroundRemovalParams.image,
        '#/backgroundRemovalParams/image',
      );
      if (context.triggers.filterInput)
        throw new BedrockError('ValidationException', INPUT_FILTER_MESSAGE);
      return respond(context, [removeBackground(image)], true);
    }
    const body =
      task === 'INPAINTING'
        ? parseBody(schemas.INPAINTING, rawBody)
        : parseBody(schemas.OUTPAINTING, rawBody);
    if (context.triggers.filterInput)
      throw new BedrockError('ValidationException', INPUT_FILTER_MESSAGE);
    return 'inPaintingParams' in body
      ? maskedEdit(
          model,
          context,
          body.inPaintingParams,
          'inPaintingParams',
          body.imageGenerationConfig,
        )
      : maskedEdit(
          model,
          context,
          body.outPaintingParams,
          'outPaintingParams',
          body.imageGenerationConfig,
        );
  };
}

function notImplementedTask(taskType: string): never {
  throw notImplemented(`taskType ${taskType}`);
}
