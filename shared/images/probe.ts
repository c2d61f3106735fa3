/**
 * Reads an image's type and pixel size from its header bytes, without decoding it, so requests
 * can be checked against a model's limits before anything is sent. PNG, JPEG and WebP only: the
 * formats every Bedrock image model accepts some subset of.
 */
import { AppError } from '../errors.js';
import type { ImageMimeType } from '../models/types.js';

export interface ProbedImage {
  mimeType: ImageMimeType;
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The type named by the magic bytes, or undefined; it does not check that the rest is sound. */
export function detectImageMimeType(bytes: Uint8Array): ImageMimeType | undefined {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'image/jpeg';
  }
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'image/webp';
  return undefined;
}

/**
 * The type, width and height of a PNG, JPEG or WebP image.
 * Throws AppError INVALID_IMAGE for any other format, or for truncated or malformed headers.
 *
 * @example
 * const { mimeType, width, height } = probeImage(uploadedBytes); // { 'image/png', 1024, 768 }
 */
export function probeImage(bytes: Uint8Array): ProbedImage {
  const mimeType = detectImageMimeType(bytes);
  let size: { width: number; height: number };
  switch (mimeType) {
    case 'image/png':
      size = probePng(bytes);
      break;
    case 'image/jpeg':
      size = probeJpeg(bytes);
      break;
    case 'image/webp':
      size = probeWebp(bytes);
      break;
    default:
      throw invalid('The image is not a PNG, JPEG or WebP file.');
  }
  if (size.width < 1 || size.height < 1) throw invalid('The image header says it has no pixels.');
  return { mimeType: mimeType, ...size };
}

/** PNG: the first chunk must be IHDR, holding big-endian width and height (PNG spec §11.2.2). */
function probePng(bytes: Uint8Array): { width: number; height: number } {
  requireLength(bytes, 24, 'PNG');
  if (ascii(bytes, 12, 4) !== 'IHDR')
    throw invalid('The PNG file does not start with an IHDR chunk.');
  return { width: readUint32BE(bytes, 16), height: readUint32BE(bytes, 20) };
}

/** Start-of-frame markers whose frames Bedrock's decoders take: baseline, extended, progressive. */
const SUPPORTED_SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2]);
/** Every other SOFn (lossless, hierarchical, arithmetic-coded): valid JPEG, but rarely decodable. */
const OTHER_SOF_MARKERS = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
/** Markers that stand alone, without a length field (TEM, RSTn, SOI). */
const STANDALONE_MARKERS = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8]);
const START_OF_SCAN = 0xda;
const END_OF_IMAGE = 0xd9;

/** JPEG: walk the marker segments up to the first SOF, whose body holds height then width. */
function probeJpeg(bytes: Uint8Array): { width: number; height: number } {
  let offset = 2;
  for (;;) {
    requireLength(bytes, offset + 2, 'JPEG');
    if (bytes[offset] !== 0xff) throw invalid('The JPEG file has a malformed marker.');
    // Any number of 0xFF fill bytes may precede a marker code (ITU T.81 §B.1.1.2).
    while (bytes[offset + 1] === 0xff) {
      offset += 1;
      requireLength(bytes, offset + 2, 'JPEG');
    }
    const marker = bytes[offset + 1] as number;
    if (STANDALONE_MARKERS.has(marker)) {
      offset += 2;
      continue;
    }
    if (marker === START_OF_SCAN || marker === END_OF_IMAGE) {
      throw invalid('The JPEG file has no frame header before its image data.');
    }
    requireLength(bytes, offset + 4, 'JPEG');
    const segmentLength = readUint16BE(bytes, offset + 2);
    if (segmentLength < 2) throw invalid('The JPEG file has a malformed segment length.');
    if (SUPPORTED_SOF_MARKERS.has(marker)) {
      // Segment: length(2) precision(1) height(2) width(2) …
      requireLength(bytes, offset + 9, 'JPEG');
      return { height: readUint16BE(bytes, offset + 5), width: readUint16BE(bytes, offset + 7) };
    }
    if (OTHER_SOF_MARKERS.has(marker)) {
      throw invalid(
        'The JPEG uses a lossless, hierarchical or arithmetic-coded frame; re-save it as a standard (baseline or progressive) JPEG.',
      );
    }
    offset += 2 + segmentLength;
  }
}

/**
 * WebP: the first chunk after "RIFF....WEBP" is VP8 (lossy), VP8L (lossless) or VP8X (extended).
 * Layouts from https://developers.google.com/speed/webp/docs/riff_container.
 */
function probeWebp(bytes: Uint8Array): { width: number; height: number } {
  requireLength(bytes, 16, 'WebP');
  const chunk = ascii(bytes, 12, 4);
  const data = 20;
  switch (chunk) {
    case 'VP8 ': {
      // 3-byte frame tag, start code 9D 01 2A, then 14-bit little-endian width and height.
      requireLength(bytes, data + 10, 'WebP');
      if (bytes[data + 3] !== 0x9d || bytes[data + 4] !== 0x01 || bytes[data + 5] !== 0x2a) {
        throw invalid('The WebP (VP8) frame has no start code.');
      }
      return {
        width: readUint16LE(bytes, data + 6) & 0x3fff,
        height: readUint16LE(bytes, data + 8) & 0x3fff,
      };
    }
    case 'VP8L': {
      // Signature 0x2F, then width-1 and height-1 as two 14-bit fields, little-endian bits.
      requireLength(bytes, data + 5, 'WebP');
      if (bytes[data] !== 0x2f) throw invalid('The WebP (VP8L) stream has no signature byte.');
      const bits = readUint32LE(bytes, data + 1);
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    case 'VP8X': {
      // Flags(1) reserved(3), then canvas width-1 and height-1 as 24-bit little-endian numbers.
      requireLength(bytes, data + 10, 'WebP');
      return {
        width: readUint24LE(bytes, data + 4) + 1,
        height: readUint24LE(bytes, data + 7) + 1,
      };
    }
    default:
      throw invalid(
        `The WebP file has an unknown first chunk "${chunk.replace(/[^\x20-\x7e]/g, '?')}".`,
      );
  }
}

function invalid(message: string): AppError {
  return new AppError('INVALID_IMAGE', message);
}

function requireLength(bytes: Uint8Array, length: number, format: string): void {
  if (bytes.length < length) throw invalid(`The ${format} file is truncated.`);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((value, index) => bytes[index] === value);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (bytes.length < offset + length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function byteAt(bytes: Uint8Array, offset: number): number {
  return bytes[offset] ?? 0;
}

function readUint16BE(bytes: Uint8Array, offset: number): number {
  return (byteAt(bytes, offset) << 8) | byteAt(bytes, offset + 1);
}

function readUint32BE(bytes: Uint8Array, offset: number): number {
  return readUint16BE(bytes, offset) * 0x10000 + readUint16BE(bytes, offset + 2);
}

function readUint16LE(bytes: Uint8Array, offset: number): number {
  return byteAt(bytes, offset) | (byteAt(bytes, offset + 1) << 8);
}

function readUint24LE(bytes: Uint8Array, offset: number): number {
  return readUint16LE(bytes, offset) | (byteAt(bytes, offset + 2) << 16);
}

function readUint32LE(bytes: Uint8Array, offset: number): number {
  return (readUint24LE(bytes, offset) | (byteAt(bytes, offset + 3) << 24)) >>> 0;
}
