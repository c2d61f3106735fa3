import { adapterFor } from '../../../shared/models/catalog.js';
import type { EditParams } from '../../../shared/models/types.js';
import { decodePng, imageSize, type RgbaImage } from './png.js';
import {
  invokeJson,
  standInForSuite,
  makePngBase64,
  pixelAt,
  testPattern,
  validationError,
} from './test-support.js';

interface StabilityAnswer {
  seeds?: number[];
  finish_reasons: (string | null)[];
  images?: string[];
}

const id = (name: string) => `us.stability.${name}`;
const RECOLOR = id('stable-image-search-recolor-v1:0');
const SKETCH = id('stable-image-control-sketch-v1:0');
const STRUCTURE = id('stable-image-control-structure-v1:0');
const STYLE_GUIDE = id('stable-image-style-guide-v1:0');
const STYLE_TRANSFER = id('stable-style-transfer-v1:0');
const CREATIVE = id('stable-creative-upscale-v1:0');
const CONSERVATIVE = id('stable-conservative-upscale-v1:0');
const FAST = id('stable-fast-upscale-v1:0');

const W = 96;
const H = 80;
const INPUT = makePngBase64(W, H, testPattern);
const STYLE = makePngBase64(64, 64, () => [200, 30, 30, 255]);

const rgb = (image: RgbaImage, x: number, y: number) => pixelAt(image, x, y).slice(0, 3).join();

describe('the other eight Stability image services in the stand-in', () => {
  const bedrock = standInForSuite();
  const input = decodePng(INPUT);

  const first = async (modelId: string, body: object) => {
    const answer = await invokeJson<StabilityAnswer>(bedrock.client, modelId, body);
    expect(answer.finish_reasons).toEqual([null]);
    expect(answer.seeds?.[0]).toBeGreaterThan(0);
    return decodePng(answer.images?.[0] ?? '');
  };

  describe('answers the documented example bodies of stable-image-services.html', () => {
    it('Search and Recolor changes only the located object (the grown middle half)', async () => {
      const output = await first(RECOLOR, {
        image: INPUT,
        prompt: 'pink jacket',
        select_prompt: 'jacket',
        grow_mask: 0,
      });
      expect([output.width, output.height]).toEqual([W, H]);
      const counts = { changedInside: 0, changedOutside: 0 };
      for (let y = 0; y < H; y += 1) {
        for (let x = 0; x < W; x += 1) {
          const inside = x >= W / 4 && x < (3 * W) / 4 && y >= H / 4 && y < (3 * H) / 4;
          if (rgb(output, x, y) === rgb(input, x, y)) continue;
          if (inside) counts.changedInside += 1;
          else counts.changedOutside += 1;
        }
      }
      expect(counts.changedOutside).toBe(0);
      expect(counts.changedInside).toBeGreaterThan((W * H) / 8);
    });

    it.each([
      [SKETCH, 'a house with background of mountains and river flowing nearby'],
      [STRUCTURE, 'surreal structure with motion generated sparks lighting the scene'],
    ])('%s keeps the input size; control_strength 1 keeps the input', async (modelId, prompt) => {
      const loose = await first(modelId, { image: INPUT, prompt });
      expect([loose.width, loose.height]).toEqual([W, H]);
      expect(rgb(loose, 10, 10)).not.toBe(rgb(input, 10, 10));
      const strict = await first(modelId, { image: INPUT, prompt, control_strength: 1 });
      expect(rgb(strict, 10, 10)).toBe(rgb(input, 10, 10));
    });

    it('Style Guide answers at the aspect_ratio size (default 1:1)', async () => {
      const square = await first(STYLE_GUIDE, {
        image: INPUT,
        prompt: 'wide shot of modern metropolis',
      });
      expect([square.width, square.height]).toEqual([1024, 1024]);
      const wide = await first(STYLE_GUIDE, {
        image: INPUT,
        prompt: 'p',
        aspect_ratio: '16:9',
        fidelity: 1,
      });
      expect([wide.width, wide.height]).toEqual([1344, 768]);
    });

    it("Style Transfer keeps init_image's size and takes on the style picture", async () => {
      const output = await first(STYLE_TRANSFER, {
        init_image: INPUT,
        style_image: STYLE,
        prompt: 'statue',
        style_strength: 1,
        change_strength: 1,
      });
      expect([output.width, output.height]).toEqual([W, H]);
      expect(rgb(output, 5, 5)).toBe('200,30,30');
    });

    it('Fast Upscale enlarges by exactly 4, pixel for pixel', async () => {
      const output = await first(FAST, { image: INPUT });
      expect([output.width, output.height]).toEqual([4 * W, 4 * H]);
      for (const [x, y] of [
        [0, 0],
        [95, 79],
        [40, 33],
      ] as const) {
        expect(rgb(output, 4 * x + 3, 4 * y + 1)).toBe(rgb(input, x, y));
      }
    });

    it('Conservative Upscale keeps the picture; Creative Upscale reimagines it', async () => {
      const prompt =
        'This dreamlike digital art captures a vibrant, kaleidoscopic Big Ben in London';
      const conservative = await first(CONSERVATIVE, { image: INPUT, prompt, creativity: 0.3 });
      expect([conservative.width, conservative.height]).toEqual([4 * W, 4 * H]);
      expect(rgb(conservative, 4 * 40, 4 * 33)).toBe(rgb(input, 40, 33));
      const creative = await first(CREATIVE, { image: INPUT, prompt, creativity: 0.3 });
      expect([creative.width, creative.height]).toEqual([4 * W, 4 * H]);
      expect(rgb(creative, 4 * 40, 4 * 33)).not.toBe(rgb(input, 40, 33));
    });
  });

  describe('refuses what the page does not allow', () => {
    it.each([
      [
        'Creative Upscale creativity above 0.5',
        CREATIVE,
        { image: INPUT, prompt: 'p', creativity: 0.6 },
        'creativity',
      ],
      ['Creative Upscale without a prompt', CREATIVE, { image: INPUT }, 'prompt'],
      [
        'Conservative Upscale with a style preset',
        CONSERVATIVE,
        { image: INPUT, prompt: 'p', style_preset: 'anime' },
        'style_preset',
      ],
      ['Fast Upscale with a prompt', FAST, { image: INPUT, prompt: 'p' }, 'prompt'],
      ['Fast Upscale with a seed', FAST, { image: INPUT, seed: 1 }, 'seed'],
      [
        'control_strength above 1',
        SKETCH,
        { image: INPUT, prompt: 'p', control_strength: 1.2 },
        'control_strength',
      ],
      [
        'a Style Guide aspect ratio outside the nine',
        STYLE_GUIDE,
        { image: INPUT, prompt: 'p', aspect_ratio: '4:3' },
        'aspect_ratio',
      ],
      [
        'change_strength below 0.1',
        STYLE_TRANSFER,
        { init_image: INPUT, style_image: STYLE, change_strength: 0.05 },
        'change_strength',
      ],
      ['Style Transfer without style_image', STYLE_TRANSFER, { init_image: INPUT }, 'style_image'],
      [
        'Search and Recolor without select_prompt',
        RECOLOR,
        { image: INPUT, prompt: 'p' },
        'select_prompt',
      ],
      [
        'a mask on Search and Recolor',
        RECOLOR,
        { image: INPUT, prompt: 'p', select_prompt: 'q', mask: INPUT },
        'mask',
      ],
      [
        'a seed above 4294967294',
        RECOLOR,
        { image: INPUT, prompt: 'p', select_prompt: 'q', seed: 4294967295 },
        'seed',
      ],
    ])('%s', async (_name, modelId, body, field) => {
      expect(await validationError(invokeJson(bedrock.client, modelId, body))).toContain(field);
    });

    it.each([
      [
        'Creative Upscale: more than 1,048,576 pixels',
        CREATIVE,
        makePngBase64(1025, 1024, testPattern),
        'at most 1048576 pixels',
      ],
      [
        'Fast Upscale: a side longer than 1,536 px',
        FAST,
        makePngBase64(1537, 40, testPattern),
        'at most 1536 pixels',
      ],
      [
        'Fast Upscale: a side shorter than 32 px',
        FAST,
        makePngBase64(31, 64, testPattern),
        'at least 32 pixels',
      ],
      [
        'Fast Upscale: fewer than 1,024 pixels',
        FAST,
        makePngBase64(32, 31, testPattern),
        'at least 32 pixels',
      ],
      [
        'Control Sketch: aspect ratio beyond 2.5:1',
        SKETCH,
        makePngBase64(251, 100, testPattern),
        '1:2.5 and 2.5:1',
      ],
      [
        'Conservative Upscale: a side shorter than 64 px',
        CONSERVATIVE,
        makePngBase64(63, 100, testPattern),
        'at least 64 pixels',
      ],
    ])('%s', async (_name, modelId, image, text) => {
      const body = modelId === FAST ? { image } : { image, prompt: 'p' };
      expect(await validationError(invokeJson(bedrock.client, modelId, body))).toContain(text);
    });
  });

  it('accepts every body the adapters build for these services', async () => {
    const bytes = new Uint8Array(Buffer.from(INPUT, 'base64'));
    const image = { bytes, mimeType: 'image/png', width: W, height: H } as const;
    const styleImage = {
      bytes: new Uint8Array(Buffer.from(STYLE, 'base64')),
      mimeType: 'image/png',
      width: 64,
      height: 64,
    } as const;
    const requests: [string, EditParams][] = [
      [
        RECOLOR,
        {
          operation: 'search-recolor',
          image,
          prompt: 'pink',
          maskPrompt: 'jacket',
          growMask: 3,
          style: 'anime',
          negativePrompt: 'n',
          seed: 5,
        },
      ],
      [
        SKETCH,
        {
          operation: 'control-sketch',
          image,
          prompt: 'p',
          controlStrength: 0.2,
          style: 'pixel-art',
        },
      ],
      [STRUCTURE, { operation: 'control-structure', image, prompt: 'p', negativePrompt: 'n' }],
      [
        STYLE_GUIDE,
        { operation: 'style-guide', image, prompt: 'p', fidelity: 0.9, aspectRatio: '9:21' },
      ],
      [
        STYLE_TRANSFER,
        {
          operation: 'style-transfer',
          image,
          styleImage,
          prompt: 'p',
          compositionFidelity: 0.2,
          styleStrength: 0.3,
          changeStrength: 0.4,
        },
      ],
      [
        CREATIVE,
        { operation: 'creative-upscale', image, prompt: 'p', creativity: 0.5, style: 'enhance' },
      ],
      [CONSERVATIVE, { operation: 'conservative-upscale', image, prompt: 'p', creativity: 0.1 }],
      [FAST, { operation: 'fast-upscale', image }],
    ];
    for (const [modelId, params] of requests) {
      const adapter = adapterFor(modelId);
      for (const invocation of adapter.buildEdit(modelId, params)) {
        const answer = await invokeJson(bedrock.client, invocation.modelId, invocation.body);
        const output = adapter.parseResponse(modelId, answer, invocation.expectedImages);
        expect({ modelId, images: output.images.length }).toEqual({ modelId, images: 1 });
        expect(imageSize(output.images[0]!.bytes).format).toBe('png');
      }
    }
  });
});
