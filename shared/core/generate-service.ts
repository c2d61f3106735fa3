/**
 * Text-to-image: pick and check the model, build the Bedrock bodies, answer a repeated seeded
 * request from the earlier result, otherwise run the image pipeline.
 */
import type { AppConfig } from '../config.js';
import type { GenerateParams } from '../models/types.js';
import { contentId, generatedPrefix } from './keys.js';
import { assertFitsDeadline } from './latency-estimate.js';
import { dropUndefined } from './objects.js';
import { assertModelAllowed } from './model-policy.js';
import { withDrawnSeed } from './seeds.js';
import {
  resultFromRecord,
  runImageJob,
  type ImageResult,
  type PipelineDeps,
} from './image-pipeline.js';
import type { IdGenerator, ImageRecord, ModelCatalog, RequestContext } from './ports.js';

export interface GenerateInput extends GenerateParams {
  model?: string;
  /** false forces a fresh generation even for a seeded request. Default true. */
  cache?: boolean;
}

export interface GenerateDeps extends PipelineDeps {
  catalog: ModelCatalog;
  newId: IdGenerator;
  config: Pick<AppConfig, 'allowedModels' | 'defaultModel'>;
}

export interface GenerateService {
  generate(input: GenerateInput, context: RequestContext): Promise<ImageResult>;
  /**
   * The checks generate() makes before anything is written (model allowed, the adapter's
   * parameter rules), without calling Bedrock; POST /jobs uses it to refuse bad jobs up front.
   */
  validate(input: GenerateInput): void;
}

/** The request's model parameters without undefined fields (what is hashed and recorded). */
function toParams(input: GenerateInput): GenerateParams {
  const { model: _model, cache: _cache, ...params } = input;
  return dropUndefined(params);
}

export function createGenerateService(deps: GenerateDeps): GenerateService {
  const prepare = (input: GenerateInput) => {
    const model = input.model ?? deps.config.defaultModel;
    assertModelAllowed(model, deps.config.allowedModels);
    const params = toParams(input);
    const adapter = deps.catalog.adapterFor(model);
    // The drawn seed goes to Bedrock and into the result, not into the cache key or the record's
    // parameters: a request without a seed stays an unseeded (never cached) request.
    const invocations = adapter.buildTextToImage(model, withDrawnSeed(adapter.family, params));
    return { model, params, adapter, invocations };
  };

  return {
    validate(input) {
      prepare(input);
    },

    /**
     * 1. Resolve the model (request, else DEFAULT_MODEL) and check it against ALLOWED_MODELS.
     * 2. Build the invocations first: invalid parameters fail before anything is written.
     * 3. Seeded and cacheable: the id is a hash of owner, model and parameters; a succeeded
     *    record under it is answered with fresh URLs and no Bedrock call.
     * 4. A request estimated to outlast `context.deadlineSeconds` is refused with USE_JOBS.
     * 5. Otherwise run the pipeline under a fresh UUID (or the hash, so the next repeat hits).
     */
    async generate(input, context) {
      const startedAt = deps.clock.now();
      context.annotate?.({ model: input.model ?? deps.config.defaultModel, prompt: input.prompt });
      const { model, params, adapter, invocations } = prepare(input);

      const isCacheable = params.seed !== undefined && input.cache !== false;
      // The owner is part of the hash: a cached answer never hands out another user's keys.
      const id = isCacheable
        ? contentId({ kind: 'generation', owner: context.userId ?? null, model, params })
        : deps.newId();
      if (isCacheable) {
        const earlier = await deps.records.get(id);
        if (earlier?.status === 'succeeded') {
          context.annotate?.({ cached: true, imageCount: earlier.outputKeys.length });
          return resultFromRecord(deps, earlier);
        }
      }

      const info = deps.catalog.findModel(model);
      assertFitsDeadline(
        {
          family: info?.family ?? adapter.family,
          modelId: info?.id ?? model,
          ...(params.quality ? { quality: params.quality } : {}),
          ...(params.width !== undefined && params.height !== undefined
            ? { width: params.width, height: params.height }
            : {}),
          count: params.count ?? 1,
          calls: invocations.length,
        },
        context.deadlineSeconds,
        'generate',
      );

      const { prompt, ...parameters } = params;
      const now = startedAt.toISOString();
      const record: ImageRecord = {
        id,
        kind: 'generation',
        route: context.route,
        ...(context.userId ? { userId: context.userId } : {}),
        model,
        prompt,
        parameters,
        outputKeys: [],
        status: 'pending',
        createdAt: now,
        updatedAt: now,
      };
      return runImageJob(
        deps,
        { record, keyPrefix: generatedPrefix(context.userId), adapter, invocations, startedAt },
        context,
      );
    },
  };
}
