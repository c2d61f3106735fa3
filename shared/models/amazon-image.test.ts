import { PNG } from 'pngjs';

import { documentedRequest } from '../../test/fixtures/aws-documented-examples.js';
import { amazonImageAdapter as adapter } from './amazon-image.js';
import {
  appError,
  base64Of,
  declaredImage,
  greyRows,
  makeMask,
  makePng,
  thrownBy,
} from './test-fixtures.js';
import type { EditParams, GenerateParams } from './types.js';

const NOVA = 'amazon.nova-canvas-v1:0';
const TITAN = 'amazon.titan-image-generator-v2:0';

function build(params: Partial<GenerateParams>, modelId = NOVA) {
  return adapter.buildTextToImage(modelId, { prompt: 'a poster', ...params });
}

function bodyOf(params: Partial<GenerateParams>, modelId = NOVA): Record<string, unknown> {
  const invocations = build(params, modelId);
  expect(invocations).toHaveLength(1);
  return invocations[0]!.body;
}

function configOf(params: Partial<GenerateParams>, modelId = NOVA): Record<string, unknown> {
  return bodyOf(params, modelId).imageGenerationConfig as Record<string, unknown>;
}

/** 512×384: a size Nova Canvas accepts as input (sides 320–4096, divisible by 16). */
const image = declaredImage(512, 384);
const mask = makeMask(4, 3, (x) => x === 0);

function edit(params: Partial<EditParams> & Pick<EditParams, 'operation'>, modelId = NOVA) {
  return adapter.buildEdit(modelId, { image, ...params });
}

function editBody(params: Partial<EditParams> & Pick<EditParams, 'operation'>, modelId = NOVA) {
  const invocations = edit(params, modelId);
  expect(invocations).toHaveLength(1);
  return invocations[0]!.body;
}

/** The left quarter of the 512×384 image in `paintedValue`, the rest in the other colour. */
function leftQuarter(paintedValue: number): number[][] {
  const row = Array.from({ length: 512 }, (_, x) => (x < 128 ? paintedValue : 255 - paintedValue));
  return Array.from({ length: 384 }, () => row);
}

function decodedMask(body: Record<string, unknown>, paramsKey: string): number[][] {
  const params = body[paramsKey] as { maskImage: string };
  return greyRows(new Uint8Array(Buffer.from(params.maskImage, 'base64')));
}

describe('Adapter: amazon-image (Nova Canvas, Titan Image Generator v2)', () => {
  describe('text-to-image bodies', () => {
    it('reproduces seed 002’s Nova Canvas body exactly', () => {
      const body = bodyOf({
        prompt: 'image of a cat',
        cfgScale: 6.5,
        seed: 12,
        width: 1280,
        height: 720,
      });
      expect(body).toEqual({
        textToImageParams: { text: 'image of a cat' },
        taskType: 'TEXT_IMAGE',
        imageGenerationConfig: {
          cfgScale: 6.5,
          seed: 12,
          width: 1280,
          height: 720,
          numberOfImages: 1,
        },
      });
    });

    it('reproduces AWS’s Nova Canvas code example body', () => {
      const body = bodyOf({
        prompt: 'A stylized picture of a cute old steampunk robot.',
        seed: 858_993_459,
        quality: 'standard',
        width: 512,
        height: 512,
      });
      expect(body).toEqual(documentedRequest('Nova Canvas text to image (code example)'));
    });

    it('reproduces AWS’s Titan text-to-image example body', () => {
      const body = bodyOf(
        {
          prompt: 'A photograph of a cup of coffee from the side.',
          width: 1024,
          height: 1024,
          cfgScale: 8,
          seed: 0,
        },
        TITAN,
      );
      expect(body).toEqual(documentedRequest('Titan Image Generator text to image'));
    });

    it('asks for several images in one call', () => {
      const invocations = build({ count: 3 });
      expect(invocations).toHaveLength(1);
      expect(invocations[0]?.expectedImages).toBe(3);
      expect(configOf({ count: 3 })).toMatchObject({ numberOfImages: 3 });
    });

    it('sends negativeText and style, and never an empty negativeText', () => {
      expect(bodyOf({ negativePrompt: 'text', style: 'PHOTOREALISM' }).textToImageParams).toEqual({
        text: 'a poster',
        negativeText: 'text',
        style: 'PHOTOREALISM',
      });
      expect(bodyOf({ negativePrompt: '' }).textToImageParams).toEqual({ text: 'a poster' });
      expect(bodyOf({ negativePrompt: '   ' }).textToImageParams).toEqual({ text: 'a poster' });
    });

    it('maps aspect ratios to sizes', () => {
      expect(configOf({ aspectRatio: '16:9' })).toMatchObject({ width: 1280, height: 720 });
      expect(configOf({ aspectRatio: '1:1' })).toMatchObject({ width: 1024, height: 1024 });
      expect(configOf({ aspectRatio: '9:16' })).toMatchObject({ width: 720, height: 1280 });
      expect(configOf({})).toMatchObject({ width: 1024, height: 1024 });
      expect(configOf({ aspectRatio: '16:9' }, TITAN)).toMatchObject({ width: 1173, height: 640 });
      expect(configOf({ aspectRatio: '1:1' }, TITAN)).toMatchObject({ width: 1024, height: 1024 });
      // 9:16 is not a Titan label; the closest labelled size is 6:11 (0.545 against 0.5625).
      expect(configOf({ aspectRatio: '9:16' }, TITAN)).toMatchObject({ width: 768, height: 1408 });
      expect(thrownBy(() => build({ aspectRatio: '4:1' }, TITAN))).toEqual(
        appError('INVALID_PARAMETER', 'aspectRatio', '16:9'),
      );
      expect(thrownBy(() => build({ aspectRatio: '2:1' }))).toEqual(
        appError('INVALID_PARAMETER', 'aspectRatio', '16:9'),
      );
    });
  });

  describe('text-to-image limits', () => {
    it.each<[string, string, Partial<GenerateParams>, Partial<GenerateParams>, string]>([
      ['Nova prompt', NOVA, { prompt: 'p'.repeat(1024) }, { prompt: 'p'.repeat(1025) }, 'prompt'],
      ['Titan prompt', TITAN, { prompt: 'p'.repeat(512) }, { prompt: 'p'.repeat(513) }, 'prompt'],
      [
        'Nova negativePrompt',
        NOVA,
        { negativePrompt: 'n'.repeat(1024) },
        { negativePrompt: 'n'.repeat(1025) },
        'negativePrompt',
      ],
      [
        'Titan negativePrompt',
        TITAN,
        { negativePrompt: 'n'.repeat(512) },
        { negativePrompt: 'n'.repeat(513) },
        'negativePrompt',
      ],
      ['cfgScale min', NOVA, { cfgScale: 1.1 }, { cfgScale: 1.0 }, 'cfgScale'],
      ['cfgScale max', TITAN, { cfgScale: 10 }, { cfgScale: 10.1 }, 'cfgScale'],
      ['count', NOVA, { count: 5 }, { count: 6 }, 'count'],
      ['count min', NOVA, { count: 1 }, { count: 0 }, 'count'],
      ['seed', NOVA, { seed: 2_147_483_646 }, { seed: 2_147_483_647 }, 'seed'],
      ['seed (Titan)', TITAN, { seed: 2_147_483_646 }, { seed: 2_147_483_647 }, 'seed'],
      ['seed min', NOVA, { seed: 0 }, { seed: -1 }, 'seed'],
      ['quality', NOVA, { quality: 'premium' }, { quality: 'best' as 'premium' }, 'quality'],
      ['style', NOVA, { style: 'MAXIMALISM' }, { style: 'anime' }, 'style'],
      ['Nova min side', NOVA, { width: 320, height: 320 }, { width: 304, height: 320 }, '320–4096'],
      [
        'Nova max side',
        NOVA,
        { width: 4080, height: 1024 },
        { width: 4112, height: 1040 },
        '320–4096',
      ],
      [
        'Nova multiple of 16',
        NOVA,
        { width: 1008, height: 1008 },
        { width: 1000, height: 1008 },
        'divisible by 16',
      ],
      [
        'Nova ratio 4:1',
        NOVA,
        { width: 320, height: 1280 },
        { width: 320, height: 1296 },
        '1:4 and 4:1',
      ],
      [
        'Nova total pixels',
        NOVA,
        { width: 2032, height: 2048 },
        { width: 2048, height: 2048 },
        '4,194,304',
      ],
      [
        'Titan sizes',
        TITAN,
        { width: 1408, height: 640 },
        { width: 1408, height: 1408 },
        '1173×640',
      ],
    ])(
      '%s: just inside passes, just outside fails naming the field',
      (_label, modelId, inside, outside, field) => {
        expect(build(inside, modelId)).toHaveLength(1);
        expect(thrownBy(() => build(outside, modelId))).toEqual(
          appError('INVALID_PARAMETER', field, modelId),
        );
      },
    );

    it('rejects fields the model has no setting for', () => {
      expect(thrownBy(() => build({ steps: 30 }))).toEqual(
        appError('INVALID_PARAMETER', 'steps is not supported'),
      );
      expect(thrownBy(() => build({ style: 'PHOTOREALISM' }, TITAN))).toEqual(
        appError('INVALID_PARAMETER', 'style is not supported'),
      );
      expect(thrownBy(() => build({ width: 1280 }))).toEqual(
        appError('INVALID_PARAMETER', 'together'),
      );
    });
  });

  describe('edit bodies', () => {
    it('INPAINTING with a painted mask sends it black where painted', () => {
      const body = editBody({
        operation: 'inpaint',
        mask,
        prompt: 'a red door',
        negativePrompt: 'blur',
        seed: 3,
        count: 2,
      });
      expect(body).toMatchObject({
        taskType: 'INPAINTING',
        inPaintingParams: {
          image: base64Of(image.bytes),
          text: 'a red door',
          negativeText: 'blur',
        },
        imageGenerationConfig: { numberOfImages: 2, seed: 3 },
      });
      expect(body.imageGenerationConfig).not.toHaveProperty('width');
      expect(decodedMask(body, 'inPaintingParams')).toEqual(leftQuarter(0));
    });

    it('INPAINTING with maskPrompt instead of a mask', () => {
      const body = editBody(
        { operation: 'inpaint', maskPrompt: 'the door', prompt: 'a red door' },
        TITAN,
      );
      expect(body.inPaintingParams).toEqual({
        image: base64Of(image.bytes),
        maskPrompt: 'the door',
        text: 'a red door',
      });
    });

    it.each([NOVA, TITAN])(
      '%s OUTPAINTING keeps the painted area: it is sent black, the area to regenerate white',
      (modelId) => {
        const body = editBody({ operation: 'outpaint', mask, prompt: 'a beach' }, modelId);
        expect(body.taskType).toBe('OUTPAINTING');
        // Black is "the mask", which outpainting keeps; "the model changes the area painted white".
        expect(decodedMask(body, 'outPaintingParams')).toEqual(leftQuarter(0));
      },
    );

    it('OUTPAINTING with maskPrompt names the region to keep, and sends outPaintingMode', () => {
      const body = editBody({
        operation: 'outpaint',
        maskPrompt: 'the people',
        prompt: 'a beach at sunset',
        outPaintingMode: 'PRECISE',
      });
      expect(body.outPaintingParams).toEqual({
        image: base64Of(image.bytes),
        maskPrompt: 'the people',
        text: 'a beach at sunset',
        outPaintingMode: 'PRECISE',
      });
      expect(
        (
          editBody({ operation: 'outpaint', mask, prompt: 'x', outPaintingMode: 'DEFAULT' }, TITAN)
            .outPaintingParams as Record<string, unknown>
        ).outPaintingMode,
      ).toBe('DEFAULT');
      expect(
        editBody({ operation: 'outpaint', mask, prompt: 'x' }).outPaintingParams,
      ).not.toHaveProperty('outPaintingMode');
    });

    it('says what to paint when an outpaint mask keeps everything', () => {
      const everything = makeMask(4, 3, () => true);
      expect(
        thrownBy(() => edit({ operation: 'outpaint', mask: everything, prompt: 'x' })),
      ).toEqual(appError('INVALID_MASK', 'keeps the whole image'));
    });

    it('erase is INPAINTING without text; search-replace is INPAINTING with maskPrompt and text', () => {
      expect(editBody({ operation: 'erase', maskPrompt: 'the bin' })).toEqual({
        taskType: 'INPAINTING',
        inPaintingParams: { image: base64Of(image.bytes), maskPrompt: 'the bin' },
        imageGenerationConfig: { numberOfImages: 1 },
      });
      expect(
        editBody({ operation: 'search-replace', maskPrompt: 'sweater', prompt: 'jacket' })
          .inPaintingParams,
      ).toEqual({
        image: base64Of(image.bytes),
        maskPrompt: 'sweater',
        text: 'jacket',
      });
    });

    it('BACKGROUND_REMOVAL has no imageGenerationConfig', () => {
      expect(editBody({ operation: 'remove-background' }, TITAN)).toEqual({
        taskType: 'BACKGROUND_REMOVAL',
        backgroundRemovalParams: { image: base64Of(image.bytes) },
      });
    });
  });

  describe('edit limits', () => {
    it('needs exactly one of mask and maskPrompt', () => {
      expect(thrownBy(() => edit({ operation: 'inpaint', prompt: 'x' }))).toEqual(
        appError('INVALID_PARAMETER', 'exactly one'),
      );
      expect(
        thrownBy(() => edit({ operation: 'outpaint', prompt: 'x', mask, maskPrompt: 'y' })),
      ).toEqual(appError('INVALID_PARAMETER', 'exactly one'));
    });

    it.each<[string, Partial<EditParams> & Pick<EditParams, 'operation'>, string]>([
      ['prompt on erase', { operation: 'erase', mask, prompt: 'x' }, 'prompt is not supported'],
      [
        'mask on search-replace',
        { operation: 'search-replace', mask, maskPrompt: 'y', prompt: 'x' },
        'mask is not supported',
      ],
      [
        'outpaint margins',
        {
          operation: 'outpaint',
          mask,
          prompt: 'x',
          outpaint: { left: 8, right: 0, up: 0, down: 0 },
        },
        'outpaint is not supported',
      ],
      [
        'style on edits',
        { operation: 'inpaint', mask, prompt: 'x', style: 'PHOTOREALISM' },
        'style is not supported',
      ],
      [
        'growMask',
        { operation: 'inpaint', mask, prompt: 'x', growMask: 2 },
        'growMask is not supported',
      ],
      [
        'seed on background removal',
        { operation: 'remove-background', seed: 1 },
        'seed is not supported',
      ],
      [
        'count on background removal',
        { operation: 'remove-background', count: 2 },
        'count must be 1',
      ],
      ['missing prompt on outpaint', { operation: 'outpaint', mask }, 'prompt'],
      [
        'outPaintingMode on inpaint',
        { operation: 'inpaint', mask, prompt: 'x', outPaintingMode: 'PRECISE' },
        'outPaintingMode is not supported',
      ],
      [
        'an unknown outPaintingMode',
        { operation: 'outpaint', mask, prompt: 'x', outPaintingMode: 'EXACT' as 'PRECISE' },
        'outPaintingMode must be one of: DEFAULT, PRECISE',
      ],
      ['cfgScale on edits', { operation: 'inpaint', mask, prompt: 'x', cfgScale: 11 }, 'cfgScale'],
      [
        'webp input',
        { operation: 'remove-background', image: declaredImage(128, 96, 'image/webp') },
        'image must be one of',
      ],
    ])('rejects %s', (_label, params, message) => {
      expect(thrownBy(() => edit(params))).toEqual(appError('INVALID_PARAMETER', message));
    });

    it.each<[string, [number, number], [number, number], string]>([
      ['sides ≥ 320 px', [320, 320], [304, 320], '320–4096'],
      // 4096 px sides exist only with fewer than 4,194,304 pixels and at most 4:1, i.e. never.
      ['sides ≤ 4096 px', [4080, 1024], [4112, 1040], '320–4096'],
      ['sides divisible by 16', [1008, 752], [1000, 750], 'divisible by 16'],
      ['aspect ratio ≤ 4:1', [1280, 320], [1296, 320], 'between 1:4 and 4:1'],
      ['fewer than 4,194,304 pixels', [2048, 2032], [2048, 2048], 'fewer than 4,194,304'],
    ])(
      'checks Nova input images before the call: %s',
      (_label, [inW, inH], [outW, outH], message) => {
        expect(
          edit({ operation: 'remove-background', image: declaredImage(inW, inH) }),
        ).toHaveLength(1);
        expect(
          thrownBy(() =>
            edit({ operation: 'remove-background', image: declaredImage(outW, outH) }),
          ),
        ).toEqual(appError('INVALID_PARAMETER', 'image', message));
      },
    );

    it('suggests a Nova input size to resize to', () => {
      expect(
        thrownBy(() =>
          edit({ operation: 'inpaint', mask, prompt: 'x', image: declaredImage(1000, 750) }),
        ),
      ).toEqual(appError('INVALID_PARAMETER', 'for example to 992×736'));
      expect(
        thrownBy(() => edit({ operation: 'remove-background', image: declaredImage(4000, 3000) })),
      ).toEqual(appError('INVALID_PARAMETER', 'for example to 2352×1760'));
    });

    it('flattens a transparent PNG onto white before sending it (Nova and Titan refuse alpha)', () => {
      // A remove-background result: opaque red subject on the left, transparent background.
      const transparent = makePng(512, 384, (x) =>
        x < 128 ? [200, 0, 0, 255] : x < 256 ? [0, 0, 200, 128] : [0, 0, 0, 0],
      );
      for (const modelId of [NOVA, TITAN]) {
        const body = editBody(
          { operation: 'inpaint', mask, prompt: 'x', image: { ...image, bytes: transparent } },
          modelId,
        );
        const sent = PNG.sync.read(
          Buffer.from((body.inPaintingParams as { image: string }).image, 'base64'),
        );
        expect(sent.data.every((value, index) => index % 4 !== 3 || value === 255)).toBe(true);
        expect([...sent.data.subarray(0, 4)]).toEqual([200, 0, 0, 255]);
        const half = (300 * 512 + 200) * 4;
        expect([...sent.data.subarray(half, half + 4)]).toEqual([127, 127, 227, 255]);
        const clear = (300 * 512 + 400) * 4;
        expect([...sent.data.subarray(clear, clear + 4)]).toEqual([255, 255, 255, 255]);
      }
      // An opaque PNG is sent byte for byte as it came.
      const opaque = makePng(512, 384, () => [10, 20, 30, 255]);
      const body = editBody({ operation: 'remove-background', image: { ...image, bytes: opaque } });
      expect((body.backgroundRemovalParams as { image: string }).image).toBe(base64Of(opaque));
    });

    it('limits Titan input images to 1408 px on the longer side', () => {
      expect(
        edit({ operation: 'remove-background', image: declaredImage(1408, 600) }, TITAN),
      ).toHaveLength(1);
      expect(
        thrownBy(() =>
          edit({ operation: 'remove-background', image: declaredImage(1409, 600) }, TITAN),
        ),
      ).toEqual(appError('INVALID_PARAMETER', '1408'));
    });

    it('limits maskPrompt to the text length', () => {
      expect(edit({ operation: 'erase', maskPrompt: 'm'.repeat(512) }, TITAN)).toHaveLength(1);
      expect(
        thrownBy(() => edit({ operation: 'erase', maskPrompt: 'm'.repeat(513) }, TITAN)),
      ).toEqual(appError('INVALID_PARAMETER', 'maskPrompt'));
    });
  });

  describe('responses', () => {
    const png = makePng(2, 2);
    const other = makePng(3, 1);

    it('reads images as a list of base64 strings (documented)', () => {
      expect(adapter.parseResponse(NOVA, { images: [base64Of(png), base64Of(other)] }, 2)).toEqual({
        images: [
          { bytes: png, mimeType: 'image/png' },
          { bytes: other, mimeType: 'image/png' },
        ],
        filteredCount: 0,
      });
    });

    it.each(['b64', 'base64', 'bytes', 'image'])(
      'reads images as objects with a %s field',
      (field) => {
        const output = adapter.parseResponse(NOVA, {
          images: [{ [field]: base64Of(png), mimeType: 'image/png' }],
        });
        expect(output.images).toEqual([{ bytes: png, mimeType: 'image/png' }]);
      },
    );

    it('takes the mime type from the bytes over the object’s hint, and the hint over nothing', () => {
      const fromBytes = adapter.parseResponse(NOVA, {
        images: [{ b64: base64Of(png), mimeType: 'image/jpeg' }],
      });
      expect(fromBytes.images[0]?.mimeType).toBe('image/png');
      const unknownBytes = base64Of(new Uint8Array([1, 2, 3]));
      const fromHint = adapter.parseResponse(NOVA, {
        images: [{ b64: unknownBytes, mimeType: 'IMAGE/JPEG' }],
      });
      expect(fromHint.images[0]?.mimeType).toBe('image/jpeg');
    });

    it('turns "All of the generated images have been blocked" into CONTENT_FILTERED', () => {
      expect(
        thrownBy(() =>
          adapter.parseResponse(NOVA, {
            images: [],
            error: 'All of the generated images have been blocked by our content filters.',
          }),
        ),
      ).toEqual(appError('CONTENT_FILTERED', 'All of the generated images have been blocked'));
    });

    it('returns the rest with filteredCount when some were blocked', () => {
      const body = {
        images: [base64Of(png)],
        error: 'Some of the generated images have been blocked by our content filters.',
      };
      expect(adapter.parseResponse(NOVA, body, 3)).toMatchObject({ filteredCount: 2 });
      expect(adapter.parseResponse(NOVA, body).filteredCount).toBe(1);
      expect(adapter.parseResponse(NOVA, body).images).toHaveLength(1);
    });

    it('turns empty, malformed and non-base64 responses into UPSTREAM_ERROR', () => {
      expect(thrownBy(() => adapter.parseResponse(NOVA, { images: [] }))).toEqual(
        appError('UPSTREAM_ERROR'),
      );
      expect(thrownBy(() => adapter.parseResponse(NOVA, { images: [42] }))).toEqual(
        appError('UPSTREAM_ERROR'),
      );
      expect(
        thrownBy(() => adapter.parseResponse(NOVA, { images: [{ mimeType: 'image/png' }] })),
      ).toEqual(appError('UPSTREAM_ERROR', 'not base64'));
    });
  });

  it('refuses other families’ models', () => {
    expect(
      thrownBy(() => adapter.buildTextToImage('stability.stable-image-core-v1:1', { prompt: 'x' })),
    ).toEqual(appError('MODEL_NOT_ALLOWED'));
  });
});
