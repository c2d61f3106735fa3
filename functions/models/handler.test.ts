import { testRuntime } from '../../shared/aws/test-runtime.js';
import { modelsRuntime } from '../../shared/aws/models-runtime.js';
import { proxyEvent } from '../../shared/http/test-events.js';
import { captureOutputInEachTest } from '../../shared/http/test-output.js';
import type { ModelListing } from '../../shared/core/model-listing.js';
import { createHandler } from './handler.js';

captureOutputInEachTest();

const modelsEvent = () => proxyEvent({ method: 'GET', resource: '/models', body: null });

describe('GET /models handler', () => {
  it('lists the allowed models with the defaults, fields, limits and Region', async () => {
    const runtime = testRuntime(modelsRuntime, { BEDROCK_REGION: 'us-west-2' });
    const result = await createHandler(() => runtime)(modelsEvent());

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({
      'Access-Control-Allow-Origin': 'https://app.example.com',
      'Cache-Control': 'public, max-age=300',
      'Content-Type': 'application/json',
    });
    const listing = JSON.parse(result.body) as ModelListing;
    // TEST_ENV allows three models; the default edit model of every operation is listed too.
    expect(listing.models.map((model) => model.id)).toEqual([
      'stability.stable-image-core-v1:1',
      'amazon.nova-canvas-v1:0',
      'us.stability.stable-image-inpaint-v1:0',
      'us.stability.stable-outpaint-v1:0',
      'us.stability.stable-image-erase-object-v1:0',
      'us.stability.stable-image-search-replace-v1:0',
      'us.stability.stable-image-remove-background-v1:0',
      'us.stability.stable-image-search-recolor-v1:0',
      'us.stability.stable-image-control-sketch-v1:0',
      'us.stability.stable-image-control-structure-v1:0',
      'us.stability.stable-image-style-guide-v1:0',
      'us.stability.stable-style-transfer-v1:0',
      'us.stability.stable-creative-upscale-v1:0',
      'us.stability.stable-conservative-upscale-v1:0',
      'us.stability.stable-fast-upscale-v1:0',
      'stability.sd3-5-large-v1:0',
      'amazon.titan-image-generator-v2:0',
    ]);
    expect(
      listing.models.find((model) => model.baseId === 'stability.stable-fast-upscale-v1:0'),
    ).toMatchObject({
      defaultFor: ['fast-upscale'],
      edits: {
        'fast-upscale': {
          fields: ['count'],
          maxImages: 1,
          inputImage: { minSide: 32, maxSide: 1536, maxPixels: 1_048_576 },
        },
      },
    });
    expect(
      listing.models.find((model) => model.baseId === 'stability.sd3-5-large-v1:0')?.edits,
    ).toMatchObject({
      'image-to-image': { fields: ['prompt', 'negativePrompt', 'seed', 'count', 'strength'] },
    });
    expect(listing.defaults.textToImage).toBe('stability.stable-image-core-v1:1');
    const core = listing.models[0];
    expect(core).toMatchObject({
      baseId: 'stability.stable-image-core-v1:1',
      family: 'stability-current',
      lifecycle: 'active',
      region: 'us-west-2',
      defaultFor: ['text-to-image'],
      generate: { sizing: { kind: 'aspect-ratio' }, maxImages: 5 },
    });
    expect(core?.generate?.fields).not.toContain('steps');
    expect(listing.models[2]).toMatchObject({
      baseId: 'stability.stable-image-inpaint-v1:0',
      defaultFor: ['inpaint'],
      edits: {
        inpaint: { fields: ['mask', 'prompt', 'negativePrompt', 'seed', 'count', 'style'] },
      },
    });
  });

  it('answers a configuration error as a 500 with CORS headers, not a crash', async () => {
    const handler = createHandler(() => {
      throw new Error('Invalid environment: BUCKET_NAME is required');
    });
    const result = await handler(modelsEvent());

    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'INTERNAL' } });
    expect(result.headers?.['Access-Control-Allow-Origin']).toBe('*');
  });
});
