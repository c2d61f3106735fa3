/**
 * Converts the client's edit mask (one convention: opaque, light strokes = change this) into the
 * pure black-and-white mask a model expects. Nova Canvas rejects any colour other than pure black
 * and white, and grey values made Stability's inpaint all-or-nothing (see
 * shared/reference/bedrock-image-models.md §10), so the output is always binary.
 */
import { PNG } from 'pngjs';

import { AppError } from '../errors.js';
import type { Size } from '../models/adapter-helpers.js';
import { checkPngBounds, PngBoundsError } from './png-bounds.js';
import { detectImageMimeType } from './probe.js';

/**
 * Which colour the client's painted pixels become: white (`white-edits`) or black
 * (`black-edits`). Named for the usual case where painted = change; Nova/Titan outpainting keeps
 * its black region, so a painted "keep" area is sent with `black-edits` too.
 */
export type MaskConvention = 'white-edits' | 'black-edits';

/** What the client painted: the area to change (inpaint, erase) or to keep (Nova/Titan outpaint). */
export type PaintedMeaning = 'change' | 'keep';

export interface ModelMask {
  /** 8-bit RGB PNG with only (0,0,0) and (255,255,255) pixels, at the target size. */
  png: Uint8Array;
  /** How many target pixels are marked for change. */
  paintedPixels: number;
}

/**
 * Largest mask decoded: 4096×4096, more than any Bedrock edit model takes (the mask must match the
 * image). Decoding one of 16-bit RGBA takes a few hundred MB, within the 1 GB functions.
 */
const MAX_MASK_PIXELS = 4096 * 4096;
/** A pixel is painted when it is at least half opaque and at least half bright. */
const PAINTED_THRESHOLD = 128;
/** Mask and image shapes may differ by this much (relative) and still be resized onto each other. */
const ASPECT_RATIO_TOLERANCE = 0.01;

/**
 * Decodes the client's PNG mask, binarises it (painted = alpha ≥ 128 and luminance ≥ 128, so white
 * strokes on black and white strokes on transparent both work), resizes it nearest-neighbour to
 * `target`, and writes it in the model's `convention`.
 * Throws AppError INVALID_MASK when it is not a PNG, its shape differs from the image's, or it
 * marks nothing or everything.
 *
 * @example
 * const { png } = toModelMask(clientMask, { width: 1024, height: 768 }, 'black-edits'); // Nova inpainting
 */
export function toModelMask(
  clientMaskPng: Uint8Array,
  target: Size,
  convention: MaskConvention,
  paintedMeans: PaintedMeaning = 'change',
): ModelMask {
  const source = decodePng(clientMaskPng);
  const sourceRatio = source.width / source.height;
  const targetRatio = target.width / target.height;
  if (Math.abs(sourceRatio / targetRatio - 1) > ASPECT_RATIO_TOLERANCE) {
    throw new AppError(
      'INVALID_MASK',
      `The mask is ${source.width}×${source.height} but the image is ${target.width}×${target.height}; draw the mask over the image so both have the same shape.`,
    );
  }

  const painted = paintedMap(source);
  const editValue = convention === 'white-edits' ? 255 : 0;
  const keepValue = 255 - editValue;
  const output = new PNG({ width: target.width, height: target.height });
  let paintedPixels = 0;
  for (let y = 0; y < target.height; y += 1) {
    const sourceY = Math.min(source.height - 1, Math.floor((y * source.height) / target.height));
    for (let x = 0; x < target.width; x += 1) {
      const sourceX = Math.min(source.width - 1, Math.floor((x * source.width) / target.width));
      const isPainted = painted[sourceY * source.width + sourceX] === 1;
      if (isPainted) paintedPixels += 1;
      const value = isPainted ? editValue : keepValue;
      const offset = (y * target.width + x) * 4;
      output.data[offset] = value;
      output.data[offset + 1] = value;
      output.data[offset + 2] = value;
      output.data[offset + 3] = 255;
    }
  }

  const totalPixels = target.width * target.height;
  if (paintedPixels === 0) {
    throw new AppError(
      'INVALID_MASK',
      `The mask marks nothing: paint the area to ${paintedMeans} in white (opaque) over the image.`,
    );
  }
  if (paintedPixels === totalPixels) {
    throw new AppError(
      'INVALID_MASK',
      paintedMeans === 'keep'
        ? 'The mask keeps the whole image, so there is nothing to outpaint: leave the area to regenerate unpainted.'
        : 'The mask marks the whole image: leave part of it unpainted, or generate a new image instead.',
    );
  }
  // colorType 2 = truecolour without alpha, 8 bits per channel. filterType 0 (none): a two-colour
  // image compresses well unfiltered, and trying pngjs's five filters per row took ~100 ms at 720p.
  const png: Uint8Array = PNG.sync.write(output, { colorType: 2, filterType: 0 });
  return { png, paintedPixels };
}

function decodePng(bytes: Uint8Array): PNG {
  if (detectImageMimeType(bytes) !== 'image/png') {
    throw new AppError('INVALID_MASK', 'The mask must be a PNG image.');
  }
  try {
    // pngjs inflates interlaced images without any cap and zero-fills missing rows: check the
    // data against the header first, inflating no more than the header promises.
    checkPngBounds(bytes, { maxPixels: MAX_MASK_PIXELS });
  } catch (error) {
    if (!(error instanceof PngBoundsError)) throw error;
    throw new AppError('INVALID_MASK', `The mask PNG could not be decoded: ${error.message}.`, {
      cause: error,
    });
  }
  try {
    // pngjs normalises every colour type and bit depth to 8-bit RGBA.
    return PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new AppError('INVALID_MASK', 'The mask PNG could not be decoded; it may be truncated.', {
      cause: error,
    });
  }
}

/** 1 where the client painted, 0 elsewhere, one byte per source pixel. */
function paintedMap(image: PNG): Uint8Array {
  const map = new Uint8Array(image.width * image.height);
  for (let index = 0; index < map.length; index += 1) {
    const offset = index * 4;
    const red = image.data[offset] ?? 0;
    const green = image.data[offset + 1] ?? 0;
    const blue = image.data[offset + 2] ?? 0;
    const alpha = image.data[offset + 3] ?? 0;
    // ITU-R BT.601 luma weights, scaled by 1000 to stay in integers (0.299 + 0.587 + 0.114 sums
    // to just under 1 in floating point, which would make grey 128 count as 127.99…).
    const luminanceTimes1000 = 299 * red + 587 * green + 114 * blue;
    map[index] =
      alpha >= PAINTED_THRESHOLD && luminanceTimes1000 >= PAINTED_THRESHOLD * 1000 ? 1 : 0;
  }
  return map;
}
