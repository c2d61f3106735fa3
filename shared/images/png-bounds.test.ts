import { readFileSync } from 'node:fs';
import { deflateSync, inflateSync } from 'node:zlib';

import { makePng } from '../models/test-fixtures.js';
import {
  interlacedPngBomb,
  maskShortBy,
  maskWithRows,
  rgbaPngWithData,
  rgbaScanlines,
} from './hostile-png-fixtures.js';
import {
  checkPngBounds,
  inflatedPngSize,
  inflatePngWithinBounds,
  PngBoundsError,
} from './png-bounds.js';

const LIMITS = { maxPixels: 4096 * 4096 };
const fixture = (name: string): Buffer =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));

function refusal(bytes: Uint8Array, limits = LIMITS): string {
  try {
    checkPngBounds(bytes, limits);
  } catch (error) {
    if (error instanceof PngBoundsError) return error.message;
    throw error;
  }
  throw new Error('expected the PNG to be refused');
}

/** The zlib stream of a PNG's IDAT chunks. */
function idatOf(png: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    if (png.toString('latin1', offset + 4, offset + 8) === 'IDAT') {
      parts.push(png.subarray(offset + 8, offset + 8 + length));
    }
    offset += 12 + length;
  }
  return Buffer.concat(parts);
}

describe('inflatedPngSize', () => {
  it('counts a filter byte per scanline plus the packed pixels', () => {
    const rgba = { width: 256, height: 256, bitDepth: 8, colorType: 6, interlaced: false };
    expect(inflatedPngSize(rgba)).toBe(256 * (1 + 256 * 4));
    const grey1 = { width: 10, height: 3, bitDepth: 1, colorType: 0, interlaced: false };
    expect(inflatedPngSize(grey1)).toBe(3 * (1 + 2));
  });

  it('sums the seven Adam7 passes of an interlaced image, skipping empty ones', () => {
    // 8×8 RGBA: pass sizes (w×h) 1×1, 1×1, 2×1, 2×2, 4×2, 4×4, 8×4 (PNG spec §8.2).
    const header = { width: 8, height: 8, bitDepth: 8, colorType: 6, interlaced: true };
    expect(inflatedPngSize(header)).toBe(5 + 5 + 9 + 18 + 34 + 68 + 132);
    // 1×1: only the first pass has pixels.
    expect(inflatedPngSize({ ...header, width: 1, height: 1 })).toBe(5);
  });
});

describe('checkPngBounds', () => {
  it.each([
    '13x7-interlaced-rgba.png',
    '13x7-interlaced-palette-alpha.png',
    '13x7-interlaced-grey1.png',
    '13x7-interlaced-rgb16.png',
  ])('accepts %s, written by netpbm', (name) => {
    expect(checkPngBounds(fixture(name), LIMITS)).toMatchObject({
      width: 13,
      height: 7,
      interlaced: true,
    });
  });

  it('accepts the PNGs pngjs writes', () => {
    expect(checkPngBounds(makePng(37, 5), LIMITS)).toMatchObject({ width: 37, interlaced: false });
  });

  it('refuses an interlaced 256×256 PNG whose 2 MB of data inflate to 1.5 GiB', () => {
    const bomb = interlacedPngBomb({ width: 256, height: 256 });
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const before = process.memoryUsage();
    expect(refusal(bomb)).toMatch(/inflates to more than the \d+ bytes a 256×256 interlaced/);
    // It stopped at the promised ~350 KB, so memory barely moved (1.5 GiB would show).
    const grownMb = (process.memoryUsage().arrayBuffers - before.arrayBuffers) / 1024 / 1024;
    expect(grownMb).toBeLessThan(64);
  });

  it('refuses a mask holding one scanline of the 64 its header promises', () => {
    expect(refusal(maskWithRows({ width: 64, height: 64 }, 1))).toBe(
      'the image data inflates to 257 bytes, but a 64×64 image needs 16448',
    );
  });

  it('refuses a mask whose data stops one pixel short', () => {
    expect(refusal(maskShortBy({ width: 64, height: 64 }, 4))).toBe(
      'the image data inflates to 16444 bytes, but a 64×64 image needs 16448',
    );
  });

  it('refuses data longer than the header promises, non-interlaced too', () => {
    expect(refusal(maskWithRows({ width: 64, height: 64 }, 65))).toMatch(/more than the 16448/);
  });

  it('refuses an interlaced file whose stream is one byte short or one byte long', () => {
    const good = fixture('13x7-interlaced-rgba.png');
    const inflated = inflateSync(idatOf(good));
    const header = { width: 13, height: 7, interlaced: true };
    expect(refusal(rgbaPngWithData(header, deflateSync(inflated.subarray(1))))).toMatch(
      /inflates to \d+ bytes, but a 13×7 interlaced image needs/,
    );
    expect(
      refusal(rgbaPngWithData(header, deflateSync(Buffer.concat([inflated, Buffer.from([0])])))),
    ).toMatch(/more than/);
  });

  it('refuses a broken zlib stream, missing data, a bad header and too many pixels', () => {
    const rows = rgbaScanlines(4, 4, () => true);
    const stream = deflateSync(rows);
    expect(refusal(rgbaPngWithData({ width: 4, height: 4 }, stream.subarray(0, 10)))).toBe(
      'the image data is not a complete zlib stream',
    );
    const good = rgbaPngWithData({ width: 4, height: 4 }, stream);
    expect(refusal(good.subarray(0, good.length - 20))).toMatch(/truncated|ends before/);
    const badDepth = Buffer.from(good);
    badDepth[24] = 3; // bit depth 3 is not a PNG bit depth
    expect(refusal(badDepth)).toMatch(/not a valid PNG format/);
    expect(refusal(good, { maxPixels: 15 })).toBe('4×4 is more than the 15 pixels allowed');
    expect(refusal(Buffer.from('not a png at all'))).toBe('not a PNG file');
  });
});

describe('inflatePngWithinBounds', () => {
  it('hands back the inflated scanlines with the header, so decoders need not inflate again', () => {
    const png = Buffer.from(makePng(37, 5));
    const { header, scanlines } = inflatePngWithinBounds(png, LIMITS);
    expect(header).toMatchObject({ width: 37, height: 5, bitDepth: 8, colorType: 6 });
    expect(scanlines.equals(inflateSync(idatOf(png)))).toBe(true);
    expect(scanlines.length).toBe(inflatedPngSize(header));
  });

  it('inflates data split over several IDAT chunks', () => {
    const rows = rgbaScanlines(8, 8, (x, y) => x === y);
    const stream = deflateSync(rows);
    const single = rgbaPngWithData({ width: 8, height: 8 }, stream);
    // Split the one IDAT into two: [length, "IDAT", first half, CRC] + [length, "IDAT", rest, CRC].
    const idatStart = single.indexOf('IDAT', 8, 'latin1') - 4;
    const half = Math.floor(stream.length / 2);
    const chunkOf = (data: Buffer): Buffer =>
      rgbaPngWithData({ width: 8, height: 8 }, data).subarray(
        idatStart,
        idatStart + 12 + data.length,
      );
    const split = Buffer.concat([
      single.subarray(0, idatStart),
      chunkOf(stream.subarray(0, half)),
      chunkOf(stream.subarray(half)),
      single.subarray(idatStart + 12 + stream.length),
    ]);
    expect(inflatePngWithinBounds(split, LIMITS).scanlines.equals(rows)).toBe(true);
  });
});
