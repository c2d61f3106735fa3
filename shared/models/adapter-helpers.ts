/**
 * Small pieces every model adapter shares: turning zod issues into one AppError that names the
 * field, base64 in and out, aspect-ratio arithmetic, seed sequences, and merging per-invocation
 * outputs. Pure functions only (no AWS SDK, no I/O).
 */
import * as z from 'zod';

import { AppError, isAppError } from '../errors.js';
import { detectImageMimeType } from '../images/probe.js';
import type { ImageMimeType, ModelImage, ModelOutput } from './types.js';

/** Upper bound on images per request for every model (Nova/Titan numberOfImages is 1–5). */
export const MAX_IMAGES_PER_REQUEST = 5;

/**
 * Validates `value` against `schema`; on failure throws one INVALID_PARAMETER AppError whose message
 * names the model and every offending field, with one detail per issue.
 */
export function parseOrThrow<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  modelId: string,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const message =
      path === '' || issue.message.includes(path) ? issue.message : `${path}: ${issue.message}`;
    return { path, message };
  });
  throw new AppError(
    'INVALID_PARAMETER',
    `Invalid request for ${modelId}: ${details.map((detail) => detail.message).join('; ')}`,
    { details },
  );
}

const schemaCache = new Map<string, z.ZodType>();

/**
 * The schema built by `build` for `key`, built once: zod compiles a schema on its first parse, so
 * rebuilding per request would pay that cost on every call.
 */
export function cachedSchema<Schema extends z.ZodType>(key: string, build: () => Schema): Schema {
  let schema = schemaCache.get(key);
  if (!schema) {
    schema = build();
    schemaCache.set(key, schema);
  }
  return schema as Schema;
}

/** A whole number in [min, max] whose error messages name the field. */
export function intInRange(field: string, min: number, max: number) {
  const message = `${field} must be a whole number from ${min} to ${max}`;
  return z
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, {
      error: message,
    });
}

/** A number in [min, max] whose error messages name the field. */
export function numberInRange(field: string, min: number, max: number) {
  const message = `${field} must be a number from ${min} to ${max}`;
  return z.number({ error: message }).min(min, { error: message }).max(max, { error: message });
}

/** A string of minLength–maxLength characters whose error messages name the field. */
export function textOfLength(field: string, minLength: number, maxLength: number) {
  const message = `${field} must be ${minLength}–${maxLength} characters`;
  return z
    .string({ error: `${field} must be a string` })
    .min(minLength, { error: message })
    .max(maxLength, { error: message });
}

/** One of `values`; the error lists them. */
export function oneOf<const Values extends readonly [string, ...string[]]>(
  field: string,
  values: Values,
) {
  return z.enum(values, { error: `${field} must be one of: ${values.join(', ')}` });
}

/**
 * A field the model has no equivalent for: giving it is a 400 that names it, rather than being
 * silently dropped (the client would otherwise believe it took effect).
 */
export function unsupported(field: string, modelId: string, hint?: string) {
  return z
    .undefined({ error: `${field} ${NOT_SUPPORTED_BY} ${modelId}${hint ? `; ${hint}` : ''}` })
    .optional();
}

const NOT_SUPPORTED_BY = 'is not supported by';

/**
 * Whether `error` is an adapter refusing `field` because the model has no such setting (the
 * `unsupported` rule above), as opposed to a value out of range. Lets GET /models list the fields
 * each model takes by asking the adapters themselves.
 */
export function rejectsFieldAsUnsupported(error: unknown, field: string): boolean {
  return (
    isAppError(error) &&
    error.code === 'INVALID_PARAMETER' &&
    (error.details ?? []).some(
      (detail) =>
        detail.path === field && detail.message.startsWith(`${field} ${NOT_SUPPORTED_BY} `),
    )
  );
}

/** Base64 of raw bytes, as every Bedrock image field expects. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/** Placeholders of base64 already decoded by the caller of withDecodedBase64, while it runs. */
let decodedBase64: ReadonlyMap<string, Uint8Array> | undefined;

/**
 * Runs `parse` (an adapter's parseResponse) with base64 the invoker already decoded while
 * reading the response bytes (shared/aws/json-bytes.ts): decodeModelImage answers a placeholder
 * from `decoded` instead of decoding megabytes again. Synchronous, so no other parse can see it.
 */
export function withDecodedBase64<T>(decoded: ReadonlyMap<string, Uint8Array>, parse: () => T): T {
  const outer = decodedBase64;
  decodedBase64 = decoded.size > 0 ? decoded : outer;
  try {
    return parse();
  } finally {
    decodedBase64 = outer;
  }
}

/**
 * Decodes one base64 image from a model response and sniffs its type from the magic bytes
 * (falling back to `mimeHint`, then PNG). Garbage is an UPSTREAM_ERROR, not a crash later.
 */
export function decodeModelImage(
  base64: unknown,
  modelId: string,
  seed?: number,
  mimeHint?: string,
): ModelImage {
  if (typeof base64 !== 'string' || base64 === '') throw notBase64(modelId);
  const decoded = decodedBase64?.get(base64);
  if (decoded) return withMimeType(decoded, seed, mimeHint);
  // Fast path: one native decode, no copy. Buffer.from skips characters that are not base64, so
  // the decoded length tells whether the string was clean; only then is the slow check needed.
  let bytes: Uint8Array = Buffer.from(base64, 'base64');
  if (bytes.byteLength !== decodedLength(base64)) {
    const compact = base64.replace(/\s/g, '');
    if (compact === '' || !BASE64_PATTERN.test(compact)) throw notBase64(modelId);
    bytes = Buffer.from(compact, 'base64');
  }
  return withMimeType(bytes, seed, mimeHint);
}

function withMimeType(bytes: Uint8Array, seed?: number, mimeHint?: string): ModelImage {
  const mimeType = detectImageMimeType(bytes) ?? asImageMimeType(mimeHint) ?? 'image/png';
  return seed === undefined ? { bytes, mimeType } : { bytes, mimeType, seed };
}

function notBase64(modelId: string): AppError {
  return new AppError('UPSTREAM_ERROR', `${modelId} returned an image that is not base64 data.`);
}

/** Bytes that clean base64 of this length (with its padding) decodes to. */
function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return base64.length % 4 === 0 ? (base64.length / 4) * 3 - padding : -1;
}

function asImageMimeType(value: string | undefined): ImageMimeType | undefined {
  const lower = value?.toLowerCase();
  if (lower === 'image/png' || lower === 'image/jpeg' || lower === 'image/webp') return lower;
  if (lower === 'image/jpg') return 'image/jpeg';
  return undefined;
}

/** Seeds arrive as numbers or numeric strings (Stability documents them as strings). */
export function parseSeed(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    const parsed = Number(value);
    return Number.isSafeInteger(parsed) ? parsed : undefined;
  }
  return undefined;
}

/**
 * Seeds for `count` one-image invocations: none given → undefined each (the model picks); 0 → 0
 * each (0 means "random" to Stability); otherwise seed, seed+1, … wrapping to 1 after `maxSeed`
 * so every value stays valid and none becomes the "random" 0.
 */
export function seedSequence(
  seed: number | undefined,
  count: number,
  maxSeed: number,
): (number | undefined)[] {
  return Array.from({ length: count }, (_, index) => {
    if (seed === undefined || seed === 0) return seed;
    return ((seed - 1 + index) % maxSeed) + 1;
  });
}

export interface Size {
  width: number;
  height: number;
}

const ASPECT_RATIO_PATTERN = /^(\d{1,4}):(\d{1,4})$/;

/** "16:9" → 16/9, or undefined when the text is not two positive whole numbers. */
export function parseAspectRatio(text: string): number | undefined {
  const match = ASPECT_RATIO_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const width = Number(match[1]);
  const height = Number(match[2]);
  return width > 0 && height > 0 ? width / height : undefined;
}

/**
 * The documented size whose shape is closest to `aspectRatio`, or undefined when none is within
 * `tolerance` (relative). Distances are compared on a log scale so 2:1 and 1:2 are equally far
 * from 1:1.
 */
export function closestSize(
  aspectRatio: string,
  sizes: readonly Size[],
  tolerance: number,
): Size | undefined {
  const target = parseAspectRatio(aspectRatio);
  if (target === undefined) return undefined;
  let best: Size | undefined;
  let bestDistance = Infinity;
  for (const size of sizes) {
    const distance = Math.abs(Math.log(size.width / size.height / target));
    if (distance < bestDistance) {
      best = size;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.log(1 + tolerance) ? best : undefined;
}

/** "1024×1024, 1152×896, …" for error messages. */
export function describeSizes(sizes: readonly Size[]): string {
  return sizes.map((size) => `${size.width}×${size.height}`).join(', ');
}

/**
 * Merges the outputs of the invocations of one request. A CONTENT_FILTERED AppError from one
 * invocation counts as one filtered image; any other error is rethrown. Throws CONTENT_FILTERED
 * when nothing at all survived the filter.
 *
 * @example
 * const output = collectOutputs(await Promise.all(invocations.map(invokeAndParseOrError)));
 */
export function collectOutputs(parts: readonly (ModelOutput | AppError)[]): ModelOutput {
  const images: ModelImage[] = [];
  let filteredCount = 0;
  for (const part of parts) {
    if (isAppError(part)) {
      if (part.code !== 'CONTENT_FILTERED') throw part;
      filteredCount += 1;
      continue;
    }
    images.push(...part.images);
    filteredCount += part.filteredCount;
  }
  if (images.length === 0 && filteredCount > 0) {
    throw new AppError(
      'CONTENT_FILTERED',
      'The model’s content filter blocked every generated image; adjust the prompt or input image.',
    );
  }
  return { images, filteredCount };
}
