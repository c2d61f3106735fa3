/**
 * Request schemas for text-to-image: the JSON body of POST /generate (also a generate job's body,
 * POST /jobs) and the query string of GET /generate. Both are strict (an unknown field is a 400
 * naming it); model-specific limits (sizes, prompt length, styles) are checked by the adapter.
 */
import * as z from 'zod';

/** Bounds the work one request can cause; adapters apply each model's tighter limit. */
const MAX_PROMPT_CHARS = 10_000;
/** Nova/Titan accept 1–5 images per request (shared/models MAX_IMAGES_PER_REQUEST). */
const MAX_COUNT = 5;
/** Seeds are unsigned 32-bit integers for every model in the catalog. */
const MAX_SEED = 4_294_967_295;

const prompt = z
  .string({ error: 'prompt must be a string' })
  .trim()
  .min(1, 'prompt must not be empty')
  .max(MAX_PROMPT_CHARS, `prompt must be at most ${MAX_PROMPT_CHARS} characters`);
const text = z.string().trim().min(1).max(MAX_PROMPT_CHARS);
const modelId = z.string().trim().min(1).max(200);
const aspectRatio = z.string().regex(/^\d{1,2}:\d{1,2}$/, 'aspectRatio looks like 16:9');
const quality = z.enum(['standard', 'premium']);

const fields = {
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  seed: z.number().int().min(0).max(MAX_SEED),
  count: z.number().int().min(1).max(MAX_COUNT),
  cfgScale: z.number().positive(),
  steps: z.number().int().positive(),
};

export const generateRequestSchema = z.strictObject({
  prompt,
  model: modelId.optional(),
  negativePrompt: text.optional(),
  width: fields.width.optional(),
  height: fields.height.optional(),
  aspectRatio: aspectRatio.optional(),
  seed: fields.seed.optional(),
  count: fields.count.optional(),
  cfgScale: fields.cfgScale.optional(),
  steps: fields.steps.optional(),
  style: text.optional(),
  quality: quality.optional(),
  cache: z.boolean().optional(),
});
export type GenerateRequest = z.infer<typeof generateRequestSchema>;

/** A query-string number: the whole string must be a number, then the body's rule applies. */
function queryNumber(rule: z.ZodNumber) {
  return z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
    .transform(Number)
    .pipe(rule);
}

const queryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** Query parameters arrive as strings; the same fields as the body, coerced. */
export const generateQuerySchema = z.strictObject({
  prompt,
  model: modelId.optional(),
  negativePrompt: text.optional(),
  width: queryNumber(fields.width).optional(),
  height: queryNumber(fields.height).optional(),
  aspectRatio: aspectRatio.optional(),
  seed: queryNumber(fields.seed).optional(),
  count: queryNumber(fields.count).optional(),
  cfgScale: queryNumber(fields.cfgScale).optional(),
  steps: queryNumber(fields.steps).optional(),
  style: text.optional(),
  quality: quality.optional(),
  cache: queryBoolean.optional(),
});
export type GenerateQuery = z.infer<typeof generateQuerySchema>;
