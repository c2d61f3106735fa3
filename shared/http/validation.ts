/** Turning zod failures into the API's 400 answer, with one detail per offending field. */
import type { z } from 'zod';

import { AppError, type ErrorDetail } from '../errors.js';

/** One detail per problem; unknown fields are listed one by one, by name. */
export function issueDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...base, key].join('.'),
        message: 'unknown field',
      }));
    }
    return [{ path: base.join('.'), message: issue.message }];
  });
}

const MAX_SCANNED_DEPTH = 16;

/**
 * Paths of `__proto__` keys: JSON.parse makes them own properties, but zod's records and loose
 * objects drop them silently, so they would escape the unknown-field rule. No schema declares one.
 */
function prototypeKeyPaths(value: unknown, path: readonly string[] = []): string[] {
  // The API's schemas are a few levels deep; deeper values fail them anyway (and a hostile
  // 100 000-deep array must not overflow the stack here).
  if (typeof value !== 'object' || value === null || path.length > MAX_SCANNED_DEPTH) return [];
  const found: string[] = [];
  for (const key of Object.keys(value)) {
    const child: unknown = (value as Record<string, unknown>)[key];
    if (key === '__proto__') found.push([...path, key].join('.'));
    else found.push(...prototypeKeyPaths(child, [...path, key]));
  }
  return found;
}

/** Parses `value` or throws INVALID_REQUEST whose message names every offending field. */
export function validate<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what = 'request',
): z.output<Schema> {
  const prototypeKeys = prototypeKeyPaths(value);
  const result = prototypeKeys.length === 0 ? schema.safeParse(value) : undefined;
  if (result?.success) return result.data;
  const details: ErrorDetail[] = result
    ? issueDetails(result.error)
    : prototypeKeys.map((path) => ({ path, message: 'unknown field' }));
  const summary = details
    .map((detail) => (detail.path === '' ? detail.message : `${detail.path}: ${detail.message}`))
    .join('; ');
  throw new AppError('INVALID_REQUEST', `Invalid ${what}: ${summary}`, { details });
}
