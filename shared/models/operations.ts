/**
 * What the image-guided operations take beyond the common edit fields, and the checks that keep a
 * field from being silently ignored: a field given to an operation (or model) that has no use for
 * it is a 400 that names it, not a setting the caller wrongly believes took effect.
 */
import { AppError } from '../errors.js';
import {
  REGION_EDIT_OPERATIONS,
  type EditOperation,
  type EditParams,
  type ImageGuidedOperation,
  type RegionEditOperation,
} from './types.js';

/** inpaint, outpaint, erase, search-replace, remove-background: the edits of one region. */
export function isRegionEdit(operation: EditOperation): operation is RegionEditOperation {
  return (REGION_EDIT_OPERATIONS as readonly string[]).includes(operation);
}

/** Each image-guided field and the operations that use it (every other operation refuses it). */
export const GUIDED_FIELD_OPERATIONS = {
  strength: ['image-to-image'],
  controlStrength: ['control-sketch', 'control-structure'],
  fidelity: ['style-guide'],
  aspectRatio: ['style-guide'],
  styleImage: ['style-transfer'],
  styleStrength: ['style-transfer'],
  compositionFidelity: ['style-transfer'],
  changeStrength: ['style-transfer'],
  similarityStrength: ['image-variation'],
  colors: ['color-guided'],
} as const satisfies Partial<Record<keyof EditParams, readonly ImageGuidedOperation[]>>;

export type GuidedField = keyof typeof GUIDED_FIELD_OPERATIONS;

/**
 * Throws INVALID_PARAMETER naming every image-guided field in `fields` that `operation` does not
 * use. `names` maps a field to the name the caller used (e.g. styleImage → styleImageKey).
 */
export function assertGuidedFieldsFit(
  operation: EditOperation,
  fields: Partial<Record<GuidedField, unknown>>,
  names: Partial<Record<GuidedField, string>> = {},
): void {
  const details = (Object.keys(GUIDED_FIELD_OPERATIONS) as GuidedField[])
    .filter((field) => fields[field] !== undefined)
    .filter((field) => !(GUIDED_FIELD_OPERATIONS[field] as readonly string[]).includes(operation))
    .map((field) => {
      const name = names[field] ?? field;
      const message = `${name} is only for ${GUIDED_FIELD_OPERATIONS[field].join(', ')}, not ${operation}`;
      return { path: name, message };
    });
  if (details.length === 0) return;
  throw new AppError('INVALID_PARAMETER', details.map((detail) => detail.message).join('; '), {
    details,
  });
}

/**
 * Throws INVALID_PARAMETER naming every field of `params` (other than operation and image) that is
 * not in `accepted`; `hints` adds a sentence for a field.
 */
export function assertOnlyFields(
  params: EditParams,
  accepted: readonly (keyof EditParams)[],
  modelId: string,
  hints: Partial<Record<keyof EditParams, string>> = {},
): void {
  const details = (Object.keys(params) as (keyof EditParams)[])
    .filter((field) => field !== 'operation' && field !== 'image')
    .filter((field) => params[field] !== undefined && !accepted.includes(field))
    .map((field) => {
      const hint = hints[field];
      const message = `${field} is not supported by ${modelId} for ${params.operation}${hint ? `; ${hint}` : ''}`;
      return { path: field, message };
    });
  if (details.length === 0) return;
  throw new AppError(
    'INVALID_PARAMETER',
    `Invalid request for ${modelId}: ${details.map((detail) => detail.message).join('; ')}`,
    { details },
  );
}

/**
 * For the region edits, whose adapters predate the image-guided fields: refuses each of those
 * fields by name (INVALID_PARAMETER, "… is not supported by …"), so none is silently dropped and
 * GET /models does not list it.
 */
export function assertNoGuidedFields(params: EditParams, modelId: string): void {
  const hints = Object.fromEntries(
    (Object.keys(GUIDED_FIELD_OPERATIONS) as GuidedField[]).map((field) => [
      field,
      `it is for ${GUIDED_FIELD_OPERATIONS[field].join(', ')}`,
    ]),
  );
  const guided = Object.keys(GUIDED_FIELD_OPERATIONS) as (keyof EditParams)[];
  const others = (Object.keys(params) as (keyof EditParams)[]).filter(
    (field) => !guided.includes(field),
  );
  assertOnlyFields(params, others, modelId, hints);
}

/** Image rules one service or model documents for an input image. */
export interface InputImageLimits {
  minSide: number;
  maxSide?: number;
  minPixels?: number;
  maxPixels?: number;
  /** Longer side : shorter side at most this (2.5 = between 1:2.5 and 2.5:1). */
  maxAspectRatio?: number;
  mimeTypes: readonly string[];
}

/** The problems `image` has against `limits`, as messages that start with `field`. */
export function inputImageProblems(
  field: string,
  image: { mimeType: string; width: number; height: number },
  limits: InputImageLimits,
): string[] {
  const { width, height, mimeType } = image;
  const size = `${width}×${height}`;
  const problems: string[] = [];
  if (!limits.mimeTypes.includes(mimeType)) {
    problems.push(`${field} must be ${limits.mimeTypes.join(', ')} (got ${mimeType})`);
  }
  if (width < limits.minSide || height < limits.minSide) {
    problems.push(`${field}: every side must be at least ${limits.minSide} px (got ${size})`);
  }
  if (limits.maxSide !== undefined && (width > limits.maxSide || height > limits.maxSide)) {
    problems.push(`${field}: every side must be at most ${limits.maxSide} px (got ${size})`);
  }
  const pixels = width * height;
  if (limits.minPixels !== undefined && pixels < limits.minPixels) {
    problems.push(
      `${field}: at least ${limits.minPixels.toLocaleString('en-US')} pixels (got ${size})`,
    );
  }
  if (limits.maxPixels !== undefined && pixels > limits.maxPixels) {
    problems.push(
      `${field}: at most ${limits.maxPixels.toLocaleString('en-US')} pixels (got ${size})`,
    );
  }
  const ratio = limits.maxAspectRatio;
  if (ratio !== undefined && Math.max(width, height) / Math.min(width, height) > ratio) {
    problems.push(`${field}: aspect ratio must be between 1:${ratio} and ${ratio}:1 (got ${size})`);
  }
  return problems;
}
