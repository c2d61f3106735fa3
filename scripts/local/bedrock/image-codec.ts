import { createRequire } from 'node:module';

import jpeg from 'jpeg-js';

import { decodePng, encodePng, sniffFormat, type ImageFormat, type RgbaImage } from './png.js';

export interface DecodedImage extends RgbaImage {
  format: ImageFormat;
}

interface WebpDecoder {
  decode(source: Uint8Array): { width: number; height: number; data: Uint8ClampedArray };
}

// @cwasm/webp is CommonJS and compiles its WASM at load time, so load it only when a WebP arrives.
let webpDecoder: WebpDecoder | undefined;
function loadWebpDecoder(): WebpDecoder {
  webpDecoder ??= createRequire(import.meta.url)('@cwasm/webp') as WebpDecoder;
  return webpDecoder;
}

/** Thrown for bytes that are not a decodable PNG, JPEG or WebP. */
export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
}

/**
 * Decodes base64 PNG, JPEG or WebP into RGBA. `allowed` limits the formats a model accepts, so a
 * WebP sent to Nova Canvas fails the way it should.
 */
export function decodeImage(base64: string, allowed: readonly ImageFormat[]): DecodedImage {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
    throw new ImageDecodeError('is not a valid base64 string');
  }
  const bytes = Buffer.from(base64, 'base64');
  const format = sniffFormat(bytes);
  if (!format) throw new ImageDecodeError('is not a PNG, JPEG or WebP image');
  if (!allowed.includes(format)) {
    throw new ImageDecodeError(
      `is a ${format.toUpperCase()} image; supported formats: ${allowed.join(', ')}`,
    );
  }
  try {
    if (format === 'png') return { ...decodePng(bytes), format };
    if (format === 'jpeg') {
      const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
      return { width: decoded.width, height: decoded.height, data: decoded.data, format };
    }
    const decoded = loadWebpDecoder().decode(bytes);
    return {
      width: decoded.width,
      height: decoded.height,
      data: new Uint8Array(decoded.data),
      format,
    };
  } catch (error) {
    throw new ImageDecodeError(`could not be decoded as ${format.toUpperCase()}`, { cause: error });
  }
}

/**
 * Encodes the model's output. JPEG is real JPEG; WebP output is NOT implemented (no small pure-JS
 * encoder) and falls back to PNG bytes, as the README says.
 */
export function encodeImage(image: RgbaImage, format: ImageFormat, withAlpha = false): Buffer {
  if (format === 'jpeg') {
    return jpeg.encode({ width: image.width, height: image.height, data: image.data }, 90).data;
  }
  return encodePng(image, withAlpha);
}
