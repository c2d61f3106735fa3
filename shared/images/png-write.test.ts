import { PNG } from 'pngjs';

import { checkPngBounds } from './png-bounds.js';
import { writePng } from './png-write.js';

describe('writePng', () => {
  it('writes 8-bit RGB rows that pngjs (which checks every CRC) reads back pixel for pixel', () => {
    // 3×2: row 0 unfiltered, row 1 with the Up filter (each byte adds the one above).
    const rows = Buffer.from([
      ...[0, 255, 255, 255, 0, 0, 0, 10, 20, 30],
      ...[2, 0, 0, 0, 255, 255, 255, 5, 5, 5],
    ]);
    const png = writePng({ width: 3, height: 2, bitDepth: 8, colorType: 2 }, rows);
    const decoded = PNG.sync.read(png);
    expect([decoded.width, decoded.height]).toEqual([3, 2]);
    expect([...decoded.data]).toEqual([
      ...[255, 255, 255, 255, 0, 0, 0, 255, 10, 20, 30, 255],
      ...[255, 255, 255, 255, 255, 255, 255, 255, 15, 25, 35, 255],
    ]);
  });

  it('writes the header it is given: size, bit depth, colour type, no interlace', () => {
    const png = writePng({ width: 2, height: 1, bitDepth: 16, colorType: 0 }, Buffer.alloc(5));
    expect(checkPngBounds(png, { maxPixels: 2 })).toEqual({
      width: 2,
      height: 1,
      bitDepth: 16,
      colorType: 0,
      interlaced: false,
    });
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(png.subarray(-8, -4).toString('latin1')).toBe('IEND');
  });

  it('deflates a black-and-white 1024² RGB mask to a few KB', () => {
    const width = 1024;
    const stride = 1 + width * 3;
    const rows = Buffer.alloc(width * stride);
    for (let y = 0; y < width; y += 1) {
      rows.fill(255, y * stride + 1, y * stride + 1 + ((y * 7) % width) * 3);
    }
    const png = writePng({ width, height: width, bitDepth: 8, colorType: 2 }, rows);
    expect(png.length).toBeLessThan(32 * 1024);
    expect(
      PNG.sync
        .read(png)
        .data.subarray(0, 4)
        .equals(Buffer.from([0, 0, 0, 255])),
    ).toBe(true);
  });
});
