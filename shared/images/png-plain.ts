/**
 * A fast reader for the PNGs that clients actually send as masks — 8-bit, not interlaced, grey or
 * truecolour with or without alpha (the SPA writes 8-bit grey, browsers' canvases and most tools
 * 8-bit RGBA) — that reverses the row filters of already inflated scanlines in place. pngjs does
 * the same work through per-pixel callbacks and a 4-byte RGBA copy, ≈ 25–40 ms for a 1024² mask.
 *
 * It only reads a file when pngjs would read that file without error into the same pixels; for
 * anything else (other formats, a bad CRC, a tRNS chunk, an unknown critical chunk, bytes after
 * IEND, an unknown filter type) it answers `undefined` and the caller asks pngjs, so errors and
 * edge cases stay exactly pngjs's.
 */
import { crc32 } from 'node:zlib';

import type { BoundedPng } from './png-bounds.js';

export interface PlainPng {
  width: number;
  height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA; one byte per sample. */
  channels: 1 | 2 | 3 | 4;
  /** Bytes per row in `rows`: a filter-type byte, then width × channels samples. */
  stride: number;
  /** The unfiltered rows: row y's samples start at y × stride + 1. */
  rows: Buffer;
}

/** Samples per pixel of the colour types read here (PNG spec §11.2.2); 3 (palette) is not. */
const CHANNELS: Partial<Record<number, PlainPng['channels']>> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/**
 * The chunks pngjs parses itself, checking their CRC (pngjs lib/parser.js); it skips other
 * ancillary chunks unchecked. tRNS, the sixth it parses, sends the file to pngjs.
 */
const CHUNKS_PNGJS_CHECKS = new Set(['IHDR', 'IDAT', 'IEND', 'PLTE', 'gAMA']);

/**
 * The unfiltered rows of `png` (whose `scanlines` are reversed in place, so the caller must not use
 * them afterwards), or `undefined` when pngjs must decode the file.
 */
export function readPlainPng(bytes: Uint8Array, png: BoundedPng): PlainPng | undefined {
  const { header, scanlines } = png;
  const channels = CHANNELS[header.colorType];
  if (channels === undefined || header.bitDepth !== 8 || header.interlaced) return undefined;
  if (!pngjsReadsChunksAsIs(bytes)) return undefined;
  const stride = 1 + header.width * channels;
  if (!unfilterRows(scanlines, stride, channels, header.height)) return undefined;
  return { width: header.width, height: header.height, channels, stride, rows: scanlines };
}

/**
 * True when pngjs would accept every chunk and none of them changes the pixels: the chunks it
 * checks have correct CRCs, gAMA holds its 4 bytes, no tRNS (a transparent colour), no other
 * critical chunk (pngjs refuses those), and nothing after IEND (pngjs refuses that too). The
 * structure itself (IHDR first, chunk lengths, IEND present) was checked by checkPngBounds.
 */
function pngjsReadsChunksAsIs(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(
      bytes[offset + 4] ?? 0,
      bytes[offset + 5] ?? 0,
      bytes[offset + 6] ?? 0,
      bytes[offset + 7] ?? 0,
    );
    const end = offset + 8 + length;
    if (end + 4 > bytes.length) return false;
    if (CHUNKS_PNGJS_CHECKS.has(type)) {
      // The CRC covers the chunk type and data (PNG spec §5.3).
      if (crc32(bytes.subarray(offset + 4, end)) !== view.getUint32(end)) return false;
      if (type === 'gAMA' && length < 4) return false;
    } else {
      // Bit 5 of the first type byte clear = critical (§5.4); tRNS makes a colour transparent.
      const ancillary = ((bytes[offset + 4] ?? 0) & 0x20) !== 0;
      if (!ancillary || type === 'tRNS') return false;
    }
    offset = end + 4;
    if (type === 'IEND') return offset === bytes.length;
  }
  return false;
}

/**
 * Reverses each row's filter (PNG spec §9: None, Sub, Up, Average, Paeth) in place, byte for
 * byte as pngjs's filter-parse.js does. False on an unknown filter type.
 */
function unfilterRows(
  data: Buffer,
  stride: number,
  bytesPerPixel: number,
  height: number,
): boolean {
  const zeros = Buffer.alloc(stride - 1);
  for (let y = 0; y < height; y += 1) {
    const start = y * stride + 1;
    const end = start + stride - 1;
    // The row above, or none for the first row (its bytes then count as 0).
    const up = y === 0 ? -1 : start - stride;
    const filter = data[start - 1];
    if (filter === 0) continue;
    if (filter === 1) {
      for (let i = start + bytesPerPixel; i < end; i += 1) {
        data[i] = (data[i] as number) + (data[i - bytesPerPixel] as number);
      }
    } else if (filter === 2) {
      if (up < 0) continue;
      // An Up row of zeros repeats the row above (most rows of a mask): copy it in C++.
      if (data.compare(zeros, 0, stride - 1, start, end) === 0) {
        data.copyWithin(start, up, up + stride - 1);
        continue;
      }
      for (let i = start, j = up; i < end; i += 1, j += 1) {
        data[i] = (data[i] as number) + (data[j] as number);
      }
    } else if (filter === 3) {
      if (up < 0) {
        for (let i = start + bytesPerPixel; i < end; i += 1) {
          data[i] = (data[i] as number) + ((data[i - bytesPerPixel] as number) >> 1);
        }
        continue;
      }
      for (let i = start, j = up; i < start + bytesPerPixel; i += 1, j += 1) {
        data[i] = (data[i] as number) + ((data[j] as number) >> 1);
      }
      for (let i = start + bytesPerPixel, j = up + bytesPerPixel; i < end; i += 1, j += 1) {
        data[i] =
          (data[i] as number) + (((data[i - bytesPerPixel] as number) + (data[j] as number)) >> 1);
      }
    } else if (filter === 4) {
      if (up < 0) {
        // With no row above, Paeth picks the left byte: the same as Sub.
        for (let i = start + bytesPerPixel; i < end; i += 1) {
          data[i] = (data[i] as number) + (data[i - bytesPerPixel] as number);
        }
        continue;
      }
      for (let i = start, j = up; i < start + bytesPerPixel; i += 1, j += 1) {
        // With no pixel to the left, Paeth picks the byte above: the same as Up.
        data[i] = (data[i] as number) + (data[j] as number);
      }
      for (let i = start + bytesPerPixel, j = up + bytesPerPixel; i < end; i += 1, j += 1) {
        data[i] =
          (data[i] as number) +
          paeth(
            data[i - bytesPerPixel] as number,
            data[j] as number,
            data[j - bytesPerPixel] as number,
          );
      }
    } else {
      return false;
    }
  }
  return true;
}

/** The Paeth predictor (PNG spec §9.4), ties broken left, then above, then upper-left. */
function paeth(left: number, above: number, upperLeft: number): number {
  const estimate = left + above - upperLeft;
  const toLeft = Math.abs(estimate - left);
  const toAbove = Math.abs(estimate - above);
  const toUpperLeft = Math.abs(estimate - upperLeft);
  if (toLeft <= toAbove && toLeft <= toUpperLeft) return left;
  if (toAbove <= toUpperLeft) return above;
  return upperLeft;
}
