/**
 * GET /models through the local stack, as the SPA and curl read it: open (no token), with CORS,
 * and true — every text-to-image model it lists generates with the sizing it lists, and a field it
 * leaves out for a model is refused.
 */
import type { ListedModel, ModelListing } from '../../shared/core/model-listing.js';
import { json, startTestStack, type TestStack } from './stack-fixture.js';

function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The smallest size request the listing says the model takes. */
function sizeFields(model: ListedModel): Record<string, unknown> {
  const sizing = model.generate?.sizing;
  if (sizing?.kind === 'fixed-sizes') {
    const size = sizing.sizes.reduce((a, b) => (a.width * a.height <= b.width * b.height ? a : b));
    return { width: size.width, height: size.height };
  }
  if (sizing?.aspectRatios[0]) return { aspectRatio: sizing.aspectRatios[0] };
  return {};
}

describe('GET /models through the local stack', () => {
  let stack: TestStack;
  let listing: ModelListing;
  let listingResponse: Response;

  beforeAll(async () => {
    stack = await startTestStack();
    listingResponse = await fetch(`${stack.invokeUrl}/models`);
    listing = await json<ModelListing>(listingResponse);
  });

  afterAll(async () => {
    await stack?.destroy();
  });

  it('answers without a token, with CORS and a short cache lifetime', () => {
    expect(listingResponse.status).toBe(200);
    expect(listingResponse.headers.get('access-control-allow-origin')).toBe('*');
    expect(listingResponse.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('lists the default models and what they are the default for', () => {
    const core = listing.models.find((model) => model.id === listing.defaults.textToImage);
    expect(core).toMatchObject({ defaultFor: ['text-to-image'], lifecycle: 'active' });
    for (const [operation, id] of Object.entries(listing.defaults.edits)) {
      const model = listing.models.find((candidate) => candidate.id === id);
      expect(model?.defaultFor).toContain(operation);
      expect(model?.edits).toHaveProperty(operation);
    }
  });

  it('every text-to-image model it lists generates with the sizing it lists', async () => {
    const textToImage = listing.models.filter((model) => model.generate);
    expect(textToImage.length).toBeGreaterThanOrEqual(4);
    for (const model of textToImage) {
      const response = await postJson(`${stack.invokeUrl}/generate`, {
        prompt: 'a lighthouse at dawn',
        model: model.id,
        ...sizeFields(model),
      });
      expect({ model: model.id, status: response.status }).toEqual({
        model: model.id,
        status: 200,
      });
    }
  });

  it('a field it leaves out for a model is refused by name', async () => {
    const core = listing.models.find((model) => model.id === 'stability.stable-image-core-v1:1');
    expect(core?.generate?.fields).not.toContain('steps');
    const response = await postJson(`${stack.invokeUrl}/generate`, {
      prompt: 'a lighthouse at dawn',
      model: 'stability.stable-image-core-v1:1',
      steps: 30,
    });
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({
      error: { code: 'INVALID_PARAMETER', message: expect.stringContaining('steps') as unknown },
    });
  });
});

describe('per-model Regions through a local stack deployed in eu-central-1', () => {
  let stack: TestStack;
  let listing: ModelListing;

  beforeAll(async () => {
    stack = await startTestStack({ region: 'eu-central-1' });
    listing = await json<ModelListing>(await fetch(`${stack.invokeUrl}/models`));
  });

  afterAll(async () => {
    await stack?.destroy();
  });

  const regionOf = (id: string) => listing.models.find((model) => model.id === id)?.region;

  it('GET /models says where each model is called', () => {
    expect(regionOf('stability.stable-image-core-v1:1')).toBe('us-west-2');
    expect(regionOf('amazon.nova-canvas-v1:0')).toBe('us-east-1');
    expect(regionOf('us.stability.stable-image-inpaint-v1:0')).toBe('us-east-1');
  });

  it('the same handlers call each model in that Region (no local branch: one stand-in serves all)', async () => {
    for (const model of ['stability.stable-image-core-v1:1', 'amazon.nova-canvas-v1:0']) {
      const response = await postJson(`${stack.invokeUrl}/generate`, {
        prompt: 'a harbour at night',
        model,
      });
      expect({ model, status: response.status }).toEqual({ model, status: 200 });
    }
    const byModelRegion = stack.bedrockStats?.().byModelRegion;
    expect(byModelRegion).toEqual({
      'stability.stable-image-core-v1:1': { 'us-west-2': 1 },
      'amazon.nova-canvas-v1:0': { 'us-east-1': 1 },
    });
  });
});
