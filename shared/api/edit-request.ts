/** POST /edits body, also the body of an edit job (POST /jobs with "type":"edit"). Image bytes are not in it: `imageKey` names an upload (POST /uploads). */
import * as z from 'zod';

import { EDIT_OPERATIONS, type EditOperation } from '../models/types.js';

const MAX_TEXT_CHARS = 10_000;
/** Nova/Titan accept 1–5 images per request. */
const MAX_COUNT = 5;
const MAX_SEED = 4_294_967_295;
/** Outpaint margins beyond this make images larger than any model accepts. */
const MAX_MARGIN_PIXELS = 2000;
/** The Lambda request limit is 6 MB, so a longer base64 mask could never arrive anyway. */
const MAX_MASK_BASE64_CHARS = 6 * 1024 * 1024;

/** Titan colour-guided generation takes 1–10 colours. */
const MAX_COLORS = 10;

const text = z.string().trim().min(1).max(MAX_TEXT_CHARS);
const unitInterval = z.number().min(0).max(1).optional();
const margin = z.number().int().min(0).max(MAX_MARGIN_PIXELS);

/** Base64 PNG; a `data:image/png;base64,` prefix (canvas.toDataURL) is accepted and dropped. */
const maskBase64 = z
  .string()
  .max(MAX_MASK_BASE64_CHARS)
  .transform((value) => value.replace(/^data:image\/png;base64,/, '').replace(/\s+/g, ''))
  .pipe(
    z
      .string()
      .min(1, 'mask must not be empty')
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'mask must be base64 (a PNG)'),
  );

export const editRequestSchema = z.strictObject({
  imageKey: z.string().min(1).max(1024),
  mask: maskBase64.optional(),
  maskPrompt: text.optional(),
  prompt: text.optional(),
  negativePrompt: text.optional(),
  operation: z.enum(EDIT_OPERATIONS as [EditOperation, ...EditOperation[]]).optional(),
  model: z.string().trim().min(1).max(200).optional(),
  seed: z.number().int().min(0).max(MAX_SEED).optional(),
  count: z.number().int().min(1).max(MAX_COUNT).optional(),
  outpaint: z.strictObject({ left: margin, right: margin, up: margin, down: margin }).optional(),
  /** Nova/Titan outpaint only; the adapters refuse it elsewhere, naming the field. */
  outPaintingMode: z.enum(['DEFAULT', 'PRECISE']).optional(),
  // Settings of the image-guided operations. Each model's adapter checks its documented range and
  // refuses a field its operation does not take (shared/models/operations.ts).
  style: z.string().trim().min(1).max(100).optional(),
  creativity: unitInterval,
  strength: unitInterval,
  controlStrength: unitInterval,
  fidelity: unitInterval,
  aspectRatio: z.string().trim().min(1).max(10).optional(),
  /** style-transfer: an upload (POST /uploads) whose style is applied to the image. */
  styleImageKey: z.string().min(1).max(1024).optional(),
  styleStrength: unitInterval,
  compositionFidelity: unitInterval,
  changeStrength: unitInterval,
  similarityStrength: unitInterval,
  colors: z.array(z.string().trim().max(7)).min(1).max(MAX_COLORS).optional(),
});
export type EditRequest = z.infer<typeof editRequestSchema>;
