import { encodeImage } from './image-codec.js';
import { decodePng, imageSize } from './png.js';
import {
  changedPixels,
  invokeJson,
  standInForSuite,
  makePngBase64,
  pixelAt,
  samePixel,
  solidWebpBase64,
  testPattern,
  validationError,
} from './test-support.js';

interface StabilityAnswer {
  seeds?: number[];
  finish_reasons: (string | null)[];
  images?: string[];
}

interface SdxlAnswer {
  result: string;
  artifacts: { seed: number; base64: string; finishReason: string }[];
}

const SDXL = 'stability.stable-diffusion-xl-v1';
const CORE = 'stability.stable-image-core-v1:1';
const ULTRA = 'stability.stable-image-ultra-v1:1';
const SD35 = 'stability.sd3-5-large-v1:0';
const INPAINT = 'us.stability.stable-image-inpaint-v1:0';
const OUTPAINT = 'us.stability.stable-outpaint-v1:0';
const ERASE = 'us.stability.stable-image-erase-object-v1:0';
const SEARCH_REPLACE = 'us.stability.stable-image-search-replace-v1:0';
const REMOVE_BACKGROUND = 'us.stability.stable-image-remove-background-v1:0';

const W = 96;
const H = 80;
const INPUT = makePngBase64(W, H, testPattern);

/** The rectangle the masks below mark for editing. */
const RECT = { x0: 30, y0: 20, x1: 60, y1: 50 };
const inRect = (x: number, y: number) => x >= RECT.x0 && x < RECT.x1 && y >= RECT.y0 && y < RECT.y1;
/** Chebyshev distance from (x, y) to the rectangle. */
const distanceToRect = (x: number, y: number) =>
  Math.max(RECT.x0 - x, x - (RECT.x1 - 1), RECT.y0 - y, y - (RECT.y1 - 1), 0);

const WHITE_RECT_MASK = makePngBase64(W, H, (x, y) =>
  inRect(x, y) ? [255, 255, 255, 255] : [0, 0, 0, 255],
);

describe('Stability models', () => {
  const bedrock = standInForSuite();
  const input = decodePng(INPUT);

  describe('SDXL 1.0 (legacy)', () => {
    it('answers the documented CLI example with one 1024x1024 artifact and the seed it drew', async () => {
      const answer = await invokeJson<SdxlAnswer>(bedrock.client, SDXL, {
        text_prompts: [{ text: 'beach with palm trees' }],
        cfg_scale: 10,
        seed: 0,
        steps: 50,
      });
      expect(answer.result).toBe('success');
      expect(answer.artifacts).toHaveLength(1);
      const [artifact] = answer.artifacts;
      expect(artifact?.finishReason).toBe('SUCCESS');
      expect(artifact?.seed).toBeGreaterThan(0);
      expect(imageSize(artifact?.base64 ?? '')).toEqual({
        width: 1024,
        height: 1024,
        format: 'png',
      });
    });

    it('honours a documented width x height pair and refuses others', async () => {
      const answer = await invokeJson<SdxlAnswer>(bedrock.client, SDXL, {
        text_prompts: [
          { text: 'a lighthouse at dawn', weight: 1 },
          { text: 'blurry', weight: -1 },
        ],
        width: 1344,
        height: 768,
        samples: 1,
        style_preset: 'digital-art',
        seed: 5,
      });
      expect(imageSize(answer.artifacts[0]?.base64 ?? '')).toMatchObject({
        width: 1344,
        height: 768,
      });
      expect(answer.artifacts[0]?.seed).toBe(5);
      expect(
        await validationError(
          invokeJson(bedrock.client, SDXL, {
            text_prompts: [{ text: 'x' }],
            width: 512,
            height: 512,
          }),
        ),
      ).toMatch(/#\/width: 512x512 is not a supported size/);
    });

    it('refuses samples other than 1, steps out of range and unknown keys', async () => {
      expect(
        await validationError(
          invokeJson(bedrock.client, SDXL, { text_prompts: [{ text: 'x' }], samples: 2 }),
        ),
      ).toMatch(/#\/samples/);
      expect(
        await validationError(
          invokeJson(bedrock.client, SDXL, { text_prompts: [{ text: 'x' }], steps: 5 }),
        ),
      ).toMatch(/#\/steps: 5 is not greater or equal to 10/);
      expect(
        await validationError(
          invokeJson(bedrock.client, SDXL, { text_prompts: [{ text: 'x' }], prompt: 'x' }),
        ),
      ).toMatch(/extraneous key \[prompt\]/);
      expect(await validationError(invokeJson(bedrock.client, SDXL, { text_prompts: [] }))).toMatch(
        /#\/text_prompts: expected minimum item count: 1/,
      );
    });
  });

  describe('Core, Ultra and SD3.5 Large', () => {
    it.each([
      [CORE, { prompt: 'Create an image of a panda' }],
      [ULTRA, { prompt: 'A car made out of vegetables.' }],
      [SD35, { prompt: 'A car made out of vegetables.' }],
    ])(
      '%s answers its documented example with one square image and a seed',
      async (modelId, body) => {
        const answer = await invokeJson<StabilityAnswer>(bedrock.client, modelId, body);
        expect(answer.finish_reasons).toEqual([null]);
        expect(answer.seeds).toEqual([expect.any(Number)]);
        expect(answer.seeds?.[0]).toBeGreaterThan(0);
        expect(answer.images).toHaveLength(1);
        const size = imageSize(answer.images?.[0] ?? '');
        expect(size.format).toBe('png');
        expect(size.width).toBe(size.height);
      },
    );

    it('sizes the output by aspect ratio at about one megapixel', async () => {
      for (const [ratio, width, height] of [
        ['16:9', 16, 9],
        ['9:21', 9, 21],
      ] as const) {
        const answer = await invokeJson<StabilityAnswer>(bedrock.client, CORE, {
          prompt: 'x',
          aspect_ratio: ratio,
          seed: 3,
        });
        const size = imageSize(answer.images?.[0] ?? '');
        expect(Math.abs(size.width / size.height - width / height)).toBeLessThan(0.05);
        expect(size.width * size.height).toBeGreaterThan(800_000);
        expect(size.width * size.height).toBeLessThan(1_300_000);
      }
    });

    it('is deterministic for a fixed seed and differs for another seed', async () => {
      const body = { prompt: 'a red fox', aspect_ratio: '21:9', seed: 42 };
      const first = await invokeJson<StabilityAnswer>(bedrock.client, CORE, body);
      const again = await invokeJson<StabilityAnswer>(bedrock.client, CORE, body);
      const other = await invokeJson<StabilityAnswer>(bedrock.client, CORE, { ...body, seed: 43 });
      expect(first.seeds).toEqual([42]);
      expect(again.images?.[0]).toBe(first.images?.[0]);
      expect(other.images?.[0]).not.toBe(first.images?.[0]);
    });

    it('encodes JPEG when asked', async () => {
      const answer = await invokeJson<StabilityAnswer>(bedrock.client, ULTRA, {
        prompt: 'x',
        output_format: 'jpeg',
        aspect_ratio: '9:16',
        seed: 1,
      });
      expect(imageSize(answer.images?.[0] ?? '').format).toBe('jpeg');
    });

    it('does SD3.5 image-to-image at the input size', async () => {
      const body = { prompt: 'A car made out of vegetables.', image: INPUT, strength: 0.7 };
      const answer = await invokeJson<StabilityAnswer>(bedrock.client, SD35, body);
      expect(imageSize(answer.images?.[0] ?? '')).toMatchObject({ width: W, height: H });
      const explicit = await invokeJson<StabilityAnswer>(bedrock.client, SD35, {
        ...body,
        mode: 'image-to-image',
        seed: 9,
      });
      expect(explicit.seeds).toEqual([9]);
      expect(
        await validationError(
          invokeJson(bedrock.client, SD35, { prompt: 'x', mode: 'image-to-image', image: INPUT }),
        ),
      ).toMatch(/#\/strength: required/);
      expect(
        await validationError(
          invokeJson(bedrock.client, SD35, { prompt: 'x', mode: 'text-to-image', image: INPUT }),
        ),
      ).toMatch(/#\/image/);
    });

    it('refuses fields the model does not document, naming them', async () => {
      expect(
        await validationError(invokeJson(bedrock.client, CORE, { prompt: 'x', steps: 30 })),
      ).toMatch(/^Malformed input request: #: extraneous key \[steps\] is not permitted/);
      expect(
        await validationError(invokeJson(bedrock.client, CORE, { negative_prompt: 'x' })),
      ).toMatch(/#: required key \[prompt\] not found/);
      expect(
        await validationError(
          invokeJson(bedrock.client, CORE, { prompt: 'x', aspect_ratio: '7:3' }),
        ),
      ).toMatch(/#\/aspect_ratio: "7:3" is not a valid enum value/);
      expect(
        await validationError(
          invokeJson(bedrock.client, CORE, { prompt: 'x', output_format: 'webp' }),
        ),
      ).toMatch(/#\/output_format/);
      expect(
        await validationError(invokeJson(bedrock.client, SD35, { prompt: 'x', seed: 4294967295 })),
      ).toMatch(/#\/seed/);
      expect(
        await validationError(invokeJson(bedrock.client, CORE, { prompt: 'x', seed: 'abc' })),
      ).toMatch(/#\/seed: expected type: (Integer|Number), found: String/);
    });

    it('answers the content-filter triggers with 200 and no image', async () => {
      expect(await invokeJson(bedrock.client, CORE, { prompt: 'x [[filter]]' })).toEqual({
        finish_reasons: ['Filter reason: prompt'],
      });
      const output = await invokeJson<StabilityAnswer>(bedrock.client, CORE, {
        prompt: 'x [[filter-output]]',
        seed: 8,
      });
      expect(output).toEqual({ seeds: [8], finish_reasons: ['Filter reason: output image'] });
    });
  });

  describe('image services', () => {
    it('inpaints only the white pixels of the mask when grow_mask is 0', async () => {
      const answer = await invokeJson<StabilityAnswer>(bedrock.client, INPAINT, {
        image: INPUT,
        mask: WHITE_RECT_MASK,
        prompt: 'artificer of time and space',
        grow_mask: 0,
      });
      expect(answer.finish_reasons).toEqual([null]);
      const output = decodePng(answer.images?.[0] ?? '');
      expect([output.width, output.height]).toEqual([W, H]);
      const counts = changedPixels(input, output, inRect);
      expect(counts.changedOutside).toBe(0);
      expect(counts.changedInside).toBeGreaterThan(counts.inside * 0.9);
    });

    it('grows the mask by grow_mask (default 5) and leaves pixels beyond untouched', async () => {
      const answer = await invokeJson<StabilityAnswer>(bedrock.client, INPAINT, {
        image: INPUT,
        mask: WHITE_RECT_MASK,
        prompt: 'x',
      });
      const output = decodePng(answer.images?.[0] ?? '');
      const counts = changedPixels(input, output, (x, y) => distanceToRect(x, y) <= 5);
      expect(counts.changedOutside).toBe(0);
      const ring = changedPixels(
        input,
        output,
        (x, y) => distanceToRect(x, y) > 0 && distanceToRect(x, y) <= 5,
      );
      expect(ring.changedInside).toBeGreaterThan(0);
    });

    it('uses the alpha channel as the mask when there is none (transparent = edit)', async () => {
      const withHole = makePngBase64(W, H, (x, y) => {
        const [r, g, b] = testPattern(x, y);
        return [r, g, b, inRect(x, y) ? 0 : 255];
      });
      const answer = await invokeJson<StabilityAnswer>(bedrock.client, INPAINT, {
        image: withHole,
        prompt: 'x',
        grow_mask: 0,
      });
      const output = decodePng(answer.images?.[0] ?? '');
      const counts = changedPixels(input, output, inRect);
      expect(counts.changedOutside).toBe(0);
      expect(counts.changedInside).toBeGreaterThan(counts.inside * 0.9);
    });

    it('resizes a mask of another size to the image', async () => {
      const halfMask = makePngBase64(W / 2, H / 2, (x) =>
        x < W / 4 ? [255, 255, 255, 255] : [0, 0, 0, 255],
      );
      const answer = await invokeJson<StabilityAnswer>(bedrock.client, ERASE, {
        image: INPUT,
        mask: halfMask,
        grow_mask: 0,
      });
      const counts = changedPixels(input, decodePng(answer.images?.[0] ?? ''), (x) => x < W / 2);
      expect(counts.changedOutside).toBe(0);
      expect(counts.changedInside).toBeGreaterThan(0);
    });

    it('erases with the documented {image, mask} body', async () => {
      const answer = await invokeJson<StabilityAnswer>(bedrock.client, ERASE, {
        image: INPUT,
        mask: WHITE_RECT_MASK,
      });
      expect(imageSize(answer.images?.[0] ?? '')).toMatchObject({ width: W, height: H });
      expect(
        await validationError(invokeJson(bedrock.client, ERASE, { image: INPUT, prompt: 'x' })),
      ).toMatch(/extraneous key \[prompt\]/);
    });

    it('searches and replaces without touching the border', async () => {
      const answer = await invokeJson<StabilityAnswer>(bedrock.client, SEARCH_REPLACE, {
        image: INPUT,
        prompt: 'jacket',
        search_prompt: 'sweater',
      });
      const output = decodePng(answer.images?.[0] ?? '');
      expect([output.width, output.height]).toEqual([W, H]);
      expect(samePixel(input, output, 0, 0) && samePixel(input, output, W - 1, H - 1)).toBe(true);
      expect(samePixel(input, output, W / 2, H / 2)).toBe(false);
      expect(
        await validationError(
          invokeJson(bedrock.client, SEARCH_REPLACE, { image: INPUT, prompt: 'jacket' }),
        ),
      ).toMatch(/required key \[search_prompt\]/);
    });

    it('outpaints the documented example: the canvas grows and the original stays in place', async () => {
      const answer = await invokeJson<StabilityAnswer>(bedrock.client, OUTPAINT, {
        image: INPUT,
        left: 512,
        right: 512,
        up: 200,
        down: 100,
      });
      const output = decodePng(answer.images?.[0] ?? '');
      expect([output.width, output.height]).toEqual([W + 1024, H + 300]);
      let moved = 0;
      for (let y = 0; y < H; y += 1) {
        for (let x = 0; x < W; x += 1) {
          const kept = pixelAt(output, x + 512, y + 200)
            .slice(0, 3)
            .join();
          if (kept !== pixelAt(input, x, y).slice(0, 3).join()) moved += 1;
        }
      }
      expect(moved).toBe(0);
      expect(await validationError(invokeJson(bedrock.client, OUTPAINT, { image: INPUT }))).toMatch(
        /at least one of left, right, up, down/,
      );
      expect(
        await validationError(invokeJson(bedrock.client, OUTPAINT, { image: INPUT, left: 2001 })),
      ).toMatch(/#\/left/);
    });

    it('removes a plain background into transparency, keeping size and subject', async () => {
      const subject = makePngBase64(W, H, (x, y) =>
        inRect(x, y) ? [200, 0, 0, 255] : [255, 255, 255, 255],
      );
      const answer = await invokeJson<StabilityAnswer>(bedrock.client, REMOVE_BACKGROUND, {
        image: subject,
      });
      const output = decodePng(answer.images?.[0] ?? '');
      expect([output.width, output.height]).toEqual([W, H]);
      expect(pixelAt(output, 0, 0)[3]).toBe(0);
      expect(pixelAt(output, 40, 30)).toEqual([200, 0, 0, 255]);
      expect(
        await validationError(
          invokeJson(bedrock.client, REMOVE_BACKGROUND, { image: subject, output_format: 'jpeg' }),
        ),
      ).toMatch(/#\/output_format/);
    });

    it('accepts JPEG and WebP input images', async () => {
      const jpegInput = encodeImage(input, 'jpeg').toString('base64');
      const fromJpeg = await invokeJson<StabilityAnswer>(bedrock.client, REMOVE_BACKGROUND, {
        image: jpegInput,
      });
      expect(imageSize(fromJpeg.images?.[0] ?? '')).toEqual({ width: W, height: H, format: 'png' });
      const webp = await invokeJson<StabilityAnswer>(bedrock.client, ERASE, {
        image: solidWebpBase64(80, 64, [0, 90, 0]),
        mask: WHITE_RECT_MASK,
      });
      const output = decodePng(webp.images?.[0] ?? '');
      expect([output.width, output.height]).toEqual([80, 64]);
      expect(pixelAt(output, 0, 0)).toEqual([0, 90, 0, 255]);
    });

    it('enforces each service’s own input-image limits', async () => {
      expect(
        await validationError(
          invokeJson(bedrock.client, ERASE, { image: makePngBase64(63, 100, testPattern) }),
        ),
      ).toMatch(/#\/image: every side must be at least 64/);
      // Only Outpaint documents the 1:2.5–2.5:1 aspect ratio; Erase takes a 3:1 strip.
      const strip = makePngBase64(192, 64, testPattern);
      expect(
        await validationError(invokeJson(bedrock.client, OUTPAINT, { image: strip, left: 64 })),
      ).toMatch(/#\/image: the aspect ratio/);
      const erased = await invokeJson<StabilityAnswer>(bedrock.client, ERASE, {
        image: strip,
        mask: makePngBase64(192, 64, (x) => (x < 10 ? [255, 255, 255, 255] : [0, 0, 0, 255])),
      });
      expect(erased.images).toHaveLength(1);
      // Remove Background: at most 4,194,304 pixels (2048×2048), unlike the 9,437,184 of the others.
      const solid = () => [40, 90, 160, 255] as const;
      expect(
        await validationError(
          invokeJson(bedrock.client, REMOVE_BACKGROUND, {
            image: makePngBase64(2049, 2048, solid),
          }),
        ),
      ).toMatch(/#\/image: the image must have between 4096 and 4194304 pixels/);
      expect(
        await validationError(invokeJson(bedrock.client, ERASE, { image: 'aGVsbG8=' })),
      ).toMatch(/#\/image: the image is not a PNG, JPEG or WebP/);
    });

    it('answers the content-filter trigger without an image', async () => {
      const answer = await invokeJson<StabilityAnswer>(bedrock.client, INPAINT, {
        image: INPUT,
        mask: WHITE_RECT_MASK,
        prompt: '[[filter]]',
      });
      expect(answer).toEqual({ finish_reasons: ['Filter reason: prompt'] });
    });
  });
});
