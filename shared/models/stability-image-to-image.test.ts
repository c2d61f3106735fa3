import { adapterFor } from './catalog.js';
import { stabilityCurrentAdapter as adapter } from './stability-current.js';
import { appError, base64Of, declaredImage, makeMask, thrownBy } from './test-fixtures.js';
import type { EditParams } from './types.js';

const SD35 = 'stability.sd3-5-large-v1:0';
const ULTRA = 'stability.stable-image-ultra-v1:1';
const CORE = 'stability.stable-image-core-v1:1';
const image = declaredImage(512, 384, 'image/webp');
const IMAGE = base64Of(image.bytes);

const build = (modelId: string, params: Partial<EditParams>) =>
  adapter.buildEdit(modelId, { operation: 'image-to-image', image, ...params });

describe('image-to-image on SD3.5 Large and Stable Image Ultra', () => {
  it('builds the documented SD3.5 Large example, with mode sent explicitly', () => {
    // model-parameters-diffusion-3-5-large.html: { "prompt": "A car made out of vegetables.",
    // "image": "<base64>", "strength": 0.7 }; image-to-image is selected with mode.
    const [invocation, ...rest] = build(SD35, {
      prompt: 'A car made out of vegetables.',
      strength: 0.7,
    });
    expect(rest).toHaveLength(0);
    expect(invocation).toEqual({
      modelId: SD35,
      expectedImages: 1,
      body: {
        prompt: 'A car made out of vegetables.',
        mode: 'image-to-image',
        image: IMAGE,
        strength: 0.7,
        output_format: 'png',
      },
    });
    expect(adapterFor(`us.${SD35}`)).toBe(adapter);
  });

  it('builds Ultra image-to-image without mode; strength may be left to its default', () => {
    expect(build(ULTRA, { prompt: 'a watercolour', negativePrompt: 'text' })[0]?.body).toEqual({
      prompt: 'a watercolour',
      image: IMAGE,
      negative_prompt: 'text',
      output_format: 'png',
    });
  });

  it('makes one call per image with consecutive seeds', () => {
    const bodies = build(ULTRA, { prompt: 'p', strength: 0.2, seed: 4_294_967_295, count: 2 });
    expect(bodies.map((invocation) => invocation.body.seed)).toEqual([4_294_967_295, 1]);
  });

  it.each([
    [
      'strength missing on SD3.5 ("requires the prompt, image, and strength")',
      SD35,
      {},
      'strength',
    ],
    ['strength above 1', ULTRA, { strength: 1.01 }, 'strength'],
    ['strength below 0', SD35, { strength: -0.1 }, 'strength'],
    ['an SD3.5 seed above 4294967294', SD35, { strength: 0.5, seed: 4_294_967_295 }, 'seed'],
    ['no prompt', SD35, { prompt: undefined, strength: 0.5 }, 'prompt'],
    ['a mask', ULTRA, { mask: makeMask(4, 4, () => true) }, 'mask'],
    ['an outpaint margin', ULTRA, { outpaint: { left: 1, right: 0, up: 0, down: 0 } }, 'outpaint'],
    [
      'an SD3.5 input below 64 px a side',
      SD35,
      { strength: 0.5, image: declaredImage(63, 200) },
      '64 px',
    ],
    ['a GIF', ULTRA, { image: { ...image, mimeType: 'image/gif' } }, 'image/webp'],
  ] as const)('refuses %s with INVALID_PARAMETER', (_name, modelId, params, text) => {
    expect(
      thrownBy(() => build(modelId, { prompt: 'p', ...params } as Partial<EditParams>)),
    ).toEqual(appError('INVALID_PARAMETER', text));
  });

  it('is UNSUPPORTED_OPERATION on Stable Image Core, which is text-to-image only', () => {
    expect(thrownBy(() => build(CORE, { prompt: 'p', strength: 0.5 }))).toEqual(
      appError('UNSUPPORTED_OPERATION', CORE),
    );
  });
});
