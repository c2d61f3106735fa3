/**
 * What each model takes, as GET /models reports it: the request fields it accepts and the limits
 * its adapter enforces. Nothing here restates a limit: the accepted fields are found by asking the
 * model's own adapter (a field it has no setting for is refused with `unsupported`), and sizes,
 * aspect ratios, styles and seed ranges are the constants the adapters validate with.
 */
import { AppError, isAppError } from '../errors.js';
import { MAX_IMAGES_PER_REQUEST, rejectsFieldAsUnsupported, type Size } from './adapter-helpers.js';
import {
  AMAZON_MAX_SEED,
  NOVA_ASPECT_RATIO_SIZES,
  NOVA_SIZE_LIMITS,
  NOVA_STYLES,
  TITAN_ASPECT_RATIO_SIZES,
  TITAN_SIZES,
} from './amazon-image.js';
import { adapterFor } from './catalog.js';
import { findModel } from './known-models.js';
import {
  STABILITY_ASPECT_RATIOS,
  STABILITY_MAX_SEED,
  stabilityMaxSeed,
} from './stability-current.js';
import { STABILITY_EDIT_IMAGE_LIMITS, type StabilityImageLimits } from './stability-edit.js';
import { SDXL_MAX_SEED, SDXL_SIZES, SDXL_STYLE_PRESETS } from './stability-legacy.js';
import type { EditOperation, EditParams, GenerateParams, ModelInfo } from './types.js';

/** How a text-to-image model is told the picture's shape. */
export type Sizing =
  /** `aspectRatio` only (or a width×height of exactly one of those ratios). */
  | { kind: 'aspect-ratio'; aspectRatios: readonly string[] }
  /** One of a fixed list of sizes; `aspectRatio` picks the listed size of that shape. */
  | { kind: 'fixed-sizes'; sizes: readonly Size[]; aspectRatios: readonly string[] }
  /** Any size within the rules; `aspectRatio` picks a preset size. */
  | {
      kind: 'custom';
      rules: typeof NOVA_SIZE_LIMITS;
      aspectRatios: readonly string[];
    };

export interface GenerateCapabilities {
  /** Optional POST /generate fields the model takes (any other one is a 400 naming it). */
  fields: string[];
  maxImages: number;
  /** Largest seed; absent where the library does not export the model's bound. */
  maxSeed?: number;
  sizing?: Sizing;
  styles?: readonly string[];
}

export interface EditCapabilities {
  /** Edit fields the model takes for this operation (required ones included). */
  fields: string[];
  maxImages: number;
  maxSeed?: number;
  /** Documented input-image rules, where the adapter has them as data. */
  inputImage?: StabilityImageLimits;
}

export interface ModelCapabilities {
  /** Present when the model does text-to-image. */
  generate?: GenerateCapabilities;
  edits: Partial<Record<EditOperation, EditCapabilities>>;
}

/**
 * One probe per optional text-to-image field: the smallest request that sets it. Typed over every
 * GenerateParams key, so a new field cannot be left out of GET /models.
 */
const GENERATE_PROBES: { [Field in Exclude<keyof GenerateParams, 'prompt'>]-?: GenerateParams } = {
  negativePrompt: { prompt: 'probe', negativePrompt: 'probe' },
  width: { prompt: 'probe', width: 1024, height: 1024 },
  height: { prompt: 'probe', width: 1024, height: 1024 },
  aspectRatio: { prompt: 'probe', aspectRatio: '1:1' },
  seed: { prompt: 'probe', seed: 1 },
  count: { prompt: 'probe', count: 1 },
  cfgScale: { prompt: 'probe', cfgScale: 5 },
  steps: { prompt: 'probe', steps: 30 },
  style: { prompt: 'probe', style: 'probe' },
  quality: { prompt: 'probe', quality: 'standard' },
};

/** The same for edits; the probes carry an image and nothing else (the adapters only read its size). */
const EDIT_PROBES: {
  [Field in Exclude<keyof EditParams, 'operation' | 'image'>]-?: Partial<EditParams>;
} = {
  mask: { mask: new Uint8Array(0) },
  maskPrompt: { maskPrompt: 'probe' },
  prompt: { prompt: 'probe' },
  negativePrompt: { negativePrompt: 'probe' },
  seed: { seed: 1 },
  count: { count: 1 },
  cfgScale: { cfgScale: 5 },
  quality: { quality: 'standard' },
  style: { style: 'probe' },
  outpaint: { outpaint: { left: 64, right: 0, up: 0, down: 0 } },
  outPaintingMode: { outPaintingMode: 'DEFAULT' },
  growMask: { growMask: 5 },
  creativity: { creativity: 0.5 },
  strength: { strength: 0.5 },
  controlStrength: { controlStrength: 0.5 },
  fidelity: { fidelity: 0.5 },
  aspectRatio: { aspectRatio: '1:1' },
  styleImage: {
    styleImage: { bytes: new Uint8Array(0), mimeType: 'image/png', width: 1024, height: 1024 },
  },
  styleStrength: { styleStrength: 0.5 },
  compositionFidelity: { compositionFidelity: 0.5 },
  changeStrength: { changeStrength: 0.5 },
  similarityStrength: { similarityStrength: 0.5 },
  colors: { colors: ['#000000'] },
};

const PROBE_IMAGE = {
  bytes: new Uint8Array(0),
  mimeType: 'image/png',
  width: 1024,
  height: 1024,
} as const;

/** Fields whose probe the adapter does not refuse as unsupported (other errors do not count). */
function acceptedFields(
  probes: Readonly<Record<string, unknown>>,
  build: (probe: never) => unknown,
): string[] {
  return Object.entries(probes)
    .filter(([field, probe]) => {
      try {
        build(probe as never);
        return true;
      } catch (error) {
        return !rejectsFieldAsUnsupported(error, field);
      }
    })
    .map(([field]) => field);
}

/** Images one request may ask for: the library's maximum, or 1 where the adapter refuses more. */
function maxImages(fields: readonly string[], build: (count: number) => unknown): number {
  if (!fields.includes('count')) return 1;
  try {
    build(MAX_IMAGES_PER_REQUEST);
  } catch (error) {
    if (isAppError(error) && (error.details ?? []).some((detail) => detail.path === 'count')) {
      return 1;
    }
  }
  return MAX_IMAGES_PER_REQUEST;
}

const AMAZON_SIZING: Readonly<Record<string, Sizing>> = {
  'amazon.nova-canvas-v1:0': {
    kind: 'custom',
    rules: NOVA_SIZE_LIMITS,
    aspectRatios: Object.keys(NOVA_ASPECT_RATIO_SIZES),
  },
  'amazon.titan-image-generator-v2:0': {
    kind: 'fixed-sizes',
    sizes: TITAN_SIZES,
    aspectRatios: Object.keys(TITAN_ASPECT_RATIO_SIZES),
  },
};

/** Sizes, styles and seed bound of a family, from the constants its adapter validates with. */
function familyLimits(
  model: ModelInfo,
): Pick<GenerateCapabilities, 'maxSeed' | 'sizing' | 'styles'> {
  switch (model.family) {
    case 'stability-current':
      return {
        maxSeed: stabilityMaxSeed(model.id),
        sizing: { kind: 'aspect-ratio', aspectRatios: STABILITY_ASPECT_RATIOS },
      };
    case 'stability-legacy':
      return {
        maxSeed: SDXL_MAX_SEED,
        sizing: {
          kind: 'fixed-sizes',
          sizes: SDXL_SIZES,
          aspectRatios: [],
        },
        styles: SDXL_STYLE_PRESETS,
      };
    case 'stability-edit':
      return { maxSeed: STABILITY_MAX_SEED, styles: SDXL_STYLE_PRESETS };
    case 'amazon-image': {
      const sizing = AMAZON_SIZING[model.id];
      return {
        maxSeed: AMAZON_MAX_SEED,
        ...(sizing ? { sizing } : {}),
        ...(model.id === 'amazon.nova-canvas-v1:0' ? { styles: NOVA_STYLES } : {}),
      };
    }
  }
}

const cache = new Map<string, ModelCapabilities>();

/**
 * What `modelId` (base id, profile id or ARN) takes. Throws MODEL_NOT_ALLOWED for an unknown id.
 *
 * @example
 * describeModel('stability.stable-image-core-v1:1').generate?.fields;
 * // ['negativePrompt', 'width', 'height', 'aspectRatio', 'seed', 'count']
 */
export function describeModel(modelId: string): ModelCapabilities {
  const known = cache.get(modelId);
  if (known) return known;
  const model = findModel(modelId);
  if (!model) throw new AppError('MODEL_NOT_ALLOWED', `Model "${modelId}" is not supported.`);
  const adapter = adapterFor(modelId);
  const limits = familyLimits(model);

  const generate: GenerateCapabilities | undefined = model.textToImage
    ? (() => {
        const fields = acceptedFields(GENERATE_PROBES, (probe: GenerateParams) =>
          adapter.buildTextToImage(modelId, probe),
        );
        return {
          fields,
          maxImages: maxImages(fields, (count) =>
            adapter.buildTextToImage(modelId, { prompt: 'probe', count }),
          ),
          ...(limits.maxSeed === undefined ? {} : { maxSeed: limits.maxSeed }),
          ...(limits.sizing ? { sizing: limits.sizing } : {}),
          ...(limits.styles && fields.includes('style') ? { styles: limits.styles } : {}),
        };
      })()
    : undefined;

  const edits: Partial<Record<EditOperation, EditCapabilities>> = {};
  for (const operation of model.operations) {
    const build = (probe: Partial<EditParams>) =>
      adapter.buildEdit(modelId, { operation, image: PROBE_IMAGE, ...probe });
    const fields = acceptedFields(EDIT_PROBES, build);
    const inputImage =
      model.family === 'stability-edit'
        ? (STABILITY_EDIT_IMAGE_LIMITS as Partial<Record<EditOperation, StabilityImageLimits>>)[
            operation
          ]
        : undefined;
    edits[operation] = {
      fields,
      maxImages: maxImages(fields, (count) => build({ count })),
      ...(limits.maxSeed !== undefined && fields.includes('seed')
        ? { maxSeed: limits.maxSeed }
        : {}),
      ...(inputImage ? { inputImage } : {}),
    };
  }

  const capabilities: ModelCapabilities = { ...(generate ? { generate } : {}), edits };
  cache.set(modelId, capabilities);
  return capabilities;
}
