import { STABILITY_EDIT_IMAGE_LIMITS, stabilityEditAdapter as adapter } from './stability-edit.js';
import {
  appError,
  base64Of,
  declaredImage,
  greyRows,
  makeMask,
  makePng,
  thrownBy,
} from './test-fixtures.js';
import type { EditParams } from './types.js';

const INPAINT = 'us.stability.stable-image-inpaint-v1:0';
const OUTPAINT = 'us.stability.stable-outpaint-v1:0';
const ERASE = 'us.stability.stable-image-erase-object-v1:0';
const SEARCH_REPLACE = 'us.stability.stable-image-search-replace-v1:0';
const REMOVE_BACKGROUND = 'us.stability.stable-image-remove-background-v1:0';

const image = declaredImage(128, 96);
const imageBase64 = base64Of(image.bytes);
/** Client mask, 4×3 with the left column painted: the same shape as the 128×96 image. */
const mask = makeMask(4, 3, (x) => x === 0);

function bodyOf(modelId: string, params: EditParams): Record<string, unknown> {
  const invocations = adapter.buildEdit(modelId, params);
  expect(invocations).toHaveLength(1);
  expect(invocations[0]?.modelId).toBe(modelId);
  return invocations[0]!.body;
}

/** Base params for each model, valid as they are. */
const VALID: Record<string, EditParams> = {
  [INPAINT]: {
    operation: 'inpaint',
    image: declaredImage(64, 64),
    mask: makeMask(64, 64, (x) => x < 8),
    prompt: 'a cat',
  },
  [OUTPAINT]: {
    operation: 'outpaint',
    image: declaredImage(64, 64),
    outpaint: { left: 10, right: 0, up: 0, down: 0 },
  },
  [ERASE]: {
    operation: 'erase',
    image: declaredImage(64, 64),
    mask: makeMask(64, 64, (x) => x < 8),
  },
  [SEARCH_REPLACE]: {
    operation: 'search-replace',
    image: declaredImage(64, 64),
    prompt: 'jacket',
    maskPrompt: 'sweater',
  },
  [REMOVE_BACKGROUND]: { operation: 'remove-background', image: declaredImage(64, 64) },
};

function build(modelId: string, overrides: Partial<EditParams>) {
  return adapter.buildEdit(modelId, { ...VALID[modelId]!, ...overrides });
}

describe('Adapter: stability-edit (Stability AI Image Services)', () => {
  describe('documented example bodies', () => {
    it('inpaint: { image, mask, prompt } with the mask white where painted', () => {
      const body = bodyOf(INPAINT, {
        operation: 'inpaint',
        image,
        mask,
        prompt: 'artificer of time and space',
      });
      const anyString: unknown = expect.any(String);
      expect(body).toEqual({
        image: imageBase64,
        mask: anyString,
        prompt: 'artificer of time and space',
        output_format: 'png',
      });
      const modelMask = new Uint8Array(Buffer.from(body.mask as string, 'base64'));
      // Scaled ×32: the first 32 columns of every row are white (edit), the rest black.
      const expectedRow = Array.from({ length: 128 }, (_, x) => (x < 32 ? 255 : 0));
      expect(greyRows(modelMask)).toEqual(Array.from({ length: 96 }, () => expectedRow));
    });

    it('outpaint: { image, left, right, up, down }', () => {
      const body = bodyOf(OUTPAINT, {
        operation: 'outpaint',
        image,
        outpaint: { left: 512, right: 512, up: 200, down: 100 },
      });
      expect(body).toEqual({
        image: imageBase64,
        left: 512,
        right: 512,
        up: 200,
        down: 100,
        output_format: 'png',
      });
    });

    it('search-replace: { image, prompt, search_prompt } from maskPrompt', () => {
      const body = bodyOf(SEARCH_REPLACE, {
        operation: 'search-replace',
        image,
        prompt: 'jacket',
        maskPrompt: 'sweater',
      });
      expect(body).toEqual({
        image: imageBase64,
        prompt: 'jacket',
        search_prompt: 'sweater',
        output_format: 'png',
      });
    });

    it('erase: { image, mask }', () => {
      const body = bodyOf(ERASE, { operation: 'erase', image, mask });
      expect(Object.keys(body).sort()).toEqual(['image', 'mask', 'output_format']);
    });

    it('remove-background: { image }', () => {
      expect(bodyOf(REMOVE_BACKGROUND, { operation: 'remove-background', image })).toEqual({
        image: imageBase64,
        output_format: 'png',
      });
    });
  });

  describe('optional fields', () => {
    it('sends grow_mask, style_preset, negative_prompt and seeds one image per invocation', () => {
      const invocations = build(INPAINT, {
        growMask: 0,
        style: 'anime',
        negativePrompt: 'dog',
        seed: 5,
        count: 2,
      });
      expect(invocations).toHaveLength(2);
      expect(invocations.map((invocation) => invocation.body.seed)).toEqual([5, 6]);
      expect(invocations[0]?.body).toMatchObject({
        grow_mask: 0,
        style_preset: 'anime',
        negative_prompt: 'dog',
      });
    });

    it('sends creativity and a prompt for outpaint', () => {
      expect(build(OUTPAINT, { creativity: 0.8, prompt: 'a meadow' })[0]?.body).toMatchObject({
        creativity: 0.8,
        prompt: 'a meadow',
      });
    });
  });

  describe('input image limits (one row per service)', () => {
    it.each<[string, string, [number, number], [number, number], string]>([
      ['each side ≥ 64 px', SEARCH_REPLACE, [64, 100], [63, 100], 'at least 64 px'],
      [
        '≤ 9,437,184 pixels (search-replace)',
        SEARCH_REPLACE,
        [3072, 3072],
        [3073, 3072],
        '9,437,184',
      ],
      ['≤ 9,437,184 pixels (outpaint)', OUTPAINT, [3072, 3072], [3073, 3072], '9,437,184'],
      // Remove background documents about 4.2 MP, not the 9.4 MP of the other services.
      [
        '≤ 4,194,304 pixels (remove-background)',
        REMOVE_BACKGROUND,
        [2048, 2048],
        [2049, 2048],
        '4,194,304',
      ],
      ['outpaint aspect ≤ 2.5:1', OUTPAINT, [160, 64], [161, 64], '1:2.5 and 2.5:1'],
      ['outpaint aspect ≥ 1:2.5', OUTPAINT, [64, 160], [64, 161], '1:2.5 and 2.5:1'],
    ])(
      '%s: just inside passes, just outside fails',
      (_label, modelId, [inW, inH], [outW, outH], message) => {
        expect(build(modelId, { image: declaredImage(inW, inH) }).length).toBeGreaterThan(0);
        expect(thrownBy(() => build(modelId, { image: declaredImage(outW, outH) }))).toEqual(
          appError('INVALID_PARAMETER', 'image', message),
        );
      },
    );

    it.each([INPAINT, ERASE])(
      '%s refuses more than 9,437,184 pixels, before converting the mask',
      (modelId) => {
        expect(thrownBy(() => build(modelId, { image: declaredImage(3073, 3072) }))).toEqual(
          appError('INVALID_PARAMETER', 'image', '9,437,184'),
        );
      },
    );

    it.each([INPAINT, ERASE, SEARCH_REPLACE, REMOVE_BACKGROUND])(
      '%s documents no aspect-ratio rule, so a 4:1 strip passes',
      (modelId) => {
        const strip = declaredImage(256, 64);
        const params: Partial<EditParams> =
          modelId === INPAINT || modelId === ERASE
            ? { image: strip, mask: makeMask(256, 64, (x) => x < 8) }
            : { image: strip };
        expect(build(modelId, params)).toHaveLength(1);
      },
    );

    it('cites a source for every row', () => {
      for (const limits of Object.values(STABILITY_EDIT_IMAGE_LIMITS)) {
        expect(limits.source).toMatch(
          /^https:\/\/docs\.aws\.amazon\.com\/bedrock\/.+stable-image-services\.html/,
        );
        expect(limits.source).toContain('https://platform.stability.ai/docs/api-reference');
      }
    });

    it('accepts webp input', () => {
      expect(build(REMOVE_BACKGROUND, { image: declaredImage(64, 64, 'image/webp') })).toHaveLength(
        1,
      );
    });
  });

  describe('parameter limits', () => {
    it.each<[string, string, Partial<EditParams>, Partial<EditParams>, string]>([
      ['growMask max', INPAINT, { growMask: 20 }, { growMask: 21 }, 'growMask'],
      ['growMask min', ERASE, { growMask: 0 }, { growMask: -1 }, 'growMask'],
      ['seed', INPAINT, { seed: 4_294_967_294 }, { seed: 4_294_967_295 }, 'seed'],
      ['count', ERASE, { count: 5 }, { count: 6 }, 'count'],
      ['prompt', INPAINT, { prompt: 'p'.repeat(10_000) }, { prompt: 'p'.repeat(10_001) }, 'prompt'],
      [
        'negativePrompt',
        SEARCH_REPLACE,
        { negativePrompt: 'n'.repeat(10_000) },
        { negativePrompt: 'n'.repeat(10_001) },
        'negativePrompt',
      ],
      [
        'maskPrompt',
        SEARCH_REPLACE,
        { maskPrompt: 'm'.repeat(10_000) },
        { maskPrompt: 'm'.repeat(10_001) },
        'maskPrompt',
      ],
      ['style', INPAINT, { style: 'photographic' }, { style: 'PHOTOREALISM' }, 'style'],
      [
        'outpaint margin max',
        OUTPAINT,
        { outpaint: { left: 2000, right: 0, up: 0, down: 0 } },
        { outpaint: { left: 2001, right: 0, up: 0, down: 0 } },
        'outpaint.left',
      ],
      [
        'outpaint margin min',
        OUTPAINT,
        { outpaint: { left: 0, right: 0, up: 1, down: 0 } },
        { outpaint: { left: 0, right: 0, up: 1, down: -1 } },
        'outpaint.down',
      ],
      [
        'outpaint needs one side > 0',
        OUTPAINT,
        { outpaint: { left: 0, right: 0, up: 0, down: 1 } },
        { outpaint: { left: 0, right: 0, up: 0, down: 0 } },
        'at least one of left, right, up, down',
      ],
      ['creativity min', OUTPAINT, { creativity: 0.1 }, { creativity: 0.09 }, 'creativity'],
      ['creativity max', OUTPAINT, { creativity: 1 }, { creativity: 1.01 }, 'creativity'],
    ])(
      '%s: just inside passes, just outside fails naming the field',
      (_label, modelId, inside, outside, field) => {
        expect(build(modelId, inside).length).toBeGreaterThan(0);
        expect(thrownBy(() => build(modelId, outside))).toEqual(
          appError('INVALID_PARAMETER', field),
        );
      },
    );

    it.each<[string, string, Partial<EditParams>]>([
      ['cfgScale', INPAINT, { cfgScale: 5 }],
      ['quality', ERASE, { quality: 'premium' }],
      ['prompt', ERASE, { prompt: 'remove it' }],
      ['mask', SEARCH_REPLACE, { mask }],
      ['maskPrompt', INPAINT, { maskPrompt: 'the cat' }],
      ['mask', OUTPAINT, { mask }],
      ['seed', REMOVE_BACKGROUND, { seed: 3 }],
      ['prompt', REMOVE_BACKGROUND, { prompt: 'x' }],
      ['growMask', OUTPAINT, { growMask: 3 }],
    ])('rejects %s on %s by name', (field, modelId, params) => {
      expect(thrownBy(() => build(modelId, params))).toEqual(
        appError('INVALID_PARAMETER', `${field} is not supported by ${modelId}`),
      );
    });

    it('requires the fields each service needs', () => {
      expect(thrownBy(() => build(INPAINT, { mask: undefined }))).toEqual(
        appError('INVALID_PARAMETER', 'mask is required'),
      );
      expect(thrownBy(() => build(INPAINT, { prompt: undefined }))).toEqual(
        appError('INVALID_PARAMETER', 'prompt'),
      );
      expect(thrownBy(() => build(SEARCH_REPLACE, { maskPrompt: undefined }))).toEqual(
        appError('INVALID_PARAMETER', 'maskPrompt'),
      );
      expect(thrownBy(() => build(OUTPAINT, { outpaint: undefined }))).toEqual(
        appError('INVALID_PARAMETER', 'outpaint'),
      );
      expect(thrownBy(() => build(REMOVE_BACKGROUND, { count: 2 }))).toEqual(
        appError('INVALID_PARAMETER', 'count must be 1'),
      );
    });

    it('rejects empty and mis-shaped masks', () => {
      expect(thrownBy(() => build(ERASE, { mask: makeMask(64, 64, () => false) }))).toEqual(
        appError('INVALID_MASK', 'marks nothing'),
      );
      expect(thrownBy(() => build(ERASE, { mask: makeMask(32, 64, () => true) }))).toEqual(
        appError('INVALID_MASK', '32×64', '64×64'),
      );
    });
  });

  it('refuses an operation the model does not do, and text-to-image', () => {
    expect(thrownBy(() => adapter.buildEdit(ERASE, VALID[INPAINT]!))).toEqual(
      appError('UNSUPPORTED_OPERATION', 'erase'),
    );
    expect(thrownBy(() => adapter.buildTextToImage(INPAINT, { prompt: 'x' }))).toEqual(
      appError('UNSUPPORTED_OPERATION'),
    );
    expect(
      thrownBy(() => adapter.buildEdit('stability.stable-image-core-v1:1', VALID[INPAINT]!)),
    ).toEqual(appError('MODEL_NOT_ALLOWED'));
  });

  it('parses the shared Stability response', () => {
    const png = makePng(2, 2);
    expect(
      adapter.parseResponse(INPAINT, {
        seeds: ['9'],
        finish_reasons: [null],
        images: [base64Of(png)],
      }),
    ).toEqual({
      images: [{ bytes: png, mimeType: 'image/png', seed: 9 }],
      filteredCount: 0,
    });
    expect(
      thrownBy(() =>
        adapter.parseResponse(INPAINT, { finish_reasons: ['Filter reason: input image'] }),
      ),
    ).toEqual(appError('CONTENT_FILTERED', 'input image'));
  });
});
