import {
  STABILITY_ASPECT_RATIOS,
  exactAspectRatio,
  stabilityCurrentAdapter as adapter,
} from './stability-current.js';
import { appError, base64Of, declaredImage, makePng, thrownBy } from './test-fixtures.js';
import type { GenerateParams } from './types.js';

const CORE = 'stability.stable-image-core-v1:1';
const ULTRA = 'stability.stable-image-ultra-v1:1';
const SD35 = 'stability.sd3-5-large-v1:0';

function build(params: Partial<GenerateParams>, modelId = CORE) {
  return adapter.buildTextToImage(modelId, { prompt: 'a panda', ...params });
}

function bodyOf(params: Partial<GenerateParams>, modelId = CORE): Record<string, unknown> {
  const invocations = build(params, modelId);
  expect(invocations).toHaveLength(1);
  return invocations[0]!.body;
}

describe('Adapter: stability-current (Stable Image Core/Ultra 1.1, SD3.5 Large)', () => {
  describe('request bodies', () => {
    it('reproduces the documented Stable Image Core request', () => {
      // { "prompt": "Create an image of a panda" }, plus our fixed output format.
      expect(bodyOf({ prompt: 'Create an image of a panda' })).toEqual({
        prompt: 'Create an image of a panda',
        output_format: 'png',
      });
    });

    it('reproduces the AWS SDK example body for Core 1.1', () => {
      // { "prompt": "...", "aspect_ratio": "1:1", "seed": 0, "output_format": "png" }
      expect(
        bodyOf({ prompt: 'A car made out of vegetables.', aspectRatio: '1:1', seed: 0 }),
      ).toEqual({
        prompt: 'A car made out of vegetables.',
        aspect_ratio: '1:1',
        seed: 0,
        output_format: 'png',
      });
    });

    it('adds mode text-to-image for SD3.5 Large only', () => {
      expect(bodyOf({ prompt: 'A car made out of vegetables.' }, SD35)).toEqual({
        prompt: 'A car made out of vegetables.',
        output_format: 'png',
        mode: 'text-to-image',
      });
      expect(bodyOf({}, ULTRA)).not.toHaveProperty('mode');
    });

    it('sends negative_prompt', () => {
      expect(bodyOf({ negativePrompt: 'blurry' })).toMatchObject({ negative_prompt: 'blurry' });
    });

    it('maps width×height to an aspect ratio only when it matches exactly', () => {
      expect(bodyOf({ width: 1280, height: 720 })).toMatchObject({ aspect_ratio: '16:9' });
      expect(bodyOf({ width: 1024, height: 1024 })).toMatchObject({ aspect_ratio: '1:1' });
      expect(bodyOf({ width: 2520, height: 1080 })).toMatchObject({ aspect_ratio: '21:9' });
      expect(bodyOf({ width: 800, height: 1000 })).toMatchObject({ aspect_ratio: '4:5' });
      expect(thrownBy(() => build({ width: 1000, height: 700 }))).toEqual(
        appError('INVALID_PARAMETER', '1000×700', ...STABILITY_ASPECT_RATIOS),
      );
    });

    it('makes n invocations for n images, with seed, seed+1, … when a seed is given', () => {
      const seeded = build({ count: 3, seed: 10 });
      expect(seeded.map((invocation) => invocation.body.seed)).toEqual([10, 11, 12]);
      const unseeded = build({ count: 2 });
      expect(unseeded).toHaveLength(2);
      expect(unseeded.every((invocation) => !('seed' in invocation.body))).toBe(true);
      expect(seeded.every((invocation) => invocation.expectedImages === 1)).toBe(true);
    });

    it('wraps the seed sequence past the model’s maximum without producing 0', () => {
      const sd35 = build({ count: 2, seed: 4_294_967_294 }, SD35);
      expect(sd35.map((invocation) => invocation.body.seed)).toEqual([4_294_967_294, 1]);
      const core = build({ count: 2, seed: 4_294_967_295 }, CORE);
      expect(core.map((invocation) => invocation.body.seed)).toEqual([4_294_967_295, 1]);
    });

    it('keeps an inference-profile prefix in the id it sends', () => {
      expect(build({}, `us.${CORE}`)[0]?.modelId).toBe(`us.${CORE}`);
    });
  });

  describe('limits', () => {
    it.each<[string, Partial<GenerateParams>, Partial<GenerateParams>, string]>([
      ['prompt', { prompt: 'p'.repeat(10_000) }, { prompt: 'p'.repeat(10_001) }, 'prompt'],
      [
        'negativePrompt',
        { negativePrompt: 'n'.repeat(10_000) },
        { negativePrompt: 'n'.repeat(10_001) },
        'negativePrompt',
      ],
      // Core and Ultra document 0–4294967295 (SD3.5 Large: 0–4294967294, below).
      ['seed max', { seed: 4_294_967_295 }, { seed: 4_294_967_296 }, 'seed'],
      ['seed min', { seed: 0 }, { seed: -1 }, 'seed'],
      ['count', { count: 5 }, { count: 6 }, 'count'],
      ['aspectRatio', { aspectRatio: '9:21' }, { aspectRatio: '4:3' }, 'aspectRatio'],
    ])(
      '%s: just inside passes, just outside fails naming the field',
      (_label, inside, outside, field) => {
        expect(build(inside).length).toBeGreaterThan(0);
        expect(thrownBy(() => build(outside))).toEqual(appError('INVALID_PARAMETER', field));
      },
    );

    it.each([
      [ULTRA, 4_294_967_295],
      [SD35, 4_294_967_294],
    ])('%s takes seeds up to %d and no higher', (modelId, maxSeed) => {
      expect(bodyOf({ seed: maxSeed }, modelId).seed).toBe(maxSeed);
      expect(thrownBy(() => build({ seed: maxSeed + 1 }, modelId))).toEqual(
        appError('INVALID_PARAMETER', `seed must be a whole number from 0 to ${maxSeed}`),
      );
    });

    it.each([
      ['cfgScale', { cfgScale: 7 }],
      ['steps', { steps: 30 }],
      ['style', { style: 'anime' }],
      ['quality', { quality: 'premium' as const }],
    ])('rejects %s by name instead of dropping it', (field, params) => {
      expect(thrownBy(() => build(params, SD35))).toEqual(
        appError('INVALID_PARAMETER', `${field} is not supported by ${SD35}`),
      );
    });

    it('rejects width without height, and width with aspectRatio', () => {
      expect(thrownBy(() => build({ width: 1024 }))).toEqual(
        appError('INVALID_PARAMETER', 'height'),
      );
      expect(thrownBy(() => build({ width: 1024, height: 1024, aspectRatio: '1:1' }))).toEqual(
        appError('INVALID_PARAMETER', 'not both'),
      );
    });
  });

  describe('responses', () => {
    const png = makePng(3, 2);

    it('decodes the documented response', () => {
      const output = adapter.parseResponse(CORE, {
        seeds: [2130420379],
        finish_reasons: [null],
        images: [base64Of(png)],
      });
      expect(output).toEqual({
        images: [{ bytes: png, mimeType: 'image/png', seed: 2130420379 }],
        filteredCount: 0,
      });
    });

    it('reads seeds sent as strings', () => {
      const output = adapter.parseResponse(CORE, {
        seeds: ['42'],
        finish_reasons: [null],
        images: [base64Of(png)],
      });
      expect(output.images[0]?.seed).toBe(42);
    });

    it('turns "Filter reason: …" into CONTENT_FILTERED naming the reason', () => {
      expect(
        thrownBy(() => adapter.parseResponse(CORE, { finish_reasons: ['Filter reason: prompt'] })),
      ).toEqual(appError('CONTENT_FILTERED', 'prompt'));
      expect(
        thrownBy(() =>
          adapter.parseResponse(CORE, {
            seeds: [1],
            finish_reasons: ['Filter reason: output image'],
            images: [base64Of(png)],
          }),
        ),
      ).toEqual(appError('CONTENT_FILTERED', 'output image'));
    });

    it('turns "Inference error", empty and malformed responses into UPSTREAM_ERROR', () => {
      expect(
        thrownBy(() =>
          adapter.parseResponse(CORE, {
            seeds: [1],
            finish_reasons: ['Inference error'],
            images: [],
          }),
        ),
      ).toEqual(appError('UPSTREAM_ERROR', 'Inference error'));
      expect(thrownBy(() => adapter.parseResponse(CORE, { images: [] }))).toEqual(
        appError('UPSTREAM_ERROR'),
      );
      expect(thrownBy(() => adapter.parseResponse(CORE, 'oops'))).toEqual(
        appError('UPSTREAM_ERROR'),
      );
    });
  });

  it('cannot edit', () => {
    expect(
      thrownBy(() => adapter.buildEdit(SD35, { operation: 'erase', image: declaredImage(64, 64) })),
    ).toEqual(appError('UNSUPPORTED_OPERATION'));
  });
});

describe('Function: exactAspectRatio', () => {
  it('reduces width:height and matches only the nine ratios', () => {
    expect(exactAspectRatio(1920, 1080)).toBe('16:9');
    expect(exactAspectRatio(1080, 1920)).toBe('9:16');
    expect(exactAspectRatio(1536, 640)).toBeUndefined(); // 12:5
    expect(exactAspectRatio(0, 10)).toBeUndefined();
    expect(exactAspectRatio(10.5, 10)).toBeUndefined();
  });
});
