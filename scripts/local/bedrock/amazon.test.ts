import { documentedRequest } from '../../../test/fixtures/aws-documented-examples.js';
import { encodeImage } from './image-codec.js';
import { OUTPAINT_DEFAULT_HALO_PX } from './models/amazon.js';
import { decodePng, imageSize } from './png.js';
import {
  changedPixels,
  invokeJson,
  standInForSuite,
  makePngBase64,
  pixelAt,
  solidWebpBase64,
  testPattern,
  validationError,
} from './test-support.js';

interface AmazonAnswer {
  images: string[];
  error?: string;
}

const NOVA = 'amazon.nova-canvas-v1:0';
const TITAN = 'amazon.titan-image-generator-v2:0';

// Nova's smallest legal size keeps pixel-by-pixel checks fast.
const S = 320;
const INPUT = makePngBase64(S, S, testPattern);
const RECT = { x0: 100, y0: 80, x1: 220, y1: 200 };
const inRect = (x: number, y: number) => x >= RECT.x0 && x < RECT.x1 && y >= RECT.y0 && y < RECT.y1;
const BLACK: readonly [number, number, number, number] = [0, 0, 0, 255];
const WHITE: readonly [number, number, number, number] = [255, 255, 255, 255];
/** Black inside the rectangle, white elsewhere. */
const BLACK_RECT_MASK = makePngBase64(S, S, (x, y) => (inRect(x, y) ? BLACK : WHITE));

function textImage(
  text: string,
  config: Record<string, unknown> = { width: S, height: S, seed: 1 },
) {
  return { taskType: 'TEXT_IMAGE', textToImageParams: { text }, imageGenerationConfig: config };
}

describe('Nova Canvas and Titan Image v2', () => {
  const bedrock = standInForSuite();
  const input = decodePng(INPUT);

  describe('TEXT_IMAGE', () => {
    it('answers the documented Nova example with one 512x512 image', async () => {
      const answer = await invokeJson<AmazonAnswer>(
        bedrock.client,
        NOVA,
        documentedRequest('Nova Canvas text to image (code example)'),
      );
      expect(Object.keys(answer)).toEqual(['images']);
      expect(answer.images).toHaveLength(1);
      expect(imageSize(answer.images[0] ?? '')).toEqual({ width: 512, height: 512, format: 'png' });
    });

    it('answers the documented Titan example with one 1024x1024 image', async () => {
      const answer = await invokeJson<AmazonAnswer>(bedrock.client, TITAN, {
        taskType: 'TEXT_IMAGE',
        textToImageParams: { text: 'A photograph of a cup of coffee from the side.' },
        imageGenerationConfig: {
          numberOfImages: 1,
          height: 1024,
          width: 1024,
          cfgScale: 8.0,
          seed: 0,
        },
      });
      expect(answer.images).toHaveLength(1);
      expect(imageSize(answer.images[0] ?? '')).toMatchObject({ width: 1024, height: 1024 });
    });

    it('returns numberOfImages distinct images of the requested size', async () => {
      const answer = await invokeJson<AmazonAnswer>(
        bedrock.client,
        NOVA,
        textImage('x', { width: 640, height: 320, numberOfImages: 3 }),
      );
      expect(answer.images).toHaveLength(3);
      expect(new Set(answer.images).size).toBe(3);
      expect(answer.images.map((image) => imageSize(image))).toEqual(
        Array(3).fill({ width: 640, height: 320, format: 'png' }),
      );
    });

    it('is deterministic per body and seed, and the default seed is fixed (Nova: 12)', async () => {
      const first = await invokeJson<AmazonAnswer>(bedrock.client, NOVA, textImage('a fox'));
      const again = await invokeJson<AmazonAnswer>(bedrock.client, NOVA, textImage('a fox'));
      const otherSeed = await invokeJson<AmazonAnswer>(
        bedrock.client,
        NOVA,
        textImage('a fox', { width: S, height: S, seed: 2 }),
      );
      expect(again.images[0]).toBe(first.images[0]);
      expect(otherSeed.images[0]).not.toBe(first.images[0]);
      const noSeed = {
        taskType: 'TEXT_IMAGE',
        textToImageParams: { text: 'a fox' },
        imageGenerationConfig: { width: S, height: S },
      };
      const unseeded = await invokeJson<AmazonAnswer>(bedrock.client, NOVA, noSeed);
      expect((await invokeJson<AmazonAnswer>(bedrock.client, NOVA, noSeed)).images[0]).toBe(
        unseeded.images[0],
      );
    });

    it('enforces Nova size rules: 320-4096, divisible by 16, 1:4-4:1, under 4,194,304 px', async () => {
      for (const [width, height] of [
        [304, 320],
        [328, 320],
        [320, 1600],
        [4096, 1024],
      ]) {
        expect(
          await validationError(
            invokeJson(bedrock.client, NOVA, textImage('x', { width, height })),
          ),
        ).toMatch(/#\/imageGenerationConfig\/width: /);
      }
      const widest = await invokeJson<AmazonAnswer>(
        bedrock.client,
        NOVA,
        textImage('x', { width: 1280, height: 320 }),
      );
      expect(imageSize(widest.images[0] ?? '')).toMatchObject({ width: 1280, height: 320 });
    });

    it('enforces Titan sizes from its resolution table', async () => {
      expect(
        await validationError(
          invokeJson(bedrock.client, TITAN, textImage('x', { width: 1000, height: 1000 })),
        ),
      ).toMatch(/#\/imageGenerationConfig\/width: 1000x1000 is not a supported size/);
      const answer = await invokeJson<AmazonAnswer>(
        bedrock.client,
        TITAN,
        textImage('x', { width: 1173, height: 640 }),
      );
      expect(imageSize(answer.images[0] ?? '')).toMatchObject({ width: 1173, height: 640 });
    });

    it('refuses out-of-range and unknown fields, naming them', async () => {
      const cases: [string, unknown, RegExp][] = [
        [
          NOVA,
          textImage('x', { cfgScale: 1.0 }),
          /#\/imageGenerationConfig\/cfgScale: 1 is not greater or equal to 1.1/,
        ],
        [
          NOVA,
          textImage('x', { cfgScale: 10.5 }),
          /#\/imageGenerationConfig\/cfgScale: 10.5 is not less or equal to 10/,
        ],
        [NOVA, textImage('x', { numberOfImages: 6 }), /#\/imageGenerationConfig\/numberOfImages/],
        [NOVA, textImage('x', { seed: 2147483647 }), /#\/imageGenerationConfig\/seed/],
        [NOVA, textImage(''), /#\/textToImageParams\/text: expected minLength: 1, actual: 0/],
        [NOVA, textImage('y'.repeat(1025)), /#\/textToImageParams\/text: expected maxLength: 1024/],
        [TITAN, textImage('y'.repeat(513)), /#\/textToImageParams\/text: expected maxLength: 512/],
        [
          TITAN,
          { taskType: 'TEXT_IMAGE', textToImageParams: { text: 'x', style: 'PHOTOREALISM' } },
          /extraneous key \[style\]/,
        ],
        [
          NOVA,
          { taskType: 'TEXT_IMAGE', textToImageParams: { text: 'x' }, prompt: 'x' },
          /#: extraneous key \[prompt\] is not permitted/,
        ],
        [NOVA, { textToImageParams: { text: 'x' } }, /#: required key \[taskType\] not found/],
        [NOVA, { taskType: 'PAINT' }, /#\/taskType: "PAINT" is not a valid enum value/],
        [
          NOVA,
          { taskType: 'VIRTUAL_TRY_ON', virtualTryOnParams: { sourceImage: INPUT } },
          /LOCAL STAND-IN: taskType VIRTUAL_TRY_ON is not implemented/,
        ],
      ];
      for (const [modelId, body, message] of cases) {
        expect(await validationError(invokeJson(bedrock.client, modelId, body))).toMatch(message);
      }
    });
  });

  describe('masked edits follow each mask convention', () => {
    const inpaint = (params: Record<string, unknown>, config?: Record<string, unknown>) => ({
      taskType: 'INPAINTING',
      inPaintingParams: { image: INPUT, text: 'a window', ...params },
      ...(config ? { imageGenerationConfig: config } : {}),
    });

    it.each([NOVA, TITAN])('%s INPAINTING changes only the black pixels', async (modelId) => {
      const answer = await invokeJson<AmazonAnswer>(
        bedrock.client,
        modelId,
        inpaint({ maskImage: BLACK_RECT_MASK }),
      );
      const output = decodePng(answer.images[0] ?? '');
      expect([output.width, output.height]).toEqual([S, S]);
      const counts = changedPixels(input, output, inRect);
      expect(counts.changedOutside).toBe(0);
      expect(counts.changedInside).toBeGreaterThan(counts.inside * 0.9);
    });

    it.each([NOVA, TITAN])(
      '%s OUTPAINTING changes only the white pixels (black = keep)',
      async (modelId) => {
        const answer = await invokeJson<AmazonAnswer>(bedrock.client, modelId, {
          taskType: 'OUTPAINTING',
          outPaintingParams: {
            image: INPUT,
            maskImage: BLACK_RECT_MASK,
            text: 'a beach',
            outPaintingMode: 'PRECISE',
          },
        });
        const output = decodePng(answer.images[0] ?? '');
        const counts = changedPixels(input, output, (x, y) => !inRect(x, y));
        expect(counts.changedOutside).toBe(0);
        expect(counts.changedInside).toBeGreaterThan(counts.inside * 0.9);
      },
    );

    it.each([
      [NOVA, 'DEFAULT'],
      [TITAN, undefined],
    ])(
      '%s OUTPAINTING in %s mode may blend a halo into the kept edge, and nothing beyond it',
      async (modelId, mode) => {
        const answer = await invokeJson<AmazonAnswer>(bedrock.client, modelId, {
          taskType: 'OUTPAINTING',
          outPaintingParams: {
            image: INPUT,
            maskImage: BLACK_RECT_MASK,
            text: 'a beach',
            ...(mode ? { outPaintingMode: mode } : {}),
          },
        });
        const output = decodePng(answer.images[0] ?? '');
        // Kept pixels deeper than the halo inside the black rectangle stay exact.
        const halo = OUTPAINT_DEFAULT_HALO_PX;
        const deepInside = (x: number, y: number) =>
          x >= RECT.x0 + halo && x < RECT.x1 - halo && y >= RECT.y0 + halo && y < RECT.y1 - halo;
        const counts = changedPixels(input, output, (x, y) => !deepInside(x, y));
        expect(counts.changedOutside).toBe(0);
        // …while the kept edge itself did change: that is the difference from PRECISE.
        const keptEdge = changedPixels(input, output, (x, y) => inRect(x, y) && !deepInside(x, y));
        expect(keptEdge.changedInside).toBeGreaterThan(0);
      },
    );

    it('edits the middle of the picture for a maskPrompt and returns numberOfImages variants', async () => {
      const answer = await invokeJson<AmazonAnswer>(
        bedrock.client,
        NOVA,
        inpaint({ maskPrompt: 'the cat' }, { numberOfImages: 2, seed: 3 }),
      );
      expect(answer.images).toHaveLength(2);
      expect(answer.images[0]).not.toBe(answer.images[1]);
      const output = decodePng(answer.images[0] ?? '');
      expect(pixelAt(output, 0, 0)).toEqual(pixelAt(input, 0, 0));
      expect(pixelAt(output, S / 2, S / 2)).not.toEqual(pixelAt(input, S / 2, S / 2));
    });

    it('works with small images and JPEG input on Titan', async () => {
      const small = makePngBase64(96, 80, testPattern);
      const mask = makePngBase64(96, 80, (x) => (x < 48 ? BLACK : WHITE));
      const answer = await invokeJson<AmazonAnswer>(
        bedrock.client,
        TITAN,
        inpaint({ image: small, maskImage: mask }),
      );
      const counts = changedPixels(
        decodePng(small),
        decodePng(answer.images[0] ?? ''),
        (x) => x < 48,
      );
      expect(counts.changedOutside).toBe(0);
      const jpegInput = encodeImage(decodePng(small), 'jpeg').toString('base64');
      const fromJpeg = await invokeJson<AmazonAnswer>(
        bedrock.client,
        TITAN,
        inpaint({ image: jpegInput, maskImage: mask }),
      );
      expect(imageSize(fromJpeg.images[0] ?? '')).toMatchObject({ width: 96, height: 80 });
    });

    it('refuses masks that are not pure black and white, of another size, or ambiguous', async () => {
      const grey = makePngBase64(S, S, (x, y) =>
        x === 5 && y === 7 ? [128, 128, 128, 255] : WHITE,
      );
      expect(
        await validationError(invokeJson(bedrock.client, NOVA, inpaint({ maskImage: grey }))),
      ).toMatch(/#\/inPaintingParams\/maskImage: .*pure black .* pixel \(5,7\) is \(128,128,128\)/);
      const smaller = makePngBase64(S, S - 16, () => WHITE);
      expect(
        await validationError(invokeJson(bedrock.client, TITAN, inpaint({ maskImage: smaller }))),
      ).toMatch(/#\/inPaintingParams\/maskImage: the mask must be the same size/);
      expect(
        await validationError(
          invokeJson(
            bedrock.client,
            NOVA,
            inpaint({ maskImage: BLACK_RECT_MASK, maskPrompt: 'cat' }),
          ),
        ),
      ).toMatch(/#\/inPaintingParams: exactly one of maskPrompt or maskImage/);
      expect(await validationError(invokeJson(bedrock.client, NOVA, inpaint({})))).toMatch(
        /exactly one of maskPrompt or maskImage/,
      );
      expect(
        await validationError(
          invokeJson(bedrock.client, NOVA, inpaint({ maskPrompt: 'cat' }, { width: S })),
        ),
      ).toMatch(/#\/imageGenerationConfig: extraneous key \[width\]/);
    });

    it('refuses input images the model does not take', async () => {
      expect(
        await validationError(
          invokeJson(
            bedrock.client,
            NOVA,
            inpaint({ image: solidWebpBase64(S, S, [1, 2, 3]), maskPrompt: 'x' }),
          ),
        ),
      ).toMatch(
        /#\/inPaintingParams\/image: the image is a WEBP image; supported formats: png, jpeg/,
      );
      const transparent = makePngBase64(S, S, (x, y) => (x + y === 0 ? [0, 0, 0, 0] : WHITE));
      expect(
        await validationError(
          invokeJson(bedrock.client, NOVA, inpaint({ image: transparent, maskPrompt: 'x' })),
        ),
      ).toMatch(/transparent/);
      expect(
        await validationError(
          invokeJson(
            bedrock.client,
            NOVA,
            inpaint({ image: makePngBase64(96, 96, testPattern), maskPrompt: 'x' }),
          ),
        ),
      ).toMatch(/#\/inPaintingParams\/image: unsupported input image size/);
      expect(
        await validationError(
          invokeJson(
            bedrock.client,
            TITAN,
            inpaint({ image: makePngBase64(1409, 64, testPattern), maskPrompt: 'x' }),
          ),
        ),
      ).toMatch(/at most 1408 pixels/);
    });
  });

  it.each([NOVA, TITAN])(
    '%s BACKGROUND_REMOVAL returns one same-size PNG with transparency',
    async (modelId) => {
      const subject = makePngBase64(S, S, (x, y) => (inRect(x, y) ? [10, 120, 10, 255] : WHITE));
      const answer = await invokeJson<AmazonAnswer>(bedrock.client, modelId, {
        taskType: 'BACKGROUND_REMOVAL',
        backgroundRemovalParams: { image: subject },
      });
      expect(answer.images).toHaveLength(1);
      const output = decodePng(answer.images[0] ?? '');
      expect([output.width, output.height]).toEqual([S, S]);
      expect(pixelAt(output, 0, 0)[3]).toBe(0);
      expect(pixelAt(output, 150, 150)).toEqual([10, 120, 10, 255]);
      const withConfig = {
        taskType: 'BACKGROUND_REMOVAL',
        backgroundRemovalParams: { image: subject },
        imageGenerationConfig: { seed: 1 },
      };
      expect(await validationError(invokeJson(bedrock.client, modelId, withConfig))).toMatch(
        /extraneous key \[imageGenerationConfig\]/,
      );
    },
  );

  describe('content-filter triggers', () => {
    it.each([NOVA, TITAN])(
      '%s [[filter]] is a ValidationException with the documented message',
      async (modelId) => {
        const body = textImage('x [[filter]]', { width: 512, height: 512 });
        expect(await validationError(invokeJson(bedrock.client, modelId, body))).toBe(
          'This request has been blocked by our content filters. Please adjust your text prompt to submit a new request.',
        );
      },
    );

    it('[[filter-output]] answers 200 with the error and no images', async () => {
      expect(
        await invokeJson(
          bedrock.client,
          NOVA,
          textImage('x [[filter-output]]', { width: S, height: S, numberOfImages: 2 }),
        ),
      ).toEqual({
        images: [],
        error: 'All of the generated images have been blocked by our content filters.',
      });
    });

    it('[[filter-some]] drops one image and says so; with one image it blocks all', async () => {
      const some = await invokeJson<AmazonAnswer>(
        bedrock.client,
        NOVA,
        textImage('x [[filter-some]]', { width: S, height: S, numberOfImages: 3 }),
      );
      expect(some.images).toHaveLength(2);
      expect(some.error).toBe(
        'Some of the generated images have been blocked by our content filters.',
      );
      const single = await invokeJson<AmazonAnswer>(
        bedrock.client,
        NOVA,
        textImage('x [[filter-some]]'),
      );
      expect(single).toEqual({
        images: [],
        error: 'All of the generated images have been blocked by our content filters.',
      });
    });
  });
});
