import { readFileSync } from 'node:fs';

import { thrownBy, appError, makePng } from '../models/test-fixtures.js';
import { detectImageMimeType, probeImage } from './probe.js';

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url)));
}

describe('Function: probeImage', () => {
  it('reads width and height from a PNG made by pngjs', () => {
    expect(probeImage(makePng(4, 3))).toEqual({ mimeType: 'image/png', width: 4, height: 3 });
    expect(probeImage(makePng(300, 1))).toEqual({ mimeType: 'image/png', width: 300, height: 1 });
  });

  it('reads a baseline (SOF0) JPEG from cjpeg', () => {
    expect(probeImage(fixture('5x3-baseline.jpg'))).toEqual({
      mimeType: 'image/jpeg',
      width: 5,
      height: 3,
    });
  });

  it('reads a progressive (SOF2) JPEG with multi-byte dimensions', () => {
    expect(probeImage(fixture('300x200-progressive.jpg'))).toEqual({
      mimeType: 'image/jpeg',
      width: 300,
      height: 200,
    });
  });

  it('reads an extended-sequential (SOF1) frame header', () => {
    const bytes = fixture('5x3-baseline.jpg');
    const sof = findMarker(bytes, 0xc0);
    bytes[sof + 1] = 0xc1;
    expect(probeImage(bytes)).toMatchObject({ width: 5, height: 3 });
  });

  it('rejects lossless/arithmetic JPEG frames with a hint to re-save', () => {
    const bytes = fixture('5x3-baseline.jpg');
    bytes[findMarker(bytes, 0xc0) + 1] = 0xc3;
    expect(thrownBy(() => probeImage(bytes))).toEqual(
      appError('INVALID_IMAGE', 'baseline or progressive'),
    );
  });

  it('skips 0xFF fill bytes before a marker', () => {
    const original = fixture('5x3-baseline.jpg');
    // SOI, then two fill bytes, then the rest (which starts with the APP0 marker FF E0).
    const padded = new Uint8Array([0xff, 0xd8, 0xff, 0xff, ...original.subarray(2)]);
    expect(probeImage(padded)).toMatchObject({ width: 5, height: 3 });
  });

  it.each([
    ['5x3-lossy.webp', 5, 3],
    ['5x3-lossless.webp', 5, 3],
    ['7x2-alpha-extended.webp', 7, 2],
  ])('reads WebP %s', (name, width, height) => {
    expect(probeImage(fixture(name))).toEqual({ mimeType: 'image/webp', width, height });
  });

  it.each([
    ['PNG cut inside IHDR', () => makePng(4, 3).subarray(0, 20)],
    ['JPEG cut before its frame header', () => fixture('5x3-baseline.jpg').subarray(0, 100)],
    ['JPEG of only SOI', () => new Uint8Array([0xff, 0xd8, 0xff])],
    ['lossy WebP cut in the frame header', () => fixture('5x3-lossy.webp').subarray(0, 26)],
    ['lossless WebP cut after the signature', () => fixture('5x3-lossless.webp').subarray(0, 22)],
    [
      'extended WebP cut in the canvas size',
      () => fixture('7x2-alpha-extended.webp').subarray(0, 27),
    ],
  ])('rejects truncated data: %s', (_label, bytes) => {
    expect(thrownBy(() => probeImage(bytes()))).toEqual(appError('INVALID_IMAGE', 'truncated'));
  });

  it('rejects a JPEG whose scan starts before any frame header', () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08, 0, 0, 0, 0, 0, 0]);
    expect(thrownBy(() => probeImage(bytes))).toEqual(appError('INVALID_IMAGE', 'no frame header'));
  });

  it('rejects other formats and empty input', () => {
    const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00');
    expect(thrownBy(() => probeImage(gif))).toEqual(
      appError('INVALID_IMAGE', 'not a PNG, JPEG or WebP'),
    );
    expect(thrownBy(() => probeImage(new Uint8Array()))).toEqual(appError('INVALID_IMAGE'));
  });

  it('rejects a WebP with an unknown first chunk', () => {
    const bytes = fixture('5x3-lossy.webp');
    bytes.set(new TextEncoder().encode('ABCD'), 12);
    expect(thrownBy(() => probeImage(bytes))).toEqual(
      appError('INVALID_IMAGE', 'unknown first chunk "ABCD"'),
    );
  });

  it('rejects a PNG that claims zero pixels', () => {
    const bytes = makePng(4, 3);
    bytes.set([0, 0, 0, 0], 16);
    expect(thrownBy(() => probeImage(bytes))).toEqual(appError('INVALID_IMAGE', 'no pixels'));
  });
});

describe('Function: detectImageMimeType', () => {
  it('names the type from the magic bytes alone', () => {
    expect(detectImageMimeType(makePng(1, 1))).toBe('image/png');
    expect(detectImageMimeType(fixture('5x3-baseline.jpg'))).toBe('image/jpeg');
    expect(detectImageMimeType(fixture('5x3-lossless.webp'))).toBe('image/webp');
    expect(detectImageMimeType(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });
});

function findMarker(bytes: Uint8Array, marker: number): number {
  for (let index = 2; index < bytes.length - 1; index += 1) {
    if (bytes[index] === 0xff && bytes[index + 1] === marker) return index;
  }
  throw new Error(`marker ${marker.toString(16)} not in fixture`);
}
