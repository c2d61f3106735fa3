/**
 * How long a Bedrock image request will probably take, so the synchronous routes can send long
 * ones to POST /jobs before paying for a call that API Gateway would cut off at 29 s.
 *
 * THESE ARE ESTIMATES, NOT AWS FIGURES. AWS publishes no latency numbers for these models. The
 * Nova Canvas documentation only says that resolution, numberOfImages and quality "all have an
 * impact on the time it takes for generation to complete" and that the SDK's 60 s default read
 * timeout "can easily be exceeded" (https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html);
 * third-party wrappers report 30–90 s for image generation (see
 * shared/reference/bedrock-image-models.md §9). The table holds deliberately cautious guesses for
 * one ~1-megapixel image at standard quality; replace them with p95 values measured in your
 * Region (scripts/bench) when you have them.
 */
import { AppError } from '../errors.js';
import type { EditOperation, ModelFamily } from '../models/types.js';

/** Seconds for one ~1 MP image at standard quality, per family (estimate, not an AWS figure). */
export const FAMILY_SECONDS: Readonly<Record<ModelFamily, number>> = {
  'stability-legacy': 8,
  'stability-current': 6,
  'stability-edit': 8,
  'amazon-image': 6,
};

/**
 * Models that differ from their family's figure, by base id (estimates). Ultra and SD3.5 Large
 * are Stability's larger models; Titan v2 is the smaller Amazon model.
 */
export const MODEL_SECONDS: Readonly<Record<string, number>> = {
  'stability.stable-image-core-v1:1': 5,
  'stability.sd3-5-large-v1:0': 10,
  'stability.stable-image-ultra-v1:1': 12,
  'amazon.titan-image-generator-v2:0': 5,
  'stability.stable-image-remove-background-v1:0': 4,
  'stability.stable-outpaint-v1:0': 10,
  // The upscalers write a "4K" picture whatever the input size. Stability runs Creative Upscale
  // as an asynchronous job on its own API, and Conservative Upscale makes the same output size;
  // both are sent to POST /jobs. Fast Upscale ("4x") is quick.
  'stability.stable-creative-upscale-v1:0': 60,
  'stability.stable-conservative-upscale-v1:0': 40,
  'stability.stable-fast-upscale-v1:0': 4,
};

/** Operations whose time does not follow the input's size (their output size is fixed). */
const SIZE_INDEPENDENT_OPERATIONS: readonly EditOperation[] = [
  'creative-upscale',
  'conservative-upscale',
  'fast-upscale',
];

/** Edits take longer than text-to-image on the Amazon models (they encode the input too). */
const AMAZON_EDIT_FACTOR = 1.25;
/** Nova/Titan premium quality: assumed twice the standard time (the docs say only "impact"). */
const PREMIUM_FACTOR = 2;
/** Small images are not proportionally faster: below half a megapixel the time stays flat. */
const MIN_MEGAPIXEL_FACTOR = 0.5;
/** Each extra parallel call adds this share of one call's time (shared quota, queueing). */
const PARALLEL_CALL_OVERHEAD = 0.1;
/** The size assumed when the request names none (the models' defaults are about 1 MP). */
const DEFAULT_PIXELS = 1024 * 1024;

export interface LatencyQuery {
  family: ModelFamily;
  /** Base model id (no inference-profile prefix). */
  modelId: string;
  /** Absent for text-to-image. */
  operation?: EditOperation;
  quality?: 'standard' | 'premium';
  /** Output size in pixels, where known. */
  width?: number;
  height?: number;
  /** Images requested in total. */
  count: number;
  /** InvokeModel calls the request makes; they run in parallel, each makes count/calls images. */
  calls: number;
}

/** The estimated wall time of the request in seconds (see the caveats at the top). */
export function estimateSeconds(query: LatencyQuery): number {
  const perImage = MODEL_SECONDS[query.modelId] ?? FAMILY_SECONDS[query.family];
  const pixels =
    query.width !== undefined && query.height !== undefined
      ? query.width * query.height
      : DEFAULT_PIXELS;
  const sizeFactor =
    query.operation !== undefined && SIZE_INDEPENDENT_OPERATIONS.includes(query.operation)
      ? 1
      : Math.max(MIN_MEGAPIXEL_FACTOR, pixels / DEFAULT_PIXELS);
  const qualityFactor = query.quality === 'premium' ? PREMIUM_FACTOR : 1;
  const editFactor =
    query.operation !== undefined && query.family === 'amazon-image' ? AMAZON_EDIT_FACTOR : 1;
  const calls = Math.max(1, query.calls);
  // One call makes its images one after another (Nova/Titan numberOfImages).
  const imagesPerCall = Math.max(1, Math.ceil(query.count / calls));
  const oneCall = perImage * sizeFactor * qualityFactor * editFactor * imagesPerCall;
  return oneCall * (1 + PARALLEL_CALL_OVERHEAD * (calls - 1));
}

/**
 * Throws USE_JOBS when the request is estimated to take longer than `deadlineSeconds` (the
 * synchronous route's Bedrock timeout). Without a deadline (the job worker) nothing is checked.
 */
export function assertFitsDeadline(
  query: LatencyQuery,
  deadlineSeconds: number | undefined,
  jobType: 'generate' | 'edit',
): void {
  if (deadlineSeconds === undefined) return;
  const seconds = estimateSeconds(query);
  if (seconds <= deadlineSeconds) return;
  throw new AppError(
    'USE_JOBS',
    `This request would likely take ~${Math.ceil(seconds)} s (estimate for ${query.modelId}), ` +
      `more than this synchronous route allows (${Math.floor(deadlineSeconds)} s). ` +
      `Send the same body with "type":"${jobType}" to POST /jobs, then poll GET /jobs/{id}.`,
  );
}
