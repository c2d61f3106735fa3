import { zlibSync } from 'fflate';

/**
 * Minimal PNG encoder for masks: 8-bit greyscale (colour type 0), one IDAT, filter type 0 on every
 * row. Spec: https://www.w3.org/TR/png-3/ (chunk layout §5.3, IHDR §11.2.1, CRC §5.5).
 */

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** CRC-32 (ISO 3309 polynomial 0xEDB88320, reflected) as PNG requires, table built once. */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let index = start; index < end; index++) {
    crc = (CRC_TABLE[(crc ^ (bytes[index] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let index = 0; index < 4; index++) out[4 + index] = type.charCodeAt(index);
  out.set(data, 8);
  // The CRC covers the type and data, not the length.
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/**
 * Encodes a one-byte-per-pixel bitmap (non-zero = painted) as a black-and-white PNG:
 * painted = white (255), everything else = black (0), at exactly width × height.
 */
export function encodeMaskPng(
  pixels: Readonly<Uint8Array>,
  width: number,
  height: number,
): Uint8Array {
  if (pixels.length !== width * height) {
    throw new RangeError(
      `Expected ${width * height} pixels for ${width}×${height}, got ${pixels.length}`,
    );
  }
  const header = new Uint8Array(13);
  const headerView = new DataView(header.buffer);
  headerView.setUint32(0, width);
  headerView.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: greyscale
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method 0
  header[12] = 0; // no interlace

  const stride = width + 1;
  const raw = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    raw[y * stride] = 0; // filter type None: masks are mostly long runs that deflate handles well
    for (let x = 0; x < width; x++) raw[y * stride + 1 + x] = pixels[y * width + x] ? 255 : 0;
  }

  const parts = [
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', zlibSync(raw, { level: 6 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const png = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    png.set(part, offset);
    offset += part.length;
  }
  return png;
}

/** Standard base64 without a `data:` prefix, as POST /edits expects for `mask`. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep String.fromCharCode under engines' argument-count limits.
  const chunkSize = 0x8000;
  for (let index = 0; index < bytes.length; index += chunkSize) {
    binary += String.fromCharCode(...bytes.subarray(index, index + chunkSize));
  }
  return btoa(binary);
}

/** The mask as POST /edits wants it: base64 PNG, white = change, at the image's natural size. */
export function encodeMaskBase64(
  pixels: Readonly<Uint8Array>,
  width: number,
  height: number,
): string {
  return bytesToBase64(encodeMaskPng(pixels, width, height));
}
