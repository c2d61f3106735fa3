import { crc32, deflateSync } from 'node:zlib';

import { PNG } from 'pngjs';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Decoded pixels, always 8-bit RGBA, row-major, no padding. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface ImageSize {
  width: number;
  height: number;
  format: ImageFormat;
}

function toBytes(input: string | Uint8Array): Buffer {
  return typeof input === 'string' ? Buffer.from(input, 'base64') : Buffer.from(input);
}

/** Sniffs the container format from magic bytes; undefined when it is none of the three. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (
    bytes.length >= 8 &&
    bytes[0] === 0x89 &&
    bytes[1] === 0x50 &&
    bytes[2] === 0x4e &&
    bytes[3] === 0x47
  ) {
    return 'png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'jpeg';
  const ascii = (start: number, end: number) =>
    Buffer.from(bytes.subarray(start, end)).toString('latin1');
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return undefined;
}

/** Decodes a PNG (base64 or bytes) into RGBA pixels. Throws on anything that is not a PNG. */
export function decodePng(input: string | Uint8Array): RgbaImage {
  const png = PNG.sync.read(toBytes(input));
  return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
}

function chunk(type: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(payload.length, 0);
  header.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([header.subarray(4), payload])), 0);
  return Buffer.concat([header, payload, crc]);
}

/**
 * Encodes RGBA pixels as an 8-bit PNG: RGB (colour type 2) by default, RGBA (type 6) with
 * `withAlpha`. A small encoder of our own (https://www.w3.org/TR/png/): pngjs's encoder takes
 * ~20 s per megapixel inside jest's VM, while its decoder is fine. Every row uses the Up filter
 * (the first row Sub), which suits the stand-in's smooth pictures.
 */
export function encodePng(image: RgbaImage, withAlpha = false): Buffer {
  const { width, height, data } = image;
  const channels = withAlpha ? 4 : 3;
  const stride = width * channels;
  const current = new Uint8Array(stride);
  const previous = new Uint8Array(stride);
  const filtered = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      for (let channel = 0; channel < channels; channel += 1) {
        current[x * channels + channel] = data[(y * width + x) * 4 + channel] ?? 0;
      }
    }
    const rowStart = y * (stride + 1);
    filtered[rowStart] = y === 0 ? 1 : 2;
    for (let index = 0; index < stride; index += 1) {
      const reference =
        y === 0
          ? index >= channels
            ? (current[index - channels] ?? 0)
            : 0
          : (previous[index] ?? 0);
      filtered[rowStart + 1 + index] = ((current[index] ?? 0) - reference) & 0xff;
    }
    previous.set(current);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = withAlpha ? 6 : 2; // colour type
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(filtered, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function jpegSize(bytes: Buffer): { width: number; height: number } | undefined {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] ?? 0;
    // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    }
    offset += 2 + bytes.readUInt16BE(offset + 2);
  }
  return undefined;
}

// https://developers.google.com/speed/webp/docs/riff_container (VP8 / VP8L / VP8X chunk layouts)
function webpSize(bytes: Buffer): { width: number; height: number } | undefined {
  const chunk = bytes.toString('latin1', 12, 16);
  if (chunk === 'VP8X' && bytes.length >= 30) {
    return { width: 1 + bytes.readUIntLE(24, 3), height: 1 + bytes.readUIntLE(27, 3) };
  }
  if (chunk === 'VP8L' && bytes.length >= 25) {
    const bits = bytes.readUInt32LE(21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
  }
  if (chunk === 'VP8 ' && bytes.length >= 30) {
    return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
  }
  return undefined;
}

/** Reads an image's size and format from its header only (PNG, JPEG or WebP; base64 or bytes). */
export function imageSize(input: string | Uint8Array): ImageSize {
  const bytes = toBytes(input);
  const format = sniffFormat(bytes);
  let size: { width: number; height: number } | undefined;
  if (format === 'png' && bytes.length >= 24) {
    size = { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  } else if (format === 'jpeg') {
    size = jpegSize(bytes);
  } else if (format === 'webp') {
    size = webpSize(bytes);
  }
  if (!format || !size) throw new Error('not a PNG, JPEG or WebP image');
  return { ...size, format };
}
