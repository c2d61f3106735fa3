/**
 * Every image model the library can drive, what it can do and where it stands in Bedrock's
 * lifecycle, and model-id parsing (cross-Region inference profiles). Sources for every lifecycle
 * fact: shared/reference/bedrock-image-models.md §0. A leaf module: the adapters import it, and
 * catalog.ts adds the adapter lookup on top.
 */
import { AppError } from '../errors.js';
import type { EditOperation, ModelFamily, ModelInfo } from './types.js';

const ALL_AMAZON_EDITS: readonly EditOperation[] = [
  'inpaint',
  'outpaint',
  'erase',
  'search-replace',
  'remove-background',
];

/** The supported models, by base id (no inference-profile prefix). */
export const MODEL_CATALOG: readonly ModelInfo[] = [
  {
    id: 'stability.stable-diffusion-xl-v1',
    family: 'stability-legacy',
    displayName: 'Stability SDXL 1.0',
    lifecycle: 'end-of-life',
    lifecycleNote:
      'End of life on 2025-05-20 ("will no longer be operational in both us-east-1 and us-west-2", AWS customer notice quoted in aws-samples/document-translation#110); kept only for the original body format.',
    textToImage: true,
    operations: [],
  },
  {
    id: 'stability.stable-image-core-v1:1',
    family: 'stability-current',
    displayName: 'Stable Image Core 1.1',
    lifecycle: 'active',
    lifecycleNote:
      'Active: invoked live in us-west-2 on 2026-07-15; AWS SDK examples moved to it from SDXL (awsdocs/aws-doc-sdk-examples PR #7989); no Legacy notice found when checked on 2026-12-04.',
    textToImage: true,
    operations: [],
  },
  {
    id: 'stability.stable-image-ultra-v1:1',
    family: 'stability-current',
    displayName: 'Stable Image Ultra 1.1',
    lifecycle: 'unconfirmed',
    lifecycleNote:
      'Documented (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-diffusion-stable-ultra-text-image-request-response.html, us-west-2 examples); no public Legacy or EOL notice found when checked on 2026-12-04, so its state stays unconfirmed.',
    textToImage: true,
    operations: ['image-to-image'],
  },
  {
    id: 'stability.sd3-5-large-v1:0',
    family: 'stability-current',
    displayName: 'Stable Diffusion 3.5 Large',
    lifecycle: 'unconfirmed',
    lifecycleNote:
      'Documented (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-diffusion-3-5-large.html, us-west-2 examples); no public Legacy or EOL notice found when checked on 2026-12-04, so its state stays unconfirmed.',
    textToImage: true,
    operations: ['image-to-image'],
  },
  ...(
    [
      ['stability.stable-image-inpaint-v1:0', 'Stable Image Inpaint', 'inpaint'],
      ['stability.stable-outpaint-v1:0', 'Stable Image Outpaint', 'outpaint'],
      ['stability.stable-image-erase-object-v1:0', 'Stable Image Erase Object', 'erase'],
      [
        'stability.stable-image-search-replace-v1:0',
        'Stable Image Search and Replace',
        'search-replace',
      ],
      [
        'stability.stable-image-remove-background-v1:0',
        'Stable Image Remove Background',
        'remove-background',
      ],
    ] as const
  ).map(([id, displayName, operation]): ModelInfo => ({
    id,
    family: 'stability-edit',
    displayName,
    lifecycle: 'unconfirmed',
    lifecycleNote:
      'Documented (https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html); AWS examples call the us. inference profile from us-east-1; no public Legacy or EOL notice found when checked on 2026-12-04.',
    textToImage: false,
    operations: [operation],
    // AWS documents only the us. profiles for the image services (stable-image-services.html).
    inferenceProfiles: ['us'],
  })),
  // The other eight of Stability's thirteen image services (shared/models/stability-services.ts).
  ...(
    [
      [
        'stability.stable-image-search-recolor-v1:0',
        'Stable Image Search and Recolor',
        'search-recolor',
      ],
      [
        'stability.stable-image-control-sketch-v1:0',
        'Stable Image Control Sketch',
        'control-sketch',
      ],
      [
        'stability.stable-image-control-structure-v1:0',
        'Stable Image Control Structure',
        'control-structure',
      ],
      ['stability.stable-image-style-guide-v1:0', 'Stable Image Style Guide', 'style-guide'],
      ['stability.stable-style-transfer-v1:0', 'Stable Style Transfer', 'style-transfer'],
      ['stability.stable-creative-upscale-v1:0', 'Stable Creative Upscale', 'creative-upscale'],
      [
        'stability.stable-conservative-upscale-v1:0',
        'Stable Conservative Upscale',
        'conservative-upscale',
      ],
      ['stability.stable-fast-upscale-v1:0', 'Stable Fast Upscale', 'fast-upscale'],
    ] as const
  ).map(([id, displayName, operation]): ModelInfo => ({
    id,
    family: 'stability-edit',
    displayName,
    lifecycle: 'unconfirmed',
    lifecycleNote:
      'Documented (https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html); AWS examples call the us. inference profile from us-east-1; lifecycle state not confirmed as of 2026-12.',
    textToImage: false,
    operations: [operation],
    // Like the five above: AWS documents the us. profiles (stable-image-services.html).
    inferenceProfiles: ['us'],
  })),
  {
    id: 'amazon.nova-canvas-v1:0',
    family: 'amazon-image',
    displayName: 'Amazon Nova Canvas',
    lifecycle: 'end-of-life',
    lifecycleNote:
      'End of life since 2026-09-30 (Legacy from 2026-03-30; harvests of the AWS lifecycle table: api-evangelist/amazon-nova lifecycle/amazon-nova-lifecycle.yml, skills.sh amazon-nova-canvas "verified on 2026-07-09"); checked 2026-12-04. Kept for seed 002\'s body: calls now fail with MODEL_UNAVAILABLE unless the account has extended access.',
    textToImage: true,
    operations: ALL_AMAZON_EDITS,
    inferenceProfiles: ['us'],
  },
  {
    id: 'amazon.titan-image-generator-v2:0',
    family: 'amazon-image',
    displayName: 'Amazon Titan Image Generator G1 v2',
    lifecycle: 'unconfirmed',
    lifecycleNote:
      'Documented (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-image.html); no public Legacy or EOL notice found when checked on 2026-12-04, so its state stays unconfirmed.',
    textToImage: true,
    operations: [...ALL_AMAZON_EDITS, 'image-variation', 'color-guided'],
  },
];

/**
 * Geography prefixes of Bedrock's system-defined cross-Region inference profiles
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html).
 */
export const INFERENCE_PROFILE_PREFIXES = [
  'us',
  'us-gov',
  'eu',
  'apac',
  'jp',
  'au',
  'ca',
  'global',
] as const;

export type InferenceProfilePrefix = (typeof INFERENCE_PROFILE_PREFIXES)[number];

export interface ParsedModelId {
  /** The foundation-model id, e.g. `stability.stable-image-inpaint-v1:0`. */
  baseId: string;
  /** The cross-Region inference-profile geography, when the id named a profile. */
  profilePrefix?: InferenceProfilePrefix;
  /** Exactly what the caller gave; this is what gets sent to InvokeModel. */
  requestedId: string;
}

const PREFIX_PATTERN = new RegExp(`^(${INFERENCE_PROFILE_PREFIXES.join('|')})\\.(.+)$`);

/**
 * Splits a model id, inference-profile id or ARN of either into base id and profile prefix.
 *
 * @example
 * parseModelId('us.stability.stable-image-inpaint-v1:0');
 * // { baseId: 'stability.stable-image-inpaint-v1:0', profilePrefix: 'us', requestedId: 'us.stability…' }
 */
export function parseModelId(id: string): ParsedModelId {
  const requestedId = id;
  const trimmed = id.trim();
  // ARNs end in foundation-model/<id> or inference-profile/<profile id>.
  const resource = trimmed.startsWith('arn:')
    ? trimmed.slice(trimmed.lastIndexOf('/') + 1)
    : trimmed;
  const match = PREFIX_PATTERN.exec(resource);
  if (match?.[1] && match[2]) {
    return {
      baseId: match[2],
      profilePrefix: match[1] as InferenceProfilePrefix,
      requestedId,
    };
  }
  return { baseId: resource, requestedId };
}

/** The catalog entry for a model id, profile id or ARN, or undefined when it is not supported. */
export function findModel(id: string): ModelInfo | undefined {
  const { baseId } = parseModelId(id);
  return MODEL_CATALOG.find((model) => model.id === baseId);
}

/** The catalog entry for `id`, which must belong to `family`; otherwise MODEL_NOT_ALLOWED. */
export function requireModel(id: string, family: ModelFamily): ModelInfo {
  const model = findModel(id);
  if (model?.family !== family) throw modelNotAllowed(id);
  return model;
}

/** MODEL_NOT_ALLOWED for `id`, listing every supported model id. */
export function modelNotAllowed(id: string): AppError {
  const supported = MODEL_CATALOG.map((model) => model.id).join(', ');
  return new AppError(
    'MODEL_NOT_ALLOWED',
    `Model "${id}" is not supported. Supported models (optionally with the cross-Region inference-profile prefix AWS documents for the model, such as us.): ${supported}.`,
  );
}
