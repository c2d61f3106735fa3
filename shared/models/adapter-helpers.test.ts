import { AppError } from '../errors.js';
import {
  closestSize,
  collectOutputs,
  decodeModelImage,
  parseAspectRatio,
  parseSeed,
  seedSequence,
  withDecodedBase64,
} from './adapter-helpers.js';
import { appError, base64Of, makePng, thrownBy } from './test-fixtures.js';
import type { ModelOutput } from './types.js';

describe('Function: seedSequence', () => {
  it('repeats "no seed" and 0 (random) and counts up from any other seed', () => {
    expect(seedSequence(undefined, 2, 10)).toEqual([undefined, undefined]);
    expect(seedSequence(0, 3, 10)).toEqual([0, 0, 0]);
    expect(seedSequence(8, 4, 10)).toEqual([8, 9, 10, 1]);
  });
});

describe('Function: parseSeed', () => {
  it('accepts whole numbers and digit strings only', () => {
    expect(parseSeed(5)).toBe(5);
    expect(parseSeed('4294967295')).toBe(4_294_967_295);
    expect(parseSeed('-1')).toBeUndefined();
    expect(parseSeed(1.5)).toBeUndefined();
    expect(parseSeed(null)).toBeUndefined();
  });
});

describe('Function: closestSize / parseAspectRatio', () => {
  const sizes = [
    { width: 1024, height: 1024 },
    { width: 1344, height: 768 },
  ];

  it('picks the nearest shape within the tolerance', () => {
    expect(closestSize('16:9', sizes, 0.1)).toEqual({ width: 1344, height: 768 });
    expect(closestSize('1:1', sizes, 0)).toEqual({ width: 1024, height: 1024 });
    expect(closestSize('3:1', sizes, 0.1)).toBeUndefined();
    expect(closestSize('wide', sizes, 0.1)).toBeUndefined();
  });

  it('parses W:H with positive whole numbers only', () => {
    expect(parseAspectRatio(' 16:9 ')).toBeCloseTo(16 / 9);
    expect(parseAspectRatio('0:9')).toBeUndefined();
    expect(parseAspectRatio('1.5:1')).toBeUndefined();
  });
});

describe('Function: decodeModelImage', () => {
  it('decodes base64 (with line breaks) and sniffs the type', () => {
    const png = makePng(1, 1);
    const wrapped = base64Of(png).replace(/(.{10})/g, '$1\n');
    expect(decodeModelImage(wrapped, 'm', 3)).toEqual({
      bytes: png,
      mimeType: 'image/png',
      seed: 3,
    });
  });

  it('rejects missing or non-base64 data as UPSTREAM_ERROR', () => {
    expect(thrownBy(() => decodeModelImage(undefined, 'm'))).toEqual(appError('UPSTREAM_ERROR'));
    expect(thrownBy(() => decodeModelImage('%%%', 'm'))).toEqual(appError('UPSTREAM_ERROR'));
    // Four characters, so only the decoded length can reveal the stray one.
    expect(thrownBy(() => decodeModelImage('iVB$', 'm'))).toEqual(appError('UPSTREAM_ERROR'));
  });
});

describe('Function: withDecodedBase64', () => {
  it('lets decodeModelImage answer a placeholder with the bytes decoded already, only while parsing', () => {
    const png = makePng(2, 2);
    const decoded = new Map([['\u0000placeholder:0', png]]);
    expect(
      withDecodedBase64(decoded, () => decodeModelImage('\u0000placeholder:0', 'm', 5)),
    ).toEqual({ bytes: png, mimeType: 'image/png', seed: 5 });
    // Afterwards (or for any other string) the placeholder is just not base64.
    expect(thrownBy(() => decodeModelImage('\u0000placeholder:0', 'm'))).toEqual(
      appError('UPSTREAM_ERROR'),
    );
    expect(withDecodedBase64(decoded, () => decodeModelImage(base64Of(png), 'm')).bytes).toEqual(
      png,
    );
  });
});

describe('Function: collectOutputs', () => {
  const image = { bytes: new Uint8Array([1]), mimeType: 'image/png' as const };
  const one: ModelOutput = { images: [image], filteredCount: 0 };
  const filtered = new AppError('CONTENT_FILTERED', 'blocked');

  it('sums images and counts filtered invocations', () => {
    expect(collectOutputs([one, filtered, { images: [image], filteredCount: 1 }])).toEqual({
      images: [image, image],
      filteredCount: 2,
    });
  });

  it('throws CONTENT_FILTERED when nothing survived', () => {
    expect(thrownBy(() => collectOutputs([filtered, filtered]))).toEqual(
      appError('CONTENT_FILTERED'),
    );
  });

  it('rethrows any other error', () => {
    const upstream = new AppError('UPSTREAM_ERROR', 'boom');
    expect(thrownBy(() => collectOutputs([one, upstream]))).toBe(upstream);
  });
});
