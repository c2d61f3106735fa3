import { PNG } from 'pngjs';
import { Buffer } from 'node:buffer';
import { bytesToBase64, crc32, encodeMaskPng } from './png-encoder.js';

describe('encodeMaskPng', () => {
  it('computes the standard CRC-32 check value', () => {
    // "123456789" → 0xCBF43926 is the published check value for CRC-32/ISO-HDLC.
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('encodes an 8-bit greyscale PNG that an independent decoder reads back pixel for pixel', () => {
    const width = 7;
    const height = 5;
    const pixels = new Uint8Array(width * height).map((_, index) => (index % 3 === 0 ? 1 : 0));

    const png = PNG.sync.read(Buffer.from(encodeMaskPng(pixels, width, height)));

    expect([png.width, png.height]).toEqual([width, height]);
    expect(png.colorType).toBe(0);
    expect(png.depth).toBe(8);
    for (let index = 0; index < width * height; index++) {
      expect(png.data[index * 4]).toBe(index % 3 === 0 ? 255 : 0);
    }
  });

  it('rejects a bitmap whose length does not match the size', () => {
    expect(() => encodeMaskPng(new Uint8Array(10), 4, 4)).toThrow(RangeError);
  });

  it('base64-encodes large buffers without a data: prefix', () => {
    const bytes = new Uint8Array(100_000).map((_, index) => index % 251);
    const encoded = bytesToBase64(bytes);
    expect(encoded.startsWith('data:')).toBe(false);
    expect(Buffer.from(encoded, 'base64').equals(Buffer.from(bytes))).toBe(true);
  });
});
