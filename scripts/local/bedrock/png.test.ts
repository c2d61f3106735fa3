import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

import { decodeImage, encodeImage, ImageDecodeError } from './image-codec.js';
import { decodePng, encodePng, imageSize } from './png.js';
import { makeImage, solidWebpBase64, testPattern } from './test-support.js';

describe('png helpers', () => {
  const image = makeImage(67, 41, (x, y) => [
    (x * 37) % 256,
    (y * 59) % 256,
    (x + y) % 256,
    (x * y) % 256,
  ]);

  it('encodes RGBA pixels that an independent decoder (pngjs) reads back exactly', () => {
    const decoded = PNG.sync.read(encodePng(image, true));
    expect([decoded.width, decoded.height]).toEqual([67, 41]);
    expect(new Uint8Array(decoded.data)).toEqual(image.data);
  });

  it('encodes RGB without alpha when asked', () => {
    const opaque = makeImage(20, 10, testPattern);
    const bytes = encodePng(opaque);
    expect(bytes[25]).toBe(2); // IHDR colour type: truecolour without alpha
    expect(decodePng(bytes).data).toEqual(opaque.data);
  });

  it('reads sizes from PNG, JPEG and WebP headers', () => {
    const jpegBytes = jpeg.encode(
      { width: 90, height: 30, data: makeImage(90, 30, testPattern).data },
      80,
    ).data;
    expect(imageSize(encodePng(image).toString('base64'))).toEqual({
      width: 67,
      height: 41,
      format: 'png',
    });
    expect(imageSize(jpegBytes)).toEqual({ width: 90, height: 30, format: 'jpeg' });
    expect(imageSize(solidWebpBase64(300, 200, [1, 2, 3]))).toEqual({
      width: 300,
      height: 200,
      format: 'webp',
    });
    expect(() => imageSize(Buffer.from('GIF89a'))).toThrow();
  });

  it('decodes JPEG and WebP input and refuses formats a model does not take', () => {
    const webp = decodeImage(solidWebpBase64(70, 64, [10, 200, 30]), ['png', 'jpeg', 'webp']);
    expect([webp.width, webp.height, ...webp.data.subarray(0, 4)]).toEqual([
      70, 64, 10, 200, 30, 255,
    ]);
    const jpegImage = decodeImage(
      encodeImage(
        makeImage(16, 16, () => [200, 100, 50, 255]),
        'jpeg',
      ).toString('base64'),
      ['jpeg'],
    );
    expect(jpegImage.format).toBe('jpeg');
    expect(Math.abs((jpegImage.data[0] ?? 0) - 200)).toBeLessThan(8);
    expect(() => decodeImage(solidWebpBase64(64, 64, [0, 0, 0]), ['png', 'jpeg'])).toThrow(
      ImageDecodeError,
    );
    expect(() => decodeImage('not base64!', ['png'])).toThrow(/base64/);
  });
});
