/**
 * AWS's documented example bodies (test/fixtures/aws-documented-examples.ts, each citing its page)
 * against the adapters: the adapter must build the documented request from the equivalent API
 * parameters — adding only the fields listed here, each for a stated reason — and must parse the
 * documented response.
 */
import {
  DOCUMENTED_EXAMPLES,
  DOCUMENTED_FILTERED_RESPONSES,
  IMAGE,
  MASK,
  OUTPUT,
  type DocumentedExample,
} from '../../test/fixtures/aws-documented-examples.js';
import { adapterFor } from './catalog.js';
import { appError, base64Of, declaredImage, makeMask, makePng, thrownBy } from './test-fixtures.js';
import type { Invocation } from './types.js';

/** A Nova-sized input (sides ÷16, ≥ 320) that every model here accepts. */
const image = declaredImage(320, 320);
const mask = makeMask(320, 320, (x, y) => x >= 100 && x < 220 && y >= 80 && y < 200);
const output = makePng(2, 2, () => [10, 20, 30, 255]);

interface Translation {
  /** Builds the invocations from our API's parameters. */
  build: () => Invocation[];
  /** Fields the adapter adds to the documented body on purpose, and their values. */
  added: Record<string, unknown>;
}

/** How each documented request is expressed in our API. */
const TRANSLATIONS: Record<string, (example: DocumentedExample) => Translation> = {
  'SDXL 1.0 text to image (CLI example)': ({ modelId }) => ({
    build: () =>
      adapterFor(modelId).buildTextToImage(modelId, {
        prompt: 'beach with palm trees',
        cfgScale: 10,
        seed: 0,
        steps: 50,
      }),
    // The documented defaults, sent explicitly: 1024×1024 is the default size, one sample.
    added: { width: 1024, height: 1024, samples: 1 },
  }),
  'Stable Image Core request body': ({ modelId }) => ({
    build: () =>
      adapterFor(modelId).buildTextToImage(modelId, { prompt: 'Create an image of a panda' }),
    // PNG output, so the stored file is the same type whatever the model's default.
    added: { output_format: 'png' },
  }),
  'Stable Image Ultra Python example': ({ modelId }) => ({
    build: () =>
      adapterFor(modelId).buildTextToImage(modelId, { prompt: 'A car made out of vegetables.' }),
    added: { output_format: 'png' },
  }),
  'SD3.5 Large text to image': ({ modelId }) => ({
    build: () =>
      adapterFor(modelId).buildTextToImage(modelId, { prompt: 'A car made out of vegetables.' }),
    // `mode` selects text-to-image explicitly (it is the documented default).
    added: { output_format: 'png', mode: 'text-to-image' },
  }),
  'Stability Inpaint': ({ modelId }) => ({
    build: () =>
      adapterFor(modelId).buildEdit(modelId, {
        operation: 'inpaint',
        image,
        mask,
        prompt: 'artificer of time and space',
      }),
    added: { output_format: 'png' },
  }),
  'Stability Outpaint': ({ modelId }) => ({
    build: () =>
      adapterFor(modelId).buildEdit(modelId, {
        operation: 'outpaint',
        image,
        outpaint: { left: 512, right: 512, up: 200, down: 100 },
      }),
    added: { output_format: 'png' },
  }),
  'Stability Search and Replace': ({ modelId }) => ({
    build: () =>
      adapterFor(modelId).buildEdit(modelId, {
        operation: 'search-replace',
        image,
        prompt: 'jacket',
        maskPrompt: 'sweater',
      }),
    added: { output_format: 'png' },
  }),
  'Stability Erase Object': ({ modelId }) => ({
    build: () => adapterFor(modelId).buildEdit(modelId, { operation: 'erase', image, mask }),
    added: { output_format: 'png' },
  }),
  'Stability Remove Background': ({ modelId }) => ({
    build: () => adapterFor(modelId).buildEdit(modelId, { operation: 'remove-background', image }),
    added: { output_format: 'png' },
  }),
  'Nova Canvas text to image (code example)': ({ modelId }) => ({
    build: () =>
      adapterFor(modelId).buildTextToImage(modelId, {
        prompt: 'A stylized picture of a cute old steampunk robot.',
        seed: 858993459,
        quality: 'standard',
        width: 512,
        height: 512,
      }),
    added: {},
  }),
  'Nova Canvas INPAINTING': ({ modelId }) => ({
    build: () =>
      adapterFor(modelId).buildEdit(modelId, {
        operation: 'inpaint',
        image,
        mask,
        prompt: 'a red door',
        quality: 'standard',
        cfgScale: 6.5,
        seed: 12,
      }),
    added: {},
  }),
  'Nova Canvas OUTPAINTING with maskPrompt': ({ modelId }) => ({
    build: () =>
      adapterFor(modelId).buildEdit(modelId, {
        operation: 'outpaint',
        image,
        maskPrompt: 'people',
        outPaintingMode: 'PRECISE',
        prompt: 'a beach at sunset',
        seed: 12,
      }),
    added: {},
  }),
  'Nova Canvas BACKGROUND_REMOVAL': ({ modelId }) => ({
    build: () => adapterFor(modelId).buildEdit(modelId, { operation: 'remove-background', image }),
    added: {},
  }),
  'Titan Image Generator text to image': ({ modelId }) => ({
    build: () =>
      adapterFor(modelId).buildTextToImage(modelId, {
        prompt: 'A photograph of a cup of coffee from the side.',
        count: 1,
        width: 1024,
        height: 1024,
        cfgScale: 8.0,
        seed: 0,
      }),
    added: {},
  }),
  'Titan Image Generator OUTPAINTING': ({ modelId }) => ({
    build: () =>
      adapterFor(modelId).buildEdit(modelId, {
        operation: 'outpaint',
        image,
        mask,
        prompt: 'a beach at sunset',
        outPaintingMode: 'DEFAULT',
        cfgScale: 8.0,
        seed: 0,
      }),
    added: {},
  }),
};

/**
 * The documented body with IMAGE replaced by the bytes we sent and MASK by "some base64 PNG" (the
 * mask's pixels are the adapter's conversion, checked in each adapter's own tests).
 */
function expectedBody(request: unknown): unknown {
  if (request === IMAGE) return base64Of(image.bytes);
  if (request === MASK) return expect.stringMatching(/^iVBORw0KGgo[A-Za-z0-9+/]+=*$/);
  if (Array.isArray(request)) return request.map(expectedBody);
  if (typeof request === 'object' && request !== null) {
    return Object.fromEntries(
      Object.entries(request).map(([key, value]) => [key, expectedBody(value)]),
    );
  }
  return request;
}

function withRealOutput(response: unknown): unknown {
  if (response === OUTPUT) return base64Of(output);
  if (Array.isArray(response)) return response.map(withRealOutput);
  if (typeof response === 'object' && response !== null) {
    return Object.fromEntries(
      Object.entries(response).map(([key, value]) => [key, withRealOutput(value)]),
    );
  }
  return response;
}

describe('AWS documented examples through the adapters', () => {
  it('has a translation for every documented example, and an example for every model family', () => {
    expect(DOCUMENTED_EXAMPLES.map((example) => example.name).sort()).toEqual(
      Object.keys(TRANSLATIONS).sort(),
    );
    const families = new Set(
      DOCUMENTED_EXAMPLES.map((example) => adapterFor(example.modelId).family),
    );
    expect([...families].sort()).toEqual([
      'amazon-image',
      'stability-current',
      'stability-edit',
      'stability-legacy',
    ]);
    for (const example of DOCUMENTED_EXAMPLES) {
      expect(example.page).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    }
  });

  describe.each(DOCUMENTED_EXAMPLES.map((example) => [example.name, example] as const))(
    '%s',
    (_name, example) => {
      it('is the body the adapter builds (plus only the fields it adds on purpose)', () => {
        const translation = TRANSLATIONS[example.name]!(example);
        const invocations = translation.build();
        expect(invocations).toHaveLength(1);
        expect(invocations[0]?.modelId).toBe(example.modelId);
        expect(invocations[0]?.body).toEqual({
          ...(expectedBody(example.request) as Record<string, unknown>),
          ...translation.added,
        });
      });

      it('has a documented response the adapter parses into one image', () => {
        if (!example.response) throw new Error(`${example.name} has no documented response`);
        const parsed = adapterFor(example.modelId).parseResponse(
          example.modelId,
          withRealOutput(example.response),
          1,
        );
        expect(parsed.filteredCount).toBe(0);
        expect(parsed.images).toHaveLength(1);
        expect(parsed.images[0]).toMatchObject({ bytes: output, mimeType: 'image/png' });
      });
    },
  );

  it('reads the documented seed of a Stability response', () => {
    const parsed = adapterFor('stability.stable-image-core-v1:1').parseResponse(
      'stability.stable-image-core-v1:1',
      { seeds: [2130420379], finish_reasons: [null], images: [base64Of(output)] },
    );
    expect(parsed.images[0]?.seed).toBe(2130420379);
  });

  it('turns the documented filtered answers into CONTENT_FILTERED or a filtered count', () => {
    const core = 'stability.stable-image-core-v1:1';
    expect(
      thrownBy(() =>
        adapterFor(core).parseResponse(core, DOCUMENTED_FILTERED_RESPONSES.stabilityPrompt, 1),
      ),
    ).toEqual(appError('CONTENT_FILTERED'));
    const nova = 'amazon.nova-canvas-v1:0';
    expect(
      thrownBy(() =>
        adapterFor(nova).parseResponse(nova, DOCUMENTED_FILTERED_RESPONSES.novaAll, 2),
      ),
    ).toEqual(appError('CONTENT_FILTERED', 'All of the generated images'));
    const some = adapterFor(nova).parseResponse(
      nova,
      withRealOutput(DOCUMENTED_FILTERED_RESPONSES.novaSome),
      2,
    );
    expect(some).toMatchObject({ filteredCount: 1, images: [{ bytes: output }] });
  });
});
