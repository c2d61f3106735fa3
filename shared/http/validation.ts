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

/** Parses `value` or throws INVALID_REQUEST whose message names every offending field. */
export function validate<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what = 'request',
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = issueDetails(result.error);
  const summary = details
    .map((detail) => (detail.path === '' ? detail.message : `${detail.path}: ${detail.message}`))
    .join('; ');
  throw new AppError('INVALID_REQUEST', `Invalid ${what}: ${summary}`, { details });
}
