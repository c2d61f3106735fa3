import { adapterFor } from './catalog.js';
import { stabilityEditAdapter as adapter } from './stability-edit.js';
import { STABILITY_SERVICES } from './stability-services.js';
import { appError, base64Of, declaredImage, makeMask, thrownBy } from './test-fixtures.js';
import type { EditParams } from './types.js';

/*
 * Fixtures: the example request bodies of
 * https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html (each with
 * "image": "<base64>"), and the response body documented on the same page.
 */
const image = declaredImage(512, 512);
const IMAGE = base64Of(image.bytes);
const styleImage = { ...declaredImage(256, 384, 'image/jpeg'), bytes: new Uint8Array([9, 9]) };
const STYLE = base64Of(styleImage.bytes);
const id = (base: string) => `us.stability.${base}`;

function body(
  modelId: string,
  params: Omit<EditParams, 'image'> & { image?: EditParams['image'] },
) {
  const invocations = adapter.buildEdit(modelId, { image, ...params });
  expect(invocations).toHaveLength(1);
  expect(invocations[0]).toMatchObject({ modelId, expectedImages: 1 });
  return invocations[0]!.body;
}

describe('the eight other Stability image services build the documented bodies', () => {
  it('Search and Recolor: prompt + select_prompt (maskPrompt names what to recolour)', () => {
    expect(
      body(id('stable-image-search-recolor-v1:0'), {
        operation: 'search-recolor',
        prompt: 'pink jacket',
        maskPrompt: 'jacket',
      }),
    ).toEqual({
      image: IMAGE,
      prompt: 'pink jacket',
      select_prompt: 'jacket',
      output_format: 'png',
    });
  });

  it('Control Sketch and Control Structure: image + prompt, control_strength when given', () => {
    expect(
      body(id('stable-image-control-sketch-v1:0'), {
        operation: 'control-sketch',
        prompt: 'a house with background of mountains and river flowing nearby',
      }),
    ).toEqual({
      image: IMAGE,
      prompt: 'a house with background of mountains and river flowing nearby',
      output_format: 'png',
    });
    expect(
      body(id('stable-image-control-structure-v1:0'), {
        operation: 'control-structure',
        prompt: 'surreal structure with motion generated sparks lighting the scene',
        controlStrength: 0.4,
        negativePrompt: 'blurry',
        style: 'digital-art',
        seed: 7,
      }),
    ).toEqual({
      image: IMAGE,
      prompt: 'surreal structure with motion generated sparks lighting the scene',
      control_strength: 0.4,
      negative_prompt: 'blurry',
      style_preset: 'digital-art',
      seed: 7,
      output_format: 'png',
    });
  });

  it('Style Guide: image + prompt, fidelity and aspect_ratio when given', () => {
    expect(
      body(id('stable-image-style-guide-v1:0'), {
        operation: 'style-guide',
        prompt: 'wide shot of modern metropolis',
      }),
    ).toEqual({ image: IMAGE, prompt: 'wide shot of modern metropolis', output_format: 'png' });
    expect(
      body(id('stable-image-style-guide-v1:0'), {
        operation: 'style-guide',
        prompt: 'wide shot of modern metropolis',
        fidelity: 0.8,
        aspectRatio: '16:9',
      }),
    ).toMatchObject({ fidelity: 0.8, aspect_ratio: '16:9' });
  });

  it('Style Transfer: init_image + style_image (+ prompt)', () => {
    expect(
      body(id('stable-style-transfer-v1:0'), {
        operation: 'style-transfer',
        styleImage,
        prompt: 'statue',
      }),
    ).toEqual({ init_image: IMAGE, style_image: STYLE, prompt: 'statue', output_format: 'png' });
    expect(
      body(id('stable-style-transfer-v1:0'), {
        operation: 'style-transfer',
        styleImage,
        compositionFidelity: 0.5,
        styleStrength: 0.25,
        changeStrength: 0.1,
      }),
    ).toEqual({
      init_image: IMAGE,
      style_image: STYLE,
      composition_fidelity: 0.5,
      style_strength: 0.25,
      change_strength: 0.1,
      output_format: 'png',
    });
  });

  it('Creative and Conservative Upscale: image + prompt + creativity', () => {
    const prompt = 'This dreamlike digital art captures a vibrant, kaleidoscopic Big Ben in London';
    for (const [base, operation] of [
      ['stable-creative-upscale-v1:0', 'creative-upscale'],
      ['stable-conservative-upscale-v1:0', 'conservative-upscale'],
    ] as const) {
      expect(body(id(base), { operation, prompt, creativity: 0.3 })).toEqual({
        image: IMAGE,
        prompt,
        creativity: 0.3,
        output_format: 'png',
      });
    }
  });

  it('Fast Upscale: the image alone', () => {
    expect(body(id('stable-fast-upscale-v1:0'), { operation: 'fast-upscale' })).toEqual({
      image: IMAGE,
      output_format: 'png',
    });
  });

  it('makes one call per image with consecutive seeds', () => {
    const invocations = adapter.buildEdit(id('stable-image-control-sketch-v1:0'), {
      operation: 'control-sketch',
      image,
      prompt: 'a castle',
      seed: 10,
      count: 3,
    });
    expect(invocations.map((invocation) => invocation.body.seed)).toEqual([10, 11, 12]);
  });

  it('parses the documented response', () => {
    const png = base64Of(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    const output = adapter.parseResponse(
      id('stable-fast-upscale-v1:0'),
      { seeds: [2130420379], finish_reasons: [null], images: [png] },
      1,
    );
    expect(output.filteredCount).toBe(0);
    expect(output.images).toHaveLength(1);
    expect(output.images[0]).toMatchObject({ mimeType: 'image/png', seed: 2130420379 });
    expect(() =>
      adapter.parseResponse(
        id('stable-image-style-guide-v1:0'),
        { finish_reasons: ['Filter reason: prompt'] },
        1,
      ),
    ).toThrow(expect.objectContaining({ code: 'CONTENT_FILTERED' }) as Error);
  });

  it('is the adapter the catalog gives for every new service, each with its own model', () => {
    for (const [operation, spec] of Object.entries(STABILITY_SERVICES)) {
      expect(adapterFor(`us.${spec.modelId}`)).toBe(adapter);
      expect(
        thrownBy(() =>
          adapter.buildEdit(id('stable-image-inpaint-v1:0'), {
            operation: operation as EditParams['operation'],
            image,
            prompt: 'x',
          }),
        ),
      ).toEqual(appError('UNSUPPORTED_OPERATION', 'stable-image-inpaint-v1:0'));
    }
  });
});

describe('the eight services refuse input outside their documented limits', () => {
  const recolor = id('stable-image-search-recolor-v1:0');
  const creative = id('stable-creative-upscale-v1:0');
  const fast = id('stable-fast-upscale-v1:0');

  it.each([
    [
      'creativity above 0.5 (upscale range 0.1–0.5)',
      creative,
      { operation: 'creative-upscale', prompt: 'p', creativity: 0.6 },
      'creativity',
    ],
    [
      'creativity below 0.1',
      id('stable-conservative-upscale-v1:0'),
      { operation: 'conservative-upscale', prompt: 'p', creativity: 0.05 },
      'creativity',
    ],
    [
      'an upscale without the required prompt',
      creative,
      { operation: 'creative-upscale' },
      'prompt',
    ],
    [
      'control_strength above 1',
      id('stable-image-control-sketch-v1:0'),
      { operation: 'control-sketch', prompt: 'p', controlStrength: 1.5 },
      'controlStrength',
    ],
    [
      'fidelity below 0',
      id('stable-image-style-guide-v1:0'),
      { operation: 'style-guide', prompt: 'p', fidelity: -0.1 },
      'fidelity',
    ],
    [
      'an aspect ratio Style Guide does not list',
      id('stable-image-style-guide-v1:0'),
      { operation: 'style-guide', prompt: 'p', aspectRatio: '4:3' },
      'aspectRatio',
    ],
    [
      'change_strength below 0.1',
      id('stable-style-transfer-v1:0'),
      { operation: 'style-transfer', styleImage, changeStrength: 0.05 },
      'changeStrength',
    ],
    [
      'style transfer without a style image',
      id('stable-style-transfer-v1:0'),
      { operation: 'style-transfer' },
      'styleImage',
    ],
    [
      'search-recolor without select_prompt',
      recolor,
      { operation: 'search-recolor', prompt: 'pink' },
      'maskPrompt',
    ],
    [
      'grow_mask above 20',
      recolor,
      { operation: 'search-recolor', prompt: 'pink', maskPrompt: 'jacket', growMask: 21 },
      'growMask',
    ],
    [
      'a seed above 4294967294',
      recolor,
      { operation: 'search-recolor', prompt: 'pink', maskPrompt: 'jacket', seed: 4294967295 },
      'seed',
    ],
    [
      'a style preset that does not exist',
      recolor,
      { operation: 'search-recolor', prompt: 'pink', maskPrompt: 'jacket', style: 'vaporwave' },
      'style',
    ],
    [
      'a painted mask (recolour finds the area from text)',
      recolor,
      {
        operation: 'search-recolor',
        prompt: 'pink',
        maskPrompt: 'jacket',
        mask: makeMask(4, 4, () => true),
      },
      'mask',
    ],
    [
      'a style preset on Conservative Upscale, which takes none',
      id('stable-conservative-upscale-v1:0'),
      { operation: 'conservative-upscale', prompt: 'p', style: 'anime' },
      'style',
    ],
    ['a prompt on Fast Upscale', fast, { operation: 'fast-upscale', prompt: 'sharper' }, 'prompt'],
    ['a seed on Fast Upscale', fast, { operation: 'fast-upscale', seed: 3 }, 'seed'],
    ['two results from Fast Upscale', fast, { operation: 'fast-upscale', count: 2 }, 'count'],
  ] as const)('%s', (_name, modelId, params, field) => {
    const error = thrownBy(() => adapter.buildEdit(modelId, { image, ...params }));
    expect(error).toEqual(appError('INVALID_PARAMETER', field));
    expect(error.details?.map((detail) => detail.path)).toContain(field);
  });

  it.each([
    [
      'Creative Upscale: more than 1,048,576 pixels',
      creative,
      'creative-upscale',
      declaredImage(1025, 1024),
      '1,048,576',
    ],
    [
      'Creative Upscale: fewer than 4,096 pixels',
      creative,
      'creative-upscale',
      declaredImage(64, 63),
      '64 px',
    ],
    [
      'Fast Upscale: a side above 1,536 px',
      fast,
      'fast-upscale',
      declaredImage(1600, 400),
      '1536 px',
    ],
    ['Fast Upscale: a side below 32 px', fast, 'fast-upscale', declaredImage(31, 100), '32 px'],
    ['Fast Upscale: fewer than 1,024 pixels', fast, 'fast-upscale', declaredImage(32, 31), '32 px'],
    [
      'Control Sketch: aspect ratio beyond 2.5:1',
      id('stable-image-control-sketch-v1:0'),
      'control-sketch',
      declaredImage(651, 260),
      '2.5:1',
    ],
    [
      'Search and Recolor: more than 9,437,184 pixels',
      recolor,
      'search-recolor',
      declaredImage(3073, 3072),
      '9,437,184',
    ],
    [
      'Control Sketch: a GIF',
      id('stable-image-control-sketch-v1:0'),
      'control-sketch',
      { ...declaredImage(100, 100), mimeType: 'image/gif' },
      'image/webp',
    ],
  ] as const)('%s', (_name, modelId, operation, badImage, text) => {
    const params = {
      operation,
      image: badImage as EditParams['image'],
      ...(operation === 'fast-upscale' ? {} : { prompt: 'p' }),
      ...(operation === 'search-recolor' ? { maskPrompt: 'jacket' } : {}),
    } as EditParams;
    expect(thrownBy(() => adapter.buildEdit(modelId, params))).toEqual(
      appError('INVALID_PARAMETER', 'image', text),
    );
  });

  it('accepts the edges of each documented image range (no aspect rule for recolor)', () => {
    expect(() =>
      adapter.buildEdit(fast, { operation: 'fast-upscale', image: declaredImage(1536, 682) }),
    ).not.toThrow();
    expect(() =>
      adapter.buildEdit(creative, {
        operation: 'creative-upscale',
        image: declaredImage(1024, 1024),
        prompt: 'p',
      }),
    ).not.toThrow();
    expect(() =>
      adapter.buildEdit(recolor, {
        operation: 'search-recolor',
        image: declaredImage(900, 256),
        prompt: 'p',
        maskPrompt: 'q',
      }),
    ).not.toThrow();
  });

  it('checks the style image too', () => {
    expect(
      thrownBy(() =>
        adapter.buildEdit(id('stable-style-transfer-v1:0'), {
          operation: 'style-transfer',
          image,
          styleImage: declaredImage(40, 40),
        }),
      ),
    ).toEqual(appError('INVALID_PARAMETER', 'styleImage', '64 px'));
  });
});
