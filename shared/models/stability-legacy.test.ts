import { SDXL_SIZES, stabilityLegacyAdapter as adapter } from './stability-legacy.js';
import { appError, base64Of, declaredImage, makePng, thrownBy } from './test-fixtures.js';
import type { GenerateParams } from './types.js';

const SDXL = 'stability.stable-diffusion-xl-v1';

function build(params: Partial<GenerateParams>) {
  return adapter.buildTextToImage(SDXL, { prompt: 'a lighthouse', ...params });
}

function bodyOf(params: Partial<GenerateParams>): Record<string, unknown> {
  const invocations = build(params);
  expect(invocations).toHaveLength(1);
  return invocations[0]!.body;
}

describe('Adapter: stability-legacy (SDXL 1.0)', () => {
  describe('request bodies', () => {
    it('reproduces the documented AWS CLI example body', () => {
      // {"text_prompts":[{"text":"beach with palm trees"}],"cfg_scale":10,"seed":0,"steps":50}
      const body = bodyOf({ prompt: 'beach with palm trees', cfgScale: 10, seed: 0, steps: 50 });
      expect(body).toEqual({
        text_prompts: [{ text: 'beach with palm trees' }],
        cfg_scale: 10,
        seed: 0,
        steps: 50,
        width: 1024,
        height: 1024,
        samples: 1,
      });
    });

    it('reproduces the original project body (seed 000: cfg 10, steps 30, seed 0)', () => {
      const body = bodyOf({
        prompt: 'A futuristic city skyline at sunset',
        cfgScale: 10,
        steps: 30,
        seed: 0,
      });
      expect(body).toMatchObject({
        text_prompts: [{ text: 'A futuristic city skyline at sunset' }],
        cfg_scale: 10,
        steps: 30,
        seed: 0,
      });
    });

    it('sends a negative prompt with weight -1 and the style preset', () => {
      const body = bodyOf({
        prompt: 'a lighthouse at dawn, oil painting',
        negativePrompt: 'blurry, low quality',
        width: 1024,
        height: 1024,
        cfgScale: 7,
        steps: 30,
        seed: 0,
        style: 'digital-art',
      });
      expect(body).toEqual({
        text_prompts: [
          { text: 'a lighthouse at dawn, oil painting' },
          { text: 'blurry, low quality', weight: -1 },
        ],
        width: 1024,
        height: 1024,
        cfg_scale: 7,
        steps: 30,
        seed: 0,
        samples: 1,
        style_preset: 'digital-art',
      });
    });

    it('makes one invocation per image, with consecutive seeds', () => {
      const invocations = build({ count: 3, seed: 41 });
      expect(invocations.map((invocation) => invocation.body.seed)).toEqual([41, 42, 43]);
      expect(invocations.every((invocation) => invocation.body.samples === 1)).toBe(true);
      expect(invocations.every((invocation) => invocation.modelId === SDXL)).toBe(true);
    });

    it('maps an aspect ratio to the closest allowed size', () => {
      expect(bodyOf({ aspectRatio: '16:9' })).toMatchObject({ width: 1344, height: 768 });
      expect(bodyOf({ aspectRatio: '1:1' })).toMatchObject({ width: 1024, height: 1024 });
      expect(bodyOf({ aspectRatio: '2:3' })).toMatchObject({ width: 832, height: 1216 });
    });
  });

  describe('limits', () => {
    it.each(SDXL_SIZES.map((size) => [size.width, size.height]))(
      'accepts %i×%i',
      (width, height) => {
        expect(bodyOf({ width, height })).toMatchObject({ width, height });
      },
    );

    it.each<[string, Partial<GenerateParams>, Partial<GenerateParams>, string]>([
      ['prompt', { prompt: 'p'.repeat(2000) }, { prompt: 'p'.repeat(2001) }, 'prompt'],
      [
        'negativePrompt',
        { negativePrompt: 'n'.repeat(2000) },
        { negativePrompt: 'n'.repeat(2001) },
        'negativePrompt',
      ],
      ['cfgScale max', { cfgScale: 35 }, { cfgScale: 35.1 }, 'cfgScale'],
      ['cfgScale min', { cfgScale: 0 }, { cfgScale: -0.1 }, 'cfgScale'],
      ['steps min', { steps: 10 }, { steps: 9 }, 'steps'],
      ['steps max', { steps: 50 }, { steps: 51 }, 'steps'],
      ['seed max', { seed: 4_294_967_295 }, { seed: 4_294_967_296 }, 'seed'],
      ['seed min', { seed: 0 }, { seed: -1 }, 'seed'],
      ['count', { count: 5 }, { count: 6 }, 'count'],
      ['style', { style: 'tile-texture' }, { style: 'watercolor' }, 'style'],
      ['size', { width: 1536, height: 640 }, { width: 1536, height: 576 }, 'width×height'],
      ['aspectRatio', { aspectRatio: '12:5' }, { aspectRatio: '5:1' }, 'aspectRatio'],
    ])(
      '%s: just inside passes, just outside fails naming the field',
      (_label, inside, outside, field) => {
        expect(build(inside).length).toBeGreaterThan(0);
        expect(thrownBy(() => build(outside))).toEqual(appError('INVALID_PARAMETER', field, SDXL));
      },
    );

    it('rejects quality, which SDXL has no setting for', () => {
      expect(thrownBy(() => build({ quality: 'premium' }))).toEqual(
        appError('INVALID_PARAMETER', 'quality is not supported'),
      );
    });

    it('rejects an empty prompt and a lone width', () => {
      expect(thrownBy(() => build({ prompt: '' }))).toEqual(
        appError('INVALID_PARAMETER', 'prompt'),
      );
      expect(thrownBy(() => build({ width: 1024 }))).toEqual(
        appError('INVALID_PARAMETER', 'width×height'),
      );
    });

    it('lists the allowed sizes when a size is wrong', () => {
      expect(thrownBy(() => build({ width: 512, height: 512 }))).toEqual(
        appError('INVALID_PARAMETER', '1024×1024', '896×1152', 'got 512×512'),
      );
    });
  });

  describe('responses', () => {
    const png = makePng(2, 2);

    it('decodes the documented response', () => {
      const output = adapter.parseResponse(SDXL, {
        result: 'success',
        artifacts: [{ seed: 123, base64: base64Of(png), finishReason: 'SUCCESS' }],
      });
      expect(output.filteredCount).toBe(0);
      expect(output.images).toHaveLength(1);
      expect(output.images[0]).toEqual({ bytes: png, mimeType: 'image/png', seed: 123 });
    });

    it('reads a seed sent as a string', () => {
      const output = adapter.parseResponse(SDXL, {
        artifacts: [{ seed: '77', base64: base64Of(png), finishReason: 'SUCCESS' }],
      });
      expect(output.images[0]?.seed).toBe(77);
    });

    it('treats CONTENT_FILTERED as filtered, never returning the blurred image', () => {
      expect(
        thrownBy(() =>
          adapter.parseResponse(SDXL, {
            result: 'success',
            artifacts: [{ seed: 1, base64: base64Of(png), finishReason: 'CONTENT_FILTERED' }],
          }),
        ),
      ).toEqual(appError('CONTENT_FILTERED'));
    });

    it('turns finishReason ERROR and malformed bodies into UPSTREAM_ERROR', () => {
      expect(
        thrownBy(() =>
          adapter.parseResponse(SDXL, {
            artifacts: [{ seed: 1, base64: '', finishReason: 'ERROR' }],
          }),
        ),
      ).toEqual(appError('UPSTREAM_ERROR'));
      expect(thrownBy(() => adapter.parseResponse(SDXL, { result: 'success' }))).toEqual(
        appError('UPSTREAM_ERROR'),
      );
      expect(
        thrownBy(() =>
          adapter.parseResponse(SDXL, {
            artifacts: [{ base64: 'not base64!', finishReason: 'SUCCESS' }],
          }),
        ),
      ).toEqual(appError('UPSTREAM_ERROR', 'not base64'));
    });
  });

  it('cannot edit and refuses other families’ models', () => {
    expect(
      thrownBy(() =>
        adapter.buildEdit(SDXL, { operation: 'inpaint', image: declaredImage(64, 64) }),
      ),
    ).toEqual(appError('UNSUPPORTED_OPERATION'));
    expect(
      thrownBy(() => adapter.buildTextToImage('amazon.nova-canvas-v1:0', { prompt: 'x' })),
    ).toEqual(appError('MODEL_NOT_ALLOWED', 'amazon.nova-canvas-v1:0'));
  });
});
