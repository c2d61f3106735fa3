/**
 * Generated PNG files for the tests that compare the plain PNG reader (png-plain.ts) with pngjs:
 * pngjs's own files in each colour type and filter type, files mixing the filter types row by row,
 * and files with an extra chunk. Not part of the public API.
 */
import { crc32 } from 'node:zlib';

import { PNG } from 'pngjs';

import { seededUint32Generator } from '../seeded-random.js';
import { inflatePngWithinBounds } from './png-bounds.js';
import { writePng } from './png-write.js';

export type ColorType = 0 | 2 | 4 | 6;

const LIMITS = { maxPixels: 4096 * 4096 };

/** A deterministic pseudo-random byte source, so failures replay. */
export function randomBytes(seed: number): () => number {
  const next = seededUint32Generator(seed);
  return () => next() & 0xff;
}

/**
 * RGBA pixels mixing noise (every byte value, so every filter's arithmetic wraps), flat runs,
 * transparent strokes, and rows equal to the row above (rows 4k + 1 and 4k + 2, as most rows of
 * a mask are), so the shortcuts for repeated rows are compared too.
 */
export function pixels(width: number, height: number, seed: number): Buffer {
  const next = randomBytes(seed);
  const data = Buffer.alloc(width * height * 4);
  const rowBytes = width * 4;
  for (let y = 0; y < height; y += 1) {
    if (y % 4 === 1 || y % 4 === 2) {
      data.copy(data, y * rowBytes, (y - 1) * rowBytes, y * rowBytes);
      continue;
    }
    for (let x = 0; x < width; x += 1) {
      const offset = (y * width + x) * 4;
      const region = (x + 2 * y + seed) % 7;
      if (region < 3) {
        for (let channel = 0; channel < 4; channel += 1) data[offset + channel] = next();
      } else if (region < 5) {
        data.fill(255, offset, offset + 4);
      } else if (region === 5) {
        data.set([255, 255, 255, 0], offset);
      } else {
        data.set([0, 0, 0, 255], offset);
      }
    }
  }
  return data;
}

/** pngjs's PNG of `rgba` in `colorType`, every row filtered with `filterType` (-1: pngjs picks). */
export function pngjsWrite(
  width: number,
  height: number,
  rgba: Buffer,
  colorType: ColorType,
  filterType: number,
): Buffer {
  const image = new PNG({ width, height });
  image.data.set(rgba);
  return PNG.sync.write(image, { colorType, inputColorType: 6, filterType });
}

/** The zlib-inflated scanlines of a PNG's IDAT chunks. */
export function scanlinesOf(png: Buffer): Buffer {
  return inflatePngWithinBounds(png, LIMITS).scanlines;
}

/**
 * The same image with each row taken from the pngjs file filtered with a different type, so that
 * every filter follows every other: rows depend only on the unfiltered row above, which all five
 * files share.
 */
export function mixedFilters(
  width: number,
  height: number,
  rgba: Buffer,
  colorType: ColorType,
): Buffer {
  const files = [0, 1, 2, 3, 4].map((filter) =>
    scanlinesOf(pngjsWrite(width, height, rgba, colorType, filter)),
  );
  const stride = files[0]!.length / height;
  const mixed = Buffer.alloc(files[0]!.length);
  for (let y = 0; y < height; y += 1) {
    const source = files[(y * 3 + Math.floor(y / 5)) % 5]!;
    source.copy(mixed, y * stride, y * stride, (y + 1) * stride);
  }
  return writePng({ width, height, bitDepth: 8, colorType }, mixed);
}

/** `png` with a chunk inserted before its first IDAT. */
export function withChunkBeforeIdat(png: Buffer, type: string, data: Buffer, crc?: number): Buffer {
  const idatAt = png.indexOf('IDAT', 8, 'latin1') - 4;
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc ?? crc32(data, crc32(Buffer.from(type, 'latin1'))), 0);
  return Buffer.concat([png.subarray(0, idatAt), head, data, tail, png.subarray(idatAt)]);
}
