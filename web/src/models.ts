/**
 * The models the pickers offer. One module on purpose: replace it with a call to a models endpoint
 * later without touching the views. Ids are Bedrock base model ids (see
 * shared/reference/bedrock-image-models.md); the API may add an inference-profile prefix.
 */
import type { EditOperation } from './api/types.js';

/** One entry of a model's size picker: an aspect ratio the API maps to a size, or an exact size. */
export interface SizeChoice {
  /** The select's value: "16:9" or "1280x720". */
  value: string;
  label: string;
  aspectRatio?: string;
  width?: number;
  height?: number;
}

export interface ModelChoice {
  /** Sent as `model`; undefined lets the API pick its default for the operation. */
  id: string | undefined;
  label: string;
  /** A short note shown next to the label (e.g. "legacy"). */
  note?: string;
  /** Only sizes the model accepts: free width/height fields let people ask for sizes it rejects. */
  sizes: readonly SizeChoice[];
  /** Longest prompt (and negative prompt) the model takes, in characters. */
  maxPromptLength: number;
  /** Style presets the model documents (`style`); empty when it has none. */
  styles: readonly { value: string; label: string }[];
  /** Supports cfgScale and quality in the advanced options. */
  supportsCfgScale: boolean;
  supportsQuality: boolean;
}

function ratioChoices(ratios: readonly string[]): SizeChoice[] {
  return ratios.map((ratio) => ({
    value: ratio,
    label: `${ratio}${ratio === '1:1' ? ' square' : ''}`,
    aspectRatio: ratio,
  }));
}

function exactSizeChoices(sizes: readonly (readonly [number, number])[]): SizeChoice[] {
  return sizes.map(([width, height]) => ({
    value: `${width}x${height}`,
    label: `${width} × ${height}`,
    width,
    height,
  }));
}

/** The nine aspect ratios Stability's text-to-image models accept (shared/models/stability-current). */
const STABILITY_RATIOS = ['1:1', '16:9', '3:2', '5:4', '4:5', '2:3', '9:16', '21:9', '9:21'];

/**
 * Nova Canvas sizes: each side 320–4096 px and divisible by 16, ratio within 1:4–4:1, fewer than
 * 4,194,304 pixels (shared/models/amazon-image NOVA_SIZE_LIMITS). The first ones are the sizes the
 * API picks for each aspect ratio.
 */
const NOVA_SIZES: readonly (readonly [number, number])[] = [
  [1024, 1024],
  [1280, 720],
  [720, 1280],
  [1152, 768],
  [768, 1152],
  [1152, 864],
  [864, 1152],
  [1280, 1024],
  [1024, 1280],
  [1680, 720],
  [720, 1680],
  [512, 512],
  [1536, 1536],
  [2048, 1024],
  [1024, 2048],
  [2048, 1152],
  [1152, 2048],
];

/** Titan Image Generator v2's permissible sizes (shared/models/amazon-image TITAN_SIZES). */
const TITAN_SIZES: readonly (readonly [number, number])[] = [
  [1024, 1024],
  [768, 768],
  [512, 512],
  [768, 1152],
  [384, 576],
  [1152, 768],
  [576, 384],
  [768, 1280],
  [384, 640],
  [1280, 768],
  [640, 384],
  [896, 1152],
  [448, 576],
  [1152, 896],
  [576, 448],
  [768, 1408],
  [384, 704],
  [1408, 768],
  [704, 384],
  [640, 1408],
  [320, 704],
  [1408, 640],
  [704, 320],
  [1152, 640],
  [1173, 640],
];

/** Nova Canvas `textToImageParams.style` values. */
const NOVA_STYLES = [
  ['PHOTOREALISM', 'Photorealism'],
  ['3D_ANIMATED_FAMILY_FILM', '3D animated family film'],
  ['DESIGN_SKETCH', 'Design sketch'],
  ['FLAT_VECTOR_ILLUSTRATION', 'Flat vector illustration'],
  ['GRAPHIC_NOVEL_ILLUSTRATION', 'Graphic novel illustration'],
  ['MAXIMALISM', 'Maximalism'],
  ['MIDCENTURY_RETRO', 'Midcentury retro'],
  ['SOFT_DIGITAL_PAINTING', 'Soft digital painting'],
].map(([value, label]) => ({ value: value!, label: label! }));

const STABILITY_BASE = {
  sizes: ratioChoices(STABILITY_RATIOS),
  maxPromptLength: 10_000,
  styles: [],
  supportsCfgScale: false,
  supportsQuality: false,
} as const;

export const DEFAULT_GENERATE_MODEL = 'stability.stable-image-core-v1:1';

export const GENERATE_MODELS: readonly ModelChoice[] = [
  {
    id: 'stability.stable-image-core-v1:1',
    label: 'Stable Image Core',
    note: 'fast, default',
    ...STABILITY_BASE,
  },
  {
    id: 'stability.stable-image-ultra-v1:1',
    label: 'Stable Image Ultra',
    note: 'highest quality',
    ...STABILITY_BASE,
  },
  {
    id: 'stability.sd3-5-large-v1:0',
    label: 'Stable Diffusion 3.5 Large',
    ...STABILITY_BASE,
  },
  {
    id: 'amazon.titan-image-generator-v2:0',
    label: 'Amazon Titan Image Generator v2',
    sizes: exactSizeChoices(TITAN_SIZES),
    maxPromptLength: 512,
    styles: [],
    supportsCfgScale: true,
    supportsQuality: true,
  },
  {
    id: 'amazon.nova-canvas-v1:0',
    label: 'Amazon Nova Canvas',
    note: 'legacy',
    sizes: exactSizeChoices(NOVA_SIZES),
    maxPromptLength: 1024,
    styles: NOVA_STYLES,
    supportsCfgScale: true,
    supportsQuality: true,
  },
];

/** The size choice a request asks for, if the model offers it. */
export function sizeChoiceFor(
  model: ModelChoice,
  request: { aspectRatio?: string; width?: number; height?: number },
): SizeChoice | undefined {
  if (request.width !== undefined && request.height !== undefined) {
    const exact = model.sizes.find(
      (size) => size.width === request.width && size.height === request.height,
    );
    if (exact) return exact;
  }
  if (request.aspectRatio !== undefined) {
    return model.sizes.find((size) => size.aspectRatio === request.aspectRatio);
  }
  return undefined;
}

export interface EditModelChoice {
  id: string | undefined;
  label: string;
  note?: string;
  operations: readonly EditOperation[];
  /** Operations where a text description of the region (maskPrompt) works instead of painting. */
  maskPromptOperations: readonly EditOperation[];
  /** The fields GET /models lists per operation (edit-fields.ts has the built-in ones). */
  fields?: Partial<Record<EditOperation, readonly string[]>>;
  /** Most images one request may ask for, per operation (GET /models `maxImages`). */
  maxImages?: Partial<Record<EditOperation, number>>;
}

/**
 * Edit models. Stability Image Services has one model per operation, so "default" lets the API
 * choose it; describing the region in words is only search-and-replace there. Titan and Nova take
 * maskPrompt for inpaint and outpaint.
 */
export const EDIT_MODELS: readonly EditModelChoice[] = [
  {
    id: undefined,
    label: 'Stability Image Services',
    note: 'default',
    operations: [
      'inpaint',
      'outpaint',
      'erase',
      'remove-background',
      'search-replace',
      'search-recolor',
      'control-sketch',
      'control-structure',
      'style-guide',
      'style-transfer',
      'creative-upscale',
      'conservative-upscale',
      'fast-upscale',
    ],
    maskPromptOperations: ['search-replace', 'search-recolor'],
  },
  {
    id: 'stability.sd3-5-large-v1:0',
    label: 'Stable Diffusion 3.5 Large',
    operations: ['image-to-image'],
    maskPromptOperations: [],
  },
  {
    id: 'amazon.titan-image-generator-v2:0',
    label: 'Amazon Titan Image Generator v2',
    operations: ['inpaint', 'outpaint', 'remove-background', 'image-variation', 'color-guided'],
    maskPromptOperations: ['inpaint', 'outpaint'],
  },
  {
    id: 'amazon.nova-canvas-v1:0',
    label: 'Amazon Nova Canvas',
    note: 'legacy',
    operations: ['inpaint', 'outpaint', 'remove-background'],
    maskPromptOperations: ['inpaint', 'outpaint'],
  },
];

/** A readable name for any model id, including ones this list does not know (history of old runs). */
export function modelLabel(id: string | undefined): string {
  if (!id) return 'Default model';
  const bare = id.replace(/^(us|eu|apac|global)\./, '');
  const known =
    GENERATE_MODELS.find((model) => model.id === bare) ??
    EDIT_MODELS.find((model) => model.id === bare);
  if (known) return known.label;
  if (bare.startsWith('stability.stable-image-') || bare.startsWith('stability.stable-')) {
    return `Stability ${bare.replace(/^stability\.stable-(image-)?/, '').replace(/-v\d.*$/, '')}`;
  }
  return bare;
}

/** GET /models, the parts the pickers read (shared/core/model-listing.ts). */
export interface ModelListing {
  models: {
    id: string;
    baseId: string;
    family: string;
    displayName: string;
    lifecycle: string;
    textToImage: boolean;
    operations: EditOperation[];
    defaultFor: string[];
    generate?: {
      fields: string[];
      maxImages: number;
      maxSeed?: number;
      sizing?:
        | { kind: 'aspect-ratio'; aspectRatios: string[] }
        | {
            kind: 'fixed-sizes';
            sizes: { width: number; height: number }[];
            aspectRatios: string[];
          }
        | { kind: 'custom'; aspectRatios: string[] };
      styles?: string[];
    };
    edits: Partial<Record<EditOperation, { fields: string[]; maxImages?: number }>>;
  }[];
  defaults: { textToImage: string; edits: Partial<Record<EditOperation, string>> };
}

/**
 * Prompt limits, which GET /models does not report: Titan 512 and Nova 1024 characters
 * (shared/models/amazon-image maxTextLength), Stability 10,000.
 */
const PROMPT_LIMITS: Readonly<Record<string, number>> = {
  'amazon.titan-image-generator-v2:0': 512,
  'amazon.nova-canvas-v1:0': 1024,
};

function lifecycleNote(lifecycle: string): string {
  if (lifecycle === 'legacy') return 'legacy';
  return lifecycle === 'end-of-life' ? 'end of life' : '';
}

function styleLabel(value: string): string {
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The fields and image counts GET /models lists for each operation of one picker entry. */
function editCapabilities(
  entries: [EditOperation, { fields: string[]; maxImages?: number } | undefined][],
): Pick<EditModelChoice, 'fields' | 'maxImages'> {
  const fields: Partial<Record<EditOperation, readonly string[]>> = {};
  const maxImages: Partial<Record<EditOperation, number>> = {};
  for (const [operation, capabilities] of entries) {
    if (!capabilities) continue;
    fields[operation] = capabilities.fields;
    if (capabilities.maxImages !== undefined) maxImages[operation] = capabilities.maxImages;
  }
  return { fields, maxImages };
}

/** The pickers as this deployment's API describes its models; null when the answer is unusable. */
export function catalogFromListing(listing: ModelListing): ModelCatalogChoices | null {
  if (!Array.isArray(listing?.models) || !listing.defaults) return null;
  const generate: ModelChoice[] = listing.models
    // End-of-life models stay when the deployment allows them (the seeds' bodies), labelled so.
    .filter((model) => model.textToImage && model.generate)
    .map((model) => {
      const capabilities = model.generate!;
      const sizing = capabilities.sizing;
      const sizes: SizeChoice[] =
        sizing?.kind === 'fixed-sizes'
          ? exactSizeChoices(sizing.sizes.map((size) => [size.width, size.height] as const))
          : ratioChoices(sizing?.aspectRatios ?? ['1:1']);
      const notes = [
        model.defaultFor.includes('text-to-image') ? 'default' : '',
        lifecycleNote(model.lifecycle),
      ].filter(Boolean);
      return {
        id: model.id,
        label: model.displayName,
        ...(notes.length > 0 ? { note: notes.join(', ') } : {}),
        sizes,
        maxPromptLength: PROMPT_LIMITS[model.baseId] ?? 10_000,
        styles: capabilities.fields.includes('style')
          ? (capabilities.styles ?? []).map((value) => ({ value, label: styleLabel(value) }))
          : [],
        supportsCfgScale: capabilities.fields.includes('cfgScale'),
        supportsQuality: capabilities.fields.includes('quality'),
      };
    });
  // Stability's image services are one model per operation: one "default" entry stands for
  // them, so the API picks the operation's model (EDIT_MODELS).
  const stabilityDefaults = Object.entries(listing.defaults.edits).flatMap(([operation, id]) => {
    const model = listing.models.find((each) => each.id === id);
    return model?.family === 'stability-edit'
      ? [{ operation: operation as EditOperation, model }]
      : [];
  });
  const edit: EditModelChoice[] = [];
  if (stabilityDefaults.length > 0) {
    edit.push({
      id: undefined,
      label: 'Stability Image Services',
      note: 'default',
      operations: stabilityDefaults.map(({ operation }) => operation),
      maskPromptOperations: stabilityDefaults
        .filter(({ operation, model }) => model.edits[operation]?.fields.includes('maskPrompt'))
        .map(({ operation }) => operation),
      ...editCapabilities(
        stabilityDefaults.map(({ operation, model }) => [operation, model.edits[operation]]),
      ),
    });
  }
  for (const model of listing.models) {
    if (model.family === 'stability-edit' || model.operations.length === 0) continue;
    const note = lifecycleNote(model.lifecycle);
    edit.push({
      id: model.id,
      label: model.displayName,
      ...(note ? { note } : {}),
      operations: model.operations,
      maskPromptOperations: model.operations.filter((operation) =>
        model.edits[operation]?.fields.includes('maskPrompt'),
      ),
      ...editCapabilities(model.operations.map((operation) => [operation, model.edits[operation]])),
    });
  }
  if (generate.length === 0 || edit.length === 0) return null;
  return { generate, edit, defaultGenerate: listing.defaults.textToImage };
}

export interface ModelCatalogChoices {
  generate: readonly ModelChoice[];
  edit: readonly EditModelChoice[];
  defaultGenerate: string;
}

/** Built in until GET /models has answered (or when it cannot be reached). */
let current: ModelCatalogChoices = {
  generate: GENERATE_MODELS,
  edit: EDIT_MODELS,
  defaultGenerate: DEFAULT_GENERATE_MODEL,
};

export function generateModels(): readonly ModelChoice[] {
  return current.generate;
}

export function editModels(): readonly EditModelChoice[] {
  return current.edit;
}

export function defaultGenerateModel(): string {
  return current.defaultGenerate;
}

/** Replaces the built-in lists with what the API reports. */
export function useCatalog(choices: ModelCatalogChoices): void {
  current = choices;
}
