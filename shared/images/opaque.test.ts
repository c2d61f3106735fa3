import { PNG } from 'pngjs';

import { appError, makePng, thrownBy } from '../models/test-fixtures.js';
import { FLATTEN_BACKGROUND, mayHaveTransparency, withoutTransparency } from './opaque.js';

/** An RGB PNG (colour type 2) of one colour. */
function rgbPng(width: number, height: number): Uint8Array {
  const png = new PNG({ width, height });
  png.data.fill(90);
  return new Uint8Array(PNG.sync.write(png, { colorType: 2 }));
}

/** `png` with a chunk of `type` inserted right after IHDR (CRC left zero: only headers are read). */
function withChunkAfterHeader(png: Uint8Array, type: string): Uint8Array {
  const afterHeader = 8 + 12 + 13;
  const chunk = new Uint8Array(12 + 2);
  chunk.set([0, 0, 0, 2], 0);
  chunk.set(
    [...type].map((char) => char.charCodeAt(0)),
    4,
  );
  return new Uint8Array([...png.subarray(0, afterHeader), ...chunk, ...png.subarray(afterHeader)]);
}

describe('Function: mayHaveTransparency', () => {
  it('reads the colour type and tRNS chunk from the headers', () => {
    expect(mayHaveTransparency(rgbPng(4, 4))).toBe(false);
    expect(mayHaveTransparency(makePng(4, 4))).toBe(true); // pngjs writes RGBA by default
    expect(mayHaveTransparency(withChunkAfterHeader(rgbPng(4, 4), 'tRNS'))).toBe(true);
    expect(mayHaveTransparency(withChunkAfterHeader(rgbPng(4, 4), 'tEXt'))).toBe(false);
    expect(mayHaveTransparency(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe(false);
  });
});

describe('Function: withoutTransparency', () => {
  it('returns an opaque image as it came, even one with an alpha channel', () => {
    const rgb = rgbPng(8, 8);
    expect(withoutTransparency(rgb)).toEqual({ bytes: rgb, flattenedPixels: 0 });
    const opaqueRgba = makePng(8, 8, () => [1, 2, 3, 255]);
    expect(withoutTransparency(opaqueRgba).bytes).toBe(opaqueRgba);
  });

  it('composites transparent and translucent pixels onto the background and drops alpha', () => {
    const source = makePng(3, 1, (x) =>
      x === 0 ? [200, 0, 0, 255] : x === 1 ? [0, 0, 200, 128] : [7, 7, 7, 0],
    );
    const { bytes, flattenedPixels } = withoutTransparency(source);
    expect(flattenedPixels).toBe(2);
    const decoded = PNG.sync.read(Buffer.from(bytes));
    const { red, green, blue } = FLATTEN_BACKGROUND;
    expect([...decoded.data]).toEqual([
      200,
      0,
      0,
      255,
      // 0·128/255 + 255·127/255 ≈ 127; 200·128/255 + 255·127/255 ≈ 227
      127,
      127,
      227,
      255,
      red,
      green,
      blue,
      255,
    ]);
    // Colour type 2 (truecolour, no alpha) in IHDR.
    expect(bytes[8 + 8 + 9]).toBe(2);
  });

  it('answers INVALID_IMAGE for a PNG that cannot be decoded', () => {
    const truncated = makePng(8, 8, () => [0, 0, 0, 0]).subarray(0, 60);
    expect(thrownBy(() => withoutTransparency(truncated))).toEqual(appError('INVALID_IMAGE'));
  });
});
