/** Reading API Gateway REST proxy events: headers, JSON bodies, query strings and the caller. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { z } from 'zod';

import { AppError } from '../errors.js';
import { validate } from './validation.js';

/** A header's value, whatever casing the client used (REST proxy events keep the original). */
export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** `application/json`, optionally with parameters (`; charset=utf-8`) or a `+json` subtype. */
function isJsonMediaType(contentType: string): boolean {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

/**
 * The body as JSON, validated by `schema`: 415 for another Content-Type, 400 INVALID_JSON for an
 * empty or unparsable body, 400 INVALID_REQUEST (with details) for a body the schema rejects.
 */
export function parseJsonBody<Schema extends z.ZodType>(
  event: APIGatewayProxyEvent,
  schema: Schema,
): z.output<Schema> {
  const contentType = header(event, 'content-type');
  if (contentType === undefined || !isJsonMediaType(contentType)) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Send the body as JSON with Content-Type: application/json (got ${contentType ?? 'none'}).`,
    );
  }
  const text =
    event.body === null
      ? ''
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  if (text.trim() === '')
    throw new AppError('INVALID_JSON', 'The request body is empty; send a JSON object.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? `: ${error.message}` : '';
    throw new AppError('INVALID_JSON', `The request body is not valid JSON${reason}.`);
  }
  return validate(schema, value, 'request body');
}

/** The query string (single values), validated by `schema`; unknown parameters are a 400. */
export function parseQuery<Schema extends z.ZodType>(
  event: APIGatewayProxyEvent,
  schema: Schema,
): z.output<Schema> {
  return validate(schema, event.queryStringParameters ?? {}, 'query');
}

/** The Cognito `sub` of the caller, when a Cognito authorizer let the request in. */
export function callerId(event: APIGatewayProxyEvent): string | undefined {
  const claims = (event.requestContext.authorizer as { claims?: Record<string, unknown> } | null)
    ?.claims;
  const sub = claims?.sub;
  return typeof sub === 'string' && sub !== '' ? sub : undefined;
}

/** The caller's `sub`, or 401 (API Gateway's authorizer normally stops these first). */
export function requireCaller(event: APIGatewayProxyEvent): string {
  const sub = callerId(event);
  if (!sub) throw new AppError('UNAUTHORIZED', 'Sign in first: send a valid Cognito ID token.');
  return sub;
}
