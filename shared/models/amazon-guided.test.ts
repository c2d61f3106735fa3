import { amazonImageAdapter as adapter } from './amazon-image.js';
import { appError, base64Of, declaredImage, makeMask, thrownBy } from './test-fixtures.js';
import type { EditParams } from './types.js';

const TITAN = 'amazon.titan-image-generator-v2:0';
const NOVA = 'amazon.nova-canvas-v1:0';
const image = declaredImage(1024, 1024);
const IMAGE = base64Of(image.bytes);

const build = (params: Partial<EditParams>, modelId = TITAN) =>
  adapter.buildEdit(modelId, { image, ...params } as EditParams);

/*
 * Shapes from https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-image.html
 * (IMAGE_VARIATION: imageVariationParams { images, similarityStrength, text, negativeText };
 * COLOR_GUIDED_GENERATION: colorGuidedGenerationParams { colors, referenceImage, text,
 * negativeText }; both with imageGenerationConfig).
 */
describe('Titan image variation and colour-guided generation', () => {
  it('builds IMAGE_VARIATION from the input image', () => {
    expect(
      build({ operation: 'image-variation', similarityStrength: 0.7, prompt: 'a cat', seed: 42 }),
    ).toEqual([
      {
        modelId: TITAN,
        expectedImages: 1,
        body: {
          taskType: 'IMAGE_VARIATION',
          imageVariationParams: { images: [IMAGE], similarityStrength: 0.7, text: 'a cat' },
          imageGenerationConfig: { numberOfImages: 1, width: 1024, height: 1024, seed: 42 },
        },
      },
    ]);
  });

  it('builds COLOR_GUIDED_GENERATION with the input as the reference image', () => {
    const [invocation] = build({
      operation: 'color-guided',
      prompt: 'a vase of flowers',
      colors: ['#FF9800', '#00ccff'],
      negativePrompt: 'text',
      count: 3,
      cfgScale: 8,
      quality: 'premium',
    });
    expect(invocation).toEqual({
      modelId: TITAN,
      expectedImages: 3,
      body: {
        taskType: 'COLOR_GUIDED_GENERATION',
        colorGuidedGenerationParams: {
          colors: ['#FF9800', '#00ccff'],
          referenceImage: IMAGE,
          text: 'a vase of flowers',
          negativeText: 'text',
        },
        imageGenerationConfig: {
          numberOfImages: 3,
          width: 1024,
          height: 1024,
          quality: 'premium',
          cfgScale: 8,
        },
      },
    });
  });

  it("answers at the Titan size closest to the input's shape", () => {
    const [wide] = build({ operation: 'image-variation', image: declaredImage(1280, 720) });
    expect(wide?.body.imageGenerationConfig).toMatchObject({ width: 1152, height: 640 });
    const [tall] = build({ operation: 'image-variation', image: declaredImage(400, 600) });
    expect(tall?.body.imageGenerationConfig).toMatchObject({ width: 768, height: 1152 });
  });

  it.each([
    [
      'similarityStrength below 0.2',
      { operation: 'image-variation', similarityStrength: 0.1 },
      'similarityStrength',
    ],
    [
      'similarityStrength above 1',
      { operation: 'image-variation', similarityStrength: 1.1 },
      'similarityStrength',
    ],
    [
      'text over 512 characters',
      { operation: 'image-variation', prompt: 'x'.repeat(513) },
      'prompt',
    ],
    ['no colours', { operation: 'color-guided', prompt: 'p', colors: [] }, 'colors'],
    [
      'eleven colours',
      { operation: 'color-guided', prompt: 'p', colors: Array(11).fill('#000000') },
      'colors',
    ],
    [
      'a colour that is not #RRGGBB',
      { operation: 'color-guided', prompt: 'p', colors: ['red'] },
      'colors',
    ],
    ['colour guidance without text', { operation: 'color-guided', colors: ['#000000'] }, 'prompt'],
    ['six images', { operation: 'image-variation', count: 6 }, 'count'],
    ['cfgScale above 10', { operation: 'image-variation', cfgScale: 11 }, 'cfgScale'],
    ['a mask', { operation: 'image-variation', mask: makeMask(2, 2, () => true) }, 'mask'],
    ['colours on a variation', { operation: 'image-variation', colors: ['#000000'] }, 'colors'],
    [
      'an input longer than 1,408 px',
      { operation: 'image-variation', image: declaredImage(1409, 800) },
      '1408 px',
    ],
    [
      'a WebP input',
      { operation: 'image-variation', image: declaredImage(512, 512, 'image/webp') },
      'image/jpeg',
    ],
  ] as const)('refuses %s with INVALID_PARAMETER', (_name, params, text) => {
    expect(thrownBy(() => build(params as Partial<EditParams>))).toEqual(
      appError('INVALID_PARAMETER', text),
    );
  });

  it('leaves Nova Canvas (past end of life) without these operations', () => {
    expect(thrownBy(() => build({ operation: 'image-variation' }, NOVA))).toEqual(
      appError('UNSUPPORTED_OPERATION', NOVA),
    );
  });
});
