import type { z } from 'zod';

import { malformedInput } from '../errors.js';

/** JSON pointer as Bedrock prints it: `#` for the root, `#/imageGenerationConfig/cfgScale`. */
export function pointer(path: readonly PropertyKey[]): string {
  return ['#', ...path.map(String)].join('/');
}

function jsonType(value: unknown): string {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'JSONArray';
  if (typeof value === 'object') return 'JSONObject';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'BigDecimal';
  if (typeof value === 'string') return 'String';
  return typeof value === 'boolean' ? 'Boolean' : String(typeof value);
}

const EXPECTED_TYPE: Record<string, string> = {
  string: 'String',
  number: 'Number',
  int: 'Integer',
  boolean: 'Boolean',
  object: 'JSONObject',
  array: 'JSONArray',
};

/**
 * Words one zod issue the way Bedrock's JSON-schema validator does (the everit library), e.g.
 * `#: extraneous key [foo] is not permitted`, `#: required key [prompt] not found`,
 * `#/imageGenerationConfig/cfgScale: 11 is not less or equal to 10`.
 */
function describeIssue(issue: z.core.$ZodIssue): string {
  const at = pointer(issue.path);
  const input = (issue as { input?: unknown }).input;
  const missing = issue.code === 'invalid_type' || issue.code === 'invalid_value';
  if (missing && input === undefined && issue.path.length > 0) {
    const parent = pointer(issue.path.slice(0, -1));
    return `${parent}: required key [${String(issue.path.at(-1))}] not found`;
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${at}: extraneous key [${key}] is not permitted`).join(', ');
    case 'invalid_type': {
      const expected = EXPECTED_TYPE[issue.expected] ?? issue.expected;
      return `${at}: expected type: ${expected}, found: ${jsonType(input)}`;
    }
    case 'too_small':
      if (issue.origin === 'string') {
        return `${at}: expected minLength: ${String(issue.minimum)}, actual: ${String((input as string).length)}`;
      }
      if (issue.origin === 'array') {
        return `${at}: expected minimum item count: ${String(issue.minimum)}, found: ${String((input as unknown[]).length)}`;
      }
      return `${at}: ${String(input)} is not greater or equal to ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string') {
        return `${at}: expected maxLength: ${String(issue.maximum)}, actual: ${String((input as string).length)}`;
      }
      if (issue.origin === 'array') {
        return `${at}: expected maximum item count: ${String(issue.maximum)}, found: ${String((input as unknown[]).length)}`;
      }
      return `${at}: ${String(input)} is not less or equal to ${String(issue.maximum)}`;
    case 'invalid_value':
      return `${at}: ${JSON.stringify(input)} is not a valid enum value`;
    default:
      return `${at}: ${issue.message}`;
  }
}

/** Parses `body` with `schema`, or throws the ValidationException Bedrock would answer. */
export function parseBody<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
): z.output<Schema> {
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) return result.data;
  throw malformedInput(result.error.issues.map(describeIssue).join(', '));
}
