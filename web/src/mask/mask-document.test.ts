import { displayRadiusToImage, displayToImage } from './coordinates.js';
import { MaskDocument } from './mask-document.js';
import { encodeMaskBase64 } from './png-encoder.js';
import { decodeMask, distanceToSegment } from './test-helpers.js';
import type { DecodedMask } from './test-helpers.js';

function exportMask(mask: MaskDocument): DecodedMask {
  return decodeMask(encodeMaskBase64(mask.pixels, mask.width, mask.height));
}

/** Pixels of the exported PNG that differ from an expectation written from geometry alone. */
function mismatchedPixels(
  decoded: DecodedMask,
  expected: (x: number, y: number) => boolean,
): string[] {
  const mismatches: string[] = [];
  for (let y = 0; y < decoded.height; y++) {
    for (let x = 0; x < decoded.width; x++) {
      if (decoded.isWhite(x, y) !== expected(x, y)) mismatches.push(`${x},${y}`);
    }
  }
  return mismatches.slice(0, 10);
}

function countWhite(decoded: DecodedMask): number {
  let count = 0;
  for (let y = 0; y < decoded.height; y++) {
    for (let x = 0; x < decoded.width; x++) if (decoded.isWhite(x, y)) count++;
  }
  return count;
}

const A = { x: 8, y: 10 };
const B = { x: 50, y: 22 };
const C = { x: 30, y: 5 };
const D = { x: 30, y: 35 };

describe('MaskDocument export', () => {
  it('exports a PNG at the image size with exactly the stroked pixels white', () => {
    const mask = new MaskDocument(61, 40);
    mask.addStroke({ points: [A, B], radius: 4.5, erase: false });

    const decoded = exportMask(mask);

    expect([decoded.width, decoded.height]).toEqual([61, 40]);
    expect(decoded.isWhite(29, 16)).toBe(true);
    expect(decoded.isWhite(0, 39)).toBe(false);
    expect(mismatchedPixels(decoded, (x, y) => distanceToSegment(x, y, A, B) <= 4.5)).toEqual([]);
  });

  it('paints a single click as a filled disc', () => {
    const mask = new MaskDocument(20, 20);
    mask.addStroke({ points: [{ x: 10, y: 10 }], radius: 3, erase: false });

    const decoded = exportMask(mask);

    expect(
      mismatchedPixels(decoded, (x, y) => Math.hypot(x + 0.5 - 10, y + 0.5 - 10) <= 3),
    ).toEqual([]);
    expect(countWhite(decoded)).toBeGreaterThan(20);
  });

  it('clips strokes that run off the image instead of wrapping or throwing', () => {
    const mask = new MaskDocument(16, 12);
    const start = { x: -20, y: 6 };
    const end = { x: 40, y: 6 };
    mask.addStroke({ points: [start, end], radius: 2, erase: false });

    expect(
      mismatchedPixels(exportMask(mask), (x, y) => distanceToSegment(x, y, start, end) <= 2),
    ).toEqual([]);
  });

  it('removes paint where the eraser passes and keeps the rest', () => {
    const mask = new MaskDocument(60, 40);
    mask.addStroke({ points: [A, B], radius: 6, erase: false });
    mask.addStroke({ points: [C, D], radius: 3, erase: true });

    expect(
      mismatchedPixels(
        exportMask(mask),
        (x, y) => distanceToSegment(x, y, A, B) <= 6 && distanceToSegment(x, y, C, D) > 3,
      ),
    ).toEqual([]);
  });

  it('undoes and redoes strokes, and a new stroke drops the redo stack', () => {
    const mask = new MaskDocument(60, 40);
    mask.addStroke({ points: [A, B], radius: 3, erase: false });
    mask.addStroke({ points: [C, D], radius: 3, erase: false });
    const onlyFirst = (x: number, y: number) => distanceToSegment(x, y, A, B) <= 3;
    const both = (x: number, y: number) => onlyFirst(x, y) || distanceToSegment(x, y, C, D) <= 3;

    expect(mask.undo()).toBe(true);
    expect(mismatchedPixels(exportMask(mask), onlyFirst)).toEqual([]);
    expect(mask.canRedo).toBe(true);

    expect(mask.redo()).toBe(true);
    expect(mismatchedPixels(exportMask(mask), both)).toEqual([]);

    mask.undo();
    mask.addStroke({ points: [{ x: 5, y: 35 }], radius: 2, erase: false });
    expect(mask.canRedo).toBe(false);
    expect(mask.redo()).toBe(false);
  });

  it('undoes an eraser stroke, bringing the paint back', () => {
    const mask = new MaskDocument(60, 40);
    mask.addStroke({ points: [A, B], radius: 6, erase: false });
    mask.addStroke({ points: [C, D], radius: 3, erase: true });

    mask.undo();

    expect(
      mismatchedPixels(exportMask(mask), (x, y) => distanceToSegment(x, y, A, B) <= 6),
    ).toEqual([]);
  });

  it('inverts the mask, and undo restores it', () => {
    const mask = new MaskDocument(60, 40);
    mask.addStroke({ points: [A, B], radius: 5, erase: false });
    const painted = (x: number, y: number) => distanceToSegment(x, y, A, B) <= 5;

    mask.invert();
    expect(mismatchedPixels(exportMask(mask), (x, y) => !painted(x, y))).toEqual([]);

    mask.undo();
    expect(mismatchedPixels(exportMask(mask), painted)).toEqual([]);
  });

  it('clears everything, undo brings strokes back, and strokes after an undone clear replay', () => {
    const mask = new MaskDocument(60, 40);
    mask.addStroke({ points: [A, B], radius: 5, erase: false });
    mask.clear();
    expect(mask.isEmpty()).toBe(true);

    mask.undo();
    expect(
      mismatchedPixels(exportMask(mask), (x, y) => distanceToSegment(x, y, A, B) <= 5),
    ).toEqual([]);

    mask.invert();
    mask.addStroke({ points: [C, D], radius: 2, erase: true });
    mask.undo();
    mask.undo();
    expect(
      mismatchedPixels(exportMask(mask), (x, y) => distanceToSegment(x, y, A, B) <= 5),
    ).toEqual([]);
  });

  it('commits a stroke still being drawn before undoing it', () => {
    const mask = new MaskDocument(30, 30);
    mask.beginStroke({ x: 15, y: 15 }, 4, false);
    mask.extendStroke({ x: 20, y: 15 });
    expect(mask.isEmpty()).toBe(false);

    mask.undo();

    expect(mask.isEmpty()).toBe(true);
    expect(mask.isDrawing).toBe(false);
  });
});

describe('display to image scaling', () => {
  it('paints at the natural size when the image is shown at half size', () => {
    const imageSize = { width: 240, height: 160 };
    const displaySize = { width: 120, height: 80 };
    const mask = new MaskDocument(imageSize.width, imageSize.height);
    const start = displayToImage({ x: 20, y: 40 }, displaySize, imageSize);
    const end = displayToImage({ x: 100, y: 40 }, displaySize, imageSize);
    const radius = displayRadiusToImage(5, displaySize, imageSize);

    mask.addStroke({ points: [start, end], radius, erase: false });
    const decoded = exportMask(mask);

    expect(start).toEqual({ x: 40, y: 80 });
    expect(radius).toBe(10);
    expect([decoded.width, decoded.height]).toEqual([240, 160]);
    // Display (60, 40) is image (120, 80), on the stroke; display (60, 47) is 14 image px away.
    expect(decoded.isWhite(120, 80)).toBe(true);
    expect(decoded.isWhite(120, 89)).toBe(true);
    expect(decoded.isWhite(120, 94)).toBe(false);
    expect(mismatchedPixels(decoded, (x, y) => distanceToSegment(x, y, start, end) <= 10)).toEqual(
      [],
    );
  });

  it('scales each axis separately when the display stretches the image', () => {
    const point = displayToImage(
      { x: 50, y: 50 },
      { width: 100, height: 200 },
      { width: 1000, height: 1000 },
    );
    expect(point).toEqual({ x: 500, y: 250 });
  });
});
