/**
 * Builders of API Gateway REST events for handler tests, starting from a recorded proxy event
 * (`__fixtures__/rest-proxy-event.json`, ids redacted). Every call returns a fresh copy.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';

import claimsFixture from './__fixtures__/cognito-claims.json' with { type: 'json' };
import eventFixture from './__fixtures__/rest-proxy-event.json' with { type: 'json' };

export const TEST_USER_ID = claimsFixture.sub;

export interface ProxyEventOptions {
  method?: string;
  /** The API Gateway resource, e.g. `/history/{id}`. */
  resource?: string;
  path?: string;
  /** An object is sent as JSON; a string as is; null for no body. */
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
  /** Cognito claims as the authorizer passes them; `true` for the fixture user. */
  claims?: Record<string, string> | true;
  isBase64Encoded?: boolean;
}

export function proxyEvent(options: ProxyEventOptions = {}): APIGatewayProxyEvent {
  const event = structuredClone(eventFixture) as unknown as APIGatewayProxyEvent;
  const method = options.method ?? 'POST';
  const resource = options.resource ?? '/generate';
  event.httpMethod = method;
  event.resource = resource;
  event.path = options.path ?? resource;
  event.requestContext.httpMethod = method;
  event.requestContext.resourcePath = resource;
  if (options.headers) {
    event.headers = { ...event.headers, ...options.headers };
    for (const [name, value] of Object.entries(options.headers)) {
      event.multiValueHeaders[name] = [value];
    }
  }
  if (options.body !== undefined) {
    event.body =
      options.body === null || typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  }
  if (options.isBase64Encoded) {
    event.isBase64Encoded = true;
    event.body = Buffer.from(event.body ?? '').toString('base64');
  }
  if (options.query) {
    event.queryStringParameters = options.query;
    event.multiValueQueryStringParameters = Object.fromEntries(
      Object.entries(options.query).map(([name, value]) => [name, [value]]),
    );
  }
  if (options.pathParameters) event.pathParameters = options.pathParameters;
  if (options.claims) {
    const claims = options.claims === true ? structuredClone(claimsFixture) : options.claims;
    event.requestContext.authorizer = { claims };
  }
  return event;
}

/** What GET /generate's request template renders (shared/api/openapi.yaml) for `query`. */
export function queryTemplateEvent(
  query: Record<string, string>,
  options: { userId?: string } = {},
): {
  prompt: string;
  query: Record<string, string>;
  requestId: string;
  sourceIp: string;
  userId: string;
} {
  return {
    prompt: query.prompt ?? '',
    query: { ...query },
    requestId: 'c0ffee00-1234-4abc-9def-000000000002',
    sourceIp: '203.0.113.10',
    // $context.authorizer.claims.sub renders as an empty string on an open route.
    userId: options.userId ?? '',
  };
}
