/** Proxy responses: JSON bodies with CORS headers, and the one error shape. */
import type { APIGatewayProxyResult } from 'aws-lambda';

import type { AppError } from '../errors.js';

/** What a proxy handler returns before CORS headers are added by `withHttp`. */
export interface HttpResult {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function ok(body: unknown): HttpResult {
  return { statusCode: 200, body };
}

export function noContent(): HttpResult {
  return { statusCode: 204 };
}

export function corsHeaders(corsOrigin: string): Record<string, string> {
  return { 'Access-Control-Allow-Origin': corsOrigin, Vary: 'Origin' };
}

/** An AppError as `{"error":{code,message,details?}}`, with Retry-After on 429 and 503. */
export function errorResult(error: AppError): HttpResult {
  const retryAfter =
    error.status === 429 || error.status === 503 ? String(error.retryAfterSeconds ?? 5) : undefined;
  return {
    statusCode: error.status,
    body: error.toBody(),
    ...(retryAfter ? { headers: { 'Retry-After': retryAfter } } : {}),
  };
}

export function toProxyResult(result: HttpResult, corsOrigin: string): APIGatewayProxyResult {
  const hasBody = result.body !== undefined;
  return {
    statusCode: result.statusCode,
    headers: {
      ...corsHeaders(corsOrigin),
      ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
      'Cache-Control': 'no-store',
      ...result.headers,
    },
    body: hasBody ? JSON.stringify(result.body) : '',
  };
}
