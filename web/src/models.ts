/**
 * The models the pickers offer. One module on purpose: replace it with a call to a models endpoint
 * later without touching the views. Ids are Bedrock base model ids (see
 * shared/reference/bedrock-image-models.md); the API may add an inference-profile prefix.
 */
import type { EditOperation } from './api/types.js';

export interface ModelChoice {
  /** Sent as `model`; undefined lets the API pick its default for the operation. */
  id: string | undefined;
  label: string;
  /** A short note shown next to the label (e.g. "legacy"). */
  note?: string;
  /** Text-to-image: takes an aspect ratio (Stability 2024 models) rather than an exact size. */
  sizing: 'aspect-ratio' | 'pixels';
  /** Supports cfgScale and quality in the advanced options. */
  supportsCfgScale: boolean;
  supportsQuality: boolean;
}

export const DEFAULT_GENERATE_MODEL = 'stability.stable-image-core-v1:1';

export const GENERATE_MODELS: readonly ModelChoice[] = [
  {
    id: 'stability.stable-image-core-v1:1',
    label: 'Stable Image Core',
    note: 'fast, default',
    sizing: 'aspect-ratio',
    supportsCfgScale: false,
    supportsQuality: false,
  },
  {
    id: 'stability.stable-image-ultra-v1:1',
    label: 'Stable Image Ultra',
    note: 'highest quality',
    sizing: 'aspect-ratio',
    supportsCfgScale: false,
    supportsQuality: false,
  },
  {
    id: 'stability.sd3-5-large-v1:0',
    label: 'Stable Diffusion 3.5 Large',
    sizing: 'aspect-ratio',
    supportsCfgScale: false,
    supportsQuality: false,
  },
  {
    id: 'amazon.titan-image-generator-v2:0',
    label: 'Amazon Titan Image Generator v2',
    sizing: 'pixels',
    supportsCfgScale: true,
    supportsQuality: true,
  },
  {
    id: 'amazon.nova-canvas-v1:0',
    label: 'Amazon Nova Canvas',
    note: 'legacy',
    sizing: 'pixels',
    supportsCfgScale: true,
    supportsQuality: true,
  },
];

export interface EditModelChoice {
  id: string | undefined;
  label: string;
  note?: string;
  operations: readonly EditOperation[];
  /** Operations where a text description of the region (maskPrompt) works instead of painting. */
  maskPromptOperations: readonly EditOperation[];
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
    operations: ['inpaint', 'outpaint', 'erase', 'remove-background', 'search-replace'],
    maskPromptOperations: ['search-replace'],
  },
  {
    id: 'amazon.titan-image-generator-v2:0',
    label: 'Amazon Titan Image Generator v2',
    operations: ['inpaint', 'outpaint', 'remove-background'],
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

export const ASPECT_RATIOS = [
  '1:1',
  '16:9',
  '3:2',
  '5:4',
  '4:5',
  '2:3',
  '9:16',
  '21:9',
  '9:21',
] as const;

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
