import { readFileSync } from 'node:fs';

import { thrownBy, appError, greyRows, makeMask, makePng } from '../models/test-fixtures.js';
import { crc32, deflateSync } from 'node:zlib';

import {
  type ColorType,
  mixedFilters,
  pixels,
  pngjsWrite,
  withChunkBeforeIdat,
} from './generated-png-fixtures.js';
import { interlacedPngBomb, maskWithRows, rgbaPngWithData } from './hostile-png-fixtures.js';
import { toModelMask, type MaskConvention } from './mask.js';
import { inflatePngWithinBounds } from './png-bounds.js';
import { readPlainPng } from './png-plain.js';
import { writePng } from './png-write.js';

const W = 255;
const B = 0;

/**
 * A 4×3 client mask exercising the "painted" rule (alpha ≥ 128 and luminance ≥ 128):
 *   row 0: opaque white, opaque black, white at alpha 0, white at alpha 128
 *   row 1: grey 128, grey 127, white at alpha 127, opaque red (luminance 76)
 *   row 2: opaque yellow (luminance 226), black at alpha 0, opaque white, opaque white
 */
const CLIENT_PIXELS: readonly (readonly [number, number, number, number])[][] = [
  [
    [255, 255, 255, 255],
    [0, 0, 0, 255],
    [255, 255, 255, 0],
    [255, 255, 255, 128],
  ],
  [
    [128, 128, 128, 255],
    [127, 127, 127, 255],
    [255, 255, 255, 127],
    [255, 0, 0, 255],
  ],
  [
    [255, 255, 0, 255],
    [0, 0, 0, 0],
    [255, 255, 255, 255],
    [255, 255, 255, 255],
  ],
];
/** Which of CLIENT_PIXELS count as painted, worked out by hand from the rule above. */
const PAINTED = [
  [true, false, false, true],
  [true, false, false, false],
  [true, false, true, true],
];

const clientMask = makePng(4, 3, (x, y) => CLIENT_PIXELS[y]![x]!);

function expectedRows(painted: boolean[][], editValue: number): number[][] {
  return painted.map((row) => row.map((isPainted) => (isPainted ? editValue : 255 - editValue)));
}

describe('Function: toModelMask', () => {
  it('marks painted pixels white for white-edits models, pixel for pixel', () => {
    const { png, paintedPixels } = toModelMask(clientMask, { width: 4, height: 3 }, 'white-edits');
    expect(greyRows(png)).toEqual(expectedRows(PAINTED, W));
    expect(paintedPixels).toBe(6);
  });

  it('marks painted pixels black for black-edits models', () => {
    const { png } = toModelMask(clientMask, { width: 4, height: 3 }, 'black-edits');
    expect(greyRows(png)).toEqual(expectedRows(PAINTED, B));
  });

  it('writes an 8-bit RGB PNG with no alpha channel', () => {
    const { png } = toModelMask(clientMask, { width: 4, height: 3 }, 'white-edits');
    // IHDR: bit depth at byte 24, colour type at byte 25 (2 = truecolour).
    expect(png[24]).toBe(8);
    expect(png[25]).toBe(2);
  });

  it('treats white strokes on a transparent canvas as painted', () => {
    const strokes = makePng(2, 2, (x, y) => (x === y ? [255, 255, 255, 255] : [0, 0, 0, 0]));
    const { png } = toModelMask(strokes, { width: 2, height: 2 }, 'white-edits');
    expect(greyRows(png)).toEqual([
      [W, B],
      [B, W],
    ]);
  });

  it('resizes nearest-neighbour to the image size when the shapes match', () => {
    // 2×2 mask, top-left and bottom-right painted, onto a 4×4 image.
    const small = makeMask(2, 2, (x, y) => x === y);
    const { png, paintedPixels } = toModelMask(small, { width: 4, height: 4 }, 'white-edits');
    expect(greyRows(png)).toEqual([
      [W, W, B, B],
      [W, W, B, B],
      [B, B, W, W],
      [B, B, W, W],
    ]);
    expect(paintedPixels).toBe(8);
  });

  it('downsizes an 8×6 mask onto a 4×3 image by sampling every other pixel', () => {
    // Painted column x = 2..3 in an 8×6 mask; the 4×3 result samples x = 0, 2, 4, 6.
    const large = makeMask(8, 6, (x) => x === 2 || x === 3);
    const { png } = toModelMask(large, { width: 4, height: 3 }, 'black-edits');
    expect(greyRows(png)).toEqual([
      [W, B, W, W],
      [W, B, W, W],
      [W, B, W, W],
    ]);
  });

  it('accepts shapes within 1% of each other', () => {
    const mask = makeMask(100, 100, (x) => x < 50);
    expect(toModelMask(mask, { width: 101, height: 100 }, 'white-edits').paintedPixels).toBe(
      51 * 100,
    );
  });

  it('rejects a mask whose shape differs from the image, naming both sizes', () => {
    const mask = makeMask(2, 2, (x) => x === 0);
    expect(thrownBy(() => toModelMask(mask, { width: 4, height: 3 }, 'white-edits'))).toEqual(
      appError('INVALID_MASK', '2×2', '4×3'),
    );
    expect(
      thrownBy(() =>
        toModelMask(
          makeMask(100, 100, (x) => x < 5),
          { width: 102, height: 100 },
          'white-edits',
        ),
      ),
    ).toEqual(appError('INVALID_MASK', '100×100', '102×100'));
  });

  it('rejects a mask that marks nothing', () => {
    expect(
      thrownBy(() =>
        toModelMask(
          makeMask(4, 3, () => false),
          { width: 4, height: 3 },
          'white-edits',
        ),
      ),
    ).toEqual(appError('INVALID_MASK', 'marks nothing'));
  });

  it('rejects a mask that marks everything', () => {
    expect(
      thrownBy(() =>
        toModelMask(
          makeMask(4, 3, () => true),
          { width: 4, height: 3 },
          'black-edits',
        ),
      ),
    ).toEqual(appError('INVALID_MASK', 'whole image'));
  });

  it('rejects masks that are not PNG, or are truncated', () => {
    const jpeg = new Uint8Array(
      readFileSync(new URL('./__fixtures__/5x3-baseline.jpg', import.meta.url)),
    );
    expect(thrownBy(() => toModelMask(jpeg, { width: 5, height: 3 }, 'white-edits'))).toEqual(
      appError('INVALID_MASK', 'must be a PNG'),
    );
    const truncated = clientMask.subarray(0, clientMask.length - 20);
    expect(thrownBy(() => toModelMask(truncated, { width: 4, height: 3 }, 'white-edits'))).toEqual(
      appError('INVALID_MASK', 'could not be decoded'),
    );
  });

  it('refuses a mask whose data inflates to far more than its header promises', () => {
    const bomb = interlacedPngBomb({ width: 256, height: 256 });
    expect(thrownBy(() => toModelMask(bomb, { width: 256, height: 256 }, 'white-edits'))).toEqual(
      appError('INVALID_MASK', 'inflates to more than'),
    );
  });

  it('refuses a mask with fewer rows of data than its header promises, instead of blank rows', () => {
    const oneRow = maskWithRows({ width: 64, height: 64 }, 1);
    expect(thrownBy(() => toModelMask(oneRow, { width: 64, height: 64 }, 'white-edits'))).toEqual(
      appError('INVALID_MASK', 'inflates to 257 bytes'),
    );
  });

  it('reads a 16-bit mask (through pngjs) as the same mask in 8 bits', () => {
    // Each 8-bit sample v as the 16-bit v × 257, which pngjs scales back to exactly v.
    const rows = Buffer.alloc(3 * (1 + 4 * 8));
    CLIENT_PIXELS.forEach((row, y) =>
      row
        .flat()
        .forEach((sample, index) => rows.writeUInt16BE(sample * 257, y * 33 + 1 + index * 2)),
    );
    const sixteen = writePng({ width: 4, height: 3, bitDepth: 16, colorType: 6 }, rows);
    expect(toModelMask(sixteen, { width: 4, height: 3 }, 'white-edits')).toEqual(
      toModelMask(clientMask, { width: 4, height: 3 }, 'white-edits'),
    );
  });

  it('refuses, as pngjs did, a mask with a bad IDAT CRC, bytes after IEND or an unknown filter', () => {
    const badCrc = Buffer.from(clientMask);
    const iend = badCrc.lastIndexOf('IEND', undefined, 'latin1') - 4;
    badCrc[iend - 1]! ^= 1; // the last byte of IDAT's CRC
    const trailing = Buffer.concat([clientMask, Buffer.from('junk')]);
    const rows = Buffer.alloc(3 * (1 + 4 * 4), 255);
    rows[0] = 7; // not a filter type
    const badFilter = rgbaPngWithData({ width: 4, height: 3 }, deflateSync(rows));
    for (const mask of [badCrc, trailing, badFilter]) {
      expect(thrownBy(() => toModelMask(mask, { width: 4, height: 3 }, 'white-edits'))).toEqual(
        appError('INVALID_MASK', 'could not be decoded'),
      );
    }
  });
});

/**
 * The same file read by the fast path and by pngjs: a tRNS chunk sends a file to pngjs (it may
 * make a colour transparent), and the one added here changes no pixel — pngjs ignores it for
 * colour types 4 and 6, and its 16-bit value 256 matches no 8-bit grey or RGB sample.
 */
function throughPngjs(png: Buffer, colorType: ColorType): Buffer {
  const neverMatches = colorType === 0 ? [1, 0] : [1, 0, 1, 0, 1, 0];
  const sent = withChunkBeforeIdat(png, 'tRNS', Buffer.from(neverMatches));
  // Guard: this file really takes the pngjs path, and the original really does not.
  const limits = { maxPixels: 1 << 24 };
  expect(readPlainPng(sent, inflatePngWithinBounds(sent, limits))).toBeUndefined();
  expect(readPlainPng(png, inflatePngWithinBounds(png, limits))).toBeDefined();
  return sent;
}

/** toModelMask's answer or its error message, for comparing outcomes. */
function outcome(
  mask: Uint8Array,
  target: { width: number; height: number },
  convention: MaskConvention,
): unknown {
  try {
    const { png, paintedPixels } = toModelMask(mask, target, convention);
    return { png: Buffer.from(png).toString('base64'), paintedPixels, crc: crc32(png) };
  } catch (error) {
    return { error: String(error) };
  }
}

describe('toModelMask: the fast PNG path and pngjs agree on every mask', () => {
  const sizes = [
    [1, 2],
    [5, 3],
    [16, 9],
    [33, 17],
    [100, 100],
  ] as const;
  const cases = ([0, 2, 4, 6] as const).flatMap((colorType) =>
    sizes.map(([width, height], index) => ({ colorType, width, height, seed: 7 * index + 1 })),
  );

  it.each(cases)(
    'colour type $colorType, $width×$height, every filter, same size and resized',
    ({ colorType, width, height, seed }) => {
      const rgba = pixels(width, height, seed + colorType);
      const files = [0, 1, 2, 3, 4, -1].map((filter) =>
        pngjsWrite(width, height, rgba, colorType, filter),
      );
      files.push(mixedFilters(width, height, rgba, colorType));
      const targets = [
        { width, height },
        { width: width * 3, height: height * 3 },
        { width: Math.max(1, Math.round(width / 2)), height: Math.max(1, Math.round(height / 2)) },
        { width: width + 1, height },
      ];
      for (const png of files) {
        const viaPngjs = throughPngjs(png, colorType);
        for (const target of targets) {
          for (const convention of ['white-edits', 'black-edits'] as const) {
            expect(outcome(png, target, convention)).toEqual(outcome(viaPngjs, target, convention));
          }
        }
      }
    },
  );

  it('compared real masks, not only errors', () => {
    // Guard for the comparison above: most generated masks mark some pixels and not others.
    const png = pngjsWrite(33, 17, pixels(33, 17, 3), 6, -1);
    expect(
      toModelMask(png, { width: 33, height: 17 }, 'white-edits').paintedPixels,
    ).toBeGreaterThan(0);
  });

  it('agrees on transparent strokes: white at alpha 0, 127 and 128 over black', () => {
    const width = 64;
    const rgba = Buffer.alloc(width * width * 4);
    for (let index = 0; index < width * width; index += 1) {
      const x = index % width;
      const alpha = x < 16 ? 0 : x < 32 ? 127 : x < 48 ? 128 : 255;
      rgba.set(x % 3 === 0 ? [255, 255, 255, alpha] : [0, 0, 0, 255], index * 4);
    }
    for (const colorType of [4, 6] as const) {
      const png = pngjsWrite(width, width, rgba, colorType, -1);
      const target = { width, height: width };
      expect(outcome(png, target, 'white-edits')).toEqual(
        outcome(throughPngjs(png, colorType), target, 'white-edits'),
      );
    }
  });
});
