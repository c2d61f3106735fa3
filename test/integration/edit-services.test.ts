/**
 * The image-guided operations through the whole local stack (upload → POST /edits or POST /jobs →
 * Bedrock stand-in → S3 → pre-signed URL), one test each: the answer has the documented size and
 * the pixels the stand-in's documented behaviour predicts (scripts/local/bedrock/README.md), so a
 * wrong field name, a lost setting or a wrong model would show.
 */
import { PNG } from 'pngjs';

import { distinctPixels, editSessionOnLocalStack, fetchPng, pngOf, rgbAt } from './edit-fixture.js';
import { postJson, uploadImage } from './hardening/helpers.js';
import { json } from './stack-fixture.js';

/** 320×320: inside every new operation's input rules (Fast Upscale ≤ 1,536 px, Titan ≤ 1,408). */
const SIZE = 320;
const SOURCE = pngOf(SIZE, SIZE, distinctPixels);
const STYLE = pngOf(128, 128, () => [200, 30, 30, 255]);

describe('image-guided operations through the local stack', () => {
  const session = editSessionOnLocalStack(SOURCE);
  const { edit } = session;
  const source = PNG.sync.read(Buffer.from(SOURCE));

  it('search-recolor changes only the located object', async () => {
    const { answer, image } = await edit({
      operation: 'search-recolor',
      prompt: 'pink jacket',
      maskPrompt: 'jacket',
    });
    expect(answer.model).toBe('us.stability.stable-image-search-recolor-v1:0');
    expect([image.width, image.height]).toEqual([SIZE, SIZE]);
    // The stand-in "finds" the object in the middle half, grown by grow_mask (default 5).
    expect(rgbAt(image, 10, 10)).toBe(rgbAt(source, 10, 10));
    expect(rgbAt(image, SIZE / 2, SIZE / 2)).not.toBe(rgbAt(source, SIZE / 2, SIZE / 2));
  });

  it.each(['control-sketch', 'control-structure'])(
    '%s follows the input by controlStrength',
    async (operation) => {
      const strict = await edit({ operation, prompt: 'a castle', controlStrength: 1 });
      expect(rgbAt(strict.image, 33, 77)).toBe(rgbAt(source, 33, 77));
      const loose = await edit({ operation, prompt: 'a castle', controlStrength: 0 });
      expect([loose.image.width, loose.image.height]).toEqual([SIZE, SIZE]);
      expect(rgbAt(loose.image, 33, 77)).not.toBe(rgbAt(source, 33, 77));
    },
  );

  it('style-guide answers at the requested aspect ratio', async () => {
    const { image } = await edit({
      operation: 'style-guide',
      prompt: 'wide shot of modern metropolis',
      aspectRatio: '16:9',
      fidelity: 0.8,
    });
    expect([image.width, image.height]).toEqual([1344, 768]);
  });

  it('style-transfer takes on the second upload', async () => {
    const styleImageKey = await uploadImage(session.stack, session.user.idToken, STYLE);
    const { image } = await edit({
      operation: 'style-transfer',
      styleImageKey,
      styleStrength: 1,
      changeStrength: 1,
    });
    expect([image.width, image.height]).toEqual([SIZE, SIZE]);
    expect(rgbAt(image, 5, 300)).toBe('200,30,30');
  });

  it('fast-upscale enlarges by four, pixel for pixel', async () => {
    const { image } = await edit({ operation: 'fast-upscale' });
    expect([image.width, image.height]).toEqual([4 * SIZE, 4 * SIZE]);
    for (const [x, y] of [
      [0, 0],
      [319, 319],
      [123, 45],
    ] as const) {
      expect(rgbAt(image, 4 * x + 2, 4 * y + 3)).toBe(rgbAt(source, x, y));
    }
  });

  it.each(['creative-upscale', 'conservative-upscale'])(
    '%s is refused on the synchronous route with USE_JOBS and runs as a job',
    async (operation) => {
      const body = {
        imageKey: session.sourceKey,
        operation,
        prompt: 'a sharper picture',
        creativity: 0.2,
      };
      const before = session.stack.bedrockStats?.().invocations ?? 0;
      const sync = await postJson(`${session.stack.invokeUrl}/edits`, body, {
        authorization: session.user.idToken,
      });
      expect(sync.status).toBe(400);
      expect(await json(sync)).toMatchObject({ error: { code: 'USE_JOBS' } });
      expect((session.stack.bedrockStats?.().invocations ?? 0) - before).toBe(0);

      const submitted = await postJson(
        `${session.stack.invokeUrl}/jobs`,
        { type: 'edit', ...body },
        { authorization: session.user.idToken },
      );
      expect(submitted.status).toBe(202);
      const { id } = await json<{ id: string }>(submitted);
      let job: { status: string; images?: { url: string }[] } = { status: 'queued' };
      for (
        let tries = 0;
        tries < 300 && !['succeeded', 'failed'].includes(job.status);
        tries += 1
      ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        // A poll that loses its connection (the 2-core machine under load) is simply retried.
        const response = await fetch(`${session.stack.invokeUrl}/jobs/${id}`, {
          headers: { authorization: session.user.idToken },
        }).catch(() => undefined);
        if (response) job = await json(response);
      }
      expect(job.status).toBe('succeeded');
      const image = await fetchPng(job.images?.[0]?.url);
      // The stand-in's "4K": 4× here (320² × 16 stays within 4,194,304 pixels).
      expect([image.width, image.height]).toEqual([4 * SIZE, 4 * SIZE]);
    },
  );

  it('image-to-image on SD3.5 Large keeps the input with strength 0', async () => {
    const { answer, image } = await edit({
      operation: 'image-to-image',
      prompt: 'A car made out of vegetables.',
      strength: 0,
    });
    expect(answer.model).toBe('stability.sd3-5-large-v1:0');
    expect([image.width, image.height]).toEqual([SIZE, SIZE]);
    expect(rgbAt(image, 200, 100)).toBe(rgbAt(source, 200, 100));
  });

  it('image-to-image on Stable Image Ultra, when asked for it', async () => {
    const { answer, image } = await edit({
      operation: 'image-to-image',
      model: 'stability.stable-image-ultra-v1:1',
      prompt: 'a watercolour',
      strength: 1,
    });
    expect(answer.model).toBe('stability.stable-image-ultra-v1:1');
    expect(rgbAt(image, 200, 100)).not.toBe(rgbAt(source, 200, 100));
  });

  it('image-variation on Titan: similarityStrength 1 keeps the picture', async () => {
    const { answer, image } = await edit({
      operation: 'image-variation',
      similarityStrength: 1,
      count: 2,
    });
    expect(answer.model).toBe('amazon.titan-image-generator-v2:0');
    expect(answer.images).toHaveLength(2);
    // Titan answers at its table size closest to the input's shape: 1024×1024 for a square.
    expect([image.width, image.height]).toEqual([1024, 1024]);
    expect(rgbAt(image, 640, 320)).toBe(rgbAt(source, 200, 100));
  });

  it('color-guided on Titan paints with the given colours only', async () => {
    const { image } = await edit({
      operation: 'color-guided',
      prompt: 'a vase of flowers',
      colors: ['#FF0000', '#0000FF'],
    });
    const colours = new Set<string>();
    for (let y = 0; y < image.height; y += 16) {
      for (let x = 0; x < image.width; x += 16) colours.add(rgbAt(image, x, y));
    }
    expect([...colours].sort()).toEqual(['0,0,255', '255,0,0']);
  });

  it('refuses a setting the operation does not take, and an out-of-range one, with 400', async () => {
    const foreign = await postJson(
      `${session.stack.invokeUrl}/edits`,
      { imageKey: session.sourceKey, operation: 'fast-upscale', strength: 0.5 },
      { authorization: session.user.idToken },
    );
    expect(foreign.status).toBe(400);
    expect(await json(foreign)).toMatchObject({ error: { code: 'INVALID_PARAMETER' } });
    const outOfRange = await postJson(
      `${session.stack.invokeUrl}/edits`,
      { imageKey: session.sourceKey, operation: 'image-variation', similarityStrength: 0.1 },
      { authorization: session.user.idToken },
    );
    expect(outOfRange.status).toBe(400);
    expect(await json(outOfRange)).toMatchObject({
      error: {
        code: 'INVALID_PARAMETER',
        message: expect.stringContaining('similarityStrength') as string,
      },
    });
  });
});
