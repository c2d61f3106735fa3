/** Test pictures for the bench: a photo-like source image and an inpainting mask, as PNG bytes. */
import { PNG } from 'pngjs';

/** PNG colour type 2 is RGB without alpha (https://www.w3.org/TR/png/#6Colour-values). */
const PNG_COLOR_TYPE_RGB = 2;

/**
 * An RGB PNG of smooth gradients with a little deterministic noise, so it compresses about as
 * badly as a photo (a flat colour would compress to almost nothing and flatter the numbers).
 */
export function photoLikePng(width: number, height: number): Uint8Array {
  const png = new PNG({ width, height, colorType: PNG_COLOR_TYPE_RGB, inputHasAlpha: true });
  // A fixed linear congruential generator (Numerical Recipes constants): the same bytes every run.
  let state = 0x2545f491;
  const noise = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 28;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 4;
      png.data[offset] = ((x * 255) / width + noise()) & 0xff;
      png.data[offset + 1] = ((y * 255) / height + noise()) & 0xff;
      png.data[offset + 2] = (((x + y) * 127) / (width + height) + 64 + noise()) & 0xff;
      png.data[offset + 3] = 0xff;
    }
  }
  return new Uint8Array(PNG.sync.write(png, { colorType: PNG_COLOR_TYPE_RGB }));
}

/**
 * A mask in the API's convention (opaque white = change this, black = keep): a white rectangle
 * over the middle half of the image.
 */
export function centreMaskPng(width: number, height: number): Uint8Array {
  const png = new PNG({ width, height });
  const [left, right] = [Math.floor(width / 4), Math.ceil((width * 3) / 4)];
  const [top, bottom] = [Math.floor(height / 4), Math.ceil((height * 3) / 4)];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 4;
      const value = x >= left && x < right && y >= top && y < bottom ? 0xff : 0x00;
      png.data[offset] = value;
      png.data[offset + 1] = value;
      png.data[offset + 2] = value;
      png.data[offset + 3] = 0xff;
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

/**
 * A 5-bit-noise RGB picture that compresses about as badly as a generated image (1280×720 is
 * about 2.6 MB): the same pixels as `make-busy` of ../shared/perf/png.mjs, whose canned answer
 * issue 15's side-by-side figures were taken with.
 */
export function busyPng(width: number, height: number): Uint8Array {
  const png = new PNG({ width, height, colorType: PNG_COLOR_TYPE_RGB, inputHasAlpha: true });
  // png.mjs's generator, float arithmetic and all, so the noise is the same.
  let state = 1;
  const noise = (): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return (state >> 16) & 31;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 4;
      png.data[offset] = ((x >> 2) + noise()) & 0xff;
      png.data[offset + 1] = ((y >> 2) + noise()) & 0xff;
      png.data[offset + 2] = (((x + y) >> 3) + noise()) & 0xff;
      png.data[offset + 3] = 0xff;
    }
  }
  // Unfiltered rows at zlib's default level, as png.mjs writes them.
  return new Uint8Array(
    PNG.sync.write(png, { colorType: PNG_COLOR_TYPE_RGB, filterType: 0, deflateLevel: 6 }),
  );
}
