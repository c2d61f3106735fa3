/**
 * Which controls of the edit form an operation uses. GET /models lists each model's fields per
 * operation; these built-in lists (the same answer for the default models) stand in until it has
 * answered, so the form never offers a field the API would refuse with INVALID_PARAMETER.
 */
import type { EditOperation } from './api/types.js';

/** The settings sliders: each a number from 0 to 1 in the request. */
export const STRENGTH_FIELDS = [
  'strength',
  'controlStrength',
  'fidelity',
  'creativity',
  'styleStrength',
  'compositionFidelity',
  'changeStrength',
  'similarityStrength',
] as const;
export type StrengthField = (typeof STRENGTH_FIELDS)[number];

export const STRENGTH_LABELS: Record<StrengthField, { label: string; hint: string }> = {
  strength: { label: 'Strength', hint: '0 keeps the image, 1 ignores it.' },
  controlStrength: { label: 'Control strength', hint: 'How closely to follow the input.' },
  fidelity: { label: 'Fidelity', hint: 'How closely to follow the input’s style.' },
  creativity: { label: 'Creativity', hint: 'How much new detail may be invented.' },
  styleStrength: { label: 'Style strength', hint: 'How much of the style image to apply.' },
  compositionFidelity: {
    label: 'Composition fidelity',
    hint: 'How closely to keep the image’s layout.',
  },
  changeStrength: { label: 'Change strength', hint: 'How much the image may change.' },
  similarityStrength: {
    label: 'Similarity',
    hint: 'How similar the variations stay to the image.',
  },
};

/**
 * The fields each operation's default model takes (GET /models `edits[operation].fields`).
 * `mask` means the painter; `maskPrompt` the region described in words.
 */
export const DEFAULT_OPERATION_FIELDS: Record<EditOperation, readonly string[]> = {
  inpaint: ['mask', 'prompt', 'negativePrompt', 'seed', 'count', 'style'],
  outpaint: ['prompt', 'seed', 'count', 'style', 'outpaint', 'creativity'],
  erase: ['mask', 'seed', 'count'],
  'remove-background': ['count'],
  'search-replace': ['maskPrompt', 'prompt', 'negativePrompt', 'seed', 'count', 'style'],
  'search-recolor': ['maskPrompt', 'prompt', 'negativePrompt', 'seed', 'count', 'style'],
  'control-sketch': ['prompt', 'negativePrompt', 'seed', 'count', 'style', 'controlStrength'],
  'control-structure': ['prompt', 'negativePrompt', 'seed', 'count', 'style', 'controlStrength'],
  'style-guide': ['prompt', 'negativePrompt', 'seed', 'count', 'style', 'fidelity', 'aspectRatio'],
  'style-transfer': [
    'prompt',
    'negativePrompt',
    'seed',
    'count',
    'styleStrength',
    'compositionFidelity',
    'changeStrength',
  ],
  'creative-upscale': ['prompt', 'negativePrompt', 'seed', 'count', 'style', 'creativity'],
  'conservative-upscale': ['prompt', 'negativePrompt', 'seed', 'count', 'creativity'],
  'fast-upscale': ['count'],
  'image-to-image': ['prompt', 'negativePrompt', 'seed', 'count', 'strength'],
  'image-variation': ['prompt', 'negativePrompt', 'seed', 'count', 'similarityStrength'],
  'color-guided': ['prompt', 'negativePrompt', 'seed', 'count', 'colors'],
};

/** Operations whose prompt must be filled in (the API answers 400 without one). */
const PROMPT_REQUIRED: ReadonlySet<EditOperation> = new Set([
  'search-replace',
  'search-recolor',
  'control-sketch',
  'control-structure',
  'style-guide',
  'creative-upscale',
  'conservative-upscale',
  'image-to-image',
  'color-guided',
]);

/** What the form shows for one operation on one model. */
export interface OperationControls {
  paintMask: boolean;
  describeRegion: boolean;
  prompt: 'required' | 'optional' | 'none';
  negativePrompt: boolean;
  seed: boolean;
  /** More than one image can be asked for. */
  count: boolean;
  style: boolean;
  aspectRatio: boolean;
  colors: boolean;
  /** style-transfer: a second image to take the style from. */
  styleImage: boolean;
  strengths: StrengthField[];
}

/**
 * The controls for `operation` given the fields the API lists for it (`listed`, from GET /models),
 * or the built-in list when the listing has none.
 */
export function controlsFor(
  operation: EditOperation,
  listed?: readonly string[],
  maxImages?: number,
): OperationControls {
  const fields = new Set(listed ?? DEFAULT_OPERATION_FIELDS[operation]);
  const prompt = !fields.has('prompt')
    ? 'none'
    : PROMPT_REQUIRED.has(operation)
      ? 'required'
      : 'optional';
  return {
    paintMask: fields.has('mask'),
    describeRegion: fields.has('maskPrompt'),
    prompt,
    negativePrompt: fields.has('negativePrompt'),
    seed: fields.has('seed'),
    count: fields.has('count') && (maxImages ?? (fields.has('seed') ? 5 : 1)) > 1,
    style: fields.has('style'),
    aspectRatio: fields.has('aspectRatio'),
    colors: fields.has('colors'),
    // The listing leaves out image inputs; style-transfer always takes its second image.
    styleImage: operation === 'style-transfer',
    strengths: STRENGTH_FIELDS.filter((field) => fields.has(field)),
  };
}

const HEX_COLOR = /^#[0-9a-f]{6}$/i;
/** Titan colour-guided generation takes 1–10 colours. */
export const MAX_COLORS = 10;

/** Reads "#ff0000, #00ff00" (or space separated) into colours, or a message naming the problem. */
export function parseColors(text: string): string[] | string {
  const colors = text
    .split(/[\s,]+/)
    .map((color) => color.trim())
    .filter(Boolean);
  if (colors.length === 0) return 'Give at least one colour, such as #ff8800.';
  if (colors.length > MAX_COLORS) return `At most ${MAX_COLORS} colours.`;
  const bad = colors.find((color) => !HEX_COLOR.test(color));
  if (bad) return `“${bad}” is not a colour like #ff8800.`;
  return colors.map((color) => color.toLowerCase());
}

/** Stability-only settings that Titan and Nova refuse for the region edits. */
const STABILITY_ONLY: ReadonlySet<string> = new Set(['style', 'creativity', 'outpaint']);

/**
 * The fields `model` takes for `operation`: what GET /models listed, else the built-in list
 * (without Stability-only settings when the model is not the Stability default).
 */
export function fieldsForModel(
  model: { id: string | undefined; fields?: Partial<Record<EditOperation, readonly string[]>> },
  operation: EditOperation,
): readonly string[] {
  const listed = model.fields?.[operation];
  if (listed) return listed;
  const defaults = DEFAULT_OPERATION_FIELDS[operation];
  return model.id === undefined ? defaults : defaults.filter((field) => !STABILITY_ONLY.has(field));
}
