import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

import { PNG } from 'pngjs';

import {
  type ColorType,
  mixedFilters,
  pixels,
  pngjsWrite,
  scanlinesOf,
  withChunkBeforeIdat,
} from './generated-png-fixtures.js';
import { rgbaPngWithData, rgbaScanlines } from './hostile-png-fixtures.js';
import { inflatePngWithinBounds } from './png-bounds.js';
import { type PlainPng, readPlainPng } from './png-plain.js';

const LIMITS = { maxPixels: 4096 * 4096 };

/** What pngjs decodes: 8-bit RGBA, as toModelMask used to read every mask. */
function pngjsRgba(png: Buffer): Buffer {
  return PNG.sync.read(png).data;
}

/** The plain reader's rows widened to RGBA the way pngjs widens each colour type. */
function widened(plain: PlainPng): Buffer {
  const rgba = Buffer.alloc(plain.width * plain.height * 4);
  for (let y = 0; y < plain.height; y += 1) {
    for (let x = 0; x < plain.width; x += 1) {
      const sample = y * plain.stride + 1 + x * plain.channels;
      const at = (index: number): number => plain.rows[sample + index] ?? -1;
      const pixel =
        plain.channels === 1
          ? [at(0), at(0), at(0), 255]
          : plain.channels === 2
            ? [at(0), at(0), at(0), at(1)]
            : plain.channels === 3
              ? [at(0), at(1), at(2), 255]
              : [at(0), at(1), at(2), at(3)];
      rgba.set(pixel, (y * plain.width + x) * 4);
    }
  }
  return rgba;
}

function readPlain(png: Buffer): PlainPng | undefined {
  return readPlainPng(png, inflatePngWithinBounds(png, LIMITS));
}

const SIZES = [
  [1, 1],
  [1, 6],
  [6, 1],
  [3, 2],
  [7, 5],
  [13, 11],
  [31, 17],
] as const;
const COLOR_TYPES: ColorType[] = [0, 2, 4, 6];

describe('readPlainPng', () => {
  const cases = COLOR_TYPES.flatMap((colorType) =>
    SIZES.map(([width, height], index) => ({ colorType, width, height, seed: index + 1 })),
  );

  it.each(cases)(
    'reads colour type $colorType at $width×$height exactly as pngjs does, with every filter type',
    ({ colorType, width, height, seed }) => {
      const rgba = pixels(width, height, seed * 31 + colorType);
      const files = [0, 1, 2, 3, 4, -1].map((filter) =>
        pngjsWrite(width, height, rgba, colorType, filter),
      );
      files.push(mixedFilters(width, height, rgba, colorType));
      for (const png of files) {
        const plain = readPlain(png);
        expect(plain).toBeDefined();
        expect(widened(plain!).equals(pngjsRgba(png))).toBe(true);
      }
    },
  );

  it('saw every filter type in the mixed files it compared', () => {
    // Guards the comparison above: the spliced files must really hold each filter type.
    const rgba = pixels(31, 17, 5);
    const scanlines = scanlinesOf(mixedFilters(31, 17, rgba, 6));
    const filters = new Set<number>();
    for (let y = 0; y < 17; y += 1) filters.add(scanlines[y * (1 + 31 * 4)]!);
    expect([...filters].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('reads a 321×240 RGBA brush mask from pngjs as pngjs does', () => {
    const [width, height] = [321, 240];
    const rgba = Buffer.alloc(width * height * 4);
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        if (Math.hypot(x - 100, y - 140) < 90 || Math.abs(x - y) < 6) {
          rgba.fill(255, (y * width + x) * 4, (y * width + x + 1) * 4);
        }
      }
    }
    const png = pngjsWrite(width, height, rgba, 6, -1);
    expect(widened(readPlain(png)!).equals(pngjsRgba(png))).toBe(true);
  });

  it('reads ancillary chunks past, as pngjs does (even with a bad CRC, which pngjs skips)', () => {
    const png = pngjsWrite(3, 2, pixels(3, 2, 9), 6, -1);
    const gamma = Buffer.alloc(4);
    gamma.writeUInt32BE(45455, 0);
    const annotated = withChunkBeforeIdat(
      withChunkBeforeIdat(png, 'gAMA', gamma),
      'tEXt',
      Buffer.from('Comment\0hi', 'latin1'),
      0xdeadbeef,
    );
    expect(widened(readPlain(annotated)!).equals(pngjsRgba(annotated))).toBe(true);
  });

  describe('leaves to pngjs', () => {
    const png = pngjsWrite(4, 3, pixels(4, 3, 3), 6, -1);
    const fixture = (name: string): Buffer =>
      readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));

    it.each([
      '13x7-interlaced-rgba.png',
      '13x7-interlaced-palette-alpha.png',
      '13x7-interlaced-grey1.png',
      '13x7-interlaced-rgb16.png',
    ])('%s (interlaced, palette, 1- or 16-bit)', (name) => {
      expect(readPlain(fixture(name))).toBeUndefined();
    });

    it('16-bit images', () => {
      const image = new PNG({ width: 4, height: 3 });
      image.data.set(pixels(4, 3, 3));
      const sixteen = PNG.sync.write(image, { bitDepth: 16 });
      expect(readPlain(sixteen)).toBeUndefined();
    });

    it('a transparent colour (tRNS), which changes the pixels', () => {
      const rgb = pngjsWrite(4, 3, pixels(4, 3, 3), 2, -1);
      expect(readPlain(withChunkBeforeIdat(rgb, 'tRNS', Buffer.from([0, 0, 0, 0, 0, 0])))).toBe(
        undefined,
      );
    });

    it('a bad CRC on a chunk pngjs checks, an unknown critical chunk, or a short gAMA', () => {
      expect(readPlain(withChunkBeforeIdat(png, 'gAMA', Buffer.alloc(4), 1))).toBeUndefined();
      expect(readPlain(withChunkBeforeIdat(png, 'gAMA', Buffer.alloc(2)))).toBeUndefined();
      expect(readPlain(withChunkBeforeIdat(png, 'ABCD', Buffer.alloc(3)))).toBeUndefined();
      const badIdatCrc = Buffer.from(png);
      const iend = badIdatCrc.lastIndexOf('IEND', undefined, 'latin1') - 4;
      badIdatCrc[iend - 1]! ^= 1; // the last byte of IDAT's CRC
      expect(readPlain(badIdatCrc)).toBeUndefined();
    });

    it('bytes after IEND', () => {
      expect(readPlain(Buffer.concat([png, Buffer.from([0])]))).toBeUndefined();
    });

    it('an unknown filter type', () => {
      const rows = rgbaScanlines(4, 3, (x) => x < 2);
      rows[1 + 4 * 4] = 5; // the second row's filter byte
      expect(readPlain(rgbaPngWithData({ width: 4, height: 3 }, deflateSync(rows)))).toBe(
        undefined,
      );
    });
  });

  it('reverses the filters in the scanlines it was handed, not in a copy', () => {
    const png = pngjsWrite(7, 5, pixels(7, 5, 4), 6, 4);
    const bounded = inflatePngWithinBounds(png, LIMITS);
    expect(readPlainPng(png, bounded)?.rows).toBe(bounded.scanlines);
  });
});
