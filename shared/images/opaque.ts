/**
 * Makes an input image opaque for models that refuse transparency. Nova Canvas: "PNG images may
 * contain an additional alpha channel, but that channel must not contain any transparent or
 * translucent pixels" (https://docs.aws.amazon.com/nova/latest/userguide/image-gen-access.html,
 * input images); Titan Image Generator reads each pixel as three RGB channels
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-image.html). A
 * remove-background result, which the app offers to edit next, is exactly such a PNG.
 */
import { PNG } from 'pngjs';

import { AppError } from '../errors.js';
import { detectImageMimeType } from './probe.js';

/** What transparent pixels are composited onto: white, as on a printed page. */
export const FLATTEN_BACKGROUND = { red: 255, green: 255, blue: 255 } as const;

const PNG_SIGNATURE_LENGTH = 8;
/** IHDR colour types that carry an alpha channel: grey + alpha (4) and RGBA (6). */
const ALPHA_COLOUR_TYPES = new Set([4, 6]);

/**
 * Whether a PNG can hold transparent pixels at all, read from its chunk headers only: an alpha
 * colour type, or a tRNS chunk (palette or colour-key transparency) before the image data.
 * JPEG and WebP input answer false here (JPEG has no alpha; WebP is not sent to these models).
 */
export function mayHaveTransparency(bytes: Uint8Array): boolean {
  if (detectImageMimeType(bytes) !== 'image/png') return false;
  let offset = PNG_SIGNATURE_LENGTH;
  while (offset + 8 <= bytes.length) {
    const length =
      ((bytes[offset] ?? 0) << 24) |
      ((bytes[offset + 1] ?? 0) << 16) |
      ((bytes[offset + 2] ?? 0) << 8) |
      (bytes[offset + 3] ?? 0);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (type === 'IHDR' && ALPHA_COLOUR_TYPES.has(bytes[offset + 8 + 9] ?? -1)) return true;
    if (type === 'tRNS') return true;
    if (type === 'IDAT' || type === 'IEND' || length < 0) return false;
    offset += 12 + length;
  }
  return false;
}

export interface OpaqueImage {
  bytes: Uint8Array;
  /** How many pixels were transparent or translucent and got composited onto the background. */
  flattenedPixels: number;
}

/**
 * The image unchanged when it has no transparent or translucent pixel; otherwise an RGB PNG of the
 * same size with every pixel composited onto FLATTEN_BACKGROUND. Callers check the size limits
 * from the header first, so the decode is bounded by the model's own maximum size.
 * Throws AppError INVALID_IMAGE when the PNG cannot be decoded.
 *
 * @example
 * const { bytes } = withoutTransparency(removeBackgroundResult); // ready for Nova INPAINTING
 */
export function withoutTransparency(bytes: Uint8Array): OpaqueImage {
  if (!mayHaveTransparency(bytes)) return { bytes, flattenedPixels: 0 };
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new AppError(
      'INVALID_IMAGE',
      'The PNG image could not be decoded; it may be truncated.',
      {
        cause: error,
      },
    );
  }
  const { data } = png;
  let flattenedPixels = 0;
  for (let offset = 3; offset < data.length; offset += 4) {
    if (data[offset] !== 255) flattenedPixels += 1;
  }
  if (flattenedPixels === 0) return { bytes, flattenedPixels };

  const { red, green, blue } = FLATTEN_BACKGROUND;
  for (let offset = 0; offset < data.length; offset += 4) {
    const alpha = data[offset + 3] ?? 255;
    if (alpha === 255) continue;
    const keep = 255 - alpha;
    // Integer "over" compositing, rounded: colour × alpha + background × (1 − alpha).
    data[offset] = Math.round(((data[offset] ?? 0) * alpha + red * keep) / 255);
    data[offset + 1] = Math.round(((data[offset + 1] ?? 0) * alpha + green * keep) / 255);
    data[offset + 2] = Math.round(((data[offset + 2] ?? 0) * alpha + blue * keep) / 255);
    data[offset + 3] = 255;
  }
  // colorType 2: truecolour without alpha, so nothing downstream can read transparency into it.
  const flattened: Uint8Array = PNG.sync.write(png, { colorType: 2 });
  return { bytes: flattened, flattenedPixels };
}
