import { AppError } from '../errors.js';
import { CONTENT_ID_LENGTH } from './keys.js';
import { createGenerateService, type GenerateDeps } from './generate-service.js';
import { STALE_PENDING_MS } from './image-pipeline.js';
import type { RequestContext, RequestFacts } from './ports.js';
import {
  RecordingAdapter,
  ScriptedInvoker,
  fakeCatalog,
  fakeModel,
  inMemoryPipeline,
  sequentialIds,
} from './test-doubles.js';

const MODEL = 'test.model-a';
const OTHER_MODEL = 'test.model-b';

function setup() {
  const pipeline = inMemoryPipeline();
  const { images, records, invoker } = pipeline;
  const adapter = new RecordingAdapter();
  const deps: GenerateDeps = {
    ...pipeline,
    catalog: fakeCatalog([fakeModel(MODEL), fakeModel(OTHER_MODEL)], adapter),
    newId: sequentialIds(),
    config: { allowedModels: [MODEL], defaultModel: MODEL },
  };
  return { deps, images, records, invoker, adapter, service: createGenerateService(deps) };
}

const anonymous: RequestContext = { route: 'POST /generate' };
const signedIn: RequestContext = { route: 'POST /generate', userId: 'user-1' };

describe('generate service', () => {
  it('stores one object per image under generated/<id>/ and records them as succeeded', async () => {
    const { service, images, records } = setup();

    const result = await service.generate({ prompt: 'a lighthouse', count: 2 }, anonymous);

    expect(result.id).toBe('id-1');
    expect(result.images.map((image) => image.key)).toEqual([
      'generated/id-1/0.png',
      'generated/id-1/1.png',
    ]);
    expect([...images.objects.keys()].sort()).toEqual(result.images.map((image) => image.key));
    expect(images.objects.get('generated/id-1/0.png')?.contentType).toBe('image/png');
    expect(result.images.map((image) => image.seed)).toEqual([100, 101]);
    expect(result.images[0]?.url).toContain('generated/id-1/0.png');
    expect(result.cached).toBe(false);
    const record = records.records.get('id-1');
    expect(record).toMatchObject({
      kind: 'generation',
      status: 'succeeded',
      model: MODEL,
      prompt: 'a lighthouse',
      parameters: { count: 2 },
      outputKeys: ['generated/id-1/0.png', 'generated/id-1/1.png'],
      modelMs: 1234,
    });
    expect(record).not.toHaveProperty('userId');
  });

  it('draws a seed for Nova/Titan, which do not report theirs, and keeps it out of the cache key', async () => {
    const { service, adapter, records } = setup();
    // The same recording adapter, standing in for the family whose answers carry no seeds.
    (adapter as { family: string }).family = 'amazon-image';

    await service.generate({ prompt: 'a lighthouse' }, anonymous);

    const sent = adapter.generateCalls[0]?.seed;
    expect(Number.isInteger(sent)).toBe(true);
    expect(records.records.get('id-1')?.parameters).not.toHaveProperty('seed');
  });

  it('reports expiresAt from the URL lifetime', async () => {
    const { service } = setup();
    const before = Date.parse('2026-01-02T03:04:05.000Z');

    const result = await service.generate({ prompt: 'x' }, anonymous);

    const expiresIn = Date.parse(result.expiresAt) - before;
    expect(expiresIn).toBeGreaterThanOrEqual(600_000);
    expect(expiresIn).toBeLessThan(601_000);
  });

  it('puts signed-in callers’ images under users/<sub>/generated/ and records the user', async () => {
    const { service, records } = setup();

    const result = await service.generate({ prompt: 'a fox' }, signedIn);

    expect(result.images[0]?.key).toBe('users/user-1/generated/id-1/0.png');
    expect(records.records.get('id-1')?.userId).toBe('user-1');
  });

  it('refuses a model outside ALLOWED_MODELS, listing the allowed ones, before any call', async () => {
    const { service, invoker, records } = setup();

    const failure = service.generate({ prompt: 'x', model: OTHER_MODEL }, anonymous);

    await expect(failure).rejects.toMatchObject({ code: 'MODEL_NOT_ALLOWED', status: 400 });
    await expect(failure).rejects.toThrow(MODEL);
    expect(invoker.calls).toHaveLength(0);
    expect(records.records.size).toBe(0);
  });

  it('writes nothing when the adapter rejects the parameters', async () => {
    const { service, invoker, records } = setup();

    await expect(service.generate({ prompt: 'x', width: 4096 }, anonymous)).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
    });
    expect(invoker.calls).toHaveLength(0);
    expect(records.records.size).toBe(0);
  });

  it('marks the record failed with the model error’s code and passes the error on', async () => {
    const { service, invoker, records, images } = setup();
    invoker.respond = () =>
      Promise.reject(new AppError('THROTTLED', 'busy', { retryAfterSeconds: 7 }));

    await expect(service.generate({ prompt: 'x' }, signedIn)).rejects.toMatchObject({
      code: 'THROTTLED',
      retryAfterSeconds: 7,
    });
    expect(records.records.get('id-1')).toMatchObject({
      status: 'failed',
      errorCode: 'THROTTLED',
      outputKeys: [],
    });
    expect(images.objects.size).toBe(0);
  });

  it('hands the image bytes back to the invoker once, after every image is stored', async () => {
    const { service, images, invoker } = setup();
    const storedAtRelease: number[] = [];
    invoker.onRelease = () => storedAtRelease.push(images.objects.size);

    await service.generate({ prompt: 'a lighthouse', count: 3 }, anonymous);

    expect(storedAtRelease).toEqual([3]);
  });

  it('keeps no object and no key when one S3 write fails, and marks the record failed', async () => {
    const { service, records, images, invoker } = setup();
    images.failPuts = (key) => key.endsWith('/1.png');

    await expect(service.generate({ prompt: 'x', count: 2 }, anonymous)).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      status: 502,
    });
    const record = records.records.get('id-1');
    expect(record).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_ERROR', outputKeys: [] });
    expect(images.objects.size).toBe(0);
    expect(images.deleted).toEqual(['generated/id-1/0.png']);
    // A failed write may still be on the wire: its bytes are never handed back for reuse.
    expect(invoker.releases).toBe(0);
  });

  it('answers a repeated seeded request from the first result without calling the model', async () => {
    const { service, invoker, images } = setup();
    const request = { prompt: 'a red door', seed: 42, width: 1024, height: 1024 };

    const first = await service.generate(request, signedIn);
    const second = await service.generate({ ...request }, signedIn);

    expect(invoker.calls).toHaveLength(1);
    expect(first.id).toHaveLength(CONTENT_ID_LENGTH);
    expect(second).toMatchObject({ id: first.id, cached: true });
    expect(second.images.map((image) => image.key)).toEqual(first.images.map((image) => image.key));
    expect(second.images[0]?.url).not.toBe(first.images[0]?.url);
    expect(second.images.map((image) => image.seed)).toEqual(
      first.images.map((image) => image.seed),
    );
    expect(images.objects.size).toBe(1);
  });

  it('generates again when cache is false, under fresh ids', async () => {
    const { service, invoker } = setup();

    const first = await service.generate({ prompt: 'x', seed: 1, cache: false }, anonymous);
    const second = await service.generate({ prompt: 'x', seed: 1, cache: false }, anonymous);

    expect(invoker.calls).toHaveLength(2);
    expect(second.id).not.toBe(first.id);
  });

  it('does not share cached results between callers', async () => {
    const { service, invoker } = setup();

    const mine = await service.generate({ prompt: 'x', seed: 1 }, signedIn);
    const theirs = await service.generate({ prompt: 'x', seed: 1 }, anonymous);

    expect(invoker.calls).toHaveLength(2);
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.images[0]?.key.startsWith('generated/')).toBe(true);
  });

  it('retries a seeded request whose earlier attempt failed', async () => {
    const { service, invoker, records } = setup();
    invoker.respond = () => Promise.reject(new AppError('MODEL_TIMEOUT', 'slow'));
    await expect(service.generate({ prompt: 'x', seed: 3 }, anonymous)).rejects.toThrow('slow');
    invoker.respond = new ScriptedInvoker().respond;

    const result = await service.generate({ prompt: 'x', seed: 3 }, anonymous);

    expect(result.cached).toBe(false);
    expect(records.records.get(result.id)?.status).toBe('succeeded');
  });

  it('answers CONFLICT and aborts the model call while an identical request is running', async () => {
    const { service, invoker, records, deps } = setup();
    const request = { prompt: 'x', seed: 9 };
    const first = await service.generate(request, anonymous);
    const running = records.records.get(first.id);
    if (!running) throw new Error('expected a record');
    records.records.set(first.id, {
      ...running,
      status: 'pending',
      updatedAt: deps.clock.now().toISOString(),
    });

    await expect(service.generate(request, anonymous)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(invoker.calls[1]?.signal?.aborted).toBe(true);
  });

  it('takes over a pending record left behind by a Lambda that died', async () => {
    const { service, records } = setup();
    const request = { prompt: 'x', seed: 9 };
    const first = await service.generate(request, anonymous);
    const stale = records.records.get(first.id);
    if (!stale) throw new Error('expected a record');
    records.records.set(first.id, {
      ...stale,
      status: 'pending',
      updatedAt: new Date(
        Date.parse('2026-01-02T03:04:05.000Z') - STALE_PENDING_MS - 1,
      ).toISOString(),
    });

    const retried = await service.generate(request, anonymous);

    expect(retried).toMatchObject({ id: first.id, cached: false });
    expect(records.records.get(first.id)?.status).toBe('succeeded');
  });

  it('annotates the request with the model, timings and counts for the log line', async () => {
    const { service } = setup();
    const facts: RequestFacts = {};

    await service.generate(
      { prompt: 'p', count: 3 },
      { ...anonymous, annotate: (more) => Object.assign(facts, more) },
    );

    expect(facts).toEqual({
      model: MODEL,
      prompt: 'p',
      modelMs: 1234,
      imageCount: 3,
      filteredCount: 0,
    });
  });

  describe('predicted-long requests (USE_JOBS)', () => {
    it('refuses a request estimated to outlast the deadline before calling the model', async () => {
      const { service, invoker, records, images } = setup();

      const error = await service
        .generate(
          { prompt: 'a city', width: 2048, height: 2048, count: 5 },
          { ...signedIn, deadlineSeconds: 25 },
        )
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'USE_JOBS', status: 400 });
      expect((error as AppError).message).toMatch(/~\d+ s/);
      expect((error as AppError).message).toContain('(25 s)');
      expect((error as AppError).message).toContain('POST /jobs');
      expect(invoker.calls).toHaveLength(0);
      expect(records.records.size).toBe(0);
      expect(images.objects.size).toBe(0);
    });

    it('runs the same request when there is no deadline (the job worker)', async () => {
      const { service, invoker } = setup();

      const result = await service.generate(
        { prompt: 'a city', width: 2048, height: 2048, count: 5 },
        signedIn,
      );

      expect(result.images).toHaveLength(5);
      expect(invoker.calls).toHaveLength(1);
    });

    it('lets a small request through the synchronous deadline', async () => {
      const { service, invoker } = setup();

      await service.generate({ prompt: 'a cat' }, { ...anonymous, deadlineSeconds: 25 });

      expect(invoker.calls).toHaveLength(1);
    });

    it('answers a cached seeded request even when a fresh one would be too long', async () => {
      const { service, invoker } = setup();
      const request = { prompt: 'a city', width: 2048, height: 2048, count: 5, seed: 3 };
      await service.generate(request, signedIn);

      const again = await service.generate(request, { ...signedIn, deadlineSeconds: 25 });

      expect(again.cached).toBe(true);
      expect(invoker.calls).toHaveLength(1);
    });
  });

  describe('validate', () => {
    it('accepts what generate would accept, without writing or calling anything', () => {
      const { service, invoker, records } = setup();

      expect(() => service.validate({ prompt: 'a cat' })).not.toThrow();
      expect(invoker.calls).toHaveLength(0);
      expect(records.records.size).toBe(0);
    });

    it('refuses a model outside ALLOWED_MODELS and parameters the adapter rejects', () => {
      const { service } = setup();

      expect(() => service.validate({ prompt: 'a cat', model: OTHER_MODEL })).toThrow(
        expect.objectContaining({ code: 'MODEL_NOT_ALLOWED' }) as Error,
      );
      expect(() => service.validate({ prompt: 'a cat', width: 4096, height: 512 })).toThrow(
        expect.objectContaining({ code: 'INVALID_PARAMETER' }) as Error,
      );
    });
  });
});
