import { adapterFor } from '../../../shared/models/catalog.js';
import type { EditParams } from '../../../shared/models/types.js';
import { decodePng, imageSize } from './png.js';
import {
  invokeJson,
  standInForSuite,
  makePngBase64,
  pixelAt,
  testPattern,
  validationError,
} from './test-support.js';

const TITAN = 'amazon.titan-image-generator-v2:0';
const SD35 = 'stability.sd3-5-large-v1:0';
const ULTRA = 'stability.stable-image-ultra-v1:1';
const INPUT = makePngBase64(512, 512, testPattern);

describe('Titan IMAGE_VARIATION and COLOR_GUIDED_GENERATION in the stand-in', () => {
  const bedrock = standInForSuite();

  it('answers a variation at the configured size; similarityStrength 1 keeps the input', async () => {
    const answer = await invokeJson<{ images: string[] }>(bedrock.client, TITAN, {
      taskType: 'IMAGE_VARIATION',
      imageVariationParams: { images: [INPUT], similarityStrength: 1 },
      imageGenerationConfig: { numberOfImages: 2, width: 512, height: 512, seed: 3 },
    });
    expect(answer.images).toHaveLength(2);
    const output = decodePng(answer.images[0] ?? '');
    const input = decodePng(INPUT);
    expect([output.width, output.height]).toEqual([512, 512]);
    expect(pixelAt(output, 100, 200)).toEqual(pixelAt(input, 100, 200));
  });

  it('paints a colour-guided picture in the given colours only', async () => {
    const answer = await invokeJson<{ images: string[] }>(bedrock.client, TITAN, {
      taskType: 'COLOR_GUIDED_GENERATION',
      colorGuidedGenerationParams: {
        colors: ['#ff0000', '#00FF00', '#0000ff'],
        referenceImage: INPUT,
        text: 'a vase of flowers',
      },
      imageGenerationConfig: { width: 768, height: 1152 },
    });
    const output = decodePng(answer.images[0] ?? '');
    expect([output.width, output.height]).toEqual([768, 1152]);
    const colours = new Set<string>();
    for (let y = 0; y < output.height; y += 7) {
      for (let x = 0; x < output.width; x += 7) colours.add(pixelAt(output, x, y).join());
    }
    for (const colour of colours) {
      expect(['255,0,0,255', '0,255,0,255', '0,0,255,255']).toContain(colour);
    }
  });

  it.each([
    [
      'similarityStrength below 0.2',
      {
        taskType: 'IMAGE_VARIATION',
        imageVariationParams: { images: [INPUT], similarityStrength: 0.1 },
      },
      'similarityStrength',
    ],
    [
      'six variation images',
      { taskType: 'IMAGE_VARIATION', imageVariationParams: { images: Array(6).fill(INPUT) } },
      'images',
    ],
    [
      'eleven colours',
      {
        taskType: 'COLOR_GUIDED_GENERATION',
        colorGuidedGenerationParams: { colors: Array(11).fill('#000000'), text: 't' },
      },
      'colors',
    ],
    [
      'a colour name',
      {
        taskType: 'COLOR_GUIDED_GENERATION',
        colorGuidedGenerationParams: { colors: ['red'], text: 't' },
      },
      'colors',
    ],
    [
      'colour guidance without text',
      { taskType: 'COLOR_GUIDED_GENERATION', colorGuidedGenerationParams: { colors: ['#000000'] } },
      'text',
    ],
    [
      'a size outside the Titan table',
      {
        taskType: 'IMAGE_VARIATION',
        imageVariationParams: { images: [INPUT] },
        imageGenerationConfig: { width: 1000, height: 1000 },
      },
      'not a supported size',
    ],
    [
      'an input longer than 1,408 px',
      {
        taskType: 'IMAGE_VARIATION',
        imageVariationParams: { images: [makePngBase64(1409, 64, testPattern)] },
      },
      'at most 1408',
    ],
  ])('refuses %s', async (_name, body, text) => {
    expect(await validationError(invokeJson(bedrock.client, TITAN, body))).toContain(text);
  });

  it('accepts the bodies the adapters build: Titan variation and colour guidance, SD3.5 and Ultra image-to-image', async () => {
    const image = {
      bytes: new Uint8Array(Buffer.from(INPUT, 'base64')),
      mimeType: 'image/png',
      width: 512,
      height: 512,
    } as const;
    // Titan answers at the table size closest to the input's shape (1024×1024 for a square).
    const requests: [string, EditParams, number, number][] = [
      [
        TITAN,
        {
          operation: 'image-variation',
          image,
          prompt: 'p',
          similarityStrength: 0.5,
          count: 2,
          seed: 9,
          cfgScale: 7,
        },
        2,
        1024,
      ],
      [
        TITAN,
        {
          operation: 'color-guided',
          image,
          prompt: 'p',
          colors: ['#123456'],
          negativePrompt: 'n',
          quality: 'premium',
        },
        1,
        1024,
      ],
      [
        SD35,
        {
          operation: 'image-to-image',
          image,
          prompt: 'A car made out of vegetables.',
          strength: 0.7,
          seed: 4,
        },
        1,
        512,
      ],
      [ULTRA, { operation: 'image-to-image', image, prompt: 'p', negativePrompt: 'n' }, 1, 512],
    ];
    for (const [modelId, params, expected, side] of requests) {
      const adapter = adapterFor(modelId);
      const [invocation] = adapter.buildEdit(modelId, params);
      const answer = await invokeJson(bedrock.client, invocation!.modelId, invocation!.body);
      const output = adapter.parseResponse(modelId, answer, invocation!.expectedImages);
      expect({ modelId, images: output.images.length }).toEqual({ modelId, images: expected });
      expect(imageSize(output.images[0]!.bytes)).toMatchObject({ width: side, height: side });
    }
  });
});
