import { AppError } from '../errors.js';
import { MODEL_CATALOG } from '../models/index.js';
import { assertFitsDeadline, estimateSeconds, type LatencyQuery } from './latency-estimate.js';

const SYNC_DEADLINE_SECONDS = 25;
/** Estimated beyond the deadline on purpose: these always go through POST /jobs. */
const SLOW_MODELS = [
  'stability.stable-creative-upscale-v1:0',
  'stability.stable-conservative-upscale-v1:0',
];

const novaOneImage: LatencyQuery = {
  family: 'amazon-image',
  modelId: 'amazon.nova-canvas-v1:0',
  count: 1,
  calls: 1,
};

describe('estimateSeconds', () => {
  it('keeps one default-size image of every catalog model within the synchronous deadline, except the slow upscalers', () => {
    for (const model of MODEL_CATALOG.filter((entry) => !SLOW_MODELS.includes(entry.id))) {
      const operation = model.operations[0];
      const seconds = estimateSeconds({
        family: model.family,
        modelId: model.id,
        ...(operation && !model.textToImage ? { operation } : {}),
        count: 1,
        calls: 1,
      });
      expect({ model: model.id, fits: seconds > 0 && seconds <= SYNC_DEADLINE_SECONDS }).toEqual({
        model: model.id,
        fits: true,
      });
    }
  });

  it('sends Creative and Conservative Upscale to POST /jobs whatever the input size, Fast Upscale not', () => {
    for (const [modelId, operation] of [
      ['stability.stable-creative-upscale-v1:0', 'creative-upscale'],
      ['stability.stable-conservative-upscale-v1:0', 'conservative-upscale'],
    ] as const) {
      const query = { family: 'stability-edit', modelId, operation, count: 1, calls: 1 } as const;
      expect(() => assertFitsDeadline({ ...query, width: 64, height: 64 }, 25, 'edit')).toThrow(
        expect.objectContaining({ code: 'USE_JOBS' }) as Error,
      );
    }
    expect(() =>
      assertFitsDeadline(
        {
          family: 'stability-edit',
          modelId: 'stability.stable-fast-upscale-v1:0',
          operation: 'fast-upscale',
          width: 1536,
          height: 682,
          count: 1,
          calls: 1,
        },
        25,
        'edit',
      ),
    ).not.toThrow();
  });

  it('predicts Nova premium, 5 images at 2048×1024 well beyond the synchronous deadline', () => {
    const seconds = estimateSeconds({
      ...novaOneImage,
      quality: 'premium',
      width: 2048,
      height: 1024,
      count: 5,
    });

    expect(seconds).toBeGreaterThan(2 * SYNC_DEADLINE_SECONDS);
  });

  it('grows with image size, premium quality and images per call', () => {
    const base = estimateSeconds({ ...novaOneImage, width: 1024, height: 1024 });

    expect(estimateSeconds({ ...novaOneImage, width: 2048, height: 2048 })).toBeGreaterThan(base);
    expect(estimateSeconds({ ...novaOneImage, quality: 'premium' })).toBeGreaterThan(base);
    expect(estimateSeconds({ ...novaOneImage, count: 3 })).toBeGreaterThan(base);
  });

  it('treats parallel calls (one image each) as much cheaper than one call making them all', () => {
    const stability = {
      family: 'stability-current',
      modelId: 'stability.stable-image-core-v1:1',
    } as const;
    const oneImage = estimateSeconds({ ...stability, count: 1, calls: 1 });
    const parallel = estimateSeconds({ ...stability, count: 4, calls: 4 });
    const sequential = estimateSeconds({ ...stability, count: 4, calls: 1 });

    expect(parallel).toBeGreaterThan(oneImage);
    expect(parallel).toBeLessThan(sequential);
  });

  it('does not make tiny images proportionally faster', () => {
    const tiny = estimateSeconds({ ...novaOneImage, width: 64, height: 64 });
    const half = estimateSeconds({ ...novaOneImage, width: 1024, height: 512 });

    expect(tiny).toBe(half);
  });

  it('uses the family figure for a model without its own entry', () => {
    const known = estimateSeconds(novaOneImage);
    const unknown = estimateSeconds({ ...novaOneImage, modelId: 'amazon.some-future-model' });

    expect(unknown).toBe(known);
  });

  it('counts an edit on the Amazon models as slower than text-to-image', () => {
    expect(estimateSeconds({ ...novaOneImage, operation: 'inpaint' })).toBeGreaterThan(
      estimateSeconds(novaOneImage),
    );
  });
});

describe('assertFitsDeadline', () => {
  const long: LatencyQuery = {
    ...novaOneImage,
    quality: 'premium',
    width: 2048,
    height: 1024,
    count: 5,
  };

  it('throws USE_JOBS naming the estimate, the limit and POST /jobs', () => {
    const error = (() => {
      try {
        assertFitsDeadline(long, SYNC_DEADLINE_SECONDS, 'generate');
        return undefined;
      } catch (caught) {
        return caught;
      }
    })();

    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('USE_JOBS');
    expect(appError.status).toBe(400);
    expect(appError.message).toContain(`~${Math.ceil(estimateSeconds(long))} s`);
    expect(appError.message).toContain('(25 s)');
    expect(appError.message).toContain('"type":"generate"');
    expect(appError.message).toContain('POST /jobs');
  });

  it('checks nothing without a deadline', () => {
    expect(() => assertFitsDeadline(long, undefined, 'edit')).not.toThrow();
  });

  it('lets a request within the deadline through', () => {
    expect(() => assertFitsDeadline(novaOneImage, SYNC_DEADLINE_SECONDS, 'generate')).not.toThrow();
  });
});
